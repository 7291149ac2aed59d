//! The e-invoice flow from the terminal, as a new user runs it: add the Hacienda connection,
//! set the issuer, load a legacy .p12, import a CSV, sign, submit, see the decisions and a
//! rejection's error codes, and see a transient failure wait on the retry queue and go through.
//! Runs the real `loket` binary with the real keyring (the test suite runs inside a D-Bus
//! session with an unlocked keyring).
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

fn loket(data: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_loket"))
        .args(args)
        .env("LOKET_DATA_DIR", data)
        .env("HACIENDA_PASSWORD", loket_sim::HACIENDA_PASSWORD)
        .env_remove("LOKET_P12_PIN")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

fn ok(data: &Path, args: &[&str], stdin: Option<&str>) -> String {
    let out = loket(data, args, stdin);
    assert!(
        out.status.success(),
        "loket {}: {}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A CSV of `n` tiquetes and facturas in the import format.
fn invoices_csv(n: usize) -> String {
    let mut csv = String::from(
        "ref,type,receiver_name,receiver_id_type,receiver_id,cabys_code,description,quantity,unit,unit_price,iva_rate\n",
    );
    for i in 0..n {
        if i % 2 == 0 {
            csv.push_str(&format!(
                "T-{i},04,,,,2399900000000,Café americano,{},Unid,1500,08\n",
                1 + i % 3
            ));
        } else {
            csv.push_str(&format!(
                "F-{i},01,Cliente {i} S.A.,02,3101538252,8315100000100,Consultoría,1,Sp,{}.50,08\n",
                10_000 + i
            ));
        }
    }
    csv
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_sign_submit_follow_and_retry_from_the_terminal() {
    let sim = loket_sim::start(loket_sim::SimConfig {
        hacienda_processing_after: Duration::from_millis(200),
        hacienda_final_after: Duration::from_millis(400),
        ..loket_sim::SimConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let p = dir.path();
    // The demo's legacy .p12 (SHA1-3DES key, RC2-40 certificate, made with openssl as the tax
    // authority makes them), PIN 1234.
    let p12 = Path::new(env!("CARGO_MANIFEST_DIR")).join("../loket-engine/demo/sandbox-issuer.p12");
    let csv = p.join("invoices.csv");
    std::fs::write(&csv, invoices_csv(100)).unwrap();
    let csv = csv.to_str().unwrap();
    let issuer = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples/issuer.json");

    ok(
        &data,
        &[
            "connection",
            "add",
            "--name",
            "Hacienda",
            "--kind",
            "hacienda",
            "--url",
            &sim.hacienda_url,
            "--username",
            loket_sim::HACIENDA_USERNAME,
            "--secret-env",
            "HACIENDA_PASSWORD",
            "--rate",
            "0",
            "--concurrent",
            "8",
        ],
        None,
    );
    ok(
        &data,
        &[
            "einvoice",
            "issuer",
            "--connection",
            "Hacienda",
            issuer.to_str().unwrap(),
        ],
        None,
    );

    // A wrong PIN is told apart and loads nothing; the right one loads the legacy file.
    let wrong = loket(
        &data,
        &[
            "einvoice",
            "certificate",
            "--connection",
            "Hacienda",
            p12.to_str().unwrap(),
        ],
        Some("9999\n"),
    );
    assert!(!wrong.status.success());
    let why = String::from_utf8_lossy(&wrong.stderr);
    assert!(why.contains("PIN is not correct"), "{why}");
    let loaded = ok(
        &data,
        &[
            "einvoice",
            "certificate",
            "--connection",
            "Hacienda",
            p12.to_str().unwrap(),
        ],
        Some("1234\n"),
    );
    assert!(loaded.contains("id 206920142"), "{loaded}");

    // A file with a bad row imports nothing and says where.
    let bad = p.join("bad.csv");
    std::fs::write(&bad, invoices_csv(3).replace("Unid,1500", "Unid,abc")).unwrap();
    let refused = loket(
        &data,
        &[
            "einvoice",
            "import",
            "--connection",
            "Hacienda",
            bad.to_str().unwrap(),
        ],
        None,
    );
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("row 2") && why.contains("unit_price"), "{why}");

    assert!(ok(
        &data,
        &["einvoice", "import", "--connection", "Hacienda", csv],
        None
    )
    .contains("100 documents imported"));
    assert!(ok(
        &data,
        &["einvoice", "sign", "--connection", "Hacienda"],
        None
    )
    .contains("100 done"));
    let sent = ok(
        &data,
        &[
            "einvoice",
            "submit",
            "--connection",
            "Hacienda",
            "--batch-delay",
            "0",
        ],
        None,
    );
    assert!(sent.contains("100 done"), "{sent}");

    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(ok(
        &data,
        &["einvoice", "status", "--connection", "Hacienda"],
        None
    )
    .contains("100 done"));
    let list = ok(
        &data,
        &["einvoice", "list", "--connection", "Hacienda"],
        None,
    );
    let accepted = list.lines().filter(|l| l.contains(" accepted ")).count();
    let rejected: Vec<&str> = list.lines().filter(|l| l.contains(" rejected ")).collect();
    assert_eq!(accepted + rejected.len(), 100, "{list}");
    assert!(
        !rejected.is_empty(),
        "about one in ten is rejected by the sandbox"
    );

    // A rejection shows Hacienda's error codes, parsed.
    let id = rejected[0].split_whitespace().next().unwrap();
    let shown = ok(&data, &["einvoice", "show", id], None);
    assert!(shown.contains("message type 3"), "{shown}");
    assert!(shown.contains("  error -"), "{shown}");

    // Hacienda fails: the new document waits on the retry queue with its next attempt time.
    let more = p.join("more.csv");
    std::fs::write(&more, invoices_csv(1).replace("T-0", "T-late")).unwrap();
    ok(
        &data,
        &[
            "einvoice",
            "import",
            "--connection",
            "Hacienda",
            more.to_str().unwrap(),
        ],
        None,
    );
    ok(
        &data,
        &["einvoice", "sign", "--connection", "Hacienda"],
        None,
    );
    sim.set_faults(loket_sim::Faults {
        error_rate: 1.0,
        ..loket_sim::Faults::default()
    });
    let failed = ok(
        &data,
        &["einvoice", "submit", "--connection", "Hacienda"],
        None,
    );
    assert!(failed.contains("1 failed"), "{failed}");
    let queue = ok(&data, &["einvoice", "retries", "--state", "pending"], None);
    let entry: Vec<&str> = queue.lines().collect();
    assert_eq!(entry.len(), 1, "{queue}");
    assert!(
        entry[0].contains("submit") && entry[0].contains("attempt 1"),
        "{queue}"
    );

    // Hacienda is back; the entry is made due now and the retry-queue job sends it, once.
    sim.set_faults(loket_sim::Faults::default());
    let retry_id = entry[0].split_whitespace().next().unwrap();
    ok(&data, &["einvoice", "retry", retry_id], None);
    let ran = ok(
        &data,
        &["run", "einvoice_retries", "--connection", "Hacienda"],
        None,
    );
    assert!(ran.contains("updated 1"), "{ran}");
    let list = ok(
        &data,
        &[
            "einvoice",
            "list",
            "--connection",
            "Hacienda",
            "--state",
            "signed",
        ],
        None,
    );
    assert!(list.trim().is_empty(), "nothing left unsent: {list}");
    assert!(ok(&data, &["einvoice", "retries", "--state", "done"], None).contains("submit"));
}
