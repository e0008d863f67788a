//! A teacher's lessons (晒课): created on a catalogue node while the 学段's upload window is open, with up to three
//! 指导教师, the 教学设计 sections, and items (files uploaded beforehand, the video resumably). The requirement list
//! says what still stands between the lesson and submission; submitting is refused until every line passes.
use crate::platform::i18n::{self, Text, catalogue::lessons as m};
use sea_orm::ActiveEnum as _;

use std::collections::HashMap;

use chrono::Utc;
use entity::{
    file, lesson as lesson_row, lesson_activity as activity, lesson_award as award,
    lesson_catalogue_node as node, lesson_item as item,
    lesson_teacher_verification as verification, teacher,
};
use poem_openapi::{Enum, Object};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, ModelTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};

use super::{
    ItemKind, LessonStatus, MaterialType, activities, find_visible,
    results::{LessonRoundResult, published_results},
};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    directory::service::{school_names, teacher_names},
    files::{self, FilePurpose, FileView, media::media_checks},
    platform::{
        audit,
        db::{begin_write, contains_text},
        error::{AppError, AppResult, FieldError},
        paging::{Page, SortOrder, fetch, lookup, lookup_all, window},
    },
};

/// Whether the school verified the teacher for the activity; read here because the requirement list needs it,
/// and the school's check (which writes it) already depends on this module.
pub async fn is_verified(
    db: &impl ConnectionTrait,
    activity_id: i64,
    teacher_id: i64,
) -> AppResult<bool> {
    Ok(verification::Entity::find()
        .filter(verification::Column::ActivityId.eq(activity_id))
        .filter(verification::Column::TeacherId.eq(teacher_id))
        .one(db)
        .await?
        .is_some())
}

/// 课件及资源 may not exceed 500 MB.
const COURSEWARE_MAX_BYTES: i64 = 500 * 1024 * 1024;

/// The four sections of the 教学设计.
#[derive(Debug, Clone, Default, Object, serde::Serialize, serde::Deserialize)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonDesign {
    /// 教学目标
    #[oai(default, validator(max_length = 5000))]
    pub objectives: String,
    /// 学情分析
    #[oai(default, validator(max_length = 5000))]
    pub learner_analysis: String,
    /// 重点难点
    #[oai(default, validator(max_length = 5000))]
    pub key_points: String,
    /// 教学活动
    #[oai(default, validator(max_length = 5000))]
    pub activities: String,
}

impl LessonDesign {
    fn complete(&self) -> bool {
        [
            &self.objectives,
            &self.learner_analysis,
            &self.key_points,
            &self.activities,
        ]
        .iter()
        .all(|s| !s.trim().is_empty())
    }
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonInput {
    pub activity_id: i64,
    pub catalogue_node_id: i64,
    #[oai(validator(min_length = 1, max_length = 200))]
    pub title: String,
    /// 课时序号 (1 for the first period of the node).
    #[oai(validator(minimum(value = "1"), maximum(value = "99")))]
    pub lesson_no: i32,
    /// Up to three 指导教师.
    #[oai(default, validator(max_items = 3))]
    pub advisors: Vec<String>,
    #[oai(default)]
    pub design: LessonDesign,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ItemInput {
    pub kind: ItemKind,
    /// A file the teacher uploaded with purpose `lesson` (the video through `/api/uploads`).
    pub file_id: i64,
    /// Required for `material`.
    pub material_type: Option<MaterialType>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ItemView {
    pub id: i64,
    pub kind: ItemKind,
    pub material_type: Option<MaterialType>,
    pub file: FileView,
}

/// One condition for submitting: what it is, whether it holds, and what to do when it does not.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Requirement {
    pub key: String,
    pub passed: bool,
    pub message: String,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonSummary {
    pub id: i64,
    pub activity_id: i64,
    pub title: String,
    pub status: LessonStatus,
    pub teacher_id: i64,
    pub teacher_name: String,
    pub school_name: String,
    pub catalogue_node_id: i64,
    pub stage: String,
    pub subject: String,
    pub edition: String,
    pub grade: String,
    pub volume: String,
    pub chapter: String,
    pub node: String,
    pub lesson_no: i32,
    /// Required items still missing.
    pub items_missing: Vec<ItemKind>,
    pub submitted_at: Option<chrono::DateTime<Utc>>,
    /// Award levels reached.
    pub awards: Vec<award::LessonAwardLevel>,
    pub updated_at: chrono::DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonView {
    #[oai(flatten)]
    pub summary: LessonSummary,
    pub advisors: Vec<String>,
    pub design: LessonDesign,
    pub items: Vec<ItemView>,
    pub requirements: Vec<Requirement>,
    /// The school's reason when it sent the lesson back.
    pub check_reason: Option<String>,
    pub checked_at: Option<chrono::DateTime<Utc>>,
    /// The teacher may edit, add items and submit.
    pub editable: bool,
    /// Results of the review rounds the lesson took part in, once each round is published.
    pub results: Vec<LessonRoundResult>,
}

#[derive(Debug, Clone, Copy, Enum, PartialEq, Eq, Default)]
#[oai(rename_all = "snake_case")]
pub enum LessonSort {
    #[default]
    UpdatedAt,
    SubmittedAt,
    Title,
    Id,
}

#[derive(Debug, Clone, Default)]
pub struct LessonFilter {
    pub activity_id: Option<i64>,
    pub status: Option<LessonStatus>,
    pub stage: Option<String>,
    pub subject: Option<String>,
    /// Part of the title.
    pub q: Option<String>,
    pub sort: LessonSort,
    pub order: SortOrder,
}

/// The items of each lesson with their files, in two statements for a whole page (or a reviewer's lessons).
pub(super) async fn items_of_lessons(
    db: &impl ConnectionTrait,
    lesson_ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, Vec<(item::Model, file::Model)>>> {
    let items = lookup_all(
        db,
        item::Entity::find().order_by_asc(item::Column::Id),
        item::Column::LessonId,
        lesson_ids,
        |i| i.lesson_id,
    )
    .await?;
    let file_ids: Vec<i64> = items.values().flatten().map(|i| i.file_id).collect();
    let files = lookup(db, file::Entity::find(), file::Column::Id, file_ids, |f| {
        f.id
    })
    .await?;
    Ok(items
        .into_iter()
        .map(|(lesson_id, items)| {
            let with_files = items
                .into_iter()
                .filter_map(|i| files.get(&i.file_id).cloned().map(|f| (i, f)))
                .collect();
            (lesson_id, with_files)
        })
        .collect())
}

async fn items_of(
    db: &impl ConnectionTrait,
    lesson_id: i64,
) -> AppResult<Vec<(item::Model, file::Model)>> {
    Ok(items_of_lessons(db, [lesson_id])
        .await?
        .remove(&lesson_id)
        .unwrap_or_default())
}

fn missing(items: &[(item::Model, file::Model)]) -> Vec<ItemKind> {
    ItemKind::REQUIRED
        .into_iter()
        .filter(|k| !items.iter().any(|(i, _)| i.kind == *k))
        .collect()
}

/// Summaries of a page of lessons: their catalogue nodes, teachers, schools and awards in one statement each.
async fn summaries(
    db: &impl ConnectionTrait,
    rows: &[lesson_row::Model],
    items: &HashMap<i64, Vec<(item::Model, file::Model)>>,
) -> AppResult<Vec<LessonSummary>> {
    let nodes =
        crate::lessons::catalogue_nodes_by_id(db, rows.iter().map(|l| l.catalogue_node_id)).await?;
    let teachers = teacher_names(db, rows.iter().map(|l| l.teacher_id)).await?;
    let schools = school_names(db, rows.iter().map(|l| l.school_id)).await?;
    let awards = lookup_all(
        db,
        award::Entity::find().order_by_asc(award::Column::Id),
        award::Column::LessonId,
        rows.iter().map(|l| l.id),
        |a| a.lesson_id,
    )
    .await?;
    rows.iter()
        .map(|l| {
            let node = nodes.get(&l.catalogue_node_id).ok_or(AppError::NotFound)?;
            Ok(LessonSummary {
                id: l.id,
                activity_id: l.activity_id,
                title: l.title.clone(),
                status: l.status,
                teacher_id: l.teacher_id,
                teacher_name: teachers.get(&l.teacher_id).cloned().unwrap_or_default(),
                school_name: schools.get(&l.school_id).cloned().unwrap_or_default(),
                catalogue_node_id: l.catalogue_node_id,
                stage: node.stage.clone(),
                subject: node.subject.clone(),
                edition: node.edition.clone(),
                grade: node.grade.clone(),
                volume: node.volume.clone(),
                chapter: node.chapter.clone(),
                node: node.node.clone(),
                lesson_no: l.lesson_no,
                items_missing: missing(items.get(&l.id).map(Vec::as_slice).unwrap_or_default()),
                submitted_at: l.submitted_at,
                awards: awards
                    .get(&l.id)
                    .map(|a| a.iter().map(|a| a.level).collect())
                    .unwrap_or_default(),
                updated_at: l.updated_at,
            })
        })
        .collect()
}

fn item_view((i, f): (item::Model, file::Model)) -> ItemView {
    ItemView {
        id: i.id,
        kind: i.kind,
        material_type: i.material_type,
        file: f.into(),
    }
}

fn requirement(key: &str, passed: bool, message: impl Into<Text>) -> Requirement {
    Requirement {
        key: key.into(),
        passed,
        message: message.into().render_current(),
    }
}

/// Everything that must hold before the lesson may be submitted, in the order a teacher would fix it.
async fn requirements(
    db: &impl ConnectionTrait,
    l: &lesson_row::Model,
    stage: &str,
    items: &[(item::Model, file::Model)],
) -> AppResult<Vec<Requirement>> {
    let a = activities::find(db, l.activity_id).await?;
    let design: LessonDesign = serde_json::from_str(&l.design).unwrap_or_default();
    let mut out = vec![
        requirement(
            "teacher_verified",
            is_verified(db, l.activity_id, l.teacher_id).await?,
            m::ReqTeacherVerified,
        ),
        requirement(
            "upload_window",
            activities::window_open(&a, stage, Utc::now()),
            m::ReqUploadWindow,
        ),
        requirement("design_sections", design.complete(), m::ReqDesignSections),
    ];
    for kind in ItemKind::REQUIRED {
        let present = items.iter().any(|(i, _)| i.kind == kind);
        out.push(requirement(
            &format!("item_{}", kind.to_value()),
            present,
            m::ReqItem {
                name: super::item_label(kind),
            },
        ));
    }
    if let Some((_, video)) = items.iter().find(|(i, _)| i.kind == ItemKind::Video) {
        out.extend(video_requirements(video));
    }
    Ok(out)
}

/// The 课堂实录's probed checks that a lesson must pass (advisory ones, such as the bitrate, are shown on the
/// file but do not block).
fn video_requirements(video: &file::Model) -> Vec<Requirement> {
    let Some(media) = media_checks(video) else {
        return vec![requirement("video_probe", false, m::ReqVideoProbe)];
    };
    media
        .checks
        .iter()
        .filter(|c| !c.advisory)
        .map(|c| {
            let key = if c.key.starts_with("video_") {
                c.key.clone()
            } else {
                format!("video_{}", c.key)
            };
            Requirement {
                key,
                passed: c.passed,
                message: i18n::t(m::ReqVideoCheck {
                    actual: c.actual.clone(),
                    required: c.required.clone(),
                }),
            }
        })
        .collect()
}

async fn full_view(
    db: &impl ConnectionTrait,
    principal: &Principal,
    l: lesson_row::Model,
) -> AppResult<LessonView> {
    let items = items_of(db, l.id).await?;
    let summary = summaries(
        db,
        std::slice::from_ref(&l),
        &HashMap::from([(l.id, items.clone())]),
    )
    .await?
    .pop()
    .ok_or(AppError::NotFound)?;
    let requirements = requirements(db, &l, &summary.stage, &items).await?;
    let status = l.status;
    Ok(LessonView {
        summary,
        advisors: serde_json::from_str(&l.advisors).unwrap_or_default(),
        design: serde_json::from_str(&l.design).unwrap_or_default(),
        items: items.into_iter().map(item_view).collect(),
        requirements,
        check_reason: l.check_reason.clone(),
        checked_at: l.checked_at,
        editable: principal.teacher_id == Some(l.teacher_id) && status.editable(),
        results: published_results(db, l.id).await?,
    })
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<LessonView> {
    let l = find_visible(db, principal, id).await?;
    full_view(db, principal, l).await
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    f: LessonFilter,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<LessonSummary>> {
    let (page, size, offset) = window(page, page_size)?;
    let scope = principal.scope(Permission::TeacherRead);
    let mut cond = scope.condition(
        sea_orm::IntoSimpleExpr::into_simple_expr(lesson_row::Column::Path),
        Some(sea_orm::IntoSimpleExpr::into_simple_expr(
            lesson_row::Column::TeacherId,
        )),
    );
    if let Some(t) = principal.teacher_id {
        cond = Condition::any()
            .add(cond)
            .add(lesson_row::Column::TeacherId.eq(t));
    }
    let mut q = lesson_row::Entity::find().filter(cond);
    if let Some(a) = f.activity_id {
        q = q.filter(lesson_row::Column::ActivityId.eq(a));
    }
    if let Some(s) = f.status {
        q = q.filter(lesson_row::Column::Status.eq(s));
    }
    if let Some(text) = f.q.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(contains_text(lesson_row::Column::Title, text));
    }
    // 学段 and 学科 belong to the catalogue node: filter through the ids of the matching nodes.
    for (column, value) in [
        (node::Column::Stage, &f.stage),
        (node::Column::Subject, &f.subject),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            let nodes = node::Entity::find()
                .select_only()
                .column(node::Column::Id)
                .filter(column.eq(v))
                .into_query();
            q = q.filter(lesson_row::Column::CatalogueNodeId.in_subquery(nodes));
        }
    }
    let column = match f.sort {
        LessonSort::UpdatedAt => lesson_row::Column::UpdatedAt,
        LessonSort::SubmittedAt => lesson_row::Column::SubmittedAt,
        LessonSort::Title => lesson_row::Column::Title,
        LessonSort::Id => lesson_row::Column::Id,
    };
    let q = q
        .order_by(column, f.order.to_sea())
        .order_by_asc(lesson_row::Column::Id);
    let (rows, total) = fetch(db, q, offset, size).await?;
    let lesson_items = items_of_lessons(db, rows.iter().map(|l| l.id)).await?;
    Ok(Page {
        items: summaries(db, &rows, &lesson_items).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

fn clean_advisors(advisors: &[String]) -> AppResult<Vec<String>> {
    let cleaned: Vec<String> = advisors
        .iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    if let Some(i) = cleaned.iter().position(|a| a.chars().count() > 32) {
        return Err(AppError::field(
            format!("advisors[{i}]"),
            m::AdvisorNameLength,
        ));
    }
    Ok(cleaned)
}

/// The teacher behind the caller, or 403: only teachers show lessons.
async fn my_teacher(db: &impl ConnectionTrait, principal: &Principal) -> AppResult<teacher::Model> {
    let id = principal.teacher_id.ok_or(AppError::Forbidden)?;
    teacher::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::Forbidden)
}

async fn node_in(
    db: &impl ConnectionTrait,
    a: &activity::Model,
    node_id: i64,
) -> AppResult<node::Model> {
    node::Entity::find_by_id(node_id)
        .one(db)
        .await?
        .filter(|n| n.activity_id == a.id)
        .ok_or_else(|| AppError::field("catalogue_node_id", m::NodeNotInCatalogue))
}

fn require_window(a: &activity::Model, stage: &str) -> AppResult<()> {
    if activities::window_open(a, stage, Utc::now()) {
        Ok(())
    } else {
        Err(AppError::field(
            "catalogue_node_id",
            m::StageWindowClosed {
                stage: stage.to_string(),
            },
        ))
    }
}

pub async fn create(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    input: LessonInput,
) -> AppResult<LessonView> {
    let t = my_teacher(db, principal).await?;
    let a = activities::find(db, input.activity_id)
        .await
        .map_err(|_| AppError::field("activity_id", m::NoSuchActivity))?;
    let n = node_in(db, &a, input.catalogue_node_id).await?;
    require_window(&a, &n.stage)?;
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let row = lesson_row::ActiveModel {
        activity_id: Set(a.id),
        catalogue_node_id: Set(n.id),
        teacher_id: Set(t.id),
        school_id: Set(t.school_id),
        path: Set(t.path.clone()),
        title: Set(input.title.trim().to_string()),
        lesson_no: Set(input.lesson_no),
        advisors: Set(
            serde_json::to_string(&clean_advisors(&input.advisors)?).map_err(AppError::internal)?
        ),
        design: Set(serde_json::to_string(&input.design).map_err(AppError::internal)?),
        status: Set(LessonStatus::Draft),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record_change(
        &txn,
        principal,
        "lesson.create",
        ("lesson", row.id, &row.path),
        serde_json::json!({"title": row.title, "node": n.id}),
    )
    .await?;
    txn.commit().await?;
    full_view(db, principal, row).await
}

/// The caller's own lesson in a state they may change, else 404 (not visible), 403 (someone else's) or 409
/// (submitted or checked).
async fn my_editable(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<lesson_row::Model> {
    let l = find_visible(db, principal, id).await?;
    if principal.teacher_id != Some(l.teacher_id) {
        // Administrators see the lesson but only its teacher changes it.
        return Err(AppError::Forbidden);
    }
    if !l.status.editable() {
        return Err(AppError::conflict("status", m::LessonSubmittedImmutable));
    }
    Ok(l)
}

pub async fn update(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
    input: LessonInput,
) -> AppResult<LessonView> {
    let l = my_editable(db, principal, id).await?;
    if input.activity_id != l.activity_id {
        return Err(AppError::field("activity_id", m::LessonActivityFixed));
    }
    let a = activities::find(db, l.activity_id).await?;
    let n = node_in(db, &a, input.catalogue_node_id).await?;
    require_window(&a, &n.stage)?;
    let txn = begin_write(db).await?;
    let mut model = lesson_row::ActiveModel::from(l);
    model.catalogue_node_id = Set(n.id);
    model.title = Set(input.title.trim().to_string());
    model.lesson_no = Set(input.lesson_no);
    model.advisors =
        Set(serde_json::to_string(&clean_advisors(&input.advisors)?).map_err(AppError::internal)?);
    model.design = Set(serde_json::to_string(&input.design).map_err(AppError::internal)?);
    model.updated_at = Set(Utc::now());
    let row = model.update(&txn).await?;
    audit::record_change(
        &txn,
        principal,
        "lesson.update",
        ("lesson", row.id, &row.path),
        serde_json::json!({"title": row.title, "node": n.id}),
    )
    .await?;
    txn.commit().await?;
    full_view(db, principal, row).await
}

pub async fn delete(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
) -> AppResult<()> {
    let l = my_editable(db, principal, id).await?;
    if l.status != LessonStatus::Draft {
        return Err(AppError::conflict("status", m::OnlyDraftDeleted));
    }
    let txn = begin_write(db).await?;
    item::Entity::delete_many()
        .filter(item::Column::LessonId.eq(l.id))
        .exec(&txn)
        .await?;
    audit::record_change(
        &txn,
        principal,
        "lesson.delete",
        ("lesson", l.id, &l.path),
        serde_json::json!({"title": l.title}),
    )
    .await?;
    l.delete(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Why `f` cannot be a `kind` item, if it cannot.
fn item_problem(kind: ItemKind, f: &file::Model) -> Option<Text> {
    match kind {
        ItemKind::Video if f.content_type != "video/mp4" => Some(m::VideoMustBeMp4.into()),
        ItemKind::Courseware if f.size > COURSEWARE_MAX_BYTES => Some(m::CoursewareTooLarge.into()),
        _ => None,
    }
}

/// Adds a file to the lesson. A required item replaces the one already there (each exists once).
pub async fn add_item(
    state: &AppState,
    principal: &Principal,
    lesson_id: i64,
    input: ItemInput,
) -> AppResult<LessonView> {
    let l = my_editable(&state.db, principal, lesson_id).await?;
    let txn = begin_write(&state.db).await?;
    let f = files::own_uploads(
        &txn,
        principal,
        FilePurpose::Lesson,
        "file_id",
        &[input.file_id],
    )
    .await?
    .remove(0);
    if let Some(reason) = item_problem(input.kind, &f) {
        return Err(AppError::field("file_id", reason));
    }
    let material_type = match (input.kind, input.material_type) {
        (ItemKind::Material, None) => {
            return Err(AppError::field("material_type", m::ChooseMaterialType));
        }
        (ItemKind::Material, Some(m)) => Some(m),
        _ => None,
    };
    if input.kind.required() {
        item::Entity::delete_many()
            .filter(item::Column::LessonId.eq(l.id))
            .filter(item::Column::Kind.eq(input.kind))
            .exec(&txn)
            .await?;
    }
    item::ActiveModel {
        lesson_id: Set(l.id),
        kind: Set(input.kind),
        material_type: Set(material_type),
        file_id: Set(f.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    touch(&txn, &l).await?;
    audit::record_change(
        &txn,
        principal,
        "lesson.item_add",
        ("lesson", l.id, &l.path),
        serde_json::json!({"kind": input.kind.to_value(), "file": f.id, "sha256": f.sha256}),
    )
    .await?;
    txn.commit().await?;
    get(&state.db, principal, l.id).await
}

async fn touch(db: &impl ConnectionTrait, l: &lesson_row::Model) -> AppResult<()> {
    let mut model = lesson_row::ActiveModel::from(l.clone());
    model.updated_at = Set(Utc::now());
    model.update(db).await?;
    Ok(())
}

pub async fn remove_item(
    state: &AppState,
    principal: &Principal,
    lesson_id: i64,
    item_id: i64,
) -> AppResult<LessonView> {
    let l = my_editable(&state.db, principal, lesson_id).await?;
    let txn = begin_write(&state.db).await?;
    let it = item::Entity::find_by_id(item_id)
        .one(&txn)
        .await?
        .filter(|i| i.lesson_id == l.id)
        .ok_or(AppError::NotFound)?;
    audit::record_change(
        &txn,
        principal,
        "lesson.item_remove",
        ("lesson", l.id, &l.path),
        serde_json::json!({"kind": it.kind, "file": it.file_id}),
    )
    .await?;
    it.delete(&txn).await?;
    touch(&txn, &l).await?;
    txn.commit().await?;
    get(&state.db, principal, l.id).await
}

/// Submits for the school's 审查 once every requirement passes; otherwise 422 with one error per failed line.
pub async fn submit(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
) -> AppResult<LessonView> {
    let l = my_editable(db, principal, id).await?;
    let items = items_of(db, l.id).await?;
    let stage = node::Entity::find_by_id(l.catalogue_node_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?
        .stage;
    let failed: Vec<FieldError> = requirements(db, &l, &stage, &items)
        .await?
        .into_iter()
        .filter(|r| !r.passed)
        .map(|r| FieldError::new(r.key, r.message))
        .collect();
    if !failed.is_empty() {
        return Err(AppError::Validation(failed));
    }
    let txn = begin_write(db).await?;
    let mut model = lesson_row::ActiveModel::from(l.clone());
    let now = Utc::now();
    model.status = Set(LessonStatus::Submitted);
    model.submitted_at = Set(Some(now));
    model.updated_at = Set(now);
    let row = model.update(&txn).await?;
    audit::record_change(
        &txn,
        principal,
        "lesson.submit",
        ("lesson", row.id, &row.path),
        serde_json::json!({"items": items.iter().map(|(i, f)| (i.kind, f.sha256.clone())).collect::<HashMap<_, _>>()}),
    )
    .await?;
    txn.commit().await?;
    full_view(db, principal, row).await
}

/// Re-reads a lesson for the caller after another module changed it.
pub async fn view_for(
    db: &impl ConnectionTrait,
    principal: &Principal,
    l: lesson_row::Model,
) -> AppResult<LessonView> {
    full_view(db, principal, l).await
}
