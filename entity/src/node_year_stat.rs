use sea_orm::entity::prelude::*;

/// Maintained annual numbers under one node: approved half-hours dated in `year` per category (补录 also apart),
/// active teachers who took part in a program of the year or reached the yearly minimum, and, on the row of a
/// cycle's first year, those who reached 360 hours in that 5-year cycle.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "node_year_stats")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub node_path: String,
    pub year: i32,
    pub participants: i64,
    pub met_minimum: i64,
    pub cycle_complete: i64,
    pub hours_supplement: i64,
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
