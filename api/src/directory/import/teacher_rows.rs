//! The teachers of an import file: checked (and their personal data sealed) in parallel, matched to registered
//! teachers by the keyed hash of the 身份证号 and to schools by 学校标识码, then written as multi-row upserts.
use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::{school, teacher};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Set,
    Statement, sea_query::OnConflict,
};

use super::{
    Checked, DirectoryKind, LOOKUP_CHUNK, TEACHER_COLUMN_COUNT, insert_batch, record_import,
};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    directory::teachers::{self, PreparedTeacher, TeacherInput},
    platform::{
        db::begin_write,
        error::{AppError, AppResult, FieldError},
        i18n::{
            self,
            catalogue::{access::SchoolOutsideArea, directory as dm},
        },
        tabular::{
            DuplicateTracker, HeaderMap, ImportReport, ImportRowError, RowReader, Sheet,
            finish_report,
        },
    },
    training::stats,
};

/// A teacher row that passed the file checks, its personal data already sealed.
pub struct TeacherRow {
    line: u64,
    school_code: String,
    prepared: PreparedTeacher,
}

pub(super) fn check_teacher_rows(state: &AppState, sheet: Sheet) -> Checked<TeacherRow> {
    let kind = DirectoryKind::Teachers;
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
    for row in sheet.rows {
        let mut r = RowReader::new(&map, &row);
        let teaching_years = match r.get("teaching_years") {
            "" => None,
            v => match v.parse::<i32>() {
                Ok(y) if (0..=60).contains(&y) => Some(y),
                _ => {
                    r.error("teaching_years", dm::TeachingYearsInvalid);
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
                dm::IdCardRepeatedInFile {
                    line: earlier as i64,
                },
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

    /// Registered active teachers whose school changes: (ID hash, old path, new path). Their annual standings
    /// move with them.
    fn school_changes(&self) -> Vec<(String, String, String)> {
        self.rows
            .iter()
            .filter_map(|row| {
                let school = self.schools.get(&row.school_code)?;
                match self.existing.get(&row.prepared.id_card_hash) {
                    Some((old, true)) if *old != school.path => Some((
                        row.prepared.id_card_hash.clone(),
                        old.clone(),
                        school.path.clone(),
                    )),
                    _ => None,
                }
            })
            .collect()
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
    let (map, header_errors) = DirectoryKind::Teachers.map_headers(&sheet.headers);
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
    // Each thread writes its row errors in the request's language.
    let context = i18n::current_context();
    let results: Vec<Checked<TeacherRow>> = std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| {
                let headers = headers.clone();
                let context = context.clone();
                s.spawn(move || {
                    i18n::sync_scope(context, || {
                        check_teacher_rows(
                            state,
                            Sheet {
                                headers,
                                rows: part,
                            },
                        )
                    })
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
        map: DirectoryKind::Teachers.map_headers(&headers).0,
        refs: Vec::new(),
    };
    for part in results {
        merged.errors.extend(part.errors);
        merged.refs.extend(part.refs);
        for row in part.rows {
            if let Some(earlier) = seen.check(&row.prepared.id_card_hash, row.line) {
                merged.errors.push(ImportRowError::new(
                    row.line,
                    merged.map.label("id_card"),
                    dm::IdCardRepeatedInFile {
                        line: earlier as i64,
                    },
                ));
            } else {
                merged.rows.push(row);
            }
        }
    }
    merged
}

pub(super) async fn import_teachers(
    state: &AppState,
    principal: &Principal,
    sheet: Sheet,
    dry_run: bool,
) -> AppResult<ImportReport> {
    let started = std::time::Instant::now();
    let owned = state.clone();
    let checked = i18n::spawn_blocking(move || check_teacher_rows_parallel(&owned, sheet))
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
    let changes = plan.school_changes();
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
    move_standings(&txn, changes).await?;
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
                    checked.map.label("school_code"),
                    SchoolOutsideArea,
                ));
            }
        }
        if let Some((path, _)) = existing_paths.get(&row.prepared.id_card_hash)
            && !scope.covers(path)
        {
            ok = false;
            errors.push(ImportRowError::new(
                row.line,
                checked.map.label("id_card"),
                dm::ImportIdCardOutsideArea,
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
                checked.map.label("school_code"),
                SchoolOutsideArea,
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
async fn move_standings(
    db: &impl ConnectionTrait,
    changes: Vec<(String, String, String)>,
) -> AppResult<()> {
    for part in changes.chunks(500) {
        let ids: HashMap<String, i64> = teacher::Entity::find()
            .filter(teacher::Column::IdCardHash.is_in(part.iter().map(|(h, _, _)| h.clone())))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id_card_hash, t.id))
            .collect();
        for (hash, old, new) in part {
            if let Some(id) = ids.get(hash) {
                crate::training::year_stats::standings_moved(db, *id, Some(old), Some(new)).await?;
            }
        }
    }
    Ok(())
}

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
