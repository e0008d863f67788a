use sea_orm::entity::prelude::*;

/// One row per lesson-quota owner (`teacher:<id>` or `account:<id>`). A quota decision starts by updating this
/// row, so decisions for one owner take turns across every server instance and each sees the previous one's upload.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "upload_quota_owners")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub owner_key: String,
    /// How many quota decisions were taken for this owner (the update is what matters, not the number).
    pub decisions: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
