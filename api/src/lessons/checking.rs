//! The school's part (`lesson.check`): it verifies which of its teachers take part in the activity, and checks
//! (审查) each submitted lesson — passing it to the county round, or sending it back with a reason.
use crate::platform::i18n::catalogue::lessons as m;

use chrono::Utc;
use entity::{lesson as lesson_row, lesson_teacher_verification as verification, teacher};
use poem_openapi::{Enum, Object};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoSimpleExpr, ModelTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};

use super::{
    LessonStatus, activities,
    lesson::{self, LessonView},
};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    directory::service::school_names,
    platform::{
        audit,
        db::{begin_write, contains_text},
        error::{AppError, AppResult},
        paging::{Page, count_by, fetch, lookup, window},
    },
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum VerificationFilter {
    Verified,
    Unverified,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TeacherVerificationView {
    pub teacher_id: i64,
    pub name: String,
    pub school_name: String,
    pub stage: entity::school::Stage,
    pub subject: String,
    pub verified: bool,
    pub verified_at: Option<chrono::DateTime<Utc>>,
    /// Lessons the teacher has in the activity.
    pub lessons: u64,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CheckInput {
    /// Pass to the county round (true) or send back (false).
    pub approved: bool,
    /// Required when sending back.
    #[oai(validator(max_length = 1000))]
    pub reason: Option<String>,
}

/// The teachers of the schools the caller checks, with whether each is verified for the activity.
pub async fn teachers(
    db: &impl ConnectionTrait,
    principal: &Principal,
    activity_id: i64,
    filter: Option<VerificationFilter>,
    q: Option<String>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<TeacherVerificationView>> {
    principal.require_somewhere(Permission::LessonCheck)?;
    activities::find(db, activity_id).await?;
    let (page, size, offset) = window(page, page_size)?;
    let scope = principal.scope(Permission::LessonCheck);
    let verified_ids = verification::Entity::find()
        .select_only()
        .column(verification::Column::TeacherId)
        .filter(verification::Column::ActivityId.eq(activity_id))
        .into_query();
    let mut query = teacher::Entity::find()
        .filter(scope.condition(teacher::Column::Path.into_simple_expr(), None))
        .filter(teacher::Column::Active.eq(true));
    query = match filter {
        Some(VerificationFilter::Verified) => {
            query.filter(teacher::Column::Id.in_subquery(verified_ids))
        }
        Some(VerificationFilter::Unverified) => {
            query.filter(teacher::Column::Id.not_in_subquery(verified_ids))
        }
        None => query,
    };
    if let Some(q) = q.as_deref().filter(|q| !q.is_empty()) {
        query = query.filter(contains_text(teacher::Column::Name, q));
    }
    let query = query
        .order_by_asc(teacher::Column::Name)
        .order_by_asc(teacher::Column::Id);
    let (rows, total) = fetch(db, query, offset, size).await?;
    let teacher_ids = || rows.iter().map(|t| t.id);
    let verifications = lookup(
        db,
        verification::Entity::find().filter(verification::Column::ActivityId.eq(activity_id)),
        verification::Column::TeacherId,
        teacher_ids(),
        |v| v.teacher_id,
    )
    .await?;
    let lessons = count_by(
        db,
        lesson_row::Entity::find().filter(lesson_row::Column::ActivityId.eq(activity_id)),
        lesson_row::Column::TeacherId,
        teacher_ids(),
    )
    .await?;
    let schools = school_names(db, rows.iter().map(|t| t.school_id)).await?;
    let items = rows
        .into_iter()
        .map(|t| {
            let v = verifications.get(&t.id);
            TeacherVerificationView {
                teacher_id: t.id,
                name: t.name,
                school_name: schools.get(&t.school_id).cloned().unwrap_or_default(),
                stage: t.stage,
                subject: t.subject,
                verified: v.is_some(),
                verified_at: v.map(|v| v.verified_at),
                lessons: lessons.get(&t.id).copied().unwrap_or_default(),
            }
        })
        .collect();
    Ok(Page {
        items,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

async fn checked_teacher(
    db: &impl ConnectionTrait,
    principal: &Principal,
    teacher_id: i64,
) -> AppResult<teacher::Model> {
    let t = teacher::Entity::find_by_id(teacher_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    principal.require(Permission::LessonCheck, Permission::TeacherRead, &t.path)?;
    Ok(t)
}

/// Verifies (or, with `verified = false`, revokes) a teacher for the activity. Idempotent.
pub async fn set_verified(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    activity_id: i64,
    teacher_id: i64,
    verified: bool,
) -> AppResult<()> {
    activities::find(db, activity_id).await?;
    let t = checked_teacher(db, principal, teacher_id).await?;
    let txn = begin_write(db).await?;
    let existing = verification::Entity::find()
        .filter(verification::Column::ActivityId.eq(activity_id))
        .filter(verification::Column::TeacherId.eq(t.id))
        .one(&txn)
        .await?;
    match (existing, verified) {
        (None, true) => {
            verification::ActiveModel {
                activity_id: Set(activity_id),
                teacher_id: Set(t.id),
                path: Set(t.path.clone()),
                verified_by: Set(principal.account_id),
                verified_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        (Some(v), false) => {
            v.delete(&txn).await?;
        }
        _ => return Ok(()),
    }
    audit::record_change(
        &txn,
        principal,
        if verified {
            "lesson_teacher.verify"
        } else {
            "lesson_teacher.unverify"
        },
        ("teacher", t.id, &t.path),
        serde_json::json!({"activity": activity_id}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The school's 审查 of a submitted lesson.
pub async fn check(
    state: &AppState,
    principal: &Principal,
    lesson_id: i64,
    input: CheckInput,
) -> AppResult<LessonView> {
    let l = super::find_visible(&state.db, principal, lesson_id).await?;
    principal.require(Permission::LessonCheck, Permission::TeacherRead, &l.path)?;
    if l.status != LessonStatus::Submitted {
        return Err(AppError::conflict("status", m::OnlySubmittedChecked));
    }
    let reason = input
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if !input.approved && reason.is_none() {
        return Err(AppError::field("reason", m::ReturnNeedsReason));
    }
    let status = if input.approved {
        LessonStatus::Checked
    } else {
        LessonStatus::Returned
    };
    let txn = begin_write(&state.db).await?;
    let now = Utc::now();
    let mut model = lesson_row::ActiveModel::from(l);
    model.status = Set(status);
    model.checked_by = Set(Some(principal.account_id));
    model.checked_at = Set(Some(now));
    model.check_reason = Set(reason.clone());
    model.updated_at = Set(now);
    let row = model.update(&txn).await?;
    audit::record_change(
        &txn,
        principal,
        "lesson.check",
        ("lesson", row.id, &row.path),
        serde_json::json!({"approved": input.approved, "reason": reason}),
    )
    .await?;
    txn.commit().await?;
    lesson::view_for(&state.db, principal, row).await
}
