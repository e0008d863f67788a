use sea_orm::entity::prelude::*;

/// A school's 能力点 plan for a year, made on one published catalogue version.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "competency_plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub school_id: i64,
    /// The school's path.
    pub path: String,
    pub year: i32,
    pub catalog_id: i64,
    /// How many points a teacher must pass.
    pub required_passes: i32,
    /// Whether the passed points must cover different dimensions.
    pub distinct_dimensions: bool,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_by: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
