use sea_orm::entity::prelude::*;

/// A signed statement "the chain reached `seq` with `chain_mac` at `at`": removing entries from the end of the
/// chain, or rewriting it from some point on, cannot reproduce the signatures without the audit key.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_checkpoint")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub seq: i64,
    pub chain_mac: String,
    pub at: DateTimeUtc,
    pub signature: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
