use sea_orm::entity::prelude::*;

/// Maintained 能力点 numbers of one node (region or school) and year: for a point `code`, the teachers who
/// submitted it, passed it (latest final grade 合格/优秀) and reached 优秀; for the totals row (`code` = `''`), the
/// teachers with any submission, those who meet their school's plan and those with any 优秀.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "competency_node_stats")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub node_path: String,
    pub year: i32,
    pub code: String,
    pub submitted: i64,
    pub passed: i64,
    pub excellent: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
