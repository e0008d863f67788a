//! Institution results (机构成绩回传). A training institution (or a region administrator) downloads the class sheet
//! of a program for its area, fills in 结业状态, 证书编号/不合格原因, 成绩, 获得学时 and 学时类别, and uploads it. The
//! file is validated whole — every bad row reported with line, column and reason — and stored as a pending batch
//! only when every row is good. A program administrator (not the submitter) then confirms it, which credits the
//! hours to the ledger and records grades and failures in one transaction, or rejects it with a reason.
use crate::platform::i18n::{self, Message, Text, catalogue::training as tm};
use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::enrollment::{ReviewStatus, TrainingStatus};
pub use entity::result_batch::ResultBatchStatus;
use entity::{enrollment, result_batch};
use futures_util::StreamExt;
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoSimpleExpr, QueryFilter,
    QueryOrder, Set, Statement, StreamTrait, sea_query::Condition,
};
use serde::{Deserialize, Serialize};

use super::{
    enrollments::Decision,
    hours::{HourSource, SystemCredit, credit_system_entry},
    programs::find_visible,
    rules::{HourCategory, HourCategoryText, parse_half_hours},
};
use crate::{
    AppState,
    access::{NodeRef, Permission},
    auth::Principal,
    directory::service::node_in_area,
    platform::{
        audit::{self, AuditEvent},
        db::{begin_write, placeholders},
        error::{AppError, AppResult},
        paging::{Page, fetch, window},
        tabular::{self, FileFormat, ImportReport, ImportRowError, Sheet, SheetBudget, Sink},
    },
};

/// A filled class sheet of one program: one line per enrolment the submitting institution holds.
pub const RESULT_SHEET: SheetBudget = SheetBudget::new(200_000, 64);

/// The class sheet's columns and widths. The sheet is written in the request's language; a filled sheet is read
/// back by either language's header (a header that starts with it, so older "中文 English" headers still read).
const COLUMNS: [(&dyn Message, f64); 9] = [
    (&tm::ResultEnrolmentId, 12.0),
    (&tm::ResultName, 12.0),
    (&tm::ResultSchool, 24.0),
    (&tm::ResultIdCard, 22.0),
    (&tm::ResultStatus, 14.0),
    (&tm::ResultNote, 24.0),
    (&tm::ResultGrade, 10.0),
    (&tm::ResultHours, 10.0),
    (&tm::ResultCategory, 12.0),
];
const ENROLMENT: usize = 0;
const STATUS: usize = 4;
const NOTE: usize = 5;
const GRADE: usize = 6;
const HOURS: usize = 7;
const CATEGORY: usize = 8;

fn header(i: usize) -> String {
    COLUMNS[i].0.render(i18n::current_lang())
}

/// One validated line of an institution's sheet.
#[derive(Debug, Clone, Serialize, Deserialize, Object, PartialEq)]
#[oai(skip_serializing_if_is_none)]
pub struct ResultRow {
    pub enrollment_id: i64,
    /// 结业 (true) or 未结业 (false).
    pub completed: bool,
    /// The institution's certificate number (结业) or the reason (未结业).
    pub note: Option<String>,
    pub grade: Option<String>,
    /// Hours to credit, in steps of 0.5 (0 when none).
    pub hours: f64,
    pub category: Option<HourCategory>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ResultBatchView {
    pub id: i64,
    pub program_id: i64,
    pub node_code: String,
    pub status: ResultBatchStatus,
    pub row_count: i32,
    pub file_name: String,
    pub submitted_by: i64,
    pub submitted_at: chrono::DateTime<Utc>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<chrono::DateTime<Utc>>,
    pub decision_reason: Option<String>,
    /// The rows (on the detail only).
    pub rows: Option<Vec<ResultRow>>,
}

fn view(b: result_batch::Model, with_rows: bool) -> ResultBatchView {
    let rows = with_rows.then(|| serde_json::from_str(&b.rows).unwrap_or_default());
    ResultBatchView {
        id: b.id,
        program_id: b.program_id,
        node_code: b.node_code,
        status: b.status,
        row_count: b.row_count,
        file_name: b.file_name,
        submitted_by: b.submitted_by,
        submitted_at: b.submitted_at,
        decided_by: b.decided_by,
        decided_at: b.decided_at,
        decision_reason: b.decision_reason,
        rows,
    }
}

/// The outcome of an upload: the row-by-row report and, when every row was good and it was not a dry run, the
/// pending batch.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ResultUpload {
    pub report: ImportReport,
    pub batch: Option<ResultBatchView>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct BatchDecisionRequest {
    pub decision: Decision,
    #[oai(validator(max_length = 500))]
    pub reason: Option<String>,
}

/// The class sheet: the program's approved enrolments under the node, result columns left blank.
pub async fn sheet(
    state: &AppState,
    principal: &Principal,
    program_id: i64,
    node: Option<String>,
    format: FileFormat,
) -> AppResult<(String, Vec<u8>, u64)> {
    let p = find_visible(&state.db, principal, program_id).await?;
    let NodeRef { code, path, .. } =
        node_in_area(state, principal, node, Permission::ResultSubmit).await?;
    let backend = state.db.get_database_backend();
    let marks = placeholders(backend, 2);
    let sql = format!(
        "SELECT e.id, t.name, t.id_card_masked, s.name AS school FROM enrollments e \
         JOIN teachers t ON t.id = e.teacher_id JOIN schools s ON s.id = t.school_id \
         WHERE e.program_id = {} AND e.review_status = '{approved}' AND e.path LIKE {} ORDER BY e.path, e.id",
        marks[0],
        marks[1],
        approved = ReviewStatus::Approved.as_str(),
    );
    let headers = tabular::headers_in_current_language(&COLUMNS);
    let mut sink = Sink::new(format, &i18n::t(tm::ResultSheet), &headers)?;
    let mut rows = state
        .db
        .stream_raw(Statement::from_sql_and_values(
            backend,
            sql,
            vec![p.id.into(), format!("{path}%").into()],
        ))
        .await?;
    let mut count = 0;
    while let Some(r) = rows.next().await {
        let r = r?;
        let id = r.try_get::<i64>("", "id")?.to_string();
        let name: String = r.try_get("", "name")?;
        let masked: String = r.try_get("", "id_card_masked")?;
        let school: String = r.try_get("", "school")?;
        sink.row(&[&id, &name, &school, &masked, "", "", "", "", ""])?;
        count += 1;
    }
    drop(rows);
    Ok((code, sink.finish()?, count))
}

/// Where each known column sits in the file (matched on the Chinese or English label); missing required ones
/// are reported on line 1.
fn locate_columns(headers: &[String]) -> (HashMap<usize, usize>, Vec<ImportRowError>) {
    let mut found = HashMap::new();
    for (pos, h) in headers.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}').to_lowercase();
        if let Some(i) = COLUMNS.iter().position(|(label, _)| {
            [i18n::Lang::Zh, i18n::Lang::En]
                .into_iter()
                .any(|lang| h.starts_with(&label.render(lang).to_lowercase()))
        }) {
            found.entry(i).or_insert(pos);
        }
    }
    let errors = [ENROLMENT, STATUS]
        .iter()
        .filter(|i| !found.contains_key(i))
        .map(|i| ImportRowError::new(1, header(*i), tm::RequiredColumnMissing))
        .collect();
    (found, errors)
}

/// Checks one line on its own (the enrolment itself is checked against the database afterwards).
fn check_line(
    cells: &[String],
    at: &HashMap<usize, usize>,
) -> Result<ResultRow, Vec<(usize, Text)>> {
    let cell = |i: usize| -> &str {
        at.get(&i)
            .and_then(|p| cells.get(*p))
            .map(|s| s.trim())
            .unwrap_or("")
    };
    let optional = |i: usize| Some(cell(i).to_string()).filter(|s| !s.is_empty());
    let mut errors: Vec<(usize, Text)> = Vec::new();
    let enrollment_id = cell(ENROLMENT).parse::<i64>().unwrap_or_else(|_| {
        errors.push((ENROLMENT, tm::MustBeEnrolmentId.into()));
        0
    });
    let completed = match cell(STATUS) {
        "结业" | "completed" => true,
        "未结业" | "failed" => false,
        _ => {
            errors.push((STATUS, tm::MustBeCompletionStatus.into()));
            false
        }
    };
    let note = optional(NOTE);
    if !completed && note.is_none() && errors.is_empty() {
        errors.push((NOTE, tm::FailNeedsReason.into()));
    }
    let grade = optional(GRADE);
    if grade.as_ref().is_some_and(|g| g.chars().count() > 16) {
        errors.push((GRADE, tm::GradeTooLong.into()));
    }
    let half_hours = match cell(HOURS) {
        "" => 0,
        text => parse_half_hours(text).unwrap_or_else(|_| {
            errors.push((HOURS, tm::HoursHalfMultiple.into()));
            0
        }),
    };
    if half_hours > 400 {
        errors.push((HOURS, tm::HoursAtMost200.into()));
    }
    let category = match cell(CATEGORY) {
        "" if half_hours > 0 => {
            errors.push((CATEGORY, tm::CategoryRequired.into()));
            None
        }
        "" => None,
        text => HourCategory::parse(text).or_else(|| {
            errors.push((CATEGORY, tm::CategoryUnknown.into()));
            None
        }),
    };
    if errors.is_empty() {
        Ok(ResultRow {
            enrollment_id,
            completed,
            note,
            grade,
            hours: half_hours as f64 / 2.0,
            category,
        })
    } else {
        Err(errors)
    }
}

/// Every row checked: on its own, against duplicates, and against the program's enrolments in the caller's area.
async fn check_sheet(
    db: &impl ConnectionTrait,
    principal: &Principal,
    program_id: i64,
    node_path: &str,
    sheet: Sheet,
) -> AppResult<(Vec<ResultRow>, Vec<ImportRowError>, u64)> {
    let (at, mut errors) = locate_columns(&sheet.headers);
    let total = sheet.rows.len() as u64;
    if !errors.is_empty() {
        return Ok((Vec::new(), errors, total));
    }
    let column = |i: usize| {
        at.get(&i)
            .and_then(|p| sheet.headers.get(*p).cloned())
            .unwrap_or_else(|| header(i))
    };
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for line in &sheet.rows {
        match check_line(&line.cells, &at) {
            Ok(row) if !seen.insert(row.enrollment_id) => errors.push(ImportRowError::new(
                line.line,
                column(ENROLMENT),
                tm::EnrolmentIdRepeated,
            )),
            Ok(row) => rows.push((line.line, row)),
            Err(problems) => errors.extend(
                problems
                    .into_iter()
                    .map(|(i, reason)| ImportRowError::new(line.line, column(i), reason)),
            ),
        }
    }
    let ids: Vec<i64> = rows.iter().map(|(_, r)| r.enrollment_id).collect();
    let mut known: HashMap<i64, enrollment::Model> = HashMap::new();
    for chunk in ids.chunks(500) {
        for e in enrollment::Entity::find()
            .filter(enrollment::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            known.insert(e.id, e);
        }
    }
    let mut good = Vec::with_capacity(rows.len());
    for (line, row) in rows {
        let ok = known.get(&row.enrollment_id).is_some_and(|e| {
            e.program_id == program_id
                && e.review_status == ReviewStatus::Approved
                && e.path.starts_with(node_path)
                && principal.can(Permission::ResultSubmit, &e.path)
        });
        if ok {
            good.push(row);
        } else {
            errors.push(ImportRowError::new(
                line,
                column(ENROLMENT),
                tm::NotApprovedEnrolmentInArea,
            ));
        }
    }
    errors.sort_by_key(|e| e.line);
    Ok((good, errors, total))
}

/// Validates an uploaded sheet; with `dry_run = false` and no errors, stores it as a pending batch.
pub async fn submit(
    state: &AppState,
    principal: &Principal,
    program_id: i64,
    node: Option<String>,
    file_name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> AppResult<ResultUpload> {
    let p = find_visible(&state.db, principal, program_id).await?;
    let NodeRef { code, path, .. } = node_in_area(state, principal, node, Permission::ResultSubmit)
        .await
        .map_err(crate::access::as_reference("node"))?;
    let sheet = tabular::read::read_off_thread(bytes, &RESULT_SHEET).await?;
    let (rows, errors, total) = check_sheet(&state.db, principal, p.id, &path, sheet).await?;
    let commit = errors.is_empty() && !dry_run && !rows.is_empty();
    let mut report = ImportReport {
        total_rows: total,
        valid_rows: rows.len() as u64,
        created: if errors.is_empty() {
            rows.len() as u64
        } else {
            0
        },
        updated: 0,
        committed: false,
        errors,
    };
    if !commit {
        return Ok(ResultUpload {
            report,
            batch: None,
        });
    }
    let txn = begin_write(&state.db).await?;
    let batch = result_batch::ActiveModel {
        program_id: Set(p.id),
        node_code: Set(code),
        node_path: Set(path.clone()),
        status: Set(ResultBatchStatus::Pending),
        rows: Set(serde_json::to_string(&rows).map_err(AppError::internal)?),
        row_count: Set(rows.len() as i32),
        file_name: Set(file_name.chars().take(200).collect()),
        submitted_by: Set(principal.account_id),
        submitted_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "results.submit",
            target_type: "result_batch",
            target_id: Some(batch.id.to_string()),
            target_path: Some(path),
            detail: serde_json::json!({ "program": p.id, "rows": batch.row_count }),
        },
    )
    .await?;
    txn.commit().await?;
    report.committed = true;
    Ok(ResultUpload {
        report,
        batch: Some(view(batch, false)),
    })
}

/// Batches visible to the caller: those under the nodes where they submit or manage programs.
fn visible(principal: &Principal) -> Condition {
    let column = result_batch::Column::NodePath.into_simple_expr();
    Condition::any()
        .add(
            principal
                .scope(Permission::ResultSubmit)
                .condition(column.clone(), None),
        )
        .add(
            principal
                .scope(Permission::ProgramManage)
                .condition(column, None),
        )
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    program_id: i64,
    status: Option<ResultBatchStatus>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<ResultBatchView>> {
    let p = find_visible(db, principal, program_id).await?;
    let (page, size, offset) = window(page, page_size)?;
    let mut q = result_batch::Entity::find()
        .filter(result_batch::Column::ProgramId.eq(p.id))
        .filter(visible(principal));
    if let Some(s) = status {
        q = q.filter(result_batch::Column::Status.eq(s));
    }
    let (rows, total) = fetch(db, q.order_by_desc(result_batch::Column::Id), offset, size).await?;
    Ok(Page {
        items: rows.into_iter().map(|b| view(b, false)).collect(),
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

async fn find_batch(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<result_batch::Model> {
    result_batch::Entity::find_by_id(id)
        .filter(visible(principal))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<ResultBatchView> {
    Ok(view(find_batch(db, principal, id).await?, true))
}

/// Whether the caller is the same person as the submitter under another account: both accounts sign in as the
/// same teacher record. A second pair of eyes means a different person, not a second login.
async fn same_person(
    db: &impl ConnectionTrait,
    principal: &Principal,
    submitter: i64,
) -> AppResult<bool> {
    let Some(mine) = principal.teacher_id else {
        return Ok(false);
    };
    let theirs = entity::account::Entity::find_by_id(submitter)
        .one(db)
        .await?
        .and_then(|a| a.teacher_id);
    Ok(theirs == Some(mine))
}

/// A program administrator over the batch's node — not its submitter — confirms (hours, grades and failures are
/// written in one transaction) or rejects it with a reason.
pub async fn decide(
    state: &AppState,
    principal: &Principal,
    id: i64,
    req: BatchDecisionRequest,
) -> AppResult<ResultBatchView> {
    let b = find_batch(&state.db, principal, id).await?;
    if !principal.can(Permission::ProgramManage, &b.node_path) {
        return Err(AppError::Forbidden);
    }
    if b.status != ResultBatchStatus::Pending {
        return Err(AppError::conflict("status", tm::BatchDecided));
    }
    if b.submitted_by == principal.account_id
        || same_person(&state.db, principal, b.submitted_by).await?
    {
        return Err(AppError::conflict("status", tm::BatchNeedsOtherAdmin));
    }
    let reason = req
        .reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    let confirm = req.decision == Decision::Approve;
    if !confirm && reason.is_none() {
        return Err(AppError::field("reason", tm::BatchRejectNeedsReason));
    }
    let txn = begin_write(&state.db).await?;
    // Only a still-pending batch changes, so two administrators cannot both apply it.
    let decided = result_batch::Entity::update_many()
        .col_expr(
            result_batch::Column::Status,
            sea_orm::sea_query::Expr::val(if confirm {
                ResultBatchStatus::Confirmed
            } else {
                ResultBatchStatus::Rejected
            }),
        )
        .col_expr(
            result_batch::Column::DecidedBy,
            sea_orm::sea_query::Expr::val(principal.account_id),
        )
        .col_expr(
            result_batch::Column::DecidedAt,
            sea_orm::sea_query::Expr::val(Utc::now()),
        )
        .col_expr(
            result_batch::Column::DecisionReason,
            sea_orm::sea_query::Expr::val(reason.clone()),
        )
        .filter(result_batch::Column::Id.eq(b.id))
        .filter(result_batch::Column::Status.eq(ResultBatchStatus::Pending))
        .exec(&txn)
        .await?;
    if decided.rows_affected != 1 {
        return Err(AppError::conflict("status", tm::BatchDecided));
    }
    if confirm {
        let rows: Vec<ResultRow> = serde_json::from_str(&b.rows).map_err(AppError::internal)?;
        for row in &rows {
            apply_row(&txn, state.config.cycle_anchor_year, principal, b.id, row).await?;
        }
    }
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: if confirm {
                "results.confirm"
            } else {
                "results.reject"
            },
            target_type: "result_batch",
            target_id: Some(b.id.to_string()),
            target_path: Some(b.node_path.clone()),
            detail: serde_json::json!({ "rows": b.row_count, "reason": reason }),
        },
    )
    .await?;
    txn.commit().await?;
    get(&state.db, principal, id).await
}

/// One confirmed line: hours into the ledger (which re-evaluates completion), the grade, and 未结业 recorded when
/// the enrolment has not completed by its rule.
async fn apply_row(
    db: &impl ConnectionTrait,
    cycle_anchor: i32,
    principal: &Principal,
    batch_id: i64,
    row: &ResultRow,
) -> AppResult<()> {
    let e = enrollment::Entity::find_by_id(row.enrollment_id)
        .one(db)
        .await?
        .filter(|e| e.review_status == ReviewStatus::Approved)
        .ok_or_else(|| {
            AppError::conflict(
                "rows",
                tm::EnrolmentNoLongerApproved {
                    value: row.enrollment_id.to_string(),
                },
            )
        })?;
    let half_hours = (row.hours * 2.0).round() as i32;
    if let (true, Some(category)) = (half_hours > 0, row.category) {
        credit_system_entry(
            db,
            cycle_anchor,
            SystemCredit {
                enrollment: &e,
                category,
                half_hours,
                occurred_on: Utc::now().date_naive(),
                source: HourSource::InstitutionImport,
                source_ref: format!("batch:{batch_id}"),
                note: row.note.clone(),
                actor_id: principal.account_id,
            },
        )
        .await?;
    }
    let fresh = enrollment::Entity::find_by_id(e.id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let failed = !row.completed && fresh.training_status != TrainingStatus::Completed;
    if row.grade.is_some() || failed {
        let mut active: enrollment::ActiveModel = fresh.into();
        if let Some(g) = &row.grade {
            active.grade = Set(Some(g.clone()));
        }
        if failed {
            active.training_status = Set(TrainingStatus::NotCompleted);
        }
        active.updated_at = Set(Utc::now());
        active.update(db).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lines_are_checked_on_their_own() {
        let (at, missing) = locate_columns(&cells(&[
            "报名编号 Enrolment ID",
            "姓名",
            "结业状态",
            "证书编号/不合格原因",
            "获得学时",
            "学时类别",
        ]));
        assert!(missing.is_empty());
        assert_eq!(at[&STATUS], 2);
        let ok = check_line(
            &cells(&["12", "张三", "结业", "JG-001", "8.5", "集中"]),
            &at,
        )
        .expect("valid");
        assert_eq!((ok.enrollment_id, ok.completed, ok.hours), (12, true, 8.5));
        assert_eq!(ok.category, Some(HourCategory::Centralized));
        let bad = check_line(&cells(&["x", "", "合格", "", "1.3", ""]), &at).expect_err("invalid");
        let columns: Vec<usize> = bad.iter().map(|(c, _)| *c).collect();
        assert_eq!(columns, vec![ENROLMENT, STATUS, HOURS]);
        let no_reason =
            check_line(&cells(&["3", "", "未结业", "", "", ""]), &at).expect_err("reason");
        assert_eq!(no_reason[0].0, NOTE);
        let no_category =
            check_line(&cells(&["3", "", "结业", "", "2", ""]), &at).expect_err("category");
        assert_eq!(no_category[0].0, CATEGORY);
        let (_, missing) = locate_columns(&cells(&["姓名"]));
        assert_eq!(missing.len(), 2);
    }
}
