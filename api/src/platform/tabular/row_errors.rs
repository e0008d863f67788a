//! What an import tells its caller: every problem with its line and column, the counts, and the problems again
//! as a workbook to fix the file from. Every import (directory, questions, lesson catalogue, enrolments,
//! institution results) reports in this shape.
use poem_openapi::Object;

use super::xlsx_error;
use crate::platform::error::AppResult;

/// One problem in an import file.
#[derive(Debug, Clone, Object, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct ImportRowError {
    /// Spreadsheet line, 1-based; the header row is line 1, the first data row line 2.
    pub line: u64,
    /// The column header as written in the file (or the expected header when the column is missing);
    /// empty when the problem concerns the whole row.
    pub column: String,
    /// Why the value was rejected, in the request's language.
    pub message: String,
}

impl ImportRowError {
    /// `message` may still be a bilingual "中文 / English" text: the report carries the request language's half.
    pub fn new(line: u64, column: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            line,
            column: column.into(),
            message: crate::platform::i18n::one_language(&message.into()),
        }
    }
}

/// The outcome of an import, dry run or not.
#[derive(Debug, Clone, Object, PartialEq, Eq)]
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
    sheet.set_name("错误 Errors").map_err(xlsx_error)?;
    for (col, title) in ["行号 Line", "列 Column", "错误 Message"]
        .iter()
        .enumerate()
    {
        sheet
            .write_string_with_format(0, col as u16, *title, &bold)
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
        let bytes = error_report_xlsx(&[ImportRowError::new(3, "身份证号", "bad")]).expect("xlsx");
        let sheet = super::super::read::read(&bytes, &super::super::read::SheetBudget::new(10, 4))
            .expect("parses");
        assert_eq!(sheet.rows[0].cells, vec!["3", "身份证号", "bad"]);
    }
}
