//! The consecutivo (20 digits) and the clave (50 digits) of a document.
//!
//! consecutivo = branch (3) + terminal (5) + document type (2) + number (10);
//! clave = 506 + DDMMYY + issuer id left-padded to 12 + consecutivo (20) + situación (1)
//! + security code (8).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::document::DocumentType;

/// Why a consecutivo or clave is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberingError {
    /// Wrong length or non-digits.
    #[error("The {what} must be exactly {expected} digits (got \"{got}\").")]
    Shape {
        /// "consecutivo" or "clave".
        what: &'static str,
        /// Expected number of digits.
        expected: usize,
        /// What was given (shortened).
        got: String,
    },
    /// A part is out of its range.
    #[error("The {part} must be between {min} and {max} (got {got}).")]
    OutOfRange {
        /// Which part.
        part: &'static str,
        /// Lowest allowed value.
        min: u64,
        /// Highest allowed value.
        max: u64,
        /// Value given.
        got: u64,
    },
    /// The document type code is unknown.
    #[error("\"{0}\" is not a document type code (01–10).")]
    DocType(String),
    /// The clave does not start with 506.
    #[error("A clave starts with 506, Costa Rica's country code (got \"{0}\").")]
    Country(String),
    /// DDMMYY is not a calendar date.
    #[error("The date in the clave (DDMMYY \"{0}\") is not a real date.")]
    Date(String),
    /// The issuer id does not fit in 12 digits.
    #[error("The issuer id must be 1 to 12 digits (got \"{0}\").")]
    IssuerId(String),
    /// The situación digit is not 1, 2 or 3.
    #[error(
        "The situation digit must be 1 (normal), 2 (contingency) or 3 (no internet); got \"{0}\"."
    )]
    Situation(String),
}

fn shape(what: &'static str, expected: usize, s: &str) -> Result<(), NumberingError> {
    if s.len() == expected && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(NumberingError::Shape {
            what,
            expected,
            got: s.chars().take(60).collect(),
        })
    }
}

fn range(part: &'static str, got: u64, min: u64, max: u64) -> Result<(), NumberingError> {
    if (min..=max).contains(&got) {
        Ok(())
    } else {
        Err(NumberingError::OutOfRange {
            part,
            min,
            max,
            got,
        })
    }
}

/// Parses a run of ASCII digits already checked by [`shape`].
fn digits(s: &str) -> u64 {
    s.bytes().fold(0u64, |acc, b| {
        acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    })
}

/// The 20-digit document number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Consecutivo {
    branch: u16,
    terminal: u32,
    doc_type: u8,
    number: u64,
}

impl Consecutivo {
    /// Highest document number (10 digits).
    pub const MAX_NUMBER: u64 = 9_999_999_999;

    /// A consecutivo for one of the four documents Loket issues.
    pub fn new(
        branch: u16,
        terminal: u32,
        doc_type: DocumentType,
        number: u64,
    ) -> Result<Self, NumberingError> {
        range("branch", u64::from(branch), 1, 999)?;
        range("terminal", u64::from(terminal), 1, 99_999)?;
        range("document number", number, 1, Self::MAX_NUMBER)?;
        let code = digits(doc_type.code()) as u8;
        Ok(Self {
            branch,
            terminal,
            doc_type: code,
            number,
        })
    }

    /// Branch (casa matriz = 1).
    pub fn branch(&self) -> u16 {
        self.branch
    }

    /// Terminal or point of sale.
    pub fn terminal(&self) -> u32 {
        self.terminal
    }

    /// The two-digit document type code (01–10).
    pub fn doc_type_code(&self) -> String {
        format!("{:02}", self.doc_type)
    }

    /// The document type, when it is one Loket issues.
    pub fn doc_type(&self) -> Option<DocumentType> {
        DocumentType::from_code(&self.doc_type_code())
    }

    /// The sequential number.
    pub fn number(&self) -> u64 {
        self.number
    }

    /// The next consecutivo of the same branch, terminal and type, if any is left.
    pub fn next(&self) -> Option<Self> {
        (self.number < Self::MAX_NUMBER).then(|| Self {
            number: self.number + 1,
            ..*self
        })
    }
}

impl fmt::Display for Consecutivo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:03}{:05}{:02}{:010}",
            self.branch, self.terminal, self.doc_type, self.number
        )
    }
}

impl FromStr for Consecutivo {
    type Err = NumberingError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        shape("consecutivo", 20, s)?;
        let (branch, rest) = s.split_at(3);
        let (terminal, rest) = rest.split_at(5);
        let (doc_type, number) = rest.split_at(2);
        let branch = digits(branch);
        let terminal = digits(terminal);
        let code = digits(doc_type);
        let number = digits(number);
        range("branch", branch, 1, 999)?;
        range("terminal", terminal, 1, 99_999)?;
        if !(1..=10).contains(&code) {
            return Err(NumberingError::DocType(doc_type.to_string()));
        }
        range("document number", number, 1, Self::MAX_NUMBER)?;
        Ok(Self {
            branch: branch as u16,
            terminal: terminal as u32,
            doc_type: code as u8,
            number,
        })
    }
}

impl TryFrom<String> for Consecutivo {
    type Error = NumberingError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Consecutivo> for String {
    fn from(c: Consecutivo) -> Self {
        c.to_string()
    }
}

/// Under which circumstances the document was issued (situación del comprobante).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Situation {
    /// 1: normal.
    Normal,
    /// 2: contingency (issued on paper while systems were down).
    Contingency,
    /// 3: without internet.
    NoInternet,
}

impl Situation {
    /// The digit in the clave.
    pub fn digit(self) -> char {
        match self {
            Situation::Normal => '1',
            Situation::Contingency => '2',
            Situation::NoInternet => '3',
        }
    }

    fn from_digit(c: &str) -> Result<Self, NumberingError> {
        match c {
            "1" => Ok(Situation::Normal),
            "2" => Ok(Situation::Contingency),
            "3" => Ok(Situation::NoInternet),
            other => Err(NumberingError::Situation(other.to_string())),
        }
    }
}

/// The 50-digit key of a document; Hacienda's idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Clave {
    date: NaiveDate,
    issuer_id: String,
    consecutivo: Consecutivo,
    situation: Situation,
    security_code: u32,
}

impl Clave {
    /// Highest security code (8 digits).
    pub const MAX_SECURITY_CODE: u32 = 99_999_999;

    /// Builds a clave. `issuer_id` is the issuer's id number (digits, up to 12; dashes and
    /// spaces are ignored). The date must fall in 2000–2099.
    pub fn new(
        date: NaiveDate,
        issuer_id: &str,
        consecutivo: Consecutivo,
        situation: Situation,
        security_code: u32,
    ) -> Result<Self, NumberingError> {
        let issuer_id = normalize_issuer_id(issuer_id)?;
        range(
            "year of the clave",
            u64::try_from(date.year()).unwrap_or(0),
            2000,
            2099,
        )?;
        range(
            "security code",
            u64::from(security_code),
            0,
            u64::from(Self::MAX_SECURITY_CODE),
        )?;
        Ok(Self {
            date,
            issuer_id,
            consecutivo,
            situation,
            security_code,
        })
    }

    /// The issue date encoded in the clave.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The issuer id, left-padded with zeros to 12 digits.
    pub fn issuer_id_padded(&self) -> &str {
        &self.issuer_id
    }

    /// The issuer id without the padding zeros.
    pub fn issuer_id(&self) -> &str {
        let trimmed = self.issuer_id.trim_start_matches('0');
        if trimmed.is_empty() {
            "0"
        } else {
            trimmed
        }
    }

    /// The consecutivo inside the clave.
    pub fn consecutivo(&self) -> Consecutivo {
        self.consecutivo
    }

    /// Situación.
    pub fn situation(&self) -> Situation {
        self.situation
    }

    /// The 8-digit security code.
    pub fn security_code(&self) -> u32 {
        self.security_code
    }
}

/// Keeps the digits of an id number and pads them to 12.
pub fn normalize_issuer_id(id: &str) -> Result<String, NumberingError> {
    let cleaned: String = id.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    if cleaned.is_empty() || cleaned.len() > 12 || !cleaned.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberingError::IssuerId(id.chars().take(40).collect()));
    }
    Ok(format!("{cleaned:0>12}"))
}

impl fmt::Display for Clave {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "506{:02}{:02}{:02}{}{}{}{:08}",
            self.date.day(),
            self.date.month(),
            self.date.year() % 100,
            self.issuer_id,
            self.consecutivo,
            self.situation.digit(),
            self.security_code
        )
    }
}

impl FromStr for Clave {
    type Err = NumberingError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        shape("clave", 50, s)?;
        let (country, rest) = s.split_at(3);
        if country != "506" {
            return Err(NumberingError::Country(country.to_string()));
        }
        let (ddmmyy, rest) = rest.split_at(6);
        let (issuer, rest) = rest.split_at(12);
        let (consecutivo, rest) = rest.split_at(20);
        let (situation, code) = rest.split_at(1);
        let (dd, mmyy) = ddmmyy.split_at(2);
        let (mm, yy) = mmyy.split_at(2);
        let date = NaiveDate::from_ymd_opt(
            2000 + digits(yy) as i32,
            digits(mm) as u32,
            digits(dd) as u32,
        )
        .ok_or_else(|| NumberingError::Date(ddmmyy.to_string()))?;
        Ok(Self {
            date,
            issuer_id: issuer.to_string(),
            consecutivo: consecutivo.parse()?,
            situation: Situation::from_digit(situation)?,
            security_code: digits(code) as u32,
        })
    }
}

impl TryFrom<String> for Clave {
    type Error = NumberingError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Clave> for String {
    fn from(c: Clave) -> Self {
        c.to_string()
    }
}

/// A random 8-digit security code from the operating system's generator.
pub fn random_security_code() -> Option<u32> {
    use ring::rand::SecureRandom;
    let rng = ring::rand::SystemRandom::new();
    let mut bytes = [0u8; 4];
    rng.fill(&mut bytes).ok()?;
    Some(u32::from_be_bytes(bytes) % (Clave::MAX_SECURITY_CODE + 1))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn consecutivo_layout() {
        let c = Consecutivo::new(1, 1, DocumentType::Factura, 2).unwrap();
        assert_eq!(c.to_string(), "00100001010000000002");
        let back: Consecutivo = "00100001010000000002".parse().unwrap();
        assert_eq!(back, c);
        assert_eq!(back.doc_type(), Some(DocumentType::Factura));
        let nc = Consecutivo::new(999, 99_999, DocumentType::NotaCredito, 9_999_999_999).unwrap();
        assert_eq!(nc.to_string(), "99999999039999999999");
        assert_eq!(nc.next(), None);
        assert_eq!(c.next().unwrap().number(), 3);
    }

    #[test]
    fn consecutivo_rejects() {
        assert!(matches!(
            "0010000101000000000".parse::<Consecutivo>(),
            Err(NumberingError::Shape { .. })
        ));
        assert!(matches!(
            "0010000101000000000x".parse::<Consecutivo>(),
            Err(NumberingError::Shape { .. })
        ));
        assert!(matches!(
            "00100001110000000002".parse::<Consecutivo>(),
            Err(NumberingError::DocType(_))
        ));
        assert!(matches!(
            "00000001010000000002".parse::<Consecutivo>(),
            Err(NumberingError::OutOfRange { part: "branch", .. })
        ));
        assert!(matches!(
            "00100001010000000000".parse::<Consecutivo>(),
            Err(NumberingError::OutOfRange { .. })
        ));
        assert!(Consecutivo::new(1000, 1, DocumentType::Factura, 1).is_err());
        assert!(Consecutivo::new(1, 100_000, DocumentType::Factura, 1).is_err());
        // A received supplier document type (08) parses but is not one Loket issues.
        let compra: Consecutivo = "00100001080000000002".parse().unwrap();
        assert_eq!(compra.doc_type(), None);
        assert_eq!(compra.doc_type_code(), "08");
    }

    #[test]
    fn clave_matches_reference_sample() {
        // From the reference v4.4 sample document.
        let s = "50601042400020692014200100001010000000002100000001";
        let clave: Clave = s.parse().unwrap();
        assert_eq!(clave.date(), NaiveDate::from_ymd_opt(2024, 4, 1).unwrap());
        assert_eq!(clave.issuer_id(), "206920142");
        assert_eq!(clave.issuer_id_padded(), "000206920142");
        assert_eq!(clave.consecutivo().to_string(), "00100001010000000002");
        assert_eq!(clave.situation(), Situation::Normal);
        assert_eq!(clave.security_code(), 1);
        assert_eq!(clave.to_string(), s);

        let built = Clave::new(
            NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
            "2-0692-0142",
            Consecutivo::new(1, 1, DocumentType::Factura, 2).unwrap(),
            Situation::Normal,
            1,
        )
        .unwrap();
        assert_eq!(built.to_string(), s);
    }

    #[test]
    fn clave_rejects() {
        let ok = "50601042400020692014200100001010000000002100000001";
        let bad_country = format!("507{}", &ok[3..]);
        assert!(matches!(
            bad_country.parse::<Clave>(),
            Err(NumberingError::Country(_))
        ));
        let bad_date = format!("506310224{}", &ok[9..]);
        assert!(matches!(
            bad_date.parse::<Clave>(),
            Err(NumberingError::Date(_))
        ));
        let bad_situation = format!("{}4{}", &ok[..41], &ok[42..]);
        assert!(matches!(
            bad_situation.parse::<Clave>(),
            Err(NumberingError::Situation(_))
        ));
        assert!(matches!(
            ok[..49].parse::<Clave>(),
            Err(NumberingError::Shape { .. })
        ));
        assert!(matches!(
            format!("{}ñ", &ok[..49]).parse::<Clave>(),
            Err(NumberingError::Shape { .. })
        ));
        assert!(matches!(
            normalize_issuer_id("1234567890123"),
            Err(NumberingError::IssuerId(_))
        ));
        assert!(normalize_issuer_id("").is_err());
        assert!(normalize_issuer_id("3-101-12A").is_err());
    }

    #[test]
    fn security_code_is_eight_digits() {
        for _ in 0..50 {
            let code = random_security_code().unwrap();
            assert!(code <= Clave::MAX_SECURITY_CODE);
        }
    }

    proptest! {
        #[test]
        fn consecutivo_round_trips(branch in 1u16..=999, terminal in 1u32..=99_999,
                                   t in 0usize..4, number in 1u64..=Consecutivo::MAX_NUMBER) {
            let c = Consecutivo::new(branch, terminal, DocumentType::ALL[t], number).unwrap();
            let s = c.to_string();
            prop_assert_eq!(s.len(), 20);
            prop_assert_eq!(s.parse::<Consecutivo>().unwrap(), c);
        }

        #[test]
        fn clave_round_trips(days in 0i64..36_500, id in 1u64..=999_999_999_999,
                             number in 1u64..=Consecutivo::MAX_NUMBER, sit in 0usize..3,
                             code in 0u32..=Clave::MAX_SECURITY_CODE) {
            let date = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(days as u64);
            let situation = [Situation::Normal, Situation::Contingency, Situation::NoInternet][sit];
            let c = Consecutivo::new(1, 1, DocumentType::Tiquete, number).unwrap();
            let clave = Clave::new(date, &id.to_string(), c, situation, code).unwrap();
            let s = clave.to_string();
            prop_assert_eq!(s.len(), 50);
            let back: Clave = s.parse().unwrap();
            prop_assert_eq!(&back, &clave);
            prop_assert_eq!(back.issuer_id(), id.to_string());
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,60}") {
            let _ = s.parse::<Clave>();
            let _ = s.parse::<Consecutivo>();
        }

        #[test]
        fn digit_strings_never_panic(s in "[0-9]{50}", t in "[0-9]{20}") {
            let _ = s.parse::<Clave>();
            let _ = t.parse::<Consecutivo>();
        }
    }
}
