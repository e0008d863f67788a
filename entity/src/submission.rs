use sea_orm::entity::prelude::*;

/// One submission of coursework. A resubmission is a new row, so the history stays; the grade is the tutor's
/// verdict on this row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "submissions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub assignment_id: i64,
    pub enrollment_id: i64,
    pub teacher_id: i64,
    /// The class the teacher sat in when submitting: its tutors grade it.
    pub class_id: i64,
    pub body: String,
    /// JSON list of file ids.
    pub attachments: String,
    pub submitted_at: DateTimeUtc,
    pub score: Option<i32>,
    pub passed: Option<bool>,
    pub comment: Option<String>,
    pub graded_by: Option<i64>,
    pub graded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
