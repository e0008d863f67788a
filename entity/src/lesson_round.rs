use sea_orm::entity::prelude::*;

/// A review round of one level (county | city | province) for one region; `criteria` is the rubric copied when the round was made. Status draft → reviewing → closed → publicity → published.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_rounds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: i64,
    pub level: LessonRoundLevel,
    pub region_code: String,
    pub path: String,
    pub name: String,
    pub rubric_id: i64,
    pub criteria: String,
    pub reviewers_per_lesson: i32,
    pub blind: bool,
    pub same_county_conflict: bool,
    pub aggregation: Aggregation,
    pub spread_threshold: f64,
    pub quota_kind: LessonQuotaKind,
    pub quota_value: i32,
    pub deadline: DateTimeUtc,
    pub reminder_days: String,
    pub publicity_days: i32,
    pub status: LessonRoundStatus,
    pub publicity_ends_at: Option<DateTimeUtc>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// The level a round runs at (county → city → province), and the award it gives.
    pub enum LessonRoundLevel {
        County = "county",
        City = "city",
        Province = "province",
    }
}

crate::state_enum! {
    /// Where a review round is: draft → reviewing → closed → publicity → published.
    pub enum LessonRoundStatus {
        /// Being set up.
        Draft = "draft",
        /// Reviewers score their lessons.
        Reviewing = "reviewing",
        /// Scoring is over; the administrator settles the result.
        Closed = "closed",
        /// The recommendations are in 公示; objections may be raised.
        Publicity = "publicity",
        /// The result is final and the awards are given.
        Published = "published",
    }
}

crate::state_enum! {
    /// How a round limits the lessons it may recommend.
    pub enum LessonQuotaKind {
        /// A share of the round's lessons, in percent.
        Percent = "percent",
        /// A fixed number of lessons.
        Fixed = "fixed",
    }
}

crate::state_enum! {
    /// How a lesson's reviewer totals become its score (a per-round setting).
    pub enum Aggregation {
        Mean = "mean",
        /// 去掉一个最高分和一个最低分: one lenient or harsh reviewer cannot move the result much.
        DropHighLow = "drop_high_low",
    }
}
