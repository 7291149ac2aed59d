//! Loads the signing key and certificate from a .p12 file and its PIN.
//!
//! The tax authority issues legacy PKCS#12 files (SHA1-3DES key bag, RC2-40 certificate
//! bag); those load too. A wrong PIN, a file in an encryption we cannot read, and a file
//! that is not PKCS#12 at all each get their own error.

use std::fmt;

use chrono::{DateTime, Utc};
use ring::signature::{RsaKeyPair, RsaPublicKeyComponents};
use x509_cert::der::asn1::ObjectIdentifier;
use x509_cert::der::{Decode, Encode};
use x509_cert::Certificate;

/// `rsaEncryption`.
const RSA_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// `serialNumber` attribute of a distinguished name (holds the owner's id in CR certificates).
const SERIAL_NUMBER_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.5");

/// Why a .p12 file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum P12Error {
    /// The bytes are not a PKCS#12 file.
    #[error("This file is not a .p12 certificate file{hint}. Choose the .p12 file the tax authority (ATV) gave you.")]
    NotPkcs12 {
        /// Extra hint about what the file looks like, with a leading separator, or empty.
        hint: String,
    },
    /// The PIN does not open the file.
    #[error("The PIN is not correct for this certificate file.")]
    WrongPin,
    /// The file uses an encryption scheme that cannot be read.
    #[error("This certificate file uses an old encryption that cannot be read ({detail}). Download the certificate again from ATV, or convert it with: openssl pkcs12 -legacy -in old.p12 -out tmp.pem, then openssl pkcs12 -export -in tmp.pem -out new.p12.")]
    UnreadableLegacy {
        /// Technical detail.
        detail: String,
    },
    /// The file has no private key.
    #[error("The certificate file contains no private key, so it cannot sign.")]
    NoPrivateKey,
    /// No certificate in the file belongs to the key.
    #[error("The certificate file contains no certificate for its private key.")]
    NoCertificate,
    /// The key is not a usable RSA key.
    #[error("The key in the certificate file cannot be used for signing ({detail}); Hacienda needs an RSA key of 2048 bits or more.")]
    UnsupportedKey {
        /// Technical detail.
        detail: String,
    },
    /// The file is damaged.
    #[error("The certificate file is damaged or incomplete ({detail}).")]
    Damaged {
        /// Technical detail.
        detail: String,
    },
}

/// What the app shows about a certificate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CertificateInfo {
    /// Subject distinguished name (RFC 4514).
    pub subject: String,
    /// Issuer distinguished name (RFC 4514); also written in the signature.
    pub issuer: String,
    /// Serial number in decimal, as written in the signature.
    pub serial: String,
    /// Serial number in hex, as certificate viewers show it.
    pub serial_hex: String,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity (expiry).
    pub not_after: DateTime<Utc>,
    /// The subject's `serialNumber` attribute as written (e.g. `CPF-01-0123-0456`).
    pub subject_serial_number: Option<String>,
    /// The owner's id number from that attribute: digits only, no leading zeros.
    pub subject_id_number: Option<String>,
}

impl CertificateInfo {
    /// Reads the fields from a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, P12Error> {
        let cert = Certificate::from_der(der).map_err(|e| P12Error::Damaged {
            detail: format!("certificate: {e}"),
        })?;
        Ok(info(&cert))
    }

    /// Whether the certificate is expired (or not yet valid) at `at`.
    pub fn is_valid_at(&self, at: DateTime<Utc>) -> bool {
        self.not_before <= at && at <= self.not_after
    }

    /// Whole days from `now` until expiry (negative once expired).
    pub fn days_until_expiry(&self, now: DateTime<Utc>) -> i64 {
        (self.not_after - now).num_days()
    }

    /// Whether expiry is within `days` of `now` (the app warns 30 days ahead).
    pub fn expires_within(&self, now: DateTime<Utc>, days: i64) -> bool {
        self.not_after - now <= chrono::Duration::days(days)
    }

    /// Whether the certificate belongs to the issuer with id `id_number`; `None` when the
    /// certificate carries no id to compare.
    pub fn matches_issuer_id(&self, id_number: &str) -> Option<bool> {
        let own = self.subject_id_number.as_deref()?;
        Some(own == id_digits(id_number))
    }
}

fn id_digits(s: &str) -> String {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let trimmed = digits.trim_start_matches('0');
    trimmed.to_string()
}

fn time(t: &x509_cert::time::Time) -> DateTime<Utc> {
    let secs = i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    DateTime::<Utc>::from_timestamp(secs, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Converts a big-endian unsigned integer to decimal digits.
fn decimal(bytes: &[u8]) -> String {
    let mut digits: Vec<u8> = vec![0];
    for &byte in bytes {
        let mut carry = u32::from(byte);
        for d in digits.iter_mut() {
            let v = u32::from(*d) * 256 + carry;
            *d = (v % 10) as u8;
            carry = v / 10;
        }
        while carry > 0 {
            digits.push((carry % 10) as u8);
            carry /= 10;
        }
    }
    while digits.len() > 1 && digits.last() == Some(&0) {
        digits.pop();
    }
    digits.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

fn info(cert: &Certificate) -> CertificateInfo {
    let tbs = &cert.tbs_certificate;
    let serial_bytes = tbs.serial_number.as_bytes();
    let serial_number = tbs
        .subject
        .0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|atv| atv.oid == SERIAL_NUMBER_OID)
        .map(|atv| String::from_utf8_lossy(atv.value.value()).into_owned());
    let subject_id_number = serial_number
        .as_deref()
        .map(id_digits)
        .filter(|d| !d.is_empty());
    CertificateInfo {
        subject: tbs.subject.to_string(),
        issuer: tbs.issuer.to_string(),
        serial: decimal(serial_bytes),
        serial_hex: serial_bytes
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":"),
        not_before: time(&tbs.validity.not_before),
        not_after: time(&tbs.validity.not_after),
        subject_serial_number: serial_number,
        subject_id_number,
    }
}

/// A private key with its certificate, ready to sign.
pub struct SigningIdentity {
    key: RsaKeyPair,
    cert_der: Vec<u8>,
    info: CertificateInfo,
}

impl fmt::Debug for SigningIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningIdentity")
            .field("subject", &self.info.subject)
            .field("not_after", &self.info.not_after)
            .finish_non_exhaustive()
    }
}

/// Tells "not PKCS#12" apart from a damaged one: a PFX is a DER SEQUENCE starting with
/// INTEGER 3.
fn sniff(bytes: &[u8]) -> Result<(), P12Error> {
    let text_hint = || {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64)]).to_string();
        if head.contains("-----BEGIN") {
            " (it is a PEM text file)".to_string()
        } else if head.trim_start().starts_with('<') {
            " (it is an XML or HTML file)".to_string()
        } else if bytes.is_empty() {
            " (it is empty)".to_string()
        } else {
            String::new()
        }
    };
    let Some((&0x30, rest)) = bytes.split_first() else {
        return Err(P12Error::NotPkcs12 { hint: text_hint() });
    };
    let skip = match rest.first() {
        Some(&l) if l < 0x80 => 1,
        Some(&l) => 1 + usize::from(l & 0x7f),
        None => return Err(P12Error::NotPkcs12 { hint: text_hint() }),
    };
    if rest.get(skip..skip + 3) == Some(&[0x02, 0x01, 0x03]) {
        Ok(())
    } else {
        Err(P12Error::NotPkcs12 { hint: text_hint() })
    }
}

fn map_error(e: p12_keystore::error::Error) -> P12Error {
    use p12_keystore::error::Error as E;
    match e {
        E::MacError(_) | E::UnpadError => P12Error::WrongPin,
        E::UnsupportedEncryptionScheme | E::UnsupportedMacAlgorithm => P12Error::UnreadableLegacy {
            detail: "unsupported encryption or integrity algorithm".into(),
        },
        E::UnsupportedContentType => P12Error::UnreadableLegacy {
            detail: "unsupported content type".into(),
        },
        E::Pkcs5Error(detail) => P12Error::UnreadableLegacy { detail },
        other => P12Error::Damaged {
            detail: other.to_string(),
        },
    }
}

impl SigningIdentity {
    /// Opens a .p12 file with its PIN.
    pub fn from_pkcs12(bytes: &[u8], pin: &str) -> Result<Self, P12Error> {
        sniff(bytes)?;
        let archive = p12_keystore::Pkcs12Archive::from_pkcs12(bytes, pin).map_err(map_error)?;
        let key_bag = archive.keys.first().ok_or(P12Error::NoPrivateKey)?;
        let pkcs8 = key_bag.key.as_der();
        let pki = pkcs8::PrivateKeyInfo::try_from(pkcs8).map_err(|e| P12Error::Damaged {
            detail: format!("private key: {e}"),
        })?;
        if pki.algorithm.oid.as_bytes() != RSA_OID.as_bytes() {
            return Err(P12Error::UnsupportedKey {
                detail: format!("key algorithm {}", pki.algorithm.oid),
            });
        }
        let key = RsaKeyPair::from_der(pki.private_key).map_err(|e| P12Error::UnsupportedKey {
            detail: e.to_string(),
        })?;
        let public = key.public().as_ref().to_vec();
        let cert = archive
            .certs
            .iter()
            .filter_map(|bag| Certificate::from_der(bag.cert.as_der()).ok())
            .find(|c| {
                c.tbs_certificate
                    .subject_public_key_info
                    .subject_public_key
                    .raw_bytes()
                    == public.as_slice()
            })
            .ok_or(P12Error::NoCertificate)?;
        let cert_der = cert.to_der().map_err(|e| P12Error::Damaged {
            detail: format!("certificate: {e}"),
        })?;
        Ok(Self {
            info: info(&cert),
            key,
            cert_der,
        })
    }

    /// The certificate's details.
    pub fn certificate(&self) -> &CertificateInfo {
        &self.info
    }

    /// The certificate, DER encoded.
    pub fn certificate_der(&self) -> &[u8] {
        &self.cert_der
    }

    /// The public key's modulus and exponent (big-endian, no leading zeros).
    pub(crate) fn public_components(&self) -> (Vec<u8>, Vec<u8>) {
        let c: RsaPublicKeyComponents<Vec<u8>> = self.key.public().into();
        let strip = |v: Vec<u8>| {
            let first = v
                .iter()
                .position(|b| *b != 0)
                .unwrap_or(v.len().saturating_sub(1));
            v[first..].to_vec()
        };
        (strip(c.n), strip(c.e))
    }

    /// Signs `message` with RSASSA-PKCS1-v1_5 and SHA-256.
    pub(crate) fn sign_rsa_sha256(&self, message: &[u8]) -> Option<Vec<u8>> {
        let rng = ring::rand::SystemRandom::new();
        let mut signature = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(
                &ring::signature::RSA_PKCS1_SHA256,
                &rng,
                message,
                &mut signature,
            )
            .ok()?;
        Some(signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_serials() {
        assert_eq!(decimal(&[]), "0");
        assert_eq!(decimal(&[0]), "0");
        assert_eq!(decimal(&[0x10, 0x00]), "4096");
        assert_eq!(decimal(&[0x00, 0xff, 0xff]), "65535");
        assert_eq!(
            decimal(&[0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
            "18446744073709551616"
        );
    }

    #[test]
    fn id_numbers_compare_without_format() {
        assert_eq!(id_digits("CPF-01-0123-0456"), "101230456");
        assert_eq!(id_digits("CPJ-3-101-123456"), "3101123456");
        assert_eq!(id_digits("NITE"), "");
    }

    #[test]
    fn not_pkcs12_is_recognised() {
        for bytes in [
            &b""[..],
            b"-----BEGIN CERTIFICATE-----\nMII",
            b"<FacturaElectronica/>",
            &[0x30],
            &[0x30, 0x82, 0x01],
            &[0x30, 0x03, 0x02, 0x01, 0x01],
        ] {
            assert!(matches!(
                SigningIdentity::from_pkcs12(bytes, "1234"),
                Err(P12Error::NotPkcs12 { .. })
            ));
        }
        // Shaped like a PFX, but broken inside.
        assert!(matches!(
            SigningIdentity::from_pkcs12(&[0x30, 0x05, 0x02, 0x01, 0x03, 0x30, 0x00], "1234"),
            Err(P12Error::Damaged { .. })
        ));
    }
}
