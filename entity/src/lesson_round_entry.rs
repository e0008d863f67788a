use sea_orm::entity::prelude::*;

/// A lesson competing in a round, with its aggregate, disagreement flag, override, rank and recommendation.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_round_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub lesson_id: i64,
    pub teacher_id: i64,
    pub school_id: i64,
    pub path: String,
    pub slot: String,
    pub score: Option<f64>,
    pub spread: Option<f64>,
    pub flagged: bool,
    pub override_score: Option<f64>,
    pub override_reason: Option<String>,
    pub override_by: Option<i64>,
    pub rank: Option<i32>,
    pub recommended: bool,
    /// Why a ranked lesson is not recommended: unscored | ineligible | slot_taken | teacher_taken | quota_full | objection_upheld.
    pub reason: Option<String>,
    pub excluded: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
