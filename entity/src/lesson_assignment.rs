use sea_orm::entity::prelude::*;

/// One reviewer's review of one entry: per-criterion scores (JSON `{key, points, comment}`), saved as a draft until submitted.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub entry_id: i64,
    pub reviewer_id: i64,
    pub status: LessonReviewStatus,
    pub scores: String,
    pub total: Option<f64>,
    pub comment: Option<String>,
    pub assigned_by: Option<i64>,
    pub assigned_at: DateTimeUtc,
    pub saved_at: Option<DateTimeUtc>,
    pub submitted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Where a reviewer's scoring of one lesson is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    poem_openapi::Enum,
    serde::Serialize,
    serde::Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum LessonReviewStatus {
    /// Not opened for scoring yet.
    #[sea_orm(string_value = "assigned")]
    Assigned,
    /// Scores saved, not submitted.
    #[sea_orm(string_value = "draft")]
    Draft,
    /// Final.
    #[sea_orm(string_value = "submitted")]
    Submitted,
}
