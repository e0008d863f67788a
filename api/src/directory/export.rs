//! Scoped, masked export of schools and teachers as CSV (UTF-8 with a BOM, so Excel opens it) or XLSX.
//!
//! The rows come from the same scoped queries as the list endpoints, read in keyset pages by id so a
//! province-wide export never holds the whole table; teachers carry only the masked ID number and phone.
use std::collections::HashMap;

use chrono::Utc;
use entity::{school, teacher};
use rust_xlsxwriter::{Format, Workbook};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{
    import::{DirectoryKind, FileFormat},
    schools::{self, SchoolFilter, UrbanRural},
    teachers::{self, TeacherFilter},
};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    platform::{
        audit::{self, AuditEvent},
        db::begin_write,
        error::{AppError, AppResult},
        sheet::{CsvCell, CsvSheet},
    },
};

/// Rows read from the database per query.
const PAGE: u64 = 5000;

/// The list filters, for either kind (each kind uses the ones that apply to it).
#[derive(Debug, Default, Clone)]
pub struct ExportFilter {
    pub region: Option<String>,
    pub stage: Option<String>,
    pub urban_rural: Option<UrbanRural>,
    pub teaching_point: Option<bool>,
    pub school_id: Option<i64>,
    pub subject: Option<String>,
    pub active: Option<bool>,
    pub keyword: Option<String>,
}

/// A finished file to download.
pub struct ExportFile {
    pub data: Vec<u8>,
    pub filename: String,
    pub content_type: &'static str,
    pub rows: u64,
}

const SCHOOL_HEADERS: &[(&str, f64)] = &[
    ("学校标识码", 14.0),
    ("学校名称", 30.0),
    ("所在区县代码", 12.0),
    ("区县", 12.0),
    ("市州", 12.0),
    ("学段类别", 12.0),
    ("城乡属性", 10.0),
    ("是否教学点", 10.0),
    ("地址", 36.0),
    ("状态", 8.0),
];

const TEACHER_HEADERS: &[(&str, f64)] = &[
    ("姓名", 10.0),
    ("性别", 6.0),
    ("身份证号", 20.0),
    ("学校标识码", 14.0),
    ("学校名称", 30.0),
    ("手机号", 14.0),
    ("邮箱", 24.0),
    ("教师编号", 12.0),
    ("任教学段", 10.0),
    ("任教学科", 10.0),
    ("职称", 10.0),
    ("学历", 8.0),
    ("教龄", 6.0),
    ("状态", 8.0),
];

/// Where rows go: a CSV buffer (text cells neutralised against formula injection) or a constant-memory worksheet
/// (rows are flushed to a temp file as written; its text cells are typed strings, never formulas).
pub(crate) enum Sink {
    Csv(Box<CsvSheet>),
    Xlsx {
        workbook: Box<Workbook>,
        next_row: u32,
    },
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::internal(format!("xlsx: {e}"))
}

impl Sink {
    pub(crate) fn new(
        format: FileFormat,
        sheet_name: &str,
        headers: &[(&str, f64)],
    ) -> AppResult<Self> {
        match format {
            FileFormat::Csv => {
                let mut writer = CsvSheet::new();
                writer
                    .text_row(headers.iter().map(|(h, _)| *h))
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
                        .write_string_with_format(0, i as u16, *h, &bold)
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
    pub(crate) fn typed_row(&mut self, cells: &[Cell]) -> AppResult<()> {
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

    pub(crate) fn row(&mut self, cells: &[&str]) -> AppResult<()> {
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

    pub(crate) fn finish(self) -> AppResult<Vec<u8>> {
        match self {
            Sink::Csv(writer) => writer.finish().map_err(AppError::internal),
            Sink::Xlsx { mut workbook, .. } => workbook.save_to_buffer().map_err(xlsx_error),
        }
    }
}

/// One cell of a typed row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
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
pub(crate) struct PipedSink {
    batch: Vec<Vec<Cell>>,
    sender: tokio::sync::mpsc::Sender<Vec<Vec<Cell>>>,
    writer: tokio::task::JoinHandle<AppResult<Vec<u8>>>,
}

impl PipedSink {
    pub(crate) fn spawn(format: FileFormat, sheet_name: &str, headers: &[(&str, f64)]) -> Self {
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<Vec<Cell>>>(4);
        let sheet_name = sheet_name.to_string();
        let headers: Vec<(String, f64)> =
            headers.iter().map(|(h, w)| (h.to_string(), *w)).collect();
        let writer = tokio::task::spawn_blocking(move || {
            let headers: Vec<(&str, f64)> = headers.iter().map(|(h, w)| (h.as_str(), *w)).collect();
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

    pub(crate) async fn row(&mut self, cells: Vec<Cell>) -> AppResult<()> {
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

    pub(crate) async fn finish(self) -> AppResult<Vec<u8>> {
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

fn urban_rural_label(value: &str) -> &str {
    match value {
        "urban" => "城区",
        "town" => "镇区",
        "rural" => "乡村",
        other => other,
    }
}

fn yes_no(flag: bool) -> &'static str {
    if flag { "是" } else { "否" }
}

fn status(active: bool) -> &'static str {
    if active { "在用" } else { "停用" }
}

/// Exports what the caller can see (and may export) as a file. Needs `export.run`; leaves an audit entry.
pub async fn export(
    state: &AppState,
    principal: &Principal,
    kind: DirectoryKind,
    format: FileFormat,
    filter: ExportFilter,
) -> AppResult<ExportFile> {
    if principal.scope(Permission::ExportRun).is_empty() {
        return Err(AppError::Forbidden);
    }
    if kind == DirectoryKind::Teachers {
        // Teachers' rows are personal data.
        principal.require_step_up(&state.config)?;
    }
    let (data, rows) = match kind {
        DirectoryKind::Schools => export_schools(state, principal, format, &filter).await?,
        DirectoryKind::Teachers => export_teachers(state, principal, format, &filter).await?,
    };
    let txn = begin_write(&state.db).await?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: match kind {
                DirectoryKind::Schools => "export.schools",
                DirectoryKind::Teachers => "export.teachers",
            },
            target_type: "export",
            target_id: None,
            target_path: principal
                .scope(Permission::ExportRun)
                .prefixes
                .into_iter()
                .next(),
            detail: serde_json::json!({
                "rows": rows,
                "format": format.extension(),
                "region": filter.region,
                "stage": filter.stage,
                "school_id": filter.school_id,
                "subject": filter.subject,
                "active": filter.active,
                "keyword": filter.keyword,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(ExportFile {
        data,
        filename: format!(
            "{}-{}.{}",
            kind.as_str(),
            Utc::now().format("%Y%m%d-%H%M%S"),
            format.extension()
        ),
        content_type: format.content_type(),
        rows,
    })
}

async fn export_schools(
    state: &AppState,
    principal: &Principal,
    format: FileFormat,
    filter: &ExportFilter,
) -> AppResult<(Vec<u8>, u64)> {
    let school_filter = SchoolFilter {
        region: filter.region.clone(),
        stage: filter.stage.clone(),
        urban_rural: filter.urban_rural,
        teaching_point: filter.teaching_point,
        active: filter.active,
        keyword: filter.keyword.clone(),
    };
    let mut sink = Sink::new(format, "学校", SCHOOL_HEADERS)?;
    let mut last_id = 0i64;
    let mut rows = 0u64;
    loop {
        let page = schools::scoped_query(state, principal, &school_filter)
            .filter(school::Column::Id.gt(last_id))
            .order_by_asc(school::Column::Id)
            .limit(PAGE)
            .all(&state.db)
            .await?;
        let Some(last) = page.last() else { break };
        last_id = last.id;
        let full = page.len() as u64 == PAGE;
        for s in page {
            let county = state.regions.get(&s.county_code);
            let city = county
                .and_then(|c| c.parent_code.as_deref())
                .and_then(|c| state.regions.get(c));
            sink.row(&[
                &s.code,
                &s.name,
                &s.county_code,
                county.map(|c| c.name.as_str()).unwrap_or(""),
                city.map(|c| c.name.as_str()).unwrap_or(""),
                &s.stage,
                urban_rural_label(&s.urban_rural),
                yes_no(s.teaching_point),
                s.address.as_deref().unwrap_or(""),
                status(s.active),
            ])?;
            rows += 1;
        }
        if !full {
            break;
        }
    }
    Ok((sink.finish()?, rows))
}

async fn export_teachers(
    state: &AppState,
    principal: &Principal,
    format: FileFormat,
    filter: &ExportFilter,
) -> AppResult<(Vec<u8>, u64)> {
    let teacher_filter = TeacherFilter {
        region: filter.region.clone(),
        school_id: filter.school_id,
        stage: filter.stage.clone(),
        subject: filter.subject.clone(),
        active: filter.active,
        keyword: filter.keyword.clone(),
    };
    let mut sink = Sink::new(format, "教师", TEACHER_HEADERS)?;
    // School code and name by id, filled a page at a time.
    let mut schools: HashMap<i64, (String, String)> = HashMap::new();
    let mut last_id = 0i64;
    let mut rows = 0u64;
    loop {
        let page = teachers::scoped_query(state, principal, &teacher_filter)
            .filter(teacher::Column::Id.gt(last_id))
            .order_by_asc(teacher::Column::Id)
            .limit(PAGE)
            .all(&state.db)
            .await?;
        let Some(last) = page.last() else { break };
        last_id = last.id;
        let full = page.len() as u64 == PAGE;
        let mut missing: Vec<i64> = page
            .iter()
            .map(|t| t.school_id)
            .filter(|id| !schools.contains_key(id))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            let found: Vec<(i64, String, String)> = school::Entity::find()
                .select_only()
                .columns([
                    school::Column::Id,
                    school::Column::Code,
                    school::Column::Name,
                ])
                .filter(school::Column::Id.is_in(missing))
                .into_tuple()
                .all(&state.db)
                .await?;
            schools.extend(found.into_iter().map(|(id, code, name)| (id, (code, name))));
        }
        for t in page {
            let (code, name) = schools
                .get(&t.school_id)
                .map(|(c, n)| (c.as_str(), n.as_str()))
                .unwrap_or(("", ""));
            let years = t.teaching_years.map(|y| y.to_string()).unwrap_or_default();
            sink.row(&[
                &t.name,
                &t.gender,
                &t.id_card_masked,
                code,
                name,
                t.phone_masked.as_deref().unwrap_or(""),
                t.email.as_deref().unwrap_or(""),
                t.teacher_number.as_deref().unwrap_or(""),
                &t.stage,
                &t.subject,
                t.title.as_deref().unwrap_or(""),
                t.education.as_deref().unwrap_or(""),
                &years,
                status(t.active),
            ])?;
            rows += 1;
        }
        if !full {
            break;
        }
    }
    Ok((sink.finish()?, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_sink_writes_bom_header_and_rows() {
        let mut sink = Sink::new(FileFormat::Csv, "学校", SCHOOL_HEADERS).expect("sink");
        sink.row(&[
            "2151000001",
            "一小",
            "510104",
            "锦江区",
            "成都市",
            "小学",
            "城区",
            "否",
            "",
            "在用",
        ])
        .expect("row");
        let bytes = sink.finish().expect("bytes");
        let text = String::from_utf8(bytes).expect("utf8");
        assert!(text.starts_with('\u{feff}'));
        assert_eq!(text.lines().count(), 2);
        assert!(text.contains("学校标识码,学校名称"));
    }

    #[test]
    fn xlsx_sink_makes_a_readable_workbook() {
        let mut sink = Sink::new(FileFormat::Xlsx, "教师", TEACHER_HEADERS).expect("sink");
        for _ in 0..3 {
            sink.row(&["张伟", "男", "510104********1234"])
                .expect("row");
        }
        let bytes = sink.finish().expect("bytes");
        let sheet = super::super::import::parse_file(&bytes).expect("parses");
        assert_eq!(sheet.headers[0], "姓名");
        assert_eq!(sheet.rows.len(), 3);
        assert_eq!(sheet.rows[2].line, 4);
        assert_eq!(urban_rural_label("rural"), "乡村");
    }
}
