use sea_orm::entity::prelude::*;

/// One message of an account's in-app inbox (站内信), written in the transaction of the event it tells of.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inbox_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub kind: NoticeKind,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// The SPA route the message is about.
    pub link: Option<String>,
    /// Set for events that may be told twice (a retried reminder job): the second telling adds nothing.
    #[sea_orm(unique)]
    pub dedupe_key: Option<String>,
    pub read_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// What a notice is about. Each kind lands in the inbox; whether it also goes by mail is the recipient's
    /// choice, except for security notices, which always do.
    pub enum NoticeKind {
        /// An enrolment was decided, assigned or withdrawn.
        Enrollment = "enrollment",
        /// Coursework was graded.
        Coursework = "coursework",
        /// A 补录 hour record was decided.
        Hours = "hours",
        /// A certificate was issued.
        Certificate = "certificate",
        /// 能力点 evidence was graded.
        Competency = "competency",
        /// Lessons to score in a review round, and the reminders before its deadline.
        LessonReview = "lesson_review",
        /// A background export (asked for, or made by a scheduled report) is ready or could not be made.
        Export = "export",
        /// Password and sign-in events of the account itself.
        Security = "security",
    }
}

impl NoticeKind {
    /// Security notices always go by mail too: a recipient who turned them off would not learn that someone
    /// else is resetting their password.
    pub fn mail_is_mandatory(self) -> bool {
        self == NoticeKind::Security
    }
}
