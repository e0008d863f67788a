use sea_orm::entity::prelude::*;

/// A declared conflict of interest (回避) of a reviewer with a teacher or a school, for an activity.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_conflicts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: i64,
    pub reviewer_id: i64,
    pub teacher_id: Option<i64>,
    pub school_id: Option<i64>,
    pub reason: String,
    pub declared_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
