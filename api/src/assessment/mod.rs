//! Assessments (考核): the question bank, quizzes and exams with timed attempts, and what they add to a
//! program's completion rule.
pub mod attempts;
pub mod bank;
pub mod grading;
pub mod key_review;
pub mod quizzes;
pub mod routes;

use entity::{enrollment, quiz, quiz_attempt};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

use crate::{platform::error::AppResult, training::rules::CompletionRule};

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
        .filter(quiz::Column::Status.eq(entity::quiz::QuizStatus::Published))
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
        let passed = crate::competency::evidence::passed_points(db, e.teacher_id, year).await?;
        return Ok(passed >= rule.competencies);
    }
    Ok(true)
}
