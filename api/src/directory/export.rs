//! Scoped, masked export of schools and teachers as CSV (UTF-8 with a BOM, so Excel opens it) or XLSX.
//!
//! The rows come from the same scoped queries as the list endpoints, read in keyset pages by id so a
//! province-wide export never holds the whole table; teachers carry only the masked ID number and phone.
use std::collections::HashMap;

use chrono::Utc;
use entity::{school, teacher};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{
    import::{self, DirectoryKind},
    labels::{Labelled, Stage, UrbanRural},
    schools::{self, SchoolFilter},
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
        i18n::{
            catalogue::{
                directory as dm,
                tabular::{FlagNo, FlagYes},
            },
            t,
        },
        tabular::{ExportColumn, FileFormat, Sink},
    },
};

/// Rows read from the database per query.
const PAGE: u64 = 5000;

/// The list filters, for either kind (each kind uses the ones that apply to it).
#[derive(Debug, Default, Clone)]
pub struct ExportFilter {
    pub region: Option<String>,
    pub stage: Option<Stage>,
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

fn yes_no(flag: bool) -> String {
    if flag { t(FlagYes) } else { t(FlagNo) }
}

fn status(active: bool) -> String {
    if active {
        t(dm::StatusActive)
    } else {
        t(dm::StatusInactive)
    }
}

/// Exports what the caller can see (and may export) as a file. Needs `export.run`; leaves an audit entry.
pub async fn export(
    state: &AppState,
    principal: &Principal,
    kind: DirectoryKind,
    format: FileFormat,
    filter: ExportFilter,
) -> AppResult<ExportFile> {
    let _timer = crate::platform::metrics::export_timer("directory");
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
        stage: filter.stage,
        urban_rural: filter.urban_rural,
        teaching_point: filter.teaching_point,
        active: filter.active,
        keyword: filter.keyword.clone(),
    };
    let mut sink = Sink::new(
        format,
        &t(dm::SchoolsSheet),
        &ExportColumn::headers(import::SCHOOL_EXPORT),
    )?;
    // An export may be a few seconds old: every page comes from the replica when there is one.
    let db = state.reads();
    let mut last_id = 0i64;
    let mut rows = 0u64;
    loop {
        let page = schools::scoped_query(state, principal, &school_filter)
            .filter(school::Column::Id.gt(last_id))
            .order_by_asc(school::Column::Id)
            .limit(PAGE)
            .all(db)
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
                &s.stage.label(),
                &s.urban_rural.label(),
                &yes_no(s.teaching_point),
                s.address.as_deref().unwrap_or(""),
                &status(s.active),
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
        stage: filter.stage,
        subject: filter.subject.clone(),
        active: filter.active,
        keyword: filter.keyword.clone(),
    };
    let mut sink = Sink::new(
        format,
        &t(dm::TeachersSheet),
        &ExportColumn::headers(import::TEACHER_EXPORT),
    )?;
    // School code and name by id, filled a page at a time.
    let mut schools: HashMap<i64, (String, String)> = HashMap::new();
    let db = state.reads();
    let mut last_id = 0i64;
    let mut rows = 0u64;
    loop {
        let page = teachers::scoped_query(state, principal, &teacher_filter)
            .filter(teacher::Column::Id.gt(last_id))
            .order_by_asc(teacher::Column::Id)
            .limit(PAGE)
            .all(db)
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
                .all(db)
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
                &t.gender.label(),
                &t.id_card_masked,
                code,
                name,
                t.phone_masked.as_deref().unwrap_or(""),
                t.email.as_deref().unwrap_or(""),
                t.teacher_number.as_deref().unwrap_or(""),
                &t.stage.label(),
                &t.subject,
                t.title.as_deref().unwrap_or(""),
                t.education.as_deref().unwrap_or(""),
                &years,
                &status(t.active),
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
        let headers = ExportColumn::headers(import::SCHOOL_EXPORT);
        let mut sink = Sink::new(FileFormat::Csv, "学校", &headers).expect("sink");
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
        let headers = ExportColumn::headers(import::TEACHER_EXPORT);
        let mut sink = Sink::new(FileFormat::Xlsx, "教师", &headers).expect("sink");
        for _ in 0..3 {
            sink.row(&["张伟", "男", "510104********1234"])
                .expect("row");
        }
        let bytes = sink.finish().expect("bytes");
        let sheet = super::super::import::parse_file(&bytes).expect("parses");
        assert_eq!(sheet.headers[0], "姓名");
        assert_eq!(sheet.rows.len(), 3);
        assert_eq!(sheet.rows[2].line, 4);
    }

    #[test]
    fn exported_headers_read_back_in_either_language() {
        use crate::platform::{i18n::Lang, tabular::map_headers};
        for kind in [DirectoryKind::Schools, DirectoryKind::Teachers] {
            let export = kind.exported();
            for lang in [Lang::Zh, Lang::En] {
                let headers: Vec<String> = export.iter().map(|c| c.header.render(lang)).collect();
                let (map, errors) = map_headers(kind.columns(), export, &headers);
                assert!(errors.is_empty(), "{kind:?} {lang:?}: {errors:?}");
                for (i, c) in export.iter().enumerate() {
                    if let Some(key) = c.key {
                        assert_eq!(map.position(key), Some(i), "{kind:?} {lang:?} {key}");
                    }
                }
            }
        }
    }
}
