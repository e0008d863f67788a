//! Tabular I/O: every import reads its spreadsheet here ([`read`], within its own [`SheetBudget`]), matches its
//! columns ([`columns`]) and reports problems in one shape ([`row_errors`]); every export writes its CSV or XLSX
//! here ([`write`]) and leaves as a named download ([`download`]). Domains declare their columns, budgets and
//! rules; how a cell is read, neutralised or streamed is decided once, in this module.
pub mod columns;
pub mod download;
pub mod read;
pub mod row_errors;
pub mod write;

use poem_openapi::Enum;

pub use columns::{
    ColumnSpec, DuplicateTracker, ExportColumn, HeaderMap, RowReader, exported, finish_report,
    is_header, map_headers, parse_bool,
};
pub use download::{
    Download, ImportUpload, JsonFile, PdfFile, attachment_disposition, read_upload,
};
pub use read::{Sheet, SheetBudget, SheetRow};
pub use row_errors::{ImportReport, ImportRowError};
pub use write::{
    Cell, CsvCell, CsvSheet, PipedSink, Sink, headers_in_current_language, neutralise_csv_text,
};

/// A failure of the XLSX writer: ours, never the user's (500).
pub fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> crate::platform::error::AppError {
    crate::platform::error::AppError::internal(format!("xlsx: {e}"))
}

/// Spreadsheet formats for templates, exports and error reports.
#[derive(Debug, Clone, Copy, Enum, PartialEq, Eq, Default)]
#[oai(rename_all = "lowercase")]
pub enum FileFormat {
    #[default]
    Xlsx,
    Csv,
}

pub const XLSX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const CSV_CONTENT_TYPE: &str = "text/csv; charset=utf-8";

impl FileFormat {
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Xlsx => "xlsx",
            FileFormat::Csv => "csv",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileFormat::Xlsx => XLSX_CONTENT_TYPE,
            FileFormat::Csv => CSV_CONTENT_TYPE,
        }
    }
}
