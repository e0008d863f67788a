use sea_orm::entity::prelude::*;

/// The saved answer to one question of an attempt (autosaved, one row per question, overwritten until closing).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attempt_answers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub attempt_id: i64,
    pub question_id: i64,
    /// JSON response, shape by question kind.
    pub response: String,
    pub saved_at: DateTimeUtc,
    /// What automatic grading gave (objective questions).
    pub auto_score: Option<f64>,
    /// The final score of this answer (automatic, or the tutor's for a short answer).
    pub score: Option<f64>,
    pub needs_grading: bool,
    pub comment: Option<String>,
    pub graded_by: Option<i64>,
    pub graded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
