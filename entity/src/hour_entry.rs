use sea_orm::entity::prelude::*;

pub use crate::states::HourCategory;

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
    pub category: HourCategory,
    pub half_hours: i32,
    pub occurred_on: Date,
    pub source: HourSource,
    pub source_ref: Option<String>,
    pub status: HourStatus,
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

crate::state_enum! {
    /// Where credited hours come from.
    pub enum HourSource {
        Course = "course",
        Coursework = "coursework",
        Attendance = "attendance",
        InstitutionImport = "institution_import",
        /// 补录: outside training with evidence, approved by the school or county.
        Supplement = "supplement",
    }
}

crate::state_enum! {
    /// Only approved entries count; a correction is a `voiding` row that cancels the entry it names.
    pub enum HourStatus {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
        /// Cancels `voids_entry_id`: its hours count negatively.
        Voiding = "voiding",
    }
}
