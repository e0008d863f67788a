use sea_orm::entity::prelude::*;

/// A quiz or exam of a program (or one of its classes).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "quizzes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub program_id: i64,
    pub class_id: Option<i64>,
    /// The program owner's path: who manages the quiz.
    pub path: String,
    pub title: String,
    pub description: String,
    /// fixed | random
    pub mode: String,
    /// JSON: fixed — `[{"question_id":1,"points":2.0}]`; random — `[{"tag":"…","difficulty":2,"count":5,"points":2.0}]`.
    pub paper: String,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    pub time_limit_minutes: i32,
    pub attempts_allowed: i32,
    pub pass_score: f64,
    pub total_points: f64,
    pub shuffle_options: bool,
    /// Passing it is part of the program's completion rule.
    pub counts_for_completion: bool,
    /// When takers see keys and explanations: after_each_attempt | after_last_attempt | after_close | never
    pub key_review: String,
    /// draft | published
    pub status: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
