//! Deterministic seed records of the in-memory Odoo database.

use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use super::models::{stored_dt, Db};
use crate::data::names::{
    CR_COMPANY, CR_FIRST, CR_LAST, CR_LEGAL, ID_COMPANY_A, ID_COMPANY_B, ID_COMPANY_TRADE,
    ID_FIRST, ID_LAST, STREETS,
};

/// Country ids (as in a typical Odoo database).
const COSTA_RICA: i64 = 50;
const INDONESIA: i64 = 100;
/// ir.model id of res.partner.
pub(crate) const PARTNER_MODEL_ID: i64 = 85;

const ID_CITIES: &[(&str, &str, i64)] = &[
    ("Medan", "20112", 601),
    ("Lubuk Pakam", "20511", 601),
    ("Jakarta Pusat", "10110", 602),
    ("Bandung", "40111", 603),
    ("Surabaya", "60111", 604),
    ("Denpasar", "80111", 605),
];
const CR_CITIES: &[(&str, &str, i64)] = &[
    ("San José", "10101", 611),
    ("Escazú", "10201", 611),
    ("Alajuela", "20101", 612),
    ("Heredia", "40101", 613),
    ("Cartago", "30101", 614),
    ("Liberia", "50101", 615),
    ("Puntarenas", "60101", 616),
];

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or_default()
}

fn digits(rng: &mut StdRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

fn slug(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' | 'ü' => 'u',
            'ñ' => 'n',
            c => c,
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// A write date somewhere in the last `days`, with microseconds.
fn past(rng: &mut StdRng, now: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    now - TimeDelta::seconds(rng.gen_range(3600..days.max(1) * 86_400))
        - TimeDelta::microseconds(rng.gen_range(0..1_000_000))
}

/// Fills the database: system records, ~200 partners, activities, sales orders.
pub(crate) fn seed(db: &mut Db, seed: u64, now: DateTime<Utc>) {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0D00_5EED_0000_0017);
    let boot = stored_dt(now - TimeDelta::days(400));
    let stamp = |row: Value, when: &str| -> Value {
        let mut row = row;
        if let Value::Object(m) = &mut row {
            m.insert("create_uid".into(), json!(1));
            m.insert("write_uid".into(), json!(1));
            m.insert("create_date".into(), json!(when));
            m.insert("write_date".into(), json!(when));
        }
        row
    };

    for (id, name, code) in [
        (COSTA_RICA, "Costa Rica", "CR"),
        (INDONESIA, "Indonesia", "ID"),
        (157, "Netherlands", "NL"),
        (233, "United States", "US"),
    ] {
        db.seed(
            "res.country",
            id,
            stamp(json!({"name": name, "code": code}), &boot),
        );
    }
    for (id, name, code, country) in [
        (601, "Sumatera Utara", "SU", INDONESIA),
        (602, "DKI Jakarta", "JK", INDONESIA),
        (603, "Jawa Barat", "JB", INDONESIA),
        (604, "Jawa Timur", "JI", INDONESIA),
        (605, "Bali", "BA", INDONESIA),
        (611, "San José", "SJ", COSTA_RICA),
        (612, "Alajuela", "A", COSTA_RICA),
        (613, "Heredia", "H", COSTA_RICA),
        (614, "Cartago", "C", COSTA_RICA),
        (615, "Guanacaste", "G", COSTA_RICA),
        (616, "Puntarenas", "P", COSTA_RICA),
    ] {
        db.seed(
            "res.country.state",
            id,
            stamp(
                json!({"name": name, "code": code, "country_id": country}),
                &boot,
            ),
        );
    }
    for (id, name, color) in [
        (1, "Pelanggan", 10),
        (2, "Vendor", 3),
        (3, "Pemohon Izin", 4),
        (4, "VIP", 1),
        (5, "Exportador", 7),
    ] {
        db.seed(
            "res.partner.category",
            id,
            stamp(json!({"name": name, "color": color, "active": true}), &boot),
        );
    }
    for (id, model, name) in [
        (1, "ir.model", "Models"),
        (5, "ir.model.data", "Model Data"),
        (60, "res.country", "Country"),
        (61, "res.country.state", "Country state"),
        (83, "res.partner.category", "Partner Tags"),
        (PARTNER_MODEL_ID, "res.partner", "Contact"),
        (91, "res.users", "User"),
        (137, "mail.activity.type", "Activity Type"),
        (138, "mail.activity", "Activity"),
        (402, "sale.order", "Sales Order"),
    ] {
        db.seed(
            "ir.model",
            id,
            stamp(
                json!({"model": model, "name": name, "state": "base", "transient": false}),
                &boot,
            ),
        );
    }
    for (id, name, category, icon) in [
        (1, "Email", "default", "fa-envelope"),
        (2, "Call", "phonecall", "fa-phone"),
        (3, "Meeting", "meeting", "fa-users"),
        (4, "To-Do", "default", "fa-check"),
        (5, "Upload Document", "upload_file", "fa-upload"),
        (6, "Exception", "default", "fa-warning"),
    ] {
        db.seed(
            "mail.activity.type",
            id,
            stamp(
                json!({"name": name, "category": category, "icon": icon, "sequence": id,
                       "delay_count": if id == 4 { 5 } else { 0 }, "delay_unit": "days",
                       "active": true}),
                &boot,
            ),
        );
    }
    for (id, name, company, active) in [
        (1, "Loket Demo Company", true, true),
        (2, "OdooBot", false, false),
        (3, "Administrator", false, true),
        (4, "Public user", false, false),
        (5, "Demo User", false, true),
    ] {
        db.seed(
            "res.partner",
            id,
            stamp(
                json!({"name": name, "is_company": company, "active": active, "type": "contact",
                       "email": if id == 3 { json!("admin@loket-demo.example") } else { Value::Null },
                       "country_id": INDONESIA, "customer_rank": 0, "supplier_rank": 0}),
                &boot,
            ),
        );
    }
    for (id, name, login, partner, active) in [
        (1, "OdooBot", "__system__", 2, false),
        (2, "Administrator", "admin", 3, true),
        (6, "Demo User", "demo", 5, true),
    ] {
        db.seed(
            "res.users",
            id,
            stamp(
                json!({"name": name, "login": login, "partner_id": partner, "active": active,
                       "tz": "Asia/Jakarta", "lang": "en_US", "share": false}),
                &boot,
            ),
        );
    }
    let xmlids: &[(&str, &str, &str, i64)] = &[
        ("base", "main_partner", "res.partner", 1),
        ("base", "partner_root", "res.partner", 2),
        ("base", "partner_admin", "res.partner", 3),
        ("base", "user_root", "res.users", 1),
        ("base", "user_admin", "res.users", 2),
        ("base", "user_demo", "res.users", 6),
        ("base", "cr", "res.country", COSTA_RICA),
        ("base", "id", "res.country", INDONESIA),
        ("base", "model_res_partner", "ir.model", PARTNER_MODEL_ID),
        ("mail", "model_mail_activity", "ir.model", 138),
        ("mail", "mail_activity_data_email", "mail.activity.type", 1),
        ("mail", "mail_activity_data_call", "mail.activity.type", 2),
        (
            "mail",
            "mail_activity_data_meeting",
            "mail.activity.type",
            3,
        ),
        ("mail", "mail_activity_data_todo", "mail.activity.type", 4),
        (
            "mail",
            "mail_activity_data_upload_document",
            "mail.activity.type",
            5,
        ),
        (
            "mail",
            "mail_activity_data_warning",
            "mail.activity.type",
            6,
        ),
    ];
    for (i, (module, name, model, res_id)) in xmlids.iter().enumerate() {
        db.seed(
            "ir.model.data",
            i as i64 + 1,
            stamp(
                json!({"module": module, "name": name, "model": model, "res_id": res_id,
                       "noupdate": true}),
                &boot,
            ),
        );
    }

    let partner_ids = seed_partners(db, &mut rng, now);
    seed_activities(db, &mut rng, now, &partner_ids);
    seed_orders(db, &mut rng, now, &partner_ids);
}

/// ~200 partners: Indonesian and Costa Rican companies and their people.
fn seed_partners(db: &mut Db, rng: &mut StdRng, now: DateTime<Utc>) -> Vec<i64> {
    let mut names = HashSet::new();
    let mut companies: Vec<(i64, bool)> = Vec::new();
    let mut ids = Vec::new();
    let mut id = 10;
    // Oldest first, so ids grow roughly with write dates (as in a real database).
    let mut stamps: Vec<DateTime<Utc>> = (0..200).map(|_| past(rng, now, 240)).collect();
    stamps.sort();
    // Some records share a write date second, as batch imports do.
    for i in 1..stamps.len() {
        if rng.gen_bool(0.1) {
            let prev = stamps.get(i - 1).copied().unwrap_or(now);
            if let Some(s) = stamps.get_mut(i) {
                *s = prev + TimeDelta::microseconds(rng.gen_range(1..900));
            }
        }
    }
    for (k, when) in stamps.into_iter().enumerate() {
        let indonesian = rng.gen_bool(0.6);
        let is_company = k < 110 || companies.is_empty();
        let parent = if !is_company && rng.gen_bool(0.5) {
            companies
                .iter()
                .filter(|(_, id_co)| *id_co == indonesian)
                .map(|(cid, _)| *cid)
                .collect::<Vec<_>>()
                .choose(rng)
                .copied()
        } else {
            None
        };
        let mut name = if is_company {
            if indonesian {
                let a = pick(rng, ID_COMPANY_A);
                let b = pick(rng, ID_COMPANY_B);
                let t = pick(rng, ID_COMPANY_TRADE);
                let form = ["PT", "PT", "CV", "PT.", "UD"][rng.gen_range(0..5)];
                if t.is_empty() {
                    format!("{form} {a} {b}")
                } else {
                    format!("{form} {a} {b} {t}")
                }
            } else {
                format!("{} {}", pick(rng, CR_COMPANY), pick(rng, CR_LEGAL))
            }
        } else if indonesian {
            format!("{} {}", pick(rng, ID_FIRST), pick(rng, ID_LAST))
        } else {
            format!(
                "{} {} {}",
                pick(rng, CR_FIRST),
                pick(rng, CR_LAST),
                pick(rng, CR_LAST)
            )
        };
        let mut n = 2;
        let base = name.clone();
        while !names.insert(name.clone()) {
            name = format!("{base} {}", ["II", "Cabang", "Sucursal", "(2)"][n % 4]);
            n += 1;
        }
        let (city, zip, state) = if indonesian {
            ID_CITIES
                .choose(rng)
                .copied()
                .unwrap_or(("Medan", "20112", 601))
        } else {
            CR_CITIES
                .choose(rng)
                .copied()
                .unwrap_or(("San José", "10101", 611))
        };
        let domain = if is_company {
            let tld = if indonesian { "co.id" } else { "co.cr" };
            let words: Vec<&str> = name.split_whitespace().collect();
            let stem: String = words
                .iter()
                .filter(|w| {
                    !matches!(
                        **w,
                        "PT" | "PT." | "CV" | "UD" | "S.A." | "S.R.L." | "Limitada"
                    )
                })
                .map(|w| slug(w))
                .collect();
            format!("{stem}.{tld}")
        } else if indonesian {
            ["gmail.com", "yahoo.co.id", "outlook.com"][rng.gen_range(0..3)].to_string()
        } else {
            ["gmail.com", "hotmail.com", "racsa.co.cr"][rng.gen_range(0..3)].to_string()
        };
        let email = if rng.gen_bool(0.1) {
            Value::Null
        } else if is_company {
            json!(format!(
                "{}@{domain}",
                ["info", "sales", "admin", "ventas"][rng.gen_range(0..4)]
            ))
        } else {
            let parts: Vec<String> = name.split_whitespace().take(2).map(slug).collect();
            json!(format!("{}@{domain}", parts.join(".")))
        };
        let (phone, mobile) = if indonesian {
            (
                json!(format!("+62 61 {}", digits(rng, 7))),
                json!(format!(
                    "+62 8{}-{}-{}",
                    digits(rng, 2),
                    digits(rng, 4),
                    digits(rng, 4)
                )),
            )
        } else {
            (
                json!(format!("+506 2{} {}", digits(rng, 3), digits(rng, 4))),
                json!(format!("+506 8{} {}", digits(rng, 3), digits(rng, 4))),
            )
        };
        let vat = match (is_company, indonesian, rng.gen_bool(0.8)) {
            (_, _, false) => Value::Null,
            (true, true, _) => json!(format!(
                "{}.{}.{}.{}-{}.000",
                digits(rng, 2),
                digits(rng, 3),
                digits(rng, 3),
                digits(rng, 1),
                digits(rng, 3)
            )),
            (true, false, _) => json!(format!("3101{}", digits(rng, 6))),
            (false, false, _) => json!(format!(
                "{}0{}0{}",
                rng.gen_range(1..8),
                digits(rng, 3),
                digits(rng, 3)
            )),
            (false, true, _) => Value::Null,
        };
        let mut tags: Vec<i64> = Vec::new();
        for tag in 1..=5 {
            if rng.gen_bool(0.15) {
                tags.push(tag);
            }
        }
        let created = stored_dt(when - TimeDelta::days(rng.gen_range(0..200)));
        let written = stored_dt(when);
        let row = json!({
            "name": name,
            "is_company": is_company,
            "type": "contact",
            "parent_id": parent,
            "email": email,
            "phone": if rng.gen_bool(0.8) { phone } else { Value::Null },
            "mobile": if rng.gen_bool(0.6) { mobile } else { Value::Null },
            "function": if !is_company && rng.gen_bool(0.5) {
                json!(["Direktur", "Manajer Keuangan", "Staf Admin", "Gerente", "Contador"][rng.gen_range(0..5)])
            } else { Value::Null },
            "street": format!("{} No. {}", if indonesian { pick(rng, STREETS) } else { "Avenida Central" }, rng.gen_range(1..300)),
            "city": city,
            "zip": zip,
            "state_id": state,
            "country_id": if indonesian { INDONESIA } else { COSTA_RICA },
            "vat": vat,
            "ref": if rng.gen_bool(0.3) { json!(format!("C{:05}", id)) } else { Value::Null },
            "comment": if rng.gen_bool(0.15) { json!("<p>Pelanggan lama, bayar tepat waktu.</p>") } else { Value::Null },
            "lang": if indonesian { "id_ID" } else { "es_CR" },
            "user_id": if rng.gen_bool(0.5) { json!(2) } else { Value::Null },
            "category_id": tags,
            "customer_rank": if rng.gen_bool(0.7) { rng.gen_range(1..20) } else { 0 },
            "supplier_rank": if rng.gen_bool(0.2) { rng.gen_range(1..5) } else { 0 },
            "active": !rng.gen_bool(0.05),
            "create_uid": 2,
            "write_uid": 2,
            "create_date": created.min(written.clone()),
            "write_date": written,
        });
        db.seed("res.partner", id, row);
        if is_company {
            companies.push((id, indonesian));
        }
        ids.push(id);
        id += 1;
    }
    ids
}

fn seed_activities(db: &mut Db, rng: &mut StdRng, now: DateTime<Utc>, partners: &[i64]) {
    const SUMMARIES: &[&str] = &[
        "Perpanjangan izin",
        "Follow up penawaran",
        "Kirim dokumen NPWP",
        "Llamar al cliente",
        "Enviar factura corregida",
        "Jadwalkan survey lapangan",
    ];
    let today = now.date_naive();
    for id in 1..=30 {
        let Some(partner) = partners.choose(rng).copied() else {
            return;
        };
        let when = stored_dt(past(rng, now, 30));
        let deadline = today + TimeDelta::days(rng.gen_range(-20..30));
        let kind = if rng.gen_bool(0.7) {
            4
        } else {
            rng.gen_range(1..4)
        };
        db.seed(
            "mail.activity",
            id,
            json!({
                "res_model_id": PARTNER_MODEL_ID,
                "res_id": partner,
                "activity_type_id": kind,
                "summary": pick(rng, SUMMARIES),
                "note": "<p>Dibuat otomatis oleh data contoh.</p>",
                "date_deadline": deadline.format("%Y-%m-%d").to_string(),
                "user_id": 2,
                "create_uid": 2,
                "write_uid": 2,
                "create_date": when,
                "write_date": when,
            }),
        );
    }
}

fn seed_orders(db: &mut Db, rng: &mut StdRng, now: DateTime<Utc>, partners: &[i64]) {
    let mut stamps: Vec<DateTime<Utc>> = (0..60).map(|_| past(rng, now, 180)).collect();
    stamps.sort();
    for (k, when) in stamps.into_iter().enumerate() {
        let Some(partner) = partners.choose(rng).copied() else {
            return;
        };
        let untaxed = f64::from(rng.gen_range(50..20_000)) * 1000.0 / 100.0;
        let tax = (untaxed * 0.11 * 100.0).round() / 100.0;
        let state = ["draft", "sent", "sale", "sale", "sale", "cancel"][rng.gen_range(0..6)];
        db.seed(
            "sale.order",
            k as i64 + 1,
            json!({
                "name": format!("S{:05}", k + 1),
                "partner_id": partner,
                "date_order": stored_dt(when),
                "state": state,
                "client_order_ref": if rng.gen_bool(0.3) { json!(format!("PO-{}", digits(rng, 5))) } else { Value::Null },
                "user_id": 2,
                "amount_untaxed": untaxed,
                "amount_tax": tax,
                "amount_total": ((untaxed + tax) * 100.0).round() / 100.0,
                "create_uid": 2,
                "write_uid": 2,
                "create_date": stored_dt(when),
                "write_date": stored_dt(when),
            }),
        );
    }
}
