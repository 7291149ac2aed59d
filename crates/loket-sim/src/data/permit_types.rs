//! The permit office's permit types (`jenisperizinanlist`).

/// One permit type.
#[derive(Clone, Debug)]
pub(crate) struct PermitType {
    /// Row id in the office database.
    pub(crate) id: u32,
    /// Name as listed (`n_perizinan`).
    pub(crate) name: &'static str,
    /// Short code (`c_perizinan`).
    pub(crate) code: String,
    /// Years a permit of this type is valid; 0 = does not expire.
    pub(crate) validity_years: u32,
    /// Relative frequency among generated permits.
    pub(crate) weight: u32,
    /// Letter classification number used in `no_surat`.
    pub(crate) klas: &'static str,
}

/// (name, validity years, weight, classification).
const TYPES: &[(&str, u32, u32, &str)] = &[
    ("IZIN GANGGUAN USAHA (HO)", 5, 9, "530.570"),
    ("IZIN MENDIRIKAN BANGUNAN (IMB)", 0, 8, "648"),
    ("SURAT IZIN USAHA PERDAGANGAN (SIUP) KECIL", 5, 9, "510.1"),
    (
        "SURAT IZIN USAHA PERDAGANGAN (SIUP) MENENGAH",
        5,
        5,
        "510.2",
    ),
    ("SURAT IZIN USAHA PERDAGANGAN (SIUP) BESAR", 5, 2, "510.3"),
    ("TANDA DAFTAR PERUSAHAAN (TDP)", 5, 9, "511"),
    ("IZIN PRAKTEK DOKTER", 5, 6, "445.1"),
    ("IZIN PRAKTEK DOKTER GIGI", 5, 3, "445.2"),
    ("IZIN PRAKTEK DOKTER SPESIALIS", 5, 2, "445.3"),
    ("IZIN PRAKTEK BIDAN (SIPB)", 5, 5, "445.4"),
    ("IZIN PRAKTEK PERAWAT (SIPP)", 5, 4, "445.5"),
    ("IZIN PRAKTEK APOTEKER (SIPA)", 5, 3, "445.6"),
    ("IZIN PRAKTEK FISIOTERAPIS", 5, 1, "445.7"),
    ("IZIN APOTEK", 5, 4, "445.8"),
    ("IZIN TOKO OBAT", 5, 2, "445.9"),
    ("IZIN KLINIK PRATAMA", 5, 2, "445.10"),
    ("IZIN KLINIK UTAMA", 5, 1, "445.11"),
    ("IZIN LABORATORIUM KLINIK", 5, 1, "445.12"),
    ("IZIN OPTIK", 5, 1, "445.13"),
    ("IZIN OPERASIONAL RUMAH SAKIT", 5, 1, "445.14"),
    ("IZIN USAHA INDUSTRI (IUI)", 5, 2, "536.1"),
    ("TANDA DAFTAR INDUSTRI (TDI)", 5, 2, "536.2"),
    ("IZIN USAHA JASA KONSTRUKSI (IUJK)", 3, 3, "602"),
    ("IZIN REKLAME", 1, 4, "973"),
    ("IZIN USAHA TOKO MODERN (IUTM)", 5, 1, "510.4"),
    ("IZIN USAHA PUSAT PERBELANJAAN (IUPP)", 5, 1, "510.5"),
    ("TANDA DAFTAR GUDANG (TDG)", 5, 1, "510.6"),
    (
        "SURAT IZIN USAHA PERDAGANGAN MINUMAN BERALKOHOL (SIUP-MB)",
        3,
        1,
        "510.7",
    ),
    ("IZIN USAHA HOTEL", 5, 1, "556.1"),
    ("TANDA DAFTAR USAHA PARIWISATA (TDUP)", 5, 2, "556.2"),
    ("IZIN USAHA RUMAH MAKAN", 5, 2, "556.3"),
    ("IZIN USAHA PERIKANAN (IUP)", 5, 1, "523"),
    ("IZIN USAHA PETERNAKAN", 5, 1, "524"),
    ("IZIN USAHA PERKEBUNAN (IUP-B)", 0, 1, "525"),
    ("IZIN LOKASI", 3, 1, "593.1"),
    ("IZIN PEMANFAATAN RUANG (IPR)", 3, 1, "650.1"),
    ("IZIN PERUNTUKAN PENGGUNAAN TANAH (IPPT)", 3, 1, "593.2"),
    ("IZIN LINGKUNGAN", 0, 1, "660.1"),
    ("IZIN PEMBUANGAN AIR LIMBAH (IPLC)", 5, 1, "660.2"),
    ("IZIN PENYIMPANAN SEMENTARA LIMBAH B3", 5, 1, "660.3"),
    ("IZIN PENGAMBILAN AIR TANAH (SIPA)", 3, 1, "546"),
    ("IZIN USAHA ANGKUTAN", 5, 1, "551.1"),
    ("IZIN TRAYEK", 5, 1, "551.2"),
    ("IZIN USAHA BENGKEL", 5, 2, "551.3"),
    ("IZIN PENYELENGGARAAN PARKIR", 1, 1, "551.4"),
    ("IZIN USAHA SALON KECANTIKAN", 5, 2, "556.4"),
    ("IZIN USAHA SPA", 5, 1, "556.5"),
    ("IZIN USAHA KARAOKE", 1, 1, "556.6"),
    ("IZIN USAHA BILIAR", 1, 1, "556.7"),
    ("IZIN PENDIRIAN SATUAN PENDIDIKAN (PAUD)", 0, 1, "421.1"),
    ("IZIN OPERASIONAL SEKOLAH", 4, 1, "421.2"),
    ("IZIN LEMBAGA KURSUS DAN PELATIHAN (LKP)", 3, 1, "421.3"),
    ("IZIN USAHA SIMPAN PINJAM KOPERASI", 5, 1, "518.1"),
    ("IZIN PENDIRIAN KOPERASI", 0, 1, "518.2"),
    ("IZIN USAHA MIKRO KECIL (IUMK)", 5, 4, "517"),
    ("IZIN USAHA PENGGILINGAN PADI", 5, 1, "521.1"),
    ("IZIN USAHA PERTAMBANGAN (IUP) BATUAN", 5, 1, "540"),
    ("IZIN PENGGUNAAN JALAN", 1, 1, "620"),
    ("IZIN PEMBANGUNAN MENARA TELEKOMUNIKASI", 5, 1, "555.1"),
    ("IZIN USAHA PENYEDIAAN TENAGA LISTRIK", 5, 1, "671"),
    ("SERTIFIKAT LAIK FUNGSI (SLF)", 5, 2, "648.1"),
    ("IZIN KERAMAIAN", 1, 1, "331"),
    ("IZIN USAHA TEMPAT PEMAKAMAN", 0, 1, "474"),
    ("IZIN USAHA RUMAH POTONG HEWAN", 5, 1, "524.1"),
    ("IZIN PRAKTEK DOKTER HEWAN", 5, 1, "524.2"),
    ("IZIN USAHA OBAT HEWAN", 5, 1, "524.3"),
    ("IZIN PENGELOLAAN PASAR RAKYAT", 5, 1, "511.1"),
    ("IZIN USAHA WARNET", 3, 1, "555.2"),
    ("IZIN PENYELENGGARAAN RADIO", 5, 1, "555.3"),
    ("IZIN PRAKTEK TENAGA TEKNIS KEFARMASIAN", 5, 2, "445.15"),
    ("IZIN PRAKTEK PSIKOLOGI KLINIS", 5, 1, "445.16"),
    ("IZIN PRAKTEK OKUPASI TERAPIS", 5, 1, "445.17"),
    ("IZIN PRAKTEK TERAPIS WICARA", 5, 1, "445.18"),
    ("IZIN PRAKTEK REFRAKSIONIS OPTISIEN", 5, 1, "445.19"),
    ("IZIN PRAKTEK RADIOGRAFER", 5, 1, "445.20"),
    ("IZIN PRAKTEK AHLI GIZI", 5, 1, "445.21"),
    ("IZIN PRAKTEK PENATA ANESTESI", 5, 1, "445.22"),
    ("IZIN USAHA DEPOT AIR MINUM", 3, 2, "443.1"),
    ("SERTIFIKAT LAIK HYGIENE SANITASI", 3, 2, "443.2"),
    ("IZIN USAHA PEMBENIHAN IKAN", 5, 1, "523.1"),
    ("IZIN USAHA KAWASAN INDUSTRI", 0, 1, "536.3"),
    ("IZIN PERLUASAN INDUSTRI", 5, 1, "536.4"),
    ("IZIN MENDIRIKAN BANGUNAN MENARA (IMB-M)", 0, 1, "648.2"),
    ("IZIN PENYELENGGARAAN PELATIHAN KERJA", 3, 1, "560"),
    ("IZIN USAHA ANGKUTAN SEWA KHUSUS", 5, 1, "551.5"),
    ("SERTIFIKAT HALAL", 4, 5, "451.7"),
    ("IZIN EDAR BPOM", 5, 3, "443.3"),
    ("SPP-IRT (PIRT)", 5, 5, "443.4"),
    ("SERTIFIKAT SNI", 4, 2, "530.1"),
];

/// Builds the permit type list with unique codes.
pub(crate) fn permit_types() -> Vec<PermitType> {
    let mut used: Vec<String> = Vec::new();
    TYPES
        .iter()
        .zip(1u32..)
        .map(|(&(name, validity_years, weight, klas), id)| {
            let base = code_for(name);
            let mut code = base.clone();
            let mut n = 2;
            while used.contains(&code) {
                code = format!("{base}{n}");
                n += 1;
            }
            used.push(code.clone());
            PermitType {
                id,
                name,
                code,
                validity_years,
                weight,
                klas,
            }
        })
        .collect()
}

/// The short code: the parenthesised abbreviation when there is one, else the initials.
fn code_for(name: &str) -> String {
    if let (Some(open), Some(close)) = (name.find('('), name.rfind(')')) {
        if open < close {
            if let Some(inner) = name.get(open + 1..close) {
                return inner.to_string();
            }
        }
    }
    const SKIP: &[&str] = &["DAN", "DI", "KE"];
    name.split_whitespace()
        .filter(|w| !SKIP.contains(w))
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_89_types_with_unique_codes() {
        let t = permit_types();
        assert_eq!(t.len(), 89);
        let mut codes: Vec<_> = t.iter().map(|p| p.code.clone()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 89);
        assert_eq!(t[0].code, "HO");
        assert!(t.iter().any(|p| p.name == "SERTIFIKAT HALAL"));
    }
}
