use sea_orm::entity::prelude::*;

/// One line of the append-only hours ledger. A correction is a new entry whose `voids_entry_id` names the
/// entry it replaces; the old one's status becomes `void`, its amounts are never edited.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hour_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub teacher_id: i64,
    pub enrollment_id: Option<i64>,
    pub path: String,
    pub category: String,
    pub half_hours: i32,
    pub occurred_on: Date,
    /// course | coursework | attendance | institution_import | supplement (补录)
    pub source: String,
    pub source_ref: Option<String>,
    /// pending | approved | rejected | void
    pub status: String,
    pub voids_entry_id: Option<i64>,
    pub note: Option<String>,
    /// JSON list of evidence file keys.
    pub evidence: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
