use sea_orm::entity::prelude::*;

/// A durable side effect (an e-mail, an export …) written in the transaction that caused it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: JobKind,
    /// JSON text.
    pub payload: String,
    pub status: JobStatus,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTimeUtc,
    pub locked_until: Option<DateTimeUtc>,
    pub locked_by: Option<String>,
    #[sea_orm(unique)]
    pub dedupe_key: Option<String>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    /// When the current retry period began: the first failure, or an administrator's retry. The job gives up
    /// once the configured retry period has passed since then.
    pub retry_since: Option<DateTimeUtc>,
}

crate::state_enum! {
    /// What a job does. The work itself is not named here: each kind's handler is registered by the module that
    /// owns it, so the queue runs jobs without knowing any domain. A new kind adds a variant and registers its
    /// handler.
    pub enum JobKind {
        Mail = "mail",
        /// A review round's reminder to the reviewers who still have lessons to score.
        LessonReminder = "lesson_reminder",
        /// A background export: makes the file and stores it for its owner.
        Export = "export",
    }
}

crate::state_enum! {
    /// Where a job stands.
    pub enum JobStatus {
        /// Waiting for its `run_at` (a first run, or a retry after a failure).
        Pending = "pending",
        Running = "running",
        Done = "done",
        /// Still failing after the retry period: waits for an administrator.
        Failed = "failed",
        /// Not done on purpose: what it would have sent was no longer valid (a reset link past its expiry).
        Expired = "expired",
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
