use sea_orm::entity::prelude::*;

/// One version of the province's 能力点 catalogue: a draft the province edits, then published (the one schools
/// plan on), then retired when a newer version is published.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "competency_catalogs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub version: i32,
    pub status: CatalogStatus,
    /// The version this draft was copied from.
    pub based_on: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub published_by: Option<i64>,
    pub published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// A catalogue version the province edits, the one schools plan on, or one a newer version replaced.
    pub enum CatalogStatus {
        Draft = "draft",
        Published = "published",
        Retired = "retired",
    }
}
