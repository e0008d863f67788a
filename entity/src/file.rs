use sea_orm::entity::prelude::*;

/// An uploaded file: the bytes live in the object store under `storage_key`; this row says what it is, who
/// uploaded it and under which node (the uploader's teacher path, or their scope) it is visible.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "files")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub storage_key: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub purpose: FilePurpose,
    pub uploaded_by: i64,
    pub teacher_id: Option<i64>,
    pub path: String,
    pub created_at: DateTimeUtc,
    /// A video's probe result (JSON: codecs, size, duration, bit rate and the 一师一优课 checks).
    #[sea_orm(column_type = "Text", nullable)]
    pub media: Option<String>,
    /// The object-store key of a video's poster frame (JPEG).
    pub poster_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// What a file is for; each purpose is listed with its owner's records.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    poem_openapi::Enum,
    serde::Serialize,
    serde::Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum FilePurpose {
    /// Proof of outside training for a 补录 hour record.
    #[sea_orm(string_value = "evidence")]
    Evidence,
    /// An attachment of a coursework submission.
    #[sea_orm(string_value = "coursework")]
    Coursework,
    /// Evidence of a 能力点 (micro-competency) submission.
    #[sea_orm(string_value = "competency")]
    Competency,
    /// An item of a 一师一优课 lesson (the classroom video, 课件, 教学设计 …); large ones through `/api/uploads`.
    #[sea_orm(string_value = "lesson")]
    Lesson,
}
