//! XML-RPC transport (`/xmlrpc/2/common`, `/xmlrpc/2/object`, `/xmlrpc/2/db`):
//! request parsing with roxmltree, typed response writing, integer fault codes.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde_json::{Map, Value};

use super::error::OdooError;
use super::OdooState;
use crate::text::xml_escape;

/// Reads `<methodCall>`: the method name and the parameters.
pub(crate) fn parse_call(body: &str) -> Result<(String, Vec<Value>), String> {
    let doc = roxmltree::Document::parse(body).map_err(|e| format!("not well-formed XML: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "methodCall" {
        return Err(format!(
            "expected <methodCall>, got <{}>",
            root.tag_name().name()
        ));
    }
    let name = root
        .children()
        .find(|n| n.has_tag_name("methodName"))
        .and_then(|n| n.text())
        .map(|t| t.trim().to_string())
        .ok_or("missing <methodName>")?;
    let mut params = Vec::new();
    if let Some(ps) = root.children().find(|n| n.has_tag_name("params")) {
        for p in ps.children().filter(|n| n.has_tag_name("param")) {
            let v = p
                .children()
                .find(|n| n.has_tag_name("value"))
                .ok_or("<param> without <value>")?;
            params.push(parse_value(v)?);
        }
    }
    Ok((name, params))
}

fn text_of(n: roxmltree::Node) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect()
}

fn parse_value(v: roxmltree::Node) -> Result<Value, String> {
    let Some(typed) = v.children().find(roxmltree::Node::is_element) else {
        // A bare <value>text</value> is a string.
        return Ok(Value::String(text_of(v)));
    };
    let text = || text_of(typed);
    Ok(match typed.tag_name().name() {
        "int" | "i4" | "i8" => Value::from(
            text()
                .trim()
                .parse::<i64>()
                .map_err(|_| format!("bad integer {:?}", text()))?,
        ),
        "boolean" => match text().trim() {
            "1" => Value::Bool(true),
            "0" => Value::Bool(false),
            other => return Err(format!("bad boolean {other:?}")),
        },
        "string" => Value::String(text()),
        "double" => {
            let f: f64 = text()
                .trim()
                .parse()
                .map_err(|_| format!("bad double {:?}", text()))?;
            serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
        }
        "dateTime.iso8601" => Value::String(text().trim().to_string()),
        "base64" => {
            let raw: String = text().split_whitespace().collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(raw.as_bytes())
                .map_err(|e| format!("bad base64: {e}"))?;
            Value::String(String::from_utf8_lossy(&bytes).into_owned())
        }
        "nil" => Value::Null,
        "array" => {
            let data = typed
                .children()
                .find(|n| n.has_tag_name("data"))
                .ok_or("<array> without <data>")?;
            Value::Array(
                data.children()
                    .filter(|n| n.has_tag_name("value"))
                    .map(parse_value)
                    .collect::<Result<_, _>>()?,
            )
        }
        "struct" => {
            let mut m = Map::new();
            for member in typed.children().filter(|n| n.has_tag_name("member")) {
                let name = member
                    .children()
                    .find(|n| n.has_tag_name("name"))
                    .map(text_of)
                    .ok_or("<member> without <name>")?;
                let value = member
                    .children()
                    .find(|n| n.has_tag_name("value"))
                    .ok_or("<member> without <value>")?;
                m.insert(name, parse_value(value)?);
            }
            Value::Object(m)
        }
        other => return Err(format!("unknown XML-RPC type <{other}>")),
    })
}

/// Writes one value; `null` goes out as `false` (Odoo never sends nil).
fn write_value(v: &Value, out: &mut String) {
    out.push_str("<value>");
    match v {
        Value::Null | Value::Bool(false) => out.push_str("<boolean>0</boolean>"),
        Value::Bool(true) => out.push_str("<boolean>1</boolean>"),
        Value::Number(n) => match n.as_i64() {
            Some(i) if i32::try_from(i).is_ok() => {
                out.push_str("<int>");
                out.push_str(&i.to_string());
                out.push_str("</int>");
            }
            _ => {
                out.push_str("<double>");
                out.push_str(&n.as_f64().unwrap_or(0.0).to_string());
                out.push_str("</double>");
            }
        },
        Value::String(s) => {
            out.push_str("<string>");
            out.push_str(&xml_escape(s));
            out.push_str("</string>");
        }
        Value::Array(a) => {
            out.push_str("<array><data>\n");
            for x in a {
                write_value(x, out);
                out.push('\n');
            }
            out.push_str("</data></array>");
        }
        Value::Object(m) => {
            out.push_str("<struct>\n");
            for (k, x) in m {
                out.push_str("<member>\n<name>");
                out.push_str(&xml_escape(k));
                out.push_str("</name>\n");
                write_value(x, out);
                out.push_str("\n</member>\n");
            }
            out.push_str("</struct>");
        }
    }
    out.push_str("</value>");
}

/// A `<methodResponse>` carrying one value.
pub(crate) fn response_xml(v: &Value) -> String {
    let mut out = String::from("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n");
    write_value(v, &mut out);
    out.push_str("\n</param>\n</params>\n</methodResponse>\n");
    out
}

/// A `<methodResponse><fault>`.
pub(crate) fn fault_xml(code: i64, message: &str) -> String {
    let mut fault = Map::new();
    fault.insert("faultCode".into(), Value::from(code));
    fault.insert("faultString".into(), Value::String(message.to_string()));
    let mut out = String::from("<?xml version='1.0'?>\n<methodResponse>\n<fault>\n");
    write_value(&Value::Object(fault), &mut out);
    out.push_str("\n</fault>\n</methodResponse>\n");
    out
}

fn xml_response(body: String) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

/// `POST /xmlrpc/2/{service}`.
pub(crate) async fn handle(
    State(state): State<Arc<OdooState>>,
    Path(service): Path<String>,
    body: Bytes,
) -> Response {
    let text = match std::str::from_utf8(&body) {
        Ok(t) => t,
        Err(_) => {
            return xml_response(fault_xml(
                1,
                &OdooError::value("request body is not UTF-8").traceback(),
            ))
        }
    };
    let (method, params) = match parse_call(text) {
        Ok(call) => call,
        Err(e) => {
            let err = OdooError::new(super::error::Kind::Exception, format!("ExpatError: {e}"));
            return xml_response(fault_xml(1, &err.traceback()));
        }
    };
    let now = state.shared.clock.now();
    match state.server.dispatch(now, &service, &method, &params) {
        Ok(v) => xml_response(response_xml(&v)),
        Err(e) => xml_response(fault_xml(e.fault_code(), &e.fault_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_of_typed_values() {
        let body = "<?xml version='1.0'?><methodCall><methodName>execute_kw</methodName><params>\
            <param><value><string>db</string></value></param>\
            <param><value><int>2</int></value></param>\
            <param><value>pw &amp; more</value></param>\
            <param><value><array><data><value><array><data><value><string>name</string></value>\
            <value><string>ilike</string></value><value><string>PT</string></value></data></array></value></data></array></value></param>\
            <param><value><struct><member><name>limit</name><value><i4>5</i4></value></member>\
            <member><name>flag</name><value><boolean>1</boolean></value></member>\
            <member><name>ratio</name><value><double>1.5</double></value></member></struct></value></param>\
            </params></methodCall>";
        let (name, params) = parse_call(body).unwrap_or_default();
        assert_eq!(name, "execute_kw");
        assert_eq!(params.len(), 5);
        assert_eq!(params[2], Value::String("pw & more".into()));
        assert_eq!(params[4]["limit"], Value::from(5));
        assert_eq!(params[4]["flag"], Value::Bool(true));
        let out = response_xml(&params[4]);
        assert!(out.contains("<int>5</int>") && out.contains("<double>1.5</double>"));
        assert!(parse_call("<methodCall>").is_err());
    }
}
