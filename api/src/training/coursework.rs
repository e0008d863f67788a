//! Coursework (作业): assignments of a class (or of every class of a program) with a deadline and the hours a
//! pass earns. Teachers placed in a class submit text and files; every resubmission is a new row, so the history
//! stays. The class's tutor grades the latest submission; a pass credits the hours through the ledger once per
//! assignment and teacher, a later fail voids that credit. The teacher hears of each grade by mail.
use crate::platform::i18n::catalogue::training as tm;
use crate::platform::i18n::{self, in_both_languages};
use chrono::{DateTime, Utc};
use entity::{assignment, class_member, enrollment, enrollment::ReviewStatus, submission, teacher};
use poem_openapi::{Enum, Object};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoSimpleExpr,
    QueryFilter, QueryOrder, Set,
};

use super::{
    classes::{self, ClassRole, Reach},
    hours::{self, ActivityCredit, HourSource},
    programs,
    rules::HourCategory,
};
use crate::inbox::{self, NoticeKind};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    files::{self, FilePurpose},
    platform::{
        audit,
        db::begin_write,
        error::{AppError, AppResult},
        paging::{Page, fetch, lookup_all, window},
    },
};

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AssignmentInput {
    /// The class it is for; omit for every class of the program (program managers only).
    pub class_id: Option<i64>,
    #[oai(validator(min_length = 1, max_length = 128))]
    pub title: String,
    #[oai(validator(max_length = 20000))]
    pub instructions: String,
    pub deadline: DateTime<Utc>,
    /// The category the hours are credited in.
    pub category: HourCategory,
    /// Hours credited on pass, in steps of 0.5.
    #[oai(validator(minimum(value = "0"), maximum(value = "200"), multiple_of = "0.5"))]
    pub hours: f64,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AssignmentView {
    pub id: i64,
    pub program_id: i64,
    pub class_id: Option<i64>,
    pub title: String,
    pub instructions: String,
    pub deadline: DateTime<Utc>,
    pub category: HourCategory,
    pub hours: f64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SubmissionInput {
    #[oai(validator(max_length = 50000))]
    pub body: String,
    /// Ids of files I uploaded for coursework (`POST /api/files?purpose=coursework`).
    #[oai(default, validator(max_items = 10))]
    pub attachments: Vec<i64>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct GradeInput {
    #[oai(validator(minimum(value = "0"), maximum(value = "100")))]
    pub score: i32,
    pub passed: bool,
    /// Required when the submission fails.
    #[oai(validator(max_length = 2000))]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SubmissionView {
    pub id: i64,
    pub assignment_id: i64,
    pub enrollment_id: i64,
    pub teacher_id: i64,
    pub teacher_name: String,
    pub class_id: i64,
    pub body: String,
    pub attachments: Vec<i64>,
    pub submitted_at: DateTime<Utc>,
    pub score: Option<i32>,
    pub passed: Option<bool>,
    pub comment: Option<String>,
    pub graded_at: Option<DateTime<Utc>>,
}

/// 未提交 / 已提交 / 已批改 — with `passed` telling 通过 from 未通过 once graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum CourseworkStatus {
    NotSubmitted,
    Submitted,
    Graded,
}

/// One of my assignments and where I stand with it.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MyCourseworkView {
    pub assignment: AssignmentView,
    pub status: CourseworkStatus,
    /// 通过 (true) / 未通过 (false) once the latest submission is graded.
    pub passed: Option<bool>,
    pub score: Option<i32>,
    pub latest_submission_id: Option<i64>,
    pub submissions: u64,
}

fn to_half(hours: f64) -> i32 {
    (hours * 2.0).round() as i32
}

fn assignment_view(a: assignment::Model) -> AssignmentView {
    AssignmentView {
        id: a.id,
        program_id: a.program_id,
        class_id: a.class_id,
        title: a.title,
        instructions: a.instructions,
        deadline: a.deadline,
        category: a.category,
        hours: f64::from(a.half_hours) / 2.0,
        created_at: a.created_at,
    }
}

/// Views with the teachers' names: one query for the names however many submissions.
async fn submission_views(
    db: &impl ConnectionTrait,
    rows: Vec<submission::Model>,
) -> AppResult<Vec<SubmissionView>> {
    let names =
        crate::directory::service::teacher_names(db, rows.iter().map(|s| s.teacher_id)).await?;
    Ok(rows
        .into_iter()
        .map(|s| SubmissionView {
            id: s.id,
            assignment_id: s.assignment_id,
            enrollment_id: s.enrollment_id,
            teacher_id: s.teacher_id,
            teacher_name: names.get(&s.teacher_id).cloned().unwrap_or_default(),
            class_id: s.class_id,
            attachments: serde_json::from_str(&s.attachments).unwrap_or_default(),
            body: s.body,
            submitted_at: s.submitted_at,
            score: s.score,
            passed: s.passed,
            comment: s.comment,
            graded_at: s.graded_at,
        })
        .collect())
}

async fn submission_view(
    db: &impl ConnectionTrait,
    s: submission::Model,
) -> AppResult<SubmissionView> {
    submission_views(db, vec![s])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("submission view"))
}

/// What the caller is to an assignment.
enum Seat {
    Manager,
    /// Tutors of these classes (the assignment's class, or their classes of its program).
    Tutor(Vec<i64>),
    Member(class_member::Model),
}

/// Decides the caller's seat at an assignment through the class access rule; 404 when they have none.
async fn seat(
    db: &impl ConnectionTrait,
    principal: &Principal,
    a: &assignment::Model,
) -> AppResult<Seat> {
    if let Some(class_id) = a.class_id {
        return Ok(match classes::access(db, principal, class_id).await?.role {
            ClassRole::Manager => Seat::Manager,
            ClassRole::Tutor => Seat::Tutor(vec![class_id]),
            ClassRole::Member(m) => Seat::Member(m),
        });
    }
    if principal.can(Permission::ProgramManage, &a.path) {
        return Ok(Seat::Manager);
    }
    let reach = classes::reach(db, principal).await?;
    let tutored: Vec<i64> = reach
        .tutored
        .iter()
        .filter(|c| c.program_id == a.program_id)
        .map(|c| c.id)
        .collect();
    if !tutored.is_empty() {
        return Ok(Seat::Tutor(tutored));
    }
    match reach.placed_in_program(a.program_id) {
        Some((m, _)) => Ok(Seat::Member(m.clone())),
        None => Err(AppError::NotFound),
    }
}

async fn find_assignment(db: &impl ConnectionTrait, id: i64) -> AppResult<assignment::Model> {
    assignment::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A program manager sets coursework for one class or all; a tutor for their own class.
pub async fn create(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    program_id: i64,
    input: AssignmentInput,
) -> AppResult<AssignmentView> {
    let path = match input.class_id {
        Some(class_id) => {
            let access = classes::access(db, principal, class_id)
                .await
                .map_err(crate::access::as_reference("class_id"))?;
            access.require_staff()?;
            if access.class.program_id != program_id {
                return Err(AppError::field("class_id", tm::ClassNotOfProgram));
            }
            access.class.path
        }
        None => {
            let p = programs::find_visible(db, principal, program_id).await?;
            if !principal.can(Permission::ProgramManage, &p.owner_path) {
                return Err(AppError::Forbidden);
            }
            p.owner_path
        }
    };
    if input.title.trim().is_empty() {
        return Err(AppError::field("title", tm::TitleRequired));
    }
    if input.deadline <= Utc::now() {
        return Err(AppError::field("deadline", tm::DeadlineInPast));
    }
    let txn = begin_write(db).await?;
    let a = assignment::ActiveModel {
        program_id: Set(program_id),
        class_id: Set(input.class_id),
        path: Set(path),
        title: Set(input.title.trim().to_string()),
        instructions: Set(input.instructions),
        deadline: Set(input.deadline),
        category: Set(input.category),
        half_hours: Set(to_half(input.hours)),
        created_by: Set(principal.account_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record_change(
        &txn,
        principal,
        "assignment.create",
        ("assignment", a.id, &a.path),
        serde_json::json!({ "title": a.title, "class_id": a.class_id }),
    )
    .await?;
    txn.commit().await?;
    Ok(assignment_view(a))
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<AssignmentView> {
    let a = find_assignment(db, id).await?;
    seat(db, principal, &a).await?;
    Ok(assignment_view(a))
}

/// Assignments of programs I manage, of classes I tutor or sit in, and program-wide ones of those programs.
fn visible_assignments(principal: &Principal, reach: &Reach) -> Condition {
    Condition::any()
        .add(
            principal
                .scope(Permission::ProgramManage)
                .condition(assignment::Column::Path.into_simple_expr(), None),
        )
        .add(assignment::Column::ClassId.is_in(reach.class_ids()))
        .add(
            Condition::all()
                .add(assignment::Column::ClassId.is_null())
                .add(assignment::Column::ProgramId.is_in(reach.program_ids())),
        )
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    program_id: Option<i64>,
    class_id: Option<i64>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<AssignmentView>> {
    let (page, size, offset) = window(page, page_size)?;
    let reach = classes::reach(db, principal).await?;
    let mut q = assignment::Entity::find().filter(visible_assignments(principal, &reach));
    if let Some(p) = program_id {
        q = q.filter(assignment::Column::ProgramId.eq(p));
    }
    if let Some(c) = class_id {
        q = q.filter(assignment::Column::ClassId.eq(c));
    }
    let q = q
        .order_by_asc(assignment::Column::Deadline)
        .order_by_asc(assignment::Column::Id);
    let (rows, total) = fetch(db, q, offset, size).await?;
    Ok(Page {
        items: rows.into_iter().map(assignment_view).collect(),
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

/// Attachments are coursework files the teacher uploaded (POST /api/files), each listed once.
async fn check_attachments(
    db: &impl ConnectionTrait,
    principal: &Principal,
    ids: &[i64],
) -> AppResult<Vec<i64>> {
    let mut unique: Vec<i64> = Vec::with_capacity(ids.len());
    for id in ids {
        if !unique.contains(id) {
            unique.push(*id);
        }
    }
    files::own_uploads(
        db,
        principal,
        FilePurpose::Coursework,
        "attachments",
        &unique,
    )
    .await?;
    Ok(unique)
}

/// Coursework attachments are read by those who grade the submission carrying them.
pub struct CourseworkFiles;

impl crate::access::files::FileReadPolicy for CourseworkFiles {
    fn purpose(&self) -> crate::files::FilePurpose {
        FilePurpose::Coursework
    }

    fn may_read<'a>(
        &'a self,
        db: &'a sea_orm::DatabaseConnection,
        principal: &'a Principal,
        file: &'a entity::file::Model,
    ) -> crate::access::files::Decision<'a> {
        Box::pin(grades_attachment(db, principal, file))
    }
}

/// Whether the caller grades a submission that carries this coursework file: its class's tutor or a manager.
pub async fn grades_attachment(
    db: &impl ConnectionTrait,
    principal: &Principal,
    f: &entity::file::Model,
) -> AppResult<bool> {
    let Some(teacher_id) = f
        .teacher_id
        .filter(|_| f.purpose == FilePurpose::Coursework)
    else {
        return Ok(false);
    };
    let submissions = submission::Entity::find()
        .filter(submission::Column::TeacherId.eq(teacher_id))
        .all(db)
        .await?;
    for s in submissions {
        let ids: Vec<i64> = serde_json::from_str(&s.attachments).unwrap_or_default();
        if !ids.contains(&f.id) {
            continue;
        }
        match classes::access_in(db, principal, s.class_id).await {
            Ok(access) if access.require_staff().is_ok() => return Ok(true),
            Ok(_) | Err(AppError::NotFound) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(false)
}

/// A teacher placed in the assignment's class submits before the deadline; each submission is a new row.
pub async fn submit(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    assignment_id: i64,
    input: SubmissionInput,
) -> AppResult<SubmissionView> {
    let a = find_assignment(db, assignment_id).await?;
    let Seat::Member(placement) = seat(db, principal, &a).await? else {
        return Err(AppError::Forbidden);
    };
    let e = enrollment::Entity::find_by_id(placement.enrollment_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if e.review_status != ReviewStatus::Approved {
        return Err(AppError::conflict(
            "enrollment",
            tm::EnrolmentNoLongerActive,
        ));
    }
    let now = Utc::now();
    if now > a.deadline {
        return Err(AppError::field(
            "deadline",
            tm::DeadlinePassed {
                value: a.deadline.format("%Y-%m-%d %H:%M UTC").to_string(),
            },
        ));
    }
    let attachments = check_attachments(db, principal, &input.attachments).await?;
    if input.body.trim().is_empty() && attachments.is_empty() {
        return Err(AppError::field("body", tm::SubmissionEmpty));
    }
    let txn = begin_write(db).await?;
    let s = submission::ActiveModel {
        assignment_id: Set(a.id),
        enrollment_id: Set(e.id),
        teacher_id: Set(e.teacher_id),
        class_id: Set(placement.class_id),
        body: Set(input.body),
        attachments: Set(serde_json::to_string(&attachments).map_err(AppError::internal)?),
        submitted_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record_change(
        &txn,
        principal,
        "coursework.submit",
        ("submission", s.id, &e.path),
        serde_json::json!({ "assignment_id": a.id, "attachments": attachments }),
    )
    .await?;
    txn.commit().await?;
    submission_view(db, s).await
}

/// Submissions of an assignment, newest first: all (managers), my classes' (tutors) or my own (teachers).
pub async fn submissions(
    db: &impl ConnectionTrait,
    principal: &Principal,
    assignment_id: i64,
    teacher_id: Option<i64>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<SubmissionView>> {
    let a = find_assignment(db, assignment_id).await?;
    let mut q = submission::Entity::find().filter(submission::Column::AssignmentId.eq(a.id));
    q = match seat(db, principal, &a).await? {
        Seat::Manager => q,
        Seat::Tutor(classes) => q.filter(submission::Column::ClassId.is_in(classes)),
        Seat::Member(m) => q.filter(submission::Column::EnrollmentId.eq(m.enrollment_id)),
    };
    if let Some(t) = teacher_id {
        q = q.filter(submission::Column::TeacherId.eq(t));
    }
    let (page, size, offset) = window(page, page_size)?;
    let (rows, total) = fetch(db, q.order_by_desc(submission::Column::Id), offset, size).await?;
    Ok(Page {
        items: submission_views(db, rows).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

/// Every submission of one teacher for one assignment, oldest first.
async fn history(
    db: &impl ConnectionTrait,
    assignment_id: i64,
    enrollment_id: i64,
) -> AppResult<Vec<submission::Model>> {
    Ok(submission::Entity::find()
        .filter(submission::Column::AssignmentId.eq(assignment_id))
        .filter(submission::Column::EnrollmentId.eq(enrollment_id))
        .order_by_asc(submission::Column::Id)
        .all(db)
        .await?)
}

/// The tutor of the submission's class (or a program manager) grades the latest submission. A pass credits the
/// assignment's hours unless they are already credited; a fail voids a standing credit.
pub async fn grade(
    state: &AppState,
    principal: &Principal,
    submission_id: i64,
    input: GradeInput,
) -> AppResult<SubmissionView> {
    let s = submission::Entity::find_by_id(submission_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    classes::access(&state.db, principal, s.class_id)
        .await?
        .require_staff()?;
    let comment = input
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string);
    if !input.passed && comment.is_none() {
        return Err(AppError::field("comment", tm::FailNeedsComment));
    }
    let a = find_assignment(&state.db, s.assignment_id).await?;
    let txn = begin_write(&state.db).await?;
    let all = history(&txn, a.id, s.enrollment_id).await?;
    if all.last().map(|l| l.id) != Some(s.id) {
        return Err(AppError::conflict("id", tm::OnlyLatestSubmission));
    }
    let mut active: submission::ActiveModel = s.clone().into();
    active.score = Set(Some(input.score));
    active.passed = Set(Some(input.passed));
    active.comment = Set(comment.clone());
    active.graded_by = Set(Some(principal.account_id));
    active.graded_at = Set(Some(Utc::now()));
    let graded = active.update(&txn).await?;
    let e = enrollment::Entity::find_by_id(s.enrollment_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let refs: Vec<String> = all.iter().map(|x| x.id.to_string()).collect();
    settle_hours(
        &txn,
        state.config.cycle_anchor_year,
        principal,
        &a,
        &graded,
        &e,
        &refs,
    )
    .await?;
    notify_graded(&txn, &a, &graded).await?;
    audit::record_change(
        &txn,
        principal,
        "coursework.grade",
        ("submission", graded.id, &e.path),
        serde_json::json!({ "score": input.score, "passed": input.passed, "comment": comment }),
    )
    .await?;
    txn.commit().await?;
    submission_view(&state.db, graded).await
}

/// Brings the ledger in line with the latest grade: credited once while passed, voided when failed.
async fn settle_hours(
    db: &impl ConnectionTrait,
    cycle_anchor: i32,
    principal: &Principal,
    a: &assignment::Model,
    graded: &submission::Model,
    e: &enrollment::Model,
    refs: &[String],
) -> AppResult<()> {
    if a.half_hours <= 0 {
        return Ok(());
    }
    let category = a.category;
    if graded.passed == Some(true) {
        let credit = ActivityCredit {
            enrollment: e,
            category,
            half_hours: a.half_hours,
            occurred_on: graded.submitted_at.date_naive(),
            source: HourSource::Coursework,
            source_ref: graded.id.to_string(),
            same_activity: refs,
            note: format!(
                "{}: {}",
                in_both_languages(tm::HoursFromCoursework),
                a.title
            ),
        };
        hours::credit_activity(db, cycle_anchor, principal, credit).await?;
    } else {
        hours::void_activity(
            db,
            cycle_anchor,
            principal,
            e.id,
            HourSource::Coursework,
            refs,
            &in_both_languages(tm::CourseworkRegradedFailed),
        )
        .await?;
    }
    Ok(())
}

/// "Coursework graded" to the teacher: their inbox, and the outbox.
async fn notify_graded(
    db: &impl ConnectionTrait,
    a: &assignment::Model,
    s: &submission::Model,
) -> AppResult<()> {
    let Some(t) = teacher::Entity::find_by_id(s.teacher_id).one(db).await? else {
        return Ok(());
    };
    let status = if s.passed == Some(true) {
        i18n::t(tm::Passed)
    } else {
        i18n::t(tm::NotPassed)
    };
    let comment = s.comment.clone().unwrap_or_default();
    let score = s.score.unwrap_or_default();
    let body = i18n::t(tm::CourseworkMailBody {
        name: t.name.clone(),
        value: a.title.clone(),
        max: f64::from(score),
        status,
        reason: comment,
    });
    let title = i18n::t(tm::CourseworkMailSubject {
        value: a.title.clone(),
    });
    let to = inbox::Recipient::teacher(db, &t).await?;
    let notice = inbox::Notice::new(NoticeKind::Coursework, title, body).link("/coursework");
    inbox::tell(db, &to, notice).await?;
    Ok(())
}

fn standing(history: &[submission::Model]) -> (CourseworkStatus, Option<bool>, Option<i32>) {
    match history.last() {
        None => (CourseworkStatus::NotSubmitted, None, None),
        Some(s) if s.graded_at.is_none() => (CourseworkStatus::Submitted, None, None),
        Some(s) => (CourseworkStatus::Graded, s.passed, s.score),
    }
}

/// My assignments (a teacher placed in classes), soonest deadline first, with where I stand on each.
pub async fn mine(
    db: &impl ConnectionTrait,
    principal: &Principal,
    program_id: Option<i64>,
    status: Option<CourseworkStatus>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<MyCourseworkView>> {
    let (page, size, offset) = window(page, page_size)?;
    let reach = classes::reach(db, principal).await?;
    let placed: Vec<_> = reach
        .placed
        .iter()
        .filter(|(_, class)| program_id.is_none_or(|p| p == class.program_id))
        .collect();
    // Every assignment of my classes' programs and every submission of my enrolments, in one statement each.
    let assignments = lookup_all(
        db,
        assignment::Entity::find(),
        assignment::Column::ProgramId,
        placed.iter().map(|(_, class)| class.program_id),
        |a| a.program_id,
    )
    .await?;
    let submissions = lookup_all(
        db,
        submission::Entity::find().order_by_asc(submission::Column::Id),
        submission::Column::EnrollmentId,
        placed.iter().map(|(m, _)| m.enrollment_id),
        |s| s.enrollment_id,
    )
    .await?;
    let mut all = Vec::new();
    for (m, class) in placed {
        let of_class = assignments
            .get(&class.program_id)
            .into_iter()
            .flatten()
            .filter(|a| a.class_id.is_none_or(|c| c == class.id));
        for a in of_class {
            let h: Vec<submission::Model> = submissions
                .get(&m.enrollment_id)
                .into_iter()
                .flatten()
                .filter(|x| x.assignment_id == a.id)
                .cloned()
                .collect();
            let (s, passed, score) = standing(&h);
            if status.is_some_and(|wanted| wanted != s) {
                continue;
            }
            all.push(MyCourseworkView {
                latest_submission_id: h.last().map(|x| x.id),
                submissions: h.len() as u64,
                assignment: assignment_view(a.clone()),
                status: s,
                passed,
                score,
            });
        }
    }
    all.sort_by_key(|v| (v.assignment.deadline, v.assignment.id));
    let total = crate::platform::paging::Total::exact(all.len() as u64);
    let items = all
        .into_iter()
        .skip(offset as usize)
        .take(size as usize)
        .collect();
    Ok(Page {
        items,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}
