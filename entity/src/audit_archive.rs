use sea_orm::entity::prelude::*;

/// A range of the audit chain moved to the object store as gzip-compressed JSON lines, with its signed manifest.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_archive")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub first_seq: i64,
    pub last_seq: i64,
    pub entry_count: i64,
    pub first_prev_mac: String,
    pub last_chain_mac: String,
    pub object_key: String,
    /// The manifest as JSON text (what `signature` signs).
    pub manifest: String,
    pub signature: String,
    pub archived_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
