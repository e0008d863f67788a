use sea_orm::entity::prelude::*;

/// A teacher in a program, with progress maintained alongside the hours ledger (half-hours per category).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enrollments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub program_id: i64,
    pub teacher_id: i64,
    pub path: String,
    pub quota_id: Option<i64>,
    pub review_status: ReviewStatus,
    pub training_status: TrainingStatus,
    pub grade: Option<String>,
    pub hours_centralized: i32,
    pub hours_online: i32,
    pub hours_ict: i32,
    pub hours_regional: i32,
    pub hours_school_based: i32,
    pub hours_practice: i32,
    /// What counts under the program's hour rule.
    pub counted_hours: i32,
    pub completed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// 未审核 / 通过 / 不通过 / 撤销.
    pub enum ReviewStatus {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
        Revoked = "revoked",
    }
}

crate::state_enum! {
    /// 未报到 / 已报到 / 结业 / 未结业.
    pub enum TrainingStatus {
        NotReported = "not_reported",
        Reported = "reported",
        Completed = "completed",
        NotCompleted = "not_completed",
    }
}
