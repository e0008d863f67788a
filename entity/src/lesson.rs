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
    pub status: String,
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
