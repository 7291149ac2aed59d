//! A table the user exports (pivot, wizard failures) exactly as shown: named columns, typed cells.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }
}

/// One cell: text, a number (kept numeric in spreadsheets), or empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum ExportCell {
    Number(f64),
    Text(String),
    Empty,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportRequest {
    /// The file's name without folder; the extension is added when missing.
    pub file_name: String,
    pub format: ExportFormat,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<ExportCell>>,
}

impl ExportRequest {
    /// A safe file name: no folders, no characters file systems reject, the right extension.
    pub fn safe_file_name(&self) -> String {
        let stem: String = self
            .file_name
            .chars()
            .map(|c| match c {
                '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
                c if c.is_control() => '-',
                c => c,
            })
            .collect();
        let stem = stem.trim().trim_start_matches('.');
        let stem = if stem.is_empty() { "export" } else { stem };
        let ext = self.format.extension();
        if stem.to_lowercase().ends_with(&format!(".{ext}")) {
            stem.to_string()
        } else {
            format!("{stem}.{ext}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(name: &str, format: ExportFormat) -> ExportRequest {
        ExportRequest {
            file_name: name.into(),
            format,
            columns: vec![],
            rows: vec![],
        }
    }

    #[test]
    fn file_names_lose_folders_and_get_their_extension() {
        assert_eq!(
            request("../../etc/passwd", ExportFormat::Csv).safe_file_name(),
            "-..-etc-passwd.csv"
        );
        assert_eq!(
            request("pivot.xlsx", ExportFormat::Xlsx).safe_file_name(),
            "pivot.xlsx"
        );
        assert_eq!(
            request("  ", ExportFormat::Csv).safe_file_name(),
            "export.csv"
        );
    }

    #[test]
    fn cells_read_numbers_text_and_null() {
        let cells: Vec<ExportCell> = serde_json::from_str(r#"[1.5, "a", null]"#).expect("cells");
        assert_eq!(
            cells,
            vec![
                ExportCell::Number(1.5),
                ExportCell::Text("a".into()),
                ExportCell::Empty
            ]
        );
    }
}
