//! The personal parts of the workbench: a teacher's programs, deadlines and certificates, a reviewer's rounds.
//! Everything here is the caller's own (their teacher record, their account's assignments), so no scope applies
//! beyond that ownership.
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use entity::enrollment::{ReviewStatus, TrainingStatus};
use entity::lesson_assignment::LessonReviewStatus;
use entity::lesson_round::LessonRoundStatus;
use entity::quiz::QuizStatus;
use entity::{
    assignment, certificate, class_member, enrollment, lesson_assignment, lesson_round, program,
    quiz, submission,
};
use poem_openapi::{Enum, Object};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::{
    platform::error::AppResult,
    training::{
        completion::totals_of,
        programs::rules_of,
        rules::{HourCategory, counted},
    },
};

/// Hours still missing in one category for completion.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CategoryShortfall {
    pub category: HourCategory,
    pub hours: f64,
}

/// One of my programs with my progress.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MyProgram {
    pub enrollment_id: i64,
    pub program_id: i64,
    pub program_name: String,
    pub year: i32,
    pub review_status: ReviewStatus,
    pub training_status: TrainingStatus,
    /// Hours that count under the program's rule.
    pub counted_hours: f64,
    /// Hours the completion rule asks for in all.
    pub required_hours: f64,
    /// What is still missing: the total, then each category's minimum not yet reached.
    pub missing_hours: f64,
    pub missing_by_category: Vec<CategoryShortfall>,
    /// The last day of training.
    pub train_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum DeadlineKind {
    Coursework,
    Quiz,
}

/// Something of mine due soon.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MyDeadline {
    pub kind: DeadlineKind,
    /// The coursework's or the quiz's id.
    pub id: i64,
    pub title: String,
    pub program_id: i64,
    pub due: DateTime<Utc>,
    /// The SPA route that opens it.
    pub route: String,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MyCertificate {
    pub number: String,
    pub program_id: i64,
    pub issued_at: DateTime<Utc>,
    pub revoked: bool,
}

/// A teacher's workbench.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TeacherDesk {
    pub programs: Vec<MyProgram>,
    /// Coursework not yet handed in and quizzes still open, soonest first.
    pub deadlines: Vec<MyDeadline>,
    pub certificates: Vec<MyCertificate>,
}

/// One open review round of mine.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ReviewDue {
    pub round_id: i64,
    pub round_name: String,
    pub deadline: DateTime<Utc>,
    pub assigned: i64,
    pub submitted: i64,
}

/// Deadlines listed at most.
const DEADLINES: u64 = 10;

fn hours(half_hours: i64) -> f64 {
    half_hours as f64 / 2.0
}

/// My progress in one program: what counts, and what the completion rule still asks for.
fn progress(e: &enrollment::Model, p: &program::Model) -> MyProgram {
    let (hour_rule, completion) = rules_of(p);
    let totals = totals_of(e);
    let counted_half = counted(&hour_rule, &totals);
    let missing_by_category = completion
        .minimums
        .iter()
        .filter_map(|(category, min)| {
            let short = min - totals.get(category).copied().unwrap_or(0);
            (short > 0).then(|| CategoryShortfall {
                category: *category,
                hours: hours(short),
            })
        })
        .collect();
    MyProgram {
        enrollment_id: e.id,
        program_id: p.id,
        program_name: p.name.clone(),
        year: p.year,
        review_status: e.review_status,
        training_status: e.training_status,
        counted_hours: hours(counted_half),
        required_hours: hours(completion.required_total),
        missing_hours: hours((completion.required_total - counted_half).max(0)),
        missing_by_category,
        train_until: p.train_until,
    }
}

pub async fn teacher_desk(db: &impl ConnectionTrait, teacher_id: i64) -> AppResult<TeacherDesk> {
    let enrolments = enrollment::Entity::find()
        .filter(enrollment::Column::TeacherId.eq(teacher_id))
        .filter(
            enrollment::Column::ReviewStatus.is_in([ReviewStatus::Pending, ReviewStatus::Approved]),
        )
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
    let approved: Vec<i64> = enrolments
        .iter()
        .filter(|e| e.review_status == ReviewStatus::Approved)
        .map(|e| e.program_id)
        .collect();
    Ok(TeacherDesk {
        programs: enrolments
            .iter()
            .filter_map(|e| Some(progress(e, programs.get(&e.program_id)?)))
            .collect(),
        deadlines: deadlines(db, teacher_id, &approved).await?,
        certificates: certificate::Entity::find()
            .filter(certificate::Column::TeacherId.eq(teacher_id))
            .order_by_desc(certificate::Column::IssuedAt)
            .all(db)
            .await?
            .into_iter()
            .map(|c| MyCertificate {
                number: c.number,
                program_id: c.program_id,
                issued_at: c.issued_at,
                revoked: c.revoked_at.is_some(),
            })
            .collect(),
    })
}

/// Work of my approved programs meant for me (the whole program's, or my class's) that is still ahead.
fn for_me(
    program_column: impl ColumnTrait,
    class_column: impl ColumnTrait,
    programs: &[i64],
    classes: &[i64],
) -> Condition {
    Condition::all()
        .add(program_column.is_in(programs.iter().copied()))
        .add(
            Condition::any()
                .add(class_column.is_null())
                .add(class_column.is_in(classes.iter().copied())),
        )
}

async fn deadlines(
    db: &impl ConnectionTrait,
    teacher_id: i64,
    programs: &[i64],
) -> AppResult<Vec<MyDeadline>> {
    if programs.is_empty() {
        return Ok(Vec::new());
    }
    let now = Utc::now();
    let classes: Vec<i64> = class_member::Entity::find()
        .select_only()
        .column(class_member::Column::ClassId)
        .filter(class_member::Column::TeacherId.eq(teacher_id))
        .into_tuple()
        .all(db)
        .await?;
    let handed_in: HashSet<i64> = submission::Entity::find()
        .select_only()
        .column(submission::Column::AssignmentId)
        .filter(submission::Column::TeacherId.eq(teacher_id))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut due: Vec<MyDeadline> = assignment::Entity::find()
        .filter(for_me(
            assignment::Column::ProgramId,
            assignment::Column::ClassId,
            programs,
            &classes,
        ))
        .filter(assignment::Column::Deadline.gt(now))
        .order_by_asc(assignment::Column::Deadline)
        .limit(DEADLINES)
        .all(db)
        .await?
        .into_iter()
        .filter(|a| !handed_in.contains(&a.id))
        .map(|a| MyDeadline {
            kind: DeadlineKind::Coursework,
            id: a.id,
            title: a.title,
            program_id: a.program_id,
            due: a.deadline,
            route: "/coursework".into(),
        })
        .collect();
    due.extend(
        quiz::Entity::find()
            .filter(for_me(
                quiz::Column::ProgramId,
                quiz::Column::ClassId,
                programs,
                &classes,
            ))
            .filter(quiz::Column::Status.eq(QuizStatus::Published))
            .filter(quiz::Column::ClosesAt.gt(now))
            .order_by_asc(quiz::Column::ClosesAt)
            .limit(DEADLINES)
            .all(db)
            .await?
            .into_iter()
            .map(|q| MyDeadline {
                kind: DeadlineKind::Quiz,
                route: format!("/quizzes/{}", q.id),
                id: q.id,
                title: q.title,
                program_id: q.program_id,
                due: q.closes_at,
            }),
    );
    due.sort_by_key(|d| d.due);
    due.truncate(DEADLINES as usize);
    Ok(due)
}

/// The open rounds I review in, with how many of my lessons I have submitted.
pub async fn reviews_due(db: &impl ConnectionTrait, account_id: i64) -> AppResult<Vec<ReviewDue>> {
    let mine = lesson_assignment::Entity::find()
        .filter(lesson_assignment::Column::ReviewerId.eq(account_id))
        .all(db)
        .await?;
    let mut per_round: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for a in &mine {
        let tally = per_round.entry(a.round_id).or_default();
        tally.0 += 1;
        tally.1 += i64::from(a.status == LessonReviewStatus::Submitted);
    }
    let rounds = lesson_round::Entity::find()
        .filter(lesson_round::Column::Id.is_in(per_round.keys().copied()))
        .filter(lesson_round::Column::Status.eq(LessonRoundStatus::Reviewing))
        .order_by_asc(lesson_round::Column::Deadline)
        .all(db)
        .await?;
    Ok(rounds
        .into_iter()
        .map(|r| {
            let (assigned, submitted) = per_round.get(&r.id).copied().unwrap_or_default();
            ReviewDue {
                round_id: r.id,
                round_name: r.name,
                deadline: r.deadline,
                assigned,
                submitted,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_names_the_missing_hours_per_category() {
        let p = program::Model {
            id: 7,
            name: "信息技术2.0".into(),
            level: entity::program::ProgramLevel::Provincial,
            kind: String::new(),
            year: 2026,
            enrolment_mode: entity::program::EnrolmentMode::Assigned,
            enrol_from: None,
            enrol_until: None,
            train_from: None,
            train_until: None,
            hour_rule: r#"{"kind":"designated","caps":[["online",40],["practice",60]]}"#.into(),
            completion_rule: r#"{"required_total":100,"minimums":[["online",40],["practice",60]]}"#
                .into(),
            owner_code: "510000".into(),
            owner_path: "/510000/".into(),
            status: entity::program::ProgramStatus::Published,
            created_by: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        let mut e = enrollment::Model {
            id: 1,
            program_id: 7,
            teacher_id: 3,
            path: "/510000/".into(),
            quota_id: None,
            review_status: ReviewStatus::Approved,
            training_status: TrainingStatus::Reported,
            grade: None,
            hours_centralized: 0,
            hours_online: 50,
            hours_ict: 0,
            hours_regional: 0,
            hours_school_based: 0,
            hours_practice: 20,
            counted_hours: 0,
            completed_at: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        let mine = progress(&e, &p);
        // Online is capped at 20 h: 20 + 10 count, 20 h of practice missing.
        assert_eq!(
            (mine.counted_hours, mine.required_hours, mine.missing_hours),
            (30.0, 50.0, 20.0)
        );
        assert_eq!(mine.missing_by_category.len(), 1);
        assert_eq!(mine.missing_by_category[0].category, HourCategory::Practice);
        assert_eq!(mine.missing_by_category[0].hours, 20.0);
        e.hours_practice = 60;
        assert_eq!(progress(&e, &p).missing_hours, 0.0);
        assert!(progress(&e, &p).missing_by_category.is_empty());
    }
}
