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
    /// pending | approved | rejected | revoked (未审核/通过/不通过/撤销)
    pub review_status: String,
    /// not_reported | reported | completed | not_completed (未报到/已报到/结业/未结业)
    pub training_status: String,
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
