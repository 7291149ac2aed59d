//! Import of drafts from CSV and JSON files: the sample files, grouping, every kind of
//! problem, all-or-nothing, and no panics on any input.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate};
use proptest::prelude::*;

use crate::fixtures::*;
use loket_einvoice::*;

fn data(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .unwrap()
}

fn problems(result: Result<Vec<DocumentDraft>, ImportError>) -> Vec<String> {
    match result {
        Err(e @ ImportError::Problems { .. }) => e.lines(),
        Err(ImportError::File(f)) => panic!("expected row problems, got a file problem: {f}"),
        Ok(drafts) => panic!("expected problems, got {} drafts", drafts.len()),
    }
}

fn file_problem(result: Result<Vec<DocumentDraft>, ImportError>) -> FileProblem {
    match result {
        Err(ImportError::File(f)) => f,
        Err(e) => panic!("expected a file problem, got: {e}"),
        Ok(drafts) => panic!("expected a file problem, got {} drafts", drafts.len()),
    }
}

fn has(lines: &[String], wanted: &str) {
    assert!(
        lines.iter().any(|l| l == wanted),
        "no line\n  {wanted}\nin\n  {}",
        lines.join("\n  ")
    );
}

fn cr(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<FixedOffset> {
    NaiveDate::from_ymd_opt(y, m, day)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
        .and_local_timezone(FixedOffset::west_opt(6 * 3600).unwrap())
        .unwrap()
}

const REFERENCED_CLAVE: &str = "50601032500020692014200100001010000000007112345678";

/// A minimal header for hand-written CSV in the tests below.
const HEADER: &str =
    "ref,type,receiver_name,receiver_id_type,receiver_id,cabys_code,description,quantity,unit,unit_price,iva_rate";

fn csv(rows: &[&str]) -> Vec<u8> {
    let mut text = String::from(HEADER);
    for r in rows {
        text.push('\n');
        text.push_str(r);
    }
    text.push('\n');
    text.into_bytes()
}

/// A good factura row for [`HEADER`].
fn good_row(r: &str) -> String {
    format!(
        "{r},01,EXCLUSIVE COFFEES,02,3101538252,8715600009900,Servicio de consultoría,1,Sp,1000,08"
    )
}

fn expected_f1001() -> DocumentDraft {
    let mut coffee = line(
        "Café molido 1 kg",
        "3",
        "Kg",
        "4500.12345",
        IvaRate::Reduced1,
    );
    coffee.cabys = "2391100000000".into();
    coffee.seller_code = Some("CAF-001".into());
    coffee.discounts = vec![Discount {
        amount: d("500"),
        kind: DiscountKind::Promotional,
        description: None,
    }];
    let mut consulting = line(
        "Consultoría contable, marzo",
        "2.5",
        "Sp",
        "35000",
        IvaRate::General13,
    );
    consulting.cabys = "8315100000100".into();
    consulting.seller_code = Some("CONS-01".into());
    DocumentDraft {
        external_ref: "F-1001".into(),
        doc_type: DocumentType::Factura,
        issued_at: Some(cr(2025, 3, 1, 9, 30)),
        receiver: Some(Receiver {
            name: "EXCLUSIVE COFFEES S.A.".into(),
            id: Some(Identification {
                id_type: IdType::Juridica,
                number: "3101538252".into(),
            }),
            commercial_name: None,
            location: None,
            foreign_address: None,
            phone: None,
            email: Some("facturas@exclusivecoffee.example".into()),
            activity_code: None,
        }),
        sale_condition: SaleCondition::Cash,
        currency: Currency::Crc,
        payments: vec![Payment {
            method: PaymentMethod::Transfer,
            amount: None,
        }],
        references: Vec::new(),
        notes: Some("Pedido 4471".into()),
        lines: vec![consulting, coffee],
        expected_total: None,
    }
}

/// The generated document: the fixtures' issuer and a clave for the draft's date.
fn generate(draft: DocumentDraft, number: u64) -> Document {
    let now = cr(2025, 3, 10, 8, 0);
    let issued = draft.issued_at_or(now);
    let clave = clave_for(draft.doc_type, number, issued.date_naive());
    draft.into_document(issuer(), clave, "3101999999", now)
}

#[test]
fn sample_csv_imports_the_expected_documents() {
    let drafts = import_csv(&data("invoices.csv")).unwrap();
    let refs: Vec<&str> = drafts.iter().map(|d| d.external_ref.as_str()).collect();
    assert_eq!(refs, ["F-1001", "F-1002", "T-2001", "NC-3001"]);
    assert_eq!(drafts[0], expected_f1001());

    let f1002 = &drafts[1];
    assert_eq!(f1002.doc_type, DocumentType::Factura);
    assert_eq!(f1002.issued_at, Some(cr(2025, 3, 2, 0, 0)));
    assert_eq!(
        f1002.currency,
        Currency::Usd {
            exchange_rate: d("505.12")
        }
    );
    assert_eq!(f1002.sale_condition, SaleCondition::Credit { days: 30 });
    assert_eq!(
        f1002.payments,
        vec![
            Payment {
                method: PaymentMethod::Transfer,
                amount: Some(d("1000")),
            },
            Payment {
                method: PaymentMethod::SinpeMovil,
                amount: Some(d("356")),
            },
        ]
    );
    assert_eq!(f1002.expected_total, Some(d("1356")));
    assert_eq!(f1002.lines[0].tax, LineTax::iva(IvaRate::General13));
    let receiver = f1002.receiver.as_ref().unwrap();
    assert_eq!(receiver.id.as_ref().unwrap().id_type, IdType::Fisica);

    let ticket = &drafts[2];
    assert_eq!(ticket.doc_type, DocumentType::Tiquete);
    assert_eq!(ticket.receiver, None);
    assert_eq!(ticket.issued_at, None);
    assert_eq!(ticket.lines.len(), 2);
    assert_eq!(ticket.lines[1].tax.rate, IvaRate::Exempt);

    let note = &drafts[3];
    assert_eq!(note.doc_type, DocumentType::NotaCredito);
    assert_eq!(
        note.references,
        vec![Reference {
            doc_type: "01".into(),
            doc_type_other: None,
            number: Some(REFERENCED_CLAVE.into()),
            issued_at: cr(2025, 3, 1, 0, 0),
            code: Some("06".into()),
            code_other: None,
            reason: Some("Devolución de 1 kg de café".into()),
        }]
    );

    // Totals, as Document::totals computes them.
    let totals: Vec<Totals> = drafts
        .into_iter()
        .enumerate()
        .map(|(i, draft)| {
            let doc = generate(draft, i as u64 + 1);
            assert_eq!(precheck(&doc), Vec::new(), "{}", doc.clave);
            doc.totals()
        })
        .collect();
    // F-1001: 2.5 × 35000 = 87500 + 13% 11375; 3 × 4500.12345 = 13500.37035 − 500 at 1%:
    // 130.0037035 → 130.0037.
    assert_eq!(totals[0].services_taxed, d("87500"));
    assert_eq!(totals[0].goods_taxed, d("13500.37035"));
    assert_eq!(totals[0].discounts, d("500"));
    assert_eq!(totals[0].tax, d("11505.0037"));
    assert_eq!(totals[0].total, d("112005.37405"));
    assert_eq!(totals[1].total, d("1356"));
    // T-2001: 3000 + 390, 12000 exempt.
    assert_eq!(totals[2].goods_exempt, d("12000"));
    assert_eq!(totals[2].total, d("15390"));
    assert_eq!(totals[3].total, d("4545.12468"));
}

#[test]
fn a_draft_without_a_date_is_issued_now() {
    let drafts = import_csv(&data("invoices.csv")).unwrap();
    let ticket = drafts[2].clone();
    let now = cr(2025, 4, 2, 15, 45);
    let clave = clave_for(DocumentType::Tiquete, 9, now.date_naive());
    let doc = ticket
        .clone()
        .into_document(issuer(), clave.clone(), "3101999999", now);
    assert_eq!(doc.issued_at, now);
    assert_eq!(doc.clave, clave);
    assert_eq!(doc.issuer, issuer());
    assert_eq!(doc.provider_id, "3101999999");
    assert_eq!(doc.lines, ticket.lines);
    assert_eq!(doc.payments, ticket.payments);
    assert_eq!(precheck(&doc), Vec::new());
}

#[test]
fn imported_documents_validate_against_the_xsd_once_signed() {
    let drafts = import_csv(&data("invoices.csv")).unwrap();
    let docs: Vec<Document> = drafts
        .into_iter()
        .enumerate()
        .map(|(i, d)| generate(d, i as u64 + 1))
        .collect();
    for doc in &docs {
        to_xml(doc).unwrap();
    }
    let Some(xsd) = xsd_dir() else { return };
    let certs = Certs::new();
    let identity = certs.identity("modern.p12");
    for doc in &docs {
        let signed = sign_document(doc, &identity, now_cr()).unwrap();
        let path = certs.path(&format!("{}.xml", doc.clave));
        std::fs::write(&path, &signed).unwrap();
        let (ok, err) = xsd_validate(&xsd, doc.doc_type, &path);
        assert!(ok, "{:?} does not validate:\n{err}", doc.doc_type);
    }
}

#[test]
fn a_spanish_excel_file_reads_like_the_sample() {
    // Semicolons, decimal commas, day-first dates, a byte-order mark, CRLF, and header
    // names typed as "Unit Price", "IVA rate", "CABYS".
    let bytes = data("invoices_semicolon.csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let spanish = import_csv(&bytes).unwrap();
    assert_eq!(spanish, import_csv(&data("invoices.csv")).unwrap());
}

#[test]
fn the_json_sample_reads_like_the_csv_sample() {
    let json = import_json(&data("invoices.json")).unwrap();
    assert_eq!(json, import_csv(&data("invoices.csv")).unwrap());
}

#[test]
fn json_takes_a_list_or_a_documents_object_and_round_trips() {
    let drafts = import_csv(&data("invoices.csv")).unwrap();
    let list = serde_json::to_vec_pretty(&drafts).unwrap();
    assert_eq!(import_json(&list).unwrap(), drafts);
    let object = serde_json::to_vec(&serde_json::json!({ "documents": drafts })).unwrap();
    assert_eq!(import_json(&object).unwrap(), drafts);
    // The serde form also reads back through serde (how the engine may store a draft).
    let back: Vec<DocumentDraft> = serde_json::from_slice(&list).unwrap();
    assert_eq!(back, drafts);
}

#[test]
fn import_drafts_tells_csv_from_json() {
    assert_eq!(
        ImportFormat::sniff(&data("invoices.csv")),
        ImportFormat::Csv
    );
    assert_eq!(
        ImportFormat::sniff(&data("invoices.json")),
        ImportFormat::Json
    );
    assert_eq!(
        ImportFormat::sniff(b"\xEF\xBB\xBF\n  [ ]"),
        ImportFormat::Json
    );
    assert_eq!(import_drafts(&data("invoices.csv")).unwrap().len(), 4);
    assert_eq!(import_drafts(&data("invoices.json")).unwrap().len(), 4);
}

#[test]
fn rows_with_the_same_ref_group_even_when_apart() {
    let bytes = csv(&[
        &good_row("A-1"),
        &good_row("B-1"),
        // A-1 again, further down, with the document's fields left blank.
        "A-1,,,,,8715600009900,Segunda línea,2,Unid,50,13%",
        &good_row("C-1"),
        "B-1,01,EXCLUSIVE COFFEES,02,3101538252,8715600009900,Otra línea,3,Unid,10,08",
    ]);
    let drafts = import_csv(&bytes).unwrap();
    let shape: Vec<(&str, usize)> = drafts
        .iter()
        .map(|d| (d.external_ref.as_str(), d.lines.len()))
        .collect();
    assert_eq!(shape, [("A-1", 2), ("B-1", 2), ("C-1", 1)]);
    assert_eq!(drafts[0].lines[1].description, "Segunda línea");
    assert_eq!(drafts[0].lines[1].unit, "Unid");
    assert_eq!(drafts[1].lines[1].description, "Otra línea");
    let a = generate(drafts[0].clone(), 1);
    // 1000 + 130, 100 + 13
    assert_eq!(a.totals().total, d("1243"));
}

#[test]
fn conflicting_document_fields_are_an_error_on_the_later_row() {
    let bytes = csv(&[
        &good_row("A-1"),
        &good_row("B-1"),
        "A-1,04,,,,8715600009900,Segunda línea,2,Unid,50,13%",
        "A-1,01,exclusive  coffees,,,8715600009900,Tercera línea,2,Unid,50,13%",
    ]);
    let lines = problems(import_csv(&bytes));
    assert_eq!(
        lines,
        [
            "row 4, type: \"04\" differs from \"01\" on row 2 of the same document (ref \"A-1\"); fill it in the same way on every row or only on one."
        ]
    );
}

#[test]
fn row_problems_name_the_row_and_the_column() {
    let bytes = csv(&[
        &good_row("A-1"),
        "A-1,,,,,8715600009900,Café,abc,Unid,12.5.0,8",
        "B-1,07,Juan Pérez,9,,8.7156E+12,Té,1,Unid,1000,13%",
        ",01,EXCLUSIVE COFFEES,02,3101538252,8715600009900,Sin ref,1,Sp,10,08",
        "C-1,01,EXCLUSIVE COFFEES,02,3101538252,8715600009900,Coma,\"12,5\",Sp,10,08",
    ]);
    let lines = problems(import_csv(&bytes));
    has(&lines, "row 3, quantity: \"abc\" is not a number.");
    has(
        &lines,
        "row 3, unit_price: \"12.5.0\" is not a number (it has more than one decimal mark; leave out thousands separators).",
    );
    has(
        &lines,
        "row 3, iva_rate: \"8\" could be a code (08) or a percentage (8%); write the IVA code with two digits (08 = 13%, 04 = 4%, 10 = exenta …) or the percentage with a % sign (13%).",
    );
    has(
        &lines,
        "row 4, type: \"07\" is not a document type; write 01 (factura), 02 (nota de débito), 03 (nota de crédito) or 04 (tiquete).",
    );
    has(
        &lines,
        "row 4, cabys_code: \"8.7156E+12\" was turned into a number by the spreadsheet; format the column as text and type the code again.",
    );
    has(
        &lines,
        "row 5, ref: missing; every row needs the invoice's own number (rows with the same ref form one document).",
    );
    has(
        &lines,
        "row 6, quantity: \"12,5\" has a comma; in a comma-separated file write decimals with a point (12.5) and no thousands separators.",
    );
    // Every problem is listed, in row order.
    let rows: Vec<usize> = match import_csv(&bytes) {
        Err(e) => e.problems().iter().map(|p| p.row.unwrap()).collect(),
        Ok(_) => unreachable!(),
    };
    let mut sorted = rows.clone();
    sorted.sort();
    assert_eq!(rows, sorted);
    assert!(rows.len() >= 7, "{lines:?}");
}

#[test]
fn row_numbers_are_spreadsheet_rows() {
    // A description with a line break is one spreadsheet row; a blank line is a row too.
    let text = format!(
        "{HEADER}\n{}\nA-1,,,,,8715600009900,\"Dos\nlíneas\",1,Unid,5,08\n\n,,\nB-1,01,EXCLUSIVE COFFEES,02,3101538252,8715600009900,Malo,x,Sp,10,08\n",
        good_row("A-1")
    );
    let lines = problems(import_csv(text.as_bytes()));
    assert_eq!(lines, ["row 6, quantity: \"x\" is not a number."]);
    // Right after blank lines, and with Windows line ends.
    let text = format!("{HEADER}\r\n\r\n\r\n{}\r\n", good_row("A-1")).replace(",1,Sp,", ",x,Sp,");
    let lines = problems(import_csv(text.as_bytes()));
    assert_eq!(lines, ["row 4, quantity: \"x\" is not a number."]);
}

#[test]
fn precheck_problems_come_in_the_same_clerk_words() {
    let bytes = csv(&[
        // A factura without a receiver.
        "A-1,01,,,,8715600009900,Servicio de consultoría,1,Sp,1000,08",
        // Quantity zero on the second line of B-1, a dashed física id.
        &good_row("B-1"),
        "B-1,,,,,8715600009900,Otro servicio,0,Sp,1000,08",
        "C-1,01,Ana,01,0-0987-0654,8715600009900,xy,1,caja,1000,08",
        // A credit note without a reference.
        "D-1,03,EXCLUSIVE COFFEES,02,3101538252,8715600009900,Devolución,1,Sp,1000,08",
    ]);
    let lines = problems(import_csv(&bytes));
    assert_eq!(
        lines,
        [
            "row 2, receiver_name: A invoice (factura) needs a receiver (name and id).",
            "row 4, quantity: The quantity must be more than zero.",
            "row 5, receiver_id: The receiver's id number \"009870654\" is not valid: a cédula física has 9 digits, without dashes and not starting with 0.",
            "row 5, description: The description is too short: at least 3 characters (2 now).",
            "row 5, unit: \"caja\" is not a unit of measure of the v4.4 list (for example Unid, Sp, Kg, L).",
            "row 6, reference_clave: A credit note must say which document it corrects (reference).",
        ]
    );
    assert!(!lines
        .iter()
        .any(|l| l.contains("issuer") || l.contains("clave ")));
}

#[test]
fn an_expected_total_that_does_not_add_up_is_reported() {
    let text = format!("{HEADER},expected_total\n{},1200\n", good_row("A-1"));
    let lines = problems(import_csv(text.as_bytes()));
    assert_eq!(
        lines,
        ["row 2, expected_total: The lines add up to CRC 1130, but the source shows a total of 1200; check quantities, prices, discounts and tax rates."]
    );
}

#[test]
fn document_fields_are_checked() {
    let header = format!("{HEADER},date,currency,exchange_rate,sale_condition,credit_days,payment_method,reference_clave,reference_code,discount,discount_code");
    let row = |r: &str, rest: &str| format!("{},{rest}", good_row(r));
    let text = [
        header,
        row("A-1", "31/02/2025,USD,,,,,,,,"),
        row("B-1", "2025-03-01,EUR,,02,,,,,,"),
        row("C-1", ",CRC,505,01,30,99,,,,"),
        row("D-1", ",,,,,04=abc,12345,,10%,06"),
        row("E-1", ",,,,,,,,,07"),
    ]
    .join("\n");
    let lines = problems(import_csv(text.as_bytes()));
    for wanted in [
        "row 2, date: \"31/02/2025\" is not a date; write 2025-03-01, 01/03/2025 (day first) or 2025-03-01 14:30 (Costa Rica time).",
        "row 2, exchange_rate: missing; US dollars need the exchange rate of the day (colones per dollar).",
        "row 3, currency: \"EUR\" is not a currency Loket issues in; write CRC or USD.",
        "row 3, credit_days: missing; a sale on credit (02) needs the credit term in days.",
        "row 4, exchange_rate: an exchange rate only goes with USD; clear it or set the currency to USD.",
        "row 4, credit_days: credit days only go with sale condition 02 (credit); clear them or change the sale condition.",
        "row 4, payment_method: \"99\": payment method 99 (other) needs a description; write 99: description.",
        "row 5, payment_method: \"abc\" is not a number.",
        "row 5, reference_type: missing; say which kind of document is referenced (01 factura, 04 tiquete …) or give its 50-digit clave in reference_clave.",
        "row 5, reference_date: missing; give the referenced document's date (or its 50-digit clave in reference_clave).",
        "row 6, discount_code: a discount code needs the discount amount in the discount column.",
    ] {
        has(&lines, wanted);
    }
}

#[test]
fn codes_that_lost_their_leading_zero_and_other_spellings() {
    let header = format!("{HEADER},payment_method,sale_condition,discount,not_subject");
    let text = [
        header,
        "A-1,1,Ana María,1,109870654,8715600009900,Asesoría,1,sp,1000,13,4,contado,10%,no".into(),
        "A-1,,,,,8715600009900,Libro,1,UNID,1000,0.5%,,,,".into(),
        "A-1,,,,,8715600009900,Donación,1,Unid,100,01,,,,yes".into(),
        "T-1,tiquete,,,,8715600009900,Café,2,Unid,1500,general13,efectivo,,,".into(),
    ]
    .join("\n");
    let drafts = import_csv(text.as_bytes()).unwrap();
    let a = &drafts[0];
    assert_eq!(a.doc_type, DocumentType::Factura);
    assert_eq!(
        a.receiver.as_ref().unwrap().id.as_ref().unwrap().id_type,
        IdType::Fisica
    );
    assert_eq!(a.payments[0].method, PaymentMethod::Transfer);
    assert_eq!(a.sale_condition, SaleCondition::Cash);
    assert_eq!(a.lines[0].unit, "Sp");
    assert_eq!(a.lines[0].tax.rate, IvaRate::General13);
    assert_eq!(a.lines[0].discounts[0].amount, d("100"));
    assert_eq!(a.lines[0].discounts[0].kind, DiscountKind::Commercial);
    assert_eq!(a.lines[1].unit, "Unid");
    assert_eq!(a.lines[1].tax.rate, IvaRate::ReducedHalf);
    assert!(a.lines[2].not_subject);
    assert_eq!(drafts[1].doc_type, DocumentType::Tiquete);
    assert_eq!(drafts[1].payments[0].method, PaymentMethod::Cash);
}

#[test]
fn iva_rates_by_code_percentage_or_name() {
    let rate = |cell: &str| -> Result<IvaRate, String> {
        let text = format!("{HEADER}\nT-1,04,,,,8715600009900,Café,1,Unid,100,{cell}\n");
        match import_csv(text.as_bytes()) {
            Ok(drafts) => Ok(drafts[0].lines[0].tax.rate),
            Err(e) => Err(e.lines().join(" | ")),
        }
    };
    for (cell, want) in [
        ("08", IvaRate::General13),
        ("13%", IvaRate::General13),
        ("13", IvaRate::General13),
        ("04", IvaRate::Reduced4),
        ("4%", IvaRate::Reduced4),
        ("06", IvaRate::Transitional4),
        ("8%", IvaRate::Transitional8),
        ("1%", IvaRate::Reduced1),
        ("2%", IvaRate::Reduced2),
        ("0.5%", IvaRate::ReducedHalf),
        ("0.5", IvaRate::ReducedHalf),
        ("10", IvaRate::Exempt),
        ("exenta", IvaRate::Exempt),
        ("01", IvaRate::Zero),
        ("11", IvaRate::ZeroWithoutCredit),
    ] {
        assert_eq!(rate(cell), Ok(want), "{cell}");
    }
    for (cell, words) in [
        ("8", "could be a code (08) or a percentage (8%)"),
        ("0%", "fits several IVA codes"),
        ("12", "is not an IVA rate code (01–11)"),
        ("15%", "is not an IVA rate"),
        ("IVA", "is not an IVA rate"),
    ] {
        let err = rate(cell).unwrap_err();
        assert!(err.contains(words), "{cell}: {err}");
    }
}

#[test]
fn json_problems_name_the_document_and_the_path() {
    let json = serde_json::json!([
        {
            "ref": "J-1", "type": "04",
            "lines": [{ "cabys": "8715600009900", "description": "Café", "quantity": 1, "unit": "Unid", "unit_price": 10, "tax": "08" }]
        },
        {
            "ref": "J-2", "type": "04", "colour": "blue",
            "lines": [
                { "cabys": "8715600009900", "description": "Café", "quantity": 1, "unit": "Unid", "unit_price": 10, "tax": "08" },
                { "cabys": "8715600009900", "description": "Té", "quantity": "abc", "unit": "Unid", "unit_price": [], "tax": "99" }
            ]
        },
        { "ref": "J-1", "type": "04", "lines": [{ "cabys": "8715600009900", "description": "Café", "quantity": 1, "unit": "Unid", "unit_price": 10, "tax": "08" }] },
        { "type": "01", "lines": [] },
        "not a document",
        { "ref": "J-6", "type": "01", "receiver": { "name": "Ana", "id": { "id_type": "01", "number": "109870654" } },
          "lines": [{ "cabys": "871560000990", "description": "Café", "quantity": 1, "unit": "Unid", "unit_price": 10, "tax": { "rate": "08" } }] }
    ]);
    let lines = problems(import_json(&serde_json::to_vec(&json).unwrap()));
    assert_eq!(
        lines,
        [
            "document 2 (ref \"J-2\"), colour: is not a known field here; the fields are external_ref, ref, doc_type, type, issued_at, date, receiver, sale_condition, credit_days, currency, exchange_rate, payments, references, notes, lines, expected_total.",
            "document 2 (ref \"J-2\"), lines[1].quantity: \"abc\" is not a number.",
            "document 2 (ref \"J-2\"), lines[1].unit_price: should be a number; found a list.",
            "document 2 (ref \"J-2\"), lines[1].tax: \"99\" is not an IVA rate code (01–11); write the IVA code with two digits (08 = 13%, 04 = 4%, 10 = exenta …) or the percentage with a % sign (13%).",
            "document 3 (ref \"J-1\"), external_ref: \"J-1\" is also the ref of document 1; each document needs its own ref.",
            "document 4, external_ref: missing; give the document's own number in the source (it keeps a second import of the same file from creating duplicates).",
            "document 5: should be an object { … }; found a text.",
            "document 6 (ref \"J-6\"), lines[0].cabys: Line 1: the CABYS code must be exactly 13 digits.",
        ]
    );
    let Err(ImportError::Problems { problems, .. }) =
        import_json(&serde_json::to_vec(&json).unwrap())
    else {
        unreachable!()
    };
    assert_eq!(problems[1].document, Some(2));
    assert_eq!(problems[1].external_ref.as_deref(), Some("J-2"));
    assert_eq!(problems[1].field, "lines[1].quantity");
    assert_eq!(problems[1].row, None);
}

#[test]
fn json_document_fields_are_checked() {
    let line = serde_json::json!({ "cabys": "8715600009900", "description": "Servicio", "quantity": 1, "unit": "Sp", "unit_price": 100, "tax": "08" });
    let receiver = serde_json::json!({ "name": "EXCLUSIVE COFFEES", "id": { "id_type": "02", "number": "3101538252" } });
    let json = serde_json::json!({ "documents": [
        { "ref": "A", "type": "01", "receiver": receiver, "currency": "USD", "lines": [line] },
        { "ref": "B", "type": "01", "receiver": receiver, "sale_condition": "02", "lines": [line] },
        { "ref": "C", "type": "03", "receiver": receiver, "references": [{ "number": "F-77", "code": "01" }], "lines": [line] },
        { "ref": "D", "type": "01", "receiver": receiver, "date": "2025-13-01", "payments": [{ "method": { "other": 5 } }], "lines": [line] },
        { "ref": "E", "type": "01", "receiver": receiver, "lines": [line], "expected_total": "1e99" },
    ]});
    let lines = problems(import_json(&serde_json::to_vec(&json).unwrap()));
    assert_eq!(
        lines,
        [
            "document 1 (ref \"A\"), exchange_rate: missing; US dollars need the exchange rate of the day (colones per dollar).",
            "document 2 (ref \"B\"), credit_days: missing; a sale on credit (02) needs the credit term in days.",
            "document 3 (ref \"C\"), references[0].doc_type: missing; say which kind of document is referenced (\"01\" factura …) or give its 50-digit clave as number.",
            "document 3 (ref \"C\"), references[0].issued_at: missing; give the referenced document's date (or its 50-digit clave as number).",
            "document 4 (ref \"D\"), date: \"2025-13-01\" is not a date; write 2025-03-01, 01/03/2025 (day first) or 2025-03-01 14:30 (Costa Rica time).",
            "document 4 (ref \"D\"), payments[0].method.other: should be the description as a text; found a number.",
            "document 5 (ref \"E\"), expected_total: \"1e99\" is not a number.",
        ]
    );
}

#[test]
fn a_rejected_file_imports_nothing() {
    let mut text = String::from_utf8(data("invoices.csv")).unwrap();
    text.push_str("X-1,01,,,,,,,,,,,,,,,,,,8715600009900,,Servicio,1,Sp,ten,,,08,\n");
    let result = import_csv(text.as_bytes());
    let Err(error) = result else {
        panic!("a file with one bad row must import nothing")
    };
    assert_eq!(
        error.lines(),
        ["row 8, unit_price: \"ten\" is not a number."]
    );
    assert!(error
        .to_string()
        .starts_with("Nothing was imported: 1 problem to fix.\n"));

    let mut json: serde_json::Value = serde_json::from_slice(&data("invoices.json")).unwrap();
    json["documents"][3]["lines"][0]["quantity"] = serde_json::json!("uno");
    assert!(import_json(&serde_json::to_vec(&json).unwrap()).is_err());
}

#[test]
fn problems_are_capped() {
    let rows: Vec<String> = (0..300)
        .map(|i| {
            format!("R-{i},01,EXCLUSIVE COFFEES,02,3101538252,8715600009900,Servicio,x,Sp,10,08")
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    match import_csv(&csv(&rows)) {
        Err(ImportError::Problems {
            problems,
            truncated,
        }) => {
            assert_eq!(problems.len(), MAX_PROBLEMS);
            assert!(truncated);
            assert_eq!(problems[0].row, Some(2));
        }
        other => panic!("{other:?}"),
    }
    let message = import_csv(&csv(&rows)).unwrap_err().to_string();
    assert!(message.starts_with("Nothing was imported: more than 200 problems to fix."));
    assert!(message.ends_with("… (only the first 200 are listed)"));
}

#[test]
fn bad_files_get_one_clear_message() {
    assert_eq!(file_problem(import_csv(b"")), FileProblem::Empty);
    assert_eq!(file_problem(import_drafts(b" \r\n\t ")), FileProblem::Empty);
    assert_eq!(
        file_problem(import_csv(b"\xEF\xBB\xBF")),
        FileProblem::Empty
    );
    assert_eq!(file_problem(import_json(b"\n")), FileProblem::Empty);
    assert_eq!(
        file_problem(import_csv(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")),
        FileProblem::Binary
    );
    assert_eq!(
        file_problem(import_drafts(b"PK\x03\x04\x14\x00\x06\x00")),
        FileProblem::Spreadsheet
    );
    let utf16: Vec<u8> = "ref,type\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(file_problem(import_csv(&utf16)), FileProblem::Utf16);
    let mut with_bom = vec![0xFF, 0xFE];
    with_bom.extend(&utf16);
    assert_eq!(file_problem(import_csv(&with_bom)), FileProblem::Utf16);
    // Windows-1252 "Café" on line 3.
    let mut latin = csv(&[&good_row("A-1")]);
    latin.extend(b"B-1,01,Caf\xe9,02,3101538252,8715600009900,x,1,Sp,1,08\n");
    let problem = file_problem(import_csv(&latin));
    assert_eq!(problem, FileProblem::NotUtf8 { line: 3 });
    assert!(problem.to_string().contains("CSV UTF-8"), "{problem}");

    let header = file_problem(import_csv(
        b"ref,type,description,quantity,unit price,Tax,qty\nA,01,x,1,1,08,1\n",
    ));
    assert_eq!(
        header,
        FileProblem::Header {
            missing: vec!["cabys_code".into(), "unit".into(), "iva_rate".into()],
            unknown: vec!["Tax".into()],
            duplicate: vec!["quantity".into()],
        }
    );
    assert!(header
        .to_string()
        .starts_with("The header row lacks the required columns cabys_code, unit, iva_rate. Loket does not know the column \"Tax\"; rename or delete it. These columns appear twice: quantity. The columns are: ref, type, date,"));
    assert_eq!(
        file_problem(import_csv(b"A-1,01,8715600009900,Servicio,1,Sp,1000,08\n")),
        FileProblem::NoHeader
    );
    assert_eq!(
        file_problem(import_csv(format!("{HEADER}\n,,,\n , ,\n").as_bytes())),
        FileProblem::NoDocuments
    );
    assert_eq!(file_problem(import_json(b"[]")), FileProblem::NoDocuments);
    assert_eq!(
        file_problem(import_json(b"{\"documents\": []}")),
        FileProblem::NoDocuments
    );
    match file_problem(import_json(b"[{\"ref\": \"A\",}]")) {
        FileProblem::JsonSyntax { line, column, .. } => assert_eq!((line, column), (1, 14)),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        file_problem(import_json(b"42")),
        FileProblem::JsonShape {
            found: "a number".into()
        }
    );
    let shape = file_problem(import_json(b"{\"invoices\": []}"));
    assert_eq!(
        shape.to_string(),
        "A JSON import must be a list of documents ([ … ]) or an object with a \"documents\" list ({\"documents\": [ … ]}); this file holds an object without a \"documents\" list."
    );
}

#[test]
fn a_stray_delimiter_is_pointed_at() {
    let text = format!(
        "{HEADER}\nA-1,01,EXCLUSIVE COFFEES,02,3101538252,8715600009900,Servicio,12,5,Sp,1000,08\n"
    );
    let lines = problems(import_csv(text.as_bytes()));
    has(
        &lines,
        "row 2: this row has more cells than the header has columns (\"08\" in column L); look for a stray comma, for example a decimal comma in a comma-separated file.",
    );
}

#[test]
fn a_draft_prechecks_without_placeholder_issues() {
    let mut draft = expected_f1001();
    assert_eq!(draft.precheck(), Vec::new());
    draft.issued_at = Some(cr(1999, 12, 31, 12, 0));
    draft.lines[0].quantity = d("0");
    let fields: Vec<String> = draft.precheck().into_iter().map(|i| i.field).collect();
    assert_eq!(fields, ["issued_at", "lines[0].quantity"]);
}

// ---------------------------------------------------------------------------------------
// No panics on any input
// ---------------------------------------------------------------------------------------

fn import_everything(bytes: &[u8]) {
    let _ = import_csv(bytes);
    let _ = import_json(bytes);
    let _ = import_drafts(bytes);
}

/// Cells that reach deep into the parsers: good values, near misses and extremes.
const CELLS: [&str; 40] = [
    "",
    "A-1",
    "B-2",
    "01",
    "1",
    "03",
    "04",
    "factura",
    "tiquete",
    "02",
    "99",
    "99: otro medio",
    "08",
    "8",
    "13%",
    "0%",
    "0.5",
    "10%",
    "-1",
    "0",
    "9999999999999",
    "9999999999999.99999",
    "1e30",
    "1,5",
    "1.5",
    "abc",
    "\"",
    "\"\"",
    "a\nb",
    ";",
    "|",
    "04=1|06=x",
    "2025-03-01",
    "31/12/2099 23:59",
    "1999-01-01",
    "8.7156E+12",
    "8715600009900",
    REFERENCED_CLAVE,
    "USD",
    "Sp",
];

fn csv_from(header: &[usize], rows: &[Vec<usize>], delimiter: char) -> Vec<u8> {
    let names: Vec<&str> = CSV_COLUMNS.iter().map(|c| c.name).collect();
    let mut out = String::new();
    let head: Vec<&str> = header.iter().map(|i| names[i % names.len()]).collect();
    out.push_str(&head.join(&delimiter.to_string()));
    for row in rows {
        out.push('\n');
        let cells: Vec<&str> = row.iter().map(|i| CELLS[i % CELLS.len()]).collect();
        out.push_str(&cells.join(&delimiter.to_string()));
    }
    out.into_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        import_everything(&bytes);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "[\\[\\]{}\",;:0-9a-z.\\-\\n ]{0,300}") {
        import_everything(text.as_bytes());
    }

    #[test]
    fn csv_made_of_real_columns_never_panics(
        header in proptest::collection::vec(0usize..29, 1..29),
        rows in proptest::collection::vec(proptest::collection::vec(0usize..40, 0..32), 0..12),
        semicolon in any::<bool>(),
    ) {
        let mut header = header;
        // Usually the full header, so the rows reach the cell parsers.
        if header.len() > 3 {
            header = (0..29).collect();
        }
        import_everything(&csv_from(&header, &rows, if semicolon { ';' } else { ',' }));
    }
}

#[test]
fn mutated_sample_files_never_panic() {
    // A deterministic pseudo-random walk (xorshift) over byte edits of the samples.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for sample in ["invoices.csv", "invoices_semicolon.csv", "invoices.json"] {
        let original = data(sample);
        for _ in 0..400 {
            let mut bytes = original.clone();
            for _ in 0..(1 + next() % 6) {
                let at = (next() % bytes.len() as u64) as usize;
                match next() % 4 {
                    0 => bytes[at] = next() as u8,
                    1 => {
                        bytes.remove(at);
                    }
                    2 => {
                        let pool = b",;\"\n:|%0-9e[";
                        bytes.insert(at, pool[(next() % pool.len() as u64) as usize]);
                    }
                    _ => bytes.truncate(at),
                }
                if bytes.is_empty() {
                    bytes.push(b'x');
                }
            }
            import_everything(&bytes);
        }
    }
}

fn pointers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                pointers(v, format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn json_with_odd_values_anywhere_never_panics() {
    use serde_json::json;
    let sample: serde_json::Value = serde_json::from_slice(&data("invoices.json")).unwrap();
    let drafts = serde_json::to_value(import_csv(&data("invoices.csv")).unwrap()).unwrap();
    let long = "x".repeat(300);
    let odd = [
        json!(null),
        json!(true),
        json!(-1),
        json!(0),
        json!(1e300),
        json!(1e-30),
        json!(18446744073709551615u64),
        json!(-9223372036854775808i64),
        json!(1.5),
        json!("abc"),
        json!(""),
        json!("99"),
        json!("9999999999999.99999"),
        json!("-9999999999999"),
        json!("2025-02-30"),
        json!(REFERENCED_CLAVE),
        json!(long),
        json!([]),
        json!([1, "a", null]),
        json!({}),
        json!({ "other": 1 }),
        json!({ "other": "Canje de puntos" }),
        json!({ "credit": { "days": 1e9 } }),
        json!({ "usd": { "exchange_rate": "abc" } }),
        json!({ "rate": "08", "percentage": "1e3" }),
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for base in [sample, drafts] {
        let mut paths = Vec::new();
        pointers(&base, String::new(), &mut paths);
        for _ in 0..600 {
            let mut doc = base.clone();
            for _ in 0..(1 + next() % 3) {
                let path = &paths[(next() % paths.len() as u64) as usize];
                if let Some(slot) = doc.pointer_mut(path) {
                    *slot = odd[(next() % odd.len() as u64) as usize].clone();
                }
            }
            let bytes = serde_json::to_vec(&doc).unwrap();
            let _ = import_json(&bytes);
        }
    }
}
