//! Costa Rican e-invoices ("Comprobantes Electrónicos" v4.4): a pure library with no I/O.
//!
//! - [`document`]: the domain types (factura, notas, tiquete; issuer, receiver, lines,
//!   currency, payments, references) and the totals computed from the lines.
//! - [`numbering`]: consecutivo (20 digits) and clave (50 digits), both ways.
//! - [`precheck`]: what the XSD or Hacienda would reject, per field, in plain words.
//! - [`xml`]: the v4.4 XML of each document.
//! - [`p12`]: the signing key and certificate from a .p12 file (legacy ones included).
//! - [`sign`]: the XAdES-EPES enveloped signature.
//! - [`reply`]: Hacienda's status JSON and MensajeHacienda, with the rejection's error lines.
//! - [`import`]: drafts from CSV and JSON files, all or nothing, with problems per row /
//!   document in a clerk's words.
//!
//! # Crates, and why
//!
//! - `rust_decimal`: exact decimal amounts with half-away-from-zero rounding; no `f64`.
//! - `quick-xml` (already in the workspace): a maintained streaming parser, used to read
//!   replies and, through a small tree, the XML to be signed.
//! - XML-DSig: DESIGN suggests `bergshamra`. It can sign templates, but it requires Rust
//!   1.88 (the workspace declares 1.85) and pulls its own XML parser plus ~35 crypto crates
//!   (post-quantum, curves, PKCS#11) into the desktop build. Since Loket only signs XML it
//!   generated itself (no DTDs, no entities), the crate carries its own inclusive C14N 1.0
//!   (`c14n`, a few hundred lines) and the tests verify every signature with xmlsec1, an
//!   independent implementation, including a tampered copy that must fail.
//! - `ring` (already built for rustls): RSA PKCS#1 v1.5 signing with SHA-256 in constant
//!   time and the SHA-256 digests; chosen over the `rsa` crate, which carries an open
//!   timing advisory (RUSTSEC-2023-0071).
//! - `x509-cert` and `pkcs8` (RustCrypto, maintained): certificate fields (subject, issuer,
//!   serial, validity, the subject's `serialNumber`) and the PKCS#8 key wrapper.
//! - `p12-keystore`: maintained pure-Rust PKCS#12 that opens the tax authority's legacy
//!   files (SHA1-3DES key bag, RC2-40 certificate bag) and reports a bad MAC (wrong PIN)
//!   apart from unsupported encryption.
//! - `serde_json`, `base64`, `chrono`, `thiserror`: from the workspace.
//! - `csv` (already used by the engine's exports): quoting, embedded line breaks and
//!   record positions for the CSV import.

#![warn(missing_docs)]

mod c14n;
pub mod document;
pub mod import;
pub mod numbering;
pub mod p12;
pub mod precheck;
pub mod pretty;
pub mod reply;
pub mod sign;
pub mod xml;

pub use c14n::XmlError;
pub use document::{
    round_amount, Currency, Discount, DiscountKind, Document, DocumentType, IdType, Identification,
    Issuer, IvaRate, Line, LineTax, LineTotals, Location, Payment, PaymentMethod, Phone, Receiver,
    Reference, SaleClass, SaleCondition, TaxBreakdown, Totals,
};
pub use import::{
    import_csv, import_drafts, import_json, CsvColumn, DocumentDraft, FileProblem, ImportError,
    ImportFormat, ImportProblem, CSV_COLUMNS, MAX_PROBLEMS,
};
pub use numbering::{random_security_code, Clave, Consecutivo, NumberingError, Situation};
pub use p12::{CertificateInfo, P12Error, SigningIdentity};
pub use precheck::{precheck, Issue};
pub use pretty::pretty_xml;
pub use reply::{
    decode_mensaje_hacienda, parse_error_lines, parse_mensaje_hacienda, parse_status_reply,
    HaciendaErrorLine, HaciendaMessage, ReplyError, State, StatusReply, Verdict,
};
pub use sign::{sign_document, sign_xml, SignError};
pub use xml::{to_xml, InvalidDocument};
