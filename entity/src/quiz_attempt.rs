use sea_orm::entity::prelude::*;

/// One teacher's attempt at a quiz, with the paper drawn for it. The deadline is the server's: the start plus the
/// time limit, never past the quiz's closing time.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "quiz_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub quiz_id: i64,
    pub teacher_id: i64,
    pub enrollment_id: i64,
    /// The teacher's path, for scope checks.
    pub path: String,
    pub attempt_no: i32,
    pub status: AttemptStatus,
    pub started_at: DateTimeUtc,
    pub deadline_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    pub closed_by_timeout: bool,
    /// JSON: `[{"question_id":1,"points":2.0,"option_order":[2,0,1]}]`.
    pub paper: String,
    pub score: Option<f64>,
    pub passed: Option<bool>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// A running attempt, or a closed one waiting for a tutor or fully graded.
    pub enum AttemptStatus {
        InProgress = "in_progress",
        /// Short answers wait for a tutor.
        Grading = "grading",
        Graded = "graded",
    }
}
