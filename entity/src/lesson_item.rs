use sea_orm::entity::prelude::*;

/// A file of a lesson: one of the four required items or an optional one (素材 with its type).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lesson_id: i64,
    pub kind: ItemKind,
    pub material_type: Option<MaterialType>,
    pub file_id: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// What a lesson's file is. The first four are required before a lesson may compete.
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
pub enum ItemKind {
    /// ① 教学设计
    #[sea_orm(string_value = "design")]
    Design,
    /// ② 课件及资源 (≤ 500 MB)
    #[sea_orm(string_value = "courseware")]
    Courseware,
    /// ③ 课堂实录 (MP4 video)
    #[sea_orm(string_value = "video")]
    Video,
    /// ④ 评测练习
    #[sea_orm(string_value = "exercise")]
    Exercise,
    /// 教学反思
    #[sea_orm(string_value = "reflection")]
    Reflection,
    /// 学情分析
    #[sea_orm(string_value = "learner_analysis")]
    LearnerAnalysis,
    /// 专家点评
    #[sea_orm(string_value = "expert_comment")]
    ExpertComment,
    /// 素材, typed by `material_type`
    #[sea_orm(string_value = "material")]
    Material,
    /// 课后作业
    #[sea_orm(string_value = "homework")]
    Homework,
}

impl ItemKind {
    pub const REQUIRED: [ItemKind; 4] = [
        ItemKind::Design,
        ItemKind::Courseware,
        ItemKind::Video,
        ItemKind::Exercise,
    ];

    pub fn required(self) -> bool {
        Self::REQUIRED.contains(&self)
    }
}

/// The kinds of 素材 (optional material).
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
pub enum MaterialType {
    /// 微课
    #[sea_orm(string_value = "micro_lesson")]
    MicroLesson,
    /// 素材
    #[sea_orm(string_value = "material")]
    Material,
    /// 习题
    #[sea_orm(string_value = "exercise")]
    Exercise,
    /// 实验
    #[sea_orm(string_value = "experiment")]
    Experiment,
    /// 工具
    #[sea_orm(string_value = "tool")]
    Tool,
    /// 数字教材
    #[sea_orm(string_value = "digital_textbook")]
    DigitalTextbook,
    /// 课标解读
    #[sea_orm(string_value = "standard_reading")]
    StandardReading,
    /// 教材教法分析
    #[sea_orm(string_value = "textbook_analysis")]
    TextbookAnalysis,
}
