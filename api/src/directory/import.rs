//! Bulk import of schools and teachers from CSV or XLSX.
//!
//! Validation first: every row is checked (the same field rules as the single-record API, plus duplicates inside
//! the file, the caller's scope and references to existing schools) and every problem is reported with its
//! spreadsheet line (the header is line 1), column and reason. Only a file without a single problem is written,
//! all rows in one transaction, as multi-row upserts keyed on 学校标识码 / the keyed hash of the 身份证号.
use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use entity::{account_role, school, teacher};
use poem_openapi::{Enum, Object};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Set,
    Statement,
    sea_query::{Expr, OnConflict},
};

use super::{
    schools::{self, SchoolInput, UrbanRural},
    teachers::{self, PreparedTeacher, TeacherInput},
    validate,
};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    platform::{
        audit::{self, AuditEvent},
        db::begin_write,
        error::{AppError, AppResult, FieldError},
        sheet::{self, SheetBudget},
    },
    training::stats,
};

/// Which part of the directory a file holds.
#[derive(Debug, Clone, Copy, Enum, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
pub enum DirectoryKind {
    Schools,
    Teachers,
}

impl DirectoryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DirectoryKind::Schools => "schools",
            DirectoryKind::Teachers => "teachers",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "schools" | "school" | "学校" => Some(DirectoryKind::Schools),
            "teachers" | "teacher" | "教师" => Some(DirectoryKind::Teachers),
            _ => None,
        }
    }

    pub fn columns(self) -> &'static [ColumnSpec] {
        match self {
            DirectoryKind::Schools => SCHOOL_COLUMNS,
            DirectoryKind::Teachers => TEACHER_COLUMNS,
        }
    }

    /// The permission that writing rows of this kind needs, besides `import.run`.
    fn write_permission(self) -> Permission {
        match self {
            DirectoryKind::Schools => Permission::SchoolWrite,
            DirectoryKind::Teachers => Permission::TeacherWrite,
        }
    }
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

const fn col(
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

pub const SCHOOL_COLUMNS: &[ColumnSpec] = &[
    col("code", "学校标识码", "code", true, 10, "2151000001", true),
    col(
        "name",
        "学校名称",
        "name",
        true,
        128,
        "锦江区第一实验小学",
        false,
    ),
    col(
        "county_code",
        "所在区县代码",
        "county_code",
        true,
        6,
        "510104",
        true,
    ),
    col("stage", "学段类别", "stage", true, 32, "小学", false),
    col(
        "urban_rural",
        "城乡属性",
        "urban_rural",
        true,
        16,
        "城区",
        false,
    ),
    col(
        "teaching_point",
        "是否教学点",
        "teaching_point",
        false,
        8,
        "否",
        false,
    ),
    col(
        "address",
        "地址",
        "address",
        false,
        255,
        "成都市锦江区东大街1号",
        false,
    ),
];

/// The example 身份证号 of the template (valid check digit, area 510104, born 1985-06-15).
const EXAMPLE_ID_CARD: &str = "510104198506151234";

pub const TEACHER_COLUMNS: &[ColumnSpec] = &[
    col("name", "姓名", "name", true, 64, "张伟", false),
    col(
        "id_card",
        "身份证号",
        "id_card",
        true,
        18,
        EXAMPLE_ID_CARD,
        true,
    ),
    col(
        "school_code",
        "学校标识码",
        "school_code",
        true,
        10,
        "2151000001",
        true,
    ),
    col("phone", "手机号", "phone", false, 20, "13800001234", true),
    col(
        "email",
        "邮箱",
        "email",
        false,
        128,
        "zhangwei@example.com",
        false,
    ),
    col(
        "teacher_number",
        "教师编号",
        "teacher_number",
        false,
        32,
        "T2024001",
        true,
    ),
    col("stage", "任教学段", "stage", true, 32, "小学", false),
    col("subject", "任教学科", "subject", true, 32, "语文", false),
    col("title", "职称", "title", false, 32, "一级教师", false),
    col("education", "学历", "education", false, 32, "本科", false),
    col(
        "teaching_years",
        "教龄",
        "teaching_years",
        false,
        4,
        "10",
        false,
    ),
];

/// One problem in an import file.
#[derive(Debug, Clone, Object, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct ImportRowError {
    /// Spreadsheet line, 1-based; the header row is line 1, the first data row line 2.
    pub line: u64,
    /// The column header as written in the file (or the expected header when the column is missing);
    /// empty when the problem concerns the whole row.
    pub column: String,
    /// Why the value was rejected (Chinese / English).
    pub message: String,
}

impl ImportRowError {
    fn new(line: u64, column: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            line,
            column: column.into(),
            message: message.into(),
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

pub use crate::platform::sheet::{Sheet, SheetRow};

/// Schools and teachers: a province's whole directory fits in one file (about a million teachers), so the budget
/// is the largest of any import. At its limits one read holds at most about 1.3 GB; see `platform::sheet`.
pub const DIRECTORY_SHEET: SheetBudget = SheetBudget::new(1_050_000, 64)
    .with_cells(16_000_000)
    .with_text_bytes(160 * 1024 * 1024)
    .with_shared_strings_bytes(128 * 1024 * 1024)
    .with_archive_bytes(1024 * 1024 * 1024);

/// Reads an uploaded directory file (XLSX or UTF-8 CSV) within [`DIRECTORY_SHEET`].
pub fn parse_file(bytes: &[u8]) -> AppResult<Sheet> {
    sheet::read(bytes, &DIRECTORY_SHEET)
}

/// Where each expected column sits in the file, and the header text to name it by in errors.
#[derive(Debug)]
pub struct HeaderMap {
    index: Vec<Option<usize>>,
    labels: Vec<String>,
}

impl HeaderMap {
    fn position(&self, key: &str, kind: DirectoryKind) -> Option<usize> {
        let i = kind.columns().iter().position(|c| c.key == key)?;
        self.index[i]
    }

    /// Where a column (named as in errors) sits in the file, so a row's errors come out left to right.
    fn file_position(&self, label: &str) -> usize {
        self.labels
            .iter()
            .position(|l| l == label)
            .and_then(|i| self.index[i])
            .unwrap_or(usize::MAX)
    }

    fn label(&self, key: &str, kind: DirectoryKind) -> String {
        kind.columns()
            .iter()
            .position(|c| c.key == key)
            .map(|i| self.labels[i].clone())
            .unwrap_or_else(|| key.to_string())
    }
}

/// `身份证号*`, ` Name `, `学校名称（必填）` → the bare, lower-case header.
fn normalise_header(raw: &str) -> String {
    let mut h = raw.trim().trim_start_matches('\u{feff}').trim().to_string();
    for suffix in ["（必填）", "(必填)", "(required)", "*", "＊"] {
        if let Some(stripped) = h.strip_suffix(suffix) {
            h = stripped.trim().to_string();
        }
    }
    h.to_lowercase().replace([' ', '-'], "_")
}

/// Matches the header row to the expected columns; reports unknown, repeated and missing required columns.
pub fn map_headers(kind: DirectoryKind, headers: &[String]) -> (HeaderMap, Vec<ImportRowError>) {
    let columns = kind.columns();
    let mut map = HeaderMap {
        index: vec![None; columns.len()],
        labels: columns.iter().map(|c| c.zh.to_string()).collect(),
    };
    let mut errors = Vec::new();
    for (pos, raw) in headers.iter().enumerate() {
        let h = normalise_header(raw);
        if h.is_empty() {
            continue;
        }
        let found = columns
            .iter()
            .position(|c| h == c.zh || h == c.en || h == c.key);
        match found {
            Some(i) if map.index[i].is_some() => errors.push(ImportRowError::new(
                1,
                raw.trim(),
                format!("列重复 / Column appears twice ({})", columns[i].zh),
            )),
            Some(i) => {
                map.index[i] = Some(pos);
                map.labels[i] = raw.trim().to_string();
            }
            None => errors.push(ImportRowError::new(
                1,
                raw.trim(),
                format!(
                    "未知的列，可用的列：{} / Unknown column",
                    columns.iter().map(|c| c.zh).collect::<Vec<_>>().join("、")
                ),
            )),
        }
    }
    for (i, c) in columns.iter().enumerate() {
        if c.required && map.index[i].is_none() {
            errors.push(ImportRowError::new(
                1,
                c.zh,
                format!("缺少必填列「{}」/ Required column missing ({})", c.zh, c.en),
            ));
        }
    }
    (map, errors)
}

/// Values of one row by field key, with per-row error collection naming the file's column headers.
struct RowReader<'a> {
    kind: DirectoryKind,
    map: &'a HeaderMap,
    row: &'a SheetRow,
    errors: Vec<ImportRowError>,
}

impl<'a> RowReader<'a> {
    fn new(kind: DirectoryKind, map: &'a HeaderMap, row: &'a SheetRow) -> Self {
        let mut reader = Self {
            kind,
            map,
            row,
            errors: Vec::new(),
        };
        reader.check_lengths();
        reader
    }

    fn get(&self, key: &str) -> &'a str {
        self.map
            .position(key, self.kind)
            .and_then(|i| self.row.cells.get(i))
            .map(|s| s.trim())
            .unwrap_or("")
    }

    fn optional(&self, key: &str) -> Option<String> {
        let v = self.get(key);
        (!v.is_empty()).then(|| v.to_string())
    }

    fn error(&mut self, key: &str, message: impl Into<String>) {
        let column = self.map.label(key, self.kind);
        self.errors
            .push(ImportRowError::new(self.row.line, column, message));
    }

    fn sorted_errors(&mut self) -> Vec<ImportRowError> {
        let mut errors = std::mem::take(&mut self.errors);
        errors.sort_by_key(|e| self.map.file_position(&e.column));
        errors
    }

    fn field_errors(&mut self, errors: Vec<FieldError>) {
        for e in errors {
            self.error(&e.field, e.message);
        }
    }

    /// Required columns must have a value, and no value may exceed its column's length (PostgreSQL would refuse it).
    fn check_lengths(&mut self) {
        for c in self.kind.columns() {
            let v = self.get(c.key);
            if c.required && v.is_empty() {
                self.error(c.key, format!("{}不能为空 / {} is required", c.zh, c.en));
            } else if v.chars().count() > c.max_chars {
                self.error(
                    c.key,
                    format!(
                        "{}不能超过{}个字符 / At most {} characters",
                        c.zh, c.max_chars, c.max_chars
                    ),
                );
            }
        }
    }

    /// Drops the validators' own "required" messages where the length check already reported the empty cell.
    fn has_error(&self, key: &str) -> bool {
        let column = self.map.label(key, self.kind);
        self.errors.iter().any(|e| e.column == column)
    }
}

fn parse_bool(v: &str) -> Option<bool> {
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

/// A school row that passed the file checks.
pub struct SchoolRow {
    line: u64,
    input: SchoolInput,
    path: String,
    county_path: String,
}

/// A teacher row that passed the file checks, its personal data already sealed.
pub struct TeacherRow {
    line: u64,
    school_code: String,
    prepared: PreparedTeacher,
}

/// Rows that passed the checks that need no database, with every problem found so far.
struct Checked<T> {
    rows: Vec<T>,
    errors: Vec<ImportRowError>,
    total: u64,
    map: HeaderMap,
    /// Rows that already failed, with the reference the database checks still look at (teachers: the school
    /// code; schools: the county path), so every problem of a row is reported at once.
    refs: Vec<(u64, String)>,
}

fn check_school_rows(state: &AppState, sheet: Sheet) -> Checked<SchoolRow> {
    let kind = DirectoryKind::Schools;
    let (map, mut errors) = map_headers(kind, &sheet.headers);
    let total = sheet.rows.len() as u64;
    if !errors.is_empty() {
        return Checked {
            rows: Vec::new(),
            errors,
            total,
            map,
            refs: Vec::new(),
        };
    }
    let mut rows = Vec::with_capacity(sheet.rows.len());
    let mut refs = Vec::new();
    let mut seen = DuplicateTracker::default();
    for row in &sheet.rows {
        let mut r = RowReader::new(kind, &map, row);
        let urban_rural = match UrbanRural::parse(r.get("urban_rural")) {
            Some(v) => Some(v),
            None => {
                if !r.has_error("urban_rural") {
                    r.error(
                        "urban_rural",
                        "城乡属性应为 城区、镇区 或 乡村 / Must be urban, town or rural",
                    );
                }
                None
            }
        };
        let teaching_point = parse_bool(r.get("teaching_point")).unwrap_or_else(|| {
            r.error(
                "teaching_point",
                "是否教学点应为 是 或 否 / Must be yes (是) or no (否)",
            );
            false
        });
        let input = SchoolInput {
            code: r.get("code").to_string(),
            name: r.get("name").to_string(),
            county_code: r.get("county_code").to_string(),
            stage: r.get("stage").to_string(),
            urban_rural: urban_rural.unwrap_or(UrbanRural::Urban),
            teaching_point,
            address: r.optional("address"),
        };
        let path = match schools::check_input(state, &input) {
            Ok(path) => Some(path),
            Err(field_errors) => {
                let fresh: Vec<FieldError> = field_errors
                    .into_iter()
                    .filter(|e| !r.has_error(&e.field))
                    .collect();
                r.field_errors(fresh);
                None
            }
        };
        if !input.code.is_empty()
            && let Some(earlier) = seen.check(&input.code, row.line)
        {
            r.error(
                "code",
                format!("与第{earlier}行的学校标识码重复 / Same school code as line {earlier}"),
            );
        }
        match (path, r.errors.is_empty()) {
            (Some(path), true) => {
                let county_path = state
                    .regions
                    .get(&input.county_code)
                    .map(|c| c.path.clone())
                    .unwrap_or_default();
                rows.push(SchoolRow {
                    line: row.line,
                    input,
                    path,
                    county_path,
                });
            }
            _ => {
                if let Some(county) = state.regions.get(&input.county_code) {
                    refs.push((row.line, county.path.clone()));
                }
                errors.append(&mut r.sorted_errors());
            }
        }
    }
    Checked {
        rows,
        errors,
        total,
        map,
        refs,
    }
}

fn check_teacher_rows(state: &AppState, sheet: Sheet) -> Checked<TeacherRow> {
    let kind = DirectoryKind::Teachers;
    let (map, mut errors) = map_headers(kind, &sheet.headers);
    let total = sheet.rows.len() as u64;
    if !errors.is_empty() {
        return Checked {
            rows: Vec::new(),
            errors,
            total,
            map,
            refs: Vec::new(),
        };
    }
    let mut rows = Vec::with_capacity(sheet.rows.len());
    let mut refs = Vec::new();
    let mut seen = DuplicateTracker::default();
    for row in sheet.rows {
        let mut r = RowReader::new(kind, &map, &row);
        let teaching_years = match r.get("teaching_years") {
            "" => None,
            v => match v.parse::<i32>() {
                Ok(y) if (0..=60).contains(&y) => Some(y),
                _ => {
                    r.error(
                        "teaching_years",
                        "教龄应为0到60之间的整数 / Teaching years must be a whole number from 0 to 60",
                    );
                    None
                }
            },
        };
        let school_code = r.get("school_code").to_string();
        let input = TeacherInput {
            name: r.get("name").to_string(),
            id_card: r.get("id_card").to_string(),
            school_id: 0,
            phone: r.optional("phone"),
            email: r.optional("email"),
            teacher_number: r.optional("teacher_number"),
            stage: r.get("stage").to_string(),
            subject: r.get("subject").to_string(),
            title: r.optional("title"),
            education: r.optional("education"),
            teaching_years,
        };
        let id_key = input.id_card.trim().to_uppercase();
        if !id_key.is_empty()
            && let Some(earlier) = seen.check(&id_key, row.line)
        {
            r.error(
                "id_card",
                format!("与第{earlier}行的身份证号重复 / Same ID number as line {earlier}"),
            );
        }
        // `prepare` seals (encrypts) only a row whose fields are all valid.
        let prepared = match teachers::prepare(state, &input) {
            Ok(p) => Some(p),
            Err(field_errors) => {
                let fresh: Vec<FieldError> = field_errors
                    .into_iter()
                    .filter(|e| !r.has_error(&e.field))
                    .collect();
                r.field_errors(fresh);
                None
            }
        };
        match prepared {
            Some(prepared) if r.errors.is_empty() => rows.push(TeacherRow {
                line: row.line,
                school_code,
                prepared,
            }),
            _ => {
                if !school_code.is_empty() {
                    refs.push((row.line, school_code));
                }
                errors.append(&mut r.sorted_errors());
            }
        }
    }
    Checked {
        rows,
        errors,
        total,
        map,
        refs,
    }
}

/// IN-list size for the lookups of existing rows: as large as both engines' parameter limits allow. Each
/// statement costs a fixed ~45 ms on PostgreSQL over TCP here (client side; the server answers in ~1 ms),
/// so fewer, larger statements win: 1000-key chunks took 4.4 s for 100,000 teachers.
const LOOKUP_CHUNK: usize = 30_000;
/// Bind-parameter limits: SQLite refuses more than 32766, PostgreSQL more than 65535.
const SQLITE_MAX_PARAMS: usize = 32_766;
const POSTGRES_MAX_PARAMS: usize = 65_535;
const SCHOOL_COLUMN_COUNT: usize = 11;
const TEACHER_COLUMN_COUNT: usize = 21;

/// Rows per multi-row insert: as many as the engine's parameter limit takes, since (see above) every
/// statement has a fixed cost on PostgreSQL.
fn insert_batch(db: &impl ConnectionTrait, columns: usize) -> usize {
    let max = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => POSTGRES_MAX_PARAMS,
        _ => SQLITE_MAX_PARAMS,
    };
    (max / columns).saturating_sub(10).max(1)
}

/// The caller needs `import.run` somewhere and the right to write rows of this kind somewhere;
/// each row is then checked against where exactly they may write.
pub fn require_import(principal: &Principal, kind: DirectoryKind) -> AppResult<()> {
    if principal.scope(Permission::ImportRun).is_empty()
        || principal.scope(kind.write_permission()).is_empty()
    {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

pub fn check_size(state: &AppState, len: usize) -> AppResult<()> {
    let max = state.config.import_max_bytes;
    if len > max {
        let mb = max.div_ceil(1024 * 1024);
        return Err(AppError::TooLarge(
            format!("文件超过 {mb} MB 上限 / The file exceeds the {mb} MB limit").into(),
        ));
    }
    Ok(())
}

/// The whole import as the HTTP endpoint runs it: size and permission checks, parsing, validation of every
/// row, and — unless `dry_run` or any row is bad — one transaction writing every row.
pub async fn import_bytes(
    state: &AppState,
    principal: &Principal,
    kind: DirectoryKind,
    bytes: Vec<u8>,
    dry_run: bool,
) -> AppResult<ImportReport> {
    require_import(principal, kind)?;
    check_size(state, bytes.len())?;
    let sheet = tokio::task::spawn_blocking(move || parse_file(&bytes))
        .await
        .map_err(AppError::internal)??;
    import_sheet(state, principal, kind, sheet, dry_run).await
}

/// Validates and (unless `dry_run`) writes a sheet already read; the demo data goes through here.
pub async fn import_sheet(
    state: &AppState,
    principal: &Principal,
    kind: DirectoryKind,
    sheet: Sheet,
    dry_run: bool,
) -> AppResult<ImportReport> {
    require_import(principal, kind)?;
    match kind {
        DirectoryKind::Schools => import_schools(state, principal, sheet, dry_run).await,
        DirectoryKind::Teachers => import_teachers(state, principal, sheet, dry_run).await,
    }
}

/// Only the problems of a file, checked exactly as an import would (nothing is written).
pub async fn collect_errors(
    state: &AppState,
    principal: &Principal,
    kind: DirectoryKind,
    bytes: Vec<u8>,
) -> AppResult<Vec<ImportRowError>> {
    Ok(import_bytes(state, principal, kind, bytes, true)
        .await?
        .errors)
}

fn finish_report(
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

/// Where an import's audit entry sits in the tree: the caller's widest import scope.
fn audit_path(principal: &Principal) -> Option<String> {
    principal
        .scope(Permission::ImportRun)
        .prefixes
        .into_iter()
        .next()
}

async fn record_import(
    db: &impl ConnectionTrait,
    principal: &Principal,
    kind: DirectoryKind,
    report: &ImportReport,
) -> AppResult<()> {
    audit::record(
        db,
        Some(principal),
        AuditEvent {
            action: match kind {
                DirectoryKind::Schools => "import.schools",
                DirectoryKind::Teachers => "import.teachers",
            },
            target_type: "import",
            target_id: None,
            target_path: audit_path(principal),
            detail: serde_json::json!({
                "total_rows": report.total_rows,
                "created": report.created,
                "updated": report.updated,
            }),
        },
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// Schools

struct SchoolPlan {
    rows: Vec<SchoolRow>,
    /// Existing schools by code: (id, path).
    existing: HashMap<String, (i64, String)>,
    errors: Vec<ImportRowError>,
    total: u64,
    map: HeaderMap,
}

impl SchoolPlan {
    fn report(&self, committed: bool) -> ImportReport {
        let created = self
            .rows
            .iter()
            .filter(|r| !self.existing.contains_key(&r.input.code))
            .count() as u64;
        finish_report(
            &self.map,
            self.total,
            self.rows.len() as u64,
            created,
            self.errors.clone(),
            committed,
        )
    }
}

async fn import_schools(
    state: &AppState,
    principal: &Principal,
    sheet: Sheet,
    dry_run: bool,
) -> AppResult<ImportReport> {
    let owned = state.clone();
    let checked = tokio::task::spawn_blocking(move || check_school_rows(&owned, sheet))
        .await
        .map_err(AppError::internal)?;
    if dry_run {
        return Ok(plan_schools(&state.db, principal, checked)
            .await?
            .report(false));
    }
    // The lookups run inside the write transaction, so what they saw is what gets written.
    let txn = begin_write(&state.db).await?;
    let plan = plan_schools(&txn, principal, checked).await?;
    if !plan.errors.is_empty() {
        txn.rollback().await?;
        return Ok(plan.report(false));
    }
    let report = plan.report(true);
    write_schools(&txn, &plan).await?;
    record_import(&txn, principal, DirectoryKind::Schools, &report).await?;
    txn.commit().await?;
    Ok(report)
}

async fn plan_schools(
    db: &impl ConnectionTrait,
    principal: &Principal,
    checked: Checked<SchoolRow>,
) -> AppResult<SchoolPlan> {
    let kind = DirectoryKind::Schools;
    let mut existing = HashMap::new();
    let codes: Vec<String> = checked.rows.iter().map(|r| r.input.code.clone()).collect();
    for chunk in codes.chunks(LOOKUP_CHUNK) {
        let found: Vec<(i64, String, String)> = school::Entity::find()
            .select_only()
            .columns([
                school::Column::Id,
                school::Column::Code,
                school::Column::Path,
            ])
            .filter(school::Column::Code.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        existing.extend(found.into_iter().map(|(id, code, path)| (code, (id, path))));
    }
    let scope = principal.scope(Permission::SchoolWrite);
    let mut errors = checked.errors;
    let mut rows = Vec::with_capacity(checked.rows.len());
    for row in checked.rows {
        let mut ok = true;
        if !scope.covers(&row.county_path) {
            ok = false;
            errors.push(ImportRowError::new(
                row.line,
                checked.map.label("county_code", kind),
                "该区县不在您的管理范围 / This county is outside your area",
            ));
        }
        if let Some((_, path)) = existing.get(&row.input.code)
            && !scope.covers(path)
        {
            ok = false;
            errors.push(ImportRowError::new(
                row.line,
                checked.map.label("code", kind),
                "该学校标识码已属于您管理范围之外的学校 / This code belongs to a school outside your area",
            ));
        }
        if ok {
            rows.push(row);
        }
    }
    for (line, county_path) in checked.refs {
        if !scope.covers(&county_path) {
            errors.push(ImportRowError::new(
                line,
                checked.map.label("county_code", kind),
                "该区县不在您的管理范围 / This county is outside your area",
            ));
        }
    }
    Ok(SchoolPlan {
        rows,
        existing,
        errors,
        total: checked.total,
        map: checked.map,
    })
}

async fn write_schools(db: &impl ConnectionTrait, plan: &SchoolPlan) -> AppResult<()> {
    let now = Utc::now();
    for chunk in plan.rows.chunks(insert_batch(db, SCHOOL_COLUMN_COUNT)) {
        let models = chunk.iter().map(|r| school::ActiveModel {
            code: Set(r.input.code.clone()),
            name: Set(r.input.name.clone()),
            county_code: Set(r.input.county_code.clone()),
            path: Set(r.path.clone()),
            stage: Set(r.input.stage.clone()),
            urban_rural: Set(r.input.urban_rural.as_str().to_string()),
            teaching_point: Set(r.input.teaching_point),
            address: Set(r.input.address.clone()),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        school::Entity::insert_many(models)
            .on_conflict(
                OnConflict::column(school::Column::Code)
                    .update_columns([
                        school::Column::Name,
                        school::Column::CountyCode,
                        school::Column::Path,
                        school::Column::Stage,
                        school::Column::UrbanRural,
                        school::Column::TeachingPoint,
                        school::Column::Address,
                        school::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    // A school moved to another county takes its teachers and school-bound roles along.
    for row in &plan.rows {
        if let Some((id, old_path)) = plan.existing.get(&row.input.code)
            && *old_path != row.path
        {
            teacher::Entity::update_many()
                .col_expr(teacher::Column::Path, Expr::val(row.path.clone()))
                .filter(teacher::Column::SchoolId.eq(*id))
                .exec(db)
                .await?;
            account_role::Entity::update_many()
                .col_expr(account_role::Column::ScopePath, Expr::val(row.path.clone()))
                .filter(account_role::Column::ScopeCode.eq(row.input.code.clone()))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// Teachers

struct TeacherPlan {
    rows: Vec<TeacherRow>,
    schools: HashMap<String, school::Model>,
    /// Keyed hashes of the ID numbers already registered, with the teacher's path and active flag.
    existing: HashMap<String, (String, bool)>,
    /// Registered teachers found under an older key's hash: rekeyed before the upsert, which matches on the
    /// current hash.
    stale: Vec<i64>,
    errors: Vec<ImportRowError>,
    total: u64,
    map: HeaderMap,
}

impl TeacherPlan {
    /// How the active-teacher count of each school changes: new teachers arrive active; an active teacher whose
    /// school changes moves from the old school's count to the new one's.
    fn teacher_count_moves(&self) -> HashMap<String, i64> {
        let mut moves: HashMap<String, i64> = HashMap::new();
        for row in &self.rows {
            let Some(school) = self.schools.get(&row.school_code) else {
                continue;
            };
            match self.existing.get(&row.prepared.id_card_hash) {
                None => *moves.entry(school.path.clone()).or_default() += 1,
                Some((old, true)) if *old != school.path => {
                    *moves.entry(old.clone()).or_default() -= 1;
                    *moves.entry(school.path.clone()).or_default() += 1;
                }
                Some(_) => {}
            }
        }
        moves
    }

    fn report(&self, committed: bool) -> ImportReport {
        let created = self
            .rows
            .iter()
            .filter(|r| !self.existing.contains_key(&r.prepared.id_card_hash))
            .count() as u64;
        finish_report(
            &self.map,
            self.total,
            self.rows.len() as u64,
            created,
            self.errors.clone(),
            committed,
        )
    }
}

/// Splits the row checks (parsing, validation, encryption) over the available cores, keeping line order.
fn check_teacher_rows_parallel(state: &AppState, sheet: Sheet) -> Checked<TeacherRow> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    if threads < 2 || sheet.rows.len() < 4000 {
        return check_teacher_rows(state, sheet);
    }
    let (map, header_errors) = map_headers(DirectoryKind::Teachers, &sheet.headers);
    if !header_errors.is_empty() {
        return check_teacher_rows(state, sheet);
    }
    drop(map);
    let Sheet { headers, mut rows } = sheet;
    let total = rows.len() as u64;
    let per = rows.len().div_ceil(threads);
    let mut parts = Vec::new();
    while !rows.is_empty() {
        let tail = rows.split_off(per.min(rows.len()));
        parts.push(std::mem::replace(&mut rows, tail));
    }
    let results: Vec<Checked<TeacherRow>> = std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| {
                let headers = headers.clone();
                s.spawn(move || {
                    check_teacher_rows(
                        state,
                        Sheet {
                            headers,
                            rows: part,
                        },
                    )
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    // Duplicates across parts: each part only saw its own rows.
    let mut seen = DuplicateTracker::default();
    let mut merged = Checked {
        rows: Vec::with_capacity(total as usize),
        errors: Vec::new(),
        total,
        map: map_headers(DirectoryKind::Teachers, &headers).0,
        refs: Vec::new(),
    };
    for part in results {
        merged.errors.extend(part.errors);
        merged.refs.extend(part.refs);
        for row in part.rows {
            if let Some(earlier) = seen.check(&row.prepared.id_card_hash, row.line) {
                merged.errors.push(ImportRowError::new(
                    row.line,
                    merged.map.label("id_card", DirectoryKind::Teachers),
                    format!("与第{earlier}行的身份证号重复 / Same ID number as line {earlier}"),
                ));
            } else {
                merged.rows.push(row);
            }
        }
    }
    merged
}

async fn import_teachers(
    state: &AppState,
    principal: &Principal,
    sheet: Sheet,
    dry_run: bool,
) -> AppResult<ImportReport> {
    let started = std::time::Instant::now();
    let owned = state.clone();
    let checked = tokio::task::spawn_blocking(move || check_teacher_rows_parallel(&owned, sheet))
        .await
        .map_err(AppError::internal)?;
    let checked_at = started.elapsed();
    if dry_run {
        return Ok(plan_teachers(&state.db, principal, checked)
            .await?
            .report(false));
    }
    let txn = begin_write(&state.db).await?;
    let plan = plan_teachers(&txn, principal, checked).await?;
    let planned_at = started.elapsed();
    if !plan.errors.is_empty() {
        txn.rollback().await?;
        return Ok(plan.report(false));
    }
    let report = plan.report(true);
    let moves = plan.teacher_count_moves();
    crate::platform::rekey::rekey_rows(
        &txn,
        &state.keys,
        crate::platform::rekey::teachers(),
        &plan.stale,
    )
    .await
    .map_err(AppError::internal)?;
    write_teachers(&txn, plan).await?;
    for (path, delta) in moves {
        stats::add_teachers(&txn, &path, delta).await?;
    }
    record_import(&txn, principal, DirectoryKind::Teachers, &report).await?;
    txn.commit().await?;
    tracing::debug!(
        rows = report.total_rows,
        check_ms = checked_at.as_millis() as u64,
        lookup_ms = (planned_at - checked_at).as_millis() as u64,
        write_ms = (started.elapsed() - planned_at).as_millis() as u64,
        "teacher import"
    );
    Ok(report)
}

async fn plan_teachers(
    db: &impl ConnectionTrait,
    principal: &Principal,
    checked: Checked<TeacherRow>,
) -> AppResult<TeacherPlan> {
    let kind = DirectoryKind::Teachers;
    let codes: Vec<String> = checked
        .rows
        .iter()
        .map(|r| r.school_code.clone())
        .chain(checked.refs.iter().map(|(_, code)| code.clone()))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut schools = HashMap::new();
    for chunk in codes.chunks(LOOKUP_CHUNK) {
        let found = school::Entity::find()
            .filter(school::Column::Code.is_in(chunk.to_vec()))
            .all(db)
            .await?;
        schools.extend(found.into_iter().map(|s| (s.code.clone(), s)));
    }
    // A registered ID number may still carry an older key's hash until a rekey has finished: look for every
    // hash, and key what is found by the current one.
    let mut current_of: HashMap<&str, &str> = HashMap::new();
    for row in &checked.rows {
        let current = row.prepared.id_card_hash.as_str();
        current_of.insert(current, current);
        for older in &row.prepared.id_card_older_hashes {
            current_of.insert(older.as_str(), current);
        }
    }
    let hashes: Vec<&str> = current_of.keys().copied().collect();
    let mut existing_paths: HashMap<String, (String, bool)> = HashMap::new();
    let mut stale = Vec::new();
    for chunk in hashes.chunks(LOOKUP_CHUNK) {
        let found: Vec<(i64, String, String, bool)> = teacher::Entity::find()
            .select_only()
            .columns([
                teacher::Column::Id,
                teacher::Column::IdCardHash,
                teacher::Column::Path,
                teacher::Column::Active,
            ])
            .filter(teacher::Column::IdCardHash.is_in(chunk.iter().map(|h| h.to_string())))
            .into_tuple()
            .all(db)
            .await?;
        for (id, hash, path, active) in found {
            let current = current_of
                .get(hash.as_str())
                .copied()
                .unwrap_or(hash.as_str());
            if current != hash {
                stale.push(id);
            }
            existing_paths.insert(current.to_string(), (path, active));
        }
    }
    let scope = principal.scope(Permission::TeacherWrite);
    let mut errors = checked.errors;
    let mut rows = Vec::with_capacity(checked.rows.len());
    for row in checked.rows {
        let mut ok = true;
        match schools.get(&row.school_code) {
            Some(s) if scope.covers(&s.path) => {}
            _ => {
                ok = false;
                errors.push(ImportRowError::new(
                    row.line,
                    checked.map.label("school_code", kind),
                    "学校不存在或不在您的管理范围 / No such school in your area",
                ));
            }
        }
        if let Some((path, _)) = existing_paths.get(&row.prepared.id_card_hash)
            && !scope.covers(path)
        {
            ok = false;
            errors.push(ImportRowError::new(
                row.line,
                checked.map.label("id_card", kind),
                "该身份证号已在您管理范围之外登记 / This ID number is registered outside your area",
            ));
        }
        if ok {
            rows.push(row);
        }
    }
    for (line, code) in checked.refs {
        if !schools.get(&code).is_some_and(|s| scope.covers(&s.path)) {
            errors.push(ImportRowError::new(
                line,
                checked.map.label("school_code", kind),
                "学校不存在或不在您的管理范围 / No such school in your area",
            ));
        }
    }
    Ok(TeacherPlan {
        rows,
        schools,
        existing: existing_paths,
        stale,
        errors,
        total: checked.total,
        map: checked.map,
    })
}

/// Writes the teachers in multi-row upserts. The statements are built on a blocking thread while the
/// database executes the previous one, so building (CPU) and writing (I/O) overlap.
async fn write_teachers(db: &impl ConnectionTrait, plan: TeacherPlan) -> AppResult<()> {
    let backend = db.get_database_backend();
    let batch = insert_batch(db, TEACHER_COLUMN_COUNT);
    let TeacherPlan { rows, schools, .. } = plan;
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Statement>(1);
    let builder = tokio::task::spawn_blocking(move || -> AppResult<()> {
        let now = Utc::now();
        let mut rows = rows.into_iter();
        loop {
            let mut models = Vec::with_capacity(batch);
            for row in rows.by_ref().take(batch) {
                let Some(school) = schools.get(&row.school_code) else {
                    return Err(AppError::internal("school vanished during import"));
                };
                let mut model = teacher::ActiveModel {
                    active: Set(true),
                    created_at: Set(now),
                    ..Default::default()
                };
                row.prepared.apply(&mut model, school);
                models.push(model);
            }
            if models.is_empty() {
                return Ok(());
            }
            let statement = teacher::Entity::insert_many(models)
                .on_conflict(
                    OnConflict::column(teacher::Column::IdCardHash)
                        .update_columns([
                            teacher::Column::Name,
                            teacher::Column::Gender,
                            teacher::Column::SchoolId,
                            teacher::Column::Path,
                            teacher::Column::IdCardEnc,
                            teacher::Column::IdCardMasked,
                            teacher::Column::BirthDate,
                            teacher::Column::PhoneEnc,
                            teacher::Column::PhoneHash,
                            teacher::Column::PhoneMasked,
                            teacher::Column::Email,
                            teacher::Column::TeacherNumber,
                            teacher::Column::Stage,
                            teacher::Column::Subject,
                            teacher::Column::Title,
                            teacher::Column::Education,
                            teacher::Column::TeachingYears,
                            teacher::Column::UpdatedAt,
                        ])
                        .to_owned(),
                )
                .build(backend);
            if sender.blocking_send(statement).is_err() {
                // The writer stopped on an error; it reports it.
                return Ok(());
            }
        }
    });
    while let Some(statement) = receiver.recv().await {
        if let Err(e) = db.execute_raw(statement).await {
            drop(receiver);
            let _ = builder.await;
            return Err(e.into());
        }
    }
    builder.await.map_err(AppError::internal)?
}

// ---------------------------------------------------------------------------------------------------------------
// Templates and error reports

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::internal(format!("xlsx: {e}"))
}

fn csv_bytes(rows: &[Vec<String>]) -> AppResult<Vec<u8>> {
    let mut writer = sheet::CsvSheet::new();
    for row in rows {
        writer.text_row(row).map_err(AppError::internal)?;
    }
    writer.finish().map_err(AppError::internal)
}

/// A blank import file: the header row (Chinese headers; English ones are accepted too) and one example row.
pub fn template(kind: DirectoryKind, format: FileFormat) -> AppResult<Vec<u8>> {
    let columns = kind.columns();
    let header: Vec<String> = columns.iter().map(|c| c.zh.to_string()).collect();
    let example: Vec<String> = columns.iter().map(|c| c.example.to_string()).collect();
    if format == FileFormat::Csv {
        return csv_bytes(&[header, example]);
    }
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(match kind {
            DirectoryKind::Schools => "学校",
            DirectoryKind::Teachers => "教师",
        })
        .map_err(xlsx_error)?;
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
    notes.set_name("说明").map_err(xlsx_error)?;
    for (col, title) in ["列名", "English header", "必填 / Required", "说明 / Notes"]
        .iter()
        .enumerate()
    {
        notes
            .write_string_with_format(0, col as u16, *title, &bold)
            .map_err(xlsx_error)?;
    }
    notes.set_column_width(3, 60).map_err(xlsx_error)?;
    for (i, c) in columns.iter().enumerate() {
        let row = i as u32 + 1;
        notes.write_string(row, 0, c.zh).map_err(xlsx_error)?;
        notes.write_string(row, 1, c.en).map_err(xlsx_error)?;
        notes
            .write_string(row, 2, if c.required { "是 / yes" } else { "否 / no" })
            .map_err(xlsx_error)?;
        notes
            .write_string(row, 3, column_note(c.key))
            .map_err(xlsx_error)?;
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

fn column_note(key: &str) -> String {
    match key {
        "code" | "school_code" => "10位学校标识码 / 10-digit school code".into(),
        "county_code" => "6位区县行政区划代码 / 6-digit county code".into(),
        "stage" => format!("{} 之一 / one of these", schools::STAGES.join("、")),
        "urban_rural" => "城区 / 镇区 / 乡村 (urban / town / rural)".into(),
        "teaching_point" => "是 / 否 (true / false)，默认否 / default no".into(),
        "id_card" => "18位身份证号，加密存储 / 18-character ID number, stored encrypted".into(),
        "phone" => "11位手机号，加密存储 / 11-digit mobile, stored encrypted".into(),
        "teaching_years" => "0–60 的整数 / whole number 0–60".into(),
        _ => String::new(),
    }
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

// ---------------------------------------------------------------------------------------------------------------
// Command line

/// The principal of an active account, as if it had signed in (for `yanxiu import`, demo data and benchmarks).
pub async fn principal_by_username(state: &AppState, username: &str) -> anyhow::Result<Principal> {
    use entity::account;
    let account = account::Entity::find()
        .filter(account::Column::Username.eq(username.trim().to_lowercase()))
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no account {username}"))?;
    let (principal, _) = crate::auth::load_principal(state, account.id)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .ok_or_else(|| anyhow::anyhow!("account {username} is not active"))?;
    Ok(principal)
}

/// `yanxiu import <kind> <file>`: imports a file as the given account and prints the report.
/// Returns whether the file was free of errors.
pub async fn import_file_command(
    state: &AppState,
    kind: &str,
    file: &std::path::Path,
    dry_run: bool,
    as_user: &str,
) -> anyhow::Result<bool> {
    let kind = DirectoryKind::parse(kind)
        .ok_or_else(|| anyhow::anyhow!("kind must be schools or teachers, not {kind}"))?;
    let principal = principal_by_username(state, as_user).await?;
    let bytes = std::fs::read(file)?;
    let report = import_bytes(state, &principal, kind, bytes, dry_run)
        .await
        .map_err(|e| match e {
            AppError::Validation(errors) => anyhow::anyhow!(
                "{}",
                errors
                    .iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            other => anyhow::anyhow!("{other}"),
        })?;
    print_report(&report);
    Ok(report.errors.is_empty())
}

pub fn print_report(report: &ImportReport) {
    println!(
        "rows: {}  valid: {}  created: {}  updated: {}  committed: {}  errors: {}",
        report.total_rows,
        report.valid_rows,
        report.created,
        report.updated,
        report.committed,
        report.errors.len()
    );
    for e in &report.errors {
        println!("  line {:>6}  {:<12}  {}", e.line, e.column, e.message);
    }
}

/// A birth date well inside the accepted age range, for generated teachers.
pub fn sample_birth_date(seed: u32) -> NaiveDate {
    let year = 1965 + (seed % 35) as i32;
    let month = 1 + (seed / 35) % 12;
    let day = 1 + (seed / 420) % 28;
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}

/// The check digit of a generated 身份证号 is computed, not guessed.
pub fn generated_id_card(area: &str, seed: u32) -> String {
    validate::make_id_card(area, sample_birth_date(seed), seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn chinese_and_english_headers_map_to_the_same_columns() {
        let (zh, errors) = map_headers(
            DirectoryKind::Schools,
            &headers(&[
                "学校标识码",
                "学校名称*",
                "所在区县代码",
                "学段类别",
                "城乡属性",
            ]),
        );
        assert!(errors.is_empty(), "{errors:?}");
        let (en, errors) = map_headers(
            DirectoryKind::Schools,
            &headers(&[
                "\u{feff}Code",
                " name ",
                "county_code",
                "Stage",
                "urban_rural",
                "address",
            ]),
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(zh.position("name", DirectoryKind::Schools), Some(1));
        assert_eq!(en.position("address", DirectoryKind::Schools), Some(5));
        assert_eq!(en.label("name", DirectoryKind::Schools), "name");
        assert_eq!(zh.label("name", DirectoryKind::Schools), "学校名称*");
        assert_eq!(zh.label("address", DirectoryKind::Schools), "地址");
    }

    #[test]
    fn unknown_repeated_and_missing_headers_are_reported_on_line_one() {
        let (_, errors) = map_headers(
            DirectoryKind::Teachers,
            &headers(&["姓名", "name", "身份证号", "工号", "", "任教学科"]),
        );
        let columns: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
        assert!(errors.iter().all(|e| e.line == 1));
        assert!(columns.contains(&"name"), "repeated: {columns:?}");
        assert!(columns.contains(&"工号"), "unknown: {columns:?}");
        assert!(columns.contains(&"学校标识码"), "missing: {columns:?}");
        assert!(columns.contains(&"任教学段"), "missing: {columns:?}");
        assert!(
            !columns.contains(&"手机号"),
            "optional columns may be absent"
        );
    }

    #[test]
    fn csv_lines_count_the_header_skip_blank_rows_and_ignore_breaks_inside_quotes() {
        let text = "\u{feff}a,b\n1,2\n\n,\n\"multi\nline\",3\n4,5\n";
        let bytes = text.as_bytes();
        let sheet = parse_file(bytes).expect("parses");
        assert_eq!(sheet.headers, headers(&["a", "b"]));
        let lines: Vec<u64> = sheet.rows.iter().map(|r| r.line).collect();
        // Spreadsheet rows: 1 header, 2 data, 3 blank, 4 blank (only commas), 5 multi-line cell, 6 data.
        assert_eq!(lines, vec![2, 5, 6]);
        assert_eq!(sheet.rows[1].cells[0], "multi\nline");
    }

    #[test]
    fn xlsx_template_reads_back_with_its_headers_and_lines() {
        let bytes = template(DirectoryKind::Teachers, FileFormat::Xlsx).expect("template");
        assert!(bytes.starts_with(b"PK\x03\x04"));
        let sheet = parse_file(&bytes).expect("parses");
        let (_, errors) = map_headers(DirectoryKind::Teachers, &sheet.headers);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(sheet.rows.len(), 1);
        assert_eq!(sheet.rows[0].line, 2);
        assert_eq!(sheet.rows[0].cells[1], EXAMPLE_ID_CARD);
        let csv = template(DirectoryKind::Schools, FileFormat::Csv).expect("template");
        assert!(csv.starts_with(b"\xEF\xBB\xBF"));
        assert_eq!(parse_file(&csv).expect("parses").rows.len(), 1);
    }

    #[test]
    fn example_id_card_is_valid() {
        assert!(validate::id_card(EXAMPLE_ID_CARD).is_ok());
        assert!(validate::id_card(&generated_id_card("510704", 12345)).is_ok());
    }

    #[test]
    fn garbage_is_rejected_with_a_clear_message() {
        let err = parse_file(&[0xff, 0xfe, 0x00, 0x41]).expect_err("not UTF-8");
        assert!(matches!(err, AppError::Validation(ref e) if e[0].message.contains("UTF-8")));
        let err = parse_file(b"PK\x03\x04garbage").expect_err("not a workbook");
        assert!(matches!(err, AppError::Validation(_)));
        assert!(parse_file(b"").is_err());
    }

    #[test]
    fn insert_batches_respect_the_parameter_limits() {
        use sea_orm::Iterable;
        // Every column but the generated id is bound on insert.
        assert_eq!(teacher::Column::iter().count() - 1, TEACHER_COLUMN_COUNT);
        assert_eq!(school::Column::iter().count() - 1, SCHOOL_COLUMN_COUNT);
    }

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

    #[test]
    fn error_report_is_a_workbook() {
        let bytes = error_report_xlsx(&[ImportRowError::new(3, "身份证号", "bad")]).expect("xlsx");
        let sheet = parse_file(&bytes).expect("parses");
        assert_eq!(sheet.rows[0].cells, headers(&["3", "身份证号", "bad"]));
    }
}
