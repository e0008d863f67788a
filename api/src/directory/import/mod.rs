//! Bulk import of schools and teachers from CSV or XLSX.
//!
//! Validation first: every row is checked (the same field rules as the single-record API, plus duplicates inside
//! the file, the caller's scope and references to existing schools) and every problem is reported with its
//! spreadsheet line (the header is line 1), column and reason. Only a file without a single problem is written,
//! all rows in one transaction, as multi-row upserts keyed on 学校标识码 / the keyed hash of the 身份证号.
//! Reading, column matching and reports are [`crate::platform::tabular`]'s; the rules of each kind are in
//! [`school_rows`] and [`teacher_rows`].
mod school_rows;
mod teacher_rows;

use school_rows::import_schools;
use teacher_rows::import_teachers;

use chrono::NaiveDate;
use entity::account;
use poem_openapi::Enum;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{
    labels::{Labelled, Stage},
    validate,
};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    platform::{
        audit::{self, AuditEvent},
        error::{AppError, AppResult},
        i18n::{catalogue::directory as dm, t},
        tabular::{
            self, ColumnSpec, ExportColumn, FileFormat, HeaderMap, ImportReport, ImportRowError,
            Sheet, SheetBudget, columns::column as col, download::check_size, exported,
        },
    },
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

    /// The columns of this kind's export, which an import reads back.
    pub fn exported(self) -> &'static [ExportColumn] {
        match self {
            DirectoryKind::Schools => SCHOOL_EXPORT,
            DirectoryKind::Teachers => TEACHER_EXPORT,
        }
    }

    /// Matches a file's header row to this kind's columns.
    pub(super) fn map_headers(self, headers: &[String]) -> (HeaderMap, Vec<ImportRowError>) {
        tabular::map_headers(self.columns(), self.exported(), headers)
    }

    /// The permission that writing rows of this kind needs, besides `import.run`.
    pub(super) fn write_permission(self) -> Permission {
        match self {
            DirectoryKind::Schools => Permission::SchoolWrite,
            DirectoryKind::Teachers => Permission::TeacherWrite,
        }
    }
}

/// The schools export: the import's columns (so the file reads back as an import) and, for people, the county's
/// and city's names and the status, which an import skips.
pub const SCHOOL_EXPORT: &[ExportColumn] = &[
    exported(Some("code"), &dm::ColSchoolCode, 14.0),
    exported(Some("name"), &dm::ColSchoolName, 30.0),
    exported(Some("county_code"), &dm::ColCountyCode, 12.0),
    exported(None, &dm::ColCounty, 12.0),
    exported(None, &dm::ColCity, 12.0),
    exported(Some("stage"), &dm::ColSchoolStage, 12.0),
    exported(Some("urban_rural"), &dm::ColUrbanRural, 10.0),
    exported(Some("teaching_point"), &dm::ColTeachingPoint, 10.0),
    exported(Some("address"), &dm::ColAddress, 36.0),
    exported(None, &dm::ColStatus, 8.0),
];

/// The teachers export, masked: its headers read back as the import's, though a masked ID number does not.
pub const TEACHER_EXPORT: &[ExportColumn] = &[
    exported(Some("name"), &dm::ColName, 10.0),
    exported(None, &dm::ColGender, 6.0),
    exported(Some("id_card"), &dm::ColIdCard, 20.0),
    exported(Some("school_code"), &dm::ColSchoolCode, 14.0),
    exported(None, &dm::ColSchoolName, 30.0),
    exported(Some("phone"), &dm::ColPhone, 14.0),
    exported(Some("email"), &dm::ColEmail, 24.0),
    exported(Some("teacher_number"), &dm::ColTeacherNumber, 12.0),
    exported(Some("stage"), &dm::ColTeacherStage, 10.0),
    exported(Some("subject"), &dm::ColSubject, 10.0),
    exported(Some("title"), &dm::ColTitle, 10.0),
    exported(Some("education"), &dm::ColEducation, 8.0),
    exported(Some("teaching_years"), &dm::ColTeachingYears, 6.0),
    exported(None, &dm::ColStatus, 8.0),
];

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

/// Schools and teachers: a province's whole directory fits in one file (about a million teachers), so the budget
/// is the largest of any import. At its limits one read holds at most about 1.3 GB; see `platform::sheet`.
pub const DIRECTORY_SHEET: SheetBudget = SheetBudget::new(1_050_000, 64)
    .with_cells(16_000_000)
    .with_text_bytes(160 * 1024 * 1024)
    .with_shared_strings_bytes(128 * 1024 * 1024)
    .with_archive_bytes(1024 * 1024 * 1024);

/// Reads an uploaded directory file (XLSX or UTF-8 CSV) within [`DIRECTORY_SHEET`].
pub fn parse_file(bytes: &[u8]) -> AppResult<Sheet> {
    tabular::read::read(bytes, &DIRECTORY_SHEET)
}

/// Rows that passed the checks that need no database, with every problem found so far.
pub(super) struct Checked<T> {
    pub(super) rows: Vec<T>,
    pub(super) errors: Vec<ImportRowError>,
    pub(super) total: u64,
    pub(super) map: HeaderMap,
    /// Rows that already failed, with the reference the database checks still look at (teachers: the school
    /// code; schools: the county path), so every problem of a row is reported at once.
    pub(super) refs: Vec<(u64, String)>,
}

/// IN-list size for the lookups of existing rows: as large as both engines' parameter limits allow. Each
/// statement costs a fixed ~45 ms on PostgreSQL over TCP here (client side; the server answers in ~1 ms),
/// so fewer, larger statements win: 1000-key chunks took 4.4 s for 100,000 teachers.
pub(super) const LOOKUP_CHUNK: usize = 30_000;
/// Bind-parameter limits: SQLite refuses more than 32766, PostgreSQL more than 65535.
const SQLITE_MAX_PARAMS: usize = 32_766;
const POSTGRES_MAX_PARAMS: usize = 65_535;
pub(super) const SCHOOL_COLUMN_COUNT: usize = 11;
pub(super) const TEACHER_COLUMN_COUNT: usize = 21;

/// Rows per multi-row insert: as many as the engine's parameter limit takes, since (see above) every
/// statement has a fixed cost on PostgreSQL.
pub(super) fn insert_batch(db: &impl ConnectionTrait, columns: usize) -> usize {
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
    let sheet = crate::platform::i18n::spawn_blocking(move || parse_file(&bytes))
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

/// Where an import's audit entry sits in the tree: the caller's widest import scope.
fn audit_path(principal: &Principal) -> Option<String> {
    principal
        .scope(Permission::ImportRun)
        .prefixes
        .into_iter()
        .next()
}

pub(super) async fn record_import(
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

/// A blank import file: the header row (Chinese headers; English ones are accepted too) and one example row.
pub fn template(kind: DirectoryKind, format: FileFormat) -> AppResult<Vec<u8>> {
    let sheet_name = match kind {
        DirectoryKind::Schools => t(dm::SchoolsSheet),
        DirectoryKind::Teachers => t(dm::TeachersSheet),
    };
    tabular::write::template(&sheet_name, kind.columns(), column_note, format)
}

fn column_note(key: &str) -> String {
    match key {
        "code" | "school_code" => t(dm::SchoolCodeNote),
        "county_code" => t(dm::CountyCodeNote),
        "stage" => t(dm::StageNote {
            allowed: Stage::allowed(),
        }),
        "urban_rural" => t(dm::UrbanRuralNote),
        "teaching_point" => t(dm::TeachingPointNote),
        "id_card" => t(dm::IdCardNote),
        "phone" => t(dm::PhoneNote),
        "teaching_years" => t(dm::TeachingYearsNote),
        _ => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Command line

/// The principal of an active account, as if it had signed in (for `yanxiu import`, demo data and benchmarks).
pub async fn principal_by_username(
    db: &impl ConnectionTrait,
    username: &str,
) -> anyhow::Result<Principal> {
    let account = account::Entity::find()
        .filter(account::Column::Username.eq(username.trim().to_lowercase()))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no account {username}"))?;
    let (principal, _) = crate::auth::load_principal(db, account.id)
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
    let principal = principal_by_username(&state.db, as_user).await?;
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

    fn map_headers(
        columns: &'static [ColumnSpec],
        headers: &[String],
    ) -> (HeaderMap, Vec<ImportRowError>) {
        crate::platform::tabular::map_headers(columns, &[], headers)
    }

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn chinese_and_english_headers_map_to_the_same_columns() {
        let (zh, errors) = map_headers(
            DirectoryKind::Schools.columns(),
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
            DirectoryKind::Schools.columns(),
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
        assert_eq!(zh.position("name"), Some(1));
        assert_eq!(en.position("address"), Some(5));
        assert_eq!(en.label("name"), "name");
        assert_eq!(zh.label("name"), "学校名称*");
        assert_eq!(zh.label("address"), "地址");
    }

    #[test]
    fn unknown_repeated_and_missing_headers_are_reported_on_line_one() {
        let (_, errors) = map_headers(
            DirectoryKind::Teachers.columns(),
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
        let (_, errors) = map_headers(DirectoryKind::Teachers.columns(), &sheet.headers);
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
        assert_eq!(
            entity::teacher::Column::iter().count() - 1,
            TEACHER_COLUMN_COUNT
        );
        assert_eq!(
            entity::school::Column::iter().count() - 1,
            SCHOOL_COLUMN_COUNT
        );
    }
}
