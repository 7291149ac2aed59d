//! Writes the TypeScript bindings the UI imports. The test command runs this and then checks
//! that `ui/src/bindings` has no uncommitted change, so Rust and TypeScript cannot drift apart.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

#[test]
fn write_typescript_bindings() {
    let text = loket_engine::api::typescript_bindings();
    for must in [
        "export type Connection = ",
        "export type Commands = {",
        "save_connection: { args: { input: ConnectionInput }",
        "run_job: { args: { id: number }, result: number }",
    ] {
        assert!(text.contains(must), "bindings lack {must:?}");
    }
    assert!(!text.contains("bigint"));
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("index.ts");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&path, text).unwrap();
    }
}
