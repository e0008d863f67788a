//! The schools of an import file: checked row by row, then matched to the registered schools by 学校标识码 and
//! written as multi-row upserts.
use std::collections::HashMap;

use chrono::Utc;
use entity::school;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set, sea_query::OnConflict,
};

use super::{
    Checked, DirectoryKind, LOOKUP_CHUNK, SCHOOL_COLUMN_COUNT, insert_batch, record_import,
};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    directory::{
        labels::Labelled,
        school_move,
        schools::{self, CheckedSchool, SchoolInput, UrbanRural},
    },
    platform::{
        db::begin_write,
        error::{AppError, AppResult, FieldError},
        i18n::{self, catalogue::directory as dm},
        tabular::{
            DuplicateTracker, HeaderMap, ImportReport, ImportRowError, RowReader, Sheet,
            finish_report, parse_bool,
        },
    },
};

/// A school row that passed the file checks.
pub struct SchoolRow {
    line: u64,
    input: SchoolInput,
    checked: CheckedSchool,
    county_path: String,
}

pub(super) fn check_school_rows(state: &AppState, sheet: Sheet) -> Checked<SchoolRow> {
    let kind = DirectoryKind::Schools;
    let (map, mut errors) = kind.map_headers(&sheet.headers);
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
        let mut r = RowReader::new(&map, row);
        let urban_rural = match UrbanRural::from_input(r.get("urban_rural")) {
            Some(v) => Some(v),
            None => {
                if !r.has_error("urban_rural") {
                    r.error("urban_rural", dm::UrbanRuralInvalid);
                }
                None
            }
        };
        let teaching_point = parse_bool(r.get("teaching_point")).unwrap_or_else(|| {
            r.error("teaching_point", dm::TeachingPointInvalid);
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
        let checked = match schools::check_input(state, &input) {
            Ok(checked) => Some(checked),
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
                dm::SchoolCodeRepeatedInFile {
                    line: earlier as i64,
                },
            );
        }
        match (checked, r.errors.is_empty()) {
            (Some(checked), true) => {
                let county_path = state
                    .regions
                    .get(&input.county_code)
                    .map(|c| c.path.clone())
                    .unwrap_or_default();
                rows.push(SchoolRow {
                    line: row.line,
                    input,
                    checked,
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

pub(super) async fn import_schools(
    state: &AppState,
    principal: &Principal,
    sheet: Sheet,
    dry_run: bool,
) -> AppResult<ImportReport> {
    let owned = state.clone();
    let checked = i18n::spawn_blocking(move || check_school_rows(&owned, sheet))
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
                checked.map.label("county_code"),
                dm::ImportCountyOutsideArea,
            ));
        }
        if let Some((_, path)) = existing.get(&row.input.code)
            && !scope.covers(path)
        {
            ok = false;
            errors.push(ImportRowError::new(
                row.line,
                checked.map.label("code"),
                dm::ImportSchoolCodeOutsideArea,
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
                checked.map.label("county_code"),
                dm::ImportCountyOutsideArea,
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
            path: Set(r.checked.path.clone()),
            stage: Set(r.checked.stage),
            urban_rural: Set(r.input.urban_rural),
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
    // A school moved to another county takes every row under it along.
    for row in &plan.rows {
        if let Some((_, old_path)) = plan.existing.get(&row.input.code) {
            school_move::repath_school(db, old_path, &row.checked.path).await?;
        }
    }
    Ok(())
}
