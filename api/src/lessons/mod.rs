//! 一师一优课 (one teacher, one excellent lesson, issue #5): the yearly activity and its lesson catalogue, teachers'
//! lessons with their items, the school's 审查, and the chained review rounds (county → city → province → ministry)
//! with rubrics, reviewer pools, conflicts, aggregation, quotas, 公示 and awards.
//!
//! Who sees a lesson is decided in [`visible`]: its teacher, and administrators whose `teacher.read` reaches the
//! lesson's school. Reviewers never read lessons directly; they see the blinded view of their assignments.
pub mod activities;
pub mod checking;
pub mod engine;
pub mod lesson;
pub mod pool;
pub mod routes;
// Rounds and review (Part B)
pub mod assignment;
pub mod publicity;
pub mod results;
pub mod reviews;
pub mod rounds;
pub mod rounds_routes;

use entity::{file, lesson as lesson_row, lesson_item};
use poem_openapi::Enum;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    platform::error::{AppError, AppResult},
};

/// Where a lesson is on its way to the first review round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum LessonStatus {
    /// Being prepared by the teacher.
    Draft,
    /// Submitted, waiting for the school's 审查.
    Submitted,
    /// Sent back by the school with a reason; the teacher may edit and submit again.
    Returned,
    /// Checked by the school: it competes in the county round.
    Checked,
}

impl LessonStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LessonStatus::Draft => "draft",
            LessonStatus::Submitted => "submitted",
            LessonStatus::Returned => "returned",
            LessonStatus::Checked => "checked",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "submitted" => LessonStatus::Submitted,
            "returned" => LessonStatus::Returned,
            "checked" => LessonStatus::Checked,
            _ => LessonStatus::Draft,
        }
    }

    /// The teacher may still change the lesson.
    pub fn editable(self) -> bool {
        matches!(self, LessonStatus::Draft | LessonStatus::Returned)
    }
}

/// What a lesson's file is. The first four are required before a lesson may compete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ItemKind {
    /// ① 教学设计
    Design,
    /// ② 课件及资源 (≤ 500 MB)
    Courseware,
    /// ③ 课堂实录 (MP4 video)
    Video,
    /// ④ 评测练习
    Exercise,
    /// 教学反思
    Reflection,
    /// 学情分析
    LearnerAnalysis,
    /// 专家点评
    ExpertComment,
    /// 素材, typed by `material_type`
    Material,
    /// 课后作业
    Homework,
}

impl ItemKind {
    pub const REQUIRED: [ItemKind; 4] = [
        ItemKind::Design,
        ItemKind::Courseware,
        ItemKind::Video,
        ItemKind::Exercise,
    ];
    const ALL: [ItemKind; 9] = [
        ItemKind::Design,
        ItemKind::Courseware,
        ItemKind::Video,
        ItemKind::Exercise,
        ItemKind::Reflection,
        ItemKind::LearnerAnalysis,
        ItemKind::ExpertComment,
        ItemKind::Material,
        ItemKind::Homework,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Design => "design",
            ItemKind::Courseware => "courseware",
            ItemKind::Video => "video",
            ItemKind::Exercise => "exercise",
            ItemKind::Reflection => "reflection",
            ItemKind::LearnerAnalysis => "learner_analysis",
            ItemKind::ExpertComment => "expert_comment",
            ItemKind::Material => "material",
            ItemKind::Homework => "homework",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The item's name in the current language.
    pub fn label(self) -> String {
        use crate::platform::i18n::{catalogue::lessons as m, t};
        match self {
            ItemKind::Design => t(m::ItemDesign),
            ItemKind::Courseware => t(m::ItemCourseware),
            ItemKind::Video => t(m::ItemVideo),
            ItemKind::Exercise => t(m::ItemExercise),
            ItemKind::Reflection => t(m::ItemReflection),
            ItemKind::LearnerAnalysis => t(m::ItemLearnerAnalysis),
            ItemKind::ExpertComment => t(m::ItemExpertComment),
            ItemKind::Material => t(m::ItemMaterial),
            ItemKind::Homework => t(m::ItemHomework),
        }
    }

    pub fn required(self) -> bool {
        Self::REQUIRED.contains(&self)
    }
}

/// The kinds of 素材 (optional material).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum MaterialType {
    /// 微课
    MicroLesson,
    /// 素材
    Material,
    /// 习题
    Exercise,
    /// 实验
    Experiment,
    /// 工具
    Tool,
    /// 数字教材
    DigitalTextbook,
    /// 课标解读
    StandardReading,
    /// 教材教法分析
    TextbookAnalysis,
}

impl MaterialType {
    pub fn as_str(self) -> &'static str {
        match self {
            MaterialType::MicroLesson => "micro_lesson",
            MaterialType::Material => "material",
            MaterialType::Exercise => "exercise",
            MaterialType::Experiment => "experiment",
            MaterialType::Tool => "tool",
            MaterialType::DigitalTextbook => "digital_textbook",
            MaterialType::StandardReading => "standard_reading",
            MaterialType::TextbookAnalysis => "textbook_analysis",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            MaterialType::MicroLesson,
            MaterialType::Material,
            MaterialType::Exercise,
            MaterialType::Experiment,
            MaterialType::Tool,
            MaterialType::DigitalTextbook,
            MaterialType::StandardReading,
            MaterialType::TextbookAnalysis,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

/// Its teacher, and administrators whose `teacher.read` reaches the lesson's school.
pub fn visible(principal: &Principal, lesson: &lesson_row::Model) -> bool {
    principal.owns_or_can(Permission::TeacherRead, lesson.teacher_id, &lesson.path)
}

/// A lesson the caller may see, else 404 (existence is not revealed).
pub async fn find_visible(
    state: &AppState,
    principal: &Principal,
    id: i64,
) -> AppResult<lesson_row::Model> {
    lesson_row::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .filter(|l| visible(principal, l))
        .ok_or(AppError::NotFound)
}

/// Whether `principal` may read `file` because it is an item of a lesson they may see.
pub async fn sees_file(
    state: &AppState,
    principal: &Principal,
    file: &file::Model,
) -> AppResult<bool> {
    let lesson_ids: Vec<i64> = lesson_item::Entity::find()
        .filter(lesson_item::Column::FileId.eq(file.id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|i| i.lesson_id)
        .collect();
    if lesson_ids.is_empty() {
        return Ok(false);
    }
    let lessons = lesson_row::Entity::find()
        .filter(lesson_row::Column::Id.is_in(lesson_ids))
        .all(&state.db)
        .await?;
    Ok(lessons.iter().any(|l| visible(principal, l)))
}
