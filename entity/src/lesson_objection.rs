use sea_orm::entity::prelude::*;

/// An objection raised during a round's 公示; status open | upheld | dismissed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_objections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub entry_id: i64,
    pub raised_by: i64,
    pub text: String,
    pub status: LessonObjectionStatus,
    pub response: Option<String>,
    pub resolved_by: Option<i64>,
    pub resolved_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// Where an objection raised during 公示 is.
    pub enum LessonObjectionStatus {
        /// Waiting for the round administrator.
        Open = "open",
        /// Accepted: the lesson may not be recommended.
        Upheld = "upheld",
        /// Rejected with a response.
        Dismissed = "dismissed",
    }
}
