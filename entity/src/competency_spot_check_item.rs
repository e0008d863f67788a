use sea_orm::entity::prelude::*;

/// A submission drawn in a spot-check.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "competency_spot_check_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub spot_check_id: i64,
    pub submission_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
