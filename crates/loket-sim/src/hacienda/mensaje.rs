//! The MensajeHacienda answer (v4.4) with a signature-shaped `ds:Signature`, and the
//! deterministic accept / reject decision.

use base64::Engine as _;
use chrono::{DateTime, FixedOffset, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::Doc;
use crate::text::{fnv1a, xml_escape};

/// Namespace of the v4.4 MensajeHacienda.
pub(crate) const NS: &str =
    "https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/mensajeHacienda";

/// Validation errors Hacienda reports, as (code, message).
const ERRORS: &[(i32, &str)] = &[
    (-37, "Los datos de provincia, cantón y distrito del 'emisor' no concuerdan con los registrados en la Dirección General de Tributación."),
    (-99, "La numeración consecutiva del comprobante que se desea enviar ya existe en nuestras bases de datos."),
    (-53, "La fecha de emisión del comprobante electrónico es posterior a la fecha de recepción."),
    (-22, "El código de actividad económica del emisor no se encuentra registrado o no está activo."),
    (-87, "El monto total del impuesto no coincide con la sumatoria de los impuestos de las líneas de detalle."),
    (-11, "El número de identificación del receptor no se encuentra registrado en la base de datos de contribuyentes."),
];

/// The final verdict on a document.
pub(crate) struct Verdict {
    pub(crate) accepted: bool,
    pub(crate) errors: Vec<(i32, String)>,
}

/// Text of an XML element found anywhere under `parent` by local names.
fn find(doc: &roxmltree::Document, path: &[&str]) -> Option<String> {
    let mut node = doc.root_element();
    for (i, name) in path.iter().enumerate() {
        node = if i == 0 {
            node.descendants().find(|n| n.tag_name().name() == *name)?
        } else {
            node.children().find(|n| n.tag_name().name() == *name)?
        };
    }
    node.text().map(|t| t.trim().to_string())
}

/// Decides: malformed XML or a mismatched `Clave` is rejected; otherwise about one
/// document in ten, chosen by the clave, is rejected.
pub(crate) fn verdict(doc: &Doc) -> Verdict {
    let parsed = roxmltree::Document::parse(&doc.xml);
    let Ok(xml) = parsed else {
        return Verdict {
            accepted: false,
            errors: vec![(
                -1,
                "El archivo XML no cumple con la estructura del esquema: el documento no está bien formado.".into(),
            )],
        };
    };
    if let Some(c) = find(&xml, &["Clave"]) {
        if c != doc.clave {
            return Verdict {
                accepted: false,
                errors: vec![(
                    -6,
                    format!("La clave del comprobante ({c}) no coincide con la clave enviada en el mensaje."),
                )],
            };
        }
    }
    let h = fnv1a(&doc.clave);
    if h % 100 >= 10 {
        return Verdict {
            accepted: true,
            errors: Vec::new(),
        };
    }
    let n = ERRORS.len() as u64;
    let first = (h / 100 % n) as usize;
    let mut errors = vec![ERRORS.get(first).copied().unwrap_or((-99, "Error"))];
    if h / 1000 % 2 == 0 {
        let second = (first + 1 + (h / 10_000 % (n - 1)) as usize) % n as usize;
        errors.push(ERRORS.get(second).copied().unwrap_or((-37, "Error")));
    }
    Verdict {
        accepted: false,
        errors: errors
            .into_iter()
            .map(|(c, m)| (c, m.to_string()))
            .collect(),
    }
}

/// `DetalleMensaje` in Hacienda's format.
pub(crate) fn detalle(v: &Verdict) -> String {
    if v.accepted {
        return "Este comprobante fue aceptado en el ambiente de pruebas, por lo cual no tiene validez para fines tributarios".into();
    }
    let mut s = String::from(
        "El comprobante electrónico tiene los siguientes errores: [ codigo, mensaje, fila, columna",
    );
    for (code, msg) in &v.errors {
        s.push('\n');
        s.push_str(&format!("{code}, \"{msg}\", 0, 0"));
    }
    s.push_str(" ]");
    s
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A `ds:Signature` with the structure of Hacienda's XAdES-EPES signatures (the values
/// are random bytes derived from the clave: shaped like a signature, not verifiable).
fn signature(clave: &str, signed_at: DateTime<FixedOffset>) -> String {
    let mut rng = StdRng::seed_from_u64(fnv1a(clave) ^ 0x5167);
    let mut bytes =
        |n: usize| -> String { b64(&(0..n).map(|_| rng.gen::<u8>()).collect::<Vec<u8>>()) };
    let id: u64 = fnv1a(clave) >> 16;
    let d1 = bytes(32);
    let d2 = bytes(32);
    let d3 = bytes(32);
    let value = bytes(256);
    let cert = bytes(1100);
    let modulus = bytes(256);
    let cert_digest = bytes(32);
    format!(
        concat!(
            "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"id-{id:x}\">",
            "<ds:SignedInfo>",
            "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>",
            "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>",
            "<ds:Reference Id=\"r-id-{id:x}-1\" URI=\"\"><ds:Transforms>",
            "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>",
            "</ds:Transforms><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>",
            "<ds:DigestValue>{d1}</ds:DigestValue></ds:Reference>",
            "<ds:Reference URI=\"#KeyInfo-{id:x}\"><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>",
            "<ds:DigestValue>{d2}</ds:DigestValue></ds:Reference>",
            "<ds:Reference Type=\"http://uri.etsi.org/01903#SignedProperties\" URI=\"#xades-id-{id:x}\">",
            "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>",
            "<ds:DigestValue>{d3}</ds:DigestValue></ds:Reference>",
            "</ds:SignedInfo>",
            "<ds:SignatureValue Id=\"value-id-{id:x}\">{value}</ds:SignatureValue>",
            "<ds:KeyInfo Id=\"KeyInfo-{id:x}\"><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data>",
            "<ds:KeyValue><ds:RSAKeyValue><ds:Modulus>{modulus}</ds:Modulus><ds:Exponent>AQAB</ds:Exponent></ds:RSAKeyValue></ds:KeyValue></ds:KeyInfo>",
            "<ds:Object><xades:QualifyingProperties xmlns:xades=\"http://uri.etsi.org/01903/v1.3.2#\" Target=\"#id-{id:x}\">",
            "<xades:SignedProperties Id=\"xades-id-{id:x}\"><xades:SignedSignatureProperties>",
            "<xades:SigningTime>{time}</xades:SigningTime>",
            "<xades:SigningCertificate><xades:Cert><xades:CertDigest>",
            "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>",
            "<ds:DigestValue>{cert_digest}</ds:DigestValue></xades:CertDigest>",
            "<xades:IssuerSerial><ds:X509IssuerName>CN=CA SINPE - PERSONA JURIDICA v2,OU=DIVISION SISTEMAS DE PAGO,O=BANCO CENTRAL DE COSTA RICA,C=CR</ds:X509IssuerName>",
            "<ds:X509SerialNumber>{serial}</ds:X509SerialNumber></xades:IssuerSerial></xades:Cert></xades:SigningCertificate>",
            "</xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object>",
            "</ds:Signature>"
        ),
        id = id,
        d1 = d1,
        d2 = d2,
        d3 = d3,
        value = value,
        cert = cert,
        modulus = modulus,
        cert_digest = cert_digest,
        time = signed_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        serial = id % 10_000_000_000,
    )
}

/// The MensajeHacienda for a final document.
pub(crate) fn mensaje_xml(doc: &Doc, v: &Verdict, decided_at: DateTime<Utc>) -> String {
    let parsed = roxmltree::Document::parse(&doc.xml).ok();
    let get = |path: &[&str]| parsed.as_ref().and_then(|d| find(d, path));
    let nombre_emisor =
        get(&["Emisor", "Nombre"]).unwrap_or_else(|| format!("EMISOR {}", doc.emisor.1));
    let receptor = match (&doc.receptor, get(&["Receptor", "Nombre"])) {
        (Some((tipo, numero)), nombre) => Some((
            nombre.unwrap_or_else(|| format!("RECEPTOR {numero}")),
            tipo.clone(),
            numero.clone(),
        )),
        (None, Some(nombre)) => get(&["Receptor", "Identificacion", "Tipo"])
            .zip(get(&["Receptor", "Identificacion", "Numero"]))
            .map(|(t, n)| (nombre, t, n)),
        (None, None) => None,
    };
    let impuesto = get(&["ResumenFactura", "TotalImpuesto"]);
    let total = get(&["ResumenFactura", "TotalComprobante"]).unwrap_or_else(|| "0".into());
    // Costa Rica is UTC-6.
    let signed_at = match FixedOffset::west_opt(6 * 3600) {
        Some(cr) => decided_at.with_timezone(&cr),
        None => decided_at.fixed_offset(),
    };

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!("<MensajeHacienda xmlns=\"{NS}\">\n"));
    out.push_str(&format!("  <Clave>{}</Clave>\n", xml_escape(&doc.clave)));
    out.push_str(&format!(
        "  <NombreEmisor>{}</NombreEmisor>\n",
        xml_escape(&nombre_emisor)
    ));
    out.push_str(&format!(
        "  <TipoIdentificacionEmisor>{}</TipoIdentificacionEmisor>\n",
        xml_escape(&doc.emisor.0)
    ));
    out.push_str(&format!(
        "  <NumeroCedulaEmisor>{}</NumeroCedulaEmisor>\n",
        xml_escape(&doc.emisor.1)
    ));
    if let Some((nombre, tipo, numero)) = receptor {
        out.push_str(&format!(
            "  <NombreReceptor>{}</NombreReceptor>\n",
            xml_escape(&nombre)
        ));
        out.push_str(&format!(
            "  <TipoIdentificacionReceptor>{}</TipoIdentificacionReceptor>\n",
            xml_escape(&tipo)
        ));
        out.push_str(&format!(
            "  <NumeroCedulaReceptor>{}</NumeroCedulaReceptor>\n",
            xml_escape(&numero)
        ));
    }
    out.push_str(&format!(
        "  <Mensaje>{}</Mensaje>\n",
        if v.accepted { 1 } else { 3 }
    ));
    out.push_str(&format!(
        "  <EstadoMensaje>{}</EstadoMensaje>\n",
        if v.accepted { "Aceptado" } else { "Rechazado" }
    ));
    out.push_str(&format!(
        "  <DetalleMensaje>{}</DetalleMensaje>\n",
        xml_escape(&detalle(v))
    ));
    if let Some(i) = impuesto {
        out.push_str(&format!(
            "  <MontoTotalImpuesto>{}</MontoTotalImpuesto>\n",
            xml_escape(&i)
        ));
    }
    out.push_str(&format!(
        "  <TotalFactura>{}</TotalFactura>\n",
        xml_escape(&total)
    ));
    out.push_str(&signature(&doc.clave, signed_at));
    out.push_str("\n</MensajeHacienda>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(clave: &str, xml: &str) -> Doc {
        Doc {
            clave: clave.into(),
            fecha: "2025-09-27T07:49:09-06:00".into(),
            received: Utc::now(),
            emisor: ("01".into(), "206920142".into()),
            receptor: None,
            xml: xml.into(),
        }
    }

    #[test]
    fn about_one_in_ten_rejected_and_detail_format() {
        let rejected = (0..1000)
            .map(|i| format!("506270925000206920142001000010100000{i:05}1{:08}", i * 7))
            .filter(|c| !verdict(&doc(c, "<FacturaElectronica/>")).accepted)
            .count();
        assert!((50..=150).contains(&rejected), "{rejected}");
        let v = Verdict {
            accepted: false,
            errors: vec![(-37, "a".into()), (-99, "b".into())],
        };
        assert_eq!(
            detalle(&v),
            "El comprobante electrónico tiene los siguientes errores: [ codigo, mensaje, fila, columna\n-37, \"a\", 0, 0\n-99, \"b\", 0, 0 ]"
        );
    }

    #[test]
    fn mensaje_is_well_formed_and_namespaced() {
        let d = doc("50601042400020692014200100001010000000002100000001", "<FacturaElectronica><Clave>50601042400020692014200100001010000000002100000001</Clave><Emisor><Nombre>Tek &amp; rocks</Nombre></Emisor><ResumenFactura><TotalImpuesto>1.3</TotalImpuesto><TotalComprobante>11.3</TotalComprobante></ResumenFactura></FacturaElectronica>");
        let v = verdict(&d);
        let xml = mensaje_xml(&d, &v, Utc::now());
        let parsed = roxmltree::Document::parse(&xml);
        assert!(parsed.is_ok(), "{xml}");
        if let Ok(p) = parsed {
            assert_eq!(p.root_element().tag_name().namespace(), Some(NS));
            assert!(p.descendants().any(|n| n.tag_name().name() == "Signature"));
            assert_eq!(find(&p, &["NombreEmisor"]).as_deref(), Some("Tek & rocks"));
            assert_eq!(find(&p, &["TotalFactura"]).as_deref(), Some("11.3"));
        }
    }
}
