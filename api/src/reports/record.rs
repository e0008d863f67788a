//! 教师培训档案: everything a teacher did in training, on one page and printable. The teacher reads their own;
//! administrators read the teachers of their area (personal data masked: the clear values stay behind the
//! audited reveal), and each time an administrator opens or prints a record it is audited.
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::competency_submission::Grade;
use entity::enrollment::{ReviewStatus, TrainingStatus};
use entity::hour_entry::{HourSource, HourStatus};
use entity::lesson::LessonStatus;
use entity::lesson_award::LessonAwardLevel;
use entity::program::ProgramLevel;
use entity::quiz_attempt::AttemptStatus;
use entity::{
    certificate, competency_submission, enrollment, hour_entry, lesson, lesson_activity,
    lesson_award, program, quiz, quiz_attempt, school, teacher, teacher_cycle,
};
use poem_openapi::Object;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    AppState,
    auth::Principal,
    directory::teachers::{self, TeacherView},
    platform::{
        audit::{self, AuditEvent},
        db::begin_write,
        error::{AppError, AppResult},
    },
    training::rules::{CYCLE_REQUIRED_HALF_HOURS, HourCategory, cycle_start},
};

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RecordProgram {
    pub enrollment_id: i64,
    pub program_id: i64,
    pub program_name: String,
    pub year: i32,
    pub level: ProgramLevel,
    pub review_status: ReviewStatus,
    pub training_status: TrainingStatus,
    /// Hours that count towards the program's completion rule.
    pub counted_hours: f64,
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RecordHour {
    pub id: i64,
    pub occurred_on: NaiveDate,
    pub category: HourCategory,
    pub hours: f64,
    pub source: HourSource,
    pub status: HourStatus,
    pub program_name: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RecordCertificate {
    pub number: String,
    pub program_name: String,
    pub issued_at: DateTime<Utc>,
    pub revoked: bool,
    /// Where the certificate's PDF is served (and verifiable by its number).
    pub pdf_url: String,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RecordQuiz {
    pub quiz_title: String,
    pub attempt_no: i32,
    pub status: AttemptStatus,
    pub score: Option<f64>,
    pub passed: Option<bool>,
    pub closed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RecordCompetency {
    pub year: i32,
    pub code: String,
    pub school_grade: Option<Grade>,
    pub final_grade: Option<Grade>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RecordLesson {
    pub id: i64,
    pub title: String,
    pub year: i32,
    pub status: LessonStatus,
    pub awards: Vec<LessonAwardLevel>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RecordCycle {
    pub cycle_start: i32,
    pub cycle_end: i32,
    pub hours: f64,
    pub required_hours: f64,
    pub complete: bool,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TeacherRecord {
    /// The teacher, ID number and phone masked.
    pub teacher: TeacherView,
    /// Enrolments, newest program year first.
    pub programs: Vec<RecordProgram>,
    /// The hours ledger, newest first (voided and voiding entries included, as the ledger keeps them).
    pub hours: Vec<RecordHour>,
    pub certificates: Vec<RecordCertificate>,
    pub quizzes: Vec<RecordQuiz>,
    /// Latest 能力点 submissions and their grades.
    pub competencies: Vec<RecordCompetency>,
    /// 一师一优课 lessons with their awards.
    pub lessons: Vec<RecordLesson>,
    /// 5-year cycles (360 hours each), newest first; the current one always listed.
    pub cycles: Vec<RecordCycle>,
}

/// The teacher whose record the caller may read: their own, or one of their area (404 otherwise, whether or not
/// it exists). Answers whether it is an administrator reading someone else's record.
async fn readable(
    state: &AppState,
    principal: &Principal,
    id: i64,
) -> AppResult<(teacher::Model, bool)> {
    if principal.teacher_id == Some(id) {
        let own = teacher::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok((own, false));
    }
    Ok((
        teachers::find_visible(&state.db, principal, id).await?,
        true,
    ))
}

/// An administrator opened or printed a teacher's record.
async fn audit_read(
    state: &AppState,
    principal: &Principal,
    t: &teacher::Model,
    action: &str,
) -> AppResult<()> {
    let txn = begin_write(&state.db).await?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action,
            target_type: "teacher",
            target_id: Some(t.id.to_string()),
            target_path: Some(t.path.clone()),
            detail: serde_json::json!({ "name": t.name }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The record, audited when an administrator reads it; `action` names the reading (view or export).
pub async fn record(
    state: &AppState,
    principal: &Principal,
    id: i64,
    action: &str,
) -> AppResult<TeacherRecord> {
    let (t, by_admin) = readable(state, principal, id).await?;
    let record = assemble(&state.db, state.config.cycle_anchor_year, t.clone()).await?;
    if by_admin {
        audit_read(state, principal, &t, action).await?;
    }
    Ok(record)
}

async fn assemble(
    db: &impl ConnectionTrait,
    cycle_anchor: i32,
    t: teacher::Model,
) -> AppResult<TeacherRecord> {
    let school = school::Entity::find_by_id(t.school_id).one(db).await?;
    let enrolments = enrollment::Entity::find()
        .filter(enrollment::Column::TeacherId.eq(t.id))
        .order_by_desc(enrollment::Column::Id)
        .all(db)
        .await?;
    let programs: HashMap<i64, program::Model> = program::Entity::find()
        .filter(program::Column::Id.is_in(enrolments.iter().map(|e| e.program_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let program_of_enrolment: HashMap<i64, i64> =
        enrolments.iter().map(|e| (e.id, e.program_id)).collect();
    let name_of = |program_id: i64| {
        programs
            .get(&program_id)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let mut record_programs: Vec<RecordProgram> = enrolments
        .iter()
        .filter_map(|e| {
            let p = programs.get(&e.program_id)?;
            Some(RecordProgram {
                enrollment_id: e.id,
                program_id: p.id,
                program_name: p.name.clone(),
                year: p.year,
                level: p.level,
                review_status: e.review_status,
                training_status: e.training_status,
                counted_hours: f64::from(e.counted_hours) / 2.0,
                completed_at: e.completed_at,
            })
        })
        .collect();
    record_programs.sort_by(|a, b| {
        b.year
            .cmp(&a.year)
            .then(b.enrollment_id.cmp(&a.enrollment_id))
    });
    let hours = hour_entry::Entity::find()
        .filter(hour_entry::Column::TeacherId.eq(t.id))
        .order_by_desc(hour_entry::Column::OccurredOn)
        .order_by_desc(hour_entry::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|h| RecordHour {
            id: h.id,
            occurred_on: h.occurred_on,
            category: h.category,
            hours: f64::from(h.half_hours) / 2.0,
            source: h.source,
            status: h.status,
            program_name: h
                .enrollment_id
                .and_then(|e| program_of_enrolment.get(&e))
                .map(|p| name_of(*p)),
            note: h.note,
        })
        .collect();
    let certificates = certificate::Entity::find()
        .filter(certificate::Column::TeacherId.eq(t.id))
        .order_by_desc(certificate::Column::IssuedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|c| RecordCertificate {
            pdf_url: format!("/api/certificates/{}/pdf", c.number),
            program_name: name_of(c.program_id),
            number: c.number,
            issued_at: c.issued_at,
            revoked: c.revoked_at.is_some(),
        })
        .collect();
    let quizzes = quizzes_of(db, t.id).await?;
    let competencies = competency_submission::Entity::find()
        .filter(competency_submission::Column::TeacherId.eq(t.id))
        .filter(competency_submission::Column::Latest.eq(true))
        .order_by_desc(competency_submission::Column::Year)
        .order_by_asc(competency_submission::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|s| RecordCompetency {
            year: s.year,
            code: s.code,
            school_grade: s.school_grade,
            final_grade: s.final_grade,
        })
        .collect();
    let lessons = lessons_of(db, t.id).await?;
    let cycles = cycles_of(db, cycle_anchor, t.id).await?;
    Ok(TeacherRecord {
        teacher: teachers::view(t, school.as_ref()),
        programs: record_programs,
        hours,
        certificates,
        quizzes,
        competencies,
        lessons,
        cycles,
    })
}

async fn quizzes_of(db: &impl ConnectionTrait, teacher_id: i64) -> AppResult<Vec<RecordQuiz>> {
    let attempts = quiz_attempt::Entity::find()
        .filter(quiz_attempt::Column::TeacherId.eq(teacher_id))
        .order_by_desc(quiz_attempt::Column::StartedAt)
        .all(db)
        .await?;
    let titles: HashMap<i64, String> = quiz::Entity::find()
        .filter(quiz::Column::Id.is_in(attempts.iter().map(|a| a.quiz_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, q.title))
        .collect();
    Ok(attempts
        .into_iter()
        .map(|a| RecordQuiz {
            quiz_title: titles.get(&a.quiz_id).cloned().unwrap_or_default(),
            attempt_no: a.attempt_no,
            status: a.status,
            score: a.score,
            passed: a.passed,
            closed_at: a.closed_at,
        })
        .collect())
}

async fn lessons_of(db: &impl ConnectionTrait, teacher_id: i64) -> AppResult<Vec<RecordLesson>> {
    let lessons = lesson::Entity::find()
        .filter(lesson::Column::TeacherId.eq(teacher_id))
        .order_by_desc(lesson::Column::Id)
        .all(db)
        .await?;
    let years: HashMap<i64, i32> = lesson_activity::Entity::find()
        .filter(lesson_activity::Column::Id.is_in(lessons.iter().map(|l| l.activity_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.year))
        .collect();
    let mut awards: HashMap<i64, Vec<LessonAwardLevel>> = HashMap::new();
    for a in lesson_award::Entity::find()
        .filter(lesson_award::Column::LessonId.is_in(lessons.iter().map(|l| l.id)))
        .order_by_asc(lesson_award::Column::Id)
        .all(db)
        .await?
    {
        awards.entry(a.lesson_id).or_default().push(a.level);
    }
    Ok(lessons
        .into_iter()
        .map(|l| RecordLesson {
            year: years.get(&l.activity_id).copied().unwrap_or_default(),
            awards: awards.remove(&l.id).unwrap_or_default(),
            id: l.id,
            title: l.title,
            status: l.status,
        })
        .collect())
}

async fn cycles_of(
    db: &impl ConnectionTrait,
    cycle_anchor: i32,
    teacher_id: i64,
) -> AppResult<Vec<RecordCycle>> {
    let mut totals: std::collections::BTreeMap<i32, i64> = teacher_cycle::Entity::find()
        .filter(teacher_cycle::Column::TeacherId.eq(teacher_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.cycle_start, c.half_hours))
        .collect();
    use chrono::Datelike;
    totals
        .entry(cycle_start(Utc::now().year(), cycle_anchor))
        .or_default();
    Ok(totals
        .into_iter()
        .rev()
        .map(|(start, half_hours)| RecordCycle {
            cycle_start: start,
            cycle_end: start + 4,
            hours: half_hours as f64 / 2.0,
            required_hours: CYCLE_REQUIRED_HALF_HOURS as f64 / 2.0,
            complete: half_hours >= CYCLE_REQUIRED_HALF_HOURS,
        })
        .collect())
}
