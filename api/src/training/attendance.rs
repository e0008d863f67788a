//! Offline sessions of a class and their attendance (考勤). The tutor (or a program manager) marks the class's
//! members present or absent; present credits the session's hours through the ledger once, and marking a present
//! member absent afterwards voids that credit (the ledger keeps both rows).
use crate::platform::i18n::{catalogue::training as tm, in_both_languages};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{attendance, class_session, enrollment, teacher};
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::Expr,
};

use super::{
    classes,
    hours::{self, ActivityCredit, HourSource},
    rules::HourCategory,
};
use crate::{
    AppState,
    auth::Principal,
    platform::{
        audit,
        db::begin_write,
        error::{AppError, AppResult},
        paging::{Page, fetch, window},
    },
};

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SessionInput {
    pub held_on: NaiveDate,
    #[oai(validator(min_length = 1, max_length = 128))]
    pub title: String,
    pub category: HourCategory,
    /// Hours credited for attending, in steps of 0.5.
    #[oai(validator(minimum(value = "0.5"), maximum(value = "24"), multiple_of = "0.5"))]
    pub hours: f64,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SessionView {
    pub id: i64,
    pub class_id: i64,
    pub held_on: NaiveDate,
    pub title: String,
    pub category: HourCategory,
    pub hours: f64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AttendanceInput {
    /// Enrolments of the class's members who attended.
    #[oai(default, validator(max_items = 500))]
    pub present: Vec<i64>,
    /// Enrolments of the class's members who did not.
    #[oai(default, validator(max_items = 500))]
    pub absent: Vec<i64>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AttendanceView {
    pub enrollment_id: i64,
    pub teacher_name: String,
    pub present: bool,
    pub recorded_at: DateTime<Utc>,
}

fn session_view(s: class_session::Model) -> SessionView {
    SessionView {
        id: s.id,
        class_id: s.class_id,
        held_on: s.held_on,
        title: s.title,
        category: s.category,
        hours: f64::from(s.half_hours) / 2.0,
        created_at: s.created_at,
    }
}

/// A new session of a class (its tutor or a program manager).
pub async fn create(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    class_id: i64,
    input: SessionInput,
) -> AppResult<SessionView> {
    let access = classes::access(db, principal, class_id).await?;
    access.require_staff()?;
    if input.title.trim().is_empty() {
        return Err(AppError::field("title", tm::TitleRequired));
    }
    let txn = begin_write(db).await?;
    let s = class_session::ActiveModel {
        class_id: Set(access.class.id),
        held_on: Set(input.held_on),
        title: Set(input.title.trim().to_string()),
        category: Set(input.category),
        half_hours: Set((input.hours * 2.0).round() as i32),
        created_by: Set(principal.account_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record_change(
        &txn,
        principal,
        "session.create",
        ("class_session", s.id, &access.class.path),
        serde_json::json!({ "title": s.title, "held_on": s.held_on }),
    )
    .await?;
    txn.commit().await?;
    Ok(session_view(s))
}

/// Sessions of a class, in date order (anyone the class is visible to).
pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    class_id: i64,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<SessionView>> {
    let access = classes::access(db, principal, class_id).await?;
    let (page, size, offset) = window(page, page_size)?;
    let q = class_session::Entity::find()
        .filter(class_session::Column::ClassId.eq(access.class.id))
        .order_by_asc(class_session::Column::HeldOn)
        .order_by_asc(class_session::Column::Id);
    let (rows, total) = fetch(db, q, offset, size).await?;
    Ok(Page {
        items: rows.into_iter().map(session_view).collect(),
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

/// The session and the caller's class access, when they run the class.
async fn staff_session(
    db: &impl ConnectionTrait,
    principal: &Principal,
    session_id: i64,
) -> AppResult<(class_session::Model, classes::ClassAccess)> {
    let s = class_session::Entity::find_by_id(session_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = classes::access(db, principal, s.class_id).await?;
    access.require_staff()?;
    Ok((s, access))
}

async fn sheet(db: &impl ConnectionTrait, session_id: i64) -> AppResult<Vec<AttendanceView>> {
    let rows = attendance::Entity::find()
        .filter(attendance::Column::SessionId.eq(session_id))
        .order_by_asc(attendance::Column::EnrollmentId)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let e = enrollment::Entity::find_by_id(r.enrollment_id)
            .one(db)
            .await?;
        let name = match e {
            Some(e) => teacher::Entity::find_by_id(e.teacher_id)
                .one(db)
                .await?
                .map(|t| t.name),
            None => None,
        };
        out.push(AttendanceView {
            enrollment_id: r.enrollment_id,
            teacher_name: name.unwrap_or_default(),
            present: r.present,
            recorded_at: r.recorded_at,
        });
    }
    Ok(out)
}

/// The attendance recorded for a session (its class's tutors and managers).
pub async fn get_sheet(
    db: &impl ConnectionTrait,
    principal: &Principal,
    session_id: i64,
) -> AppResult<Vec<AttendanceView>> {
    let (s, _) = staff_session(db, principal, session_id).await?;
    sheet(db, s.id).await
}

/// Each listed enrolment must sit in the class, and in one list only.
async fn check_marks(
    db: &impl ConnectionTrait,
    class_id: i64,
    input: &AttendanceInput,
) -> AppResult<Vec<(enrollment::Model, bool)>> {
    let mut marks = Vec::new();
    for (field, ids, present) in [
        ("present", &input.present, true),
        ("absent", &input.absent, false),
    ] {
        for id in ids {
            if marks
                .iter()
                .any(|(e, _): &(enrollment::Model, bool)| e.id == *id)
            {
                return Err(AppError::field(
                    field,
                    tm::EnrolmentListedTwice {
                        value: id.to_string(),
                    },
                ));
            }
            let e = match classes::member_of(db, class_id, *id).await? {
                Some(_) => enrollment::Entity::find_by_id(*id).one(db).await?,
                None => None,
            };
            let Some(e) = e else {
                return Err(AppError::field(
                    field,
                    tm::EnrolmentNotInClass {
                        value: id.to_string(),
                    },
                ));
            };
            marks.push((e, present));
        }
    }
    Ok(marks)
}

/// Marks members present or absent; the ledger follows (credit once when present, void when taken back).
pub async fn record(
    state: &AppState,
    principal: &Principal,
    session_id: i64,
    input: AttendanceInput,
) -> AppResult<Vec<AttendanceView>> {
    let (s, access) = staff_session(&state.db, principal, session_id).await?;
    if s.held_on > Utc::now().date_naive() {
        return Err(AppError::field("held_on", tm::SessionNotHeld));
    }
    let marks = check_marks(&state.db, s.class_id, &input).await?;
    let category = s.category;
    let refs = [s.id.to_string()];
    let anchor = state.config.cycle_anchor_year;
    let txn = begin_write(&state.db).await?;
    lock_session(&txn, s.id).await?;
    for (e, present) in &marks {
        mark(&txn, principal, s.id, e.id, *present).await?;
        if *present {
            let credit = ActivityCredit {
                enrollment: e,
                category,
                half_hours: s.half_hours,
                occurred_on: s.held_on,
                source: HourSource::Attendance,
                source_ref: s.id.to_string(),
                same_activity: &refs,
                note: format!(
                    "{}: {}",
                    in_both_languages(tm::HoursFromAttendance),
                    s.title
                ),
            };
            hours::credit_activity(&txn, anchor, principal, credit).await?;
        } else {
            let reason = in_both_languages(tm::AttendanceChangedToAbsent);
            hours::void_activity(
                &txn,
                anchor,
                principal,
                e.id,
                HourSource::Attendance,
                &refs,
                &reason,
            )
            .await?;
        }
    }
    let detail = serde_json::json!({ "present": input.present, "absent": input.absent });
    let target = ("class_session", s.id, access.class.path.as_str());
    audit::record_change(&txn, principal, "attendance.record", target, detail).await?;
    txn.commit().await?;
    sheet(&state.db, s.id).await
}

/// Two recorders of one session take turns (PostgreSQL row lock; SQLite has one writer anyway), so a member's
/// mark is written once and its credit looked up after the other's.
async fn lock_session(db: &impl ConnectionTrait, session_id: i64) -> AppResult<()> {
    class_session::Entity::update_many()
        .col_expr(
            class_session::Column::Id,
            Expr::col(class_session::Column::Id),
        )
        .filter(class_session::Column::Id.eq(session_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Writes one member's mark for a session (one row per session and enrolment).
async fn mark(
    db: &impl ConnectionTrait,
    principal: &Principal,
    session_id: i64,
    enrollment_id: i64,
    present: bool,
) -> AppResult<()> {
    let existing = attendance::Entity::find()
        .filter(attendance::Column::SessionId.eq(session_id))
        .filter(attendance::Column::EnrollmentId.eq(enrollment_id))
        .one(db)
        .await?;
    let mut row = match existing {
        Some(r) => r.into(),
        None => attendance::ActiveModel {
            session_id: Set(session_id),
            enrollment_id: Set(enrollment_id),
            ..Default::default()
        },
    };
    row.present = Set(present);
    row.recorded_by = Set(principal.account_id);
    row.recorded_at = Set(Utc::now());
    row.save(db).await?;
    Ok(())
}
