//! The one way an uploaded spreadsheet becomes rows.
//!
//! Reading (every import: schools and teachers, questions, the lesson catalogue, enrolments, institution results)
//! goes through [`read`] with the entry point's [`SheetBudget`]. An upload is XLSX (a ZIP of XML parts) or UTF-8
//! CSV; anything else is refused with a reason. Before any XML is parsed, the archive itself is checked: number of
//! parts, each part's real inflated size (counted while inflating, never trusting the header), its compression
//! ratio, the shared-strings part, the declared shared-string count, and the longest XML token. Then the first
//! worksheet is streamed cell by cell (never as a used range, which a two-cell sheet declaring `A1:XFD1048576` turns
//! into 17 billion slots): its declared `<dimension>` and every cell position are checked against the row and column
//! budget, and the rows kept in memory against the cell and text budget. A file over any budget is a 422
//! `sheet_over_budget` naming the budget; a file that is not a readable spreadsheet is a 422 `validation_failed` on
//! `file`. Neither is ever a 500: a panic inside the XLSX reader is caught and reported as an unreadable file.
//!
//! Memory bound of one read: the upload itself, plus at most about
//! `2 × shared_strings_bytes + 32 B × cells + 2 × text_bytes + 64 B × rows + 2 × MAX_XML_TOKEN_BYTES`
//! (the shared strings as the reader holds them, the kept cells and their text, one XML token being parsed).
//! The worksheet part is streamed, so its size bounds time, not memory.
use std::io::{Cursor, Read};

use calamine::{DataRef, Reader};

use crate::platform::{
    error::{AppError, FieldError},
    i18n::{
        Text,
        catalogue::{files::FileEmpty, tabular as m},
    },
};

const MIB: u64 = 1024 * 1024;

/// How much of a spreadsheet an entry point accepts. Each import declares its own.
#[derive(Debug, Clone, Copy)]
pub struct SheetBudget {
    /// Spreadsheet lines, the header included (the last line may be this number).
    pub rows: u32,
    /// Columns; a cell right of this column (or a declared dimension reaching past it) refuses the file.
    pub columns: u32,
    /// Cell slots kept in memory over all rows; a blank cell left of a filled one takes a slot too.
    pub cells: u64,
    /// Bytes of cell text kept in memory over all rows.
    pub text_bytes: u64,
    /// The shared-strings part, inflated: the XLSX reader holds all of it while the sheet is read.
    pub shared_strings_bytes: u64,
    /// All parts of the archive together, inflated. The worksheet is streamed: this bounds time, not memory.
    pub archive_bytes: u64,
}

impl SheetBudget {
    /// A budget of `rows` lines by `columns` columns, with the other limits sized for a sheet of that many rows.
    pub const fn new(rows: u32, columns: u32) -> Self {
        Self {
            rows,
            columns,
            cells: rows as u64 * 16,
            text_bytes: 64 * MIB,
            shared_strings_bytes: 32 * MIB,
            archive_bytes: 512 * MIB,
        }
    }

    pub const fn with_cells(mut self, cells: u64) -> Self {
        self.cells = cells;
        self
    }

    pub const fn with_text_bytes(mut self, bytes: u64) -> Self {
        self.text_bytes = bytes;
        self
    }

    pub const fn with_shared_strings_bytes(mut self, bytes: u64) -> Self {
        self.shared_strings_bytes = bytes;
        self
    }

    pub const fn with_archive_bytes(mut self, bytes: u64) -> Self {
        self.archive_bytes = bytes;
        self
    }
}

/// Parts in one XLSX. A workbook saved by Excel or WPS has a few dozen.
pub const MAX_ARCHIVE_ENTRIES: usize = 1_000;
/// A part that inflates to more than this many times its stored size is a zip bomb: ordinary sheets compress
/// 5–30×, deflate itself tops out near 1,000× on one repeated byte and near 170× on repeated short elements.
pub const MAX_COMPRESSION_RATIO: u64 = 100;
/// Parts smaller than this are not held to the ratio: tiny repetitive parts legitimately compress very well.
const RATIO_EXEMPT_BYTES: u64 = MIB;
/// Parts other than worksheets, shared strings and media (workbook, styles, relationships, theme…) are read whole
/// by the XLSX reader; real ones are a few hundred kilobytes.
pub const MAX_METADATA_PART_BYTES: u64 = 8 * MIB;
/// The longest run of an XML part without a `<`: bounds every text node and tag the XML reader buffers.
/// A cell holds at most 32,767 characters (Excel's own limit), at most 4 bytes each.
pub const MAX_XML_TOKEN_BYTES: usize = 32_767 * 4 + 1024;
/// Shared strings a workbook may announce (`uniqueCount`): the reader reserves that many slots up front.
const MAX_SHARED_STRING_COUNT: u64 = 8_000_000;

/// A sheet as read from the file: the header cells and the non-blank data rows with their line numbers.
#[derive(Debug, Default)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<SheetRow>,
}

#[derive(Debug)]
pub struct SheetRow {
    /// Spreadsheet line (header = 1).
    pub line: u64,
    pub cells: Vec<String>,
}

/// Why a file was not read.
#[derive(Debug)]
enum Refusal {
    /// Not a spreadsheet this server reads, or a broken one.
    Unreadable(Text),
    /// A readable file over the entry point's budget.
    OverBudget(Text),
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Unreadable(message) => {
                AppError::Validation(vec![FieldError::new("file", message)])
            }
            Refusal::OverBudget(message) => AppError::Rule {
                code: crate::platform::i18n::Message::code(&m::SheetOverBudget),
                detail: message.clone(),
                errors: vec![FieldError::new("file", message)],
            },
        }
    }
}

fn unreadable_xlsx(reason: impl std::fmt::Display) -> Refusal {
    Refusal::Unreadable(
        m::SheetUnreadable {
            reason: reason.to_string(),
        }
        .into(),
    )
}

fn over(message: impl Into<Text>) -> Refusal {
    Refusal::OverBudget(message.into())
}

/// A byte budget as a person reads it, in whole megabytes.
fn mib(bytes: u64) -> String {
    format!("{} MB", bytes.div_ceil(MIB))
}

/// Reads an uploaded file within `budget`: XLSX by its ZIP signature, otherwise UTF-8 CSV (a BOM is dropped).
/// XLS and ODS are refused (save as .xlsx): their readers cannot be streamed.
pub fn read(bytes: &[u8], budget: &SheetBudget) -> Result<Sheet, AppError> {
    if bytes.is_empty() {
        return Err(Refusal::Unreadable(FileEmpty.into()).into());
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Ok(read_xlsx(bytes, budget)?);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(unreadable_xlsx("XLS").into());
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text =
        std::str::from_utf8(text).map_err(|_| Refusal::Unreadable(m::SheetNotUtf8.into()))?;
    Ok(read_csv(text, budget)?)
}

/// [`read`] on a blocking thread, so a large file does not hold up other requests while it is checked and parsed.
pub async fn read_off_thread(bytes: &[u8], budget: &SheetBudget) -> Result<Sheet, AppError> {
    let (bytes, budget) = (bytes.to_vec(), *budget);
    crate::platform::i18n::spawn_blocking(move || read(&bytes, &budget))
        .await
        .map_err(AppError::internal)?
}

fn read_xlsx(bytes: &[u8], budget: &SheetBudget) -> Result<Sheet, Refusal> {
    inspect_archive(bytes, budget)?;
    // The archive is now known to be within budget, but the XLSX reader is a large parser fed hostile input:
    // whatever it trips over is an unreadable file, not a crashed request.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        stream_first_sheet(bytes, budget)
    }))
    .unwrap_or_else(|_| Err(unreadable_xlsx("malformed workbook")))
}

/// What kind of part an archive entry is, for the limit it is held to.
#[derive(Debug, PartialEq, Eq)]
enum Part {
    Worksheet,
    SharedStrings,
    /// Images and other binary parts the reader never opens.
    Media,
    Metadata,
}

fn part_of(name: &str) -> Part {
    let name = name.to_ascii_lowercase();
    if name.ends_with("sharedstrings.xml") {
        Part::SharedStrings
    } else if name.contains("worksheets/") {
        Part::Worksheet
    } else if name.ends_with(".xml") || name.ends_with(".rels") || name.ends_with(".vml") {
        Part::Metadata
    } else {
        Part::Media
    }
}

/// Checks the whole archive before the XLSX reader sees it, inflating each part into a counter (nothing is kept).
fn inspect_archive(bytes: &[u8], budget: &SheetBudget) -> Result<(), Refusal> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable_xlsx)?;
    if archive.len() > MAX_ARCHIVE_ENTRIES {
        return Err(over(m::SheetTooManyParts {
            count: archive.len() as i64,
            limit: MAX_ARCHIVE_ENTRIES as i64,
        }));
    }
    let mut total = 0u64;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(unreadable_xlsx)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map_err(unreadable_xlsx)?.to_string();
        let part = part_of(&name);
        let cap = match part {
            Part::SharedStrings => budget.shared_strings_bytes,
            Part::Metadata => MAX_METADATA_PART_BYTES,
            Part::Worksheet | Part::Media => budget.archive_bytes,
        };
        let declared = entry.size();
        check_ratio(&name, declared, entry.compressed_size())?;
        check_part_size(&name, declared, cap)?;
        let inflated = if part == Part::Media {
            inflate_counting(&mut entry, cap, None)?
        } else {
            let mut xml = XmlScan::new(part == Part::SharedStrings);
            let inflated = inflate_counting(&mut entry, cap, Some(&mut xml))?;
            xml.finish(&name)?;
            inflated
        };
        check_part_size(&name, inflated, cap)?;
        // The reader trusts the header's size; a part that inflates past it is forged.
        if inflated > declared {
            return Err(unreadable_xlsx(format!("{name}: size mismatch")));
        }
        check_ratio(&name, inflated, entry.compressed_size())?;
        total += inflated;
        if total > budget.archive_bytes {
            return Err(over(m::SheetInflatesTooLarge {
                size: mib(budget.archive_bytes),
            }));
        }
    }
    Ok(())
}

fn check_part_size(name: &str, size: u64, cap: u64) -> Result<(), Refusal> {
    if size > cap {
        return Err(over(m::SheetPartInflatesTooLarge {
            name: name.to_string(),
            size: mib(cap),
        }));
    }
    Ok(())
}

fn check_ratio(name: &str, inflated: u64, compressed: u64) -> Result<(), Refusal> {
    if inflated > RATIO_EXEMPT_BYTES && inflated / compressed.max(1) > MAX_COMPRESSION_RATIO {
        return Err(over(m::SheetPartCompressedTooFar {
            name: name.to_string(),
            limit: MAX_COMPRESSION_RATIO as i64,
        }));
    }
    Ok(())
}

/// Inflates `entry` in small chunks, counting bytes and stopping one byte past `cap`.
fn inflate_counting(
    entry: &mut impl Read,
    cap: u64,
    mut xml: Option<&mut XmlScan>,
) -> Result<u64, Refusal> {
    let mut limited = entry.take(cap.saturating_add(1));
    let mut buf = vec![0u8; 64 * 1024];
    let mut count = 0u64;
    loop {
        let n = limited.read(&mut buf).map_err(unreadable_xlsx)?;
        if n == 0 {
            return Ok(count);
        }
        count += n as u64;
        if let Some(xml) = xml.as_deref_mut() {
            xml.feed(&buf[..n]);
        }
    }
}

/// What the XML reader would have to buffer, learned while inflating: the longest token, markup the XLSX parts
/// never use (`<!` opens a DOCTYPE, a comment or CDATA, whose content is buffered whole), and the shared-string
/// count the reader would reserve.
struct XmlScan {
    run: usize,
    longest_run: usize,
    after_lt: bool,
    declarations: bool,
    /// The first bytes of the shared-strings part, where `<sst … uniqueCount="…">` sits.
    head: Option<Vec<u8>>,
}

const SHARED_STRINGS_HEAD: usize = 4096;

impl XmlScan {
    fn new(shared_strings: bool) -> Self {
        Self {
            run: 0,
            longest_run: 0,
            after_lt: false,
            declarations: false,
            head: shared_strings.then(Vec::new),
        }
    }

    fn feed(&mut self, chunk: &[u8]) {
        if let Some(head) = &mut self.head
            && head.len() < SHARED_STRINGS_HEAD
        {
            let take = (SHARED_STRINGS_HEAD - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
        let mut rest = chunk;
        if self.after_lt && rest.first() == Some(&b'!') {
            self.declarations = true;
        }
        while let Some(at) = rest.iter().position(|&b| b == b'<') {
            self.longest_run = self.longest_run.max(self.run + at);
            self.run = 0;
            if rest.get(at + 1) == Some(&b'!') {
                self.declarations = true;
            }
            self.after_lt = at + 1 == rest.len();
            rest = &rest[at + 1..];
        }
        if !rest.is_empty() {
            self.after_lt = false;
        }
        self.run += rest.len();
        self.longest_run = self.longest_run.max(self.run);
    }

    fn finish(&self, name: &str) -> Result<(), Refusal> {
        if self.declarations {
            return Err(unreadable_xlsx(format!(
                "{name}: DOCTYPE, comment or CDATA"
            )));
        }
        if self.longest_run > MAX_XML_TOKEN_BYTES {
            return Err(over(m::SheetTokenTooLong {
                name: name.to_string(),
                limit: 32_767,
            }));
        }
        if let Some(count) = self.head.as_deref().and_then(unique_count)
            && count > MAX_SHARED_STRING_COUNT
        {
            return Err(over(m::SheetTooManySharedStrings {
                count: count.min(i64::MAX as u64) as i64,
                limit: MAX_SHARED_STRING_COUNT as i64,
            }));
        }
        Ok(())
    }
}

/// The `uniqueCount` attribute of `<sst>` (any quoting), saturating on absurd numbers.
fn unique_count(head: &[u8]) -> Option<u64> {
    let key = b"uniqueCount";
    let at = head.windows(key.len()).position(|w| w == key)?;
    let mut rest = head[at + key.len()..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace());
    if rest.next() != Some(&b'=') {
        return None;
    }
    let mut rest = rest.skip_while(|b| b.is_ascii_whitespace());
    if !matches!(rest.next(), Some(b'"' | b'\'')) {
        return None;
    }
    let mut value = 0u64;
    let mut digits = 0;
    for b in rest.take_while(|b| b.is_ascii_digit()) {
        value = value.saturating_mul(10).saturating_add(u64::from(b - b'0'));
        digits += 1;
    }
    (digits > 0).then_some(value)
}

/// Streams the first worksheet's cells into rows, refusing as soon as a budget is passed.
fn stream_first_sheet(bytes: &[u8], budget: &SheetBudget) -> Result<Sheet, Refusal> {
    let mut workbook: calamine::Xlsx<_> =
        calamine::Xlsx::new(Cursor::new(bytes)).map_err(unreadable_xlsx)?;
    let name = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| unreadable_xlsx("no worksheet"))?;
    let mut cells = workbook
        .worksheet_cells_reader(&name)
        .map_err(unreadable_xlsx)?;
    let declared = cells.dimensions();
    check_position(budget, declared.end.0, declared.end.1)?;
    let mut sheet = SheetBuilder::new(budget);
    while let Some(cell) = cells.next_cell().map_err(unreadable_xlsx)? {
        let (row, column) = cell.get_position();
        check_position(budget, row, column)?;
        sheet.put(row, column, cell_text(cell.get_value()))?;
    }
    Ok(sheet.finish())
}

/// Zero-based `row`, `column` (of a cell, or of a declared dimension's last cell) against the budget.
fn check_position(budget: &SheetBudget, row: u32, column: u32) -> Result<(), Refusal> {
    if row >= budget.rows {
        return Err(over(m::SheetTooManyRows {
            limit: budget.rows.into(),
        }));
    }
    if column >= budget.columns {
        return Err(over(m::SheetTooManyColumns {
            limit: budget.columns.into(),
        }));
    }
    Ok(())
}

/// A cell as the text a person typed: whole numbers without `.0`, so codes and phones entered as numbers work.
fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty | DataRef::Error(_) => String::new(),
        DataRef::String(s) => s.trim().to_string(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        other => calamine::Data::from(other.clone()).to_string(),
    }
}

/// Collects cells into rows (in file order), skipping blank rows and counting what is kept.
struct SheetBuilder<'b> {
    budget: &'b SheetBudget,
    sheet: Sheet,
    header_seen: bool,
    current: Option<(u32, Vec<String>)>,
    cells: u64,
    text_bytes: u64,
    /// The leftmost filled column: the sheet starts there, as a used range would.
    first_column: Option<u32>,
}

impl<'b> SheetBuilder<'b> {
    fn new(budget: &'b SheetBudget) -> Self {
        Self {
            budget,
            sheet: Sheet::default(),
            header_seen: false,
            current: None,
            cells: 0,
            text_bytes: 0,
            first_column: None,
        }
    }

    fn put(&mut self, row: u32, column: u32, text: String) -> Result<(), Refusal> {
        if self.current.as_ref().is_some_and(|(r, _)| *r != row) {
            self.flush();
        }
        if text.is_empty() {
            return Ok(());
        }
        self.first_column = Some(self.first_column.map_or(column, |c| c.min(column)));
        let (_, cells) = self.current.get_or_insert_with(|| (row, Vec::new()));
        let slot = column as usize;
        let new_slots = (slot + 1).saturating_sub(cells.len()) as u64;
        if new_slots > 0 {
            cells.resize(slot + 1, String::new());
        }
        let text_len = text.len() as u64;
        cells[slot] = text;
        self.count(new_slots, text_len)
    }

    /// Counts what is about to be kept against the cell and text budgets.
    fn count(&mut self, slots: u64, text_bytes: u64) -> Result<(), Refusal> {
        self.cells += slots;
        if self.cells > self.budget.cells {
            return Err(over(m::SheetTooManyCells {
                limit: self.budget.cells as i64,
            }));
        }
        self.text_bytes += text_bytes;
        if self.text_bytes > self.budget.text_bytes {
            return Err(over(m::SheetTooMuchText {
                size: mib(self.budget.text_bytes),
            }));
        }
        Ok(())
    }

    fn flush(&mut self) {
        if let Some((row, cells)) = self.current.take() {
            self.push_row(u64::from(row) + 1, cells);
        }
    }

    fn push_row(&mut self, line: u64, cells: Vec<String>) {
        if is_blank(&cells) {
            return;
        }
        if self.header_seen {
            self.sheet.rows.push(SheetRow { line, cells });
        } else {
            self.sheet.headers = cells;
            self.header_seen = true;
        }
    }

    fn finish(mut self) -> Sheet {
        self.flush();
        let skip = self.first_column.unwrap_or(0) as usize;
        if skip > 0 {
            for cells in std::iter::once(&mut self.sheet.headers)
                .chain(self.sheet.rows.iter_mut().map(|r| &mut r.cells))
            {
                cells.drain(..skip.min(cells.len()));
            }
        }
        self.sheet
    }
}

fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// Parses CSV within the budget; the line of a record is its spreadsheet row, so line breaks inside quoted fields
/// do not count. Empty fields after the last filled one are not kept.
fn read_csv(text: &str, budget: &SheetBudget) -> Result<Sheet, Refusal> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut sheet = SheetBuilder::new(budget);
    let mut embedded_breaks = 0u64;
    let mut record = csv::StringRecord::new();
    let malformed = |e: csv::Error| {
        Refusal::Unreadable(
            m::SheetCsvMalformed {
                reason: e.to_string(),
            }
            .into(),
        )
    };
    while reader.read_record(&mut record).map_err(malformed)? {
        let physical = record.position().map(|p| p.line()).unwrap_or(1);
        let line = physical - embedded_breaks;
        embedded_breaks += record
            .iter()
            .map(|f| f.matches('\n').count() as u64)
            .sum::<u64>();
        let Some(last) = (0..record.len())
            .rev()
            .find(|&i| !record[i].trim().is_empty())
        else {
            continue;
        };
        let row = u32::try_from(line - 1).unwrap_or(u32::MAX);
        check_position(budget, row, u32::try_from(last).unwrap_or(u32::MAX))?;
        let cells: Vec<String> = record
            .iter()
            .take(last + 1)
            .map(|c| c.trim().to_string())
            .collect();
        sheet.count(
            cells.len() as u64,
            cells.iter().map(|c| c.len() as u64).sum(),
        )?;
        sheet.push_row(line, cells);
    }
    Ok(sheet.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: SheetBudget = SheetBudget::new(10, 4);

    #[test]
    fn csv_over_the_row_or_column_budget_is_refused() {
        let rows: String = (0..11).map(|i| format!("{i}\n")).collect();
        assert!(matches!(
            read_csv(&rows, &SMALL),
            Err(Refusal::OverBudget(_))
        ));
        assert!(read_csv("a,b,c,d,,,,\n1,2,3,4,,,\n", &SMALL).is_ok());
        assert!(matches!(
            read_csv("a,b,c,d,e\n", &SMALL),
            Err(Refusal::OverBudget(_))
        ));
    }

    #[test]
    fn csv_lines_count_breaks_inside_quotes_once_and_keep_inner_blanks() {
        let sheet = read_csv("h1,h2\n\"multi\nline\",x\n,y\n", &SMALL).expect("reads");
        assert_eq!(sheet.headers, vec!["h1", "h2"]);
        assert_eq!(sheet.rows[0].line, 2);
        assert_eq!(sheet.rows[0].cells, vec!["multi\nline", "x"]);
        assert_eq!(sheet.rows[1].line, 3);
        assert_eq!(sheet.rows[1].cells, vec!["", "y"]);
    }

    #[test]
    fn numbers_typed_into_excel_read_as_codes() {
        assert_eq!(cell_text(&DataRef::Float(13812341234.0)), "13812341234");
        assert_eq!(cell_text(&DataRef::Float(5.0)), "5");
        assert_eq!(cell_text(&DataRef::Int(510104)), "510104");
        assert_eq!(cell_text(&DataRef::SharedString(" 是 ")), "是");
    }

    #[test]
    fn unique_count_is_read_in_any_quoting() {
        assert_eq!(unique_count(b"<sst uniqueCount=\"12\">"), Some(12));
        assert_eq!(unique_count(b"<sst uniqueCount = '7'>"), Some(7));
        assert_eq!(
            unique_count(b"<sst uniqueCount=\"99999999999999999999999\">"),
            Some(u64::MAX)
        );
        assert_eq!(unique_count(b"<sst count=\"3\">"), None);
    }

    #[test]
    fn xml_scan_finds_long_tokens_and_declarations_across_chunks() {
        let mut scan = XmlScan::new(false);
        scan.feed(b"<a>");
        scan.feed(&vec![b'x'; MAX_XML_TOKEN_BYTES]);
        scan.feed(b"y</a>");
        assert!(scan.finish("p").is_err());
        let mut scan = XmlScan::new(false);
        scan.feed(b"<a><");
        scan.feed(b"!-- c --></a>");
        assert!(matches!(scan.finish("p"), Err(Refusal::Unreadable(_))));
        let mut scan = XmlScan::new(false);
        scan.feed(b"<?xml version=\"1.0\"?><a>text</a>");
        assert!(scan.finish("p").is_ok());
    }
}
