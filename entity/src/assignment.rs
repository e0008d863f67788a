use sea_orm::entity::prelude::*;

/// Coursework (作业) of one class, or of every class of a program when `class_id` is empty.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub program_id: i64,
    pub class_id: Option<i64>,
    /// The program owner's path.
    pub path: String,
    pub title: String,
    pub instructions: String,
    pub deadline: DateTimeUtc,
    /// Hour category credited on pass.
    pub category: crate::states::HourCategory,
    pub half_hours: i32,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
