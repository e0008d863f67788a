use sea_orm::entity::prelude::*;

/// One reviewer's review of one entry: per-criterion scores (JSON `{key, points, comment}`), saved as a draft until submitted.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub entry_id: i64,
    pub reviewer_id: i64,
    pub status: LessonReviewStatus,
    pub scores: String,
    pub total: Option<f64>,
    pub comment: Option<String>,
    pub assigned_by: Option<i64>,
    pub assigned_at: DateTimeUtc,
    pub saved_at: Option<DateTimeUtc>,
    pub submitted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// Where a reviewer's scoring of one lesson is.
    pub enum LessonReviewStatus {
        /// Not opened for scoring yet.
        Assigned = "assigned",
        /// Scores saved, not submitted.
        Draft = "draft",
        /// Final.
        Submitted = "submitted",
    }
}
