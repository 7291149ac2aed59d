//! .p12 loading and XAdES-EPES signatures checked by xmlsec1.

use crate::fixtures::*;
use loket_einvoice::*;

#[test]
fn p12_files_load_or_fail_with_the_right_error() {
    let certs = Certs::new();
    // The legacy fixture really uses the tax authority's algorithms.
    let info = tool("openssl")
        .args([
            "pkcs12",
            "-info",
            "-noout",
            "-legacy",
            "-passin",
            "pass:1234",
            "-in",
        ])
        .arg(certs.path("legacy.p12"))
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stderr).into_owned();
    assert!(info.contains("pbeWithSHA1And40BitRC2-CBC"), "{info}");
    assert!(
        info.contains("Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC"),
        "{info}"
    );

    for name in ["modern.p12", "legacy.p12"] {
        let id = SigningIdentity::from_pkcs12(&certs.read(name), "1234").unwrap();
        let info = id.certificate();
        assert!(
            info.subject.contains("CN=TEK ROCKS PRUEBA"),
            "{name}: {}",
            info.subject
        );
        assert!(
            info.subject.contains("SERIALNUMBER=CPF-02-0692-0142"),
            "{}",
            info.subject
        );
        assert_eq!(info.issuer, info.subject, "self-signed");
        assert_eq!(
            info.serial, "2246800662264969608",
            "0x1F2E3D4C5B6A7988 in decimal"
        );
        assert_eq!(info.serial_hex, "1F:2E:3D:4C:5B:6A:79:88");
        assert_eq!(info.subject_id_number.as_deref(), Some("206920142"));
        assert_eq!(info.matches_issuer_id("206920142"), Some(true));
        assert_eq!(info.matches_issuer_id("3-101-538252"), Some(false));
        let now = chrono::Utc::now();
        assert!(info.is_valid_at(now));
        assert!((363..=365).contains(&info.days_until_expiry(now)));
        assert!(!info.expires_within(now, 30));
        assert!(info.expires_within(now, 400));
        assert!(
            !format!("{id:?}").contains("key"),
            "Debug must not show key material"
        );

        assert_eq!(
            SigningIdentity::from_pkcs12(&certs.read(name), "4321").unwrap_err(),
            P12Error::WrongPin,
            "{name}"
        );
    }
    let legacy_md5 = SigningIdentity::from_pkcs12(&certs.read("md5.p12"), "1234").unwrap_err();
    assert!(
        matches!(legacy_md5, P12Error::UnreadableLegacy { .. }),
        "{legacy_md5:?}"
    );
    assert!(legacy_md5.to_string().contains("old encryption"));
    assert!(matches!(
        SigningIdentity::from_pkcs12(&certs.read("cert.pem"), "1234"),
        Err(P12Error::NotPkcs12 { ref hint }) if hint.contains("PEM")
    ));
    assert!(matches!(
        SigningIdentity::from_pkcs12(&certs.read("req.csr"), "1234"),
        Err(P12Error::NotPkcs12 { .. })
    ));
    let expired = certs.identity("expired.p12");
    assert_eq!(
        expired
            .certificate()
            .not_after
            .format("%Y-%m-%d")
            .to_string(),
        "2021-01-01"
    );
    assert!(!expired.certificate().is_valid_at(chrono::Utc::now()));
}

#[test]
fn signatures_verify_with_xmlsec1_and_tampering_is_caught() {
    let certs = Certs::new();
    let now = now_cr();
    for (t, p12) in
        DocumentType::ALL
            .into_iter()
            .zip(["legacy.p12", "modern.p12", "legacy.p12", "modern.p12"])
    {
        let identity = certs.identity(p12);
        let signed = sign_document(&sample(t, now), &identity, now).unwrap();
        assert!(signed.contains(&format!(
            "<xades:SigPolicyHash><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>{}</ds:DigestValue>",
            "DWxin1xWOeI8OuWQXazh4VjLWAaCLAA954em7DMh0h8="
        )));
        assert!(signed.contains("<xades:ClaimedRole>Emisor</xades:ClaimedRole>"));
        assert!(signed.contains("Type=\"http://uri.etsi.org/01903#SignedProperties\""));
        assert!(signed.contains(
            "<xades:MimeType>text/xml</xades:MimeType><xades:Encoding>UTF-8</xades:Encoding>"
        ));
        assert!(signed.contains("<ds:X509SerialNumber>2246800662264969608</ds:X509SerialNumber>"));
        assert!(signed.contains(&format!(
            "<xades:Identifier>{}</xades:Identifier>",
            loket_einvoice::sign::POLICY_URL
        )));
        assert_eq!(signed.matches("<ds:Reference ").count(), 3);
        assert!(signed
            .trim_end()
            .ends_with(&format!("</ds:Signature></{}>", t.root_element())));

        let path = certs.path(&format!("signed-{}.xml", t.code()));
        std::fs::write(&path, &signed).unwrap();
        let (ok, out) = xmlsec_verify(&path);
        assert!(
            ok,
            "{t:?} with {p12}: xmlsec1 rejects the signature:\n{out}\n{signed}"
        );
        assert!(out.contains("SignedInfo References (ok/all): 3/3"), "{out}");

        // Change one amount: the document digest no longer matches.
        let total = doc_total(&signed);
        let tampered = signed.replacen(
            &format!("<TotalComprobante>{total}</TotalComprobante>"),
            "<TotalComprobante>1</TotalComprobante>",
            1,
        );
        assert_ne!(tampered, signed);
        let path = certs.path(&format!("tampered-{}.xml", t.code()));
        std::fs::write(&path, &tampered).unwrap();
        let (ok, out) = xmlsec_verify(&path);
        assert!(!ok, "{t:?}: a tampered document must not verify:\n{out}");

        // Change the signing time: the SignedProperties digest no longer matches.
        let props = signed.replacen("<xades:SigningTime>", "<xades:SigningTime>1", 1);
        let path = certs.path(&format!("tampered-props-{}.xml", t.code()));
        std::fs::write(&path, &props).unwrap();
        assert!(
            !xmlsec_verify(&path).0,
            "{t:?}: tampered SignedProperties must not verify"
        );
    }
}

fn doc_total(xml: &str) -> String {
    let start = xml.find("<TotalComprobante>").unwrap() + "<TotalComprobante>".len();
    let end = xml[start..].find('<').unwrap();
    xml[start..start + end].to_string()
}

#[test]
fn expired_or_foreign_certificate_is_refused_and_nothing_changes() {
    let certs = Certs::new();
    let now = now_cr();
    let doc = sample(DocumentType::Factura, now);
    let xml = to_xml(&doc).unwrap();
    let before = xml.clone();

    let expired = certs.identity("expired.p12");
    let err = sign_xml(&xml, &expired, now).unwrap_err();
    assert!(
        matches!(err, SignError::CertificateExpired { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("expired on 2021-01-01"), "{err}");
    assert_eq!(xml, before);

    // The same certificate before it expired signs fine.
    assert!(sign_xml(&xml, &expired, cr_time(2020, 6, 1, 8)).is_ok());
    assert!(matches!(
        sign_xml(&xml, &expired, cr_time(2019, 6, 1, 8)),
        Err(SignError::CertificateNotYetValid { .. })
    ));

    let mut other = doc.clone();
    other.issuer.id.number = "3101538252".into();
    other.issuer.id.id_type = IdType::Juridica;
    let err = sign_document(&other, &certs.identity("modern.p12"), now).unwrap_err();
    assert!(
        matches!(err, SignError::CertificateNotForIssuer { .. }),
        "{err}"
    );

    let identity = certs.identity("modern.p12");
    let signed = sign_xml(&xml, &identity, now).unwrap();
    assert_eq!(
        sign_xml(&signed, &identity, now),
        Err(SignError::AlreadySigned)
    );
    assert!(matches!(
        sign_xml("not xml", &identity, now),
        Err(SignError::Xml(_))
    ));

    let mut broken = doc;
    broken.lines[0].description = "x".into();
    assert!(matches!(
        sign_document(&broken, &identity, now),
        Err(SignError::Invalid(_))
    ));
}

#[test]
fn crlf_and_odd_but_valid_xml_still_verifies() {
    let certs = Certs::new();
    let identity = certs.identity("modern.p12");
    let now = now_cr();
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<!-- comment -->\r\n<r:Doc xmlns:r=\"urn:test\" b=\"2\" a=\"x&#10;y\" xml:lang=\"es\">\r\n  <r:t>caf\u{e9} &amp; &lt;pan&gt; <![CDATA[<x>]]></r:t><?pi data?><e xmlns=\"urn:e\" z=\"1\"/>\r\n</r:Doc>\r\n";
    let signed = sign_xml(xml, &identity, now).unwrap();
    let path = certs.path("odd.xml");
    std::fs::write(&path, &signed).unwrap();
    let (ok, out) = xmlsec_verify(&path);
    assert!(ok, "{out}\n{signed}");
}
