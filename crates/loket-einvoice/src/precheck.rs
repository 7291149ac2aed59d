//! Catches, before any XML is built, what the v4.4 XSD (or Hacienda's first checks) would
//! reject: lengths, patterns, required elements, codes, number sizes, and totals that do
//! not add up. One [`Issue`] per field, worded for the person who typed it.

use chrono::Datelike;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::document::{
    Document, DocumentType, IdType, Identification, Location, Phone, SaleCondition, UNITS,
};
use crate::numbering::normalize_issuer_id;

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// Where, as a path into [`Document`]: `issuer.name`, `lines[2].quantity` (0-based).
    pub field: String,
    /// What is wrong and how to fix it, in plain words.
    pub message: String,
}

/// Largest amount the XSD accepts (`DecimalDineroType`).
fn max_amount() -> Decimal {
    Decimal::new(999_999_999_999_999_999, 5)
}

/// How far the source system's total may be from ours before it is flagged.
pub const TOTAL_TOLERANCE: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

struct Checker {
    issues: Vec<Issue>,
}

impl Checker {
    fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.issues.push(Issue {
            field: field.into(),
            message: message.into(),
        });
    }

    /// Length in characters within `min..=max`, no control characters, not blank.
    fn text(&mut self, field: &str, label: &str, value: &str, min: usize, max: usize) {
        let n = value.chars().count();
        if value.trim().is_empty() {
            self.push(field, format!("{label} is empty."));
        } else if n < min {
            self.push(
                field,
                format!("{label} is too short: at least {min} characters ({n} now)."),
            );
        } else if n > max {
            self.push(
                field,
                format!("{label} is too long: at most {max} characters ({n} now)."),
            );
        } else if value.chars().any(|c| {
            (c.is_control() && !matches!(c, '\n' | '\t')) || matches!(c, '\u{fffe}' | '\u{ffff}')
        }) {
            self.push(
                field,
                format!("{label} contains an invisible control character; retype it."),
            );
        }
    }

    fn opt_text(&mut self, field: &str, label: &str, value: Option<&str>, min: usize, max: usize) {
        if let Some(v) = value {
            self.text(field, label, v, min, max);
        }
    }

    fn amount(&mut self, field: &str, label: &str, value: Decimal) {
        if value.is_sign_negative() && !value.is_zero() {
            self.push(field, format!("{label} cannot be negative."));
        } else if value > max_amount() {
            self.push(
                field,
                format!("{label} is larger than the 13 digits allowed."),
            );
        } else if value.normalize().scale() > 5 {
            self.push(field, format!("{label} has more than 5 decimals."));
        }
    }

    fn digits(&mut self, field: &str, label: &str, value: &str, len: usize) {
        if value.len() != len || !value.bytes().all(|b| b.is_ascii_digit()) {
            self.push(field, format!("{label} must be exactly {len} digits."));
        }
    }

    fn email(&mut self, field: &str, value: &str) {
        let trimmed = value.trim();
        let shaped = match trimmed.split_once('@') {
            Some((user, domain)) => {
                !user.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !trimmed.contains(char::is_whitespace)
            }
            None => false,
        };
        if !shaped {
            self.push(
                field,
                format!("\"{value}\" does not look like an e-mail address."),
            );
        } else if trimmed.chars().count() > 160 {
            self.push(field, "The e-mail address is longer than 160 characters.");
        }
    }

    fn identification(&mut self, field: &str, who: &str, id: &Identification) {
        let n = &id.number;
        let all_digits = !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
        let rule = match id.id_type {
            IdType::Fisica => Some((
                all_digits && n.len() == 9 && !n.starts_with('0'),
                "a cédula física has 9 digits, without dashes and not starting with 0",
            )),
            IdType::Juridica => Some((
                all_digits && n.len() == 10,
                "a cédula jurídica has 10 digits, without dashes",
            )),
            IdType::Dimex => Some((
                all_digits && (n.len() == 11 || n.len() == 12) && !n.starts_with('0'),
                "a DIMEX has 11 or 12 digits, without dashes",
            )),
            IdType::Nite => Some((
                all_digits && n.len() == 10,
                "a NITE has 10 digits, without dashes",
            )),
            IdType::ExtranjeroNoDomiciliado | IdType::NoContribuyente => None,
        };
        match rule {
            Some((true, _)) => {}
            Some((false, hint)) => self.push(
                format!("{field}.number"),
                format!("The {who}'s id number \"{n}\" is not valid: {hint}."),
            ),
            None => self.text(
                &format!("{field}.number"),
                &format!("The {who}'s id number"),
                n,
                1,
                20,
            ),
        }
    }

    fn location(&mut self, field: &str, who: &str, l: &Location) {
        if !(1..=7).contains(&l.province) {
            self.push(
                format!("{field}.province"),
                format!("The {who}'s province must be 1 to 7."),
            );
        }
        if !(1..=99).contains(&l.canton) {
            self.push(
                format!("{field}.canton"),
                format!("The {who}'s canton must be 1 to 99."),
            );
        }
        if !(1..=99).contains(&l.district) {
            self.push(
                format!("{field}.district"),
                format!("The {who}'s district must be 1 to 99."),
            );
        }
        self.opt_text(
            &format!("{field}.neighborhood"),
            &format!("The {who}'s neighbourhood"),
            l.neighborhood.as_deref(),
            5,
            50,
        );
        self.text(
            &format!("{field}.other_signs"),
            &format!("The {who}'s address details (otras señas)"),
            &l.other_signs,
            5,
            250,
        );
    }

    fn phone(&mut self, field: &str, who: &str, p: &Phone) {
        if !(1..=999).contains(&p.country_code) {
            self.push(
                format!("{field}.country_code"),
                format!(
                    "The {who}'s phone country code must be 1 to 3 digits (506 for Costa Rica)."
                ),
            );
        }
        let n = &p.number;
        if !(8..=20).contains(&n.len())
            || !n.bytes().all(|b| b.is_ascii_digit())
            || n.starts_with('0')
        {
            self.push(
                format!("{field}.number"),
                format!(
                    "The {who}'s phone number must be 8 to 20 digits, without spaces or dashes."
                ),
            );
        }
    }
}

/// Sale condition codes each document accepts (CondicionVenta enumerations of the XSDs).
fn sale_condition_allowed(t: DocumentType, code: &str) -> bool {
    const BASE: [&str; 13] = [
        "01", "02", "03", "04", "05", "06", "07", "08", "10", "13", "14", "15", "99",
    ];
    BASE.contains(&code)
        || match t {
            DocumentType::Factura => code == "12",
            DocumentType::NotaCredito | DocumentType::NotaDebito => {
                matches!(code, "09" | "11" | "12")
            }
            DocumentType::Tiquete => false,
        }
}

const REFERENCE_DOC_TYPES: [&str; 19] = [
    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16",
    "17", "18", "99",
];
const REFERENCE_CODES: [&str; 12] = [
    "01", "02", "04", "05", "06", "07", "08", "09", "10", "11", "12", "99",
];

/// Checks a document; an empty list means it can be built.
pub fn precheck(doc: &Document) -> Vec<Issue> {
    let mut c = Checker { issues: Vec::new() };
    let t = doc.doc_type;

    // Clave and consecutivo.
    let clave = &doc.clave;
    if clave.consecutivo().doc_type() != Some(t) {
        c.push(
            "clave",
            format!(
                "The clave and consecutivo are for document type {}, but this is a {} ({}).",
                clave.consecutivo().doc_type_code(),
                t.label(),
                t.code()
            ),
        );
    }
    match normalize_issuer_id(&doc.issuer.id.number) {
        Ok(padded) if padded == clave.issuer_id_padded() => {}
        _ => c.push(
            "clave",
            format!(
                "The clave carries issuer id {}, but the issuer's id is {}.",
                clave.issuer_id(),
                doc.issuer.id.number
            ),
        ),
    }
    let issued = doc.issued_at.date_naive();
    if issued != clave.date() {
        c.push(
            "clave",
            format!(
                "The clave's date ({:02}/{:02}/{}) differs from the issue date ({:02}/{:02}/{}).",
                clave.date().day(),
                clave.date().month(),
                clave.date().year(),
                issued.day(),
                issued.month(),
                issued.year()
            ),
        );
    }
    c.text(
        "provider_id",
        "The software provider's id (ProveedorSistemas)",
        &doc.provider_id,
        1,
        20,
    );

    // Issuer.
    let issuer = &doc.issuer;
    c.text("issuer.name", "The issuer's name", &issuer.name, 5, 100);
    c.identification("issuer.id", "issuer", &issuer.id);
    if matches!(
        issuer.id.id_type,
        IdType::ExtranjeroNoDomiciliado | IdType::NoContribuyente
    ) {
        c.push(
            "issuer.id.id_type",
            "An issuer must be identified by cédula física, cédula jurídica, DIMEX or NITE.",
        );
    }
    c.opt_text(
        "issuer.commercial_name",
        "The issuer's trade name",
        issuer.commercial_name.as_deref(),
        3,
        80,
    );
    c.location("issuer.location", "issuer", &issuer.location);
    if let Some(p) = &issuer.phone {
        c.phone("issuer.phone", "issuer", p);
    }
    if issuer.emails.is_empty() {
        c.push("issuer.emails", "The issuer needs an e-mail address.");
    } else if issuer.emails.len() > 4 {
        c.push(
            "issuer.emails",
            "The issuer can have at most 4 e-mail addresses.",
        );
    }
    for (i, e) in issuer.emails.iter().enumerate() {
        c.email(&format!("issuer.emails[{i}]"), e);
    }
    activity(
        &mut c,
        "issuer.activity_code",
        "The issuer's activity code",
        &issuer.activity_code,
    );

    // Receiver.
    match &doc.receiver {
        None if t.requires_receiver() => c.push(
            "receiver",
            format!("A {} needs a receiver (name and id).", t.label()),
        ),
        None => {}
        Some(r) => {
            c.text("receiver.name", "The receiver's name", &r.name, 3, 100);
            match &r.id {
                Some(id) => c.identification("receiver.id", "receiver", id),
                None if t.requires_receiver() => c.push(
                    "receiver.id",
                    format!("A {} needs the receiver's id number.", t.label()),
                ),
                None => {}
            }
            c.opt_text(
                "receiver.commercial_name",
                "The receiver's trade name",
                r.commercial_name.as_deref(),
                3,
                80,
            );
            if let Some(l) = &r.location {
                c.location("receiver.location", "receiver", l);
            }
            c.opt_text(
                "receiver.foreign_address",
                "The receiver's address abroad",
                r.foreign_address.as_deref(),
                5,
                300,
            );
            if let Some(p) = &r.phone {
                c.phone("receiver.phone", "receiver", p);
            }
            if let Some(e) = &r.email {
                c.email("receiver.email", e);
            }
            if let Some(code) = &r.activity_code {
                activity(
                    &mut c,
                    "receiver.activity_code",
                    "The receiver's activity code",
                    code,
                );
            }
        }
    }

    // Sale condition.
    let code = doc.sale_condition.code();
    if !sale_condition_allowed(t, code) {
        c.push(
            "sale_condition",
            format!("Sale condition {code} cannot be used on a {}.", t.label()),
        );
    }
    match &doc.sale_condition {
        SaleCondition::Other(text) => c.text(
            "sale_condition",
            "The description of the sale condition",
            text,
            5,
            100,
        ),
        SaleCondition::Credit { days } if *days > 99_999 => c.push(
            "sale_condition",
            "The credit term can be at most 99999 days.",
        ),
        _ => {}
    }

    // Lines.
    if doc.lines.is_empty() {
        c.push("lines", "Add at least one line.");
    } else if doc.lines.len() > 1000 {
        c.push("lines", "A document can have at most 1000 lines; split it.");
    }
    let quantity_max = Decimal::new(9_999_999_999_999_999, 3);
    for (i, line) in doc.lines.iter().enumerate() {
        let f = |name: &str| format!("lines[{i}].{name}");
        let n = i + 1;
        c.digits(
            &f("cabys"),
            &format!("Line {n}: the CABYS code"),
            &line.cabys,
            13,
        );
        c.opt_text(
            &f("seller_code"),
            &format!("Line {n}: the product code"),
            line.seller_code.as_deref(),
            1,
            20,
        );
        c.text(
            &f("description"),
            &format!("Line {n}: the description"),
            &line.description,
            3,
            200,
        );
        if line.quantity <= Decimal::ZERO {
            c.push(
                f("quantity"),
                format!("Line {n}: the quantity must be more than zero."),
            );
        } else if line.quantity.normalize().scale() > 3 {
            c.push(
                f("quantity"),
                format!("Line {n}: the quantity can have at most 3 decimals."),
            );
        } else if line.quantity > quantity_max {
            c.push(
                f("quantity"),
                format!("Line {n}: the quantity is too large."),
            );
        }
        if !UNITS.contains(&line.unit.as_str()) {
            c.push(
                f("unit"),
                format!(
                    "Line {n}: \"{}\" is not a unit of measure of the v4.4 list (for example Unid, Sp, Kg, L).",
                    line.unit
                ),
            );
        }
        c.amount(
            &f("unit_price"),
            &format!("Line {n}: the unit price"),
            line.unit_price,
        );
        if line.discounts.len() > 5 {
            c.push(
                f("discounts"),
                format!("Line {n}: at most 5 discounts per line."),
            );
        }
        for (j, d) in line.discounts.iter().enumerate() {
            let df = format!("lines[{i}].discounts[{j}]");
            c.amount(
                &format!("{df}.amount"),
                &format!("Line {n}: the discount"),
                d.amount,
            );
            if let crate::document::DiscountKind::Other(text) = &d.kind {
                c.text(
                    &format!("{df}.kind"),
                    &format!("Line {n}: the discount's reason"),
                    text,
                    5,
                    100,
                );
            }
            c.opt_text(
                &format!("{df}.description"),
                &format!("Line {n}: the discount's description"),
                d.description.as_deref(),
                3,
                80,
            );
        }
        let pct = line.tax.effective_percentage();
        if pct < Decimal::ZERO || pct > Decimal::new(9999, 2) || pct.normalize().scale() > 2 {
            c.push(
                f("tax.percentage"),
                format!(
                    "Line {n}: the tax rate must be between 0 and 99.99 with at most 2 decimals."
                ),
            );
        } else if pct != line.tax.rate.default_percentage() {
            c.push(
                f("tax.percentage"),
                format!(
                    "Line {n}: rate code {} is {}%, but the line says {}%; pick the code that matches the rate.",
                    line.tax.rate.code(),
                    crate::xml::format_decimal(line.tax.rate.default_percentage()),
                    crate::xml::format_decimal(pct)
                ),
            );
        }
        if line.not_subject && !line.tax.rate.default_percentage().is_zero() {
            c.push(
                f("tax.rate"),
                format!(
                    "Line {n}: a line not subject to IVA must use a 0% rate code (01, 05, 10 or 11)."
                ),
            );
        }
        let lt = line.totals();
        if lt.discount > lt.gross {
            c.push(
                f("discounts"),
                format!(
                    "Line {n}: the discount ({}) is larger than the line amount ({}).",
                    crate::xml::format_decimal(lt.discount),
                    crate::xml::format_decimal(lt.gross)
                ),
            );
        }
        if lt.total > max_amount() || lt.gross > max_amount() {
            c.push(
                f("unit_price"),
                format!("Line {n}: the line amount is too large."),
            );
        }
    }

    // Currency.
    if let crate::document::Currency::Usd { exchange_rate } = &doc.currency {
        if *exchange_rate <= Decimal::ZERO {
            c.push(
                "currency",
                "Enter the exchange rate for US dollars (colones per dollar).",
            );
        } else {
            c.amount("currency", "The exchange rate", *exchange_rate);
        }
    }

    // Payments.
    let totals = doc.totals();
    if doc.payments.len() > 4 {
        c.push("payments", "At most 4 payment methods.");
    }
    for (i, p) in doc.payments.iter().enumerate() {
        if let crate::document::PaymentMethod::Other(text) = &p.method {
            c.text(
                &format!("payments[{i}].method"),
                "The description of the payment method",
                text,
                3,
                100,
            );
        }
        if let Some(a) = p.amount {
            c.amount(&format!("payments[{i}].amount"), "The payment amount", a);
        }
    }
    if doc.payments.len() > 1 {
        if doc.payments.iter().any(|p| p.amount.is_none()) {
            c.push(
                "payments",
                "With more than one payment method, give the amount paid with each.",
            );
        } else {
            let paid: Decimal = doc.payments.iter().filter_map(|p| p.amount).sum();
            if paid != totals.total {
                c.push(
                    "payments",
                    format!(
                        "The payments add up to {}, but the document total is {}.",
                        crate::xml::format_decimal(paid),
                        crate::xml::format_decimal(totals.total)
                    ),
                );
            }
        }
    }

    // References.
    if t.requires_reference() && doc.references.is_empty() {
        c.push(
            "references",
            format!(
                "A {} must say which document it corrects (reference).",
                t.label()
            ),
        );
    }
    if doc.references.len() > 10 {
        c.push("references", "At most 10 references.");
    }
    for (i, r) in doc.references.iter().enumerate() {
        let f = |name: &str| format!("references[{i}].{name}");
        if !REFERENCE_DOC_TYPES.contains(&r.doc_type.as_str()) {
            c.push(
                f("doc_type"),
                format!(
                    "\"{}\" is not a referenced-document type (01–18 or 99).",
                    r.doc_type
                ),
            );
        }
        if r.doc_type == "99" {
            match &r.doc_type_other {
                Some(text) => c.text(
                    &f("doc_type_other"),
                    "The referenced document type's description",
                    text,
                    5,
                    100,
                ),
                None => c.push(
                    f("doc_type_other"),
                    "Describe the referenced document type (code 99).",
                ),
            }
        }
        c.opt_text(
            &f("number"),
            "The referenced document's number",
            r.number.as_deref(),
            1,
            50,
        );
        if let Some(code) = &r.code {
            if !REFERENCE_CODES.contains(&code.as_str()) {
                c.push(
                    f("code"),
                    format!("\"{code}\" is not a reference code (01–12 or 99)."),
                );
            }
            if code == "99" && r.code_other.is_none() {
                c.push(f("code_other"), "Describe the reason code (code 99).");
            }
        } else if t.requires_reference() {
            c.push(
                f("code"),
                "Say why the note is issued (reference code, e.g. 01 anula, 03 corrige monto).",
            );
        }
        c.opt_text(
            &f("code_other"),
            "The reason code's description",
            r.code_other.as_deref(),
            5,
            100,
        );
        c.opt_text(&f("reason"), "The reason", r.reason.as_deref(), 1, 180);
    }

    c.opt_text("notes", "The notes", doc.notes.as_deref(), 1, 500);

    // Totals.
    if totals.total > max_amount() {
        c.push(
            "lines",
            "The document total is larger than the 13 digits allowed.",
        );
    }
    if let Some(expected) = doc.expected_total {
        if (expected - totals.total).abs() > TOTAL_TOLERANCE {
            c.push(
                "expected_total",
                format!(
                    "The lines add up to {} {}, but the source shows a total of {}; check quantities, prices, discounts and tax rates.",
                    doc.currency.code(),
                    crate::xml::format_decimal(totals.total),
                    crate::xml::format_decimal(expected)
                ),
            );
        }
    }

    c.issues
}

fn activity(c: &mut Checker, field: &str, label: &str, code: &str) {
    if code.chars().count() != 6 || code.chars().any(char::is_whitespace) {
        c.push(
            field,
            format!("{label} must be 6 characters (e.g. 620100); got \"{code}\"."),
        );
    }
}
