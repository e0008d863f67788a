//! 批量指派 and 从文件指派: many teachers placed in one program at once, each exactly as one by one would be
//! (seat, eligibility, not yet enrolled), inside one transaction committed only when every teacher could be placed.
#[allow(clippy::wildcard_imports)]
use super::*;

/// Assign several teachers at once: by id, or every teacher below a node matching 学段 / 学科. All or nothing.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct BulkAssignRequest {
    #[oai(default, validator(max_items = 5000))]
    pub teacher_ids: Vec<i64>,
    /// A region or school code of my area: every active teacher below it (with `stage` / `subject`, if given).
    pub node: Option<String>,
    pub stage: Option<String>,
    pub subject: Option<String>,
    /// Check only (default `true`); `false` writes every assignment or none.
    pub dry_run: Option<bool>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct BulkAssignError {
    pub teacher_id: i64,
    pub teacher_name: String,
    /// Why the teacher cannot be placed, as a catalogue code.
    pub code: ProblemCode,
    /// Why, in the request's language.
    pub message: String,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct BulkAssignReport {
    /// Teachers considered.
    pub total: u64,
    /// Teachers that can be (or, when committed, were) assigned.
    pub assignable: u64,
    pub committed: bool,
    pub errors: Vec<BulkAssignError>,
}

/// The most teachers one bulk assignment may cover.
const BULK_LIMIT: usize = 5000;

async fn bulk_candidates(
    state: &AppState,
    principal: &Principal,
    req: &BulkAssignRequest,
) -> AppResult<Vec<teacher::Model>> {
    let mut q = teacher::Entity::find().filter(
        principal
            .scope(Permission::ProgramManage)
            .condition(teacher::Column::Path.into_simple_expr(), None),
    );
    if let Some(code) = req.node.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        let node = crate::directory::service::resolve_node(state, code).await?;
        let path = node.map(|n| n.path);
        principal.require_reference(Permission::ProgramManage, path.as_deref(), "node")?;
        let path = path.unwrap_or_default();
        q = q
            .filter(crate::access::under(
                teacher::Column::Path.into_simple_expr(),
                &path,
            ))
            .filter(teacher::Column::Active.eq(true));
        if let Some(stage) = stage_filter(req.stage.clone())? {
            q = q.filter(teacher::Column::Stage.eq(stage));
        }
        if let Some(s) = &req.subject {
            q = q.filter(teacher::Column::Subject.eq(s.trim()));
        }
    } else if req.teacher_ids.is_empty() {
        return Err(AppError::field("teacher_ids", tm::ChooseTeachersOrFilter));
    } else {
        q = q.filter(teacher::Column::Id.is_in(req.teacher_ids.iter().copied()));
    }
    let found = q
        .order_by_asc(teacher::Column::Id)
        .limit(BULK_LIMIT as u64 + 1)
        .all(&state.db)
        .await?;
    if found.len() > BULK_LIMIT {
        return Err(AppError::field(
            "node",
            tm::TooManyAtOnceFilter {
                limit: BULK_LIMIT as i64,
            },
        ));
    }
    if req.node.is_none() && found.len() < req.teacher_ids.len() {
        return Err(AppError::field("teacher_ids", tm::SomeTeachersOutside));
    }
    Ok(found)
}

/// 批量指派: every teacher is placed exactly as one by one (seat, eligibility, not yet enrolled), inside one
/// transaction that is committed only when every teacher could be placed and it is not a dry run.
pub async fn assign_many(
    state: &AppState,
    principal: &Principal,
    program_id: i64,
    req: BulkAssignRequest,
) -> AppResult<BulkAssignReport> {
    let p = open_program_for_assignment(&state.db, principal, program_id).await?;
    let teachers = bulk_candidates(state, principal, &req).await?;
    assign_teachers(
        &state.db,
        principal,
        &p,
        &teachers,
        req.dry_run.unwrap_or(true),
    )
    .await
}

async fn open_program_for_assignment(
    db: &impl sea_orm::ConnectionTrait,
    principal: &Principal,
    program_id: i64,
) -> AppResult<entity::program::Model> {
    let p = programs::find_visible(db, principal, program_id).await?;
    principal.require_somewhere(Permission::ProgramManage)?;
    if p.status != ProgramStatus::Published {
        return Err(AppError::conflict("status", tm::ProgramNotOpen));
    }
    Ok(p)
}

/// Places every teacher as one by one would, inside one transaction committed only when all could be placed and
/// it is not a dry run.
async fn assign_teachers(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    p: &entity::program::Model,
    teachers: &[teacher::Model],
    dry_run: bool,
) -> AppResult<BulkAssignReport> {
    let txn = begin_write(db).await?;
    let mut errors = Vec::new();
    for t in teachers {
        // Each placement in its own savepoint, so one refusal does not poison the rest of the check.
        let sp = txn.begin().await?;
        match place(&sp, principal, p, t, true).await {
            Ok(_) => sp.commit().await?,
            Err(e) => {
                sp.rollback().await?;
                let (code, message) = crate::platform::bulk::refusal_reason(&e);
                errors.push(BulkAssignError {
                    teacher_id: t.id,
                    teacher_name: t.name.clone(),
                    code,
                    message,
                });
            }
        }
    }
    let commit = errors.is_empty() && !dry_run && !teachers.is_empty();
    if commit {
        txn.commit().await?;
    } else {
        txn.rollback().await?;
    }
    Ok(BulkAssignReport {
        total: teachers.len() as u64,
        assignable: (teachers.len() - errors.len()) as u64,
        committed: commit,
        errors,
    })
}

/// 从文件指派: a CSV / XLSX with a 身份证号 column; every line must name a teacher of my area (reported by line
/// otherwise), then everyone is placed as by `assign_many`. Placement problems are reported on their lines too.
pub async fn assign_from_file(
    state: &AppState,
    principal: &Principal,
    program_id: i64,
    bytes: &[u8],
    dry_run: bool,
) -> AppResult<ImportReport> {
    let p = open_program_for_assignment(&state.db, principal, program_id).await?;
    let sheet = tabular::read::read_off_thread(bytes, &ENROLLMENT_SHEET).await?;
    let column = sheet.headers.iter().position(|h| {
        let h = h.trim().trim_start_matches('\u{feff}').to_lowercase();
        h.starts_with("身份证号") || h.starts_with("id_card")
    });
    let Some(column) = column else {
        let missing = ImportRowError::new(1, id_card_header(), tm::IdCardColumnMissing);
        return Ok(file_report(sheet.rows.len(), 0, vec![missing], false));
    };
    let label = sheet.headers[column].trim().to_string();
    let row_error = |line: u64, reason: Text| ImportRowError::new(line, &label, reason);
    if sheet.rows.len() > BULK_LIMIT {
        return Err(AppError::field(
            "file",
            tm::TooManyAtOnce {
                limit: BULK_LIMIT as i64,
            },
        ));
    }
    let scope = principal.scope(Permission::ProgramManage);
    let mut errors: Vec<ImportRowError> = Vec::new();
    let mut teachers = Vec::new();
    let mut lines: HashMap<i64, u64> = HashMap::new();
    for row in &sheet.rows {
        let raw = row.cells.get(column).map(|c| c.trim()).unwrap_or("");
        if let Err(m) = crate::directory::validate::id_card(raw) {
            errors.push(row_error(row.line, m));
            continue;
        }
        let found = teacher::Entity::find()
            .filter(teacher::Column::IdCardHash.is_in(state.keys.lookup_hashes(raw)))
            .one(&state.db)
            .await?
            .filter(|t| scope.covers(&t.path));
        match found {
            None => errors.push(row_error(row.line, tm::NoTeacherWithIdCard.into())),
            Some(t) if lines.contains_key(&t.id) => {
                errors.push(row_error(row.line, tm::IdCardRepeated.into()))
            }
            Some(t) => {
                lines.insert(t.id, row.line);
                teachers.push(t);
            }
        }
    }
    let total = sheet.rows.len();
    if !errors.is_empty() {
        return Ok(file_report(total, teachers.len(), errors, false));
    }
    let placed = assign_teachers(&state.db, principal, &p, &teachers, dry_run).await?;
    let errors = placed
        .errors
        .into_iter()
        .map(|e| ImportRowError {
            line: lines.get(&e.teacher_id).copied().unwrap_or(0),
            column: label.clone(),
            code: e.code,
            message: e.message,
            params: None,
        })
        .collect();
    Ok(file_report(
        total,
        placed.assignable as usize,
        errors,
        placed.committed,
    ))
}

/// The 身份证号 column's header in the current language (both are accepted), to name it when it is missing.
fn id_card_header() -> &'static str {
    match i18n::current_lang() {
        i18n::Lang::Zh => "身份证号",
        i18n::Lang::En => "id_card",
    }
}

fn file_report(
    total: usize,
    valid: usize,
    mut errors: Vec<ImportRowError>,
    committed: bool,
) -> ImportReport {
    errors.sort_by_key(|e| e.line);
    ImportReport {
        total_rows: total as u64,
        valid_rows: valid as u64,
        created: if committed { valid as u64 } else { 0 },
        updated: 0,
        committed,
        errors,
    }
}
