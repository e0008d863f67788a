use sea_orm::entity::prelude::*;

/// A lesson competing in a round, with its aggregate, disagreement flag, override, rank and recommendation.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_round_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub lesson_id: i64,
    pub teacher_id: i64,
    pub school_id: i64,
    pub path: String,
    pub slot: String,
    pub score: Option<f64>,
    pub spread: Option<f64>,
    pub flagged: bool,
    pub override_score: Option<f64>,
    pub override_reason: Option<String>,
    pub override_by: Option<i64>,
    pub rank: Option<i32>,
    pub recommended: bool,
    /// Why a ranked lesson is not recommended, when it is not.
    pub reason: Option<NotRecommended>,
    pub excluded: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// Why a ranked lesson is not recommended to the next level.
    pub enum NotRecommended {
        /// No usable score (too few reviews submitted).
        Unscored = "unscored",
        /// Excluded from recommendation by the round.
        Ineligible = "ineligible",
        /// Another lesson of the same catalogue slot ranks higher.
        SlotTaken = "slot_taken",
        /// Another lesson of the same teacher ranks higher.
        TeacherTaken = "teacher_taken",
        /// The quota was full before its rank.
        QuotaFull = "quota_full",
        /// Withdrawn after an objection was upheld during 公示.
        ObjectionUpheld = "objection_upheld",
    }
}
