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

crate::state_enum! {
    /// What a lesson's file is. The first four are required before a lesson may compete.
    pub enum ItemKind {
        /// ① 教学设计
        Design = "design",
        /// ② 课件及资源 (≤ 500 MB)
        Courseware = "courseware",
        /// ③ 课堂实录 (MP4 video)
        Video = "video",
        /// ④ 评测练习
        Exercise = "exercise",
        /// 教学反思
        Reflection = "reflection",
        /// 学情分析
        LearnerAnalysis = "learner_analysis",
        /// 专家点评
        ExpertComment = "expert_comment",
        /// 素材, typed by `material_type`
        Material = "material",
        /// 课后作业
        Homework = "homework",
    }
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

crate::state_enum! {
    /// The kinds of 素材 (optional material).
    pub enum MaterialType {
        /// 微课
        MicroLesson = "micro_lesson",
        /// 素材
        Material = "material",
        /// 习题
        Exercise = "exercise",
        /// 实验
        Experiment = "experiment",
        /// 工具
        Tool = "tool",
        /// 数字教材
        DigitalTextbook = "digital_textbook",
        /// 课标解读
        StandardReading = "standard_reading",
        /// 教材教法分析
        TextbookAnalysis = "textbook_analysis",
    }
}
