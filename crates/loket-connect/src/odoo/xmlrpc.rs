//! XML-RPC values to and from JSON values, as Odoo's `/xmlrpc/2` endpoints speak them.

use base64::Engine;
use serde_json::{Map, Number, Value};

use crate::xml_tree::{self, Node};

/// A `<methodCall>` document. `null` is sent as `false`: Odoo's XML-RPC refuses `<nil/>`.
pub fn method_call(method: &str, params: &[Value]) -> String {
    let mut out = String::with_capacity(256);
    out.push_str("<?xml version=\"1.0\"?><methodCall><methodName>");
    out.push_str(&escape(method));
    out.push_str("</methodName><params>");
    for p in params {
        out.push_str("<param>");
        write_value(&mut out, p);
        out.push_str("</param>");
    }
    out.push_str("</params></methodCall>");
    out
}

fn write_value(out: &mut String, value: &Value) {
    out.push_str("<value>");
    match value {
        Value::Null => out.push_str("<boolean>0</boolean>"),
        Value::Bool(b) => out.push_str(if *b {
            "<boolean>1</boolean>"
        } else {
            "<boolean>0</boolean>"
        }),
        Value::Number(n) => match n.as_i64() {
            Some(i) if i32::try_from(i).is_ok() => out.push_str(&format!("<int>{i}</int>")),
            Some(i) => out.push_str(&format!("<i8>{i}</i8>")),
            None => out.push_str(&format!("<double>{}</double>", n.as_f64().unwrap_or(0.0))),
        },
        Value::String(s) => {
            out.push_str("<string>");
            out.push_str(&escape(s));
            out.push_str("</string>");
        }
        Value::Array(items) => {
            out.push_str("<array><data>");
            items.iter().for_each(|i| write_value(out, i));
            out.push_str("</data></array>");
        }
        Value::Object(map) => {
            out.push_str("<struct>");
            for (k, v) in map {
                out.push_str("<member><name>");
                out.push_str(&escape(k));
                out.push_str("</name>");
                write_value(out, v);
                out.push_str("</member>");
            }
            out.push_str("</struct>");
        }
    }
    out.push_str("</value>");
}

fn escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// The outcome of a `<methodResponse>`.
#[derive(Debug, Clone, PartialEq)]
pub enum MethodResponse {
    Value(Value),
    Fault { code: i64, message: String },
}

/// Reads a `<methodResponse>`.
pub fn parse_response(text: &str) -> Result<MethodResponse, String> {
    let root = xml_tree::parse(text)?;
    if root.name != "methodResponse" {
        return Err(format!("expected methodResponse, found {}", root.name));
    }
    if let Some(fault) = root.child("fault") {
        let value = fault
            .child("value")
            .map(read_value)
            .transpose()?
            .unwrap_or(Value::Null);
        let code = value.get("faultCode").and_then(Value::as_i64).unwrap_or(0);
        let message = value
            .get("faultString")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        return Ok(MethodResponse::Fault { code, message });
    }
    let value = root
        .child("params")
        .and_then(|p| p.child("param"))
        .and_then(|p| p.child("value"))
        .ok_or("methodResponse without a value")?;
    read_value(value).map(MethodResponse::Value)
}

fn read_value(value: &Node) -> Result<Value, String> {
    let Some(typed) = value.children.first() else {
        return Ok(Value::String(value.text.clone()));
    };
    let text = typed.text.trim();
    Ok(match typed.name.as_str() {
        "int" | "i4" | "i8" => Value::Number(
            text.parse::<i64>()
                .map_err(|_| format!("bad integer {text:?}"))?
                .into(),
        ),
        "boolean" => Value::Bool(text == "1"),
        "double" => {
            let f: f64 = text.parse().map_err(|_| format!("bad double {text:?}"))?;
            Number::from_f64(f)
                .map(Value::Number)
                .unwrap_or(Value::Null)
        }
        "string" => Value::String(typed.text.clone()),
        "dateTime.iso8601" => Value::String(text.to_string()),
        "base64" => Value::String(
            String::from_utf8_lossy(
                &base64::engine::general_purpose::STANDARD
                    .decode(text.split_whitespace().collect::<String>())
                    .map_err(|e| e.to_string())?,
            )
            .into_owned(),
        ),
        "nil" => Value::Null,
        "array" => Value::Array(
            typed
                .child("data")
                .map(|d| {
                    d.children
                        .iter()
                        .map(read_value)
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose()?
                .unwrap_or_default(),
        ),
        "struct" => {
            let mut map = Map::new();
            for member in typed.children.iter().filter(|m| m.name == "member") {
                let name = member
                    .child("name")
                    .map(|n| n.text.clone())
                    .unwrap_or_default();
                let v = member
                    .child("value")
                    .map(read_value)
                    .transpose()?
                    .unwrap_or(Value::Null);
                map.insert(name, v);
            }
            Value::Object(map)
        }
        other => return Err(format!("unknown XML-RPC type {other}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_call_encodes_every_type_and_never_nil() {
        let xml = method_call(
            "execute_kw",
            &[
                json!("db"),
                json!(2),
                json!(null),
                json!([1.5, true]),
                json!({"a<b": "x&y"}),
            ],
        );
        assert!(xml.contains("<string>db</string>"));
        assert!(xml.contains("<int>2</int>"));
        assert!(xml.contains("<value><boolean>0</boolean></value>"));
        assert!(xml.contains("<double>1.5</double>"));
        assert!(xml.contains("<name>a&lt;b</name>"));
        assert!(xml.contains("x&amp;y"));
        assert!(!xml.contains("nil"));
    }

    #[test]
    fn responses_and_faults_decode() {
        let ok = r#"<?xml version='1.0'?><methodResponse><params><param><value><array><data>
            <value><struct><member><name>id</name><value><int>7</int></value></member>
            <member><name>parent_id</name><value><array><data><value><int>3</int></value>
            <value><string>Acme</string></value></data></array></value></member>
            <member><name>email</name><value><boolean>0</boolean></value></member>
            <member><name>ref</name><value>plain</value></member></struct></value>
            </data></array></value></param></params></methodResponse>"#;
        assert_eq!(
            parse_response(ok),
            Ok(MethodResponse::Value(
                json!([{"id": 7, "parent_id": [3, "Acme"], "email": false, "ref": "plain"}])
            ))
        );
        let fault = r#"<methodResponse><fault><value><struct>
            <member><name>faultCode</name><value><int>3</int></value></member>
            <member><name>faultString</name><value><string>Access Denied</string></value></member>
            </struct></value></fault></methodResponse>"#;
        assert_eq!(
            parse_response(fault),
            Ok(MethodResponse::Fault {
                code: 3,
                message: "Access Denied".into()
            })
        );
        assert!(parse_response("<methodResponse><params>").is_err());
        assert!(parse_response("<html/>").is_err());
    }
}
