use sea_orm::entity::prelude::*;

/// Maintained numbers of one program under one node (region or school): approved enrolments, completions and
/// the sum of approved half-hours per category. Updated in the transaction of the event that changes them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "program_node_stats")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub program_id: i64,
    pub node_path: String,
    pub enrolled: i64,
    pub completed: i64,
    pub hours_centralized: i64,
    pub hours_online: i64,
    pub hours_ict: i64,
    pub hours_regional: i64,
    pub hours_school_based: i64,
    pub hours_practice: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
