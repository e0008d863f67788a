use sea_orm::entity::prelude::*;

/// An award of a lesson at a level: county | city | province (县级/市级/省级优课) or ministry (recommended to the ministry).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_awards")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: i64,
    pub lesson_id: i64,
    pub round_id: i64,
    pub level: String,
    pub path: String,
    pub awarded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
