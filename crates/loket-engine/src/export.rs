//! Writing what the user exports (pivot tables, wizard failures) as CSV or XLSX, with
//! well-kept writers: `csv` quotes and escapes, `rust_xlsxwriter` keeps numbers numeric.

use std::path::{Path, PathBuf};

use loket_core::{ExportCell, ExportFormat, ExportRequest};

use crate::{Engine, EngineError, Result};

/// Cells that a spreadsheet would run as a formula are written as text with a leading
/// apostrophe, so an exported applicant name can never become a formula.
fn defused(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn csv_bytes(request: &ExportRequest) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| EngineError::Internal(format!("CSV export: {e}"));
    w.write_record(&request.columns).map_err(fail)?;
    for row in &request.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                ExportCell::Number(n) => n.to_string(),
                ExportCell::Text(t) => defused(t),
                ExportCell::Empty => String::new(),
            })
            .collect();
        w.write_record(&cells).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| EngineError::Internal(format!("CSV export: {e}")))
}

fn xlsx_bytes(request: &ExportRequest) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| EngineError::Internal(format!("XLSX export: {e}"));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    for (c, name) in request.columns.iter().enumerate() {
        let col = u16::try_from(c).map_err(|_| EngineError::Internal("too many columns".into()))?;
        sheet
            .write_string_with_format(0, col, name, &bold)
            .map_err(fail)?;
    }
    for (r, row) in request.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| EngineError::Internal("too many rows".into()))?;
        for (c, cell) in row.iter().enumerate() {
            let c =
                u16::try_from(c).map_err(|_| EngineError::Internal("too many columns".into()))?;
            match cell {
                ExportCell::Number(n) => sheet.write_number(r, c, *n).map(|_| ()),
                // Strings are written as strings: XLSX never evaluates them.
                ExportCell::Text(t) => sheet.write_string(r, c, t).map(|_| ()),
                ExportCell::Empty => Ok(()),
            }
            .map_err(fail)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

/// `name`, or `name (2)`… when a file of that name exists: an export never overwrites.
fn free_path(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    if !path.exists() {
        return path;
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    (2..)
        .map(|n| dir.join(format!("{stem} ({n}).{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(path)
}

impl Engine {
    /// Where exports go: `LOKET_EXPORT_DIR`, else the user's Downloads folder, else the data
    /// folder's `exports/`.
    fn exports_dir(&self) -> PathBuf {
        if let Some(dir) = std::env::var_os("LOKET_EXPORT_DIR") {
            return PathBuf::from(dir);
        }
        directories::UserDirs::new()
            .and_then(|u| u.download_dir().map(Path::to_path_buf))
            .unwrap_or_else(|| self.inner.data_dir.join("exports"))
    }

    /// Writes an export and returns the file's full path.
    pub async fn export_table(&self, request: ExportRequest) -> Result<String> {
        let dir = self.exports_dir();
        tokio::task::spawn_blocking(move || {
            let bytes = match request.format {
                ExportFormat::Csv => csv_bytes(&request)?,
                ExportFormat::Xlsx => xlsx_bytes(&request)?,
            };
            std::fs::create_dir_all(&dir).map_err(|e| EngineError::io(&dir, e))?;
            let path = free_path(&dir, &request.safe_file_name());
            // Written beside and renamed, so a full disk never leaves half a file behind.
            let partial = path.with_extension("partial");
            std::fs::write(&partial, &bytes).map_err(|e| {
                let _ = std::fs::remove_file(&partial);
                EngineError::io(&path, e)
            })?;
            std::fs::rename(&partial, &path).map_err(|e| EngineError::io(&path, e))?;
            Ok(path.display().to_string())
        })
        .await
        .map_err(|e| EngineError::Internal(e.to_string()))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(format: ExportFormat) -> ExportRequest {
        ExportRequest {
            file_name: "pivot".into(),
            format,
            columns: vec!["Type".into(), "Count".into()],
            rows: vec![
                vec![
                    ExportCell::Text("Izin, \"Apotek\"".into()),
                    ExportCell::Number(12.0),
                ],
                vec![
                    ExportCell::Text("=HYPERLINK(\"x\")".into()),
                    ExportCell::Empty,
                ],
            ],
        }
    }

    #[test]
    fn csv_quotes_text_keeps_numbers_and_defuses_formulas() {
        let text = String::from_utf8(csv_bytes(&request(ExportFormat::Csv)).unwrap_or_default())
            .unwrap_or_default();
        assert_eq!(
            text,
            "Type,Count\n\"Izin, \"\"Apotek\"\"\",12\n\"'=HYPERLINK(\"\"x\"\")\",\n"
        );
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = xlsx_bytes(&request(ExportFormat::Xlsx)).unwrap_or_default();
        assert!(bytes.starts_with(b"PK"), "an XLSX file is a zip archive");
        assert!(bytes.len() > 1000);
    }

    #[test]
    fn an_existing_file_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("a.csv"), "x").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(free_path(dir.path(), "a.csv"), dir.path().join("a (2).csv"));
        assert_eq!(free_path(dir.path(), "b.csv"), dir.path().join("b.csv"));
    }
}
