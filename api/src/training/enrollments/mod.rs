//! Enrolment (报名): administrators assign teachers to a program, or teachers enrol themselves in a free-choice
//! program and are approved by their school and then their county; every decision is logged with its level.
//! A seat of the school's quota is taken at enrolment and given back on rejection or withdrawal, by conditional
//! updates, so the last seat cannot be taken twice.
mod bulk;

use crate::platform::i18n;
use crate::platform::i18n::{ProblemCode, Text, catalogue::training as tm};
pub use bulk::{
    BulkAssignError, BulkAssignReport, BulkAssignRequest, assign_from_file, assign_many,
};
use std::collections::HashMap;

use chrono::Utc;
pub use entity::enrollment::{ReviewStatus, TrainingStatus};
use entity::enrollment_decision::{DecisionKind, DecisionLevel};
use entity::program::ProgramStatus;
use entity::{enrollment, enrollment_decision, program, program_quota, teacher};
use poem_openapi::{Enum, Object};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, IntoSimpleExpr,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait, sea_query::Expr,
};

use super::{programs, quotas::Eligibility, year_stats};
use crate::platform::tabular::{self, ImportReport, ImportRowError, SheetBudget};

/// An assignment file lists 身份证号 (and whatever else the sheet carries): up to every teacher of a province.
pub const ENROLLMENT_SHEET: SheetBudget = SheetBudget::new(1_050_000, 64).with_cells(8_000_000);
use crate::inbox::{self, NoticeKind};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    directory::{
        labels::{Labelled, Stage},
        schools::stage_filter,
        teachers,
    },
    platform::{
        audit,
        db::begin_write,
        error::{AppError, AppResult, map_unique},
        paging::{Page, fetch, window},
    },
};

/// Which level decides next on a pending enrolment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ReviewLevel {
    School,
    County,
}

impl ReviewLevel {
    /// How a decision taken at this level is logged.
    fn decision_level(self) -> DecisionLevel {
        match self {
            ReviewLevel::School => DecisionLevel::School,
            ReviewLevel::County => DecisionLevel::County,
        }
    }

    /// The administrative rank that decides at this level (school admin 1, county admin 2).
    fn rank(self) -> u8 {
        match self {
            ReviewLevel::School => 1,
            ReviewLevel::County => 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct EnrollRequest {
    /// The teacher to assign; omit to enrol myself (free-choice programs).
    pub teacher_id: Option<i64>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DecisionRequest {
    pub decision: Decision,
    /// Required when rejecting.
    #[oai(validator(max_length = 500))]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct WithdrawRequest {
    #[oai(validator(max_length = 500))]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DecisionView {
    pub level: DecisionLevel,
    pub decision: DecisionKind,
    pub reason: Option<String>,
    pub actor_id: i64,
    pub at: chrono::DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct EnrollmentView {
    pub id: i64,
    pub program_id: i64,
    pub teacher_id: i64,
    pub teacher_name: String,
    pub school_name: String,
    pub review_status: ReviewStatus,
    /// The level that decides next while pending.
    pub awaiting: Option<ReviewLevel>,
    /// not_reported | reported | completed | not_completed
    pub training_status: TrainingStatus,
    /// Hours that count under the program's rule.
    pub counted_hours: f64,
    /// The institution's grade (成绩 / 优秀, 良好 …), when reported.
    pub grade: Option<String>,
    pub decisions: Vec<DecisionView>,
    pub created_at: chrono::DateTime<Utc>,
}

async fn decisions_of(
    db: &impl ConnectionTrait,
    id: i64,
) -> AppResult<Vec<enrollment_decision::Model>> {
    Ok(enrollment_decision::Entity::find()
        .filter(enrollment_decision::Column::EnrollmentId.eq(id))
        .order_by_asc(enrollment_decision::Column::Id)
        .all(db)
        .await?)
}

/// Pending enrolments wait for the school first, then for the county.
fn awaiting(status: ReviewStatus, decisions: &[enrollment_decision::Model]) -> Option<ReviewLevel> {
    if status != ReviewStatus::Pending {
        return None;
    }
    let school_approved = decisions
        .iter()
        .any(|d| d.level == DecisionLevel::School && d.decision == DecisionKind::Approve);
    Some(if school_approved {
        ReviewLevel::County
    } else {
        ReviewLevel::School
    })
}

/// Views of enrolments with their teacher, school and decisions: one query per related table however many rows.
async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<enrollment::Model>,
) -> AppResult<Vec<EnrollmentView>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|e| e.id).collect();
    let mut decisions: HashMap<i64, Vec<enrollment_decision::Model>> = HashMap::new();
    for d in enrollment_decision::Entity::find()
        .filter(enrollment_decision::Column::EnrollmentId.is_in(ids))
        .order_by_asc(enrollment_decision::Column::Id)
        .all(db)
        .await?
    {
        decisions.entry(d.enrollment_id).or_default().push(d);
    }
    let teachers =
        crate::directory::service::teachers_by_id(db, rows.iter().map(|e| e.teacher_id)).await?;
    let schools =
        crate::directory::service::school_names(db, teachers.values().map(|t| t.school_id)).await?;
    Ok(rows
        .into_iter()
        .map(|e| {
            let decisions = decisions.remove(&e.id).unwrap_or_default();
            let t = teachers.get(&e.teacher_id);
            let status = e.review_status;
            EnrollmentView {
                id: e.id,
                program_id: e.program_id,
                teacher_id: e.teacher_id,
                teacher_name: t.map(|t| t.name.clone()).unwrap_or_default(),
                school_name: t
                    .and_then(|t| schools.get(&t.school_id))
                    .cloned()
                    .unwrap_or_default(),
                review_status: status,
                awaiting: awaiting(status, &decisions),
                training_status: e.training_status,
                counted_hours: f64::from(e.counted_hours) / 2.0,
                grade: e.grade,
                decisions: decisions
                    .into_iter()
                    .map(|d| DecisionView {
                        level: d.level,
                        decision: d.decision,
                        reason: d.reason,
                        actor_id: d.actor_id,
                        at: d.at,
                    })
                    .collect(),
                created_at: e.created_at,
            }
        })
        .collect())
}

async fn view(db: &impl ConnectionTrait, e: enrollment::Model) -> AppResult<EnrollmentView> {
    views(db, vec![e])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("enrollment view"))
}

fn eligible(e: &Eligibility, t: &teacher::Model) -> Result<(), Text> {
    // Eligibility lists name stages as a form or spreadsheet does: by value or by label.
    if !e.stages.is_empty()
        && !e
            .stages
            .iter()
            .any(|s| Stage::from_input(s) == Some(t.stage))
    {
        return Err(tm::ProgramForStages {
            allowed: i18n::join_list(&e.stages),
        }
        .into());
    }
    if !e.subjects.is_empty() && !e.subjects.contains(&t.subject) {
        return Err(tm::ProgramForSubjects {
            allowed: i18n::join_list(&e.subjects),
        }
        .into());
    }
    if !e.titles.is_empty() && !t.title.as_ref().is_some_and(|x| e.titles.contains(x)) {
        return Err(tm::ProgramForTitles {
            allowed: i18n::join_list(&e.titles),
        }
        .into());
    }
    if let Some(min) = e.min_teaching_years
        && t.teaching_years.unwrap_or(0) < min
    {
        return Err(tm::TeachingYearsShort { min: min as f64 }.into());
    }
    Ok(())
}

/// Takes one seat of the school's quota, or fails when none is left.
async fn take_seat(db: &impl ConnectionTrait, quota_id: i64) -> AppResult<()> {
    let taken = program_quota::Entity::update_many()
        .col_expr(
            program_quota::Column::Used,
            Expr::col(program_quota::Column::Used).add(1),
        )
        .filter(program_quota::Column::Id.eq(quota_id))
        .filter(
            Expr::col(program_quota::Column::Used)
                .add(Expr::col(program_quota::Column::Allocated))
                .add(1)
                .lte(Expr::col(program_quota::Column::Seats)),
        )
        .exec(db)
        .await?;
    if taken.rows_affected == 1 {
        Ok(())
    } else {
        Err(AppError::conflict("teacher_id", tm::NoSeatsLeft))
    }
}

async fn release_seat(db: &impl ConnectionTrait, quota_id: Option<i64>) -> AppResult<()> {
    if let Some(id) = quota_id {
        program_quota::Entity::update_many()
            .col_expr(
                program_quota::Column::Used,
                Expr::col(program_quota::Column::Used).sub(1),
            )
            .filter(program_quota::Column::Id.eq(id))
            .filter(program_quota::Column::Used.gt(0))
            .exec(db)
            .await?;
    }
    Ok(())
}

async fn log_decision(
    db: &impl ConnectionTrait,
    enrollment_id: i64,
    level: DecisionLevel,
    decision: DecisionKind,
    reason: Option<String>,
    actor: &Principal,
) -> AppResult<()> {
    enrollment_decision::ActiveModel {
        enrollment_id: Set(enrollment_id),
        level: Set(level),
        decision: Set(decision),
        reason: Set(reason),
        actor_id: Set(actor.account_id),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

async fn notify(
    db: &impl ConnectionTrait,
    t: &teacher::Model,
    p: &program::Model,
    what: impl Into<Text>,
) -> AppResult<()> {
    let body = i18n::t(tm::EnrolmentMailBody {
        name: t.name.clone(),
        value: p.name.clone(),
        status: what.into().render_current(),
    });
    let title = i18n::t(tm::EnrolmentMailSubject {
        value: p.name.clone(),
    });
    let to = inbox::Recipient::teacher(db, t).await?;
    let notice =
        inbox::Notice::new(NoticeKind::Enrollment, title, body).link(format!("/programs/{}", p.id));
    inbox::tell(db, &to, notice).await?;
    Ok(())
}

/// A new enrolment row with no progress yet; a second enrolment of the teacher in the program is a 409.
async fn insert_enrollment(
    db: &impl ConnectionTrait,
    program_id: i64,
    t: &teacher::Model,
    quota_id: Option<i64>,
    status: ReviewStatus,
) -> AppResult<enrollment::Model> {
    let now = Utc::now();
    enrollment::ActiveModel {
        program_id: Set(program_id),
        teacher_id: Set(t.id),
        path: Set(t.path.clone()),
        quota_id: Set(quota_id),
        review_status: Set(status),
        training_status: Set(TrainingStatus::NotReported),
        hours_centralized: Set(0),
        hours_online: Set(0),
        hours_ict: Set(0),
        hours_regional: Set(0),
        hours_school_based: Set(0),
        hours_practice: Set(0),
        counted_hours: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| map_unique(e, "teacher_id", tm::AlreadyEnrolled))
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SubstituteRequest {
    /// The teacher who takes the seat: same school, active, eligible, not yet enrolled.
    pub teacher_id: i64,
    #[oai(validator(min_length = 1, max_length = 500))]
    pub reason: String,
}

/// 替换: an administrator over the school gives an approved enrolment's seat to another teacher of the same
/// school. The old enrolment is revoked (logged as a substitution), the new one is approved at once; the seat
/// never returns to the pool, so nobody can take it in between.
pub async fn substitute(
    state: &AppState,
    principal: &Principal,
    id: i64,
    req: SubstituteRequest,
) -> AppResult<EnrollmentView> {
    let old = find_visible(&state.db, principal, id).await?;
    if !principal.can(Permission::ProgramManage, &old.path) {
        return Err(AppError::Forbidden);
    }
    // The named teacher is checked before the enrolment's state, so a foreign or unknown id is always a 422.
    let t = teachers::find_visible(&state.db, principal, req.teacher_id)
        .await
        .map_err(crate::access::as_reference("teacher_id"))?;
    if old.review_status != ReviewStatus::Approved
        || old.training_status == TrainingStatus::Completed
    {
        return Err(AppError::conflict(
            "review_status",
            tm::SubstituteOnlyApproved,
        ));
    }
    if t.path != old.path || !t.active {
        return Err(AppError::field("teacher_id", tm::SubstituteSameSchool));
    }
    if let Some(q) = old.quota_id {
        let quota = program_quota::Entity::find_by_id(q).one(&state.db).await?;
        let eligibility: Eligibility = quota
            .map(|q| serde_json::from_str(&q.eligibility).unwrap_or_default())
            .unwrap_or_default();
        eligible(&eligibility, &t).map_err(|m| AppError::field("teacher_id", m))?;
    }
    let p = programs::find_visible(&state.db, principal, old.program_id).await?;
    let reason = req.reason.trim().to_string();
    let txn = begin_write(&state.db).await?;
    // Only a still-approved enrolment is revoked, so two substitutions cannot both use the seat.
    let revoked = enrollment::Entity::update_many()
        .col_expr(
            enrollment::Column::ReviewStatus,
            sea_orm::sea_query::Expr::val(ReviewStatus::Revoked),
        )
        .col_expr(
            enrollment::Column::UpdatedAt,
            sea_orm::sea_query::Expr::val(Utc::now()),
        )
        .filter(enrollment::Column::Id.eq(old.id))
        .filter(enrollment::Column::ReviewStatus.eq(ReviewStatus::Approved))
        .exec(&txn)
        .await?;
    if revoked.rows_affected != 1 {
        return Err(AppError::conflict(
            "review_status",
            tm::EnrolmentChangedMeanwhile,
        ));
    }
    Box::pin(year_stats::enrolment_counted(&txn, &old, -1)).await?;
    log_decision(
        &txn,
        old.id,
        DecisionLevel::Admin,
        DecisionKind::Substitute,
        Some(reason.clone()),
        principal,
    )
    .await?;
    let model = insert_enrollment(
        &txn,
        old.program_id,
        &t,
        old.quota_id,
        ReviewStatus::Approved,
    )
    .await?;
    Box::pin(year_stats::enrolment_counted(&txn, &model, 1)).await?;
    log_decision(
        &txn,
        model.id,
        DecisionLevel::Assignment,
        DecisionKind::Substitute,
        Some(reason.clone()),
        principal,
    )
    .await?;
    notify(&txn, &t, &p, tm::EnrolmentAssignedSubstitution).await?;
    audit_enrollment(
        &txn,
        principal,
        &model,
        "enrollment.substitute",
        serde_json::json!({ "replaces": old.id, "replaced_teacher": old.teacher_id, "reason": reason }),
    )
    .await?;
    txn.commit().await?;
    view(&state.db, model).await
}

/// Takes a seat of the teacher's school and creates the enrolment: approved when an administrator assigns,
/// pending when the teacher applies. Everything in the caller's transaction.
async fn place(
    db: &impl ConnectionTrait,
    principal: &Principal,
    p: &entity::program::Model,
    t: &teacher::Model,
    assigned: bool,
) -> AppResult<enrollment::Model> {
    if !t.active {
        return Err(AppError::field("teacher_id", tm::TeacherInactive));
    }
    let quota = program_quota::Entity::find()
        .filter(program_quota::Column::ProgramId.eq(p.id))
        .filter(program_quota::Column::NodePath.eq(t.path.clone()))
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("teacher_id", tm::SchoolHoldsNoSeats))?;
    let eligibility: Eligibility = serde_json::from_str(&quota.eligibility).unwrap_or_default();
    eligible(&eligibility, t).map_err(|m| AppError::field("teacher_id", m))?;
    take_seat(db, quota.id).await?;
    let status = if assigned {
        ReviewStatus::Approved
    } else {
        ReviewStatus::Pending
    };
    let model = insert_enrollment(db, p.id, t, Some(quota.id), status).await?;
    if assigned {
        Box::pin(year_stats::enrolment_counted(db, &model, 1)).await?;
        log_decision(
            db,
            model.id,
            DecisionLevel::Assignment,
            DecisionKind::Assign,
            None,
            principal,
        )
        .await?;
        notify(db, t, p, tm::EnrolmentAssigned).await?;
    }
    audit_enrollment(
        db,
        principal,
        &model,
        if assigned {
            "enrollment.assign"
        } else {
            "enrollment.apply"
        },
        serde_json::json!({}),
    )
    .await?;
    Ok(model)
}

/// Assigns a teacher (administrators, any mode) or enrols the caller (teachers, free-choice programs).
pub async fn enroll(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    program_id: i64,
    req: EnrollRequest,
) -> AppResult<EnrollmentView> {
    let p = programs::find_visible(db, principal, program_id).await?;
    if p.status != ProgramStatus::Published {
        return Err(AppError::conflict("status", tm::ProgramNotOpen));
    }
    let own = principal.teacher_id;
    let teacher_id = req
        .teacher_id
        .or(own)
        .ok_or_else(|| AppError::field("teacher_id", tm::ChooseTeacher))?;
    let self_enrol = Some(teacher_id) == own && req.teacher_id.is_none_or(|t| Some(t) == own);
    let t = teachers::find_visible(db, principal, teacher_id)
        .await
        .map_err(crate::access::as_reference("teacher_id"))?;
    let assigned = !self_enrol;
    if assigned && !principal.can(Permission::ProgramManage, &t.path) {
        return Err(AppError::Forbidden);
    }
    if self_enrol {
        if p.enrolment_mode != programs::EnrolmentMode::Free {
            return Err(AppError::conflict("program", tm::AssignedProgram));
        }
        let now = Utc::now();
        if p.enrol_from.is_some_and(|f| now < f) || p.enrol_until.is_some_and(|u| now > u) {
            return Err(AppError::conflict("program", tm::EnrolmentClosed));
        }
    }
    let txn = begin_write(db).await?;
    let model = place(&txn, principal, &p, &t, assigned).await?;
    txn.commit().await?;
    view(db, model).await
}

async fn audit_enrollment(
    db: &impl ConnectionTrait,
    principal: &Principal,
    e: &enrollment::Model,
    action: &'static str,
    detail: serde_json::Value,
) -> AppResult<()> {
    audit::record_change(db, principal, action, ("enrollment", e.id, &e.path), detail).await?;
    Ok(())
}

crate::scoped_by_path_and_teacher!(enrollment::Model);

/// The enrolment if the caller may see it: their own, or one in their part of the tree.
async fn find_visible(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<enrollment::Model> {
    crate::access::find_visible::<enrollment::Entity>(db, principal, Permission::ProgramManage, id)
        .await
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<EnrollmentView> {
    let e = find_visible(db, principal, id).await?;
    view(db, e).await
}

/// A school (then county) decision on a pending enrolment; a rejection needs a reason and frees the seat.
pub async fn decide(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
    req: DecisionRequest,
) -> AppResult<EnrollmentView> {
    let e = find_visible(db, principal, id).await?;
    let decisions = decisions_of(db, e.id).await?;
    let Some(level) = awaiting(e.review_status, &decisions) else {
        return Err(AppError::conflict("review_status", tm::EnrolmentNotPending));
    };
    if principal
        .rank_over(Permission::ProgramManage, &e.path)
        .is_none_or(|r| r < level.rank())
    {
        return Err(AppError::Forbidden);
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
    let p = program::Entity::find_by_id(e.program_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let t = teacher::Entity::find_by_id(e.teacher_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = begin_write(db).await?;
    let decision = match req.decision {
        Decision::Approve => DecisionKind::Approve,
        Decision::Reject => DecisionKind::Reject,
    };
    log_decision(
        &txn,
        e.id,
        level.decision_level(),
        decision,
        reason.clone(),
        principal,
    )
    .await?;
    let next = match (req.decision, level) {
        (Decision::Reject, _) => Some(ReviewStatus::Rejected),
        (Decision::Approve, ReviewLevel::County) => Some(ReviewStatus::Approved),
        (Decision::Approve, ReviewLevel::School) => None,
    };
    let quota_id = e.quota_id;
    let mut active: enrollment::ActiveModel = e.into();
    if let Some(status) = next {
        active.review_status = Set(status);
    }
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await?;
    match next {
        Some(ReviewStatus::Rejected) => {
            release_seat(&txn, quota_id).await?;
            let why = reason.clone().unwrap_or_default();
            notify(&txn, &t, &p, tm::EnrolmentRejected { reason: why }).await?;
        }
        Some(ReviewStatus::Approved) => {
            Box::pin(year_stats::enrolment_counted(&txn, &model, 1)).await?;
            notify(&txn, &t, &p, tm::EnrolmentApproved).await?
        }
        _ => {}
    }
    audit_enrollment(
        &txn,
        principal,
        &model,
        "enrollment.decide",
        serde_json::json!({ "level": level.decision_level(), "decision": decision, "reason": reason }),
    )
    .await?;
    txn.commit().await?;
    view(db, model).await
}

/// 撤销: the teacher or an administrator over them withdraws an enrolment; its seat goes back to the school.
pub async fn withdraw(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
    req: WithdrawRequest,
) -> AppResult<EnrollmentView> {
    let e = find_visible(db, principal, id).await?;
    let status = e.review_status;
    if matches!(status, ReviewStatus::Rejected | ReviewStatus::Revoked)
        || e.training_status == TrainingStatus::Completed
    {
        return Err(AppError::conflict(
            "review_status",
            tm::EnrolmentNotWithdrawable,
        ));
    }
    let level = if Some(e.teacher_id) == principal.teacher_id {
        DecisionLevel::Teacher
    } else {
        DecisionLevel::Admin
    };
    let txn = begin_write(db).await?;
    log_decision(
        &txn,
        e.id,
        level,
        DecisionKind::Revoke,
        req.reason.clone(),
        principal,
    )
    .await?;
    release_seat(&txn, e.quota_id).await?;
    if status == ReviewStatus::Approved {
        Box::pin(year_stats::enrolment_counted(&txn, &e, -1)).await?;
    }
    let mut active: enrollment::ActiveModel = e.into();
    active.review_status = Set(ReviewStatus::Revoked);
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await?;
    audit_enrollment(
        &txn,
        principal,
        &model,
        "enrollment.withdraw",
        serde_json::json!({ "reason": req.reason }),
    )
    .await?;
    txn.commit().await?;
    view(db, model).await
}

/// Enrolments of a program in my part of the tree (a teacher: their own).
pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    program_id: i64,
    status: Option<ReviewStatus>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<EnrollmentView>> {
    let p = programs::find_visible(db, principal, program_id).await?;
    let (page, size, offset) = window(page, page_size)?;
    let visible = principal.own_or_scoped(
        Permission::ProgramManage,
        enrollment::Column::Path.into_simple_expr(),
        enrollment::Column::TeacherId.into_simple_expr(),
    );
    let mut q = enrollment::Entity::find()
        .filter(enrollment::Column::ProgramId.eq(p.id))
        .filter(visible);
    if let Some(s) = status {
        q = q.filter(enrollment::Column::ReviewStatus.eq(s));
    }
    let (rows, total) = fetch(db, q.order_by_asc(enrollment::Column::Id), offset, size).await?;
    Ok(Page {
        items: views(db, rows).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}
