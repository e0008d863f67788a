//! What an import tells its caller: every problem with its line and column, the counts, and the problems again
//! as a workbook to fix the file from. Every import (directory, questions, lesson catalogue, enrolments,
//! institution results) reports in this shape.
use poem_openapi::Object;

use super::xlsx_error;
use crate::platform::{
    error::{AppResult, FieldError},
    i18n::{self, Params, ProblemCode, Text, catalogue::tabular as m},
};

/// One problem in an import file.
#[derive(Debug, Clone, Object, PartialEq)]
#[oai(skip_serializing_if_is_none)]
pub struct ImportRowError {
    /// Spreadsheet line, 1-based; the header row is line 1, the first data row line 2.
    pub line: u64,
    /// The column header as written in the file (or the expected header when the column is missing);
    /// empty when the problem concerns the whole row.
    pub column: String,
    /// Why the value was rejected, as a catalogue code (clients can rely on it rather than on `message`).
    pub code: ProblemCode,
    /// Why the value was rejected, in the request's language.
    pub message: String,
    /// The reason's parameters.
    pub params: Option<Box<Params>>,
}

impl ImportRowError {
    /// A problem whose reason is a catalogue entry, rendered in the current request's language.
    pub fn new(line: u64, column: impl Into<String>, reason: impl Into<Text>) -> Self {
        let reason = reason.into();
        debug_assert!(
            reason.code().is_some(),
            "an import row error needs a catalogue entry: {reason:?}"
        );
        Self {
            line,
            column: column.into(),
            code: reason.code().unwrap_or(INVALID_VALUE).into(),
            message: reason.render_current(),
            params: reason.params().map(Box::new),
        }
    }

    /// A field rule's reason (the same rules as the single-record API) reported on a line and column of the file.
    pub fn from_field(line: u64, column: impl Into<String>, error: FieldError) -> Self {
        Self {
            line,
            column: column.into(),
            code: error.code.unwrap_or_else(|| INVALID_VALUE.into()),
            message: error.message,
            params: error.params,
        }
    }
}

/// The code of a reason that names no entry of its own.
const INVALID_VALUE: &str = "invalid_value";

/// The outcome of an import, dry run or not.
#[derive(Debug, Clone, Object, PartialEq)]
#[oai(skip_serializing_if_is_none)]
pub struct ImportReport {
    /// Data rows in the file (blank rows are not counted).
    pub total_rows: u64,
    /// Rows without any problem.
    pub valid_rows: u64,
    /// Rows that create a new record: written when `committed`, otherwise what a commit would create.
    pub created: u64,
    /// Rows that update an existing record: written when `committed`, otherwise what a commit would update.
    pub updated: u64,
    /// True only when every row was written. A file with any error writes nothing (`committed = false`).
    pub committed: bool,
    /// Every problem found, in line order.
    pub errors: Vec<ImportRowError>,
}

/// Every problem of an import as a workbook the user can fix their file from.
pub fn error_report_xlsx(errors: &[ImportRowError]) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(i18n::t(m::ErrorReportSheet))
        .map_err(xlsx_error)?;
    let titles = [
        i18n::t(m::ErrorReportLine),
        i18n::t(m::ErrorReportColumn),
        i18n::t(m::ErrorReportMessage),
    ];
    for (col, title) in titles.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, title, &bold)
            .map_err(xlsx_error)?;
    }
    sheet.set_column_width(1, 18).map_err(xlsx_error)?;
    sheet.set_column_width(2, 80).map_err(xlsx_error)?;
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    for (i, e) in errors.iter().enumerate() {
        let row = i as u32 + 1;
        sheet
            .write_number(row, 0, e.line as f64)
            .map_err(xlsx_error)?;
        sheet.write_string(row, 1, &e.column).map_err(xlsx_error)?;
        sheet.write_string(row, 2, &e.message).map_err(xlsx_error)?;
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_report_is_a_workbook() {
        let error = ImportRowError::new(
            3,
            "身份证号",
            m::CellRequired {
                name: "身份证号".into(),
            },
        );
        assert_eq!(error.code, "cell_required");
        let bytes = error_report_xlsx(&[error]).expect("xlsx");
        let sheet = super::super::read::read(&bytes, &super::super::read::SheetBudget::new(10, 4))
            .expect("parses");
        assert_eq!(sheet.headers, vec!["行号", "列", "错误"]);
        assert_eq!(
            sheet.rows[0].cells,
            vec!["3", "身份证号", "身份证号不能为空"]
        );
    }
}
