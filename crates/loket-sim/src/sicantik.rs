//! SICANTIK permit office API imitation (a CodeIgniter REST controller under
//! `/backoffice/api/`): XML by default, JSON on request, query-string or segment paging.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use base64::Engine as _;
use serde_json::{Map, Value};

use crate::data::permits::{generate, InProcess, Permit, PermitData};
use crate::state::Shared;
use crate::text::xml_escape;
use crate::SimConfig;

/// Builds the SICANTIK server's routes with data generated from the seed.
pub(crate) fn router(config: &SimConfig, shared: &Arc<Shared>) -> Router {
    let today = shared.clock.now().date_naive();
    let data = Arc::new(generate(
        config.seed,
        config.permits_issued,
        config.permits_in_process,
        today,
    ));
    Router::new()
        .route("/backoffice/api/{*rest}", any(handle))
        .with_state(data)
}

/// An answer before it is written as XML or JSON.
enum Node {
    Str(String),
    Int(i64),
    Bool(bool),
    Null,
    Obj(Vec<(&'static str, Node)>),
    List(Vec<Node>),
}

impl Node {
    fn s(v: &str) -> Node {
        Node::Str(v.to_string())
    }

    fn to_json(&self) -> Value {
        match self {
            Node::Str(s) => Value::String(s.clone()),
            Node::Int(i) => Value::from(*i),
            Node::Bool(b) => Value::Bool(*b),
            Node::Null => Value::Null,
            Node::Obj(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), v.to_json()))
                    .collect::<Map<String, Value>>(),
            ),
            Node::List(items) => Value::Array(items.iter().map(Node::to_json).collect()),
        }
    }

    /// CodeIgniter REST's XML: list entries are `<item>`, nulls are empty elements.
    fn write_xml(&self, out: &mut String) {
        match self {
            Node::Str(s) => out.push_str(&xml_escape(s)),
            Node::Int(i) => out.push_str(&i.to_string()),
            Node::Bool(b) => out.push_str(if *b { "1" } else { "0" }),
            Node::Null => {}
            Node::Obj(fields) => {
                for (k, v) in fields {
                    out.push('<');
                    out.push_str(k);
                    out.push('>');
                    v.write_xml(out);
                    out.push_str("</");
                    out.push_str(k);
                    out.push('>');
                }
            }
            Node::List(items) => {
                for item in items {
                    out.push_str("<item>");
                    item.write_xml(out);
                    out.push_str("</item>");
                }
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Xml,
    Json,
}

fn render(status: StatusCode, node: &Node, format: Format) -> Response {
    match format {
        Format::Json => (
            status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            node.to_json().to_string(),
        )
            .into_response(),
        Format::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<xml>");
            node.write_xml(&mut out);
            out.push_str("</xml>\n");
            (
                status,
                [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
                out,
            )
                .into_response()
        }
    }
}

fn error(status: StatusCode, message: &str, format: Format) -> Response {
    render(
        status,
        &Node::Obj(vec![
            ("status", Node::Bool(false)),
            ("error", Node::s(message)),
        ]),
        format,
    )
}

/// The request's parameters from path segments and the query string.
struct Params {
    endpoint: String,
    pairs: Vec<(String, String)>,
    format: Format,
}

impl Params {
    fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }
}

fn parse_params(rest: &str, query: Vec<(String, String)>, headers: &HeaderMap) -> Params {
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let first = segments.first().copied().unwrap_or_default();
    let mut format = None;
    let endpoint = match first.rsplit_once('.') {
        Some((name, "json")) => {
            format = Some(Format::Json);
            name
        }
        Some((name, "xml")) => {
            format = Some(Format::Xml);
            name
        }
        _ => first,
    }
    .to_ascii_lowercase();

    let mut pairs = Vec::new();
    let mut rest_segments = segments.get(1..).unwrap_or_default();
    // A trailing `format/<x>` pair belongs to the REST library, not to the parameters.
    if rest_segments.len() >= 2 {
        let n = rest_segments.len();
        if rest_segments
            .get(n - 2)
            .is_some_and(|k| k.eq_ignore_ascii_case("format"))
        {
            let f = rest_segments.get(n - 1).copied().unwrap_or_default();
            pairs.push(("format".to_string(), f.to_string()));
            rest_segments = rest_segments.get(..n - 2).unwrap_or_default();
        }
    }
    let mut i = 0;
    while i < rest_segments.len() {
        let key = rest_segments.get(i).copied().unwrap_or_default();
        if key.eq_ignore_ascii_case("no_izin") {
            // Base64 may hold slashes: the value is everything that follows.
            let value = rest_segments.get(i + 1..).unwrap_or_default().join("/");
            pairs.push((key.to_string(), value));
            break;
        }
        let value = rest_segments.get(i + 1).copied().unwrap_or_default();
        pairs.push((key.to_string(), value.to_string()));
        i += 2;
    }
    pairs.extend(query);

    let params = Params {
        endpoint,
        pairs,
        format: Format::Xml,
    };
    let format = match params.get("format") {
        Some(f) if f.eq_ignore_ascii_case("json") => Format::Json,
        Some(f) if f.eq_ignore_ascii_case("xml") => Format::Xml,
        _ => format.unwrap_or_else(|| {
            let accept = headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_ascii_lowercase();
            if accept.contains("application/json") && !accept.starts_with("application/xml") {
                Format::Json
            } else {
                Format::Xml
            }
        }),
    };
    Params { format, ..params }
}

async fn handle(
    State(data): State<Arc<PermitData>>,
    method: Method,
    headers: HeaderMap,
    Path(rest): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let query: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let p = parse_params(&rest, query, &headers);
    if method != Method::GET && method != Method::HEAD {
        return error(StatusCode::METHOD_NOT_ALLOWED, "Unknown method", p.format);
    }
    match p.endpoint.as_str() {
        "jumlahperizinan" => {
            let terbit = data.issued.len() as i64;
            let proses = data.in_process.len() as i64;
            let node = Node::Obj(vec![
                // The office's PHP hands some counts over as strings.
                ("total", Node::Str((terbit + proses).to_string())),
                ("terbit", Node::Int(terbit)),
                ("proses", Node::Str(proses.to_string())),
            ]);
            render(StatusCode::OK, &node, p.format)
        }
        "jenisperizinanlist" => {
            let items = data
                .types
                .iter()
                .map(|t| {
                    let id = if t.id % 3 == 0 {
                        Node::Str(t.id.to_string())
                    } else {
                        Node::Int(i64::from(t.id))
                    };
                    Node::Obj(vec![
                        ("id", id),
                        ("n_perizinan", Node::s(t.name)),
                        ("c_perizinan", Node::s(&t.code)),
                    ])
                })
                .collect();
            render(StatusCode::OK, &Node::List(items), p.format)
        }
        "listpermohonanterbit" => match page(&p, &data.issued) {
            Ok(rows) => render(
                StatusCode::OK,
                &Node::List(rows.iter().map(issued_summary).collect()),
                p.format,
            ),
            Err(resp) => *resp,
        },
        "listpermohonanproses" => match page(&p, &data.in_process) {
            Ok(rows) => render(
                StatusCode::OK,
                &Node::List(rows.iter().map(in_process_row).collect()),
                p.format,
            ),
            Err(resp) => *resp,
        },
        "cekperizinan" => cek_perizinan(&data, &p),
        _ => error(StatusCode::NOT_FOUND, "Unknown method", p.format),
    }
}

fn parse_count(p: &Params, key: &str) -> Result<Option<usize>, Box<Response>> {
    match p.get(key) {
        None | Some("") => Ok(None),
        Some(v) => v.trim().parse::<usize>().map(Some).map_err(|_| {
            Box::new(error(
                StatusCode::BAD_REQUEST,
                &format!("Parameter {key} harus berupa angka"),
                p.format,
            ))
        }),
    }
}

fn page<'a, T>(p: &Params, rows: &'a [T]) -> Result<&'a [T], Box<Response>> {
    let limit = parse_count(p, "limit")?;
    let offset = parse_count(p, "offset")?.unwrap_or(0);
    let start = offset.min(rows.len());
    let end = match limit {
        Some(l) => start.saturating_add(l).min(rows.len()),
        None => rows.len(),
    };
    Ok(rows.get(start..end).unwrap_or_default())
}

fn issued_summary(r: &Permit) -> Node {
    Node::Obj(vec![
        ("pendaftaran_id", Node::s(&r.pendaftaran_id)),
        ("n_pemohon", Node::s(&r.n_pemohon)),
        ("n_perizinan", Node::s(&r.n_perizinan)),
        ("no_surat", Node::s(&r.no_surat)),
        ("d_terima_berkas", Node::s(&r.d_terima_berkas)),
    ])
}

fn in_process_row(r: &InProcess) -> Node {
    Node::Obj(vec![
        ("pendaftaran_id", Node::s(&r.pendaftaran_id)),
        ("n_pemohon", Node::s(&r.n_pemohon)),
        ("n_perizinan", Node::s(&r.n_perizinan)),
        ("status", Node::s(&r.status)),
        ("d_terima_berkas", Node::s(&r.d_terima_berkas)),
    ])
}

fn full_record(r: &Permit) -> Node {
    Node::Obj(vec![
        ("pendaftaran_id", Node::s(&r.pendaftaran_id)),
        ("n_pemohon", Node::s(&r.n_pemohon)),
        ("n_perizinan", Node::s(&r.n_perizinan)),
        ("no_surat", Node::s(&r.no_surat)),
        ("d_terima_berkas", Node::s(&r.d_terima_berkas)),
        ("tgl_surat", Node::s(&r.tgl_surat)),
        ("d_berlaku_izin", Node::s(&r.d_berlaku_izin)),
        ("a_pemohon", Node::s(&r.a_pemohon)),
        ("telp_pemohon", Node::s(&r.telp_pemohon)),
        ("n_perusahaan", Node::s(&r.n_perusahaan)),
        ("npwp", r.npwp.as_deref().map_or(Node::Null, Node::s)),
        ("a_perusahaan", Node::s(&r.a_perusahaan)),
        ("d_tgl_berdiri", Node::s(&r.d_tgl_berdiri)),
        ("i_telp_perusahaan", Node::s(&r.i_telp_perusahaan)),
        ("n_kelurahan", Node::s(&r.n_kelurahan)),
        ("n_kecamatan", Node::s(&r.n_kecamatan)),
        ("n_kabupaten", Node::s(&r.n_kabupaten)),
        ("n_propinsi", Node::s(&r.n_propinsi)),
    ])
}

/// Decodes `no_izin`: standard base64, tolerant of a `+` that arrived as a blank, of
/// missing padding and of the URL-safe alphabet (PHP's `base64_decode` is that lenient).
fn decode_no_izin(raw: &str) -> Option<String> {
    let cleaned: String = raw
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '+',
            '_' => '/',
            c => c,
        })
        .filter(|c| *c != '=')
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(cleaned.as_bytes())
        .ok()?;
    String::from_utf8(bytes).ok()
}

fn cek_perizinan(data: &PermitData, p: &Params) -> Response {
    let Some(raw) = p.get("no_izin").filter(|v| !v.trim().is_empty()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "Parameter no_izin wajib diisi",
            p.format,
        );
    };
    let Some(no_surat) = decode_no_izin(raw) else {
        return error(
            StatusCode::BAD_REQUEST,
            "Parameter no_izin bukan base64 yang valid",
            p.format,
        );
    };
    match data.by_no_surat(no_surat.trim()) {
        Some(r) if r.as_array => {
            render(StatusCode::OK, &Node::List(vec![full_record(r)]), p.format)
        }
        Some(r) => render(StatusCode::OK, &full_record(r), p.format),
        None => error(
            StatusCode::NOT_FOUND,
            "Data perizinan tidak ditemukan",
            p.format,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_style_parameters() {
        let p = parse_params(
            "listpermohonanterbit/limit/50/offset/100/format/json",
            vec![],
            &HeaderMap::new(),
        );
        assert_eq!(p.endpoint, "listpermohonanterbit");
        assert_eq!(p.get("limit"), Some("50"));
        assert_eq!(p.get("offset"), Some("100"));
        assert!(p.format == Format::Json);
    }

    #[test]
    fn no_izin_segment_keeps_slashes() {
        let p = parse_params("cekperizinan/no_izin/ab/cd==", vec![], &HeaderMap::new());
        assert_eq!(p.get("no_izin"), Some("ab/cd=="));
        assert!(p.format == Format::Xml);
    }

    #[test]
    fn lenient_base64() {
        let enc = base64::engine::general_purpose::STANDARD.encode("503.1/0001/X/01/2020/KK>?");
        assert_eq!(
            decode_no_izin(&enc.replace('+', " ")).as_deref(),
            Some("503.1/0001/X/01/2020/KK>?")
        );
        assert_eq!(decode_no_izin("!!!"), None);
    }
}
