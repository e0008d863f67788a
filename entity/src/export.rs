use sea_orm::entity::prelude::*;

crate::state_enum! {
    /// What a background export produces: the same files as the direct export operations.
    pub enum ExportKind {
        /// The schools of the directory (the schools list's filters).
        Schools = "schools",
        /// The teachers of the directory (masked ID numbers and phones).
        Teachers = "teachers",
        /// A program's completion report by region.
        ProgramReport = "program_report",
        /// A program's teacher-level report of one node.
        ProgramTeachers = "program_teachers",
        /// The 能力点 report of a year.
        CompetencyReport = "competency_report",
        /// The annual report across programs (全员培训年度报表) of a year.
        AnnualReport = "annual_report",
        /// The question bank.
        QuestionBank = "question_bank",
        /// The audit log.
        AuditEntries = "audit_entries",
        /// The ministry list of a 一师一优课 activity's awards.
        MinistryList = "ministry_list",
    }
}

crate::state_enum! {
    /// Where a background export stands.
    pub enum ExportStatus {
        /// Waiting for a worker.
        Queued = "queued",
        Running = "running",
        /// The file is ready to download until `expires_at`.
        Done = "done",
        /// It could not be made; `error` says why.
        Failed = "failed",
    }
}

/// A background export: what was asked (kind, format, parameters as JSON) by whom, and the file it became in the
/// object store. Only its owner downloads it; the row and the file are removed when it expires.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub account_id: i64,
    pub kind: ExportKind,
    pub format: String,
    #[sea_orm(column_type = "Text")]
    pub params: String,
    pub status: ExportStatus,
    /// The subscription whose run made it, if a schedule did.
    pub subscription_id: Option<i64>,
    pub storage_key: Option<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub size_bytes: Option<i64>,
    pub rows: Option<i64>,
    pub error: Option<String>,
    pub created_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub expires_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
