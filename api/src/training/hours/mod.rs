//! The hours ledger (学时). Every credited amount is a row that is never changed: a correction appends a voiding
//! row that names the entry it cancels (xAPI's model), so the history can always be replayed. A 补录 (outside
//! training) starts pending and counts once the school or county approves it. Each enrolment's progress — hours per
//! category, what counts under the program's rule, completion — is maintained in the same transaction as the entry.
mod activity;

use crate::platform::i18n;
use crate::platform::i18n::catalogue::training as tm;
pub(crate) use activity::{ActivityCredit, credit_activity, void_activity};
use chrono::{Datelike, NaiveDate, Utc};
use entity::enrollment::ReviewStatus;
pub use entity::hour_entry::{HourSource, HourStatus};
use entity::{enrollment, file, hour_entry, teacher, teacher_cycle};
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, IntoSimpleExpr,
    PaginatorTrait, QueryFilter, QueryOrder, Set, sea_query::Expr,
};

use super::{
    completion::evaluate,
    enrollments::Decision,
    rules::{CYCLE_REQUIRED_HALF_HOURS, HourCategory, cycle_start},
    stats::ProgramDelta,
};
use crate::inbox::{self, NoticeKind};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    directory::teachers,
    files::{self, FilePurpose, FileView},
    platform::{
        audit,
        bulk::BulkOutcome,
        db::begin_write,
        error::{AppError, AppResult},
        paging::{Page, SortOrder, fetch, window},
    },
};

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct HourEntryInput {
    /// The teacher credited; omit for myself (a teacher filing a 补录).
    pub teacher_id: Option<i64>,
    /// The enrolment the hours count towards, if any.
    pub enrollment_id: Option<i64>,
    pub category: HourCategory,
    /// Hours in steps of 0.5.
    #[oai(validator(minimum(value = "0.5"), maximum(value = "200"), multiple_of = "0.5"))]
    pub hours: f64,
    pub occurred_on: NaiveDate,
    pub source: HourSource,
    #[oai(validator(max_length = 500))]
    pub note: Option<String>,
    /// Evidence files (certificates, attendance sheets): ids from `uploadFile` with purpose `evidence`,
    /// uploaded by the caller.
    #[oai(default, validator(max_items = 10))]
    pub evidence: Vec<i64>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct HourDecisionRequest {
    pub decision: Decision,
    #[oai(validator(max_length = 500))]
    pub reason: Option<String>,
}

/// 批量审核: pending 补录 entries decided alike (a rejection gives one reason for all of them).
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct HourDecisionsRequest {
    #[oai(validator(min_items = 1, max_items = 500))]
    pub entry_ids: Vec<i64>,
    pub decision: Decision,
    #[oai(validator(max_length = 500))]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct VoidRequest {
    #[oai(validator(min_length = 1, max_length = 500))]
    pub reason: String,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct HourEntryView {
    pub id: i64,
    pub teacher_id: i64,
    pub teacher_name: String,
    pub school_name: String,
    pub enrollment_id: Option<i64>,
    pub category: HourCategory,
    pub hours: f64,
    pub occurred_on: NaiveDate,
    pub source: HourSource,
    pub status: HourStatus,
    /// True when a later voiding row cancels this entry.
    pub voided: bool,
    pub voids_entry_id: Option<i64>,
    pub note: Option<String>,
    pub evidence: Vec<FileView>,
    pub decision_reason: Option<String>,
    pub created_at: chrono::DateTime<Utc>,
}

async fn is_voided(db: &impl ConnectionTrait, id: i64) -> AppResult<bool> {
    Ok(hour_entry::Entity::find()
        .filter(hour_entry::Column::VoidsEntryId.eq(id))
        .count(db)
        .await?
        > 0)
}

/// Views of ledger rows with their teacher, school, evidence and voided flag: a fixed number of queries however
/// many rows (one per related table), so a page of 200 costs what a page of 10 does.
async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<hour_entry::Model>,
) -> AppResult<Vec<HourEntryView>> {
    use std::collections::{HashMap, HashSet};
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let teacher_ids: HashSet<i64> = rows.iter().map(|e| e.teacher_id).collect();
    let teachers: HashMap<i64, teacher::Model> = teacher::Entity::find()
        .filter(teacher::Column::Id.is_in(teacher_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let school_ids: HashSet<i64> = teachers.values().map(|t| t.school_id).collect();
    let schools: HashMap<i64, String> = entity::school::Entity::find()
        .filter(entity::school::Column::Id.is_in(school_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
    let voided: HashSet<i64> = hour_entry::Entity::find()
        .filter(hour_entry::Column::VoidsEntryId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|v| v.voids_entry_id)
        .collect();
    let evidence_ids: Vec<Vec<i64>> = rows
        .iter()
        .map(|e| serde_json::from_str(&e.evidence).unwrap_or_default())
        .collect();
    let all_evidence: HashSet<i64> = evidence_ids.iter().flatten().copied().collect();
    let files: HashMap<i64, file::Model> = if all_evidence.is_empty() {
        HashMap::new()
    } else {
        file::Entity::find()
            .filter(file::Column::Id.is_in(all_evidence))
            .all(db)
            .await?
            .into_iter()
            .map(|f| (f.id, f))
            .collect()
    };
    Ok(rows
        .into_iter()
        .zip(evidence_ids)
        .map(|(e, evidence)| {
            let teacher = teachers.get(&e.teacher_id);
            HourEntryView {
                teacher_name: teacher.map(|t| t.name.clone()).unwrap_or_default(),
                school_name: teacher
                    .and_then(|t| schools.get(&t.school_id))
                    .cloned()
                    .unwrap_or_default(),
                // In id order and once each, as the files table returns them.
                evidence: evidence
                    .iter()
                    .copied()
                    .collect::<std::collections::BTreeSet<i64>>()
                    .iter()
                    .filter_map(|id| files.get(id).cloned().map(FileView::from))
                    .collect(),
                voided: voided.contains(&e.id),
                id: e.id,
                teacher_id: e.teacher_id,
                enrollment_id: e.enrollment_id,
                category: e.category,
                hours: f64::from(e.half_hours) / 2.0,
                occurred_on: e.occurred_on,
                source: e.source,
                status: e.status,
                voids_entry_id: e.voids_entry_id,
                note: e.note,
                decision_reason: e.decision_reason,
                created_at: e.created_at,
            }
        })
        .collect())
}

async fn view(db: &impl ConnectionTrait, e: hour_entry::Model) -> AppResult<HourEntryView> {
    views(db, vec![e])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("hour entry view"))
}

fn category_column(c: HourCategory) -> enrollment::Column {
    match c {
        HourCategory::Centralized => enrollment::Column::HoursCentralized,
        HourCategory::Online => enrollment::Column::HoursOnline,
        HourCategory::Ict => enrollment::Column::HoursIct,
        HourCategory::Regional => enrollment::Column::HoursRegional,
        HourCategory::SchoolBased => enrollment::Column::HoursSchoolBased,
        HourCategory::Practice => enrollment::Column::HoursPractice,
    }
}

/// Adds `delta` half-hours of `category` to an enrolment and re-evaluates what counts and whether it is complete.
/// The increment comes first: it locks the row, so the evaluation below sees every earlier credit.
/// Everything an approved entry (`sign` +1) or its voiding (−1) changes, in the caller's transaction: the
/// teacher's 5-year cycle total and, when it counts towards an enrolment, that enrolment's progress.
async fn apply(
    db: &impl ConnectionTrait,
    cycle_anchor: i32,
    e: &hour_entry::Model,
    sign: i32,
) -> AppResult<()> {
    let delta = sign * e.half_hours;
    // Boxed: the counters' upserts would otherwise deepen every future that credits hours.
    Box::pin(super::year_stats::hours_applied(
        db,
        cycle_anchor,
        e,
        i64::from(delta),
    ))
    .await?;
    if let (Some(eid), Some(category)) = (e.enrollment_id, Some(e.category)) {
        credit(db, eid, category, delta).await?;
    }
    Ok(())
}

/// Adds approved half-hours to an enrolment and re-evaluates its completion (issuing or revoking the
/// certificate); the program's node counters follow in the same transaction.
async fn credit(
    db: &impl ConnectionTrait,
    enrollment_id: i64,
    category: HourCategory,
    delta: i32,
) -> AppResult<()> {
    let column = category_column(category);
    enrollment::Entity::update_many()
        .col_expr(column, Expr::col(column).add(delta))
        .filter(enrollment::Column::Id.eq(enrollment_id))
        .exec(db)
        .await?;
    evaluate(
        db,
        enrollment_id,
        ProgramDelta::hours(category, i64::from(delta)),
    )
    .await
}

/// An entry credited by the system on an administrator's behalf (institution results, coursework, attendance):
/// appended approved and applied in the caller's transaction.
pub(crate) struct SystemCredit<'a> {
    pub enrollment: &'a enrollment::Model,
    pub category: HourCategory,
    pub half_hours: i32,
    pub occurred_on: NaiveDate,
    pub source: HourSource,
    pub source_ref: String,
    pub note: Option<String>,
    pub actor_id: i64,
}

pub(crate) async fn credit_system_entry(
    db: &impl ConnectionTrait,
    cycle_anchor: i32,
    c: SystemCredit<'_>,
) -> AppResult<hour_entry::Model> {
    let now = Utc::now();
    let model = hour_entry::ActiveModel {
        teacher_id: Set(c.enrollment.teacher_id),
        enrollment_id: Set(Some(c.enrollment.id)),
        path: Set(c.enrollment.path.clone()),
        category: Set(c.category),
        half_hours: Set(c.half_hours),
        occurred_on: Set(c.occurred_on),
        source: Set(c.source),
        source_ref: Set(Some(c.source_ref)),
        status: Set(HourStatus::Approved),
        voids_entry_id: Set(None),
        note: Set(c.note),
        evidence: Set("[]".into()),
        created_by: Set(c.actor_id),
        created_at: Set(now),
        decided_by: Set(Some(c.actor_id)),
        decided_at: Set(Some(now)),
        decision_reason: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    apply(db, cycle_anchor, &model, 1).await?;
    Ok(model)
}

/// Records hours. Administrators over the teacher credit course, coursework, attendance and institution results
/// at once; a 补录 is filed by the teacher (or an administrator for them) and waits for approval.
pub async fn record(
    state: &AppState,
    principal: &Principal,
    input: HourEntryInput,
) -> AppResult<HourEntryView> {
    let teacher_id = input
        .teacher_id
        .or(principal.teacher_id)
        .ok_or_else(|| AppError::field("teacher_id", tm::ChooseTeacher))?;
    let t = teachers::find_visible(&state.db, principal, teacher_id)
        .await
        .map_err(crate::access::as_reference("teacher_id"))?;
    let for_myself = Some(t.id) == principal.teacher_id;
    let admin = principal.can(Permission::ProgramManage, &t.path);
    let own_supplement = for_myself && input.source == HourSource::Supplement;
    if !(admin || own_supplement) {
        return Err(AppError::Forbidden);
    }
    if input.occurred_on > Utc::now().date_naive() {
        return Err(AppError::field("occurred_on", tm::DateInFuture));
    }
    if input.source == HourSource::Supplement && input.evidence.is_empty() {
        return Err(AppError::field("evidence", tm::EvidenceRequired));
    }
    if let Some(eid) = input.enrollment_id {
        let e = enrollment::Entity::find_by_id(eid).one(&state.db).await?;
        if !e
            .as_ref()
            .is_some_and(|e| e.teacher_id == t.id && e.review_status == ReviewStatus::Approved)
        {
            return Err(AppError::field(
                "enrollment_id",
                tm::NoSuchApprovedEnrolment,
            ));
        }
    }
    let pending = input.source == HourSource::Supplement;
    let now = Utc::now();
    let txn = begin_write(&state.db).await?;
    files::own_uploads(
        &txn,
        principal,
        FilePurpose::Evidence,
        "evidence",
        &input.evidence,
    )
    .await?;
    let model = hour_entry::ActiveModel {
        teacher_id: Set(t.id),
        enrollment_id: Set(input.enrollment_id),
        path: Set(t.path.clone()),
        category: Set(input.category),
        half_hours: Set((input.hours * 2.0).round() as i32),
        occurred_on: Set(input.occurred_on),
        source: Set(input.source),
        source_ref: Set(None),
        status: Set(if pending {
            HourStatus::Pending
        } else {
            HourStatus::Approved
        }),
        voids_entry_id: Set(None),
        note: Set(input.note.clone()),
        evidence: Set(serde_json::to_string(&input.evidence).map_err(AppError::internal)?),
        created_by: Set(principal.account_id),
        created_at: Set(now),
        decided_by: Set((!pending).then_some(principal.account_id)),
        decided_at: Set((!pending).then_some(now)),
        decision_reason: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if !pending {
        apply(&txn, state.config.cycle_anchor_year, &model, 1).await?;
    }
    audit_entry(
        &txn,
        principal,
        &model,
        "hours.record",
        serde_json::json!({ "hours": input.hours, "source": model.source }),
    )
    .await?;
    txn.commit().await?;
    view(&state.db, model).await
}

async fn audit_entry(
    db: &impl ConnectionTrait,
    principal: &Principal,
    e: &hour_entry::Model,
    action: &'static str,
    detail: serde_json::Value,
) -> AppResult<()> {
    audit::record_change(db, principal, action, ("hour_entry", e.id, &e.path), detail).await?;
    Ok(())
}

crate::scoped_by_path_and_teacher!(hour_entry::Model);

async fn find_visible(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<hour_entry::Model> {
    crate::access::find_visible::<hour_entry::Entity>(db, principal, Permission::ProgramManage, id)
        .await
}

/// The school or county decides on a pending 补录; a rejection carries its reason to the teacher.
/// Decides each entry as `decide` would (scope, permission, still pending, its own transaction, mail and audit
/// entry); an entry that cannot be decided is refused on its own and stays as it was. A rejection without a reason
/// is refused whole, before anything changes.
pub async fn decide_many(
    state: &AppState,
    principal: &Principal,
    req: HourDecisionsRequest,
) -> AppResult<BulkOutcome> {
    // A caller who may decide no entry anywhere is refused whole rather than item by item.
    principal.require_somewhere(Permission::ProgramManage)?;
    let has_reason = req.reason.as_deref().is_some_and(|r| !r.trim().is_empty());
    if req.decision == Decision::Reject && !has_reason {
        return Err(AppError::field("reason", tm::RejectionNeedsReason));
    }
    let one = HourDecisionRequest {
        decision: req.decision,
        reason: req.reason,
    };
    BulkOutcome::run(&req.entry_ids, |id| {
        let one = one.clone();
        async move { decide(state, principal, id, one).await.map(|_| ()) }
    })
    .await
}

pub async fn decide(
    state: &AppState,
    principal: &Principal,
    id: i64,
    req: HourDecisionRequest,
) -> AppResult<HourEntryView> {
    let e = find_visible(&state.db, principal, id).await?;
    if !principal.can(Permission::ProgramManage, &e.path) {
        return Err(AppError::Forbidden);
    }
    if e.status != HourStatus::Pending {
        return Err(AppError::conflict("status", tm::EntryNotPending));
    }
    let reason = req
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if req.decision == Decision::Reject && reason.is_none() {
        return Err(AppError::field("reason", tm::RejectionNeedsReason));
    }
    let approve = req.decision == Decision::Approve;
    let txn = begin_write(&state.db).await?;
    // Only a still-pending entry changes, so two deciders cannot both credit it.
    let decided = hour_entry::Entity::update_many()
        .col_expr(
            hour_entry::Column::Status,
            Expr::val(if approve {
                HourStatus::Approved
            } else {
                HourStatus::Rejected
            }),
        )
        .col_expr(
            hour_entry::Column::DecidedBy,
            Expr::val(principal.account_id),
        )
        .col_expr(hour_entry::Column::DecidedAt, Expr::val(Utc::now()))
        .col_expr(
            hour_entry::Column::DecisionReason,
            Expr::val(reason.clone()),
        )
        .filter(hour_entry::Column::Id.eq(e.id))
        .filter(hour_entry::Column::Status.eq(HourStatus::Pending))
        .exec(&txn)
        .await?;
    if decided.rows_affected != 1 {
        return Err(AppError::conflict("status", tm::EntryDecidedMeanwhile));
    }
    if approve {
        apply(&txn, state.config.cycle_anchor_year, &e, 1).await?;
    }
    if let Some(t) = teacher::Entity::find_by_id(e.teacher_id).one(&txn).await? {
        let status = if approve {
            i18n::t(tm::HoursApproved)
        } else {
            i18n::t(tm::HoursNotApproved)
        };
        let why = match (reason.clone(), i18n::current_lang()) {
            (Some(r), i18n::Lang::Zh) => format!("：{r}"),
            (Some(r), i18n::Lang::En) => format!(": {r}"),
            (None, _) => String::new(),
        };
        let body = i18n::t(tm::HoursMailBody {
            max: f64::from(e.half_hours) / 2.0,
            status,
            reason: why,
        });
        let title = i18n::t(tm::HoursMailSubject);
        let to = inbox::Recipient::teacher(&txn, &t).await?;
        inbox::tell(
            &txn,
            &to,
            inbox::Notice::new(NoticeKind::Hours, title, body).link("/hours"),
        )
        .await?;
    }
    let action = if approve {
        "hours.approve"
    } else {
        "hours.reject"
    };
    audit_entry(
        &txn,
        principal,
        &e,
        action,
        serde_json::json!({ "reason": reason }),
    )
    .await?;
    txn.commit().await?;
    let updated = hour_entry::Entity::find_by_id(e.id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    view(&state.db, updated).await
}

/// Cancels an approved entry by appending a voiding row; the enrolment's progress is taken back with it.
/// The replacement, if any, is recorded as a new entry.
pub async fn void(
    state: &AppState,
    principal: &Principal,
    id: i64,
    req: VoidRequest,
) -> AppResult<HourEntryView> {
    let e = find_visible(&state.db, principal, id).await?;
    if !principal.can(Permission::ProgramManage, &e.path) {
        return Err(AppError::Forbidden);
    }
    if e.status != HourStatus::Approved || e.voids_entry_id.is_some() {
        return Err(AppError::conflict("status", tm::OnlyApprovedVoidable));
    }
    let txn = begin_write(&state.db).await?;
    let marker = append_voiding(&txn, principal, &e, req.reason.trim()).await?;
    apply(&txn, state.config.cycle_anchor_year, &e, -1).await?;
    audit_entry(
        &txn,
        principal,
        &e,
        "hours.void",
        serde_json::json!({ "reason": req.reason, "voiding_entry": marker.id }),
    )
    .await?;
    txn.commit().await?;
    view(&state.db, marker).await
}

/// A teacher's approved hours in one 5-year cycle.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CycleTotal {
    /// First year of the cycle.
    pub cycle_start: i32,
    /// Last year of the cycle.
    pub cycle_end: i32,
    pub hours: f64,
    /// 360 hours per cycle.
    pub required_hours: f64,
    pub reached: bool,
}

/// The teacher's cycle totals, maintained with every credit and void; the current cycle is always listed.
pub async fn cycles(
    state: &AppState,
    principal: &Principal,
    teacher_id: Option<i64>,
) -> AppResult<Vec<CycleTotal>> {
    let id = teacher_id
        .or(principal.teacher_id)
        .ok_or_else(|| AppError::field("teacher_id", tm::ChooseTeacher))?;
    let t = teachers::find_visible(&state.db, principal, id).await?;
    let mut rows: Vec<(i32, i64)> = teacher_cycle::Entity::find()
        .filter(teacher_cycle::Column::TeacherId.eq(t.id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.cycle_start, c.half_hours))
        .collect();
    let current = cycle_start(Utc::now().year(), state.config.cycle_anchor_year);
    if !rows.iter().any(|(start, _)| *start == current) {
        rows.push((current, 0));
    }
    rows.sort_by_key(|(start, _)| std::cmp::Reverse(*start));
    Ok(rows
        .into_iter()
        .map(|(start, half)| CycleTotal {
            cycle_start: start,
            cycle_end: start + 4,
            hours: half as f64 / 2.0,
            required_hours: CYCLE_REQUIRED_HALF_HOURS as f64 / 2.0,
            reached: half >= CYCLE_REQUIRED_HALF_HOURS,
        })
        .collect())
}

/// Appends the row that cancels `e`. The unique index on voids_entry_id: of two concurrent voids only one row
/// can exist.
async fn append_voiding(
    db: &impl ConnectionTrait,
    principal: &Principal,
    e: &hour_entry::Model,
    reason: &str,
) -> AppResult<hour_entry::Model> {
    let now = Utc::now();
    hour_entry::ActiveModel {
        teacher_id: Set(e.teacher_id),
        enrollment_id: Set(e.enrollment_id),
        path: Set(e.path.clone()),
        category: Set(e.category),
        half_hours: Set(e.half_hours),
        occurred_on: Set(e.occurred_on),
        source: Set(e.source),
        source_ref: Set(Some(e.id.to_string())),
        status: Set(HourStatus::Voiding),
        voids_entry_id: Set(Some(e.id)),
        note: Set(Some(reason.to_string())),
        evidence: Set("[]".into()),
        created_by: Set(principal.account_id),
        created_at: Set(now),
        decided_by: Set(Some(principal.account_id)),
        decided_at: Set(Some(now)),
        decision_reason: Set(Some(reason.to_string())),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|err| crate::platform::error::map_unique(err, "id", tm::AlreadyVoided))
}

/// Ledger rows in my part of the tree (a teacher: their own), newest first.
/// Filters and order of the ledger list.
#[derive(Debug, Clone, Default)]
pub struct HourQuery {
    pub teacher_id: Option<i64>,
    pub status: Option<HourStatus>,
    pub category: Option<HourCategory>,
    pub source: Option<HourSource>,
    /// A region or school code: only entries below it.
    pub node: Option<String>,
    /// `created` (default, the order entries were filed) or `occurred_on`.
    pub sort: Option<String>,
    pub order: Option<SortOrder>,
    pub page: Option<u64>,
    pub page_size: Option<u64>,
}

pub async fn list(
    state: &AppState,
    principal: &Principal,
    f: HourQuery,
) -> AppResult<Page<HourEntryView>> {
    let (page, size, offset) = window(f.page, f.page_size)?;
    let visible = principal.own_or_scoped(
        Permission::ProgramManage,
        hour_entry::Column::Path.into_simple_expr(),
        hour_entry::Column::TeacherId.into_simple_expr(),
    );
    let mut q = hour_entry::Entity::find().filter(visible);
    if let Some(t) = f.teacher_id {
        q = q.filter(hour_entry::Column::TeacherId.eq(t));
    }
    if let Some(s) = f.status {
        q = q.filter(hour_entry::Column::Status.eq(s));
    }
    if let Some(c) = f.category {
        q = q.filter(hour_entry::Column::Category.eq(c));
    }
    if let Some(s) = f.source {
        q = q.filter(hour_entry::Column::Source.eq(s));
    }
    if let Some(code) = f.node.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        let path = crate::directory::service::resolve_node(state, code)
            .await?
            .ok_or_else(|| AppError::field("node", tm::NoSuchRegionOrSchool))?
            .path;
        q = q.filter(crate::access::under(
            hour_entry::Column::Path.into_simple_expr(),
            &path,
        ));
    }
    let order = f.order.unwrap_or(SortOrder::Desc).to_sea();
    q = match f.sort.as_deref() {
        None | Some("created") => q.order_by(hour_entry::Column::Id, order),
        Some("occurred_on") => q
            .order_by(hour_entry::Column::OccurredOn, order.clone())
            .order_by(hour_entry::Column::Id, order),
        Some(_) => {
            return Err(AppError::field("sort", tm::HoursSortField));
        }
    };
    let (rows, total) = fetch(&state.db, q, offset, size).await?;
    Ok(Page {
        items: views(&state.db, rows).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}
