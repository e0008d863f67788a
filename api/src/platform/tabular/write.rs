//! The one way rows become a spreadsheet file. Every CSV export goes through [`CsvSheet`], which neutralises text cells a spreadsheet program would
//! read as a formula (OWASP "CSV injection"): a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return gets a leading `'`. Numbers are written as numbers and keep their sign. XLSX exports are not affected:
//! their text cells are typed strings, which spreadsheet programs never evaluate.
//!
//! Exports that stream many rows use [`Sink`] (or [`PipedSink`], which writes on a blocking thread while the
//! rows are read), so one module decides how every cell looks in either format.
use std::borrow::Cow;

use rust_xlsxwriter::{Format, Workbook};

use super::{FileFormat, columns::ColumnSpec, xlsx_error};
use crate::platform::{
    error::{AppError, AppResult},
    i18n::{Message, catalogue::tabular as m, current_lang, t},
};

/// The CSV form of one export cell.
#[derive(Debug, Clone, Copy)]
pub enum CsvCell<'a> {
    /// Free text: neutralised when a spreadsheet program would read it as a formula.
    Text(&'a str),
    /// A number already formatted; written as is, so `-3.5` stays a number.
    Number(&'a str),
}

/// Text a spreadsheet program would evaluate (`=`, `+`, `-`, `@`, tab, carriage return first) gets a leading `'`.
pub fn neutralise_csv_text(text: &str) -> Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// The one CSV writer of every export: UTF-8 with a BOM (so Excel opens Chinese text correctly), text cells
/// neutralised against formula injection.
pub struct CsvSheet {
    writer: csv::Writer<Vec<u8>>,
}

impl Default for CsvSheet {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvSheet {
    pub fn new() -> Self {
        Self {
            writer: csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec()),
        }
    }

    /// A row of text cells (headers, names, codes…).
    pub fn text_row<S: AsRef<str>>(
        &mut self,
        cells: impl IntoIterator<Item = S>,
    ) -> Result<(), csv::Error> {
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| neutralise_csv_text(c.as_ref()).into_owned())
            .collect();
        self.writer.write_record(&cells)
    }

    /// A row of typed cells: numbers keep their sign, text is neutralised.
    pub fn row<'a>(
        &mut self,
        cells: impl IntoIterator<Item = CsvCell<'a>>,
    ) -> Result<(), csv::Error> {
        let cells: Vec<Cow<'a, str>> = cells
            .into_iter()
            .map(|cell| match cell {
                CsvCell::Text(t) => neutralise_csv_text(t),
                CsvCell::Number(n) => Cow::Borrowed(n),
            })
            .collect();
        self.writer.write_record(cells.iter().map(|c| c.as_ref()))
    }

    pub fn finish(self) -> Result<Vec<u8>, String> {
        self.writer.into_inner().map_err(|e| e.to_string())
    }
}

/// Where rows go: a CSV buffer (text cells neutralised against formula injection) or a constant-memory worksheet
/// (rows are flushed to a temp file as written; its text cells are typed strings, never formulas).
pub enum Sink {
    Csv(Box<CsvSheet>),
    Xlsx {
        workbook: Box<Workbook>,
        next_row: u32,
    },
}

impl Sink {
    pub fn new<H: AsRef<str>>(
        format: FileFormat,
        sheet_name: &str,
        headers: &[(H, f64)],
    ) -> AppResult<Self> {
        match format {
            FileFormat::Csv => {
                let mut writer = CsvSheet::new();
                writer
                    .text_row(headers.iter().map(|(h, _)| h.as_ref()))
                    .map_err(AppError::internal)?;
                Ok(Sink::Csv(Box::new(writer)))
            }
            FileFormat::Xlsx => {
                let mut workbook = Box::new(Workbook::new());
                let bold = Format::new().set_bold();
                let sheet = workbook
                    .add_worksheet_with_constant_memory()
                    .map_err(xlsx_error)?;
                sheet.set_name(sheet_name).map_err(xlsx_error)?;
                for (i, (h, width)) in headers.iter().enumerate() {
                    sheet
                        .set_column_width(i as u16, *width)
                        .map_err(xlsx_error)?;
                    sheet
                        .write_string_with_format(0, i as u16, h.as_ref(), &bold)
                        .map_err(xlsx_error)?;
                }
                sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
                Ok(Sink::Xlsx {
                    workbook,
                    next_row: 1,
                })
            }
        }
    }

    /// A row of typed cells: numbers go into the sheet as numbers (shorter XML, and Excel can sum them).
    pub fn typed_row(&mut self, cells: &[Cell]) -> AppResult<()> {
        match self {
            Sink::Csv(writer) => {
                let texts: Vec<String> = cells.iter().map(Cell::text).collect();
                writer
                    .row(cells.iter().zip(&texts).map(|(cell, text)| match cell {
                        Cell::Number(_) => CsvCell::Number(text),
                        Cell::Text(_) | Cell::Empty => CsvCell::Text(text),
                    }))
                    .map_err(AppError::internal)
            }
            Sink::Xlsx { workbook, next_row } => {
                let sheet = workbook.worksheet_from_index(0).map_err(xlsx_error)?;
                for (i, cell) in cells.iter().enumerate() {
                    match cell {
                        Cell::Text(t) if !t.is_empty() => {
                            sheet
                                .write_string(*next_row, i as u16, t)
                                .map_err(xlsx_error)?;
                        }
                        Cell::Number(n) => {
                            sheet
                                .write_number(*next_row, i as u16, *n)
                                .map_err(xlsx_error)?;
                        }
                        _ => {}
                    }
                }
                *next_row += 1;
                Ok(())
            }
        }
    }

    pub fn row(&mut self, cells: &[&str]) -> AppResult<()> {
        match self {
            Sink::Csv(writer) => writer.text_row(cells).map_err(AppError::internal),
            Sink::Xlsx { workbook, next_row } => {
                let sheet = workbook.worksheet_from_index(0).map_err(xlsx_error)?;
                for (i, cell) in cells.iter().enumerate() {
                    if !cell.is_empty() {
                        sheet
                            .write_string(*next_row, i as u16, *cell)
                            .map_err(xlsx_error)?;
                    }
                }
                *next_row += 1;
                Ok(())
            }
        }
    }

    pub fn finish(self) -> AppResult<Vec<u8>> {
        match self {
            Sink::Csv(writer) => writer.finish().map_err(AppError::internal),
            Sink::Xlsx { mut workbook, .. } => workbook.save_to_buffer().map_err(xlsx_error),
        }
    }
}

/// One cell of a typed row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    /// The CSV form: numbers with one decimal, as hours are shown everywhere else.
    fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => format!("{n:.1}"),
            Cell::Empty => String::new(),
        }
    }
}

/// Rows handed to the writer thread per message: large enough that channel hand-offs cost nothing per row.
const PIPE_BATCH: usize = 1024;

/// A [`Sink`] owned by a blocking thread and fed rows over a bounded channel, so reading rows from the database
/// and writing the sheet overlap instead of taking turns. The channel holds a few batches at most, so memory
/// stays flat however many rows pass through.
pub struct PipedSink {
    batch: Vec<Vec<Cell>>,
    sender: tokio::sync::mpsc::Sender<Vec<Vec<Cell>>>,
    writer: tokio::task::JoinHandle<AppResult<Vec<u8>>>,
}

impl PipedSink {
    pub fn spawn<H: AsRef<str>>(
        format: FileFormat,
        sheet_name: &str,
        headers: &[(H, f64)],
    ) -> Self {
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<Vec<Cell>>>(4);
        let sheet_name = sheet_name.to_string();
        let headers: Vec<(String, f64)> = headers
            .iter()
            .map(|(h, w)| (h.as_ref().to_string(), *w))
            .collect();
        let writer = tokio::task::spawn_blocking(move || {
            let mut sink = Sink::new(format, &sheet_name, &headers)?;
            while let Some(batch) = receiver.blocking_recv() {
                for row in &batch {
                    sink.typed_row(row)?;
                }
            }
            sink.finish()
        });
        PipedSink {
            batch: Vec::with_capacity(PIPE_BATCH),
            sender,
            writer,
        }
    }

    pub async fn row(&mut self, cells: Vec<Cell>) -> AppResult<()> {
        self.batch.push(cells);
        if self.batch.len() >= PIPE_BATCH {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(PIPE_BATCH));
            if self.sender.send(batch).await.is_err() {
                // The writer stopped early: its own error is the one worth reporting.
                return Err(self.writer_error().await);
            }
        }
        Ok(())
    }

    async fn writer_error(&mut self) -> AppError {
        match (&mut self.writer).await {
            Ok(Err(e)) => e,
            Ok(Ok(_)) => AppError::internal("spreadsheet writer stopped early"),
            Err(e) => AppError::internal(e),
        }
    }

    pub async fn finish(self) -> AppResult<Vec<u8>> {
        let PipedSink {
            batch,
            sender,
            writer,
        } = self;
        if !batch.is_empty() {
            // A failed send means the writer already stopped; awaiting it below yields its error.
            let _ = sender.send(batch).await;
        }
        drop(sender);
        writer.await.map_err(AppError::internal)?
    }
}

/// A file of text rows (templates, small reports), neutralised like every CSV export.
pub fn csv_bytes(rows: &[Vec<String>]) -> AppResult<Vec<u8>> {
    let mut writer = CsvSheet::new();
    for row in rows {
        writer.text_row(row).map_err(AppError::internal)?;
    }
    writer.finish().map_err(AppError::internal)
}

/// Export headers written once in the catalogue, in the current request's language, with their widths.
pub fn headers_in_current_language(columns: &[(&dyn Message, f64)]) -> Vec<(String, f64)> {
    columns
        .iter()
        .map(|(h, w)| (h.render(current_lang()), *w))
        .collect()
}

/// A blank import file: the header row (Chinese headers; English ones are accepted too) and one example row; the
/// XLSX form adds a sheet explaining each column with `note`.
pub fn template(
    sheet_name: &str,
    columns: &[ColumnSpec],
    note: impl Fn(&str) -> String,
    format: FileFormat,
) -> AppResult<Vec<u8>> {
    let header: Vec<String> = columns.iter().map(|c| c.zh.to_string()).collect();
    let example: Vec<String> = columns.iter().map(|c| c.example.to_string()).collect();
    if format == FileFormat::Csv {
        return csv_bytes(&[header, example]);
    }
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name).map_err(xlsx_error)?;
    for (i, c) in columns.iter().enumerate() {
        let col = i as u16;
        sheet
            .set_column_width(col, if c.max_chars > 32 { 30 } else { 18 })
            .map_err(xlsx_error)?;
        if c.text {
            sheet.set_column_format(col, &text).map_err(xlsx_error)?;
        }
        sheet
            .write_string_with_format(0, col, c.zh, &bold)
            .map_err(xlsx_error)?;
        let cell_format = if c.text { &text } else { &Format::new() };
        sheet
            .write_string_with_format(1, col, c.example, cell_format)
            .map_err(xlsx_error)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    let notes = workbook.add_worksheet();
    notes
        .set_name(t(m::TemplateNotesSheet))
        .map_err(xlsx_error)?;
    let titles = [
        t(m::TemplateChineseHeader),
        t(m::TemplateEnglishHeader),
        t(m::TemplateRequired),
        t(m::TemplateNote),
    ];
    for (col, title) in titles.iter().enumerate() {
        notes
            .write_string_with_format(0, col as u16, title, &bold)
            .map_err(xlsx_error)?;
    }
    let (yes, no) = (t(m::FlagYes), t(m::FlagNo));
    notes.set_column_width(3, 60).map_err(xlsx_error)?;
    for (i, c) in columns.iter().enumerate() {
        let row = i as u32 + 1;
        notes.write_string(row, 0, c.zh).map_err(xlsx_error)?;
        notes.write_string(row, 1, c.en).map_err(xlsx_error)?;
        notes
            .write_string(row, 2, if c.required { &yes } else { &no })
            .map_err(xlsx_error)?;
        notes
            .write_string(row, 3, note(c.key))
            .map_err(xlsx_error)?;
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starters_are_quoted_and_other_text_is_not() {
        for risky in ["=1+1", "+86", "-x", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise_csv_text(risky), format!("'{risky}"));
        }
        for plain in ["张三", "a=b", "", "'=x"] {
            assert_eq!(neutralise_csv_text(plain), plain);
        }
    }

    #[test]
    fn numbers_keep_their_sign_in_csv() {
        let mut csv = CsvSheet::new();
        csv.row([CsvCell::Number("-3.5"), CsvCell::Text("-3.5")])
            .expect("writes");
        let text = String::from_utf8(csv.finish().expect("finishes")).expect("utf-8");
        assert_eq!(text, "\u{feff}-3.5,'-3.5\n");
    }
}
