use sea_orm::entity::prelude::*;

/// A teacher's shown lesson (晒课) on one catalogue node. `advisors` is a JSON list of up to 3 指导教师 names, `design` the JSON 教学设计 sections; status draft | submitted | returned | checked.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lessons")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: i64,
    pub catalogue_node_id: i64,
    pub teacher_id: i64,
    pub school_id: i64,
    pub path: String,
    pub title: String,
    pub lesson_no: i32,
    pub advisors: String,
    pub design: String,
    pub status: LessonStatus,
    pub submitted_at: Option<DateTimeUtc>,
    pub checked_by: Option<i64>,
    pub checked_at: Option<DateTimeUtc>,
    pub check_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Where a lesson is on its way to the first review round.
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
pub enum LessonStatus {
    /// Being prepared by the teacher.
    #[sea_orm(string_value = "draft")]
    Draft,
    /// Submitted, waiting for the school's 审查.
    #[sea_orm(string_value = "submitted")]
    Submitted,
    /// Sent back by the school with a reason; the teacher may edit and submit again.
    #[sea_orm(string_value = "returned")]
    Returned,
    /// Checked by the school: it competes in the county round.
    #[sea_orm(string_value = "checked")]
    Checked,
}

impl LessonStatus {
    /// The teacher may still change the lesson.
    pub fn editable(self) -> bool {
        matches!(self, LessonStatus::Draft | LessonStatus::Returned)
    }
}
