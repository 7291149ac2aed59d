//! Import of e-invoices from CSV and JSON files into [`DocumentDraft`]s.
//!
//! A draft is a [`Document`] without what Loket assigns when it generates one: the clave
//! (which holds the consecutivo), the issuer (from the company profile) and the software
//! provider id. [`DocumentDraft::into_document`] adds them. Each draft carries the
//! invoice's own number in the source file, `external_ref`; the caller stores it uniquely
//! so that importing the same file twice does not create duplicates.
//!
//! # All or nothing
//!
//! [`import_csv`], [`import_json`] and [`import_drafts`] (which tells the two apart by the
//! first character of the file) return either every document of the file or every problem
//! found, up to [`MAX_PROBLEMS`]; nothing is half imported.
//!
//! - A file that cannot be read at all gets one [`FileProblem`]: empty, binary (an Excel
//!   `.xlsx` included), UTF-16, not UTF-8, a CSV whose first row is not the header or lacks
//!   required columns, JSON that does not parse or has the wrong shape, no documents.
//! - Otherwise each [`ImportProblem`] says where and what, in plain words. CSV: the
//!   spreadsheet row (the header is row 1; a cell with line breaks is still one row) and
//!   the column, e.g. `row 7, quantity: "abc" is not a number.` JSON: the document's
//!   position in the list (1st = 1), its ref, and the field path inside it
//!   (`lines[0].quantity`, 0-based like [`Issue::field`]).
//! - Every document that parses is then checked by [`precheck`] with a placeholder issuer
//!   and clave ([`DocumentDraft::precheck`]), so lengths, codes, totals, a missing receiver
//!   or reference are reported at import time in the same words; problems of the
//!   placeholders (issuer, clave, provider id) are never reported. A document with parse
//!   problems is not prechecked until they are fixed.
//!
//! # CSV
//!
//! One row per line item; rows with the same `ref` form one document, wherever they are in
//! the file. The document's fields (everything from `type` to `expected_total` below) may
//! be repeated on every row or filled in on one row only (blank elsewhere); two different
//! values for one document are an error on the later row. Sample:
//! `crates/loket-einvoice/tests/data/invoices.csv`.
//!
//! | column | per | required | what |
//! |---|---|---|---|
//! | `ref` | document | yes | the invoice's own number in the source (at most 100 characters) |
//! | `type` | document | yes | `01` factura, `02` nota de débito, `03` nota de crédito, `04` tiquete (or `factura`, `nota_debito`, `nota_credito`, `tiquete`) |
//! | `date` | document | | issue date-time; blank = when Loket generates it. `2025-03-01 09:30`, `2025-03-01T09:30:00-06:00`, `01/03/2025 09:30` (day first) or a date alone (00:00); no offset = Costa Rica time (UTC−6) |
//! | `receiver_name` | document | factura | receiver's name |
//! | `receiver_id_type` | document | with `receiver_id` | `01` física, `02` jurídica, `03` DIMEX, `04` NITE, `05`, `06` |
//! | `receiver_id` | document | factura | id number; dashes, dots and spaces are dropped for types 01–04 |
//! | `receiver_email` | document | | receiver's e-mail |
//! | `currency` | document | | `CRC` (blank) or `USD` |
//! | `exchange_rate` | document | with USD | colones per dollar |
//! | `sale_condition` | document | | code `01`–`15` or a name (`cash`/`contado`, `credit`/`crédito` …); `99: description`; blank = `01` cash |
//! | `credit_days` | document | with credit | credit term in days (sale condition `02`) |
//! | `payment_method` | document | | `01` efectivo … `07`, `99: description`, or names (`cash`, `card`, `transfer`, `sinpe_movil` …); several as `04=100000\|06=13000` (method=amount, `\|` between) |
//! | `reference_clave` | document | notes | the referenced document's 50-digit clave (or another number) |
//! | `reference_type` | document | | referenced document type (`01`…`18`, `99: description`); blank = from the clave |
//! | `reference_date` | document | | referenced document's date; blank = from the clave |
//! | `reference_code` | document | notes | `01` anula, `02` corrige texto, `04` referencia, `06` devolución … `99: description` |
//! | `reference_reason` | document | | reason in words |
//! | `notes` | document | | free text printed with the document |
//! | `expected_total` | document | | the total the source computed; checked against Loket's |
//! | `cabys_code` | line | yes | 13-digit CABYS code |
//! | `product_code` | line | | the seller's own product code |
//! | `description` | line | yes | what was sold |
//! | `quantity` | line | yes | more than zero, up to 3 decimals |
//! | `unit` | line | yes | v4.4 unit code: `Unid`, `Sp` (professional services), `Kg`, `L` … (letter case is fixed when unambiguous) |
//! | `unit_price` | line | yes | price of one unit before tax |
//! | `discount` | line | | discount amount, or a percentage of quantity × unit price (`10%`) |
//! | `discount_code` | line | | why: `01`–`09`, `99: description`; blank = `07` comercial |
//! | `iva_rate` | line | yes | IVA code `01`–`11` (two digits: `08` = 13%) or a percentage with `%` (`13%`, `8%`, `4%` → code 04, `2%`, `1%`, `0.5%`); `13` and `0.5` alone are read as percentages; `0%` and single digits are refused as ambiguous |
//! | `not_subject` | line | | `yes` when the line is not subject to IVA (no sujeto) |
//!
//! Rules:
//! - Delimiter: comma, semicolon or tab, whichever the header row uses most.
//! - Numbers: no thousands separators, no currency signs. The decimal mark is a point; in a
//!   semicolon- or tab-separated file (what a Spanish-locale Excel writes) a comma is also
//!   accepted as the decimal mark (`2,5`). A comma in a number of a comma-separated file is
//!   refused rather than guessed.
//! - Header names ignore letter case, spaces, dashes and underscores (`Unit Price` =
//!   `unit_price`); a few aliases are accepted (`cabys`, `price`, `qty`, `iva`, `total` …).
//!   Unknown or repeated column names are refused, so a misspelt optional column is not
//!   silently ignored.
//! - UTF-8 only (a byte-order mark is fine); blank rows are skipped; cells are trimmed.
//! - Codes may lose their leading zero in a spreadsheet: `1` is read as `01` for every code
//!   except `iva_rate`, where it would be ambiguous with a percentage.
//! - A CSV document carries at most one reference (use JSON for more).
//!
//! # JSON
//!
//! A list of drafts, `[ {…}, … ]`, or an object `{"documents": [ … ]}` (other keys are
//! ignored). Each draft has [`DocumentDraft`]'s field names and serde shapes, so what
//! `serde_json::to_string(&drafts)` writes imports back unchanged; the reader is also
//! lenient: `ref` / `type` / `date` for `external_ref` / `doc_type` / `issued_at`, codes
//! wherever an enum is expected (`"doc_type": "01"`, `"rate": "08"`), `"currency": "USD"`
//! with `"exchange_rate"`, `"sale_condition": "02"` with `"credit_days"`, a line's `tax` as a
//! plain code or percentage, missing `discounts` / `not_subject` / `payments` /
//! `references`. Amounts may be numbers or strings; strings are exact (numbers pass through
//! a double). Unknown field names are refused.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::document::{
    round_amount, Currency, Discount, DiscountKind, Document, DocumentType, IdType, Identification,
    Issuer, IvaRate, Line, LineTax, Location, Payment, PaymentMethod, Phone, Receiver, Reference,
    SaleCondition, UNITS,
};
use crate::numbering::{Clave, Consecutivo, Situation};
use crate::precheck::{precheck, Issue};

/// Most problems reported for one file; the rest are counted as "more".
pub const MAX_PROBLEMS: usize = 200;

/// Longest `external_ref`, in characters.
pub const MAX_EXTERNAL_REF_CHARS: usize = 100;

/// Costa Rica's offset (UTC−6, no daylight saving time).
const CR_OFFSET: FixedOffset = match FixedOffset::west_opt(6 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC-6 is a valid offset"),
};

// ---------------------------------------------------------------------------------------
// Drafts
// ---------------------------------------------------------------------------------------

/// A document as imported: everything of a [`Document`] except what Loket assigns when it
/// generates it (clave / consecutivo, issuer, provider id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDraft {
    /// The invoice's own number in the source file; unique per import source.
    pub external_ref: String,
    /// Which document.
    pub doc_type: DocumentType,
    /// When it is issued; `None` = when Loket generates it.
    #[serde(default)]
    pub issued_at: Option<DateTime<FixedOffset>>,
    /// Receiver; required on a factura, optional on a tiquete.
    #[serde(default)]
    pub receiver: Option<Receiver>,
    /// Terms of the sale (default cash).
    #[serde(default = "default_sale_condition")]
    pub sale_condition: SaleCondition,
    /// Currency (default colones).
    #[serde(default = "default_currency")]
    pub currency: Currency,
    /// Payment methods.
    #[serde(default)]
    pub payments: Vec<Payment>,
    /// Referenced documents (notes).
    #[serde(default)]
    pub references: Vec<Reference>,
    /// Free text printed with the document.
    #[serde(default)]
    pub notes: Option<String>,
    /// The lines.
    pub lines: Vec<Line>,
    /// The total the source computed, checked against the lines.
    #[serde(default)]
    pub expected_total: Option<Decimal>,
}

fn default_sale_condition() -> SaleCondition {
    SaleCondition::Cash
}

fn default_currency() -> Currency {
    Currency::Crc
}

/// The placeholder issuer's id (a valid cédula física shape).
const PLACEHOLDER_ID: &str = "100000001";

fn placeholder_issuer() -> Issuer {
    Issuer {
        name: "Placeholder issuer".into(),
        id: Identification {
            id_type: IdType::Fisica,
            number: PLACEHOLDER_ID.into(),
        },
        commercial_name: None,
        location: Location {
            province: 1,
            canton: 1,
            district: 1,
            neighborhood: None,
            other_signs: "Placeholder address".into(),
        },
        phone: None,
        emails: vec!["issuer@example.com".into()],
        activity_code: "620100".into(),
    }
}

fn placeholder_clave(doc_type: DocumentType, date: NaiveDate) -> Option<Clave> {
    let consecutivo = Consecutivo::new(1, 1, doc_type, 1).ok()?;
    Clave::new(date, PLACEHOLDER_ID, consecutivo, Situation::Normal, 0).ok()
}

/// Fields that only the placeholders could be wrong about.
fn is_placeholder_field(field: &str) -> bool {
    field == "clave" || field == "provider_id" || field == "issuer" || field.starts_with("issuer.")
}

fn cr_datetime(date: NaiveDate, time: NaiveTime) -> Option<DateTime<FixedOffset>> {
    NaiveDateTime::new(date, time)
        .and_local_timezone(CR_OFFSET)
        .single()
}

impl DocumentDraft {
    /// The issue date-time the generated document gets: the draft's own, else `now`.
    pub fn issued_at_or(&self, now: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        self.issued_at.unwrap_or(now)
    }

    /// The full document, once Loket has assigned the clave (made for
    /// [`issued_at_or(now)`](Self::issued_at_or)'s date), the issuer and the provider id.
    pub fn into_document(
        self,
        issuer: Issuer,
        clave: Clave,
        provider_id: impl Into<String>,
        now: DateTime<FixedOffset>,
    ) -> Document {
        Document {
            doc_type: self.doc_type,
            clave,
            issued_at: self.issued_at.unwrap_or(now),
            provider_id: provider_id.into(),
            issuer,
            receiver: self.receiver,
            sale_condition: self.sale_condition,
            lines: self.lines,
            currency: self.currency,
            payments: self.payments,
            references: self.references,
            notes: self.notes,
            expected_total: self.expected_total,
        }
    }

    /// [`precheck`] of the draft as a document with a placeholder issuer, clave and
    /// provider id; their issues are left out. An empty list means the draft will generate
    /// once the real ones are filled in.
    pub fn precheck(&self) -> Vec<Issue> {
        let mut issues = Vec::new();
        let fallback =
            NaiveDate::from_ymd_opt(2025, 1, 1).and_then(|d| cr_datetime(d, NaiveTime::MIN));
        let issued = match (self.issued_at, fallback) {
            (Some(t), _) => t,
            (None, Some(t)) => t,
            (None, None) => return issues,
        };
        let date = if (2000..=2099).contains(&issued.year()) {
            issued.date_naive()
        } else {
            issues.push(Issue {
                field: "issued_at".into(),
                message: "The issue date must fall between the years 2000 and 2099.".into(),
            });
            match fallback {
                Some(t) => t.date_naive(),
                None => return issues,
            }
        };
        let Some(clave) = placeholder_clave(self.doc_type, date) else {
            return issues;
        };
        let doc = self
            .clone()
            .into_document(placeholder_issuer(), clave, "placeholder", issued);
        issues.extend(
            precheck(&doc)
                .into_iter()
                .filter(|i| !is_placeholder_field(&i.field)),
        );
        issues
    }
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

/// A file that cannot be imported at all; one message for the whole file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FileProblem {
    /// Nothing but white space.
    #[error("The file is empty.")]
    Empty,
    /// An Excel workbook (`.xlsx`, `.xls`) or another zipped file.
    #[error("This is an Excel workbook (or another zipped file), not CSV; in Excel use Save As → \"CSV UTF-8 (Comma delimited)\" and import that file.")]
    Spreadsheet,
    /// Not text.
    #[error("This is not a text file (it looks like a binary file, e.g. an image or a PDF); export the invoices as CSV or JSON and import that file.")]
    Binary,
    /// Text in UTF-16 ("Unicode text").
    #[error("The file is saved as UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\" (or UTF-8 JSON) and import it again.")]
    Utf16,
    /// Text in another encoding (Windows-1252, Latin-1 …).
    #[error("The file is not UTF-8 text (the first unreadable character is on line {line}); in Excel use Save As → \"CSV UTF-8 (Comma delimited)\" and import that file.")]
    NotUtf8 {
        /// 1-based line of the first byte that is not UTF-8.
        line: usize,
    },
    /// The first CSV row names no known column.
    #[error("The first row must name the columns (ref, type, cabys_code, description, quantity, unit, unit_price, iva_rate …), separated by commas or semicolons; none of its names is a known column.")]
    NoHeader,
    /// The CSV header lacks required columns, or has unknown or repeated ones.
    #[error("{}", header_message(.missing, .unknown, .duplicate))]
    Header {
        /// Required columns not in the header.
        missing: Vec<String>,
        /// Header names that are not columns.
        unknown: Vec<String>,
        /// Columns named twice.
        duplicate: Vec<String>,
    },
    /// A header (or an empty list) and no documents.
    #[error("The file holds no documents to import.")]
    NoDocuments,
    /// JSON that does not parse.
    #[error("The file is not valid JSON: {detail}.")]
    JsonSyntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's words.
        detail: String,
    },
    /// JSON of another shape than a list of documents.
    #[error("A JSON import must be a list of documents ([ … ]) or an object with a \"documents\" list ({{\"documents\": [ … ]}}); this file holds {found}.")]
    JsonShape {
        /// What the file holds instead.
        found: String,
    },
}

fn header_message(missing: &[String], unknown: &[String], duplicate: &[String]) -> String {
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!(
            "The header row lacks the required column{} {}.",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", ")
        ));
    }
    if !unknown.is_empty() {
        parts.push(format!(
            "Loket does not know the column{} {}; rename or delete {}.",
            if unknown.len() == 1 { "" } else { "s" },
            unknown
                .iter()
                .map(|u| format!("\"{u}\""))
                .collect::<Vec<_>>()
                .join(", "),
            if unknown.len() == 1 { "it" } else { "them" }
        ));
    }
    if !duplicate.is_empty() {
        parts.push(format!(
            "These columns appear twice: {}.",
            duplicate.join(", ")
        ));
    }
    parts.push(format!(
        "The columns are: {}.",
        CSV_COLUMNS
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(", ")
    ));
    parts.join(" ")
}

/// One problem in one place of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// CSV: the spreadsheet row (the header is row 1).
    pub row: Option<usize>,
    /// JSON: the document's position in the list (the first is 1).
    pub document: Option<usize>,
    /// JSON: the document's `external_ref`, when it has one.
    pub external_ref: Option<String>,
    /// CSV: the column name; JSON: the path inside the document (`lines[0].quantity`);
    /// empty when the problem is about the whole row or document.
    pub field: String,
    /// What is wrong and how to fix it, in plain words.
    pub message: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, self.document) {
            (Some(row), _) => write!(f, "row {row}")?,
            (None, Some(n)) => {
                write!(f, "document {n}")?;
                if let Some(r) = &self.external_ref {
                    write!(f, " (ref \"{r}\")")?;
                }
            }
            (None, None) => write!(f, "file")?,
        }
        if !self.field.is_empty() {
            write!(f, ", {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why nothing was imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The file as a whole cannot be read.
    #[error(transparent)]
    File(#[from] FileProblem),
    /// The file was read; these rows or documents have problems.
    #[error("{}", problems_message(.problems, *.truncated))]
    Problems {
        /// The problems, in file order (at most [`MAX_PROBLEMS`]).
        problems: Vec<ImportProblem>,
        /// More problems were found than are listed.
        truncated: bool,
    },
}

fn problems_message(problems: &[ImportProblem], truncated: bool) -> String {
    let mut out = format!(
        "Nothing was imported: {}{} problem{} to fix.",
        if truncated { "more than " } else { "" },
        problems.len(),
        if problems.len() == 1 && !truncated {
            ""
        } else {
            "s"
        }
    );
    for p in problems {
        out.push('\n');
        out.push_str(&p.to_string());
    }
    if truncated {
        out.push_str(&format!("\n… (only the first {MAX_PROBLEMS} are listed)"));
    }
    out
}

impl ImportError {
    /// The row / document problems (empty for a [`FileProblem`]).
    pub fn problems(&self) -> &[ImportProblem] {
        match self {
            ImportError::File(_) => &[],
            ImportError::Problems { problems, .. } => problems,
        }
    }

    /// One message per line, as shown to the clerk.
    pub fn lines(&self) -> Vec<String> {
        match self {
            ImportError::File(f) => vec![f.to_string()],
            ImportError::Problems { problems, .. } => {
                problems.iter().map(ImportProblem::to_string).collect()
            }
        }
    }
}

#[derive(Default)]
struct Problems {
    list: Vec<ImportProblem>,
    truncated: bool,
}

impl Problems {
    fn add(&mut self, p: ImportProblem) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(p);
        } else {
            self.truncated = true;
        }
    }

    fn row(&mut self, row: usize, column: &str, message: impl Into<String>) {
        self.add(ImportProblem {
            row: Some(row),
            document: None,
            external_ref: None,
            field: column.to_string(),
            message: message.into(),
        });
    }

    fn is_full(&self) -> bool {
        self.list.len() >= MAX_PROBLEMS
    }

    fn finish<T>(mut self, value: T, by_row: bool) -> Result<T, ImportError> {
        if self.list.is_empty() && !self.truncated {
            return Ok(value);
        }
        if by_row {
            self.list.sort_by_key(|p| p.row);
        }
        Err(ImportError::Problems {
            problems: self.list,
            truncated: self.truncated,
        })
    }
}

// ---------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------

/// The two file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportFormat {
    /// One row per line item.
    Csv,
    /// A list of drafts.
    Json,
}

impl ImportFormat {
    /// JSON when the first character (after a byte-order mark and white space) is `[` or
    /// `{`, CSV otherwise.
    pub fn sniff(bytes: &[u8]) -> Self {
        let body = bytes
            .strip_prefix(b"\xEF\xBB\xBF".as_slice())
            .unwrap_or(bytes);
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[' | b'{') => ImportFormat::Json,
            _ => ImportFormat::Csv,
        }
    }
}

/// Imports a CSV or JSON file, telling them apart with [`ImportFormat::sniff`].
pub fn import_drafts(bytes: &[u8]) -> Result<Vec<DocumentDraft>, ImportError> {
    match ImportFormat::sniff(bytes) {
        ImportFormat::Csv => import_csv(bytes),
        ImportFormat::Json => import_json(bytes),
    }
}

/// The text of a file, or why it is not text Loket reads.
fn decode(bytes: &[u8]) -> Result<&str, FileProblem> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(FileProblem::Utf16);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(FileProblem::Spreadsheet);
    }
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(FileProblem::Empty);
    }
    if body.contains(&0) {
        // ASCII text in UTF-16 without a byte-order mark: every other byte is zero.
        let sample = &body[..body.len().min(256)];
        let odd = sample.iter().skip(1).step_by(2).all(|b| *b == 0);
        let even = sample.iter().step_by(2).all(|b| *b == 0);
        return Err(if sample.len() >= 4 && (odd || even) {
            FileProblem::Utf16
        } else {
            FileProblem::Binary
        });
    }
    let text = std::str::from_utf8(body).map_err(|e| FileProblem::NotUtf8 {
        line: 1 + body[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count(),
    })?;
    let (mut chars, mut controls) = (0usize, 0usize);
    for c in text.chars() {
        chars += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
            controls += 1;
        }
    }
    if controls * 10 > chars {
        return Err(FileProblem::Binary);
    }
    Ok(text)
}

// ---------------------------------------------------------------------------------------
// Values shared by CSV and JSON
// ---------------------------------------------------------------------------------------

/// A value as quoted in a message: at most 60 characters, on one line.
fn show(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(60)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// Amounts (and quantities) must stay below 10^13: 13 digits before the decimal mark.
fn amount_limit() -> Decimal {
    Decimal::from(10_000_000_000_000_i64)
}

/// A number as a clerk writes it; see the module's rules.
fn parse_decimal(raw: &str, decimal_comma: bool) -> Result<Decimal, String> {
    let s = raw.trim();
    let shown = show(s);
    let (negative, body) = if let Some(rest) = s.strip_prefix('-') {
        (true, rest)
    } else if let Some(rest) = s.strip_prefix('+') {
        (false, rest)
    } else {
        (false, s)
    };
    let points = body.matches('.').count();
    let commas = body.matches(',').count();
    if points > 0 && commas > 0 {
        return Err(format!(
            "\"{shown}\" mixes points and commas; write the number without thousands separators, e.g. 1234.5."
        ));
    }
    if commas > 0 && !decimal_comma {
        return Err(format!(
            "\"{shown}\" has a comma; in a comma-separated file write decimals with a point (12.5) and no thousands separators."
        ));
    }
    if points + commas > 1 {
        return Err(format!(
            "\"{shown}\" is not a number (it has more than one decimal mark; leave out thousands separators)."
        ));
    }
    let (int, frac) = body.split_once(['.', ',']).unwrap_or((body, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!("\"{shown}\" is not a number."));
    }
    if int.trim_start_matches('0').len() > 13 {
        return Err(format!(
            "\"{shown}\" is too large: at most 13 digits before the decimal mark."
        ));
    }
    if frac.len() > 15 {
        return Err(format!("\"{shown}\" has too many decimals."));
    }
    let mut canonical = String::with_capacity(s.len() + 2);
    if negative {
        canonical.push('-');
    }
    canonical.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        canonical.push('.');
        canonical.push_str(frac);
    }
    Decimal::from_str(&canonical).map_err(|_| format!("\"{shown}\" is not a number."))
}

fn parse_whole(raw: &str, max: u64) -> Result<u64, String> {
    let s = raw.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("\"{}\" is not a whole number.", show(s)));
    }
    match s.parse::<u64>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(format!("\"{}\" is too large: at most {max}.", show(s))),
    }
}

/// A date-time; see the module's rules.
fn parse_datetime(raw: &str) -> Result<DateTime<FixedOffset>, String> {
    let s = raw.trim();
    let shown = show(s);
    let parsed = DateTime::parse_from_rfc3339(s)
        .ok()
        .or_else(|| {
            ["%Y-%m-%d %H:%M:%S%:z", "%Y-%m-%d %H:%M:%S%.f%:z"]
                .iter()
                .find_map(|f| DateTime::parse_from_str(s, f).ok())
        })
        .or_else(|| {
            [
                "%Y-%m-%dT%H:%M:%S%.f",
                "%Y-%m-%d %H:%M:%S%.f",
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M",
                "%d/%m/%Y %H:%M:%S",
                "%d/%m/%Y %H:%M",
            ]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
            .and_then(|ndt| cr_datetime(ndt.date(), ndt.time()))
        })
        .or_else(|| {
            ["%Y-%m-%d", "%d/%m/%Y"]
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
                .and_then(|d| cr_datetime(d, NaiveTime::MIN))
        });
    match parsed {
        Some(t) if (2000..=2099).contains(&t.year()) => Ok(t),
        Some(_) => Err(format!(
            "\"{shown}\": the year must be between 2000 and 2099."
        )),
        None if !s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit()) => {
            Err(format!(
                "\"{shown}\" looks like a spreadsheet's date number; format the column as text or write the date as 2025-03-01."
            ))
        }
        None => Err(format!(
            "\"{shown}\" is not a date; write 2025-03-01, 01/03/2025 (day first) or 2025-03-01 14:30 (Costa Rica time)."
        )),
    }
}

/// "8.7156E+12": a spreadsheet turned a long code into a number.
fn scientific_hint(value: &str) -> Option<String> {
    let upper = value.to_ascii_uppercase();
    if (upper.contains("E+") || upper.contains("E-"))
        && upper.starts_with(|c: char| c.is_ascii_digit())
    {
        Some(format!(
            "\"{}\" was turned into a number by the spreadsheet; format the column as text and type the code again.",
            show(value)
        ))
    } else {
        None
    }
}

/// A long code (CABYS, clave) as text, unless a spreadsheet turned it into a number.
fn code_text(value: &str) -> Result<String, String> {
    match scientific_hint(value) {
        Some(hint) => Err(hint),
        None => Ok(value.to_string()),
    }
}

/// Whether a reference number has a clave's shape (50 digits); any other number is kept as
/// it is, for a referenced document that has no clave.
fn has_clave_shape(number: &str) -> bool {
    number.len() == 50 && number.bytes().all(|b| b.is_ascii_digit())
}

fn parse_clave(number: &str) -> Result<Clave, String> {
    Clave::from_str(number).map_err(|e| format!("\"{number}\" is not a valid clave: {e}"))
}

/// The referenced document's date as its clave gives it (the day only: midnight, CR time).
fn clave_date(clave: &Clave) -> Option<DateTime<FixedOffset>> {
    cr_datetime(clave.date(), NaiveTime::MIN)
}

/// A one- or two-digit code, with the leading zero a spreadsheet may drop put back.
fn code2(s: &str) -> Option<String> {
    let s = s.trim();
    match s.len() {
        1 | 2 if s.bytes().all(|b| b.is_ascii_digit()) => Some(format!("{s:0>2}")),
        _ => None,
    }
}

/// `99: text` → ("99", Some("text")).
fn split_code_text(s: &str) -> (&str, Option<&str>) {
    match s.split_once(':') {
        Some((code, text)) => (code.trim(), Some(text.trim()).filter(|t| !t.is_empty())),
        None => (s.trim(), None),
    }
}

/// A name compared without case, accents, spaces or dashes.
fn name_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' => 'a',
            'é' | 'è' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' | 'ü' => 'u',
            ' ' | '-' | '.' => '_',
            c => c,
        };
        if c == '_' && (out.is_empty() || out.ends_with('_')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

const DOC_TYPE_HELP: &str =
    "write 01 (factura), 02 (nota de débito), 03 (nota de crédito) or 04 (tiquete)";

fn parse_doc_type(s: &str) -> Result<DocumentType, String> {
    let found = match code2(s) {
        Some(code) => DocumentType::from_code(&code),
        None => match name_key(s).as_str() {
            "factura" | "factura_electronica" | "invoice" => Some(DocumentType::Factura),
            "nota_debito" | "nota_de_debito" | "debit_note" => Some(DocumentType::NotaDebito),
            "nota_credito" | "nota_de_credito" | "credit_note" => Some(DocumentType::NotaCredito),
            "tiquete" | "tiquete_electronico" | "ticket" => Some(DocumentType::Tiquete),
            _ => None,
        },
    };
    found.ok_or_else(|| format!("\"{}\" is not a document type; {DOC_TYPE_HELP}.", show(s)))
}

const ID_TYPE_HELP: &str = "write 01 (cédula física), 02 (cédula jurídica), 03 (DIMEX), 04 (NITE), 05 (foreigner not domiciled) or 06 (not a taxpayer)";

fn parse_id_type(s: &str) -> Result<IdType, String> {
    let found = match code2(s) {
        Some(code) => IdType::from_code(&code),
        None => match name_key(s).as_str() {
            "fisica" | "cedula_fisica" => Some(IdType::Fisica),
            "juridica" | "cedula_juridica" => Some(IdType::Juridica),
            "dimex" => Some(IdType::Dimex),
            "nite" => Some(IdType::Nite),
            "extranjero_no_domiciliado" => Some(IdType::ExtranjeroNoDomiciliado),
            "no_contribuyente" => Some(IdType::NoContribuyente),
            _ => None,
        },
    };
    found.ok_or_else(|| format!("\"{}\" is not an id type; {ID_TYPE_HELP}.", show(s)))
}

/// The id number as Hacienda wants it: digits only for types 01–04.
fn normalize_id(number: &str, id_type: IdType) -> Result<String, String> {
    if let Some(hint) = scientific_hint(number) {
        return Err(hint);
    }
    Ok(match id_type {
        IdType::Fisica | IdType::Juridica | IdType::Dimex | IdType::Nite => number
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '.'))
            .collect(),
        IdType::ExtranjeroNoDomiciliado | IdType::NoContribuyente => number.to_string(),
    })
}

const IVA_HELP: &str = "write the IVA code with two digits (08 = 13%, 04 = 4%, 10 = exenta …) or the percentage with a % sign (13%)";

fn rate_for_percentage(p: Decimal) -> Option<IvaRate> {
    [
        IvaRate::General13,
        IvaRate::Transitional8,
        IvaRate::Reduced4,
        IvaRate::Reduced2,
        IvaRate::Reduced1,
        IvaRate::ReducedHalf,
    ]
    .into_iter()
    .find(|r| r.default_percentage() == p)
}

fn parse_iva_rate(raw: &str, decimal_comma: bool) -> Result<IvaRate, String> {
    let s = raw.trim();
    let shown = show(s);
    if let Some(number) = s.strip_suffix('%') {
        let p = parse_decimal(number, decimal_comma)?;
        if p.is_zero() {
            return Err(format!(
                "\"{shown}\" fits several IVA codes; write the code: 01 (tarifa 0%), 05 (transitorio 0%), 10 (exenta) or 11 (0% sin derecho a crédito)."
            ));
        }
        return rate_for_percentage(p)
            .ok_or_else(|| format!("\"{shown}\" is not an IVA rate; {IVA_HELP}."));
    }
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) {
        return IvaRate::from_code(s)
            .or_else(|| {
                s.parse::<u32>()
                    .ok()
                    .filter(|n| *n == 13)
                    .map(|_| IvaRate::General13)
            })
            .ok_or_else(|| format!("\"{shown}\" is not an IVA rate code (01–11); {IVA_HELP}."));
    }
    let by_name = match name_key(s).as_str() {
        "zero" => Some(IvaRate::Zero),
        "reduced1" => Some(IvaRate::Reduced1),
        "reduced2" => Some(IvaRate::Reduced2),
        "reduced4" => Some(IvaRate::Reduced4),
        "transitional0" => Some(IvaRate::Transitional0),
        "transitional4" => Some(IvaRate::Transitional4),
        "transitional8" => Some(IvaRate::Transitional8),
        "general13" | "general" => Some(IvaRate::General13),
        "reduced_half" => Some(IvaRate::ReducedHalf),
        "exempt" | "exento" | "exenta" => Some(IvaRate::Exempt),
        "zero_without_credit" => Some(IvaRate::ZeroWithoutCredit),
        _ => None,
    };
    if let Some(rate) = by_name {
        return Ok(rate);
    }
    match parse_decimal(s, decimal_comma) {
        Ok(p) if p.fract().is_zero() && p >= Decimal::ZERO && p < Decimal::TEN => Err(format!(
            "\"{shown}\" could be a code (0{shown}) or a percentage ({shown}%); {IVA_HELP}."
        )),
        Ok(p) => rate_for_percentage(p)
            .ok_or_else(|| format!("\"{shown}\" is not an IVA rate; {IVA_HELP}.")),
        Err(_) => Err(format!("\"{shown}\" is not an IVA rate; {IVA_HELP}.")),
    }
}

/// A value of one of the schema's code lists: a two-digit code or one of its names, with
/// code 99 ("other") carrying its description after a colon (`99: description`).
struct CodeList<T> {
    /// What the value is called in messages ("payment method").
    what: &'static str,
    /// How to write a valid value; ends the message for an unknown one.
    help: &'static str,
    /// The value a code or name stands for (as [`code2`] or [`name_key`] writes it);
    /// `None` when it stands for none. Code 99 never gets here.
    value_of: fn(&str) -> Option<T>,
    /// The "other" value, made from its description.
    other: fn(String) -> T,
}

/// Code 99 and the names that mean it.
const OTHER_KEYS: [&str; 4] = ["99", "other", "otro", "otros"];

impl<T> CodeList<T> {
    fn parse(&self, raw: &str) -> Result<T, String> {
        let (code, text) = split_code_text(raw);
        let key = code2(code).unwrap_or_else(|| name_key(code));
        let (shown, what) = (show(raw.trim()), self.what);
        if OTHER_KEYS.contains(&key.as_str()) {
            return match text {
                Some(t) => Ok((self.other)(t.to_string())),
                None => Err(format!(
                    "\"{shown}\": {what} 99 (other) needs a description; write 99: description."
                )),
            };
        }
        let value = (self.value_of)(&key)
            .ok_or_else(|| format!("\"{shown}\" is not a {what}; {}.", self.help))?;
        // Only "other" has room for a description; elsewhere it would be lost.
        if text.is_some() {
            return Err(format!(
                "\"{shown}\": only {what} 99 (other) takes a description."
            ));
        }
        Ok(value)
    }
}

const PAYMENT_HELP: &str = "write 01 (efectivo), 02 (tarjeta), 03 (cheque), 04 (transferencia), 05 (recaudado por terceros), 06 (SINPE Móvil), 07 (plataforma digital) or 99: description";

const PAYMENT_METHODS: CodeList<PaymentMethod> = CodeList {
    what: "payment method",
    help: PAYMENT_HELP,
    value_of: |key| match key {
        "01" | "cash" | "efectivo" => Some(PaymentMethod::Cash),
        "02" | "card" | "tarjeta" => Some(PaymentMethod::Card),
        "03" | "check" | "cheque" => Some(PaymentMethod::Check),
        "04" | "transfer" | "transferencia" | "deposito" => Some(PaymentMethod::Transfer),
        "05" | "third_party_collection" | "recaudado_por_terceros" => {
            Some(PaymentMethod::ThirdPartyCollection)
        }
        "06" | "sinpe_movil" | "sinpe" => Some(PaymentMethod::SinpeMovil),
        "07" | "digital_platform" | "plataforma_digital" => Some(PaymentMethod::DigitalPlatform),
        _ => None,
    },
    other: PaymentMethod::Other,
};

fn parse_payment_method(raw: &str) -> Result<PaymentMethod, String> {
    PAYMENT_METHODS.parse(raw)
}

/// `04=100000|06=13000`, or one method without an amount.
fn parse_payments(raw: &str, decimal_comma: bool) -> Result<Vec<Payment>, String> {
    let mut out = Vec::new();
    for item in raw.split('|').map(str::trim).filter(|i| !i.is_empty()) {
        let (method, amount) = match item.rsplit_once('=') {
            Some((m, a)) => (m, Some(parse_decimal(a, decimal_comma)?)),
            None => (item, None),
        };
        out.push(Payment {
            method: parse_payment_method(method)?,
            amount,
        });
    }
    Ok(out)
}

const SALE_HELP: &str = "write 01 (contado), 02 (crédito), 03 (consignación), 04 (apartado) … up to 15, or 99: description";

const SALE_CONDITIONS: CodeList<SaleCondition> = CodeList {
    what: "sale condition",
    help: SALE_HELP,
    value_of: |key| match key {
        "01" | "cash" | "contado" => Some(SaleCondition::Cash),
        "02" | "credit" | "credito" => Some(SaleCondition::Credit { days: 0 }),
        "03" | "consignment" | "consignacion" => Some(SaleCondition::Consignment),
        "04" | "layaway" | "apartado" => Some(SaleCondition::Layaway),
        "05" | "lease_with_option" => Some(SaleCondition::LeaseWithOption),
        "06" | "financial_lease" => Some(SaleCondition::FinancialLease),
        "07" | "third_party_collection" => Some(SaleCondition::ThirdPartyCollection),
        "08" | "state_services_on_credit" => Some(SaleCondition::StateServicesOnCredit),
        "09" | "state_service_payment" => Some(SaleCondition::StateServicePayment),
        "10" | "credit90_days" => Some(SaleCondition::Credit90Days),
        "11" | "credit90_days_payment" => Some(SaleCondition::Credit90DaysPayment),
        // No variant of their own: they keep their code.
        "12" | "13" | "14" | "15" => Some(SaleCondition::Code(key.to_string())),
        _ => None,
    },
    other: SaleCondition::Other,
};

/// A sale condition; credit comes back with 0 days for the caller to fill in.
fn parse_sale_condition(raw: &str) -> Result<SaleCondition, String> {
    SALE_CONDITIONS.parse(raw)
}

const DISCOUNT_HELP: &str = "write 01 (regalía), 02 (regalía con IVA cobrado), 03 (bonificación), 04 (volumen), 05 (temporada), 06 (promocional), 07 (comercial), 08 (frecuencia), 09 (sostenido) or 99: description";

const DISCOUNT_KINDS: CodeList<DiscountKind> = CodeList {
    what: "discount code",
    help: DISCOUNT_HELP,
    value_of: |key| match key {
        "01" | "royalty" | "regalia" => Some(DiscountKind::Royalty),
        "02" | "royalty_iva_charged" => Some(DiscountKind::RoyaltyIvaCharged),
        "03" | "bonus" | "bonificacion" => Some(DiscountKind::Bonus),
        "04" | "volume" | "volumen" => Some(DiscountKind::Volume),
        "05" | "seasonal" | "temporada" => Some(DiscountKind::Seasonal),
        "06" | "promotional" | "promocional" => Some(DiscountKind::Promotional),
        "07" | "commercial" | "comercial" => Some(DiscountKind::Commercial),
        "08" | "frequency" | "frecuencia" => Some(DiscountKind::Frequency),
        "09" | "sustained" | "sostenido" => Some(DiscountKind::Sustained),
        _ => None,
    },
    other: DiscountKind::Other,
};

fn parse_discount_kind(raw: &str) -> Result<DiscountKind, String> {
    DISCOUNT_KINDS.parse(raw)
}

/// Reference document type: a code (or a document name), `99: text`.
fn parse_reference_type(raw: &str) -> Result<(String, Option<String>), String> {
    let (code, text) = split_code_text(raw);
    let code = match code2(code) {
        Some(c) => c,
        None => parse_doc_type(code)
            .map(|t| t.code().to_string())
            .map_err(|_| {
                format!(
                    "\"{}\" is not a referenced-document type; write 01 (factura), 02 (nota de débito), 03 (nota de crédito), 04 (tiquete) … or 99: description.",
                    show(raw.trim())
                )
            })?,
    };
    Ok((code, text.map(str::to_string)))
}

/// Reference code with its `99: text`.
fn parse_reference_code(raw: &str) -> Result<(String, Option<String>), String> {
    let (code, text) = split_code_text(raw);
    match code2(code) {
        Some(c) => Ok((c, text.map(str::to_string))),
        None => Err(format!(
            "\"{}\" is not a reference code; write 01 (anula), 02 (corrige texto), 04 (referencia a otro documento), 06 (devolución de mercancía) … or 99: description.",
            show(raw.trim())
        )),
    }
}

fn parse_currency_code(raw: &str) -> Result<bool, String> {
    // true = USD
    match name_key(raw).as_str() {
        "crc" | "colones" | "colon" | "₡" => Ok(false),
        "usd" | "us$" | "$" | "dolares" | "dollars" => Ok(true),
        _ => Err(format!(
            "\"{}\" is not a currency Loket issues in; write CRC or USD.",
            show(raw.trim())
        )),
    }
}

fn parse_bool(raw: &str) -> Result<bool, String> {
    match name_key(raw).as_str() {
        "yes" | "y" | "true" | "1" | "si" | "sí" | "s" | "x" => Ok(true),
        "no" | "n" | "false" | "0" => Ok(false),
        _ => Err(format!("\"{}\": write yes or no.", show(raw.trim()))),
    }
}

/// The unit as the v4.4 list spells it, when the letter case alone is off.
fn normalize_unit(raw: &str) -> String {
    let s = raw.trim();
    if UNITS.contains(&s) {
        return s.to_string();
    }
    let lower = s.to_lowercase();
    if matches!(
        lower.as_str(),
        "unidad" | "unidades" | "und" | "un" | "unit" | "units"
    ) {
        return "Unid".to_string();
    }
    let mut found = UNITS.iter().filter(|u| u.to_lowercase() == lower);
    match (found.next(), found.next()) {
        (Some(unit), None) => (*unit).to_string(),
        _ => s.to_string(),
    }
}

/// Whether quantity × unit price stays within the 13 digits an amount may have.
fn line_amount_fits(quantity: Decimal, unit_price: Decimal) -> bool {
    quantity
        .checked_mul(unit_price)
        .is_some_and(|gross| gross.abs() < amount_limit())
}

fn check_external_ref(value: &str) -> Result<(), String> {
    if value.chars().count() > MAX_EXTERNAL_REF_CHARS {
        Err(format!(
            "\"{}\" is too long: at most {MAX_EXTERNAL_REF_CHARS} characters.",
            show(value)
        ))
    } else if value.chars().any(char::is_control) {
        Err("contains an invisible control character; retype it.".into())
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------

/// One CSV column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvColumn {
    /// The name in the header row.
    pub name: &'static str,
    /// Other names accepted for it.
    pub aliases: &'static [&'static str],
    /// The header row must have it.
    pub required: bool,
    /// Per line item (else per document).
    pub per_line: bool,
}

const fn column(
    name: &'static str,
    aliases: &'static [&'static str],
    required: bool,
    per_line: bool,
) -> CsvColumn {
    CsvColumn {
        name,
        aliases,
        required,
        per_line,
    }
}

/// The CSV columns, in the order of the sample file (see the module documentation).
pub const CSV_COLUMNS: [CsvColumn; 29] = [
    column("ref", &["external_ref", "invoice_ref"], true, false),
    column("type", &["doc_type", "document_type"], true, false),
    column("date", &["issued_at", "issue_date"], false, false),
    column("receiver_name", &[], false, false),
    column("receiver_id_type", &[], false, false),
    column("receiver_id", &["receiver_id_number"], false, false),
    column("receiver_email", &[], false, false),
    column("currency", &[], false, false),
    column("exchange_rate", &[], false, false),
    column("sale_condition", &[], false, false),
    column("credit_days", &[], false, false),
    column(
        "payment_method",
        &["payment_methods", "payments"],
        false,
        false,
    ),
    column("reference_clave", &["reference_number"], false, false),
    column("reference_type", &[], false, false),
    column("reference_date", &[], false, false),
    column("reference_code", &[], false, false),
    column("reference_reason", &[], false, false),
    column("notes", &[], false, false),
    column("expected_total", &["total"], false, false),
    column("cabys_code", &["cabys"], true, true),
    column("product_code", &["seller_code"], false, true),
    column("description", &[], true, true),
    column("quantity", &["qty"], true, true),
    column("unit", &["unit_of_measure"], true, true),
    column("unit_price", &["price"], true, true),
    column("discount", &[], false, true),
    column("discount_code", &[], false, true),
    column("iva_rate", &["iva", "tax_rate", "iva_code"], true, true),
    column("not_subject", &[], false, true),
];

/// Index into [`CSV_COLUMNS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Ref,
    Type,
    Date,
    ReceiverName,
    ReceiverIdType,
    ReceiverId,
    ReceiverEmail,
    Currency,
    ExchangeRate,
    SaleCondition,
    CreditDays,
    PaymentMethod,
    ReferenceClave,
    ReferenceType,
    ReferenceDate,
    ReferenceCode,
    ReferenceReason,
    Notes,
    ExpectedTotal,
    Cabys,
    ProductCode,
    Description,
    Quantity,
    Unit,
    UnitPrice,
    Discount,
    DiscountCode,
    IvaRate,
    NotSubject,
}

impl Col {
    const ALL: [Col; 29] = [
        Col::Ref,
        Col::Type,
        Col::Date,
        Col::ReceiverName,
        Col::ReceiverIdType,
        Col::ReceiverId,
        Col::ReceiverEmail,
        Col::Currency,
        Col::ExchangeRate,
        Col::SaleCondition,
        Col::CreditDays,
        Col::PaymentMethod,
        Col::ReferenceClave,
        Col::ReferenceType,
        Col::ReferenceDate,
        Col::ReferenceCode,
        Col::ReferenceReason,
        Col::Notes,
        Col::ExpectedTotal,
        Col::Cabys,
        Col::ProductCode,
        Col::Description,
        Col::Quantity,
        Col::Unit,
        Col::UnitPrice,
        Col::Discount,
        Col::DiscountCode,
        Col::IvaRate,
        Col::NotSubject,
    ];

    fn index(self) -> usize {
        self as usize
    }

    fn spec(self) -> &'static CsvColumn {
        &CSV_COLUMNS[self.index()]
    }

    fn name(self) -> &'static str {
        self.spec().name
    }
}

/// A header cell as a column key: lower case, `_` for spaces and dashes.
fn header_key(s: &str) -> String {
    name_key(s)
}

fn column_for(key: &str) -> Option<Col> {
    Col::ALL.into_iter().find(|c| {
        let spec = c.spec();
        spec.name == key || spec.aliases.contains(&key)
    })
}

/// Spreadsheet column letters: 0 → A, 26 → AA.
fn column_letter(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + (i % 26) as u8));
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.iter().rev().collect()
}

/// The delimiter the first line uses most (outside quotes): comma, semicolon or tab.
fn detect_delimiter(text: &str) -> u8 {
    let (mut comma, mut semicolon, mut tab) = (0usize, 0usize, 0usize);
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => comma += 1,
            ';' if !quoted => semicolon += 1,
            '\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if semicolon > comma && semicolon >= tab {
        b';'
    } else if tab > comma && tab > semicolon {
        b'\t'
    } else {
        b','
    }
}

/// The physical line a record starts on. The reader's position is where it started
/// reading, before the blank lines it skipped; count those too.
fn record_line(text: &str, position: &csv::Position) -> usize {
    let line = usize::try_from(position.line()).unwrap_or(usize::MAX);
    let start = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let skipped = text.as_bytes().get(start..).map_or(0, |rest| {
        rest.iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .filter(|b| **b == b'\n')
            .count()
    });
    line.saturating_add(skipped)
}

struct CsvRow {
    row: usize,
    cells: Vec<String>,
    line: Option<Line>,
}

struct Group {
    external_ref: String,
    rows: Vec<CsvRow>,
}

/// Where the values of a CSV document came from, to point precheck issues at cells.
struct Sources {
    first_row: usize,
    value_rows: HashMap<Col, usize>,
    line_rows: Vec<usize>,
}

/// Imports a CSV file (see the module documentation for the columns and rules).
pub fn import_csv(bytes: &[u8]) -> Result<Vec<DocumentDraft>, ImportError> {
    let text = decode(bytes)?;
    let owned;
    let text = if text.contains('\r') && !text.contains('\n') {
        owned = text.replace('\r', "\n");
        owned.as_str()
    } else {
        text
    };
    let delimiter = detect_delimiter(text);
    let decimal_comma = delimiter != b',';
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = reader.records();

    let header = match records.next() {
        None => return Err(FileProblem::Empty.into()),
        Some(Err(_)) => return Err(FileProblem::NoHeader.into()),
        Some(Ok(record)) => record,
    };
    let mut embedded_newlines: usize = header.iter().map(|f| f.matches('\n').count()).sum();
    let columns = read_header(&header)?;

    let mut problems = Problems::default();
    let mut groups: Vec<Group> = Vec::new();
    let mut by_ref: HashMap<String, usize> = HashMap::new();
    let delimiter_name = match delimiter {
        b';' => "semicolon",
        b'\t' => "tab",
        _ => "comma",
    };

    for result in records {
        if problems.is_full() {
            problems.truncated = true;
            break;
        }
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let row = e
                    .position()
                    .map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX))
                    .saturating_sub(embedded_newlines);
                problems.row(
                    row,
                    "",
                    format!("the file cannot be read from here on ({e})."),
                );
                break;
            }
        };
        let line = record.position().map_or(0, |p| record_line(text, p));
        let row = line.saturating_sub(embedded_newlines).max(2);
        embedded_newlines += record
            .iter()
            .map(|f| f.matches('\n').count())
            .sum::<usize>();
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }

        let mut cells = vec![String::new(); CSV_COLUMNS.len()];
        for (i, value) in record.iter().enumerate() {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match columns.get(i) {
                Some(Some(col)) => cells[col.index()] = value.to_string(),
                Some(None) => problems.row(
                    row,
                    "",
                    format!(
                        "column {} has a value (\"{}\") but no name in the header row; name the column or clear it.",
                        column_letter(i),
                        show(value)
                    ),
                ),
                None => {
                    problems.row(
                        row,
                        "",
                        format!(
                            "this row has more cells than the header has columns (\"{}\" in column {}); look for a stray {delimiter_name}, for example a decimal comma in a comma-separated file.",
                            show(value),
                            column_letter(i)
                        ),
                    );
                    break;
                }
            }
        }

        let external_ref = cells[Col::Ref.index()].clone();
        if external_ref.is_empty() {
            problems.row(
                row,
                Col::Ref.name(),
                "missing; every row needs the invoice's own number (rows with the same ref form one document).",
            );
            continue;
        }
        if let Err(message) = check_external_ref(&external_ref) {
            problems.row(row, Col::Ref.name(), message);
            continue;
        }
        let line = csv_line(&cells, row, decimal_comma, &mut problems);
        let index = match by_ref.get(&external_ref) {
            Some(i) => *i,
            None => {
                groups.push(Group {
                    external_ref: external_ref.clone(),
                    rows: Vec::new(),
                });
                by_ref.insert(external_ref, groups.len() - 1);
                groups.len() - 1
            }
        };
        groups[index].rows.push(CsvRow { row, cells, line });
    }

    if groups.is_empty() && problems.list.is_empty() && !problems.truncated {
        return Err(FileProblem::NoDocuments.into());
    }

    let mut drafts = Vec::with_capacity(groups.len());
    for group in &groups {
        if problems.is_full() {
            problems.truncated = true;
            break;
        }
        let Some((draft, sources)) = csv_document(group, decimal_comma, &mut problems) else {
            continue;
        };
        for issue in draft.precheck() {
            let (row, column, message) = locate_issue(&issue, &sources);
            problems.row(row, column, message);
        }
        drafts.push(draft);
    }
    problems.finish(drafts, true)
}

fn read_header(record: &csv::StringRecord) -> Result<Vec<Option<Col>>, FileProblem> {
    let mut columns = Vec::new();
    let mut seen: Vec<Col> = Vec::new();
    let (mut unknown, mut duplicate) = (Vec::new(), Vec::new());
    for name in record.iter() {
        let key = header_key(name);
        if key.is_empty() {
            columns.push(None);
            continue;
        }
        match column_for(&key) {
            Some(col) if seen.contains(&col) => {
                duplicate.push(col.name().to_string());
                columns.push(None);
            }
            Some(col) => {
                seen.push(col);
                columns.push(Some(col));
            }
            None => {
                unknown.push(show(name.trim()));
                columns.push(None);
            }
        }
    }
    if seen.is_empty() {
        return Err(FileProblem::NoHeader);
    }
    let missing: Vec<String> = Col::ALL
        .into_iter()
        .filter(|c| c.spec().required && !seen.contains(c))
        .map(|c| c.name().to_string())
        .collect();
    if missing.is_empty() && unknown.is_empty() && duplicate.is_empty() {
        Ok(columns)
    } else {
        Err(FileProblem::Header {
            missing,
            unknown,
            duplicate,
        })
    }
}

/// Parses one kind of cell, recording a problem (and failure) when it does not parse.
struct CellReader<'a> {
    problems: &'a mut Problems,
    failed: bool,
}

impl CellReader<'_> {
    fn fail(&mut self, row: usize, col: Col, message: impl Into<String>) {
        self.failed = true;
        self.problems.row(row, col.name(), message);
    }

    fn parse<T>(
        &mut self,
        value: Option<(&str, usize)>,
        col: Col,
        f: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let (v, row) = value?;
        match f(v) {
            Ok(t) => Some(t),
            Err(message) => {
                self.fail(row, col, message);
                None
            }
        }
    }
}

enum DiscountValue {
    Amount(Decimal),
    Percent(Decimal),
}

/// The line of one CSV row.
fn csv_line(
    cells: &[String],
    row: usize,
    decimal_comma: bool,
    problems: &mut Problems,
) -> Option<Line> {
    let cell = |col: Col| {
        Some(cells[col.index()].as_str())
            .filter(|v| !v.is_empty())
            .map(|v| (v, row))
    };
    let mut r = CellReader {
        problems,
        failed: false,
    };
    let cabys = r
        .parse(cell(Col::Cabys), Col::Cabys, code_text)
        .unwrap_or_default();
    let seller_code = cell(Col::ProductCode).map(|(v, _)| v.to_string());
    let description = cell(Col::Description)
        .map(|(v, _)| v.to_string())
        .unwrap_or_default();
    let required = |r: &mut CellReader,
                    col: Col,
                    missing: &str,
                    parse: &dyn Fn(&str) -> Result<Decimal, String>| {
        match cell(col) {
            None => {
                r.fail(row, col, missing);
                None
            }
            some => r.parse(some, col, parse),
        }
    };
    let quantity = required(
        &mut r,
        Col::Quantity,
        "missing; enter how many were sold.",
        &|v| parse_decimal(v, decimal_comma),
    );
    let unit_price = required(
        &mut r,
        Col::UnitPrice,
        "missing; enter the price of one unit before tax.",
        &|v| parse_decimal(v, decimal_comma),
    );
    let unit = match cell(Col::Unit) {
        Some((v, _)) => Some(normalize_unit(v)),
        None => {
            r.fail(
                row,
                Col::Unit,
                "missing; write the unit of measure (Unid for units, Sp for professional services, Kg, L …).",
            );
            None
        }
    };
    let rate = match cell(Col::IvaRate) {
        None => {
            r.fail(row, Col::IvaRate, format!("missing; {IVA_HELP}."));
            None
        }
        some => r.parse(some, Col::IvaRate, |v| parse_iva_rate(v, decimal_comma)),
    };
    let discount = r.parse(cell(Col::Discount), Col::Discount, |v| {
        match v.trim().strip_suffix('%') {
            Some(p) => {
                let p = parse_decimal(p, decimal_comma)?;
                if p < Decimal::ZERO || p > Decimal::ONE_HUNDRED {
                    Err(format!(
                        "\"{}\": a discount percentage is between 0% and 100%.",
                        show(v)
                    ))
                } else {
                    Ok(DiscountValue::Percent(p))
                }
            }
            None => parse_decimal(v, decimal_comma).map(DiscountValue::Amount),
        }
    });
    let kind = r.parse(
        cell(Col::DiscountCode),
        Col::DiscountCode,
        parse_discount_kind,
    );
    if kind.is_some() && cell(Col::Discount).is_none() {
        r.fail(
            row,
            Col::DiscountCode,
            "a discount code needs the discount amount in the discount column.",
        );
    }
    let not_subject = r
        .parse(cell(Col::NotSubject), Col::NotSubject, parse_bool)
        .unwrap_or(false);
    let (Some(quantity), Some(unit_price), Some(unit), Some(rate)) =
        (quantity, unit_price, unit, rate)
    else {
        return None;
    };
    if r.failed {
        return None;
    }
    if !line_amount_fits(quantity, unit_price) {
        r.fail(
            row,
            Col::UnitPrice,
            "the line amount (quantity × unit price) is larger than the 13 digits allowed.",
        );
        return None;
    }
    let amount = match discount {
        None => Decimal::ZERO,
        Some(DiscountValue::Amount(a)) => a,
        Some(DiscountValue::Percent(p)) => {
            round_amount(quantity * unit_price * p / Decimal::ONE_HUNDRED)
        }
    };
    let discounts = if amount.is_zero() {
        Vec::new()
    } else {
        vec![Discount {
            amount,
            kind: kind.unwrap_or(DiscountKind::Commercial),
            description: None,
        }]
    };
    Some(Line {
        cabys,
        seller_code,
        description,
        quantity,
        unit,
        unit_price,
        discounts,
        tax: LineTax::iva(rate),
        not_subject,
    })
}

/// Columns that belong to the document rather than to a line.
fn document_columns() -> impl Iterator<Item = Col> {
    Col::ALL
        .into_iter()
        .filter(|c| !c.spec().per_line && *c != Col::Ref)
}

fn same_text(a: &str, b: &str) -> bool {
    a.to_lowercase()
        .split_whitespace()
        .eq(b.to_lowercase().split_whitespace())
}

/// The document of one group of CSV rows, if every cell of it parses.
fn csv_document(
    group: &Group,
    decimal_comma: bool,
    problems: &mut Problems,
) -> Option<(DocumentDraft, Sources)> {
    let first_row = group.rows.first()?.row;
    let external_ref = group.external_ref.as_str();
    let mut values: HashMap<Col, (String, usize)> = HashMap::new();
    let mut r = CellReader {
        problems,
        failed: false,
    };
    for row in &group.rows {
        for col in document_columns() {
            let v = &row.cells[col.index()];
            if v.is_empty() {
                continue;
            }
            match values.get(&col) {
                None => {
                    values.insert(col, (v.clone(), row.row));
                }
                Some((first, first_at)) if !same_text(first, v) => {
                    let message = format!(
                        "\"{}\" differs from \"{}\" on row {first_at} of the same document (ref \"{}\"); fill it in the same way on every row or only on one.",
                        show(v),
                        show(first),
                        show(external_ref)
                    );
                    r.fail(row.row, col, message);
                }
                Some(_) => {}
            }
        }
    }
    let get = |col: Col| values.get(&col).map(|(v, row)| (v.as_str(), *row));
    let row_of = |col: Col| values.get(&col).map_or(first_row, |(_, row)| *row);

    let doc_type = match get(Col::Type) {
        None => {
            r.fail(first_row, Col::Type, format!("missing; {DOC_TYPE_HELP}."));
            None
        }
        some => r.parse(some, Col::Type, parse_doc_type),
    };
    let issued_at = r.parse(get(Col::Date), Col::Date, parse_datetime);

    // Receiver.
    let receiver_cols = [
        Col::ReceiverName,
        Col::ReceiverIdType,
        Col::ReceiverId,
        Col::ReceiverEmail,
    ];
    let receiver = if receiver_cols.iter().any(|c| get(*c).is_some()) {
        let id = match (get(Col::ReceiverIdType), get(Col::ReceiverId)) {
            (None, None) => None,
            (Some(_), None) => {
                r.fail(
                    row_of(Col::ReceiverIdType),
                    Col::ReceiverId,
                    "missing; the id type is given but not the id number.",
                );
                None
            }
            (None, Some((_, row))) => {
                r.fail(
                    row,
                    Col::ReceiverIdType,
                    format!("missing; say what kind of id the number is: {ID_TYPE_HELP}."),
                );
                None
            }
            (Some(t), Some(n)) => {
                let id_type = r.parse(Some(t), Col::ReceiverIdType, parse_id_type);
                id_type.and_then(|id_type| {
                    r.parse(Some(n), Col::ReceiverId, |v| normalize_id(v, id_type))
                        .map(|number| Identification { id_type, number })
                })
            }
        };
        Some(Receiver {
            name: get(Col::ReceiverName)
                .map(|(v, _)| v.to_string())
                .unwrap_or_default(),
            id,
            commercial_name: None,
            location: None,
            foreign_address: None,
            phone: None,
            email: get(Col::ReceiverEmail).map(|(v, _)| v.to_string()),
            activity_code: None,
        })
    } else {
        None
    };

    // Currency.
    let rate = r.parse(get(Col::ExchangeRate), Col::ExchangeRate, |v| {
        parse_decimal(v, decimal_comma)
    });
    let usd = match get(Col::Currency) {
        None => Some(false),
        some => r.parse(some, Col::Currency, parse_currency_code),
    };
    let currency = match (usd, rate) {
        (Some(true), Some(exchange_rate)) => Some(Currency::Usd { exchange_rate }),
        (Some(true), None) => {
            if get(Col::ExchangeRate).is_none() {
                r.fail(
                    row_of(Col::Currency),
                    Col::ExchangeRate,
                    "missing; US dollars need the exchange rate of the day (colones per dollar).",
                );
            }
            None
        }
        (Some(false), Some(rate)) if rate != Decimal::ONE => {
            r.fail(
                row_of(Col::ExchangeRate),
                Col::ExchangeRate,
                "an exchange rate only goes with USD; clear it or set the currency to USD.",
            );
            None
        }
        (Some(false), _) => Some(Currency::Crc),
        (None, _) => None,
    };

    // Sale condition.
    let days = r.parse(get(Col::CreditDays), Col::CreditDays, |v| {
        parse_whole(v, 99_999).and_then(|d| u32::try_from(d).map_err(|e| e.to_string()))
    });
    let sale_condition = match get(Col::SaleCondition) {
        None if days.is_some() => Some(SaleCondition::Credit { days: 0 }),
        None => Some(SaleCondition::Cash),
        some => r.parse(some, Col::SaleCondition, parse_sale_condition),
    };
    let sale_condition = match sale_condition {
        Some(SaleCondition::Credit { .. }) => match days {
            Some(days) => Some(SaleCondition::Credit { days }),
            None => {
                if get(Col::CreditDays).is_none() {
                    r.fail(
                        row_of(Col::SaleCondition),
                        Col::CreditDays,
                        "missing; a sale on credit (02) needs the credit term in days.",
                    );
                }
                None
            }
        },
        Some(other) => {
            if days.is_some() {
                r.fail(
                    row_of(Col::CreditDays),
                    Col::CreditDays,
                    "credit days only go with sale condition 02 (credit); clear them or change the sale condition.",
                );
            }
            Some(other)
        }
        None => None,
    };

    let payments = r
        .parse(get(Col::PaymentMethod), Col::PaymentMethod, |v| {
            parse_payments(v, decimal_comma)
        })
        .unwrap_or_default();

    // Reference.
    let reference_cols = [
        Col::ReferenceClave,
        Col::ReferenceType,
        Col::ReferenceDate,
        Col::ReferenceCode,
        Col::ReferenceReason,
    ];
    let mut references = Vec::new();
    if reference_cols.iter().any(|c| get(*c).is_some()) {
        let number = r.parse(get(Col::ReferenceClave), Col::ReferenceClave, code_text);
        let clave = number
            .as_deref()
            .filter(|n| has_clave_shape(n))
            .and_then(|n| {
                let at = row_of(Col::ReferenceClave);
                r.parse(Some((n, at)), Col::ReferenceClave, parse_clave)
            });
        let doc_type = match get(Col::ReferenceType) {
            Some(v) => r.parse(Some(v), Col::ReferenceType, parse_reference_type),
            None => match &clave {
                Some(c) => Some((c.consecutivo().doc_type_code(), None)),
                None => {
                    r.fail(
                        row_of(Col::ReferenceClave),
                        Col::ReferenceType,
                        "missing; say which kind of document is referenced (01 factura, 04 tiquete …) or give its 50-digit clave in reference_clave.",
                    );
                    None
                }
            },
        };
        let issued = match get(Col::ReferenceDate) {
            Some(v) => r.parse(Some(v), Col::ReferenceDate, parse_datetime),
            None => match clave.as_ref().and_then(clave_date) {
                Some(t) => Some(t),
                None => {
                    r.fail(
                        row_of(Col::ReferenceClave),
                        Col::ReferenceDate,
                        "missing; give the referenced document's date (or its 50-digit clave in reference_clave).",
                    );
                    None
                }
            },
        };
        let code = r.parse(
            get(Col::ReferenceCode),
            Col::ReferenceCode,
            parse_reference_code,
        );
        if let (Some((doc_type, doc_type_other)), Some(issued_at)) = (doc_type, issued) {
            let (code, code_other) = match code {
                Some((c, o)) => (Some(c), o),
                None => (None, None),
            };
            references.push(Reference {
                doc_type,
                doc_type_other,
                number,
                issued_at,
                code,
                code_other,
                reason: get(Col::ReferenceReason).map(|(v, _)| v.to_string()),
            });
        }
    }

    let notes = get(Col::Notes).map(|(v, _)| v.to_string());
    let expected_total = r.parse(get(Col::ExpectedTotal), Col::ExpectedTotal, |v| {
        parse_decimal(v, decimal_comma)
    });

    let lines: Option<Vec<Line>> = group.rows.iter().map(|row| row.line.clone()).collect();
    let (Some(doc_type), Some(currency), Some(sale_condition), Some(lines)) =
        (doc_type, currency, sale_condition, lines)
    else {
        return None;
    };
    if r.failed {
        return None;
    }
    let draft = DocumentDraft {
        external_ref: external_ref.to_string(),
        doc_type,
        issued_at,
        receiver,
        sale_condition,
        currency,
        payments,
        references,
        notes,
        lines,
        expected_total,
    };
    let sources = Sources {
        first_row,
        value_rows: values.iter().map(|(c, (_, row))| (*c, *row)).collect(),
        line_rows: group.rows.iter().map(|row| row.row).collect(),
    };
    Some((draft, sources))
}

/// Upper-cases the first letter.
fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The row, column and message of a precheck issue of a CSV document.
fn locate_issue(issue: &Issue, sources: &Sources) -> (usize, &'static str, String) {
    let field = issue.field.as_str();
    let at = |col: Col| {
        (
            sources
                .value_rows
                .get(&col)
                .copied()
                .unwrap_or(sources.first_row),
            col.name(),
        )
    };
    if let Some(rest) = field.strip_prefix("lines[") {
        if let Some((index, sub)) = rest.split_once(']') {
            if let Ok(i) = index.parse::<usize>() {
                let sub = sub.trim_start_matches('.');
                let col = if sub.starts_with("cabys") {
                    Col::Cabys
                } else if sub.starts_with("seller_code") {
                    Col::ProductCode
                } else if sub.starts_with("description") {
                    Col::Description
                } else if sub.starts_with("quantity") {
                    Col::Quantity
                } else if sub.starts_with("unit_price") {
                    Col::UnitPrice
                } else if sub.starts_with("unit") {
                    Col::Unit
                } else if sub.starts_with("discounts") && sub.ends_with(".kind") {
                    Col::DiscountCode
                } else if sub.starts_with("discounts") {
                    Col::Discount
                } else {
                    Col::IvaRate
                };
                let row = sources
                    .line_rows
                    .get(i)
                    .copied()
                    .unwrap_or(sources.first_row);
                let prefix = format!("Line {}: ", i + 1);
                let message = match issue.message.strip_prefix(&prefix) {
                    Some(rest) => capitalize(rest),
                    None => issue.message.clone(),
                };
                return (row, col.name(), message);
            }
        }
    }
    let (row, column) = if field == "receiver" || field == "receiver.name" {
        at(Col::ReceiverName)
    } else if field.starts_with("receiver.id") {
        at(Col::ReceiverId)
    } else if field == "receiver.email" {
        at(Col::ReceiverEmail)
    } else if field.starts_with("receiver") {
        at(Col::ReceiverName)
    } else if field == "sale_condition" {
        at(Col::SaleCondition)
    } else if field == "currency" {
        at(Col::ExchangeRate)
    } else if field.starts_with("payments") {
        at(Col::PaymentMethod)
    } else if field.starts_with("references") {
        if field.ends_with(".doc_type") || field.ends_with(".doc_type_other") {
            at(Col::ReferenceType)
        } else if field.ends_with(".issued_at") {
            at(Col::ReferenceDate)
        } else if field.ends_with(".code") || field.ends_with(".code_other") {
            at(Col::ReferenceCode)
        } else if field.ends_with(".reason") {
            at(Col::ReferenceReason)
        } else {
            at(Col::ReferenceClave)
        }
    } else if field == "notes" {
        at(Col::Notes)
    } else if field == "expected_total" {
        at(Col::ExpectedTotal)
    } else if field == "issued_at" {
        at(Col::Date)
    } else {
        (sources.first_row, "")
    };
    (row, column, issue.message.clone())
}

// ---------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The message for a JSON value of the wrong kind: `should be a text; found a number.`
fn wrong_kind(expected: &str, found: &Value) -> String {
    format!("should be {expected}; found {}.", json_kind(found))
}

/// Problems of one JSON document.
struct JsonReader<'a> {
    problems: &'a mut Problems,
    document: usize,
    external_ref: Option<String>,
    failed: bool,
}

impl JsonReader<'_> {
    fn report(&mut self, path: &str, message: impl Into<String>) {
        self.problems.add(ImportProblem {
            row: None,
            document: Some(self.document),
            external_ref: self.external_ref.clone(),
            field: path.to_string(),
            message: message.into(),
        });
    }

    fn fail(&mut self, path: &str, message: impl Into<String>) {
        self.failed = true;
        self.report(path, message);
    }

    fn fail_wrong_kind<T>(&mut self, path: &str, expected: &str, found: &Value) -> Option<T> {
        self.fail(path, wrong_kind(expected, found));
        None
    }

    fn check<T>(&mut self, path: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(t) => Some(t),
            Err(message) => {
                self.fail(path, message);
                None
            }
        }
    }

    fn object<'v>(&mut self, v: &'v Value, path: &str, allowed: &[&str]) -> Option<Obj<'v>> {
        match v {
            Value::Object(map) => {
                for key in map.keys() {
                    if !allowed.contains(&key.as_str()) {
                        let at = join(path, key);
                        self.fail(
                            &at,
                            format!(
                                "is not a known field here; the fields are {}.",
                                allowed.join(", ")
                            ),
                        );
                    }
                }
                Some(Obj {
                    map,
                    path: path.to_string(),
                })
            }
            other => self.fail_wrong_kind(path, "an object { … }", other),
        }
    }

    fn text(&mut self, v: &Value, path: &str) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
            other => self.fail_wrong_kind(path, "a text", other),
        }
    }

    fn decimal(&mut self, v: &Value, path: &str) -> Option<Decimal> {
        let result = match v {
            Value::Number(n) => {
                let s = n.to_string();
                if s.contains(['e', 'E']) {
                    match Decimal::from_scientific(&s) {
                        Ok(d) if d.abs() < amount_limit() => Ok(d),
                        _ => Err(format!(
                            "{s} is too large or has too many decimals (at most 13 digits before the decimal mark)."
                        )),
                    }
                } else {
                    parse_decimal(&s, false)
                }
            }
            Value::String(s) => parse_decimal(s, false),
            other => Err(wrong_kind("a number", other)),
        };
        self.check(path, result)
    }

    fn whole(&mut self, v: &Value, path: &str, max: u64) -> Option<u64> {
        let result = match v {
            Value::Number(n) => match n.as_u64() {
                Some(x) if x <= max => Ok(x),
                _ => Err(format!("{n} should be a whole number from 0 to {max}.")),
            },
            Value::String(s) => parse_whole(s, max),
            other => Err(wrong_kind("a whole number", other)),
        };
        self.check(path, result)
    }

    fn boolean(&mut self, v: &Value, path: &str) -> Option<bool> {
        let result = match v {
            Value::Bool(b) => Ok(*b),
            Value::String(s) => parse_bool(s),
            other => Err(wrong_kind("true or false", other)),
        };
        self.check(path, result)
    }

    /// Every item of a list read by `item`; `None` when the list or any item fails.
    fn list_of<T>(
        &mut self,
        v: &Value,
        path: &str,
        item: fn(&mut Self, &Value, &str) -> Option<T>,
    ) -> Option<Vec<T>> {
        let items = self.list(v, path)?;
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, value) in items.iter().enumerate() {
            match item(self, value, &format!("{path}[{i}]")) {
                Some(t) => out.push(t),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn list<'v>(&mut self, v: &'v Value, path: &str) -> Option<&'v [Value]> {
        match v {
            Value::Array(items) => Some(items),
            other => self.fail_wrong_kind(path, "a list [ … ]", other),
        }
    }

    /// A string parsed by `parse`, or a one-key object `{"name": payload}` (the serde form
    /// of an enum variant with data) handled by `variant`, which answers `None` for a name
    /// it does not know.
    fn enum_value<T>(
        &mut self,
        v: &Value,
        path: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
        variant: impl FnOnce(&str, &Value) -> Option<Result<T, String>>,
    ) -> Option<T> {
        match v {
            Value::String(s) => self.check(path, parse(s)),
            Value::Number(n) if n.is_u64() => self.check(path, parse(&n.to_string())),
            Value::Object(map) if map.len() == 1 => {
                let (name, payload) = map.iter().next()?;
                match variant(name.as_str(), payload) {
                    Some(result) => self.check(&join(path, name), result),
                    None => {
                        self.fail(
                            path,
                            format!("\"{}\" is not a known value here.", show(name)),
                        );
                        None
                    }
                }
            }
            other => self.fail_wrong_kind(path, "a code or a name", other),
        }
    }
}

/// The text of an `{"other": "text"}` variant.
fn other_text(payload: &Value) -> Result<String, String> {
    match payload {
        Value::String(t) => Ok(t.clone()),
        other => Err(wrong_kind("the description as a text", other)),
    }
}

/// The one entry of an object such as `{"credit": {"days": 30}}`, the serde form of an enum
/// variant with data; `None` when it has none or several.
fn only_entry(map: &Map<String, Value>) -> Option<(&String, &Value)> {
    let mut entries = map.iter();
    match (entries.next(), entries.next()) {
        (Some(entry), None) => Some(entry),
        _ => None,
    }
}

fn no_variant<T>(_: &str, _: &Value) -> Option<Result<T, String>> {
    None
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

struct Obj<'v> {
    map: &'v Map<String, Value>,
    path: String,
}

impl<'v> Obj<'v> {
    /// The first of `names` present and not null, with its path.
    fn get(&self, names: &[&str]) -> Option<(&'v Value, String)> {
        names.iter().find_map(|name| {
            self.map
                .get(*name)
                .filter(|v| !v.is_null())
                .map(|v| (v, join(&self.path, name)))
        })
    }
}

const DOCUMENT_FIELDS: [&str; 16] = [
    "external_ref",
    "ref",
    "doc_type",
    "type",
    "issued_at",
    "date",
    "receiver",
    "sale_condition",
    "credit_days",
    "currency",
    "exchange_rate",
    "payments",
    "references",
    "notes",
    "lines",
    "expected_total",
];

/// Imports a JSON file: a list of drafts or `{"documents": [ … ]}` (see the module
/// documentation).
pub fn import_json(bytes: &[u8]) -> Result<Vec<DocumentDraft>, ImportError> {
    let text = decode(bytes)?;
    let value: Value = serde_json::from_str(text).map_err(|e| FileProblem::JsonSyntax {
        line: e.line(),
        column: e.column(),
        detail: e.to_string(),
    })?;
    let documents = match &value {
        Value::Array(items) => items,
        Value::Object(map) => match map.get("documents") {
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(FileProblem::JsonShape {
                    found: format!("an object whose \"documents\" is {}", json_kind(other)),
                }
                .into())
            }
            None => {
                return Err(FileProblem::JsonShape {
                    found: "an object without a \"documents\" list".into(),
                }
                .into())
            }
        },
        other => {
            return Err(FileProblem::JsonShape {
                found: json_kind(other).into(),
            }
            .into())
        }
    };
    if documents.is_empty() {
        return Err(FileProblem::NoDocuments.into());
    }
    let mut problems = Problems::default();
    let mut drafts = Vec::with_capacity(documents.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, v) in documents.iter().enumerate() {
        if problems.is_full() {
            problems.truncated = true;
            break;
        }
        let mut r = JsonReader {
            problems: &mut problems,
            document: i + 1,
            external_ref: None,
            failed: false,
        };
        let Some(draft) = json_document(&mut r, v) else {
            continue;
        };
        if let Some(first) = seen.get(&draft.external_ref) {
            r.fail(
                "external_ref",
                format!(
                    "\"{}\" is also the ref of document {first}; each document needs its own ref.",
                    show(&draft.external_ref)
                ),
            );
            continue;
        }
        seen.insert(draft.external_ref.clone(), i + 1);
        for issue in draft.precheck() {
            r.report(&issue.field, issue.message);
        }
        drafts.push(draft);
    }
    problems.finish(drafts, false)
}

fn json_document(r: &mut JsonReader, v: &Value) -> Option<DocumentDraft> {
    // The ref first, so every later problem can name it.
    if let Value::Object(map) = v {
        if let Some(Value::String(s)) = map.get("external_ref").or_else(|| map.get("ref")) {
            r.external_ref = Some(show(s.trim()));
        }
    }
    let o = r.object(v, "", &DOCUMENT_FIELDS)?;

    let external_ref = match o.get(&["external_ref", "ref"]) {
        None => {
            r.fail(
                "external_ref",
                "missing; give the document's own number in the source (it keeps a second import of the same file from creating duplicates).",
            );
            None
        }
        Some((v, path)) => r.text(v, &path).and_then(|s| {
            let s = s.trim().to_string();
            if s.is_empty() {
                r.fail(
                    &path,
                    "is empty; give the document's own number in the source.",
                );
                return None;
            }
            r.check(&path, check_external_ref(&s)).map(|()| s)
        }),
    };
    if let Some(e) = &external_ref {
        r.external_ref = Some(show(e));
    }

    let doc_type = match o.get(&["doc_type", "type"]) {
        None => {
            r.fail("doc_type", format!("missing; {DOC_TYPE_HELP}."));
            None
        }
        Some((v, path)) => r.enum_value(v, &path, parse_doc_type, no_variant),
    };

    let issued_at = match o.get(&["issued_at", "date"]) {
        None => None,
        Some((v, path)) => r
            .text(v, &path)
            .and_then(|s| r.check(&path, parse_datetime(&s))),
    };

    let receiver = match o.get(&["receiver"]) {
        None => None,
        Some((v, path)) => json_receiver(r, v, &path),
    };

    let credit_days = o.get(&["credit_days"]).map(|(v, path)| {
        r.whole(v, &path, 99_999)
            .and_then(|d| u32::try_from(d).ok())
    });
    let sale_condition = match o.get(&["sale_condition"]) {
        None => fill_credit_days(r, SaleCondition::Cash, credit_days, true),
        Some((Value::Object(map), path)) => {
            let condition = json_sale_condition_object(r, map, &path);
            if credit_days.is_some() {
                r.fail(
                    "credit_days",
                    "give the days inside the sale condition ({\"credit\": {\"days\": 30}}) or write \"sale_condition\": \"02\" with credit_days.",
                );
            }
            condition
        }
        Some((v, path)) => r
            .enum_value(v, &path, parse_sale_condition, no_variant)
            .and_then(|c| fill_credit_days(r, c, credit_days, false)),
    };

    let exchange_rate = o
        .get(&["exchange_rate"])
        .map(|(v, path)| r.decimal(v, &path));
    let currency = match o.get(&["currency"]) {
        None => json_currency_code(r, false, exchange_rate),
        Some((Value::Object(map), path)) => {
            if exchange_rate.is_some() {
                r.fail(
                    "exchange_rate",
                    "give the rate inside the currency ({\"usd\": {\"exchange_rate\": 505.12}}) or write \"currency\": \"USD\" with exchange_rate.",
                );
            }
            json_currency_object(r, map, &path)
        }
        Some((v, path)) => r
            .enum_value(v, &path, parse_currency_code, no_variant)
            .and_then(|usd| json_currency_code(r, usd, exchange_rate)),
    };

    let payments = match o.get(&["payments"]) {
        None => Some(Vec::new()),
        Some((v, path)) => r.list_of(v, &path, json_payment),
    };

    let references = match o.get(&["references"]) {
        None => Some(Vec::new()),
        Some((v, path)) => r.list_of(v, &path, json_reference),
    };

    let notes = match o.get(&["notes"]) {
        None => None,
        Some((v, path)) => r.text(v, &path),
    };

    let lines = match o.get(&["lines"]) {
        None => {
            r.fail("lines", "missing; a document needs its lines.");
            None
        }
        Some((v, path)) => r.list_of(v, &path, json_line),
    };

    let expected_total = match o.get(&["expected_total"]) {
        None => None,
        Some((v, path)) => r.decimal(v, &path),
    };

    let (
        Some(external_ref),
        Some(doc_type),
        Some(sale_condition),
        Some(currency),
        Some(payments),
        Some(references),
        Some(lines),
    ) = (
        external_ref,
        doc_type,
        sale_condition,
        currency,
        payments,
        references,
        lines,
    )
    else {
        return None;
    };
    if r.failed {
        return None;
    }
    Some(DocumentDraft {
        external_ref,
        doc_type,
        issued_at,
        receiver,
        sale_condition,
        currency,
        payments,
        references,
        notes,
        lines,
        expected_total,
    })
}

/// Puts `credit_days` into a credit sale condition; refuses them on any other.
/// `credit_days`: `None` absent, `Some(None)` present but not a number (already reported).
fn fill_credit_days(
    r: &mut JsonReader,
    condition: SaleCondition,
    credit_days: Option<Option<u32>>,
    defaulted: bool,
) -> Option<SaleCondition> {
    match (condition, credit_days) {
        (_, Some(None)) => None,
        (SaleCondition::Cash, Some(Some(days))) if defaulted => {
            Some(SaleCondition::Credit { days })
        }
        (SaleCondition::Credit { .. }, Some(Some(days))) => Some(SaleCondition::Credit { days }),
        (SaleCondition::Credit { .. }, None) => {
            r.fail(
                "credit_days",
                "missing; a sale on credit (02) needs the credit term in days.",
            );
            None
        }
        (_, Some(Some(_))) => {
            r.fail(
                "credit_days",
                "credit days only go with sale condition 02 (credit); remove them or change the sale condition.",
            );
            None
        }
        (other, None) => Some(other),
    }
}

/// The serde form of a sale condition with data: `{"credit": {"days": 30}}`,
/// `{"code": "12"}`, `{"other": "text"}`.
fn json_sale_condition_object(
    r: &mut JsonReader,
    map: &Map<String, Value>,
    path: &str,
) -> Option<SaleCondition> {
    let Some((name, payload)) = only_entry(map) else {
        r.fail(
            path,
            "should be a code (\"01\"), a name (\"cash\") or one of {\"credit\": {\"days\": 30}}, {\"code\": \"12\"}, {\"other\": \"description\"}.",
        );
        return None;
    };
    let at = join(path, name);
    match name.as_str() {
        "credit" => {
            let o = r.object(payload, &at, &["days"])?;
            match o.get(&["days"]) {
                Some((v, p)) => r
                    .whole(v, &p, 99_999)
                    .and_then(|d| u32::try_from(d).ok())
                    .map(|days| SaleCondition::Credit { days }),
                None => {
                    r.fail(&join(&at, "days"), "missing; give the credit term in days.");
                    None
                }
            }
        }
        "code" => {
            let code = r.text(payload, &at)?;
            match r.check(&at, parse_sale_condition(&code))? {
                SaleCondition::Credit { .. } => {
                    r.fail(&at, "credit needs its days: {\"credit\": {\"days\": 30}}.");
                    None
                }
                other => Some(other),
            }
        }
        "other" => r.text(payload, &at).map(SaleCondition::Other),
        _ => {
            r.fail(
                path,
                format!("\"{}\" is not a sale condition; {SALE_HELP}.", show(name)),
            );
            None
        }
    }
}

/// `"currency": "USD"` (or CRC) with the sibling `exchange_rate`.
fn json_currency_code(
    r: &mut JsonReader,
    usd: bool,
    exchange_rate: Option<Option<Decimal>>,
) -> Option<Currency> {
    match (usd, exchange_rate) {
        (_, Some(None)) => None,
        (true, Some(Some(exchange_rate))) => Some(Currency::Usd { exchange_rate }),
        (true, None) => {
            r.fail(
                "exchange_rate",
                "missing; US dollars need the exchange rate of the day (colones per dollar).",
            );
            None
        }
        (false, Some(Some(rate))) if rate != Decimal::ONE => {
            r.fail(
                "exchange_rate",
                "an exchange rate only goes with USD; remove it or set the currency to USD.",
            );
            None
        }
        (false, _) => Some(Currency::Crc),
    }
}

/// The serde form `{"usd": {"exchange_rate": "505.12"}}`.
fn json_currency_object(
    r: &mut JsonReader,
    map: &Map<String, Value>,
    path: &str,
) -> Option<Currency> {
    match only_entry(map) {
        Some((name, payload)) if name_key(name) == "usd" => {
            let at = join(path, name);
            let o = r.object(payload, &at, &["exchange_rate"])?;
            match o.get(&["exchange_rate"]) {
                Some((v, p)) => r
                    .decimal(v, &p)
                    .map(|exchange_rate| Currency::Usd { exchange_rate }),
                None => {
                    r.fail(
                        &join(&at, "exchange_rate"),
                        "missing; US dollars need the exchange rate of the day (colones per dollar).",
                    );
                    None
                }
            }
        }
        _ => {
            r.fail(
                path,
                "should be \"CRC\", \"USD\" (with exchange_rate) or {\"usd\": {\"exchange_rate\": 505.12}}.",
            );
            None
        }
    }
}

fn json_receiver(r: &mut JsonReader, v: &Value, path: &str) -> Option<Receiver> {
    let o = r.object(
        v,
        path,
        &[
            "name",
            "id",
            "commercial_name",
            "location",
            "foreign_address",
            "phone",
            "email",
            "activity_code",
        ],
    )?;
    let mut ok = true;
    let mut text = |r: &mut JsonReader, key: &str| -> Option<String> {
        let (v, p) = o.get(&[key])?;
        let t = r.text(v, &p);
        ok &= t.is_some();
        t
    };
    let name = text(r, "name").unwrap_or_default();
    let commercial_name = text(r, "commercial_name");
    let foreign_address = text(r, "foreign_address");
    let email = text(r, "email");
    let activity_code = text(r, "activity_code");
    let id = match o.get(&["id"]) {
        None => None,
        Some((v, p)) => {
            let id = json_identification(r, v, &p);
            ok &= id.is_some();
            id
        }
    };
    let location = match o.get(&["location"]) {
        None => None,
        Some((v, p)) => {
            let l = json_location(r, v, &p);
            ok &= l.is_some();
            l
        }
    };
    let phone = match o.get(&["phone"]) {
        None => None,
        Some((v, p)) => {
            let ph = json_phone(r, v, &p);
            ok &= ph.is_some();
            ph
        }
    };
    ok.then_some(Receiver {
        name,
        id,
        commercial_name,
        location,
        foreign_address,
        phone,
        email,
        activity_code,
    })
}

fn json_identification(r: &mut JsonReader, v: &Value, path: &str) -> Option<Identification> {
    let o = r.object(v, path, &["id_type", "number"])?;
    let id_type = match o.get(&["id_type"]) {
        Some((v, p)) => r.enum_value(v, &p, parse_id_type, no_variant),
        None => {
            r.fail(&join(path, "id_type"), format!("missing; {ID_TYPE_HELP}."));
            None
        }
    };
    let number = match o.get(&["number"]) {
        Some((v, p)) => r.text(v, &p).map(|n| (n, p)),
        None => {
            r.fail(&join(path, "number"), "missing; give the id number.");
            None
        }
    };
    let (id_type, (number, number_path)) = (id_type?, number?);
    let number = r.check(&number_path, normalize_id(&number, id_type))?;
    Some(Identification { id_type, number })
}

fn json_location(r: &mut JsonReader, v: &Value, path: &str) -> Option<Location> {
    let o = r.object(
        v,
        path,
        &[
            "province",
            "canton",
            "district",
            "neighborhood",
            "other_signs",
        ],
    )?;
    let number = |r: &mut JsonReader, key: &str| -> Option<u8> {
        match o.get(&[key]) {
            Some((v, p)) => r.whole(v, &p, 99).and_then(|n| u8::try_from(n).ok()),
            None => {
                r.fail(&join(path, key), "missing.");
                None
            }
        }
    };
    let province = number(r, "province");
    let canton = number(r, "canton");
    let district = number(r, "district");
    let neighborhood = match o.get(&["neighborhood"]) {
        Some((v, p)) => Some(r.text(v, &p)?),
        None => None,
    };
    let other_signs = match o.get(&["other_signs"]) {
        Some((v, p)) => r.text(v, &p),
        None => Some(String::new()),
    };
    Some(Location {
        province: province?,
        canton: canton?,
        district: district?,
        neighborhood,
        other_signs: other_signs?,
    })
}

fn json_phone(r: &mut JsonReader, v: &Value, path: &str) -> Option<Phone> {
    let o = r.object(v, path, &["country_code", "number"])?;
    let country_code = match o.get(&["country_code"]) {
        Some((v, p)) => r.whole(v, &p, 999).and_then(|n| u16::try_from(n).ok()),
        None => Some(506),
    };
    let number = match o.get(&["number"]) {
        Some((v, p)) => r.text(v, &p),
        None => {
            r.fail(&join(path, "number"), "missing; give the phone number.");
            None
        }
    };
    Some(Phone {
        country_code: country_code?,
        number: number?,
    })
}

fn json_payment(r: &mut JsonReader, v: &Value, path: &str) -> Option<Payment> {
    let o = r.object(v, path, &["method", "amount"])?;
    let method = match o.get(&["method"]) {
        Some((v, p)) => r.enum_value(v, &p, parse_payment_method, |name, payload| {
            (name == "other").then(|| other_text(payload).map(PaymentMethod::Other))
        }),
        None => {
            r.fail(&join(path, "method"), format!("missing; {PAYMENT_HELP}."));
            None
        }
    };
    let amount = o.get(&["amount"]).map(|(v, p)| r.decimal(v, &p));
    Some(Payment {
        method: method?,
        amount: amount.map_or(Some(None), |a| a.map(Some))?,
    })
}

const REFERENCE_FIELDS: [&str; 7] = [
    "doc_type",
    "doc_type_other",
    "number",
    "issued_at",
    "code",
    "code_other",
    "reason",
];

fn json_reference(r: &mut JsonReader, v: &Value, path: &str) -> Option<Reference> {
    let o = r.object(v, path, &REFERENCE_FIELDS)?;
    let mut ok = true;
    let mut text = |r: &mut JsonReader, key: &str| -> Option<(String, String)> {
        let (v, p) = o.get(&[key])?;
        let t = r.text(v, &p);
        ok &= t.is_some();
        t.map(|t| (t, p))
    };
    let number = text(r, "number");
    let doc_type = text(r, "doc_type");
    let doc_type_other = text(r, "doc_type_other").map(|(t, _)| t);
    let issued_at = text(r, "issued_at");
    let code = text(r, "code");
    let code_other = text(r, "code_other").map(|(t, _)| t);
    let reason = text(r, "reason").map(|(t, _)| t);
    if !ok {
        return None;
    }
    let clave = number
        .as_ref()
        .filter(|(n, _)| has_clave_shape(n))
        .and_then(|(n, p)| r.check(p, parse_clave(n)));
    let doc_type = match doc_type {
        Some((t, p)) => r
            .check(&p, parse_reference_type(&t))
            .map(|(code, other)| (code, other.or(doc_type_other))),
        None => match &clave {
            Some(c) => Some((c.consecutivo().doc_type_code(), doc_type_other)),
            None => {
                r.fail(
                    &join(path, "doc_type"),
                    "missing; say which kind of document is referenced (\"01\" factura …) or give its 50-digit clave as number.",
                );
                None
            }
        },
    };
    let issued_at = match issued_at {
        Some((t, p)) => r.check(&p, parse_datetime(&t)),
        None => match clave.as_ref().and_then(clave_date) {
            Some(t) => Some(t),
            None => {
                r.fail(
                    &join(path, "issued_at"),
                    "missing; give the referenced document's date (or its 50-digit clave as number).",
                );
                None
            }
        },
    };
    let code = match code {
        Some((c, p)) => r
            .check(&p, parse_reference_code(&c))
            .map(|(code, other)| (Some(code), other.or(code_other))),
        None => Some((None, code_other)),
    };
    let ((doc_type, doc_type_other), issued_at, (code, code_other)) =
        (doc_type?, issued_at?, code?);
    Some(Reference {
        doc_type,
        doc_type_other,
        number: number.map(|(n, _)| n),
        issued_at,
        code,
        code_other,
        reason,
    })
}

const LINE_FIELDS: [&str; 12] = [
    "cabys",
    "cabys_code",
    "seller_code",
    "product_code",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "discounts",
    "tax",
    "iva_rate",
    "not_subject",
];

fn json_line(r: &mut JsonReader, v: &Value, path: &str) -> Option<Line> {
    let o = r.object(v, path, &LINE_FIELDS)?;
    let mut failed = false;
    let mut text = |r: &mut JsonReader, keys: &[&str]| -> Option<String> {
        let (v, p) = o.get(keys)?;
        let t = r.text(v, &p);
        failed |= t.is_none();
        t
    };
    let cabys = text(r, &["cabys", "cabys_code"]);
    let seller_code = text(r, &["seller_code", "product_code"]);
    let description = text(r, &["description"]);
    let unit = text(r, &["unit"]).map(|u| normalize_unit(&u));
    if let Some(hint) = cabys.as_deref().and_then(scientific_hint) {
        r.fail(&join(path, "cabys"), hint);
    }
    let required_decimal = |r: &mut JsonReader, key: &str, missing: &str| match o.get(&[key]) {
        Some((v, p)) => r.decimal(v, &p),
        None => {
            r.fail(&join(path, key), missing);
            None
        }
    };
    let quantity = required_decimal(r, "quantity", "missing; give how many were sold.");
    let unit_price = required_decimal(
        r,
        "unit_price",
        "missing; give the price of one unit before tax.",
    );
    if unit.is_none() && !failed {
        r.fail(
            &join(path, "unit"),
            "missing; give the unit of measure (\"Unid\", \"Sp\", \"Kg\" …).",
        );
    }
    let tax = match o.get(&["tax", "iva_rate"]) {
        Some((v, p)) => json_tax(r, v, &p),
        None => {
            r.fail(&join(path, "tax"), format!("missing; {IVA_HELP}."));
            None
        }
    };
    let discounts = match o.get(&["discounts"]) {
        None => Some(Vec::new()),
        Some((v, p)) => r.list_of(v, &p, json_discount),
    };
    let not_subject = match o.get(&["not_subject"]) {
        Some((v, p)) => r.boolean(v, &p),
        None => Some(false),
    };
    let (
        Some(quantity),
        Some(unit_price),
        Some(unit),
        Some(tax),
        Some(discounts),
        Some(not_subject),
    ) = (quantity, unit_price, unit, tax, discounts, not_subject)
    else {
        return None;
    };
    if failed {
        return None;
    }
    if !line_amount_fits(quantity, unit_price) {
        r.fail(
            &join(path, "unit_price"),
            "the line amount (quantity × unit price) is larger than the 13 digits allowed.",
        );
        return None;
    }
    Some(Line {
        cabys: cabys.unwrap_or_default(),
        seller_code,
        description: description.unwrap_or_default(),
        quantity,
        unit,
        unit_price,
        discounts,
        tax,
        not_subject,
    })
}

/// `"08"`, `"13%"`, `"general13"` or `{"rate": …, "percentage": …}`.
fn json_tax(r: &mut JsonReader, v: &Value, path: &str) -> Option<LineTax> {
    match v {
        Value::Object(_) => {
            let o = r.object(v, path, &["rate", "percentage"])?;
            let rate = match o.get(&["rate"]) {
                Some((v, p)) => r.enum_value(v, &p, |s| parse_iva_rate(s, false), no_variant),
                None => {
                    r.fail(&join(path, "rate"), format!("missing; {IVA_HELP}."));
                    None
                }
            };
            let percentage = match o.get(&["percentage"]) {
                None => Some(None),
                Some((v, p)) => r.decimal(v, &p).and_then(|pct| {
                    if pct < Decimal::ZERO || pct > Decimal::ONE_HUNDRED {
                        r.fail(&p, "a percentage is between 0 and 100.");
                        None
                    } else {
                        Some(Some(pct))
                    }
                }),
            };
            Some(LineTax {
                rate: rate?,
                percentage: percentage?,
            })
        }
        _ => r
            .enum_value(v, path, |s| parse_iva_rate(s, false), no_variant)
            .map(LineTax::iva),
    }
}

fn json_discount(r: &mut JsonReader, v: &Value, path: &str) -> Option<Discount> {
    let o = r.object(v, path, &["amount", "kind", "description"])?;
    let amount = match o.get(&["amount"]) {
        Some((v, p)) => r.decimal(v, &p),
        None => {
            r.fail(&join(path, "amount"), "missing; give the discount amount.");
            None
        }
    };
    let kind = match o.get(&["kind"]) {
        Some((v, p)) => r.enum_value(v, &p, parse_discount_kind, |name, payload| {
            (name == "other").then(|| other_text(payload).map(DiscountKind::Other))
        }),
        None => Some(DiscountKind::Commercial),
    };
    let description = o.get(&["description"]).map(|(v, p)| r.text(v, &p));
    Some(Discount {
        amount: amount?,
        kind: kind?,
        description: description.map_or(Some(None), |d| d.map(Some))?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn columns_and_their_index_agree() {
        for (i, col) in Col::ALL.into_iter().enumerate() {
            assert_eq!(col.index(), i);
        }
        for spec in &CSV_COLUMNS {
            assert_eq!(
                column_for(&header_key(spec.name)),
                Col::ALL.into_iter().find(|c| c.name() == spec.name)
            );
            for alias in spec.aliases {
                assert_eq!(column_for(alias).map(Col::name), Some(spec.name));
            }
        }
        assert_eq!(
            column_for(&header_key(" Unit-Price ")),
            Some(Col::UnitPrice)
        );
        assert_eq!(column_for(&header_key("IVA rate")), Some(Col::IvaRate));
    }

    #[test]
    fn numbers() {
        for (text, comma, want) in [
            ("12", false, "12"),
            (" 12.50 ", false, "12.5"),
            ("-3", false, "-3"),
            ("+3", false, "3"),
            (".5", false, "0.5"),
            ("5.", false, "5"),
            ("2,5", true, "2.5"),
            ("9999999999999.99999", false, "9999999999999.99999"),
            ("0000000000000001", false, "1"),
        ] {
            assert_eq!(parse_decimal(text, comma), Ok(d(want)), "{text}");
        }
        for (text, comma) in [
            ("", false),
            ("abc", false),
            ("1_000", false),
            ("1 000", false),
            ("1e5", false),
            ("2,5", false),
            ("1.234,5", true),
            ("1.2.3", false),
            ("10000000000000", false),
            ("₡100", false),
            ("-", false),
            (".", false),
            ("0.1234567890123456", false),
        ] {
            assert!(parse_decimal(text, comma).is_err(), "{text}");
        }
    }

    #[test]
    fn dates() {
        let at = |y, m, day, h, min| {
            cr_datetime(
                NaiveDate::from_ymd_opt(y, m, day).unwrap(),
                NaiveTime::from_hms_opt(h, min, 0).unwrap(),
            )
            .unwrap()
        };
        for (text, want) in [
            ("2025-03-01", at(2025, 3, 1, 0, 0)),
            ("01/03/2025", at(2025, 3, 1, 0, 0)),
            ("1/3/2025 9:05", at(2025, 3, 1, 9, 5)),
            ("2025-03-01 14:30", at(2025, 3, 1, 14, 30)),
            ("2025-03-01T14:30:00", at(2025, 3, 1, 14, 30)),
            ("2025-03-01T20:30:00Z", at(2025, 3, 1, 14, 30)),
            ("2025-03-01T14:30:00-06:00", at(2025, 3, 1, 14, 30)),
            ("2025-03-01 14:30:00-06:00", at(2025, 3, 1, 14, 30)),
        ] {
            assert_eq!(parse_datetime(text), Ok(want), "{text}");
        }
        assert_eq!(
            parse_datetime("2025-03-01T14:30:00Z").unwrap().offset(),
            &FixedOffset::east_opt(0).unwrap()
        );
        for text in [
            "",
            "03/13/2025",
            "2025-02-30",
            "1999-12-31",
            "2100-01-01",
            "45717",
            "mañana",
        ] {
            assert!(parse_datetime(text).is_err(), "{text}");
        }
        assert!(parse_datetime("45717").unwrap_err().contains("spreadsheet"));
    }

    #[test]
    fn delimiters_and_letters() {
        assert_eq!(detect_delimiter("a,b,c\n1;2"), b',');
        assert_eq!(detect_delimiter("a;b;c\n1,2,3,4"), b';');
        assert_eq!(detect_delimiter("\"a;b\",c"), b',');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter("ref"), b',');
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(28), "AC");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn units_and_names() {
        assert_eq!(normalize_unit("unid"), "Unid");
        assert_eq!(normalize_unit("SP"), "Sp");
        assert_eq!(normalize_unit("kg"), "Kg");
        assert_eq!(normalize_unit("unidades"), "Unid");
        // "h" and "H" are both units: no guessing.
        assert_eq!(normalize_unit("h"), "h");
        assert_eq!(normalize_unit("caja"), "caja");
        assert_eq!(name_key(" Nota de Crédito "), "nota_de_credito");
        assert_eq!(code2("1"), Some("01".into()));
        assert_eq!(code2("123"), None);
        assert_eq!(split_code_text("99: Canje"), ("99", Some("Canje")));
        assert_eq!(split_code_text("99:"), ("99", None));
    }

    #[test]
    fn text_detection() {
        assert_eq!(decode(b"ref\n"), Ok("ref\n"));
        assert_eq!(decode(b"\xEF\xBB\xBFref"), Ok("ref"));
        assert_eq!(
            decode(b"\xD0\xCF\x11\xE0\xA1\xB1"),
            Err(FileProblem::Spreadsheet)
        );
        assert_eq!(decode(b"a\x01\x02\x03\x04b"), Err(FileProblem::Binary));
        assert_eq!(decode(b"r\x00e\x00f\x00"), Err(FileProblem::Utf16));
        assert_eq!(decode(b"ok\n\n\xff"), Err(FileProblem::NotUtf8 { line: 3 }));
    }
}
