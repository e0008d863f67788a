use sea_orm::entity::prelude::*;

/// A resumable (tus) upload session: the announced length, the bytes received so far (stored as segments in the
/// object store, listed in `segments` as JSON) and, once complete, the file it became.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "uploads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub account_id: i64,
    pub teacher_id: Option<i64>,
    pub path: String,
    pub name: String,
    pub purpose: crate::file::FilePurpose,
    pub length: i64,
    pub received_bytes: i64,
    #[sea_orm(column_type = "Text")]
    pub segments: String,
    pub file_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
