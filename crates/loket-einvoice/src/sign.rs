//! XAdES-EPES enveloped signature as Hacienda's Anexo 2 asks for it.
//!
//! RSA-SHA256 over `SignedInfo` canonicalized with inclusive C14N 1.0, and three
//! references: the document (`URI=""`, enveloped-signature transform), the `KeyInfo`, and
//! the XAdES `SignedProperties` (signing time, certificate digest and issuer/serial, the
//! signature policy with its digest, claimed role "Emisor", and the data object format of
//! the document). The signature is appended as the root's last child.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use ring::digest::{digest, SHA256};

use crate::c14n::{
    canonical_document, canonical_subtree, find_by_attr, parse, Element, NsMap, XmlError,
};
use crate::document::Document;
use crate::p12::SigningIdentity;
use crate::xml::{escape, to_xml, InvalidDocument, DSIG_NS};

/// The signature policy Hacienda requires.
pub const POLICY_URL: &str = "https://cdn.comprobanteselectronicos.go.cr/xml-schemas/Resoluci%C3%B3n_General_sobre_disposiciones_t%C3%A9cnicas_comprobantes_electr%C3%B3nicos_para_efectos_tributarios.pdf";
/// SHA-256 digest of the policy document, base64.
pub const POLICY_DIGEST: &str = "DWxin1xWOeI8OuWQXazh4VjLWAaCLAA954em7DMh0h8=";
/// XAdES 1.3.2 namespace.
pub const XADES_NS: &str = "http://uri.etsi.org/01903/v1.3.2#";

const C14N: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const SHA256_URI: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const SIGNED_PROPERTIES_TYPE: &str = "http://uri.etsi.org/01903#SignedProperties";

/// Why a document was not signed. The input is never modified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The certificate expired before the signing time.
    #[error("The signing certificate expired on {}. Renew it in ATV and load the new .p12 file; nothing was signed.", .not_after.format("%Y-%m-%d"))]
    CertificateExpired {
        /// Expiry.
        not_after: DateTime<Utc>,
    },
    /// The certificate is not valid yet.
    #[error("The signing certificate is only valid from {}; check the computer's clock. Nothing was signed.", .not_before.format("%Y-%m-%d"))]
    CertificateNotYetValid {
        /// Start of validity.
        not_before: DateTime<Utc>,
    },
    /// The certificate belongs to someone else.
    #[error("The certificate belongs to id {certificate_id}, but the document's issuer is {issuer_id}. Load the issuer's own .p12 file.")]
    CertificateNotForIssuer {
        /// Id in the certificate.
        certificate_id: String,
        /// Id of the issuer in the document.
        issuer_id: String,
    },
    /// The document has problems (see [`InvalidDocument`]).
    #[error(transparent)]
    Invalid(#[from] InvalidDocument),
    /// The XML is not readable.
    #[error(transparent)]
    Xml(#[from] XmlError),
    /// The document already carries a signature.
    #[error("The document is already signed.")]
    AlreadySigned,
    /// The key refused to sign.
    #[error("The key could not produce a signature.")]
    Crypto,
}

/// Identifiers used inside one signature.
struct Ids {
    signature: String,
    signed_info: String,
    reference: String,
    key_info: String,
    signed_properties: String,
    signature_value: String,
    qualifying: String,
}

impl Ids {
    fn new() -> Result<Self, SignError> {
        use ring::rand::SecureRandom;
        let mut bytes = [0u8; 8];
        ring::rand::SystemRandom::new()
            .fill(&mut bytes)
            .map_err(|_| SignError::Crypto)?;
        let tag: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Self {
            signature: format!("Signature-{tag}"),
            signed_info: format!("SignedInfo-{tag}"),
            reference: format!("Reference-{tag}"),
            key_info: format!("KeyInfoId-Signature-{tag}"),
            signed_properties: format!("SignedProperties-Signature-{tag}"),
            signature_value: format!("SignatureValue-Signature-{tag}"),
            qualifying: format!("QualifyingProperties-{tag}"),
        })
    }
}

/// The parts of the signature that depend on the key and time.
struct Parts {
    certificate: String,
    cert_digest: String,
    issuer: String,
    serial: String,
    modulus: String,
    exponent: String,
    signing_time: String,
}

fn digest_b64(bytes: &[u8]) -> String {
    B64.encode(digest(&SHA256, bytes).as_ref())
}

fn reference(
    id: Option<&str>,
    uri: &str,
    kind: Option<&str>,
    enveloped: bool,
    value: &str,
) -> String {
    let mut s = String::from("<ds:Reference");
    if let Some(id) = id {
        s.push_str(&format!(" Id=\"{id}\""));
    }
    if let Some(kind) = kind {
        s.push_str(&format!(" Type=\"{kind}\""));
    }
    s.push_str(&format!(" URI=\"{uri}\">"));
    if enveloped {
        s.push_str(&format!(
            "<ds:Transforms><ds:Transform Algorithm=\"{ENVELOPED}\"/></ds:Transforms>"
        ));
    }
    s.push_str(&format!(
        "<ds:DigestMethod Algorithm=\"{SHA256_URI}\"/><ds:DigestValue>{value}</ds:DigestValue></ds:Reference>"
    ));
    s
}

/// The whole `ds:Signature` element.
fn signature_xml(ids: &Ids, p: &Parts, digests: [&str; 3], value: &str) -> String {
    let [doc_digest, key_info_digest, props_digest] = digests;
    let mut s = format!(
        "<ds:Signature xmlns:ds=\"{DSIG_NS}\" Id=\"{}\">",
        ids.signature
    );
    s.push_str(&format!(
        "<ds:SignedInfo Id=\"{}\"><ds:CanonicalizationMethod Algorithm=\"{C14N}\"/><ds:SignatureMethod Algorithm=\"{RSA_SHA256}\"/>",
        ids.signed_info
    ));
    s.push_str(&reference(Some(&ids.reference), "", None, true, doc_digest));
    s.push_str(&reference(
        Some(&format!("ReferenceKeyInfo-{}", ids.signature)),
        &format!("#{}", ids.key_info),
        None,
        false,
        key_info_digest,
    ));
    s.push_str(&reference(
        None,
        &format!("#{}", ids.signed_properties),
        Some(SIGNED_PROPERTIES_TYPE),
        false,
        props_digest,
    ));
    s.push_str("</ds:SignedInfo>");
    s.push_str(&format!(
        "<ds:SignatureValue Id=\"{}\">{value}</ds:SignatureValue>",
        ids.signature_value
    ));
    s.push_str(&format!(
        "<ds:KeyInfo Id=\"{}\"><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data><ds:KeyValue><ds:RSAKeyValue><ds:Modulus>{}</ds:Modulus><ds:Exponent>{}</ds:Exponent></ds:RSAKeyValue></ds:KeyValue></ds:KeyInfo>",
        ids.key_info, p.certificate, p.modulus, p.exponent
    ));
    s.push_str(&format!(
        "<ds:Object><xades:QualifyingProperties xmlns:xades=\"{XADES_NS}\" Id=\"{}\" Target=\"#{}\">",
        ids.qualifying, ids.signature
    ));
    s.push_str(&format!(
        "<xades:SignedProperties Id=\"{}\"><xades:SignedSignatureProperties>",
        ids.signed_properties
    ));
    s.push_str(&format!(
        "<xades:SigningTime>{}</xades:SigningTime>",
        p.signing_time
    ));
    s.push_str(&format!(
        "<xades:SigningCertificate><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm=\"{SHA256_URI}\"/><ds:DigestValue>{}</ds:DigestValue></xades:CertDigest><xades:IssuerSerial><ds:X509IssuerName>{}</ds:X509IssuerName><ds:X509SerialNumber>{}</ds:X509SerialNumber></xades:IssuerSerial></xades:Cert></xades:SigningCertificate>",
        p.cert_digest,
        escape(&p.issuer),
        p.serial
    ));
    s.push_str(&format!(
        "<xades:SignaturePolicyIdentifier><xades:SignaturePolicyId><xades:SigPolicyId><xades:Identifier>{POLICY_URL}</xades:Identifier><xades:Description/></xades:SigPolicyId><xades:SigPolicyHash><ds:DigestMethod Algorithm=\"{SHA256_URI}\"/><ds:DigestValue>{POLICY_DIGEST}</ds:DigestValue></xades:SigPolicyHash></xades:SignaturePolicyId></xades:SignaturePolicyIdentifier>"
    ));
    s.push_str("<xades:SignerRole><xades:ClaimedRoles><xades:ClaimedRole>Emisor</xades:ClaimedRole></xades:ClaimedRoles></xades:SignerRole>");
    s.push_str("</xades:SignedSignatureProperties>");
    s.push_str(&format!(
        "<xades:SignedDataObjectProperties><xades:DataObjectFormat ObjectReference=\"#{}\"><xades:MimeType>text/xml</xades:MimeType><xades:Encoding>UTF-8</xades:Encoding></xades:DataObjectFormat></xades:SignedDataObjectProperties>",
        ids.reference
    ));
    s.push_str("</xades:SignedProperties></xades:QualifyingProperties></ds:Object></ds:Signature>");
    s
}

fn is_dsig_signature(el: &Element, scope: &NsMap) -> bool {
    el.local_name() == "Signature" && el.namespace(&el.scope(scope)) == Some(DSIG_NS)
}

fn find_id<'a>(root: &'a Element, id: &str) -> Result<(Vec<&'a Element>, &'a Element), SignError> {
    find_by_attr(root, "Id", id)
        .ok_or_else(|| SignError::Xml(XmlError(format!("element with Id {id} not found"))))
}

/// Signs XML produced by [`crate::xml::to_xml`] (or any UTF-8 XML without a DTD). The
/// signing time is checked against the certificate's validity first; on any error nothing
/// is produced and the input stays as it was.
pub fn sign_xml(
    xml: &str,
    identity: &SigningIdentity,
    signing_time: DateTime<FixedOffset>,
) -> Result<String, SignError> {
    let cert = identity.certificate();
    let at = signing_time.with_timezone(&Utc);
    if at > cert.not_after {
        return Err(SignError::CertificateExpired {
            not_after: cert.not_after,
        });
    }
    if at < cert.not_before {
        return Err(SignError::CertificateNotYetValid {
            not_before: cert.not_before,
        });
    }

    let parsed = parse(xml)?;
    let root_scope = parsed.root.scope(&NsMap::new());
    if parsed
        .root
        .elements()
        .any(|e| is_dsig_signature(e, &root_scope))
    {
        return Err(SignError::AlreadySigned);
    }
    if !parsed.text[parsed.root_close..].starts_with("</") {
        return Err(SignError::Xml(XmlError("the root element is empty".into())));
    }
    let (head, tail) = parsed.text.split_at(parsed.root_close);

    let (modulus, exponent) = identity.public_components();
    let parts = Parts {
        certificate: B64.encode(identity.certificate_der()),
        cert_digest: digest_b64(identity.certificate_der()),
        issuer: cert.issuer.clone(),
        serial: cert.serial.clone(),
        modulus: B64.encode(modulus),
        exponent: B64.encode(exponent),
        signing_time: signing_time.to_rfc3339_opts(SecondsFormat::Secs, true),
    };
    let ids = Ids::new()?;
    let assemble = |digests: [&str; 3], value: &str| {
        format!(
            "{head}{}{tail}",
            signature_xml(&ids, &parts, digests, value)
        )
    };

    // Pass 1: the three digests, computed on the document as it will be.
    let draft = parse(&assemble(["", "", ""], ""))?;
    let (_, signature) = find_id(&draft.root, &ids.signature)?;
    let doc_digest = digest_b64(canonical_document(&draft, Some(signature)).as_bytes());
    let (anc, key_info) = find_id(&draft.root, &ids.key_info)?;
    let key_info_digest = digest_b64(canonical_subtree(&anc, key_info).as_bytes());
    let (anc, props) = find_id(&draft.root, &ids.signed_properties)?;
    let props_digest = digest_b64(canonical_subtree(&anc, props).as_bytes());
    let digests = [
        doc_digest.as_str(),
        key_info_digest.as_str(),
        props_digest.as_str(),
    ];

    // Pass 2: sign the canonical SignedInfo.
    let with_digests = parse(&assemble(digests, ""))?;
    let (anc, signed_info) = find_id(&with_digests.root, &ids.signed_info)?;
    let canonical = canonical_subtree(&anc, signed_info);
    let value = identity
        .sign_rsa_sha256(canonical.as_bytes())
        .ok_or(SignError::Crypto)?;

    Ok(assemble(digests, &B64.encode(value)))
}

/// Builds a document's XML, checks that the certificate belongs to its issuer (when the
/// certificate carries an id) and signs it.
pub fn sign_document(
    doc: &Document,
    identity: &SigningIdentity,
    signing_time: DateTime<FixedOffset>,
) -> Result<String, SignError> {
    let cert = identity.certificate();
    if cert.matches_issuer_id(&doc.issuer.id.number) == Some(false) {
        return Err(SignError::CertificateNotForIssuer {
            certificate_id: cert.subject_id_number.clone().unwrap_or_default(),
            issuer_id: doc.issuer.id.number.clone(),
        });
    }
    let xml = to_xml(doc)?;
    sign_xml(&xml, identity, signing_time)
}
