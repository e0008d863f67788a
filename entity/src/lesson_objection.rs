use sea_orm::entity::prelude::*;

/// An objection raised during a round's 公示; status open | upheld | dismissed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_objections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub entry_id: i64,
    pub raised_by: i64,
    pub text: String,
    pub status: LessonObjectionStatus,
    pub response: Option<String>,
    pub resolved_by: Option<i64>,
    pub resolved_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Where an objection raised during 公示 is.
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
pub enum LessonObjectionStatus {
    /// Waiting for the round administrator.
    #[sea_orm(string_value = "open")]
    Open,
    /// Accepted: the lesson may not be recommended.
    #[sea_orm(string_value = "upheld")]
    Upheld,
    /// Rejected with a response.
    #[sea_orm(string_value = "dismissed")]
    Dismissed,
}
