use sea_orm::entity::prelude::*;

/// Who decided what about an enrolment, at which level (school, county …).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enrollment_decisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enrollment_id: i64,
    pub level: DecisionLevel,
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

crate::state_enum! {
    /// Where a logged decision was taken: one of the two review levels of a free-choice enrolment, or the
    /// administrator, assignment or teacher behind a change outside that review.
    pub enum DecisionLevel {
        /// The school's review (the first).
        School = "school",
        /// The county's review (the second and last).
        County = "county",
        /// An administrator over the teacher: a withdrawal, or the revoked side of a substitution.
        Admin = "admin",
        /// The seat was given by an administrator (计划), directly or as the new side of a substitution.
        Assignment = "assignment",
        /// The teacher withdrew their own enrolment.
        Teacher = "teacher",
    }
}
