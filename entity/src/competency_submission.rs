use sea_orm::entity::prelude::*;

/// A teacher's evidence for one point in one year. A resubmission is a new row linked to the previous one
/// (`previous_id`), and only the newest of a chain is `latest`. The school's grade, the county's spot-check grade
/// (which overrides it) and the resulting final grade are all derived from checklists, never typed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "competency_submissions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub teacher_id: i64,
    pub school_id: i64,
    /// The school's path.
    pub path: String,
    pub year: i32,
    pub plan_id: i64,
    pub point_id: i64,
    pub code: String,
    pub previous_id: Option<i64>,
    pub latest: bool,
    /// JSON list of `{key, text, files}`.
    pub items: String,
    pub submitted_at: DateTimeUtc,
    pub school_grade: Option<Grade>,
    /// JSON `{excellent: [bool], pass: [bool]}`.
    pub school_checks: Option<String>,
    pub school_comment: Option<String>,
    pub school_reviewer: Option<i64>,
    pub school_reviewed_at: Option<DateTimeUtc>,
    pub county_grade: Option<Grade>,
    pub county_checks: Option<String>,
    /// The county reviewer's comment; the recorded reason when it overrides the school's grade.
    pub county_comment: Option<String>,
    pub county_reviewer: Option<i64>,
    pub county_reviewed_at: Option<DateTimeUtc>,
    /// The county's grade when spot-checked, else the school's.
    pub final_grade: Option<Grade>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// 优秀 / 合格 / 不合格.
    pub enum Grade {
        Excellent = "excellent",
        Pass = "pass",
        Fail = "fail",
    }
}

impl Grade {
    pub fn passed(self) -> bool {
        self != Grade::Fail
    }
}
