//! The precheck names each field the XSD or Hacienda would reject.

use crate::fixtures::*;
use loket_einvoice::*;

fn fields(doc: &Document) -> Vec<String> {
    precheck(doc).into_iter().map(|i| i.field).collect()
}

fn message_for(doc: &Document, field: &str) -> String {
    precheck(doc)
        .into_iter()
        .find(|i| i.field == field)
        .map(|i| i.message)
        .unwrap_or_else(|| panic!("no issue for {field}: {:?}", precheck(doc)))
}

#[test]
fn samples_pass() {
    let now = now_cr();
    for t in DocumentType::ALL {
        assert_eq!(precheck(&sample(t, now)), Vec::new(), "{t:?}");
    }
    assert_eq!(precheck(&reference_factura()), Vec::new());
}

#[test]
fn each_field_gets_its_own_message() {
    let now = now_cr();
    let mut doc = sample(DocumentType::Factura, now);
    doc.issuer.name = "Tek".into();
    doc.issuer.id.number = "20692014".into();
    doc.issuer.emails = vec!["no-arroba".into()];
    doc.issuer.location.province = 8;
    doc.issuer.location.other_signs = "x".into();
    doc.issuer.activity_code = "93090".into();
    doc.issuer.phone = Some(Phone {
        country_code: 506,
        number: "8812-2479".into(),
    });
    doc.lines[0].cabys = "871560000990".into();
    doc.lines[0].description = "a\u{7}b".into();
    doc.lines[1].quantity = d("0");
    doc.lines[2].unit = "caja".into();
    doc.lines[2].unit_price = d("1.123456");
    doc.lines[3].discounts.push(Discount {
        amount: d("150"),
        kind: DiscountKind::Other("x".into()),
        description: None,
    });
    doc.provider_id = String::new();
    let found = fields(&doc);
    for field in [
        "clave",
        "issuer.name",
        "issuer.id.number",
        "issuer.emails[0]",
        "issuer.location.province",
        "issuer.location.other_signs",
        "issuer.activity_code",
        "issuer.phone.number",
        "lines[0].cabys",
        "lines[0].description",
        "lines[1].quantity",
        "lines[2].unit",
        "lines[2].unit_price",
        "lines[3].discounts[0].kind",
        "lines[3].discounts",
        "provider_id",
    ] {
        assert!(
            found.iter().any(|f| f == field),
            "missing {field} in {found:?}"
        );
    }
    assert_eq!(
        message_for(&doc, "issuer.name"),
        "The issuer's name is too short: at least 5 characters (3 now)."
    );
    assert_eq!(
        message_for(&doc, "lines[0].cabys"),
        "Line 1: the CABYS code must be exactly 13 digits."
    );
    assert!(message_for(&doc, "lines[0].description").contains("control character"));
    assert!(message_for(&doc, "lines[3].discounts").contains("larger than the line amount"));
    assert!(message_for(&doc, "lines[2].unit").contains("\"caja\""));
    assert!(message_for(&doc, "clave").contains("issuer id"));
    let err = to_xml(&doc).unwrap_err();
    assert_eq!(err.issues.len(), precheck(&doc).len());
    assert!(err.to_string().contains("problems need fixing"));
}

#[test]
fn document_rules() {
    let now = now_cr();
    // A factura needs a receiver with an id.
    let mut doc = sample(DocumentType::Factura, now);
    doc.receiver = None;
    assert_eq!(fields(&doc), ["receiver"]);

    // A credit note needs a reference.
    let mut doc = sample(DocumentType::NotaCredito, now);
    doc.references.clear();
    assert_eq!(fields(&doc), ["references"]);
    assert!(message_for(&doc, "references").contains("credit note"));

    // Clave of another type, or of another day.
    let mut doc = sample(DocumentType::Tiquete, now);
    doc.clave = clave_for(DocumentType::Factura, 1, now.date_naive());
    assert!(message_for(&doc, "clave").contains("document type 01"));
    let mut doc = sample(DocumentType::Tiquete, now);
    doc.issued_at = cr_time(2020, 1, 1, 10);
    assert!(message_for(&doc, "clave").contains("differs from the issue date"));

    // Sale condition 12 is not allowed on a tiquete; 09 only on notes.
    let mut doc = sample(DocumentType::Tiquete, now);
    doc.sale_condition = SaleCondition::Code("12".into());
    assert_eq!(fields(&doc), ["sale_condition"]);
    let mut doc = sample(DocumentType::NotaDebito, now);
    doc.sale_condition = SaleCondition::StateServicePayment;
    assert_eq!(fields(&doc), Vec::<String>::new());

    // Several payments must add up to the total.
    let mut doc = sample(DocumentType::Factura, now);
    doc.payments[1].amount = Some(d("999"));
    assert!(message_for(&doc, "payments").contains("add up to"));
    doc.payments[1].amount = None;
    assert!(message_for(&doc, "payments").contains("give the amount"));

    // The source system's total disagrees.
    let mut doc = reference_factura();
    doc.expected_total = Some(d("11.31"));
    assert_eq!(fields(&doc), Vec::<String>::new(), "within one cent");
    doc.expected_total = Some(d("12"));
    assert!(message_for(&doc, "expected_total").contains("CRC 11.3"));

    // Dollars need an exchange rate.
    let mut doc = sample(DocumentType::NotaDebito, now);
    doc.currency = Currency::Usd {
        exchange_rate: d("0"),
    };
    assert_eq!(fields(&doc), ["currency"]);

    // Too many decimals or digits.
    let mut doc = reference_factura();
    doc.expected_total = None;
    doc.lines[0].quantity = d("1.0005");
    doc.lines[0].tax.percentage = Some(d("13.125"));
    assert_eq!(
        fields(&doc),
        ["lines[0].quantity", "lines[0].tax.percentage"]
    );
    // The percentage must be the code's; a not-subject line needs a 0% code.
    let mut doc = reference_factura();
    doc.expected_total = None;
    doc.lines[0].tax.percentage = Some(d("10"));
    assert!(message_for(&doc, "lines[0].tax.percentage").contains("rate code 08 is 13%"));
    doc.lines[0].tax.percentage = None;
    doc.lines[0].not_subject = true;
    assert_eq!(fields(&doc), ["lines[0].tax.rate"]);
    doc.lines[0].tax = LineTax::iva(IvaRate::Exempt);
    assert_eq!(fields(&doc), Vec::<String>::new());

    let mut doc = reference_factura();
    doc.lines[0].unit_price = d("99999999999999");
    assert!(fields(&doc).contains(&"lines[0].unit_price".to_string()));
}
