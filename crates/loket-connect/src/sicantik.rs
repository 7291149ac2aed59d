//! The permit office's API (SICANTIK): counts, permit types and permit lists.

use std::sync::Arc;

use chrono::NaiveDate;
use loket_core::ErrorCategory;

use crate::error::{FailureKind, RemoteError};
use crate::http::{ConnectionClient, RemoteRequest};
use crate::records::{self, parse_records, Record};

/// Reads of a reply that arrives garbled before giving up.
const MALFORMED_ATTEMPTS: u32 = 3;

/// The permit office's totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PermitCounts {
    pub total: i64,
    pub issued: i64,
    pub in_process: i64,
}

/// A permit type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitType {
    pub remote_id: String,
    pub name: String,
    pub code: Option<String>,
}

/// A permit from a list endpoint (issued or in process).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPermit {
    pub registration_id: String,
    pub applicant: String,
    pub permit_type: String,
    pub permit_number: Option<String>,
    pub received: Option<NaiveDate>,
    pub remote_status: Option<String>,
    /// Some offices include the expiry in list replies: then the second step is skipped.
    pub expiry: Option<NaiveDate>,
}

/// One permit's full record from `cekperizinan`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitDetail {
    pub registration_id: Option<String>,
    pub permit_number: String,
    pub expiry: Option<NaiveDate>,
    pub issued: Option<NaiveDate>,
    pub company: Option<String>,
    pub npwp: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// Which permit list to page through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermitList {
    Issued,
    InProcess,
}

impl PermitList {
    fn endpoint(self) -> &'static str {
        match self {
            Self::Issued => "listpermohonanterbit",
            Self::InProcess => "listpermohonanproses",
        }
    }
}

/// A page whose records could not all be read: the good ones, and why the others failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Records in the reply, readable or not: paging stops when this falls short of the limit.
    pub raw_count: usize,
    pub rejected: Vec<String>,
}

/// Client of one permit office.
#[derive(Clone)]
pub struct SicantikClient {
    http: Arc<ConnectionClient>,
    api_key: Option<String>,
}

impl std::fmt::Debug for SicantikClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SicantikClient")
            .field("http", &self.http)
            .finish_non_exhaustive()
    }
}

impl SicantikClient {
    /// Wraps the connection's HTTP client.
    pub fn new(http: Arc<ConnectionClient>) -> Self {
        Self {
            http,
            api_key: None,
        }
    }

    /// Sends this key as a bearer token (most permit offices need none).
    pub fn with_api_key(mut self, key: Option<&str>) -> Self {
        self.api_key = key.filter(|k| !k.is_empty()).map(str::to_string);
        self
    }

    /// Fetches and parses; a garbled or truncated reply to these reads is fetched again.
    async fn records(
        &self,
        request: RemoteRequest,
        what: &str,
    ) -> Result<Vec<Record>, RemoteError> {
        let mut request = request.header("Accept", "application/json");
        if let Some(key) = &self.api_key {
            request = request.header("Authorization", format!("Bearer {key}"));
        }
        let mut attempt = 0;
        loop {
            let response = self.http.send(request.clone()).await?;
            match parse_records(&response.body) {
                Ok(records) => return Ok(records),
                Err(e) if attempt + 1 >= MALFORMED_ATTEMPTS => {
                    return Err(RemoteError::malformed(what, e))
                }
                Err(e) => {
                    tracing::debug!(what, error = %e, "unreadable reply, fetching again");
                    attempt += 1;
                }
            }
        }
    }

    /// Totals (`jumlahPerizinan`).
    pub async fn counts(&self) -> Result<PermitCounts, RemoteError> {
        let records = self
            .records(RemoteRequest::get("jumlahPerizinan"), "the permit count")
            .await?;
        let r = records
            .first()
            .ok_or_else(|| RemoteError::malformed("the permit count", "no record"))?;
        let total = records::number(r, "total");
        let issued = records::number(r, "terbit");
        let in_process = records::number(r, "proses");
        match (total, issued, in_process) {
            (Some(total), issued, in_process) => Ok(PermitCounts {
                total,
                issued: issued.unwrap_or(0),
                in_process: in_process.unwrap_or(0),
            }),
            _ => Err(RemoteError::new(
                FailureKind::Malformed,
                ErrorCategory::Validation,
                "This address answered, but not like a SICANTIK permit API (no permit totals).",
            )),
        }
    }

    /// Permit types (`jenisperizinanlist`); unreadable entries are reported, not fatal.
    pub async fn permit_types(&self) -> Result<Page<PermitType>, RemoteError> {
        let records = self
            .records(
                RemoteRequest::get("jenisperizinanlist"),
                "the permit type list",
            )
            .await?;
        let mut page = Page {
            raw_count: records.len(),
            items: Vec::new(),
            rejected: Vec::new(),
        };
        for r in records {
            match (records::text(&r, "id"), records::text(&r, "n_perizinan")) {
                (Some(remote_id), Some(name)) => page.items.push(PermitType {
                    remote_id,
                    name: normalize_type_name(&name),
                    code: records::text(&r, "c_perizinan"),
                }),
                _ => page
                    .rejected
                    .push(format!("permit type without id or name: {r:?}")),
            }
        }
        Ok(page)
    }

    /// One page of a permit list.
    pub async fn permits(
        &self,
        list: PermitList,
        limit: u32,
        offset: u64,
    ) -> Result<Page<ListedPermit>, RemoteError> {
        let request = RemoteRequest::get(list.endpoint())
            .query("limit", limit)
            .query("offset", offset);
        let records = self.records(request, "the permit list").await?;
        let mut page = Page {
            raw_count: records.len(),
            items: Vec::new(),
            rejected: Vec::new(),
        };
        for r in records {
            match listed_permit(&r) {
                Some(p) => page.items.push(p),
                None => page.rejected.push(format!(
                    "permit without registration id or applicant: {r:?}"
                )),
            }
        }
        Ok(page)
    }
}

impl SicantikClient {
    /// The full record of one permit (`cekperizinan?no_izin=<base64 of the permit number>`).
    pub async fn check_permit(&self, permit_number: &str) -> Result<PermitDetail, RemoteError> {
        use base64::Engine;
        let encoded = base64::engine::general_purpose::STANDARD.encode(permit_number.as_bytes());
        let request = RemoteRequest::get("cekperizinan").query("no_izin", encoded);
        let records = self.records(request, "the permit lookup").await?;
        let r = records.first().ok_or_else(|| {
            RemoteError::new(
                FailureKind::Malformed,
                ErrorCategory::Validation,
                format!("The permit office returned nothing for permit {permit_number}."),
            )
        })?;
        Ok(permit_detail(r, permit_number))
    }
}

fn permit_detail(r: &Record, permit_number: &str) -> PermitDetail {
    let address = [
        records::text(r, "a_pemohon"),
        records::text(r, "n_kelurahan"),
        records::text(r, "n_kecamatan"),
        records::text(r, "n_kabupaten"),
        records::text(r, "n_propinsi"),
    ]
    .into_iter()
    .flatten()
    .map(|s| collapse_spaces(&s))
    .collect::<Vec<_>>()
    .join(", ");
    PermitDetail {
        registration_id: records::text(r, "pendaftaran_id"),
        permit_number: records::text(r, "no_surat").unwrap_or_else(|| permit_number.to_string()),
        expiry: records::date(r, "d_berlaku_izin"),
        issued: records::date(r, "tgl_surat"),
        company: records::text(r, "n_perusahaan").map(|s| collapse_spaces(&s)),
        npwp: records::text(r, "npwp"),
        phone: records::text(r, "telp_pemohon").or_else(|| records::text(r, "i_telp_perusahaan")),
        address: (!address.is_empty()).then_some(address),
    }
}

fn listed_permit(r: &Record) -> Option<ListedPermit> {
    Some(ListedPermit {
        registration_id: records::text(r, "pendaftaran_id")?,
        applicant: collapse_spaces(&records::text(r, "n_pemohon")?),
        permit_type: normalize_type_name(&records::text(r, "n_perizinan").unwrap_or_default()),
        permit_number: records::text(r, "no_surat"),
        received: records::date(r, "d_terima_berkas"),
        remote_status: records::text(r, "status"),
        expiry: records::date(r, "d_berlaku_izin"),
    })
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Permit type names differ in spacing and case between endpoints: compare them normalised.
pub fn normalize_type_name(name: &str) -> String {
    collapse_spaces(name).to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_normalised() {
        assert_eq!(
            normalize_type_name(" izin  praktek\tDokter "),
            "IZIN PRAKTEK DOKTER"
        );
    }

    #[test]
    fn a_listed_permit_needs_id_and_applicant() {
        let mut r = Record::new();
        r.insert("pendaftaran_id".into(), "0142307703072025".into());
        assert_eq!(listed_permit(&r), None);
        r.insert("n_pemohon".into(), "Budi  Santoso".into());
        r.insert("d_terima_berkas".into(), "0000-00-00".into());
        let p = listed_permit(&r);
        assert_eq!(
            p.as_ref().map(|p| p.applicant.as_str()),
            Some("Budi Santoso")
        );
        assert_eq!(p.and_then(|p| p.received), None);
    }
}
