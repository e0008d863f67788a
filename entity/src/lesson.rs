use sea_orm::entity::prelude::*;

/// A teacher's shown lesson (晒课) on one catalogue node. `advisors` is a JSON list of up to 3 指导教师 names, `design` the JSON 教学设计 sections; status draft | submitted | returned | checked.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lessons")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: i64,
    pub catalogue_node_id: i64,
    pub teacher_id: i64,
    pub school_id: i64,
    pub path: String,
    pub title: String,
    pub lesson_no: i32,
    pub advisors: String,
    pub design: String,
    pub status: LessonStatus,
    pub submitted_at: Option<DateTimeUtc>,
    pub checked_by: Option<i64>,
    pub checked_at: Option<DateTimeUtc>,
    pub check_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// Where a lesson is on its way to the first review round.
    pub enum LessonStatus {
        /// Being prepared by the teacher.
        Draft = "draft",
        /// Submitted, waiting for the school's 审查.
        Submitted = "submitted",
        /// Sent back by the school with a reason; the teacher may edit and submit again.
        Returned = "returned",
        /// Checked by the school: it competes in the county round.
        Checked = "checked",
    }
}

impl LessonStatus {
    /// The teacher may still change the lesson.
    pub fn editable(self) -> bool {
        matches!(self, LessonStatus::Draft | LessonStatus::Returned)
    }
}
