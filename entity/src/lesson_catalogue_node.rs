use sea_orm::entity::prelude::*;

/// One 知识节点 of the activity's lesson catalogue with the path above it (学段/学科/教材版本/年级/册次/章节).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_catalogue_nodes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: i64,
    pub stage: String,
    pub subject: String,
    pub edition: String,
    pub grade: String,
    pub volume: String,
    pub chapter: String,
    pub node: String,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
