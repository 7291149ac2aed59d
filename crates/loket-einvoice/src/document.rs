//! Domain types of a v4.4 e-invoice and the totals computed from its lines.
//!
//! Amounts are [`Decimal`], never floating point. Every computed amount is rounded to
//! five decimals, half away from zero, as the v4.4 structures allow (`DecimalDineroType`:
//! 13 integer digits, 5 decimals).

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::numbering::Clave;

/// Decimals kept on every amount (`DecimalDineroType`).
pub const AMOUNT_DECIMALS: u32 = 5;

/// Rounds an amount to five decimals, half away from zero.
pub fn round_amount(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(AMOUNT_DECIMALS, RoundingStrategy::MidpointAwayFromZero)
}

/// The four documents Loket issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// 01 factura electrónica.
    Factura,
    /// 02 nota de débito electrónica.
    NotaDebito,
    /// 03 nota de crédito electrónica.
    NotaCredito,
    /// 04 tiquete electrónico.
    Tiquete,
}

impl DocumentType {
    /// All four, in code order.
    pub const ALL: [DocumentType; 4] = [
        DocumentType::Factura,
        DocumentType::NotaDebito,
        DocumentType::NotaCredito,
        DocumentType::Tiquete,
    ];

    /// The two-digit code used in the consecutivo.
    pub fn code(self) -> &'static str {
        match self {
            DocumentType::Factura => "01",
            DocumentType::NotaDebito => "02",
            DocumentType::NotaCredito => "03",
            DocumentType::Tiquete => "04",
        }
    }

    /// The type for a two-digit code, if it is one of the four.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The XML root element.
    pub fn root_element(self) -> &'static str {
        match self {
            DocumentType::Factura => "FacturaElectronica",
            DocumentType::NotaDebito => "NotaDebitoElectronica",
            DocumentType::NotaCredito => "NotaCreditoElectronica",
            DocumentType::Tiquete => "TiqueteElectronico",
        }
    }

    /// The XML namespace of the v4.4 structure.
    pub fn namespace(self) -> &'static str {
        match self {
            DocumentType::Factura => {
                "https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/facturaElectronica"
            }
            DocumentType::NotaDebito => {
                "https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/notaDebitoElectronica"
            }
            DocumentType::NotaCredito => {
                "https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/notaCreditoElectronica"
            }
            DocumentType::Tiquete => {
                "https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/tiqueteElectronico"
            }
        }
    }

    /// The file name of the official XSD.
    pub fn xsd_file(self) -> &'static str {
        match self {
            DocumentType::Factura => "FacturaElectronica_V4.4.xsd",
            DocumentType::NotaDebito => "NotaDebitoElectronica_V4.4.xsd",
            DocumentType::NotaCredito => "NotaCreditoElectronica_V4.4.xsd",
            DocumentType::Tiquete => "TiqueteElectronico_V4.4.xsd",
        }
    }

    /// A name for messages ("invoice", "credit note" …).
    pub fn label(self) -> &'static str {
        match self {
            DocumentType::Factura => "invoice (factura)",
            DocumentType::NotaDebito => "debit note",
            DocumentType::NotaCredito => "credit note",
            DocumentType::Tiquete => "ticket (tiquete)",
        }
    }

    /// Whether the document must carry a receiver.
    pub fn requires_receiver(self) -> bool {
        self == DocumentType::Factura
    }

    /// Whether the document must refer to another document (notes).
    pub fn requires_reference(self) -> bool {
        matches!(self, DocumentType::NotaDebito | DocumentType::NotaCredito)
    }
}

/// Kind of identification number (nota 4 of the v4.4 annexes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdType {
    /// 01 cédula física (9 digits).
    Fisica,
    /// 02 cédula jurídica (10 digits).
    Juridica,
    /// 03 DIMEX (11 or 12 digits).
    Dimex,
    /// 04 NITE (10 digits).
    Nite,
    /// 05 foreigner not domiciled.
    ExtranjeroNoDomiciliado,
    /// 06 not a taxpayer.
    NoContribuyente,
}

impl IdType {
    /// All six, in code order.
    pub const ALL: [IdType; 6] = [
        IdType::Fisica,
        IdType::Juridica,
        IdType::Dimex,
        IdType::Nite,
        IdType::ExtranjeroNoDomiciliado,
        IdType::NoContribuyente,
    ];

    /// The two-digit code.
    pub fn code(self) -> &'static str {
        match self {
            IdType::Fisica => "01",
            IdType::Juridica => "02",
            IdType::Dimex => "03",
            IdType::Nite => "04",
            IdType::ExtranjeroNoDomiciliado => "05",
            IdType::NoContribuyente => "06",
        }
    }

    /// The type for a two-digit code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// An identification: kind and number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identification {
    /// Kind of number.
    pub id_type: IdType,
    /// The number, digits only for types 01–04.
    pub number: String,
}

/// Address inside Costa Rica (province / canton / district codes of the official division).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// Province, 1–7.
    pub province: u8,
    /// Canton within the province, 1–99.
    pub canton: u8,
    /// District within the canton, 1–99.
    pub district: u8,
    /// Neighbourhood (barrio), 5–50 characters, optional.
    pub neighborhood: Option<String>,
    /// The rest of the address (otras señas), 5–250 characters.
    pub other_signs: String,
}

/// A phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    /// Country calling code, e.g. 506.
    pub country_code: u16,
    /// The number, 8–20 digits.
    pub number: String,
}

/// Who issues the document (emisor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issuer {
    /// Legal name, 5–100 characters.
    pub name: String,
    /// Identification.
    pub id: Identification,
    /// Trade name, optional.
    pub commercial_name: Option<String>,
    /// Address.
    pub location: Location,
    /// Phone, optional.
    pub phone: Option<Phone>,
    /// One to four e-mail addresses.
    pub emails: Vec<String>,
    /// Registered economic activity code (6 characters).
    pub activity_code: String,
}

/// Who receives the document (receptor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receiver {
    /// Name, 3–100 characters.
    pub name: String,
    /// Identification; required on a factura.
    pub id: Option<Identification>,
    /// Trade name, optional.
    pub commercial_name: Option<String>,
    /// Address in Costa Rica, optional.
    pub location: Option<Location>,
    /// Address abroad, optional (5–300 characters).
    pub foreign_address: Option<String>,
    /// Phone, optional.
    pub phone: Option<Phone>,
    /// E-mail, optional.
    pub email: Option<String>,
    /// Receiver's economic activity code (6 characters), optional; not used on a tiquete.
    pub activity_code: Option<String>,
}

/// IVA rate code (CodigoTarifaIVA, nota 8.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IvaRate {
    /// 01 tarifa 0% (artículo 32, num 1, RLIVA).
    Zero,
    /// 02 tarifa reducida 1%.
    Reduced1,
    /// 03 tarifa reducida 2%.
    Reduced2,
    /// 04 tarifa reducida 4%.
    Reduced4,
    /// 05 transitorio 0%.
    Transitional0,
    /// 06 transitorio 4%.
    Transitional4,
    /// 07 tarifa transitoria 8%.
    Transitional8,
    /// 08 tarifa general 13%.
    General13,
    /// 09 tarifa reducida 0.5%.
    ReducedHalf,
    /// 10 tarifa exenta.
    Exempt,
    /// 11 tarifa 0% sin derecho a crédito.
    ZeroWithoutCredit,
}

impl IvaRate {
    /// All eleven, in code order.
    pub const ALL: [IvaRate; 11] = [
        IvaRate::Zero,
        IvaRate::Reduced1,
        IvaRate::Reduced2,
        IvaRate::Reduced4,
        IvaRate::Transitional0,
        IvaRate::Transitional4,
        IvaRate::Transitional8,
        IvaRate::General13,
        IvaRate::ReducedHalf,
        IvaRate::Exempt,
        IvaRate::ZeroWithoutCredit,
    ];

    /// The two-digit code.
    pub fn code(self) -> &'static str {
        match self {
            IvaRate::Zero => "01",
            IvaRate::Reduced1 => "02",
            IvaRate::Reduced2 => "03",
            IvaRate::Reduced4 => "04",
            IvaRate::Transitional0 => "05",
            IvaRate::Transitional4 => "06",
            IvaRate::Transitional8 => "07",
            IvaRate::General13 => "08",
            IvaRate::ReducedHalf => "09",
            IvaRate::Exempt => "10",
            IvaRate::ZeroWithoutCredit => "11",
        }
    }

    /// The rate for a two-digit code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The percentage the law sets for the code (13 for 08, 0.5 for 09 …).
    pub fn default_percentage(self) -> Decimal {
        match self {
            IvaRate::Zero
            | IvaRate::Transitional0
            | IvaRate::Exempt
            | IvaRate::ZeroWithoutCredit => Decimal::ZERO,
            IvaRate::Reduced1 => Decimal::ONE,
            IvaRate::Reduced2 => Decimal::TWO,
            IvaRate::Reduced4 | IvaRate::Transitional4 => Decimal::from(4),
            IvaRate::Transitional8 => Decimal::from(8),
            IvaRate::General13 => Decimal::from(13),
            IvaRate::ReducedHalf => Decimal::new(5, 1),
        }
    }
}

/// The IVA of a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineTax {
    /// Rate code.
    pub rate: IvaRate,
    /// Percentage, when it differs from the code's legal default.
    pub percentage: Option<Decimal>,
}

impl LineTax {
    /// IVA at the given rate code and its legal percentage.
    pub fn iva(rate: IvaRate) -> Self {
        Self {
            rate,
            percentage: None,
        }
    }

    /// The percentage applied (the explicit one, else the code's default).
    pub fn effective_percentage(&self) -> Decimal {
        self.percentage
            .unwrap_or_else(|| self.rate.default_percentage())
    }
}

/// Why a discount was given (CodigoDescuento, nota 20).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscountKind {
    /// 01 regalía.
    Royalty,
    /// 02 regalía, IVA cobrado al cliente.
    RoyaltyIvaCharged,
    /// 03 bonificación.
    Bonus,
    /// 04 por volumen.
    Volume,
    /// 05 de temporada.
    Seasonal,
    /// 06 promocional.
    Promotional,
    /// 07 comercial.
    Commercial,
    /// 08 por frecuencia.
    Frequency,
    /// 09 sostenido.
    Sustained,
    /// 99 otro, with its description (5–100 characters).
    Other(String),
}

impl DiscountKind {
    /// The two-digit code.
    pub fn code(&self) -> &'static str {
        match self {
            DiscountKind::Royalty => "01",
            DiscountKind::RoyaltyIvaCharged => "02",
            DiscountKind::Bonus => "03",
            DiscountKind::Volume => "04",
            DiscountKind::Seasonal => "05",
            DiscountKind::Promotional => "06",
            DiscountKind::Commercial => "07",
            DiscountKind::Frequency => "08",
            DiscountKind::Sustained => "09",
            DiscountKind::Other(_) => "99",
        }
    }
}

/// A discount on a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discount {
    /// Amount, not more than the line amount.
    pub amount: Decimal,
    /// Why.
    pub kind: DiscountKind,
    /// Free description (NaturalezaDescuento, 3–80 characters), optional.
    pub description: Option<String>,
}

/// One line of the document (LineaDetalle).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// CABYS product / service code, 13 digits.
    pub cabys: String,
    /// The seller's own product code (CodigoComercial type 01), optional, up to 20 characters.
    pub seller_code: Option<String>,
    /// What was sold, 3–200 characters.
    pub description: String,
    /// Quantity, more than zero, up to 3 decimals.
    pub quantity: Decimal,
    /// Unit of measure code of the v4.4 list ("Unid", "Sp", "Kg" …).
    pub unit: String,
    /// Unit price before tax, up to 5 decimals.
    pub unit_price: Decimal,
    /// Up to five discounts.
    pub discounts: Vec<Discount>,
    /// The line's IVA.
    pub tax: LineTax,
    /// The sale is not subject to IVA (no sujeto); reported apart in the summary.
    pub not_subject: bool,
}

/// Units that count as services in the summary (the rest are goods).
pub const SERVICE_UNITS: [&str; 8] = ["Sp", "Spe", "St", "Al", "Alc", "Cm", "I", "Os"];

/// The units of measure accepted by the v4.4 structures (UnidadMedidaType).
pub const UNITS: [&str; 101] = [
    "1",
    "´",
    "´´",
    "°C",
    "1/m",
    "A",
    "A/m",
    "A/m²",
    "Acv",
    "Al",
    "Alc",
    "B",
    "Bq",
    "C",
    "C/kg",
    "C/m²",
    "C/m³",
    "Cc",
    "Cd",
    "cd/m²",
    "Cm",
    "cm",
    "Cu",
    "D",
    "eV",
    "F",
    "F/m",
    "Fa",
    "G",
    "Gal",
    "Gy",
    "Gy/s",
    "h",
    "H",
    "H/m",
    "Hz",
    "I",
    "J",
    "J/(kg·K)",
    "J/(mol·K)",
    "J/K",
    "J/kg",
    "J/m³",
    "J/mol",
    "K",
    "Kat",
    "kat/m³",
    "Kg",
    "kg/m³",
    "Km",
    "Kw",
    "kWh",
    "L",
    "Lm",
    "Ln",
    "Lx",
    "M",
    "m/s",
    "m/s²",
    "m²",
    "m³",
    "Min",
    "mL",
    "Mm",
    "Mol",
    "mol/m³",
    "N",
    "N/m",
    "N·m",
    "Np",
    "º",
    "Os",
    "Otros",
    "Oz",
    "Pa",
    "Pa·s",
    "Qq",
    "Rad",
    "rad/s",
    "rad/s²",
    "S",
    "s",
    "Sp",
    "Spe",
    "Sr",
    "St",
    "Sv",
    "t",
    "T",
    "U",
    "Ua",
    "Unid",
    "V",
    "V/m",
    "W",
    "W/(m·K)",
    "W/(m²·sr)",
    "W/m²",
    "W/sr",
    "Wb",
    "Ω",
];

/// How a line counts in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SaleClass {
    /// Taxed with IVA (gravado), also at a 0% rate.
    Taxed,
    /// Exempt (tarifa exenta, code 10).
    Exempt,
    /// Not subject to IVA (no sujeto).
    NotSubject,
}

/// The amounts of one line, as they appear in the XML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineTotals {
    /// MontoTotal: quantity × unit price.
    pub gross: Decimal,
    /// Sum of the line's discounts.
    pub discount: Decimal,
    /// SubTotal: gross − discount.
    pub subtotal: Decimal,
    /// BaseImponible: the subtotal (no selective / specific taxes are modelled).
    pub taxable_base: Decimal,
    /// Percentage applied.
    pub tax_percentage: Decimal,
    /// Impuesto/Monto: taxable base × percentage / 100.
    pub tax: Decimal,
    /// ImpuestoNeto: the tax (no exonerations are modelled).
    pub net_tax: Decimal,
    /// MontoTotalLinea: subtotal + net tax.
    pub total: Decimal,
    /// Whether the line is a service.
    pub is_service: bool,
    /// How the line counts in the summary.
    pub class: SaleClass,
}

impl Line {
    /// Whether the unit makes this line a service.
    pub fn is_service(&self) -> bool {
        SERVICE_UNITS.contains(&self.unit.as_str())
    }

    /// How the line counts in the summary.
    pub fn class(&self) -> SaleClass {
        if self.not_subject {
            SaleClass::NotSubject
        } else if self.tax.rate == IvaRate::Exempt {
            SaleClass::Exempt
        } else {
            SaleClass::Taxed
        }
    }

    /// Computes the line's amounts, each rounded to five decimals.
    pub fn totals(&self) -> LineTotals {
        let gross = round_amount(self.quantity * self.unit_price);
        let discount = round_amount(self.discounts.iter().map(|d| d.amount).sum());
        let subtotal = round_amount(gross - discount);
        let taxable_base = subtotal;
        let class = self.class();
        let tax_percentage = match class {
            SaleClass::Taxed => self.tax.effective_percentage(),
            SaleClass::Exempt | SaleClass::NotSubject => Decimal::ZERO,
        };
        let tax = round_amount(taxable_base * tax_percentage / Decimal::ONE_HUNDRED);
        let net_tax = tax;
        let total = round_amount(subtotal + net_tax);
        LineTotals {
            gross,
            discount,
            subtotal,
            taxable_base,
            tax_percentage,
            tax,
            net_tax,
            total,
            is_service: self.is_service(),
            class,
        }
    }
}

/// Currency of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Currency {
    /// Costa Rican colón.
    Crc,
    /// US dollar with the exchange rate (colones per dollar) of the day.
    Usd {
        /// Colones per dollar.
        exchange_rate: Decimal,
    },
}

impl Currency {
    /// ISO 4217 code.
    pub fn code(&self) -> &'static str {
        match self {
            Currency::Crc => "CRC",
            Currency::Usd { .. } => "USD",
        }
    }

    /// The exchange rate written in the XML (1 for colones).
    pub fn exchange_rate(&self) -> Decimal {
        match self {
            Currency::Crc => Decimal::ONE,
            Currency::Usd { exchange_rate } => *exchange_rate,
        }
    }
}

/// How the buyer pays (TipoMedioPago, nota 6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// 01 efectivo.
    Cash,
    /// 02 tarjeta.
    Card,
    /// 03 cheque.
    Check,
    /// 04 transferencia / depósito bancario.
    Transfer,
    /// 05 recaudado por terceros.
    ThirdPartyCollection,
    /// 06 SINPE Móvil.
    SinpeMovil,
    /// 07 plataforma digital.
    DigitalPlatform,
    /// 99 otro, with its description (3–100 characters).
    Other(String),
}

impl PaymentMethod {
    /// The two-digit code.
    pub fn code(&self) -> &'static str {
        match self {
            PaymentMethod::Cash => "01",
            PaymentMethod::Card => "02",
            PaymentMethod::Check => "03",
            PaymentMethod::Transfer => "04",
            PaymentMethod::ThirdPartyCollection => "05",
            PaymentMethod::SinpeMovil => "06",
            PaymentMethod::DigitalPlatform => "07",
            PaymentMethod::Other(_) => "99",
        }
    }
}

/// A payment: method and, when there are several, the amount paid that way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// Method.
    pub method: PaymentMethod,
    /// Amount; required when more than one method is used.
    pub amount: Option<Decimal>,
}

/// Terms of the sale (CondicionVenta, nota 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SaleCondition {
    /// 01 contado.
    Cash,
    /// 02 crédito, with the term in days.
    Credit {
        /// Days of credit (PlazoCredito), up to 99999.
        days: u32,
    },
    /// 03 consignación.
    Consignment,
    /// 04 apartado.
    Layaway,
    /// 05 arrendamiento con opción de compra.
    LeaseWithOption,
    /// 06 arrendamiento en función financiera.
    FinancialLease,
    /// 07 cobro a favor de un tercero.
    ThirdPartyCollection,
    /// 08 servicios prestados al Estado a crédito.
    StateServicesOnCredit,
    /// 09 pago del servicio prestado al Estado (notes only).
    StateServicePayment,
    /// 10 venta a crédito en IVA hasta 90 días.
    Credit90Days,
    /// 11 pago de venta a crédito en IVA hasta 90 días (notes only).
    Credit90DaysPayment,
    /// Another code of the v4.4 list ("12" … "15").
    Code(String),
    /// 99 otro, with its description (5–100 characters).
    Other(String),
}

impl SaleCondition {
    /// The two-digit code.
    pub fn code(&self) -> &str {
        match self {
            SaleCondition::Cash => "01",
            SaleCondition::Credit { .. } => "02",
            SaleCondition::Consignment => "03",
            SaleCondition::Layaway => "04",
            SaleCondition::LeaseWithOption => "05",
            SaleCondition::FinancialLease => "06",
            SaleCondition::ThirdPartyCollection => "07",
            SaleCondition::StateServicesOnCredit => "08",
            SaleCondition::StateServicePayment => "09",
            SaleCondition::Credit90Days => "10",
            SaleCondition::Credit90DaysPayment => "11",
            SaleCondition::Code(code) => code,
            SaleCondition::Other(_) => "99",
        }
    }
}

/// What a note (or a replacing invoice) refers to (InformacionReferencia).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// Type of the referenced document (TipoDocIR, nota 10): "01" factura … "99" otro.
    pub doc_type: String,
    /// Description when `doc_type` is "99" (5–100 characters).
    pub doc_type_other: Option<String>,
    /// Clave (50 digits) or number of the referenced document, up to 50 characters.
    pub number: Option<String>,
    /// When the referenced document was issued.
    pub issued_at: DateTime<FixedOffset>,
    /// Why (Codigo, nota 9): "01" anula, "02" corrige texto, "04" referencia … "99" otro.
    pub code: Option<String>,
    /// Description when `code` is "99" (5–100 characters).
    pub code_other: Option<String>,
    /// Reason in words, up to 180 characters.
    pub reason: Option<String>,
}

impl Reference {
    /// A reference to an electronic document by its clave; the document type comes from
    /// the clave.
    pub fn to_clave(
        clave: &Clave,
        issued_at: DateTime<FixedOffset>,
        code: &str,
        reason: &str,
    ) -> Self {
        Self {
            doc_type: clave.consecutivo().doc_type_code().to_string(),
            doc_type_other: None,
            number: Some(clave.to_string()),
            issued_at,
            code: Some(code.to_string()),
            code_other: None,
            reason: Some(reason.to_string()),
        }
    }
}

/// A v4.4 e-invoice before it becomes XML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Which document.
    pub doc_type: DocumentType,
    /// Its clave (which holds the consecutivo).
    pub clave: Clave,
    /// When it is issued.
    pub issued_at: DateTime<FixedOffset>,
    /// Id number of the software provider (ProveedorSistemas), up to 20 characters.
    pub provider_id: String,
    /// Issuer.
    pub issuer: Issuer,
    /// Receiver; required on a factura.
    pub receiver: Option<Receiver>,
    /// Terms of the sale.
    pub sale_condition: SaleCondition,
    /// The lines, 1 to 1000.
    pub lines: Vec<Line>,
    /// Currency.
    pub currency: Currency,
    /// Up to four payment methods.
    pub payments: Vec<Payment>,
    /// Referenced documents; at least one on a note, up to ten.
    pub references: Vec<Reference>,
    /// Free text printed with the document (OtroTexto), up to 500 characters.
    pub notes: Option<String>,
    /// The total the source system computed (e.g. Odoo's amount), checked against ours.
    pub expected_total: Option<Decimal>,
}

/// One row of the tax breakdown (TotalDesgloseImpuesto).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxBreakdown {
    /// Tax code; always "01" (IVA).
    pub tax_code: String,
    /// IVA rate code.
    pub rate: IvaRate,
    /// Sum of the tax of the lines at that rate.
    pub amount: Decimal,
}

/// The document summary (ResumenFactura), computed from the lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// TotalServGravados.
    pub services_taxed: Decimal,
    /// TotalServExentos.
    pub services_exempt: Decimal,
    /// TotalServNoSujeto.
    pub services_not_subject: Decimal,
    /// TotalMercanciasGravadas.
    pub goods_taxed: Decimal,
    /// TotalMercanciasExentas.
    pub goods_exempt: Decimal,
    /// TotalMercNoSujeta.
    pub goods_not_subject: Decimal,
    /// TotalGravado.
    pub taxed: Decimal,
    /// TotalExento.
    pub exempt: Decimal,
    /// TotalExonerado (always zero: exonerations are not modelled).
    pub exonerated: Decimal,
    /// TotalNoSujeto.
    pub not_subject: Decimal,
    /// TotalVenta: taxed + exempt + exonerated + not subject.
    pub sale: Decimal,
    /// TotalDescuentos.
    pub discounts: Decimal,
    /// TotalVentaNeta: sale − discounts.
    pub net_sale: Decimal,
    /// TotalDesgloseImpuesto, one row per IVA rate used.
    pub tax_breakdown: Vec<TaxBreakdown>,
    /// TotalImpuesto.
    pub tax: Decimal,
    /// TotalComprobante: net sale + tax.
    pub total: Decimal,
}

impl Document {
    /// Each line's amounts, in line order.
    pub fn line_totals(&self) -> Vec<LineTotals> {
        self.lines.iter().map(Line::totals).collect()
    }

    /// The summary computed from the lines.
    pub fn totals(&self) -> Totals {
        totals_of(&self.lines)
    }
}

/// The summary of a set of lines (a draft's, before it is a document).
pub fn totals_of(lines: &[Line]) -> Totals {
    let line_totals: Vec<LineTotals> = lines.iter().map(Line::totals).collect();
    summarize(&line_totals, lines)
}

fn summarize(lines: &[LineTotals], source: &[Line]) -> Totals {
    let zero = Decimal::ZERO;
    let (mut st, mut se, mut sn, mut gt, mut ge, mut gn) = (zero, zero, zero, zero, zero, zero);
    let mut discounts = zero;
    let mut tax = zero;
    let mut breakdown: BTreeMap<IvaRate, Decimal> = BTreeMap::new();
    for (t, line) in lines.iter().zip(source) {
        let bucket = match (t.is_service, t.class) {
            (true, SaleClass::Taxed) => &mut st,
            (true, SaleClass::Exempt) => &mut se,
            (true, SaleClass::NotSubject) => &mut sn,
            (false, SaleClass::Taxed) => &mut gt,
            (false, SaleClass::Exempt) => &mut ge,
            (false, SaleClass::NotSubject) => &mut gn,
        };
        *bucket += t.gross;
        discounts += t.discount;
        tax += t.net_tax;
        *breakdown.entry(line.tax.rate).or_insert(zero) += t.net_tax;
    }
    let r = round_amount;
    let taxed = r(st + gt);
    let exempt = r(se + ge);
    let not_subject = r(sn + gn);
    let exonerated = zero;
    let sale = r(taxed + exempt + exonerated + not_subject);
    let discounts = r(discounts);
    let net_sale = r(sale - discounts);
    let tax = r(tax);
    Totals {
        services_taxed: r(st),
        services_exempt: r(se),
        services_not_subject: r(sn),
        goods_taxed: r(gt),
        goods_exempt: r(ge),
        goods_not_subject: r(gn),
        taxed,
        exempt,
        exonerated,
        not_subject,
        sale,
        discounts,
        net_sale,
        tax_breakdown: breakdown
            .into_iter()
            .map(|(rate, amount)| TaxBreakdown {
                tax_code: "01".to_string(),
                rate,
                amount: r(amount),
            })
            .collect(),
        tax,
        total: r(net_sale + tax),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn line(qty: &str, price: &str, unit: &str, rate: IvaRate, discount: Option<&str>) -> Line {
        Line {
            cabys: "8715600009900".into(),
            seller_code: None,
            description: "Servicio".into(),
            quantity: d(qty),
            unit: unit.into(),
            unit_price: d(price),
            discounts: discount
                .map(|a| Discount {
                    amount: d(a),
                    kind: DiscountKind::Commercial,
                    description: None,
                })
                .into_iter()
                .collect(),
            tax: LineTax::iva(rate),
            not_subject: false,
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero_at_five_decimals() {
        let table = [
            ("1.000005", "1.00001"),
            ("1.000004", "1"),
            ("2.123455", "2.12346"),
            ("2.123465", "2.12347"),
            ("-1.000005", "-1.00001"),
            ("0.000004", "0"),
            ("10", "10"),
        ];
        for (input, want) in table {
            assert_eq!(round_amount(d(input)).normalize(), d(want), "{input}");
        }
    }

    #[test]
    fn line_totals_table() {
        // qty, price, unit, rate, discount → gross, subtotal, tax, total
        let table = [
            (
                "1",
                "10",
                "Sp",
                IvaRate::General13,
                None,
                "10",
                "10",
                "1.3",
                "11.3",
            ),
            // 12.9999987 rounds up to 13
            (
                "3",
                "33.33333",
                "Unid",
                IvaRate::General13,
                None,
                "99.99999",
                "99.99999",
                "13",
                "112.99999",
            ),
            (
                "2.5",
                "1000",
                "Kg",
                IvaRate::Reduced4,
                Some("100"),
                "2500",
                "2400",
                "96",
                "2496",
            ),
            // 0.00166665 rounds up to 0.00167
            (
                "1",
                "0.33333",
                "Unid",
                IvaRate::ReducedHalf,
                None,
                "0.33333",
                "0.33333",
                "0.00167",
                "0.335",
            ),
            // 86.4197522 rounds down to 86.41975
            (
                "7",
                "1234.56789",
                "Sp",
                IvaRate::Reduced1,
                Some("0.00001"),
                "8641.97523",
                "8641.97522",
                "86.41975",
                "8728.39497",
            ),
            (
                "1",
                "500",
                "Unid",
                IvaRate::Exempt,
                None,
                "500",
                "500",
                "0",
                "500",
            ),
            // 0.00000001 rounds to zero
            (
                "0.001",
                "0.00001",
                "Unid",
                IvaRate::General13,
                None,
                "0",
                "0",
                "0",
                "0",
            ),
            // a 5 in the sixth decimal rounds away from zero: 0.1300065 → 0.13001
            (
                "1",
                "1.00005",
                "Unid",
                IvaRate::General13,
                None,
                "1.00005",
                "1.00005",
                "0.13001",
                "1.13006",
            ),
        ];
        for (qty, price, unit, rate, disc, gross, sub, tax, total) in table {
            let t = line(qty, price, unit, rate, disc).totals();
            assert_eq!(t.gross, d(gross), "gross {qty}×{price}");
            assert_eq!(t.subtotal, d(sub), "subtotal {qty}×{price}");
            assert_eq!(t.tax, d(tax), "tax {qty}×{price}");
            assert_eq!(t.total, d(total), "total {qty}×{price}");
            assert!(t.total.scale() <= 5);
        }
    }

    #[test]
    fn summary_splits_services_goods_and_classes() {
        let mut not_subject = line("1", "50", "Unid", IvaRate::General13, None);
        not_subject.not_subject = true;
        let lines = [
            line("1", "10", "Sp", IvaRate::General13, None),
            line("2", "100", "Unid", IvaRate::General13, Some("20")),
            line("1", "40", "Unid", IvaRate::Exempt, None),
            line("1", "30", "Os", IvaRate::Reduced4, None),
            not_subject,
        ];
        let totals: Vec<LineTotals> = lines.iter().map(Line::totals).collect();
        let s = summarize(&totals, &lines);
        assert_eq!(s.services_taxed, d("40"));
        assert_eq!(s.goods_taxed, d("200"));
        assert_eq!(s.goods_exempt, d("40"));
        assert_eq!(s.goods_not_subject, d("50"));
        assert_eq!(s.taxed, d("240"));
        assert_eq!(s.sale, d("330"));
        assert_eq!(s.discounts, d("20"));
        assert_eq!(s.net_sale, d("310"));
        // 1.3 + 23.4 + 0 + 1.2 + 0
        assert_eq!(s.tax, d("25.9"));
        assert_eq!(s.total, d("335.9"));
        let rates: Vec<_> = s.tax_breakdown.iter().map(|b| (b.rate, b.amount)).collect();
        assert_eq!(
            rates,
            vec![
                (IvaRate::Reduced4, d("1.2")),
                (IvaRate::General13, d("24.7")),
                (IvaRate::Exempt, d("0")),
            ]
        );
        let sum: Decimal = s.tax_breakdown.iter().map(|b| b.amount).sum();
        assert_eq!(sum, s.tax);
    }

    #[test]
    fn codes_round_trip() {
        for t in DocumentType::ALL {
            assert_eq!(DocumentType::from_code(t.code()), Some(t));
        }
        for t in IdType::ALL {
            assert_eq!(IdType::from_code(t.code()), Some(t));
        }
        for r in IvaRate::ALL {
            assert_eq!(IvaRate::from_code(r.code()), Some(r));
        }
        assert_eq!(IvaRate::General13.default_percentage(), d("13"));
        assert_eq!(IvaRate::ReducedHalf.default_percentage(), d("0.5"));
    }
}
