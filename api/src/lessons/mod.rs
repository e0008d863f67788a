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

use entity::{file, lesson as lesson_row, lesson_catalogue_node, lesson_item, lesson_round_entry};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use std::collections::HashMap;

use crate::{
    access::Permission,
    auth::Principal,
    platform::{error::AppResult, paging::lookup},
};

pub use entity::{
    lesson::LessonStatus,
    lesson_item::{ItemKind, MaterialType},
};

/// The item's name in the current language, also the neutral file name a blind reviewer sees.
pub fn item_label(kind: ItemKind) -> String {
    use crate::platform::i18n::{catalogue::lessons as m, t};
    match kind {
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

crate::scoped_by_path_and_teacher!(lesson_row::Model);

/// Its teacher, and administrators whose `teacher.read` reaches the lesson's school.
pub fn visible(principal: &Principal, lesson: &lesson_row::Model) -> bool {
    crate::access::sees(principal, Permission::TeacherRead, lesson)
}

/// A lesson the caller may see, else 404 (existence is not revealed).
pub async fn find_visible(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<lesson_row::Model> {
    crate::access::find_visible::<lesson_row::Entity>(db, principal, Permission::TeacherRead, id)
        .await
}

/// Lessons by id, one statement, for a page of rows that name them.
pub(crate) async fn lessons_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, lesson_row::Model>> {
    Ok(lookup(
        db,
        lesson_row::Entity::find(),
        lesson_row::Column::Id,
        ids,
        |l| l.id,
    )
    .await?)
}

/// Catalogue nodes by id, one statement, for a page of lessons.
pub(crate) async fn catalogue_nodes_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, lesson_catalogue_node::Model>> {
    Ok(lookup(
        db,
        lesson_catalogue_node::Entity::find(),
        lesson_catalogue_node::Column::Id,
        ids,
        |n| n.id,
    )
    .await?)
}

/// Round entries by id, one statement, for a page of assignments or objections.
pub(crate) async fn entries_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, lesson_round_entry::Model>> {
    Ok(lookup(
        db,
        lesson_round_entry::Entity::find(),
        lesson_round_entry::Column::Id,
        ids,
        |e| e.id,
    )
    .await?)
}

/// A lesson's items are read by whoever may see the lesson.
pub struct LessonFiles;

impl crate::access::files::FileReadPolicy for LessonFiles {
    fn purpose(&self) -> crate::files::FilePurpose {
        crate::files::FilePurpose::Lesson
    }

    fn may_read<'a>(
        &'a self,
        db: &'a sea_orm::DatabaseConnection,
        principal: &'a Principal,
        file: &'a file::Model,
    ) -> crate::access::files::Decision<'a> {
        Box::pin(sees_file(db, principal, file))
    }
}

/// Whether `principal` may read `file` because it is an item of a lesson they may see.
pub async fn sees_file(
    db: &impl ConnectionTrait,
    principal: &Principal,
    file: &file::Model,
) -> AppResult<bool> {
    let lesson_ids: Vec<i64> = lesson_item::Entity::find()
        .filter(lesson_item::Column::FileId.eq(file.id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| i.lesson_id)
        .collect();
    if lesson_ids.is_empty() {
        return Ok(false);
    }
    let lessons = lesson_row::Entity::find()
        .filter(lesson_row::Column::Id.is_in(lesson_ids))
        .all(db)
        .await?;
    Ok(lessons.iter().any(|l| visible(principal, l)))
}
