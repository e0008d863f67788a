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

crate::state_enum! {
    /// What a file is for; each purpose is listed with its owner's records.
    pub enum FilePurpose {
        /// Proof of outside training for a 补录 hour record.
        Evidence = "evidence",
        /// An attachment of a coursework submission.
        Coursework = "coursework",
        /// Evidence of a 能力点 (micro-competency) submission.
        Competency = "competency",
        /// An item of a 一师一优课 lesson (the classroom video, 课件, 教学设计 …); large ones through `/api/uploads`.
        Lesson = "lesson",
        /// An attachment of an announcement (通知公告), read by whoever the announcement reaches.
        Announcement = "announcement",
    }
}
