use sea_orm::entity::prelude::*;

/// Append-only: rows are inserted, never updated or deleted (except that each chain column is set once, and
/// archived entries are removed after their archive is stored).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    /// Tree path of the target, so admins read the audit of their own subtree.
    pub target_path: Option<String>,
    /// JSON text.
    pub detail: String,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    /// HMAC of this entry's columns under the audit key (hex), set in the transaction that wrote it.
    pub entry_mac: Option<String>,
    /// Place in the hash chain, given by the sealer; NULL until sealed.
    pub seq: Option<i64>,
    /// The chain MAC of the entry before this one in the chain (empty for the first).
    pub prev_mac: Option<String>,
    /// HMAC(audit key, prev_mac ‖ this entry's canonical encoding).
    pub chain_mac: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
