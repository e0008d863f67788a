use sea_orm::entity::prelude::*;

/// A lesson file's copy without identifying metadata (document properties, container tags), served to the
/// reviewers of blind rounds. Made once per file; while `making`, `locked_until` says how long the maker holds it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "blind_copies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub file_id: i64,
    pub status: BlindCopyStatus,
    pub storage_key: Option<String>,
    pub size: Option<i64>,
    pub locked_until: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// Where the making of a blind copy is.
    pub enum BlindCopyStatus {
        /// Held by a maker until `locked_until`.
        Making = "making",
        /// Stored and served to blind reviewers.
        Ready = "ready",
        /// The last attempt failed (`last_error`); a later request tries again.
        Failed = "failed",
    }
}
