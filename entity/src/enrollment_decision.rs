use sea_orm::entity::prelude::*;

/// Who decided what about an enrolment, at which level (school, county …).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enrollment_decisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enrollment_id: i64,
    pub level: String,
    pub decision: DecisionKind,
    pub reason: Option<String>,
    pub actor_id: i64,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// What a logged decision did to the enrolment.
    pub enum DecisionKind {
        Approve = "approve",
        Reject = "reject",
        /// Assigned by an administrator (计划).
        Assign = "assign",
        /// One teacher replaced by another on the same seat.
        Substitute = "substitute",
        Revoke = "revoke",
    }
}
