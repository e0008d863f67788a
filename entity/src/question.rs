use sea_orm::entity::prelude::*;

/// A question of the bank (题库). `answer` holds the key; it leaves the server only to bank managers and, after an
/// attempt is closed, to the teacher who took it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub owner_code: String,
    pub owner_path: String,
    pub kind: QuestionKind,
    pub subject: String,
    /// JSON list of tags.
    pub tags: String,
    /// 1 (easy) … 5 (hard)
    pub difficulty: i32,
    pub stem: String,
    /// JSON list of option texts (choice questions).
    pub options: String,
    /// JSON answer key, shape by kind.
    pub answer: String,
    pub explanation: String,
    pub points: f64,
    pub active: bool,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// How a question is answered, and whether the server can grade it.
    pub enum QuestionKind {
        /// 单选
        Single = "single",
        /// 多选
        Multiple = "multiple",
        /// 判断
        TrueFalse = "true_false",
        /// 填空
        Blank = "blank",
        /// 简答 (graded by a tutor)
        Short = "short",
    }
}

impl QuestionKind {
    pub fn has_options(self) -> bool {
        matches!(self, QuestionKind::Single | QuestionKind::Multiple)
    }
}
