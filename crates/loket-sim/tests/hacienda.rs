//! Hacienda imitation over loopback: token, submit, poll, duplicates, 401s.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use base64::Engine as _;
use loket_sim::{RunningSim, HACIENDA_PASSWORD, HACIENDA_USERNAME};
use serde_json::{json, Value};

async fn token(http: &reqwest::Client, sim: &RunningSim) -> Value {
    let resp = http
        .post(&sim.hacienda_token_url)
        .form(&[
            ("grant_type", "password"),
            ("client_id", "api-stag"),
            ("username", HACIENDA_USERNAME),
            ("password", HACIENDA_PASSWORD),
            ("client_secret", ""),
            ("scope", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

fn clave(n: u32) -> String {
    format!(
        "5062709250002069201420010000101{n:010}1{:08}",
        n * 31 % 100_000_000
    )
}

fn body(clave: &str) -> Value {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><FacturaElectronica xmlns=\"https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/facturaElectronica\"><Clave>{clave}</Clave><Emisor><Nombre>Tek rocks</Nombre></Emisor><ResumenFactura><TotalImpuesto>1.3</TotalImpuesto><TotalComprobante>11.3</TotalComprobante></ResumenFactura></FacturaElectronica>"
    );
    json!({
        "clave": clave,
        "fecha": "2025-09-27T07:49:09-06:00",
        "emisor": {"tipoIdentificacion": "01", "numeroIdentificacion": "206920142"},
        "receptor": {"tipoIdentificacion": "02", "numeroIdentificacion": "3101538252"},
        "comprobanteXml": base64::engine::general_purpose::STANDARD.encode(xml),
    })
}

fn cause(resp: &reqwest::Response) -> String {
    resp.headers()
        .get("x-error-cause")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn token_submit_poll_states() {
    let sim = common::start_with(|c| {
        c.hacienda_processing_after = Duration::from_millis(500);
        c.hacienda_final_after = Duration::from_millis(1500);
    })
    .await;
    let http = common::client();
    let t = token(&http, &sim).await;
    assert_eq!(t["expires_in"], 300);
    assert_eq!(t["refresh_expires_in"], 36000);
    assert_eq!(t["token_type"], "bearer");
    let access = t["access_token"].as_str().unwrap().to_string();
    let recepcion = format!("{}recepcion", sim.hacienda_url);

    let c = clave(1);
    let resp = http
        .post(&recepcion)
        .bearer_auth(&access)
        .json(&body(&c))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);

    // Duplicate: 400 with the cause; not an error to retry.
    let resp = http
        .post(&recepcion)
        .bearer_auth(&access)
        .json(&body(&c))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(
        cause(&resp),
        format!("El comprobante [{c}] ya fue recibido anteriormente.")
    );

    let status_url = format!("{recepcion}/{c}");
    let first: Value = http
        .get(&status_url)
        .bearer_auth(&access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(first["ind-estado"], "recibido");
    assert_eq!(first["clave"], c.as_str());
    tokio::time::sleep(Duration::from_millis(700)).await;
    let second: Value = http
        .get(&status_url)
        .bearer_auth(&access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(second["ind-estado"], "procesando");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let last: Value = http
        .get(&status_url)
        .bearer_auth(&access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let state = last["ind-estado"].as_str().unwrap();
    assert!(state == "aceptado" || state == "rechazado", "{last}");
    let xml = base64::engine::general_purpose::STANDARD
        .decode(last["respuesta-xml"].as_str().unwrap())
        .unwrap();
    let xml = String::from_utf8(xml).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/mensajeHacienda")
    );
    let mensaje = doc
        .descendants()
        .find(|n| n.has_tag_name("Mensaje"))
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(mensaje, if state == "aceptado" { "1" } else { "3" });
    assert!(doc
        .descendants()
        .any(|n| n.tag_name().name() == "Signature"));

    // Unknown clave → 404.
    let resp = http
        .get(format!("{recepcion}/{}", clave(999)))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    sim.shutdown().await;
}

#[tokio::test]
async fn about_one_in_ten_rejected_with_error_lines() {
    let sim = common::start_with(|c| {
        c.hacienda_processing_after = Duration::ZERO;
        c.hacienda_final_after = Duration::ZERO;
    })
    .await;
    let http = common::client();
    let access = token(&http, &sim).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let recepcion = format!("{}recepcion", sim.hacienda_url);
    let mut rejected = 0;
    for n in 0..120 {
        let c = clave(1000 + n);
        let resp = http
            .post(&recepcion)
            .bearer_auth(&access)
            .json(&body(&c))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 202);
        let v: Value = http
            .get(format!("{recepcion}/{c}"))
            .bearer_auth(&access)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if v["ind-estado"] == "rechazado" {
            rejected += 1;
            let xml = base64::engine::general_purpose::STANDARD
                .decode(v["respuesta-xml"].as_str().unwrap())
                .unwrap();
            let xml = String::from_utf8(xml).unwrap();
            let doc = roxmltree::Document::parse(&xml).unwrap();
            let detalle = doc
                .descendants()
                .find(|n| n.has_tag_name("DetalleMensaje"))
                .and_then(|n| n.text())
                .unwrap();
            assert!(detalle.starts_with("El comprobante electrónico tiene los siguientes errores: [ codigo, mensaje, fila, columna\n-"), "{detalle}");
            assert!(detalle.ends_with(", 0, 0 ]"), "{detalle}");
        }
    }
    assert!((3..=25).contains(&rejected), "{rejected} of 120 rejected");
    sim.shutdown().await;
}

#[tokio::test]
async fn unauthorized_bad_body_expiry_and_refresh() {
    let sim = common::start().await;
    let http = common::client();
    let recepcion = format!("{}recepcion", sim.hacienda_url);

    let resp = http
        .post(&recepcion)
        .json(&body(&clave(5)))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let resp = http
        .post(&recepcion)
        .bearer_auth("not-a-token")
        .json(&body(&clave(5)))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);

    let resp = http
        .post(&sim.hacienda_token_url)
        .form(&[
            ("grant_type", "password"),
            ("client_id", "api-stag"),
            ("username", HACIENDA_USERNAME),
            ("password", "wrong"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let err: Value = resp.json().await.unwrap();
    assert_eq!(err["error"], "invalid_grant");
    assert_eq!(err["error_description"], "Invalid user credentials");

    let t = token(&http, &sim).await;
    let access = t["access_token"].as_str().unwrap().to_string();
    let refresh = t["refresh_token"].as_str().unwrap().to_string();

    for bad in [
        json!({"clave": "123"}),
        json!("not an object"),
        {
            let mut b = body(&clave(6));
            b["comprobanteXml"] = json!("***not base64***");
            b
        },
        {
            let mut b = body(&clave(7));
            b["emisor"]["tipoIdentificacion"] = json!("99");
            b
        },
    ] {
        let resp = http
            .post(&recepcion)
            .bearer_auth(&access)
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{bad}");
        assert!(!cause(&resp).is_empty());
    }
    let resp = http
        .post(&recepcion)
        .bearer_auth(&access)
        .header("content-type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);

    // The token lapses on the sandbox clock; the refresh grant gives a new one.
    sim.advance_clock(Duration::from_secs(301));
    let resp = http
        .post(&recepcion)
        .bearer_auth(&access)
        .json(&body(&clave(8)))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let resp = http
        .post(&sim.hacienda_token_url)
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", "api-stag"),
            ("refresh_token", refresh.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let t2: Value = resp.json().await.unwrap();
    let access2 = t2["access_token"].as_str().unwrap();
    assert_ne!(access2, access);
    let resp = http
        .post(&recepcion)
        .bearer_auth(access2)
        .json(&body(&clave(8)))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);
    let resp = http
        .post(&sim.hacienda_token_url)
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", "api-stag"),
            ("refresh_token", "bogus"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    sim.shutdown().await;
}

#[tokio::test]
async fn callback_is_posted_when_final() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = sock.read(&mut chunk).await.unwrap();
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf).to_string();
            if let Some((head, rest)) = text.split_once("\r\n\r\n") {
                let len: usize = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap())
                    })
                    .unwrap();
                if rest.len() >= len {
                    sock.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                        .await
                        .unwrap();
                    return rest.to_string();
                }
            }
            if n == 0 {
                return String::new();
            }
        }
    });
    let sim = common::start().await;
    let http = common::client();
    let access = token(&http, &sim).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let c = clave(77);
    let mut b = body(&c);
    b["callbackUrl"] = json!(format!("http://127.0.0.1:{port}/hacienda/callback"));
    let resp = http
        .post(format!("{}recepcion", sim.hacienda_url))
        .bearer_auth(&access)
        .json(&b)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);
    let got = tokio::time::timeout(Duration::from_secs(5), received)
        .await
        .unwrap()
        .unwrap();
    let v: Value = serde_json::from_str(&got).unwrap();
    assert_eq!(v["clave"], c.as_str());
    assert!(v["respuesta-xml"].is_string());
    sim.shutdown().await;
}

#[tokio::test]
async fn optional_rate_limit_headers_and_429() {
    let sim = common::start_with(|c| c.hacienda_rate_limit_per_minute = 3).await;
    let http = common::client();
    let access = token(&http, &sim).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let url = format!("{}recepcion/{}", sim.hacienda_url, clave(4242));
    for remaining in ["2", "1", "0"] {
        let resp = http.get(&url).bearer_auth(&access).send().await.unwrap();
        assert_eq!(resp.status(), 404);
        assert_eq!(resp.headers()["x-ratelimit-limit"], "3");
        assert_eq!(resp.headers()["x-ratelimit-remaining"], remaining);
        assert!(resp.headers().contains_key("x-ratelimit-reset"));
    }
    let resp = http.get(&url).bearer_auth(&access).send().await.unwrap();
    assert_eq!(resp.status(), 429);
    assert!(resp.headers().contains_key("retry-after"));
    // A new window after a minute on the sandbox clock.
    sim.advance_clock(Duration::from_secs(61));
    let resp = http.get(&url).bearer_auth(&access).send().await.unwrap();
    assert_eq!(resp.status(), 404);
    assert_eq!(resp.headers()["x-ratelimit-remaining"], "2");
    sim.shutdown().await;
}
