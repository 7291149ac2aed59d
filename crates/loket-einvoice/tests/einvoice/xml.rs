//! The generated XML: the reference sample, and the official XSD for every type.

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::fixtures::*;
use loket_einvoice::*;

/// Flattens XML into (path, text) pairs for structural comparison.
fn flatten(xml: &str) -> Vec<(String, String)> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut path: Vec<String> = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                path.push(String::from_utf8_lossy(e.local_name().as_ref()).into_owned())
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Text(t) => out.push((path.join("/"), t.unescape().unwrap().into_owned())),
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn factura_matches_the_reference_sample() {
    let sample = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(
            "../../../shared/reference/hacienda/unsigned_FacturaElectronica_v4.4_facturacr_commonExpectedXml.xml",
        ),
    );
    let Ok(sample) = sample else {
        println!("SKIPPED: the reference sample is not in ../shared/reference/hacienda");
        return;
    };
    let ours = to_xml(&reference_factura()).unwrap();
    let fix_date = |v: Vec<(String, String)>| -> Vec<(String, String)> {
        v.into_iter()
            .map(|(p, t)| {
                if p.ends_with("FechaEmision") {
                    (p, t.replace(".000Z", "Z"))
                } else {
                    (p, t)
                }
            })
            .collect()
    };
    assert_eq!(fix_date(flatten(&ours)), fix_date(flatten(&sample)));
    assert!(ours.contains(
        "<FacturaElectronica xmlns=\"https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/facturaElectronica\""
    ));
}

#[test]
fn every_type_validates_against_the_xsd_once_signed() {
    let Some(xsd) = xsd_dir() else { return };
    let certs = Certs::new();
    let identity = certs.identity("legacy.p12");
    let now = now_cr();
    for t in DocumentType::ALL {
        let doc = sample(t, now);
        let unsigned = to_xml(&doc).unwrap();
        let path = certs.path(&format!("{}-unsigned.xml", t.code()));
        std::fs::write(&path, &unsigned).unwrap();
        let (ok, err) = xsd_validate(&xsd, t, &path);
        assert!(!ok, "{t:?}: an unsigned document must miss its signature");
        let problems: Vec<&str> = err
            .lines()
            .filter(|l| l.contains("validity error") || l.contains("error :"))
            .collect();
        assert_eq!(
            problems.len(),
            1,
            "{t:?} unsigned should fail only for ds:Signature:\n{err}"
        );
        assert!(problems[0].contains("Signature"), "{t:?}: {err}");

        let signed = sign_xml(&unsigned, &identity, now).unwrap();
        let path = certs.path(&format!("{}-signed.xml", t.code()));
        std::fs::write(&path, &signed).unwrap();
        let (ok, err) = xsd_validate(&xsd, t, &path);
        assert!(ok, "{t:?} signed does not validate:\n{err}\n{signed}");
    }
}

#[test]
fn reference_factura_validates_once_signed() {
    let Some(xsd) = xsd_dir() else { return };
    let certs = Certs::new();
    let identity = certs.identity("modern.p12");
    let signed = sign_document(&reference_factura(), &identity, now_cr()).unwrap();
    let path = certs.path("reference-signed.xml");
    std::fs::write(&path, &signed).unwrap();
    let (ok, err) = xsd_validate(&xsd, DocumentType::Factura, &path);
    assert!(ok, "{err}");
}

#[test]
fn sample_totals_add_up() {
    let doc = sample(DocumentType::Factura, cr_time(2025, 3, 10, 9));
    let t = doc.totals();
    // 2.5 × 35000 = 87500 at 13%: 11375
    // 3 × 4500.12345 = 13500.37035 − 500 = 13000.37035 at 1%: 130.0037035 → 130.0037
    // 12000 exempt; 100 not subject
    assert_eq!(t.services_taxed, d("87500"));
    assert_eq!(t.goods_taxed, d("13500.37035"));
    assert_eq!(t.goods_exempt, d("12000"));
    assert_eq!(t.goods_not_subject, d("100"));
    assert_eq!(t.sale, d("113100.37035"));
    assert_eq!(t.discounts, d("500"));
    assert_eq!(t.net_sale, d("112600.37035"));
    assert_eq!(t.tax, d("11505.0037"));
    assert_eq!(t.total, d("124105.37405"));
    let xml = to_xml(&doc).unwrap();
    assert!(xml.contains("<TotalComprobante>124105.37405</TotalComprobante>"));
    assert!(xml.contains("<Detalle>Donación &lt;especial&gt; &amp; otros</Detalle>"));
}

fn element_text(xml: &str, name: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    let mut inside = false;
    let mut out = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.local_name().as_ref() == name.as_bytes() => {
                inside = true;
                out.push(String::new());
            }
            Event::End(e) if e.local_name().as_ref() == name.as_bytes() => inside = false,
            Event::Text(t) if inside => {
                if let Some(last) = out.last_mut() {
                    last.push_str(&t.unescape().unwrap());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

    /// Whatever text passes the precheck comes back unchanged from the XML.
    #[test]
    fn free_text_survives_the_xml(text in "\\PC{0,220}", name in "\\PC{0,110}") {
        let mut doc = reference_factura();
        doc.lines[0].description = text.clone();
        doc.issuer.name = name.clone();
        match to_xml(&doc) {
            Ok(xml) => {
                proptest::prop_assert_eq!(element_text(&xml, "Detalle"), vec![text]);
                proptest::prop_assert_eq!(&element_text(&xml, "Nombre")[0], &name);
            }
            Err(e) => proptest::prop_assert!(e.issues.iter().all(|i| i.field == "lines[0].description" || i.field == "issuer.name")),
        }
    }
}
