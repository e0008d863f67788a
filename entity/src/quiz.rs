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
    pub mode: PaperMode,
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
    /// When takers see keys and explanations.
    pub key_review: KeyReview,
    pub status: QuizStatus,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// How the paper is made.
    pub enum PaperMode {
        /// The same questions for everyone.
        Fixed = "fixed",
        /// Drawn per attempt from the bank by section.
        Random = "random",
    }
}

crate::state_enum! {
    /// When teachers may see a quiz's answer keys, explanations and per-question results.
    #[derive(Default)]
    pub enum KeyReview {
        /// In every closed attempt, even with attempts left.
        AfterEachAttempt = "after_each_attempt",
        /// Once the teacher has used every allowed attempt (none running), or the quiz has closed.
        AfterLastAttempt = "after_last_attempt",
        /// Once the quiz window has ended.
        #[default]
        AfterClose = "after_close",
        /// Never to teachers; the quiz's managers and tutors still see them.
        Never = "never",
    }
}

crate::state_enum! {
    /// A draft quiz can still change; a published one is open to takers in its window.
    pub enum QuizStatus {
        Draft = "draft",
        Published = "published",
    }
}
