use sea_orm::entity::prelude::*;

/// An approved enrolment placed in a class; an enrolment sits in one class at most (unique `enrollment_id`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "class_members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub class_id: i64,
    #[sea_orm(unique)]
    pub enrollment_id: i64,
    pub teacher_id: i64,
    pub placed_by: i64,
    pub placed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
