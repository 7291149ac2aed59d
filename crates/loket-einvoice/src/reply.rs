//! Hacienda's answers: the status JSON of `GET recepcion/{clave}` (or the callback) and the
//! MensajeHacienda inside it, with the error lines of a rejection.
//!
//! Every parser here takes untrusted input and returns an error instead of panicking.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine as _;
use quick_xml::events::Event;
use quick_xml::Reader;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Why a reply could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplyError {
    /// Not JSON, or not a JSON object.
    #[error("Hacienda's reply is not the expected JSON object: {0}")]
    NotJson(String),
    /// A required field is absent.
    #[error("Hacienda's reply has no \"{0}\" field.")]
    Missing(&'static str),
    /// `respuesta-xml` is not base64.
    #[error("Hacienda's response XML is not valid base64.")]
    Base64,
    /// The decoded message is not readable XML.
    #[error("Hacienda's response message cannot be read: {0}")]
    Xml(String),
    /// The XML is another kind of document.
    #[error("Expected a MensajeHacienda, found <{0}>.")]
    NotMensajeHacienda(String),
}

/// Processing state reported by Hacienda (`ind-estado`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Received, not processed yet.
    Recibido,
    /// Being processed.
    Procesando,
    /// Accepted.
    Aceptado,
    /// Rejected.
    Rechazado,
    /// Hacienda failed to process it.
    Error,
    /// A state this version does not know, as sent.
    Unknown(String),
}

impl State {
    /// Reads a state in any letter case.
    pub fn parse(s: &str) -> Self {
        match s.trim().to_lowercase().as_str() {
            "recibido" => State::Recibido,
            "procesando" => State::Procesando,
            "aceptado" => State::Aceptado,
            "rechazado" => State::Rechazado,
            "error" => State::Error,
            _ => State::Unknown(s.to_string()),
        }
    }

    /// Whether Hacienda has finished with the document (accepted, rejected or error).
    pub fn is_final(&self) -> bool {
        matches!(self, State::Aceptado | State::Rechazado | State::Error)
    }
}

/// The status JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusReply {
    /// The document's clave.
    pub clave: String,
    /// `fecha` as sent, if any.
    pub date: Option<String>,
    /// `ind-estado`.
    pub state: State,
    /// `respuesta-xml` as sent (base64), if any.
    pub response_xml_base64: Option<String>,
}

fn normalize_key(k: &str) -> String {
    k.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Parses the status JSON, accepting `ind-estado` / `indEstado` / `IND_ESTADO` and the like.
pub fn parse_status_reply(json: &str) -> Result<StatusReply, ReplyError> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| ReplyError::NotJson(e.to_string()))?;
    let object = value
        .as_object()
        .ok_or_else(|| ReplyError::NotJson("not an object".into()))?;
    let field = |name: &str| {
        object
            .iter()
            .find(|(k, _)| normalize_key(k) == name)
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
            .map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
    };
    let clave = field("clave").ok_or(ReplyError::Missing("clave"))?;
    let state = field("indestado").ok_or(ReplyError::Missing("ind-estado"))?;
    Ok(StatusReply {
        clave,
        date: field("fecha"),
        state: State::parse(&state),
        response_xml_base64: field("respuestaxml").filter(|s| !s.trim().is_empty()),
    })
}

impl StatusReply {
    /// The decoded response XML, when the reply carries one.
    pub fn response_xml(&self) -> Result<Option<String>, ReplyError> {
        self.response_xml_base64
            .as_deref()
            .map(decode_base64_text)
            .transpose()
    }

    /// The decoded and parsed MensajeHacienda, when the reply carries one.
    pub fn message(&self) -> Result<Option<HaciendaMessage>, ReplyError> {
        self.response_xml()?
            .map(|xml| parse_mensaje_hacienda(&xml))
            .transpose()
    }
}

/// Decodes base64 (line breaks and missing padding tolerated) into UTF-8 text.
pub fn decode_base64_text(b64: &str) -> Result<String, ReplyError> {
    let cleaned: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = STANDARD
        .decode(&cleaned)
        .or_else(|_| STANDARD_NO_PAD.decode(cleaned.trim_end_matches('=')))
        .map_err(|_| ReplyError::Base64)?;
    let text = String::from_utf8(bytes).map_err(|_| ReplyError::Xml("not UTF-8 text".into()))?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// Verdict in a MensajeHacienda (`Mensaje`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 1: accepted.
    Accepted,
    /// 2: partially accepted (receiver messages only).
    PartiallyAccepted,
    /// 3: rejected.
    Rejected,
}

impl Verdict {
    /// The number Hacienda uses.
    pub fn code(self) -> u8 {
        match self {
            Verdict::Accepted => 1,
            Verdict::PartiallyAccepted => 2,
            Verdict::Rejected => 3,
        }
    }
}

/// One error from the detail of a rejection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HaciendaErrorLine {
    /// Error code (negative numbers in practice).
    pub code: i64,
    /// Hacienda's message.
    pub message: String,
    /// Row, when given.
    pub row: Option<i64>,
    /// Column, when given.
    pub column: Option<i64>,
}

/// A parsed MensajeHacienda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HaciendaMessage {
    /// Clave of the document the message is about.
    pub clave: String,
    /// Issuer's name.
    pub issuer_name: Option<String>,
    /// Issuer's id type code.
    pub issuer_id_type: Option<String>,
    /// Issuer's id number.
    pub issuer_id: Option<String>,
    /// Receiver's name.
    pub receiver_name: Option<String>,
    /// Receiver's id type code.
    pub receiver_id_type: Option<String>,
    /// Receiver's id number.
    pub receiver_id: Option<String>,
    /// The verdict.
    pub verdict: Verdict,
    /// `EstadoMensaje` as sent ("Aceptado", "Rechazado"), if any.
    pub state_text: Option<String>,
    /// `DetalleMensaje`: Hacienda's explanation.
    pub detail: String,
    /// `MontoTotalImpuesto`.
    pub total_tax: Option<Decimal>,
    /// `TotalFactura`.
    pub total: Option<Decimal>,
    /// The error lines found in the detail.
    pub errors: Vec<HaciendaErrorLine>,
}

/// Parses a MensajeHacienda (decoded XML text).
pub fn parse_mensaje_hacienda(xml: &str) -> Result<HaciendaMessage, ReplyError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    let mut depth = 0usize;
    let mut current: Option<String> = None;
    let mut text = String::new();
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut root_seen = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| ReplyError::Xml(e.to_string()))?;
        match event {
            Event::Start(e) => {
                let local = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if depth == 0 {
                    if root_seen {
                        return Err(ReplyError::Xml("more than one root element".into()));
                    }
                    if local != "MensajeHacienda" {
                        return Err(ReplyError::NotMensajeHacienda(local));
                    }
                    root_seen = true;
                } else if depth == 1 {
                    current = Some(local);
                    text.clear();
                }
                depth += 1;
            }
            Event::Empty(e) => {
                let local = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if depth == 0 {
                    return Err(ReplyError::NotMensajeHacienda(local));
                }
                if depth == 1 {
                    fields.push((local, String::new()));
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    if let Some(name) = current.take() {
                        fields.push((name, std::mem::take(&mut text)));
                    }
                }
            }
            Event::Text(t) if depth == 2 && current.is_some() => {
                let s = t.unescape().map_err(|e| ReplyError::Xml(e.to_string()))?;
                text.push_str(&s);
            }
            Event::CData(c) if depth == 2 && current.is_some() => {
                text.push_str(&String::from_utf8_lossy(&c));
            }
            Event::DocType(_) => {
                return Err(ReplyError::Xml("a DTD is not expected here".into()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !root_seen {
        return Err(ReplyError::Xml("there is no root element".into()));
    }
    if depth != 0 {
        return Err(ReplyError::Xml(
            "the message ends before it is complete".into(),
        ));
    }
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
    };
    let decimal = |name: &str| get(name).and_then(|v| v.parse::<Decimal>().ok());
    let clave = get("Clave").ok_or(ReplyError::Missing("Clave"))?;
    let verdict = match get("Mensaje").as_deref() {
        Some("1") => Verdict::Accepted,
        Some("2") => Verdict::PartiallyAccepted,
        Some("3") => Verdict::Rejected,
        Some(other) => {
            return Err(ReplyError::Xml(format!(
                "Mensaje must be 1, 2 or 3, not \"{}\"",
                other.chars().take(20).collect::<String>()
            )))
        }
        None => return Err(ReplyError::Missing("Mensaje")),
    };
    let detail = fields
        .iter()
        .find(|(k, _)| k == "DetalleMensaje")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    Ok(HaciendaMessage {
        clave,
        issuer_name: get("NombreEmisor"),
        issuer_id_type: get("TipoIdentificacionEmisor"),
        issuer_id: get("NumeroCedulaEmisor"),
        receiver_name: get("NombreReceptor"),
        receiver_id_type: get("TipoIdentificacionReceptor"),
        receiver_id: get("NumeroCedulaReceptor"),
        verdict,
        state_text: get("EstadoMensaje"),
        errors: parse_error_lines(&detail),
        detail,
        total_tax: decimal("MontoTotalImpuesto"),
        total: decimal("TotalFactura"),
    })
}

/// Decodes a base64 MensajeHacienda and parses it.
pub fn decode_mensaje_hacienda(b64: &str) -> Result<HaciendaMessage, ReplyError> {
    parse_mensaje_hacienda(&decode_base64_text(b64)?)
}

/// Whether a line starts a new error entry: optional sign, digits, then a comma.
fn starts_entry(line: &str) -> bool {
    let t = line.trim_start();
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && t[digits..].trim_start().starts_with(',')
}

/// Parses one entry `code, "message", row, column`.
fn parse_entry(entry: &str) -> Option<HaciendaErrorLine> {
    let entry = entry.trim().trim_end_matches(']').trim_end();
    let (code, rest) = entry.split_once(',')?;
    let code: i64 = code.trim().parse().ok()?;
    // Row and column are the last two comma-separated numbers, when present.
    let mut message = rest.trim();
    let mut row = None;
    let mut column = None;
    if let Some((before, last)) = message.rsplit_once(',') {
        if let Ok(c) = last.trim().parse::<i64>() {
            if let Some((before2, second)) = before.rsplit_once(',') {
                if let Ok(r) = second.trim().parse::<i64>() {
                    row = Some(r);
                    column = Some(c);
                    message = before2.trim();
                }
            }
        }
    }
    let message = message
        .strip_prefix('"')
        .and_then(|m| m.strip_suffix('"'))
        .unwrap_or(message)
        .trim()
        .to_string();
    Some(HaciendaErrorLine {
        code,
        message,
        row,
        column,
    })
}

/// Byte offset of `needle` in `haystack`, ignoring ASCII case.
fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.char_indices().map(|(i, _)| i).find(|&i| {
        haystack
            .get(i..i + needle.len())
            .is_some_and(|s| s.to_lowercase() == needle)
    })
}

/// Extracts the `[ codigo, mensaje, fila, columna … ]` entries of a rejection detail.
/// Text without such a list gives an empty list.
pub fn parse_error_lines(detail: &str) -> Vec<HaciendaErrorLine> {
    let header = find_ignore_case(detail, "codigo").or_else(|| find_ignore_case(detail, "código"));
    let start = match header.or_else(|| detail.find('[')) {
        Some(i) => i,
        None => return Vec::new(),
    };
    // Skip the header line.
    let body = match detail.get(start..).and_then(|s| s.split_once('\n')) {
        Some((_, body)) => body,
        None => return Vec::new(),
    };
    let mut entries: Vec<String> = Vec::new();
    for line in body.lines() {
        if starts_entry(line) {
            entries.push(line.to_string());
        } else if let Some(last) = entries.last_mut() {
            last.push('\n');
            last.push_str(line);
        }
    }
    entries.iter().filter_map(|e| parse_entry(e)).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    const CLAVE: &str = "50601042400020692014200100001010000000002100000001";

    fn mensaje(verdict: u8, detail: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><MensajeHacienda xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/mensajeHacienda"><Clave>{CLAVE}</Clave><NombreEmisor>Tek rocks</NombreEmisor><TipoIdentificacionEmisor>01</TipoIdentificacionEmisor><NumeroCedulaEmisor>206920142</NumeroCedulaEmisor><NombreReceptor>EXCLUSIVE COFFEES</NombreReceptor><TipoIdentificacionReceptor>02</TipoIdentificacionReceptor><NumeroCedulaReceptor>3101538252</NumeroCedulaReceptor><Mensaje>{verdict}</Mensaje><EstadoMensaje>{}</EstadoMensaje><DetalleMensaje>{detail}</DetalleMensaje><MontoTotalImpuesto>1.3</MontoTotalImpuesto><TotalFactura>11.3</TotalFactura><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:Reference URI=""/></ds:SignedInfo></ds:Signature></MensajeHacienda>"#,
            if verdict == 1 {
                "Aceptado"
            } else {
                "Rechazado"
            }
        )
    }

    const REJECTION: &str = "El comprobante electrónico tiene los siguientes errores: [ codigo, mensaje, fila, columna\n-99, \"La numeración consecutiva del comprobante que se esta utilizando para este emisor ya existe en nuestras bases de datos\", 0, 0\n-37, \"El código de provincia, cantón y distrito del 'emisor' no concuerdan, favor verificar.\", 0, 0 ]";

    #[test]
    fn status_reply_spellings() {
        let b64 = STANDARD.encode(mensaje(1, "Este comprobante fue aceptado"));
        for json in [
            format!(
                r#"{{"clave":"{CLAVE}","fecha":"2024-04-01T00:00:00-06:00","ind-estado":"aceptado","respuesta-xml":"{b64}"}}"#
            ),
            format!(
                r#"{{"clave":"{CLAVE}","fecha":"2024-04-01T00:00:00-06:00","indEstado":"ACEPTADO","respuestaXml":"{b64}"}}"#
            ),
            format!(
                r#"{{"Clave":"{CLAVE}","Fecha":"2024-04-01T00:00:00-06:00","IND-ESTADO":"Aceptado","RESPUESTA-XML":"{b64}"}}"#
            ),
        ] {
            let reply = parse_status_reply(&json).unwrap();
            assert_eq!(reply.clave, CLAVE);
            assert_eq!(reply.state, State::Aceptado);
            assert!(reply.state.is_final());
            let msg = reply.message().unwrap().unwrap();
            assert_eq!(msg.verdict, Verdict::Accepted);
            assert_eq!(msg.total, Some(Decimal::new(113, 1)));
            assert!(msg.errors.is_empty());
        }
    }

    #[test]
    fn status_reply_states_and_missing_xml() {
        for (raw, state) in [
            ("recibido", State::Recibido),
            ("PROCESANDO", State::Procesando),
            ("Rechazado", State::Rechazado),
            ("error", State::Error),
            ("pendiente", State::Unknown("pendiente".into())),
        ] {
            let json =
                format!(r#"{{"clave":"{CLAVE}","ind-estado":"{raw}","respuesta-xml":null}}"#);
            let reply = parse_status_reply(&json).unwrap();
            assert_eq!(reply.state, state);
            assert_eq!(reply.message().unwrap(), None);
        }
        assert_eq!(
            parse_status_reply("[]"),
            Err(ReplyError::NotJson("not an object".into()))
        );
        assert!(matches!(
            parse_status_reply("nope"),
            Err(ReplyError::NotJson(_))
        ));
        assert_eq!(
            parse_status_reply(r#"{"ind-estado":"aceptado"}"#),
            Err(ReplyError::Missing("clave"))
        );
        let bad =
            format!(r#"{{"clave":"{CLAVE}","ind-estado":"rechazado","respuesta-xml":"@@@"}}"#);
        assert_eq!(
            parse_status_reply(&bad).unwrap().message(),
            Err(ReplyError::Base64)
        );
    }

    #[test]
    fn rejection_is_parsed_into_error_lines() {
        let xml = mensaje(3, &REJECTION.replace('\'', "&apos;").replace('"', "&quot;"));
        let msg = decode_mensaje_hacienda(&STANDARD.encode(xml)).unwrap();
        assert_eq!(msg.verdict, Verdict::Rejected);
        assert_eq!(msg.verdict.code(), 3);
        assert_eq!(msg.state_text.as_deref(), Some("Rechazado"));
        assert_eq!(msg.issuer_id.as_deref(), Some("206920142"));
        assert_eq!(msg.errors.len(), 2);
        assert_eq!(msg.errors[0].code, -99);
        assert!(msg.errors[0]
            .message
            .starts_with("La numeración consecutiva"));
        assert_eq!(msg.errors[0].row, Some(0));
        assert_eq!(msg.errors[1].code, -37);
        assert_eq!(
            msg.errors[1].message,
            "El código de provincia, cantón y distrito del 'emisor' no concuerdan, favor verificar."
        );
        assert_eq!(msg.errors[1].column, Some(0));
    }

    #[test]
    fn error_lines_edge_cases() {
        assert!(parse_error_lines("Este comprobante fue aceptado.").is_empty());
        let multi = "errores: [ codigo, mensaje, fila, columna\n-53, \"Primera línea,\ncontinúa aquí\", 12, 7\n-1, sin comillas ]";
        let lines = parse_error_lines(multi);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].message, "Primera línea,\ncontinúa aquí");
        assert_eq!((lines[0].row, lines[0].column), (Some(12), Some(7)));
        assert_eq!(lines[1].code, -1);
        assert_eq!(lines[1].message, "sin comillas");
        assert_eq!(lines[1].row, None);
    }

    #[test]
    fn mensaje_rejects_other_documents() {
        assert!(matches!(
            parse_mensaje_hacienda("<FacturaElectronica><Clave>1</Clave></FacturaElectronica>"),
            Err(ReplyError::NotMensajeHacienda(_))
        ));
        assert_eq!(
            parse_mensaje_hacienda("<MensajeHacienda><Clave>1</Clave></MensajeHacienda>"),
            Err(ReplyError::Missing("Mensaje"))
        );
        assert!(parse_mensaje_hacienda("<MensajeHacienda><Clave>1</Clave>").is_err());
        assert!(parse_mensaje_hacienda("").is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn status_parser_never_panics(s in "\\PC{0,200}") {
            let _ = parse_status_reply(&s);
        }

        #[test]
        fn status_parser_json_shapes(keys in proptest::collection::vec("(clave|ind-estado|indEstado|respuesta-xml|respuestaXml|fecha|[a-zA-Z-]{1,8})", 0..6),
                                     values in proptest::collection::vec("\\PC{0,40}", 0..6)) {
            let body: Vec<String> = keys.iter().zip(values.iter())
                .map(|(k, v)| format!("{}:{}", serde_json::Value::from(k.as_str()), serde_json::Value::from(v.as_str())))
                .collect();
            let json = format!("{{{}}}", body.join(","));
            if let Ok(reply) = parse_status_reply(&json) {
                let _ = reply.message();
            }
        }

        #[test]
        fn mensaje_parser_never_panics(s in "\\PC{0,300}") {
            let _ = parse_mensaje_hacienda(&s);
            let _ = decode_mensaje_hacienda(&s);
        }

        #[test]
        fn mensaje_parser_on_xmlish_input(parts in proptest::collection::vec(
            "(<MensajeHacienda>|</MensajeHacienda>|<Clave>|</Clave>|<Mensaje>|</Mensaje>|<DetalleMensaje>|</DetalleMensaje>|<ds:Signature/>|[0-9]{1,3}|&amp;|&#x41;|&bogus;|<!\\[CDATA\\[x\\]\\]>|\\PC{0,10})", 0..20)) {
            let _ = parse_mensaje_hacienda(&parts.concat());
        }

        #[test]
        fn error_line_parser_never_panics(s in "\\PC{0,300}") {
            let _ = parse_error_lines(&s);
        }

        #[test]
        fn error_lines_shaped_input(rows in proptest::collection::vec(("-?[0-9]{1,4}", "[^\\n]{0,30}", "-?[0-9]{0,3}", "-?[0-9]{0,3}"), 0..6)) {
            let mut s = String::from("errores: [ codigo, mensaje, fila, columna\n");
            for (c, m, r, col) in &rows {
                s.push_str(&format!("{c}, \"{m}\", {r}, {col}\n"));
            }
            s.push(']');
            let parsed = parse_error_lines(&s);
            prop_assert!(parsed.len() <= rows.len());
        }
    }
}
