use sea_orm::entity::prelude::*;

/// A review round of one level (county | city | province) for one region; `criteria` is the rubric copied when the round was made. Status draft → reviewing → closed → publicity → published.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_rounds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: i64,
    pub level: String,
    pub region_code: String,
    pub path: String,
    pub name: String,
    pub rubric_id: i64,
    pub criteria: String,
    pub reviewers_per_lesson: i32,
    pub blind: bool,
    pub same_county_conflict: bool,
    pub aggregation: String,
    pub spread_threshold: f64,
    pub quota_kind: String,
    pub quota_value: i32,
    pub deadline: DateTimeUtc,
    pub reminder_days: String,
    pub publicity_days: i32,
    pub status: String,
    pub publicity_ends_at: Option<DateTimeUtc>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
