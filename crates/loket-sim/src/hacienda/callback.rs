//! Hacienda's callback: once a document is final, its status JSON is POSTed to the
//! `callbackUrl` (three tries, 200 expected). Only loopback `http://` URLs are called.

use std::sync::{Arc, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::recepcion::status_json;
use super::HaciendaState;

/// Splits `http://host:port/path` into (host, port, path) when the host is loopback.
fn loopback_target(url: &str) -> Option<(String, u16, String)> {
    let rest = url.strip_prefix("http://")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (rest.get(..i)?, rest.get(i..)?),
        None => (rest, "/"),
    };
    let (host, port) = if let Some(h) = authority.strip_prefix('[') {
        let (h, p) = h.split_once(']')?;
        (h.to_string(), p.strip_prefix(':').unwrap_or("80"))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p),
            None => (authority.to_string(), "80"),
        }
    };
    let port: u16 = port.parse().ok()?;
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    loopback.then(|| (host, port, path.to_string()))
}

async fn post_once(host: &str, port: u16, path: &str, body: &str) -> Option<u16> {
    let addr = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut stream = TcpStream::connect(addr).await.ok()?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut buf = vec![0u8; 256];
    let n = stream.read(&mut buf).await.ok()?;
    let head = String::from_utf8_lossy(buf.get(..n)?).into_owned();
    head.split_whitespace().nth(1)?.parse().ok()
}

/// Waits for the document to become final, then calls back.
pub(crate) fn spawn(state: Arc<HaciendaState>, clave: String, url: String) {
    let Some((host, port, path)) = loopback_target(&url) else {
        tracing::info!(%url, "hacienda sim: callback skipped (not a loopback http URL)");
        return;
    };
    tokio::spawn(async move {
        let work = async {
            let body = loop {
                let doc = state
                    .docs
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .get(&clave)
                    .cloned();
                let Some(doc) = doc else {
                    return;
                };
                let (json, is_final) = status_json(&state.settings, &doc, state.shared.clock.now());
                if is_final {
                    break json.to_string();
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            };
            for attempt in 0..3 {
                let sent = tokio::time::timeout(
                    Duration::from_secs(5),
                    post_once(&host, port, &path, &body),
                )
                .await;
                if matches!(sent, Ok(Some(200))) {
                    return;
                }
                tracing::info!(attempt, %clave, "hacienda sim: callback not answered 200");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        };
        tokio::select! {
            _ = work => {}
            _ = state.shared.stopped() => {}
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_targets() {
        assert_eq!(
            loopback_target("http://127.0.0.1:8080/cb"),
            Some(("127.0.0.1".into(), 8080, "/cb".into()))
        );
        assert_eq!(
            loopback_target("http://localhost/x?y=1"),
            Some(("localhost".into(), 80, "/x?y=1".into()))
        );
        assert_eq!(
            loopback_target("http://[::1]:9/"),
            Some(("::1".into(), 9, "/".into()))
        );
        assert_eq!(loopback_target("http://example.com/cb"), None);
        assert_eq!(loopback_target("https://127.0.0.1/cb"), None);
        assert_eq!(loopback_target("http://10.0.0.1/cb"), None);
    }
}
