//! The columns an import expects, matched against the header row a file really has, and the values of a row
//! read by field key with each problem named by the file's own header.
use std::collections::HashMap;

use super::{
    read::SheetRow,
    row_errors::{ImportReport, ImportRowError},
};
use crate::platform::{
    error::FieldError,
    i18n::{self, Lang, catalogue::tabular as m},
};

/// One column of an import file: its field key (as the validators name it), the Chinese and English headers
/// accepted for it, whether it must be present, its length limit and the template's example value.
#[derive(Debug)]
pub struct ColumnSpec {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub required: bool,
    pub max_chars: usize,
    pub example: &'static str,
    /// Kept as text in XLSX templates, so Excel does not turn long digit strings into numbers.
    pub text: bool,
}

impl ColumnSpec {
    /// The column's header in the current request's language, to name it by in messages.
    pub fn header(&self) -> &'static str {
        match i18n::current_lang() {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

pub const fn column(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    required: bool,
    max_chars: usize,
    example: &'static str,
    text: bool,
) -> ColumnSpec {
    ColumnSpec {
        key,
        zh,
        en,
        required,
        max_chars,
        example,
        text,
    }
}

/// A column of an export of the same records as an import: written in the request's language, and read back
/// in either, as the import column `key` or (`None`, a column the export adds for people, such as a region's
/// name or a status) skipped.
#[derive(Debug)]
pub struct ExportColumn {
    pub key: Option<&'static str>,
    pub header: &'static dyn i18n::Message,
    pub width: f64,
}

pub const fn exported(
    key: Option<&'static str>,
    header: &'static dyn i18n::Message,
    width: f64,
) -> ExportColumn {
    ExportColumn { key, header, width }
}

impl ExportColumn {
    /// The headers and widths of an export, in the current request's language.
    pub fn headers(columns: &[ExportColumn]) -> Vec<(String, f64)> {
        columns
            .iter()
            .map(|c| (c.header.render(i18n::current_lang()), c.width))
            .collect()
    }
}

/// Where each expected column sits in the file, and the header text to name it by in errors.
#[derive(Debug)]
pub struct HeaderMap {
    columns: &'static [ColumnSpec],
    index: Vec<Option<usize>>,
    labels: Vec<String>,
}

impl HeaderMap {
    pub fn position(&self, key: &str) -> Option<usize> {
        let i = self.columns.iter().position(|c| c.key == key)?;
        self.index[i]
    }

    /// Where a column (named as in errors) sits in the file, so a row's errors come out left to right.
    pub fn file_position(&self, label: &str) -> usize {
        self.labels
            .iter()
            .position(|l| l == label)
            .and_then(|i| self.index[i])
            .unwrap_or(usize::MAX)
    }

    pub fn label(&self, key: &str) -> String {
        self.columns
            .iter()
            .position(|c| c.key == key)
            .map(|i| self.labels[i].clone())
            .unwrap_or_else(|| key.to_string())
    }
}

/// `身份证号*`, ` Name `, `学校名称（必填）` → the bare, lower-case header.
pub fn normalise_header(raw: &str) -> String {
    let mut h = raw.trim().trim_start_matches('\u{feff}').trim().to_string();
    for suffix in ["（必填）", "(必填)", "(required)", "*", "＊"] {
        if let Some(stripped) = h.strip_suffix(suffix) {
            h = stripped.trim().to_string();
        }
    }
    h.to_lowercase().replace([' ', '-'], "_")
}

/// Whether a file's header is `header` as an export writes it, in either language (an export is written in the
/// request's language and must read back whatever language it was written in).
pub fn is_header(raw: &str, header: &dyn i18n::Message) -> bool {
    let h = normalise_header(raw);
    [Lang::Zh, Lang::En]
        .into_iter()
        .any(|lang| normalise_header(&header.render(lang)) == h)
}

/// Matches the header row to the expected columns, and to the headers of the records' export (`exported`), so an
/// exported file reads back; reports unknown, repeated and missing required columns.
pub fn map_headers(
    columns: &'static [ColumnSpec],
    exported: &[ExportColumn],
    headers: &[String],
) -> (HeaderMap, Vec<ImportRowError>) {
    let mut map = HeaderMap {
        columns,
        index: vec![None; columns.len()],
        labels: columns.iter().map(|c| c.header().to_string()).collect(),
    };
    let mut errors = Vec::new();
    for (pos, raw) in headers.iter().enumerate() {
        let h = normalise_header(raw);
        if h.is_empty() {
            continue;
        }
        let export = exported.iter().find(|e| is_header(raw, e.header));
        let found = columns
            .iter()
            .position(|c| h == c.zh || h == c.en || h == c.key)
            .or_else(|| {
                let key = export?.key?;
                columns.iter().position(|c| c.key == key)
            });
        match found {
            None if export.is_some_and(|e| e.key.is_none()) => {}
            Some(i) if map.index[i].is_some() => errors.push(ImportRowError::new(
                1,
                raw.trim(),
                m::ColumnRepeated {
                    name: columns[i].header().into(),
                },
            )),
            Some(i) => {
                map.index[i] = Some(pos);
                map.labels[i] = raw.trim().to_string();
            }
            None => errors.push(ImportRowError::new(
                1,
                raw.trim(),
                m::ColumnUnknown {
                    allowed: i18n::join_list(columns.iter().map(ColumnSpec::header)),
                },
            )),
        }
    }
    for (i, c) in columns.iter().enumerate() {
        if c.required && map.index[i].is_none() {
            errors.push(ImportRowError::new(
                1,
                c.header(),
                m::ColumnMissing {
                    name: c.header().into(),
                },
            ));
        }
    }
    (map, errors)
}

/// Values of one row by field key, with per-row error collection naming the file's column headers.
pub struct RowReader<'a> {
    map: &'a HeaderMap,
    row: &'a SheetRow,
    pub errors: Vec<ImportRowError>,
}

impl<'a> RowReader<'a> {
    pub fn new(map: &'a HeaderMap, row: &'a SheetRow) -> Self {
        let mut reader = Self {
            map,
            row,
            errors: Vec::new(),
        };
        reader.check_lengths();
        reader
    }

    pub fn get(&self, key: &str) -> &'a str {
        self.map
            .position(key)
            .and_then(|i| self.row.cells.get(i))
            .map(|s| s.trim())
            .unwrap_or("")
    }

    pub fn optional(&self, key: &str) -> Option<String> {
        let v = self.get(key);
        (!v.is_empty()).then(|| v.to_string())
    }

    pub fn error(&mut self, key: &str, reason: impl Into<i18n::Text>) {
        let column = self.map.label(key);
        self.errors
            .push(ImportRowError::new(self.row.line, column, reason));
    }

    pub fn sorted_errors(&mut self) -> Vec<ImportRowError> {
        let mut errors = std::mem::take(&mut self.errors);
        errors.sort_by_key(|e| self.map.file_position(&e.column));
        errors
    }

    /// The field rules' reasons, each on its column.
    pub fn field_errors(&mut self, errors: Vec<FieldError>) {
        for e in errors {
            let column = self.map.label(&e.field);
            self.errors
                .push(ImportRowError::from_field(self.row.line, column, e));
        }
    }

    /// Required columns must have a value, and no value may exceed its column's length (PostgreSQL would refuse it).
    fn check_lengths(&mut self) {
        for c in self.map.columns {
            let v = self.get(c.key);
            if c.required && v.is_empty() {
                self.error(
                    c.key,
                    m::CellRequired {
                        name: c.header().into(),
                    },
                );
            } else if v.chars().count() > c.max_chars {
                self.error(
                    c.key,
                    m::CellTooLong {
                        name: c.header().into(),
                        limit: c.max_chars as i64,
                    },
                );
            }
        }
    }

    /// Drops the validators' own "required" messages where the length check already reported the empty cell.
    pub fn has_error(&self, key: &str) -> bool {
        let column = self.map.label(key);
        self.errors.iter().any(|e| e.column == column)
    }
}

/// 是/否, true/false, yes/no, 1/0; blank is no.
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_lowercase().as_str() {
        "" | "否" | "false" | "no" | "n" | "0" | "f" => Some(false),
        "是" | "true" | "yes" | "y" | "1" | "t" => Some(true),
        _ => None,
    }
}

/// Remembers the first line of each key, so a repeat names the line it repeats.
#[derive(Default)]
pub struct DuplicateTracker {
    first: HashMap<String, u64>,
}

impl DuplicateTracker {
    /// The earlier line holding `key`, or None (and remembers `line`) the first time.
    pub fn check(&mut self, key: &str, line: u64) -> Option<u64> {
        match self.first.get(key) {
            Some(&earlier) => Some(earlier),
            None => {
                self.first.insert(key.to_string(), line);
                None
            }
        }
    }
}

/// The report of a validated file, its problems sorted by line and then left to right as the file has them.
pub fn finish_report(
    map: &HeaderMap,
    total: u64,
    valid: u64,
    created: u64,
    mut errors: Vec<ImportRowError>,
    committed: bool,
) -> ImportReport {
    errors.sort_by_key(|e| (e.line, map.file_position(&e.column)));
    ImportReport {
        total_rows: total,
        valid_rows: valid,
        created,
        updated: valid - created,
        committed,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_name_the_first_line() {
        let mut seen = DuplicateTracker::default();
        assert_eq!(seen.check("A", 2), None);
        assert_eq!(seen.check("B", 3), None);
        assert_eq!(seen.check("A", 7), Some(2));
        assert_eq!(seen.check("A", 9), Some(2));
    }

    #[test]
    fn yes_and_no_read_as_flags() {
        assert_eq!(parse_bool("是"), Some(true));
        assert_eq!(parse_bool(""), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}
