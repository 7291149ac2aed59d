//! SICANTIK imitation over loopback: paging, XML/JSON agreement, cekperizinan.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, HashSet};

use base64::Engine as _;
use serde_json::Value;

type Row = BTreeMap<String, String>;

/// Flattens a JSON row to strings (numbers may arrive as numbers or strings).
fn json_row(v: &Value) -> Row {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, x)| {
            let s = match x {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            (k.clone(), s)
        })
        .collect()
}

fn xml_rows(body: &str) -> Vec<Row> {
    let doc = roxmltree::Document::parse(body).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "xml");
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name("item"))
        .map(|item| {
            item.children()
                .filter(|n| n.is_element())
                .map(|f| {
                    (
                        f.tag_name().name().to_string(),
                        f.text().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn paging_returns_every_permit_once_in_both_styles() {
    let sim = common::start_with(|c| c.permits_issued = 437).await;
    let http = common::client();
    let mut seen = HashSet::new();
    let mut offset = 0;
    loop {
        let url = format!(
            "{}listpermohonanterbit?limit=50&offset={offset}&format=json",
            sim.sicantik_url
        );
        let page: Vec<Value> = http.get(url).send().await.unwrap().json().await.unwrap();
        if page.is_empty() {
            break;
        }
        for r in &page {
            assert!(seen.insert(r["pendaftaran_id"].as_str().unwrap().to_string()));
        }
        offset += page.len();
    }
    assert_eq!(seen.len(), 437);

    // Segment style, XML, other page size: the same set in the same order.
    let mut seg = Vec::new();
    let mut offset = 0;
    loop {
        let url = format!(
            "{}listpermohonanterbit/limit/100/offset/{offset}",
            sim.sicantik_url
        );
        let body = http.get(url).send().await.unwrap().text().await.unwrap();
        let rows = xml_rows(&body);
        if rows.is_empty() {
            break;
        }
        offset += rows.len();
        seg.extend(rows.into_iter().map(|r| r["pendaftaran_id"].clone()));
    }
    assert_eq!(seg.len(), 437);
    assert_eq!(seg.iter().cloned().collect::<HashSet<_>>(), seen);

    // Counts agree.
    let counts: Value = http
        .get(format!("{}jumlahPerizinan", sim.sicantik_url))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let num = |v: &Value| {
        v.as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .unwrap()
    };
    assert_eq!(num(&counts["terbit"]), 437);
    assert_eq!(num(&counts["total"]), 437 + 150);
    sim.shutdown().await;
}

#[tokio::test]
async fn xml_and_json_agree() {
    let sim = common::start().await;
    let http = common::client();
    for endpoint in [
        "listpermohonanterbit?limit=120&offset=30",
        "listpermohonanproses?limit=40",
        "jenisperizinanlist",
    ] {
        let sep = if endpoint.contains('?') { '&' } else { '?' };
        let xml = http
            .get(format!("{}{endpoint}", sim.sicantik_url))
            .send()
            .await
            .unwrap();
        assert!(xml.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("xml"));
        let xml = xml_rows(&xml.text().await.unwrap());
        let json: Vec<Value> = http
            .get(format!("{}{endpoint}{sep}format=json", sim.sicantik_url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let json: Vec<Row> = json.iter().map(json_row).collect();
        assert!(!json.is_empty());
        assert_eq!(xml, json, "{endpoint}");
    }
    let types: Vec<Value> = http
        .get(format!(
            "{}jenisperizinanlist/format/json",
            sim.sicantik_url
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!((80..=100).contains(&types.len()));
    let names: Vec<&str> = types
        .iter()
        .filter_map(|t| t["n_perizinan"].as_str())
        .collect();
    for wanted in [
        "IZIN GANGGUAN USAHA (HO)",
        "IZIN PRAKTEK DOKTER",
        "IZIN MENDIRIKAN BANGUNAN (IMB)",
        "TANDA DAFTAR PERUSAHAAN (TDP)",
        "IZIN APOTEK",
        "SERTIFIKAT HALAL",
        "SPP-IRT (PIRT)",
    ] {
        assert!(names.contains(&wanted), "{wanted}");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn cekperizinan_base64_round_trip() {
    let sim = common::start_with(|c| c.permits_issued = 300).await;
    let http = common::client();
    let list: Vec<Value> = http
        .get(format!(
            "{}listpermohonanterbit?format=json",
            sim.sicantik_url
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 300);
    let (mut objects, mut arrays) = (0, 0);
    for (i, row) in list.iter().enumerate().step_by(7) {
        let no_surat = row["no_surat"].as_str().unwrap();
        assert!(no_surat.starts_with("503.") && no_surat.contains("/DPMPPTSP-DS/"));
        let id = row["pendaftaran_id"].as_str().unwrap();
        assert_eq!(id.len(), 16);
        let b64 = base64::engine::general_purpose::STANDARD.encode(no_surat);
        // Query style in JSON, alternately properly encoded and with '+' left raw.
        let q = if i % 2 == 0 {
            b64.replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D")
        } else {
            b64.clone()
        };
        let resp = http
            .get(format!("{}cekperizinan?no_izin={q}", sim.sicantik_url))
            .header("Accept", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let v: Value = resp.json().await.unwrap();
        let rec = match &v {
            Value::Array(a) => {
                arrays += 1;
                assert_eq!(a.len(), 1);
                a[0].clone()
            }
            Value::Object(_) => {
                objects += 1;
                v.clone()
            }
            _ => panic!("unexpected {v}"),
        };
        assert_eq!(rec["no_surat"], row["no_surat"]);
        assert_eq!(rec["pendaftaran_id"], row["pendaftaran_id"]);
        for k in [
            "d_berlaku_izin",
            "tgl_surat",
            "telp_pemohon",
            "a_pemohon",
            "n_perusahaan",
            "npwp",
            "n_kecamatan",
            "n_kabupaten",
            "n_propinsi",
            "n_kelurahan",
        ] {
            assert!(rec.get(k).is_some(), "missing {k}");
        }
        // XML answer for the same permit.
        let xml = http
            .get(format!("{}cekperizinan/no_izin/{b64}", sim.sicantik_url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            xml.contains(&format!("<pendaftaran_id>{id}</pendaftaran_id>")),
            "{xml}"
        );
    }
    assert!(
        objects > 0 && arrays > 0,
        "objects {objects} arrays {arrays}"
    );

    let unknown = base64::engine::general_purpose::STANDARD.encode("503.1/9999/NOPE/01/1999/KK");
    let resp = http
        .get(format!(
            "{}cekperizinan?no_izin={unknown}&format=json",
            sim.sicantik_url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["status"], Value::Bool(false));

    let resp = http
        .get(format!(
            "{}cekperizinan?no_izin=%21%21%21",
            sim.sicantik_url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let resp = http
        .get(format!(
            "{}listpermohonanterbit?limit=abc",
            sim.sicantik_url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let resp = http
        .get(format!("{}nosuchthing", sim.sicantik_url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    sim.shutdown().await;
}

#[tokio::test]
async fn same_seed_same_data_other_seed_other_data() {
    let a = common::start_with(|c| c.seed = 11).await;
    let b = common::start_with(|c| c.seed = 11).await;
    let c = common::start_with(|c| c.seed = 12).await;
    let http = common::client();
    let get = |base: String| {
        let http = http.clone();
        async move {
            http.get(format!("{base}listpermohonanterbit?limit=20&format=json"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let (ta, tb, tc) = (
        get(a.sicantik_url.clone()).await,
        get(b.sicantik_url.clone()).await,
        get(c.sicantik_url.clone()).await,
    );
    assert_eq!(ta, tb);
    assert_ne!(ta, tc);
}
