//! Sample documents, test certificates made with openssl, and the external checkers.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use loket_einvoice::*;
use rust_decimal::Decimal;

pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub fn cr_time(y: i32, m: u32, day: u32, h: u32) -> DateTime<FixedOffset> {
    FixedOffset::west_opt(6 * 3600)
        .unwrap()
        .with_ymd_and_hms(y, m, day, h, 0, 0)
        .unwrap()
}

pub fn now_cr() -> DateTime<FixedOffset> {
    chrono::Utc::now().with_timezone(&FixedOffset::west_opt(6 * 3600).unwrap())
}

/// The issuer of the reference sample (cédula física 206920142).
pub fn issuer() -> Issuer {
    Issuer {
        name: "Tek rocks".into(),
        id: Identification {
            id_type: IdType::Fisica,
            number: "206920142".into(),
        },
        commercial_name: Some("Ciencia del sabor".into()),
        location: Location {
            province: 2,
            canton: 6,
            district: 4,
            neighborhood: Some("00006".into()),
            other_signs: "Calle Arrieta".into(),
        },
        phone: Some(Phone {
            country_code: 506,
            number: "88122479".into(),
        }),
        emails: vec!["cienciadelsabor@gmail.com".into()],
        activity_code: "930903".into(),
    }
}

pub fn receiver() -> Receiver {
    Receiver {
        name: "EXCLUSIVE COFFEES".into(),
        id: Some(Identification {
            id_type: IdType::Juridica,
            number: "3101538252".into(),
        }),
        commercial_name: Some("EXCLUSIVE COFFEES S.A".into()),
        location: Some(Location {
            province: 2,
            canton: 1,
            district: 8,
            neighborhood: Some("00006".into()),
            other_signs: "600 metros sur y 400 oeste ofibodegas del oeste".into(),
        }),
        foreign_address: None,
        phone: Some(Phone {
            country_code: 506,
            number: "22390301".into(),
        }),
        email: Some("facturaelectronica@exclusivecoffeecr.com".into()),
        activity_code: Some("930903".into()),
    }
}

pub fn line(description: &str, qty: &str, unit: &str, price: &str, rate: IvaRate) -> Line {
    Line {
        cabys: "8715600009900".into(),
        seller_code: None,
        description: description.into(),
        quantity: d(qty),
        unit: unit.into(),
        unit_price: d(price),
        discounts: Vec::new(),
        tax: LineTax::iva(rate),
        not_subject: false,
    }
}

pub fn clave_for(t: DocumentType, number: u64, date: NaiveDate) -> Clave {
    Clave::new(
        date,
        "206920142",
        Consecutivo::new(1, 1, t, number).unwrap(),
        Situation::Normal,
        1,
    )
    .unwrap()
}

/// The reference sample document (unsigned_FacturaElectronica_v4.4_facturacr_commonExpectedXml).
pub fn reference_factura() -> Document {
    let issued = FixedOffset::east_opt(0)
        .unwrap()
        .with_ymd_and_hms(2024, 4, 1, 0, 0, 0)
        .unwrap();
    Document {
        doc_type: DocumentType::Factura,
        clave: clave_for(DocumentType::Factura, 2, issued.date_naive()),
        issued_at: issued,
        provider_id: "206920142".into(),
        issuer: issuer(),
        receiver: Some(receiver()),
        sale_condition: SaleCondition::Cash,
        lines: vec![line("detalle", "1", "Sp", "10", IvaRate::General13)],
        currency: Currency::Crc,
        payments: vec![Payment {
            method: PaymentMethod::Check,
            amount: None,
        }],
        references: Vec::new(),
        notes: None,
        expected_total: Some(d("11.3")),
    }
}

/// A richer document of each type, issued at `issued`.
pub fn sample(t: DocumentType, issued: DateTime<FixedOffset>) -> Document {
    let mut discounted = line(
        "Café molido 1 kg",
        "3",
        "Kg",
        "4500.12345",
        IvaRate::Reduced1,
    );
    discounted.discounts.push(Discount {
        amount: d("500"),
        kind: DiscountKind::Promotional,
        description: Some("Promoción de marzo".into()),
    });
    discounted.seller_code = Some("CAF-001".into());
    let mut not_subject = line(
        "Donación <especial> & otros",
        "1",
        "Unid",
        "100",
        IvaRate::Zero,
    );
    not_subject.not_subject = true;
    let lines = vec![
        line(
            "Consultoría contable",
            "2.5",
            "Sp",
            "35000",
            IvaRate::General13,
        ),
        discounted,
        line("Libro de texto", "1", "Unid", "12000", IvaRate::Exempt),
        not_subject,
    ];
    let factura_clave = clave_for(DocumentType::Factura, 7, issued.date_naive());
    let mut doc = Document {
        doc_type: t,
        clave: clave_for(t, 42, issued.date_naive()),
        issued_at: issued,
        provider_id: "3101999999".into(),
        issuer: issuer(),
        receiver: Some(receiver()),
        sale_condition: SaleCondition::Credit { days: 30 },
        lines,
        currency: Currency::Usd {
            exchange_rate: d("505.12"),
        },
        payments: Vec::new(),
        references: Vec::new(),
        notes: Some("Gracias por su compra".into()),
        expected_total: None,
    };
    let total = doc.totals().total;
    match t {
        DocumentType::Factura => {
            doc.payments = vec![
                Payment {
                    method: PaymentMethod::Transfer,
                    amount: Some(total - d("1000")),
                },
                Payment {
                    method: PaymentMethod::SinpeMovil,
                    amount: Some(d("1000")),
                },
            ];
        }
        DocumentType::NotaCredito | DocumentType::NotaDebito => {
            doc.references.push(Reference::to_clave(
                &factura_clave,
                issued,
                if t == DocumentType::NotaCredito {
                    "01"
                } else {
                    "04"
                },
                "Corrección del monto facturado",
            ));
        }
        DocumentType::Tiquete => {
            doc.receiver = None;
            doc.sale_condition = SaleCondition::Cash;
            doc.currency = Currency::Crc;
            doc.payments = vec![Payment {
                method: PaymentMethod::Cash,
                amount: None,
            }];
        }
    }
    doc
}

/// Where the official XSDs live, when this checkout has them.
pub fn xsd_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("LOKET_HACIENDA_XSD")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/reference/hacienda/xsd/2024/v4.4")
        });
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "SKIPPED: the v4.4 XSD folder {} does not exist; set LOKET_HACIENDA_XSD to check XML against the official schema",
            dir.display()
        );
        None
    }
}

pub fn tool(name: &str) -> Command {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        found,
        "{name} is needed by these tests: apt-get install {}",
        match name {
            "xmllint" => "libxml2-utils",
            other => other,
        }
    );
    Command::new(name)
}

/// Runs xmllint against the document type's XSD; returns (ok, stderr).
pub fn xsd_validate(xsd: &Path, t: DocumentType, file: &Path) -> (bool, String) {
    let out = tool("xmllint")
        .arg("--nonet")
        .arg("--noout")
        .arg("--schema")
        .arg(xsd.join(t.xsd_file()))
        .arg(file)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `xmlsec1 --verify --insecure`; returns (ok, output).
pub fn xmlsec_verify(file: &Path) -> (bool, String) {
    let out = tool("xmlsec1")
        .arg("--verify")
        .arg("--insecure")
        .arg("--id-attr:Id")
        .arg("http://uri.etsi.org/01903/v1.3.2#:SignedProperties")
        .arg(file)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// Subject of the test certificates: a persona física with the sample issuer's id.
pub const SUBJECT: &str =
    "/C=CR/O=PERSONA FISICA/OU=CPF/serialNumber=CPF-02-0692-0142/CN=TEK ROCKS PRUEBA";

/// Test key material in a temporary folder.
pub struct Certs {
    pub dir: tempfile::TempDir,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = tool("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Certs {
    /// RSA 2048 key; a valid self-signed certificate as modern, legacy and MD5 .p12
    /// files; an expired certificate as legacy .p12.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        openssl(p, &["genrsa", "-out", "key.pem", "2048"]);
        openssl(
            p,
            &[
                "req",
                "-new",
                "-x509",
                "-key",
                "key.pem",
                "-out",
                "cert.pem",
                "-days",
                "365",
                "-set_serial",
                "0x1F2E3D4C5B6A7988",
                "-subj",
                SUBJECT,
            ],
        );
        openssl(
            p,
            &[
                "pkcs12",
                "-export",
                "-inkey",
                "key.pem",
                "-in",
                "cert.pem",
                "-passout",
                "pass:1234",
                "-out",
                "modern.p12",
            ],
        );
        openssl(
            p,
            &[
                "pkcs12",
                "-export",
                "-legacy",
                "-keypbe",
                "PBE-SHA1-3DES",
                "-certpbe",
                "PBE-SHA1-RC2-40",
                "-inkey",
                "key.pem",
                "-in",
                "cert.pem",
                "-passout",
                "pass:1234",
                "-out",
                "legacy.p12",
            ],
        );
        openssl(
            p,
            &[
                "pkcs12",
                "-export",
                "-legacy",
                "-keypbe",
                "PBE-MD5-DES",
                "-certpbe",
                "PBE-MD5-DES",
                "-inkey",
                "key.pem",
                "-in",
                "cert.pem",
                "-passout",
                "pass:1234",
                "-out",
                "md5.p12",
            ],
        );
        // Expired: signed by `openssl ca` with an explicit validity in the past.
        std::fs::create_dir_all(p.join("ca/newcerts")).unwrap();
        std::fs::write(p.join("ca/index.txt"), "").unwrap();
        std::fs::write(p.join("ca/serial"), "1000\n").unwrap();
        std::fs::write(
            p.join("ca.cnf"),
            "[ca]\ndefault_ca = local\n[local]\ndir = ./ca\ndatabase = $dir/index.txt\nnew_certs_dir = $dir/newcerts\nserial = $dir/serial\ndefault_md = sha256\npolicy = pol\nunique_subject = no\n[pol]\ncountryName = optional\norganizationName = optional\norganizationalUnitName = optional\nserialNumber = optional\ncommonName = supplied\n",
        )
        .unwrap();
        openssl(
            p,
            &[
                "req", "-new", "-key", "key.pem", "-out", "req.csr", "-subj", SUBJECT,
            ],
        );
        openssl(
            p,
            &[
                "ca",
                "-batch",
                "-config",
                "ca.cnf",
                "-selfsign",
                "-keyfile",
                "key.pem",
                "-in",
                "req.csr",
                "-out",
                "expired.pem",
                "-startdate",
                "20200101000000Z",
                "-enddate",
                "20210101000000Z",
                "-notext",
            ],
        );
        openssl(
            p,
            &[
                "pkcs12",
                "-export",
                "-legacy",
                "-keypbe",
                "PBE-SHA1-3DES",
                "-certpbe",
                "PBE-SHA1-RC2-40",
                "-inkey",
                "key.pem",
                "-in",
                "expired.pem",
                "-passout",
                "pass:1234",
                "-out",
                "expired.p12",
            ],
        );
        Self { dir }
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.dir.path().join(name)).unwrap()
    }

    pub fn identity(&self, name: &str) -> SigningIdentity {
        SigningIdentity::from_pkcs12(&self.read(name), "1234").unwrap()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}
