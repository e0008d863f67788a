use sea_orm::entity::prelude::*;

/// The single row (id 1) the audit sealer locks and advances: where the hash chain ends.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_seal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub last_seq: i64,
    pub last_mac: String,
    /// Entries up to this id were written before the chain existed and get their MAC from the first seal.
    pub legacy_through_id: i64,
    pub sealed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
