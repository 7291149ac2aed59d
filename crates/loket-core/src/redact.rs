//! Keeps secrets out of logs: by key name in structured data and by value anywhere in text.

/// What a redacted value is replaced with.
pub const MASK: &str = "***";

const SECRET_KEYS: [&str; 11] = [
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "authorization",
    "pin",
    "client_secret",
    "refresh_token",
    "access_token",
];

/// Whether a field or header name holds a secret.
pub fn is_secret_key(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_KEYS
        .iter()
        .any(|k| lower == *k || lower.ends_with(&format!("_{k}")) || lower.contains("password"))
}

/// Replaces the values of secret-named keys anywhere in a JSON value.
pub fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if is_secret_key(key) && !v.is_null() {
                    *v = serde_json::Value::String(MASK.into());
                } else {
                    redact_json(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

/// Replaces every occurrence of each known secret in free text (bodies, URLs, errors).
/// Secrets shorter than 4 characters are skipped: masking them would garble ordinary text.
pub fn redact_text(text: &str, secrets: &[&str]) -> String {
    secrets
        .iter()
        .filter(|s| s.len() >= 4)
        .fold(text.to_string(), |acc, s| acc.replace(s, MASK))
}

/// Redacts `key=value` pairs of a form-encoded body whose key names a secret.
pub fn redact_form(body: &str) -> String {
    body.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if is_secret_key(k) => format!("{k}={MASK}"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secret_keys_are_masked_at_any_depth() {
        let mut v = json!({"params": {"args": ["db", "admin", {"password": "hunter22"}]},
                           "access_token": "abc", "name": "ok", "Authorization": "Bearer x"});
        redact_json(&mut v);
        assert_eq!(v["params"]["args"][2]["password"], MASK);
        assert_eq!(v["access_token"], MASK);
        assert_eq!(v["Authorization"], MASK);
        assert_eq!(v["name"], "ok");
    }

    #[test]
    fn known_secret_values_are_masked_in_text() {
        let s = redact_text(
            "<param><string>hunter22</string></param> hunter22",
            &["hunter22", "ab"],
        );
        assert_eq!(s, "<param><string>***</string></param> ***");
    }

    #[test]
    fn form_passwords_are_masked() {
        assert_eq!(
            redact_form("grant_type=password&username=u&password=p%40ss&refresh_token=r"),
            "grant_type=password&username=u&password=***&refresh_token=***"
        );
    }
}
