use sea_orm::entity::prelude::*;

/// A reviewer certified into a region's pool, with where they work (for 回避).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_reviewers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub path: String,
    pub home_school_id: Option<i64>,
    pub home_county: Option<String>,
    pub certified_by: i64,
    pub certified_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
