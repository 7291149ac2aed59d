//! Builds the v4.4 XML of a [`Document`] (unsigned; see [`crate::sign`]).
//!
//! Element order follows the official XSDs (`FacturaElectronica_V4.4.xsd` and siblings);
//! the differences between the four documents are: the receiver is optional except on a
//! factura, a tiquete has no receiver activity code, and notes must carry
//! `InformacionReferencia`.

use rust_decimal::Decimal;

use crate::document::{Document, DocumentType, Identification, Location, Phone};
use crate::precheck::{precheck, Issue};

/// The XML-DSig namespace, declared on the root as `ds`.
pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// The document has problems the XSD or Hacienda would reject.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", summary(.issues))]
pub struct InvalidDocument {
    /// One entry per field at fault.
    pub issues: Vec<Issue>,
}

fn summary(issues: &[Issue]) -> String {
    match issues {
        [] => "The document cannot be built.".to_string(),
        [one] => one.message.clone(),
        [first, ..] => format!(
            "{} problems need fixing before the document can be built; first: {}",
            issues.len(),
            first.message
        ),
    }
}

/// Formats an amount the way the XML carries it: no exponent, no trailing zeros.
pub fn format_decimal(value: Decimal) -> String {
    if value.is_zero() {
        return "0".to_string();
    }
    value.normalize().to_string()
}

/// Escapes text for element content.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
    out
}

/// An indenting writer for element-only XML.
struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    fn indent(&mut self) {
        self.out.push('\n');
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn open(&mut self, name: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn leaf(&mut self, name: &str, text: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
        self.out.push_str(&escape(text));
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn opt(&mut self, name: &str, text: Option<&str>) {
        if let Some(t) = text {
            self.leaf(name, t);
        }
    }

    fn amount(&mut self, name: &str, value: Decimal) {
        self.leaf(name, &format_decimal(value));
    }
}

/// Builds the XML after [`precheck`] passes; otherwise returns every problem found.
pub fn to_xml(doc: &Document) -> Result<String, InvalidDocument> {
    let issues = precheck(doc);
    if !issues.is_empty() {
        return Err(InvalidDocument { issues });
    }
    Ok(render(doc))
}

fn identification(w: &mut Writer, id: &Identification) {
    w.open("Identificacion");
    w.leaf("Tipo", id.id_type.code());
    w.leaf("Numero", &id.number);
    w.close("Identificacion");
}

fn location(w: &mut Writer, l: &Location) {
    w.open("Ubicacion");
    w.leaf("Provincia", &l.province.to_string());
    w.leaf("Canton", &format!("{:02}", l.canton));
    w.leaf("Distrito", &format!("{:02}", l.district));
    w.opt("Barrio", l.neighborhood.as_deref());
    w.leaf("OtrasSenas", &l.other_signs);
    w.close("Ubicacion");
}

fn phone(w: &mut Writer, p: &Phone) {
    w.open("Telefono");
    w.leaf("CodigoPais", &p.country_code.to_string());
    w.leaf("NumTelefono", &p.number);
    w.close("Telefono");
}

/// Renders without checking; callers go through [`to_xml`].
fn render(doc: &Document) -> String {
    let t = doc.doc_type;
    let root = t.root_element();
    let mut w = Writer {
        out: String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"),
        depth: 0,
    };
    w.out.push('<');
    w.out.push_str(root);
    w.out.push_str(&format!(
        " xmlns=\"{}\" xmlns:ds=\"{DSIG_NS}\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
        t.namespace()
    ));
    w.depth = 1;

    w.leaf("Clave", &doc.clave.to_string());
    w.leaf("ProveedorSistemas", &doc.provider_id);
    w.leaf("CodigoActividadEmisor", &doc.issuer.activity_code);
    if t != DocumentType::Tiquete {
        if let Some(code) = doc
            .receiver
            .as_ref()
            .and_then(|r| r.activity_code.as_deref())
        {
            w.leaf("CodigoActividadReceptor", code);
        }
    }
    w.leaf("NumeroConsecutivo", &doc.clave.consecutivo().to_string());
    w.leaf(
        "FechaEmision",
        &doc.issued_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    );

    let issuer = &doc.issuer;
    w.open("Emisor");
    w.leaf("Nombre", &issuer.name);
    identification(&mut w, &issuer.id);
    w.opt("NombreComercial", issuer.commercial_name.as_deref());
    location(&mut w, &issuer.location);
    if let Some(p) = &issuer.phone {
        phone(&mut w, p);
    }
    for email in &issuer.emails {
        w.leaf("CorreoElectronico", email);
    }
    w.close("Emisor");

    if let Some(r) = &doc.receiver {
        w.open("Receptor");
        w.leaf("Nombre", &r.name);
        if let Some(id) = &r.id {
            identification(&mut w, id);
        }
        w.opt("NombreComercial", r.commercial_name.as_deref());
        if let Some(l) = &r.location {
            location(&mut w, l);
        }
        w.opt("OtrasSenasExtranjero", r.foreign_address.as_deref());
        if let Some(p) = &r.phone {
            phone(&mut w, p);
        }
        w.opt("CorreoElectronico", r.email.as_deref());
        w.close("Receptor");
    }

    w.leaf("CondicionVenta", doc.sale_condition.code());
    match &doc.sale_condition {
        crate::document::SaleCondition::Other(text) => w.leaf("CondicionVentaOtros", text),
        crate::document::SaleCondition::Credit { days } => {
            w.leaf("PlazoCredito", &days.to_string())
        }
        _ => {}
    }

    let line_totals = doc.line_totals();
    w.open("DetalleServicio");
    for (i, (line, lt)) in doc.lines.iter().zip(&line_totals).enumerate() {
        w.open("LineaDetalle");
        w.leaf("NumeroLinea", &(i + 1).to_string());
        w.leaf("CodigoCABYS", &line.cabys);
        if let Some(code) = &line.seller_code {
            w.open("CodigoComercial");
            w.leaf("Tipo", "01");
            w.leaf("Codigo", code);
            w.close("CodigoComercial");
        }
        w.amount("Cantidad", line.quantity);
        w.leaf("UnidadMedida", &line.unit);
        w.leaf("Detalle", &line.description);
        w.amount("PrecioUnitario", line.unit_price);
        w.amount("MontoTotal", lt.gross);
        for d in &line.discounts {
            w.open("Descuento");
            w.amount("MontoDescuento", d.amount);
            w.leaf("CodigoDescuento", d.kind.code());
            if let crate::document::DiscountKind::Other(text) = &d.kind {
                w.leaf("CodigoDescuentoOTRO", text);
            }
            w.opt("NaturalezaDescuento", d.description.as_deref());
            w.close("Descuento");
        }
        w.amount("SubTotal", lt.subtotal);
        w.amount("BaseImponible", lt.taxable_base);
        w.open("Impuesto");
        w.leaf("Codigo", "01");
        w.leaf("CodigoTarifaIVA", line.tax.rate.code());
        w.amount("Tarifa", lt.tax_percentage);
        w.amount("Monto", lt.tax);
        w.close("Impuesto");
        w.amount("ImpuestoAsumidoEmisorFabrica", Decimal::ZERO);
        w.amount("ImpuestoNeto", lt.net_tax);
        w.amount("MontoTotalLinea", lt.total);
        w.close("LineaDetalle");
    }
    w.close("DetalleServicio");

    let s = doc.totals();
    w.open("ResumenFactura");
    w.open("CodigoTipoMoneda");
    w.leaf("CodigoMoneda", doc.currency.code());
    w.amount("TipoCambio", doc.currency.exchange_rate());
    w.close("CodigoTipoMoneda");
    w.amount("TotalServGravados", s.services_taxed);
    w.amount("TotalServExentos", s.services_exempt);
    w.amount("TotalServNoSujeto", s.services_not_subject);
    w.amount("TotalMercanciasGravadas", s.goods_taxed);
    w.amount("TotalMercanciasExentas", s.goods_exempt);
    w.amount("TotalMercNoSujeta", s.goods_not_subject);
    w.amount("TotalGravado", s.taxed);
    w.amount("TotalExento", s.exempt);
    w.amount("TotalExonerado", s.exonerated);
    w.amount("TotalNoSujeto", s.not_subject);
    w.amount("TotalVenta", s.sale);
    w.amount("TotalDescuentos", s.discounts);
    w.amount("TotalVentaNeta", s.net_sale);
    for b in &s.tax_breakdown {
        w.open("TotalDesgloseImpuesto");
        w.leaf("Codigo", &b.tax_code);
        w.leaf("CodigoTarifaIVA", b.rate.code());
        w.amount("TotalMontoImpuesto", b.amount);
        w.close("TotalDesgloseImpuesto");
    }
    w.amount("TotalImpuesto", s.tax);
    w.amount("TotalImpAsumEmisorFabrica", Decimal::ZERO);
    w.amount("TotalOtrosCargos", Decimal::ZERO);
    for p in &doc.payments {
        w.open("MedioPago");
        w.leaf("TipoMedioPago", p.method.code());
        if let crate::document::PaymentMethod::Other(text) = &p.method {
            w.leaf("MedioPagoOtros", text);
        }
        if let Some(amount) = p.amount {
            w.amount("TotalMedioPago", amount);
        }
        w.close("MedioPago");
    }
    w.amount("TotalComprobante", s.total);
    w.close("ResumenFactura");

    for r in &doc.references {
        w.open("InformacionReferencia");
        w.leaf("TipoDocIR", &r.doc_type);
        w.opt("TipoDocRefOTRO", r.doc_type_other.as_deref());
        w.opt("Numero", r.number.as_deref());
        w.leaf(
            "FechaEmisionIR",
            &r.issued_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        );
        w.opt("Codigo", r.code.as_deref());
        w.opt("CodigoReferenciaOTRO", r.code_other.as_deref());
        w.opt("Razon", r.reason.as_deref());
        w.close("InformacionReferencia");
    }

    if let Some(notes) = &doc.notes {
        w.open("Otros");
        w.leaf("OtroTexto", notes);
        w.close("Otros");
    }

    w.depth = 0;
    w.indent();
    w.out.push_str("</");
    w.out.push_str(root);
    w.out.push_str(">\n");
    w.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn decimals_are_plain() {
        let cases = [
            ("10.00000", "10"),
            ("1.30", "1.3"),
            ("0.00000", "0"),
            ("-0", "0"),
            ("0.00001", "0.00001"),
            ("1234567890123.12345", "1234567890123.12345"),
        ];
        for (input, want) in cases {
            let d = Decimal::from_str(input).unwrap_or_default();
            assert_eq!(format_decimal(d), want);
        }
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
    }
}
