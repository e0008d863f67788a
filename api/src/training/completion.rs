//! Completion of an enrolment has one owner: this module. It decides from the hours ledger's totals, the
//! program's rule and what the teacher achieved elsewhere (quizzes passed, 能力点 passed), reading those facts from
//! their tables; assessment and competency tell it that something changed through [`reevaluate_teacher`] and never
//! the other way round, so no module it reads depends on it in a circle.
use chrono::Utc;
use entity::{
    competency_submission as submission,
    enrollment::{self, ReviewStatus, TrainingStatus},
    program,
    quiz::{self, QuizStatus},
    quiz_attempt,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
};

use super::{
    certificates,
    programs::rules_of,
    rules::{CategoryTotals, CompletionRule, HourCategory, counted, is_complete},
    stats::{self, ProgramDelta},
};
use crate::{
    competency::Grade,
    platform::error::{AppError, AppResult},
};

/// The final grades that count a 能力点 as passed for completion.
const PASSING_GRADES: [Grade; 2] = [Grade::Excellent, Grade::Pass];

pub fn totals_of(e: &enrollment::Model) -> CategoryTotals {
    [
        (HourCategory::Centralized, e.hours_centralized),
        (HourCategory::Online, e.hours_online),
        (HourCategory::Ict, e.hours_ict),
        (HourCategory::Regional, e.hours_regional),
        (HourCategory::SchoolBased, e.hours_school_based),
        (HourCategory::Practice, e.hours_practice),
    ]
    .into_iter()
    .map(|(c, h)| (c, i64::from(h)))
    .collect()
}

/// Re-evaluates the completion of every approved enrolment of a teacher after something other than hours
/// changed what they have achieved (an assessment passed, a micro-competency graded), in the caller's transaction.
pub async fn reevaluate_teacher(db: &impl ConnectionTrait, teacher_id: i64) -> AppResult<()> {
    let ids: Vec<i64> = enrollment::Entity::find()
        .select_only()
        .column(enrollment::Column::Id)
        .filter(enrollment::Column::TeacherId.eq(teacher_id))
        .filter(enrollment::Column::ReviewStatus.eq(ReviewStatus::Approved))
        .into_tuple()
        .all(db)
        .await?;
    for id in ids {
        evaluate(db, id, ProgramDelta::default()).await?;
    }
    Ok(())
}

/// Whether an enrolment is complete now, applied: counted hours, status, the program's counters (`hours`, the
/// change that triggered this, plus any change in completions), and the certificate issued or revoked.
pub(crate) async fn evaluate(
    db: &impl ConnectionTrait,
    enrollment_id: i64,
    hours: ProgramDelta,
) -> AppResult<()> {
    let e = enrollment::Entity::find_by_id(enrollment_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = program::Entity::find_by_id(e.program_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (hour_rule, completion) = rules_of(&p);
    let totals = totals_of(&e);
    let counted_now = counted(&hour_rule, &totals);
    let approved = e.review_status == ReviewStatus::Approved;
    let complete = approved
        && is_complete(&completion, &hour_rule, &totals)
        && achievements_met(db, &completion, &e, p.year).await?;
    let was_complete = e.training_status == TrainingStatus::Completed;
    let gained_hours = hours.half_hours.iter().sum::<i64>() > 0;
    let (program_id, path) = (e.program_id, e.path.clone());
    let mut active: enrollment::ActiveModel = e.into();
    active.counted_hours = Set(i32::try_from(counted_now).unwrap_or(i32::MAX));
    if complete && !was_complete {
        active.training_status = Set(TrainingStatus::Completed);
        active.completed_at = Set(Some(Utc::now()));
    } else if !complete && was_complete {
        // A voided credit can take a completion back.
        active.training_status = Set(TrainingStatus::Reported);
        active.completed_at = Set(None);
    } else if !was_complete && gained_hours {
        active.training_status = Set(TrainingStatus::Reported);
    }
    active.updated_at = Set(Utc::now());
    let e = active.update(db).await?;
    if approved {
        let mut d = hours;
        d.completed = i64::from(complete) - i64::from(was_complete);
        if !d.is_zero() {
            stats::add_to_program(db, program_id, &path, d).await?;
        }
    }
    if complete && !was_complete {
        certificates::issue(db, &e, &p).await?;
    } else if !complete && was_complete {
        certificates::revoke_for(
            db,
            e.id,
            &crate::platform::i18n::t(
                crate::platform::i18n::catalogue::training::HoursVoidedCompletionLost,
            ),
        )
        .await?;
    }
    Ok(())
}

/// Whether a teacher's enrolment meets the parts of a completion rule beyond hours: every published quiz of
/// the program that counts for completion passed (any attempt), and enough micro-competencies passed in the
/// program's year.
pub async fn achievements_met(
    db: &impl ConnectionTrait,
    rule: &CompletionRule,
    e: &enrollment::Model,
    year: i32,
) -> AppResult<bool> {
    let required: Vec<i64> = quiz::Entity::find()
        .select_only()
        .column(quiz::Column::Id)
        .filter(quiz::Column::ProgramId.eq(e.program_id))
        .filter(quiz::Column::CountsForCompletion.eq(true))
        .filter(quiz::Column::Status.eq(QuizStatus::Published))
        .into_tuple()
        .all(db)
        .await?;
    if !required.is_empty() {
        let passed = quiz_attempt::Entity::find()
            .select_only()
            .column(quiz_attempt::Column::QuizId)
            .distinct()
            .filter(quiz_attempt::Column::QuizId.is_in(required.clone()))
            .filter(quiz_attempt::Column::TeacherId.eq(e.teacher_id))
            .filter(quiz_attempt::Column::Passed.eq(true))
            .count(db)
            .await?;
        if passed < required.len() as u64 {
            return Ok(false);
        }
    }
    if rule.competencies > 0 {
        let passed = passed_points(db, e.teacher_id, year).await?;
        return Ok(passed >= rule.competencies);
    }
    Ok(true)
}

/// Points of a year whose latest final grade is 合格 or 优秀 — what program completion counts.
pub async fn passed_points(
    db: &impl ConnectionTrait,
    teacher_id: i64,
    year: i32,
) -> AppResult<i64> {
    let n = submission::Entity::find()
        .filter(submission::Column::TeacherId.eq(teacher_id))
        .filter(submission::Column::Year.eq(year))
        .filter(submission::Column::Latest.eq(true))
        .filter(submission::Column::FinalGrade.is_in(PASSING_GRADES.map(Grade::as_str)))
        .count(db)
        .await?;
    Ok(n as i64)
}
