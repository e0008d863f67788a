use sea_orm::entity::prelude::*;

/// An institution's results for part of a program, pending until a program administrator confirms them.
/// `rows` is the validated sheet as JSON.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "result_batches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub program_id: i64,
    pub node_code: String,
    pub node_path: String,
    pub status: ResultBatchStatus,
    #[sea_orm(column_type = "Text")]
    pub rows: String,
    pub row_count: i32,
    pub file_name: String,
    pub submitted_by: i64,
    pub submitted_at: DateTimeUtc,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// An institution's results wait for a program administrator's decision.
    pub enum ResultBatchStatus {
        Pending = "pending",
        Confirmed = "confirmed",
        Rejected = "rejected",
    }
}
