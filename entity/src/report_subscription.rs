use sea_orm::entity::prelude::*;

crate::state_enum! {
    /// How often a subscribed report is made.
    pub enum ReportCadence {
        /// Every Monday, 06:00 China time.
        Weekly = "weekly",
        /// The first day of every month, 06:00 China time.
        Monthly = "monthly",
    }
}

/// An administrator's standing order for a report of its scope: the export it asks for (kind, format, parameters)
/// and when the next run is due. A run moves `next_run_at` with a compare-and-set, so with several instances each
/// run happens once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub kind: crate::export::ExportKind,
    pub format: String,
    #[sea_orm(column_type = "Text")]
    pub params: String,
    pub cadence: ReportCadence,
    pub active: bool,
    pub next_run_at: DateTimeUtc,
    pub last_run_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
