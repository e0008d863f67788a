use sea_orm::entity::prelude::*;

/// A county's spot-check draw: `share_percent` of the school-passed submissions of a year, chosen by a stable hash
/// of (seed, submission id), so the same seed over the same population draws the same set.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "competency_spot_checks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub county_code: String,
    pub path: String,
    pub year: i32,
    pub seed: i64,
    pub share_percent: i32,
    /// School-passed submissions the sample was drawn from.
    pub population: i32,
    pub drawn: i32,
    pub drawn_by: i64,
    pub drawn_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
