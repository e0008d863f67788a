use sea_orm::entity::prelude::*;

/// Seats of a program held by one node; `allocated` is what it handed down, `used` what enrolments took.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "program_quotas")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub program_id: i64,
    pub node_code: String,
    pub node_path: String,
    pub parent_id: Option<i64>,
    pub seats: i32,
    pub allocated: i32,
    pub used: i32,
    /// JSON eligibility filters (学段, 学科, 职称, 教龄, 年龄).
    pub eligibility: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
