//! Flat records out of the permit office's replies: XML (`<xml><item>…</item></xml>`, the
//! default) or JSON (an array, a single object, or an object wrapping an array). Values are
//! kept as text; typed readers below tolerate the API's quirks.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::xml_tree::{self, Node};

/// One record: field name → text value (empty values are left out).
pub type Record = BTreeMap<String, String>;

/// Why a reply could not be read as records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordsError {
    #[error("the reply is empty")]
    Empty,
    #[error("the reply is not well-formed XML: {0}")]
    Xml(String),
    #[error("the reply is not valid JSON: {0}")]
    Json(String),
    #[error("the reply holds no records where records were expected")]
    Shape,
}

/// Parses XML or JSON, decided by the first non-blank character.
pub fn parse_records(body: &[u8]) -> Result<Vec<Record>, RecordsError> {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    match trimmed.chars().next() {
        None => Err(RecordsError::Empty),
        Some('<') => parse_xml(trimmed),
        Some(_) => parse_json(trimmed),
    }
}

fn parse_xml(text: &str) -> Result<Vec<Record>, RecordsError> {
    let root = xml_tree::parse(text).map_err(RecordsError::Xml)?;
    Ok(records_of(root))
}

/// A node whose children all have children is a list of records; otherwise it is one record.
fn records_of(node: Node) -> Vec<Record> {
    if node.children.is_empty() {
        return Vec::new();
    }
    if node.children.iter().all(|c| !c.children.is_empty()) {
        // A single wrapper (e.g. <xml><data><item>…) is looked through.
        if node.children.len() == 1
            && node.children[0]
                .children
                .iter()
                .all(|g| !g.children.is_empty())
        {
            return node.children.into_iter().flat_map(records_of).collect();
        }
        return node.children.into_iter().map(record_of).collect();
    }
    vec![record_of(node)]
}

fn record_of(node: Node) -> Record {
    node.children
        .into_iter()
        .filter_map(|c| {
            let v = c.text.trim().to_string();
            (!v.is_empty()).then_some((c.name, v))
        })
        .collect()
}

fn parse_json(text: &str) -> Result<Vec<Record>, RecordsError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| RecordsError::Json(e.to_string()))?;
    json_records(value)
}

fn json_records(value: serde_json::Value) -> Result<Vec<Record>, RecordsError> {
    use serde_json::Value;
    match value {
        Value::Array(items) => Ok(items
            .into_iter()
            .filter_map(|i| match i {
                Value::Object(map) => Some(json_record(map)),
                _ => None,
            })
            .collect()),
        Value::Object(mut map) => {
            for key in ["data", "result", "items", "item"] {
                if let Some(inner @ (Value::Array(_) | Value::Object(_))) = map.remove(key) {
                    return json_records(inner);
                }
            }
            Ok(vec![json_record(map)])
        }
        Value::Null => Ok(Vec::new()),
        _ => Err(RecordsError::Shape),
    }
}

fn json_record(map: serde_json::Map<String, serde_json::Value>) -> Record {
    use serde_json::Value;
    map.into_iter()
        .filter_map(|(k, v)| {
            let text = match v {
                Value::Null => return None,
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                other => other.to_string(),
            };
            (!text.is_empty()).then_some((k, text))
        })
        .collect()
}

/// A text field, trimmed, `None` when absent or blank.
pub fn text(record: &Record, key: &str) -> Option<String> {
    record
        .get(key)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// A date field; `0000-00-00`, blanks and unreadable values are unknown.
pub fn date(record: &Record, key: &str) -> Option<NaiveDate> {
    let v = text(record, key)?;
    let day = v.get(..10).unwrap_or(&v);
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// A whole number, also when sent as a string or as "12.0".
pub fn number(record: &Record, key: &str) -> Option<i64> {
    let v = text(record, key)?;
    v.parse::<i64>().ok().or_else(|| {
        v.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(|f| f as i64)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn xml_items_become_records() {
        let xml = br#"<?xml version="1.0" encoding="utf-8"?>
            <xml><item><id>1</id><n_perizinan>IZIN APOTEK</n_perizinan></item>
                 <item><id>2</id><n_perizinan>IZIN  PRAKTEK &amp; DOKTER</n_perizinan><c_perizinan/></item></xml>"#;
        let r = parse_records(xml).unwrap_or_default();
        assert_eq!(r.len(), 2);
        assert_eq!(
            text(&r[1], "n_perizinan").as_deref(),
            Some("IZIN  PRAKTEK & DOKTER")
        );
        assert_eq!(text(&r[1], "c_perizinan"), None);
    }

    #[test]
    fn a_single_xml_object_is_one_record() {
        let r =
            parse_records(b"<xml><total>10</total><terbit>7</terbit></xml>").unwrap_or_default();
        assert_eq!(r.len(), 1);
        assert_eq!(number(&r[0], "terbit"), Some(7));
    }

    #[test]
    fn json_arrays_objects_and_wrappers() {
        let a = parse_records(br#"[{"id": 5, "name": " x "}, 3]"#).unwrap_or_default();
        assert_eq!(a.len(), 1);
        assert_eq!(text(&a[0], "id").as_deref(), Some("5"));
        assert_eq!(text(&a[0], "name").as_deref(), Some("x"));
        let o = parse_records(br#"{"total": "12"}"#).unwrap_or_default();
        assert_eq!(number(&o[0], "total"), Some(12));
        let w = parse_records(br#"{"status": true, "data": [{"id": 1}, {"id": 2}]}"#)
            .unwrap_or_default();
        assert_eq!(w.len(), 2);
    }

    #[test]
    fn quirky_dates_are_unknown() {
        let r = parse_records(
            br#"[{"a": "0000-00-00", "b": "", "c": "2024-02-30", "d": "2024-02-29 10:00:00"}]"#,
        )
        .unwrap_or_default();
        assert_eq!(date(&r[0], "a"), None);
        assert_eq!(date(&r[0], "b"), None);
        assert_eq!(date(&r[0], "c"), None);
        assert_eq!(date(&r[0], "d"), NaiveDate::from_ymd_opt(2024, 2, 29));
    }

    #[test]
    fn broken_replies_are_errors_not_panics() {
        assert_eq!(parse_records(b"  "), Err(RecordsError::Empty));
        assert!(matches!(
            parse_records(b"<xml><item><id>1</id>"),
            Err(RecordsError::Xml(_))
        ));
        assert!(matches!(
            parse_records(b"[{\"id\": 1"),
            Err(RecordsError::Json(_))
        ));
        assert_eq!(parse_records(b"42"), Err(RecordsError::Shape));
    }

    proptest! {
        #[test]
        fn no_input_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_records(&bytes);
        }

        #[test]
        fn no_xml_like_input_panics(s in "<[a-z]{0,3}>(<[a-z]{1,3}>[a-z0-9 &;]{0,5}(</[a-z]{1,3}>)?){0,6}(</[a-z]{0,3}>)?") {
            let _ = parse_records(s.as_bytes());
        }
    }
}
