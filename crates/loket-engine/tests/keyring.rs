//! The real OS keyring (Secret Service under a D-Bus session with gnome-keyring): a secret
//! saved through the engine is in the keyring, not in the database, and leaves with it.
//! The test command runs this inside `dbus-run-session` and sets LOKET_REQUIRE_KEYRING=1, so
//! there it fails rather than skips when the keyring does not work.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;

use loket_engine::secrets::connection_key;
use loket_engine::{Engine, EngineConfig, KeyringSecretStore, SecretStore, SystemClock};
use loket_store::Store;

#[tokio::test]
async fn secrets_round_trip_through_the_real_keyring() {
    let keyring = KeyringSecretStore;
    let status = keyring.check();
    if !status.ok {
        assert!(
            std::env::var("LOKET_REQUIRE_KEYRING").is_err(),
            "keyring required but unavailable: {status:?}"
        );
        eprintln!(
            "skipped: no usable keyring here ({:?}); the test command provides one",
            status.problem
        );
        return;
    }
    let sim = support::sim(support::small_sim()).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("loket.db");
    let engine = Engine::start(EngineConfig {
        store: Store::open(&db).await.unwrap(),
        secrets: Arc::new(KeyringSecretStore),
        clock: Arc::new(SystemClock),
        data_dir: dir.path().to_path_buf(),
        demo: false,
        sandbox: None,
    })
    .await
    .unwrap();
    let password = format!("kr-{}", std::process::id());
    let mut input = support::odoo(&sim.odoo_url, loket_core::OdooProtocol::Jsonrpc, &password);
    input.name = format!("Keyring test {}", std::process::id());
    let c = engine.save_connection(input).await.unwrap();
    assert_eq!(
        keyring.get(&connection_key(c.id)).unwrap().as_deref(),
        Some(password.as_str())
    );
    // The wrong password is the sandbox's answer, proving the stored secret was read and sent.
    let outcome = engine.test_connection(c.id).await.unwrap();
    assert_eq!(outcome.authenticated, Some(false));

    engine.store().close().await;
    for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap_or_default();
        assert!(
            !bytes
                .windows(password.len())
                .any(|w| w == password.as_bytes()),
            "secret in {:?}",
            entry.path()
        );
    }
    let engine = Engine::start(EngineConfig {
        store: Store::open(&db).await.unwrap(),
        secrets: Arc::new(KeyringSecretStore),
        clock: Arc::new(SystemClock),
        data_dir: dir.path().to_path_buf(),
        demo: false,
        sandbox: None,
    })
    .await
    .unwrap();
    engine.delete_connection(c.id).await.unwrap();
    assert_eq!(keyring.get(&connection_key(c.id)).unwrap(), None);
}
