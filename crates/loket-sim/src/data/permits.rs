//! Deterministic permit office data: issued permits and applications in process.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate, TimeDelta};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use super::names::{
    ID_COMPANY_A, ID_COMPANY_B, ID_COMPANY_TRADE, ID_FIRST, ID_LAST, KABUPATEN, KECAMATAN,
    MOBILE_PREFIX, PROCESS_STATUS, PROPINSI, STREETS,
};
use super::permit_types::{permit_types, PermitType};

/// One issued permit, every field as the office database would hand it out.
#[derive(Clone, Debug)]
pub(crate) struct Permit {
    pub(crate) pendaftaran_id: String,
    pub(crate) n_pemohon: String,
    pub(crate) n_perizinan: String,
    pub(crate) no_surat: String,
    pub(crate) d_terima_berkas: String,
    pub(crate) tgl_surat: String,
    pub(crate) d_berlaku_izin: String,
    pub(crate) a_pemohon: String,
    pub(crate) telp_pemohon: String,
    pub(crate) n_perusahaan: String,
    /// `None` is a database NULL.
    pub(crate) npwp: Option<String>,
    pub(crate) a_perusahaan: String,
    pub(crate) d_tgl_berdiri: String,
    pub(crate) i_telp_perusahaan: String,
    pub(crate) n_kecamatan: String,
    pub(crate) n_kabupaten: String,
    pub(crate) n_propinsi: String,
    pub(crate) n_kelurahan: String,
    /// `cekperizinan` answers this permit as a one-element array rather than an object.
    pub(crate) as_array: bool,
}

/// One application still in process.
#[derive(Clone, Debug)]
pub(crate) struct InProcess {
    pub(crate) pendaftaran_id: String,
    pub(crate) n_pemohon: String,
    pub(crate) n_perizinan: String,
    pub(crate) status: String,
    pub(crate) d_terima_berkas: String,
}

/// All data of the imitated permit office.
pub(crate) struct PermitData {
    pub(crate) types: Vec<PermitType>,
    pub(crate) issued: Vec<Permit>,
    pub(crate) in_process: Vec<InProcess>,
    by_no_surat: HashMap<String, usize>,
}

impl PermitData {
    /// Finds an issued permit by its letter number.
    pub(crate) fn by_no_surat(&self, no_surat: &str) -> Option<&Permit> {
        self.by_no_surat
            .get(no_surat)
            .and_then(|&i| self.issued.get(i))
    }
}

/// A permit before ids and numbers are assigned.
struct Draft {
    type_idx: usize,
    applicant: Applicant,
    received: NaiveDate,
    issued: NaiveDate,
    expiry: Option<NaiveDate>,
}

#[derive(Clone)]
struct Applicant {
    name: String,
    address: String,
    phone: String,
    company: String,
    npwp: Option<String>,
    company_address: String,
    founded: String,
    company_phone: String,
    kec: usize,
    kel: usize,
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or_default()
}

fn digits(rng: &mut StdRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

fn mobile(rng: &mut StdRng) -> String {
    let prefix = pick(rng, MOBILE_PREFIX);
    let rest_len = rng.gen_range(6..=9);
    format!("{prefix}{}", digits(rng, rest_len))
}

/// A phone number as clerks type them: mostly `08…`, sometimes `+62`, dashes, blanks.
fn phone_as_typed(rng: &mut StdRng) -> String {
    let m = mobile(rng);
    let tail = m.get(1..).unwrap_or_default().to_string();
    match rng.gen_range(0..100) {
        0..=59 => m,
        60..=69 => format!("+62{tail}"),
        70..=74 => format!("62{tail}"),
        75..=82 => {
            let (a, b) = m.split_at(4.min(m.len()));
            let (b1, b2) = b.split_at(4.min(b.len()));
            format!("{a}-{b1}-{b2}")
        }
        83..=87 => {
            let (a, b) = m.split_at(4.min(m.len()));
            format!("{a} {b}")
        }
        88..=91 => String::new(),
        92..=95 => format!("061-{}", digits(rng, 7)),
        _ => format!("{m} / {}", mobile(rng)),
    }
}

fn person_name(rng: &mut StdRng, t: &PermitType) -> String {
    let first = pick(rng, ID_FIRST);
    let last = pick(rng, ID_LAST);
    let mut name = if rng.gen_bool(0.15) {
        first.to_string()
    } else {
        format!("{first} {last}")
    };
    if t.name.contains("DOKTER GIGI") {
        name = format!("drg. {name}");
    } else if t.name.contains("DOKTER HEWAN") {
        name = format!("drh. {name}");
    } else if t.name.contains("DOKTER") {
        name = format!("dr. {name}");
    } else if t.name.contains("APOTEKER") || t.name == "IZIN APOTEK" {
        name = format!("apt. {name}, S.Farm.");
    } else if rng.gen_bool(0.06) {
        name = format!("H. {name}");
    } else if rng.gen_bool(0.05) {
        name = format!("Hj. {name}");
    } else if rng.gen_bool(0.08) {
        name = format!("{name}, S.E.");
    }
    if rng.gen_bool(0.65) {
        name.to_uppercase()
    } else {
        name
    }
}

fn company_name(rng: &mut StdRng, t: &PermitType, person: &str) -> String {
    if t.name.contains("PRAKTEK") {
        return if rng.gen_bool(0.6) {
            String::new()
        } else {
            format!(
                "KLINIK {} {}",
                pick(rng, ID_COMPANY_A),
                pick(rng, ID_COMPANY_B)
            )
            .to_uppercase()
        };
    }
    if t.name == "IZIN APOTEK" {
        return format!("APOTEK {}", pick(rng, ID_COMPANY_B).to_uppercase());
    }
    let a = pick(rng, ID_COMPANY_A);
    let b = pick(rng, ID_COMPANY_B);
    let trade = pick(rng, ID_COMPANY_TRADE);
    let core = if trade.is_empty() {
        format!("{a} {b}")
    } else {
        format!("{a} {b} {trade}")
    };
    let name = match rng.gen_range(0..100) {
        0..=34 => format!("CV. {core}"),
        35..=64 => format!("PT. {core}"),
        65..=79 => format!("UD. {a} {b}"),
        80..=89 => format!("TOKO {a} {b}"),
        _ => {
            // Sole trader: the business carries the owner's name.
            let first = person.split_whitespace().last().unwrap_or(person);
            format!("USAHA {first}")
        }
    };
    name.to_uppercase()
}

fn address(rng: &mut StdRng) -> String {
    let street = pick(rng, STREETS);
    match rng.gen_range(0..10) {
        0 => format!(
            "Dusun {} Desa {}",
            ["I", "II", "III", "IV"][rng.gen_range(0..4)],
            pick(rng, ID_COMPANY_B)
        ),
        1 => format!(
            "{street} Gg. {} No. {}",
            pick(rng, ID_COMPANY_A),
            rng.gen_range(1..80)
        ),
        _ => format!(
            "{street} No. {}, RT {:03}/RW {:03}",
            rng.gen_range(1..250),
            rng.gen_range(1..15),
            rng.gen_range(1..10)
        ),
    }
}

fn npwp(rng: &mut StdRng) -> Option<String> {
    match rng.gen_range(0..100) {
        0..=74 => Some(format!(
            "{}.{}.{}.{}-{}.{}",
            digits(rng, 2),
            digits(rng, 3),
            digits(rng, 3),
            digits(rng, 1),
            digits(rng, 3),
            digits(rng, 3)
        )),
        75..=79 => Some(format!("12{}", digits(rng, 14))),
        80..=89 => None,
        _ => Some(String::new()),
    }
}

fn applicant(rng: &mut StdRng, t: &PermitType, received: NaiveDate) -> Applicant {
    let name = person_name(rng, t);
    let company = company_name(rng, t, &name);
    let kec = rng.gen_range(0..KECAMATAN.len());
    let kel = rng.gen_range(0..KECAMATAN.get(kec).map_or(1, |k| k.1.len().max(1)));
    let has_company = !company.is_empty();
    let founded = if !has_company {
        String::new()
    } else if rng.gen_bool(0.05) {
        "0000-00-00".into()
    } else {
        ymd(received - TimeDelta::days(rng.gen_range(30..6000)))
    };
    Applicant {
        address: address(rng),
        phone: phone_as_typed(rng),
        npwp: if has_company || rng.gen_bool(0.3) {
            npwp(rng)
        } else {
            None
        },
        company_address: if has_company {
            address(rng)
        } else {
            String::new()
        },
        founded,
        company_phone: if has_company && rng.gen_bool(0.5) {
            format!("(061) {}", digits(rng, 7))
        } else {
            String::new()
        },
        company,
        name,
        kec,
        kel,
    }
}

/// Permit type name as typed into the permit row: usually the listed one, sometimes with a
/// doubled space or a different case.
fn spelled(rng: &mut StdRng, name: &str) -> String {
    match rng.gen_range(0..100) {
        0..=3 => name.replacen(' ', "  ", 1),
        4..=5 => name.to_lowercase(),
        6..=7 => title_case(name),
        8 => format!("{name} "),
        _ => name.to_string(),
    }
}

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(c.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

fn weighted_type(rng: &mut StdRng, types: &[PermitType], total: u32) -> usize {
    let mut r = rng.gen_range(0..total.max(1));
    for (i, t) in types.iter().enumerate() {
        if r < t.weight {
            return i;
        }
        r -= t.weight;
    }
    0
}

/// Days from today to the expiry: a spread with expired, critical, warning and ok permits.
fn days_to_expiry(rng: &mut StdRng, validity_years: u32) -> i64 {
    let max_ahead = (i64::from(validity_years) * 365 - 10).min(1095);
    match rng.gen_range(0..100) {
        0..=21 => rng.gen_range(-730..=-1),
        22..=31 => rng.gen_range(0..=30),
        32..=43 => rng.gen_range(31..=60),
        _ => rng.gen_range(61..=max_ahead.max(61)),
    }
}

fn years_before(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(12 * years)).unwrap_or(d)
}

fn years_after(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_add_months(Months::new(12 * years)).unwrap_or(d)
}

/// Generates the office's data from a seed, relative to `today`.
pub(crate) fn generate(
    seed: u64,
    issued: usize,
    in_process: usize,
    today: NaiveDate,
) -> PermitData {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5111_CA47_1C00_0000);
    let types = permit_types();
    let total_weight: u32 = types.iter().map(|t| t.weight).sum();

    let mut drafts: Vec<Draft> = Vec::with_capacity(issued);
    while drafts.len() < issued {
        // Now and then a renewal of an earlier permit: same applicant, same type.
        if drafts.len() > 20 && rng.gen_bool(0.06) {
            let j = rng.gen_range(0..drafts.len());
            if let Some(old) = drafts.get(j) {
                let validity = types.get(old.type_idx).map_or(0, |t| t.validity_years);
                if let (Some(old_exp), true) = (old.expiry, validity > 0) {
                    let issued_on = old_exp - TimeDelta::days(rng.gen_range(0..30));
                    let expiry = years_after(issued_on, validity);
                    if issued_on < today && expiry <= today + TimeDelta::days(1095) {
                        let renewal = Draft {
                            type_idx: old.type_idx,
                            applicant: old.applicant.clone(),
                            received: issued_on - TimeDelta::days(rng.gen_range(3..25)),
                            issued: issued_on,
                            expiry: Some(expiry),
                        };
                        drafts.push(renewal);
                        continue;
                    }
                }
            }
        }
        let type_idx = weighted_type(&mut rng, &types, total_weight);
        let Some(t) = types.get(type_idx) else {
            continue;
        };
        let (issued_on, expiry) = if t.validity_years == 0 {
            (today - TimeDelta::days(rng.gen_range(10..3650)), None)
        } else {
            let expiry = today + TimeDelta::days(days_to_expiry(&mut rng, t.validity_years));
            let issued_on = years_before(expiry, t.validity_years);
            (issued_on.min(today - TimeDelta::days(3)), Some(expiry))
        };
        let received = issued_on - TimeDelta::days(rng.gen_range(2..30));
        let applicant = applicant(&mut rng, t, received);
        drafts.push(Draft {
            type_idx,
            applicant,
            received,
            issued: issued_on,
            expiry,
        });
    }
    // Stable order: by the day the file was received, as the office numbers them.
    drafts.sort_by_key(|d| d.received);

    let mut per_year: HashMap<i32, u32> = HashMap::new();
    let mut issued_rows = Vec::with_capacity(drafts.len());
    let mut by_no_surat = HashMap::with_capacity(drafts.len());
    for (i, d) in drafts.iter().enumerate() {
        let Some(t) = types.get(d.type_idx) else {
            continue;
        };
        let a = &d.applicant;
        let (kec_name, kels) = KECAMATAN
            .get(a.kec)
            .copied()
            .unwrap_or(("LUBUK PAKAM", &[]));
        let kel_name = kels.get(a.kel).copied().unwrap_or(kec_name);
        let seq = per_year.entry(d.issued.year()).or_insert(0);
        *seq += 1;
        let suffix = ["KK", "KK", "KK", "PPTSP", "DS"][i % 5];
        let no_surat = format!(
            "503.{}/{:04}/DPMPPTSP-DS/{:02}/{}/{}",
            t.klas,
            seq,
            d.issued.month(),
            d.issued.year(),
            suffix
        );
        let pendaftaran_id = format!(
            "{:02}{:06}{}",
            a.kec + 1,
            i + 1,
            d.received.format("%d%m%Y")
        );
        // Legacy rows: a zero date, or nothing at all.
        let d_terima_berkas = match rng.gen_range(0..200) {
            0..=4 => "0000-00-00".to_string(),
            5..=7 => String::new(),
            _ => ymd(d.received),
        };
        let tgl_surat = if rng.gen_range(0..100) < 2 {
            "0000-00-00".to_string()
        } else {
            ymd(d.issued)
        };
        let d_berlaku_izin = match d.expiry {
            Some(e) => ymd(e),
            None if rng.gen_bool(0.5) => "0000-00-00".to_string(),
            None => String::new(),
        };
        by_no_surat.insert(no_surat.clone(), issued_rows.len());
        issued_rows.push(Permit {
            pendaftaran_id,
            n_pemohon: a.name.clone(),
            n_perizinan: spelled(&mut rng, t.name),
            no_surat,
            d_terima_berkas,
            tgl_surat,
            d_berlaku_izin,
            a_pemohon: a.address.clone(),
            telp_pemohon: a.phone.clone(),
            n_perusahaan: a.company.clone(),
            npwp: a.npwp.clone(),
            a_perusahaan: a.company_address.clone(),
            d_tgl_berdiri: a.founded.clone(),
            i_telp_perusahaan: a.company_phone.clone(),
            n_kecamatan: kec_name.to_string(),
            n_kabupaten: KABUPATEN.to_string(),
            n_propinsi: PROPINSI.to_string(),
            n_kelurahan: kel_name.to_string(),
            as_array: rng.gen_bool(0.3),
        });
    }

    let mut process_rows = Vec::with_capacity(in_process);
    let mut process_dates: Vec<NaiveDate> = (0..in_process)
        .map(|_| today - TimeDelta::days(rng.gen_range(0..120)))
        .collect();
    process_dates.sort();
    for (k, received) in process_dates.into_iter().enumerate() {
        let type_idx = weighted_type(&mut rng, &types, total_weight);
        let Some(t) = types.get(type_idx) else {
            continue;
        };
        let kec = rng.gen_range(0..KECAMATAN.len());
        process_rows.push(InProcess {
            pendaftaran_id: format!(
                "{:02}{:06}{}",
                kec + 1,
                issued + k + 1,
                received.format("%d%m%Y")
            ),
            n_pemohon: person_name(&mut rng, t),
            n_perizinan: spelled(&mut rng, t.name),
            status: pick(&mut rng, PROCESS_STATUS).to_string(),
            d_terima_berkas: ymd(received),
        });
    }

    PermitData {
        types,
        issued: issued_rows,
        in_process: process_rows,
        by_no_surat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 10, 1).unwrap_or_default()
    }

    #[test]
    fn same_seed_same_data() {
        let a = generate(7, 300, 20, today());
        let b = generate(7, 300, 20, today());
        assert_eq!(a.issued.len(), 300);
        assert_eq!(a.in_process.len(), 20);
        for (x, y) in a.issued.iter().zip(&b.issued) {
            assert_eq!(x.pendaftaran_id, y.pendaftaran_id);
            assert_eq!(x.no_surat, y.no_surat);
            assert_eq!(x.n_pemohon, y.n_pemohon);
        }
        let c = generate(8, 300, 20, today());
        assert_ne!(a.issued[5].n_pemohon, c.issued[5].n_pemohon);
    }

    #[test]
    fn ids_and_numbers_are_unique_and_well_formed() {
        let d = generate(1, 1200, 150, today());
        let mut ids: Vec<&str> = d.issued.iter().map(|p| p.pendaftaran_id.as_str()).collect();
        ids.extend(d.in_process.iter().map(|p| p.pendaftaran_id.as_str()));
        assert!(ids
            .iter()
            .all(|i| i.len() == 16 && i.bytes().all(|b| b.is_ascii_digit())));
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n);
        assert_eq!(d.by_no_surat.len(), 1200);
        for p in &d.issued {
            assert!(p.no_surat.starts_with("503."), "{}", p.no_surat);
            assert_eq!(p.no_surat.matches('/').count(), 5);
            assert!(d.by_no_surat(&p.no_surat).is_some());
        }
    }

    #[test]
    fn expiry_spread_covers_every_status() {
        let d = generate(3, 1200, 0, today());
        let (mut expired, mut critical, mut warning, mut ok, mut unknown) = (0, 0, 0, 0, 0);
        for p in &d.issued {
            match NaiveDate::parse_from_str(&p.d_berlaku_izin, "%Y-%m-%d") {
                Ok(e) => match (e - today()).num_days() {
                    ..=-1 => expired += 1,
                    0..=30 => critical += 1,
                    31..=60 => warning += 1,
                    _ => ok += 1,
                },
                Err(_) => unknown += 1,
            }
        }
        assert!(expired > 100 && critical > 50 && warning > 50 && ok > 300 && unknown > 10);
    }
}
