//! 待办: the queues waiting for the caller, each counted within their scope and linked to the page that works it.
//! Only the kinds the caller can act on appear (with 0 when the queue is empty), so the list doubles as the
//! menu's badges.
use chrono::Utc;
use entity::enrollment::ReviewStatus;
use entity::enrollment_decision::{DecisionKind, DecisionLevel};
use entity::hour_entry::HourStatus;
use entity::job::JobStatus;
use entity::lesson::LessonStatus;
use entity::lesson_assignment::LessonReviewStatus;
use entity::lesson_round::LessonRoundStatus;
use entity::result_batch::ResultBatchStatus;
use entity::{
    enrollment, enrollment_decision, hour_entry, job, lesson, lesson_assignment, lesson_round,
    result_batch,
};
use poem_openapi::{Enum, Object};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoSimpleExpr, PaginatorTrait,
    QueryFilter, QuerySelect, QueryTrait,
};

use crate::{
    access::{NodeLevel, Permission, Role, RoleRules, Scope},
    auth::Principal,
    platform::error::AppResult,
};

/// A queue on the workbench.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum TodoKind {
    /// Enrolments waiting for my level's decision (the school's first, then the county's).
    EnrolmentDecisions,
    /// Hour records (补录 and others) waiting for approval.
    HourApprovals,
    /// Institutions' result batches waiting for a program administrator other than their submitter.
    ResultBatches,
    /// Lessons submitted to my school's check (审查).
    LessonChecks,
    /// My review rounds past their deadline with scores still missing.
    OverdueRounds,
    /// Lessons assigned to me in an open round that I have not submitted.
    ReviewsDue,
    /// Mail and reminder jobs that failed and wait to be run again.
    FailedJobs,
}

impl TodoKind {
    /// The SPA page that works the queue.
    pub fn route(self) -> &'static str {
        match self {
            TodoKind::EnrolmentDecisions | TodoKind::ResultBatches => "/programs",
            TodoKind::HourApprovals => "/hours",
            TodoKind::LessonChecks => "/lesson-check",
            TodoKind::OverdueRounds => "/lesson-rounds",
            TodoKind::ReviewsDue => "/lesson-reviews",
            TodoKind::FailedJobs => "/jobs",
        }
    }

    /// The permission that works the queue: the kind is listed for whoever holds it somewhere.
    fn permission(self) -> Permission {
        match self {
            TodoKind::EnrolmentDecisions | TodoKind::HourApprovals | TodoKind::ResultBatches => {
                Permission::ProgramManage
            }
            TodoKind::LessonChecks => Permission::LessonCheck,
            TodoKind::OverdueRounds => Permission::LessonRound,
            TodoKind::ReviewsDue => Permission::LessonReview,
            TodoKind::FailedJobs => Permission::JobManage,
        }
    }

    const ALL: [TodoKind; 7] = [
        TodoKind::EnrolmentDecisions,
        TodoKind::HourApprovals,
        TodoKind::ResultBatches,
        TodoKind::LessonChecks,
        TodoKind::OverdueRounds,
        TodoKind::ReviewsDue,
        TodoKind::FailedJobs,
    ];
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TodoCount {
    pub kind: TodoKind,
    pub count: u64,
    /// The SPA route of the queue.
    pub route: String,
}

/// Every queue the caller can work, with its count.
pub async fn counts(db: &impl ConnectionTrait, principal: &Principal) -> AppResult<Vec<TodoCount>> {
    let mut out = Vec::new();
    for kind in TodoKind::ALL {
        if principal.require_somewhere(kind.permission()).is_err() {
            continue;
        }
        out.push(TodoCount {
            kind,
            count: count(db, principal, kind).await?,
            route: kind.route().into(),
        });
    }
    Ok(out)
}

async fn count(db: &impl ConnectionTrait, principal: &Principal, kind: TodoKind) -> AppResult<u64> {
    let scope = principal.scope(kind.permission());
    Ok(match kind {
        TodoKind::EnrolmentDecisions => enrolment_decisions(db, principal).await?,
        TodoKind::HourApprovals => {
            hour_entry::Entity::find()
                .filter(hour_entry::Column::Status.eq(HourStatus::Pending))
                .filter(scope.condition(hour_entry::Column::Path.into_simple_expr(), None))
                .count(db)
                .await?
        }
        TodoKind::ResultBatches => {
            result_batch::Entity::find()
                .filter(result_batch::Column::Status.eq(ResultBatchStatus::Pending))
                .filter(result_batch::Column::SubmittedBy.ne(principal.account_id))
                .filter(scope.condition(result_batch::Column::NodePath.into_simple_expr(), None))
                .count(db)
                .await?
        }
        TodoKind::LessonChecks => {
            lesson::Entity::find()
                .filter(lesson::Column::Status.eq(LessonStatus::Submitted))
                .filter(scope.condition(lesson::Column::Path.into_simple_expr(), None))
                .count(db)
                .await?
        }
        TodoKind::OverdueRounds => {
            let missing_scores = lesson_assignment::Entity::find()
                .select_only()
                .column(lesson_assignment::Column::RoundId)
                .filter(lesson_assignment::Column::Status.ne(LessonReviewStatus::Submitted))
                .into_query();
            lesson_round::Entity::find()
                .filter(lesson_round::Column::Status.eq(LessonRoundStatus::Reviewing))
                .filter(lesson_round::Column::Deadline.lt(Utc::now()))
                .filter(lesson_round::Column::Id.in_subquery(missing_scores))
                .filter(scope.condition(lesson_round::Column::Path.into_simple_expr(), None))
                .count(db)
                .await?
        }
        TodoKind::ReviewsDue => {
            let open_rounds = lesson_round::Entity::find()
                .select_only()
                .column(lesson_round::Column::Id)
                .filter(lesson_round::Column::Status.eq(LessonRoundStatus::Reviewing))
                .into_query();
            lesson_assignment::Entity::find()
                .filter(lesson_assignment::Column::ReviewerId.eq(principal.account_id))
                .filter(lesson_assignment::Column::Status.ne(LessonReviewStatus::Submitted))
                .filter(lesson_assignment::Column::RoundId.in_subquery(open_rounds))
                .count(db)
                .await?
        }
        // The queue is the whole platform's; the permission is held at the province only.
        TodoKind::FailedJobs => {
            job::Entity::find()
                .filter(job::Column::Status.eq(JobStatus::Failed))
                .count(db)
                .await?
        }
    })
}

/// Pending enrolments wait for the school first, then for the county (see `training::enrollments`). A school
/// administrator's queue is those the school has not yet approved under their schools; a county (or higher)
/// administrator's is those the school has approved under their regions.
async fn enrolment_decisions(db: &impl ConnectionTrait, principal: &Principal) -> AppResult<u64> {
    let schools = principal.scope_at(Permission::ProgramManage, NodeLevel::School);
    let regions = Scope {
        prefixes: principal
            .bound_roles()
            .iter()
            .filter(|g| {
                g.role.has(Permission::ProgramManage) && g.role.rank() >= Role::CountyAdmin.rank()
            })
            .map(|g| g.scope_path.clone())
            .collect(),
        own_teacher: None,
    };
    let school_approved = enrollment_decision::Entity::find()
        .select_only()
        .column(enrollment_decision::Column::EnrollmentId)
        .filter(enrollment_decision::Column::Level.eq(DecisionLevel::School))
        .filter(enrollment_decision::Column::Decision.eq(DecisionKind::Approve))
        .into_query();
    let path = || enrollment::Column::Path.into_simple_expr();
    let mut waiting = Condition::any();
    if !schools.is_empty() {
        waiting = waiting.add(
            Condition::all()
                .add(schools.condition(path(), None))
                .add(enrollment::Column::Id.not_in_subquery(school_approved.clone())),
        );
    }
    if !regions.is_empty() {
        waiting = waiting.add(
            Condition::all()
                .add(regions.condition(path(), None))
                .add(enrollment::Column::Id.in_subquery(school_approved)),
        );
    }
    if schools.is_empty() && regions.is_empty() {
        return Ok(0);
    }
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::ReviewStatus.eq(ReviewStatus::Pending))
        .filter(waiting)
        .count(db)
        .await?)
}
