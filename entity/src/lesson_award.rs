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
    pub level: LessonAwardLevel,
    pub path: String,
    pub awarded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// The level of an award: a round's level, or the ministry a province recommends to.
    pub enum LessonAwardLevel {
        County = "county",
        City = "city",
        Province = "province",
        /// Recommended to the ministry (部级优课).
        Ministry = "ministry",
    }
}
