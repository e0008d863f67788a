use sea_orm::entity::prelude::*;

/// A class (班级) of a training program, run by its tutors (辅导教师) for an institution (培训机构).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_classes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub program_id: i64,
    pub name: String,
    pub institution: Option<String>,
    /// The program owner's path: those who manage the program manage its classes.
    pub path: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
