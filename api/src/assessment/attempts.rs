//! Taking a quiz: one running attempt per teacher and quiz, answers autosaved one question at a time, a clock
//! that is the server's, and closing — by the teacher, or by the deadline whoever notices it first (any read or
//! save of the attempt, or the sweeper). Closing grades objective questions at once; short answers wait for a
//! tutor. Keys, explanations and per-question results are part of a response only once the attempt is closed
//! and, for the teacher who took it, once the quiz's review policy allows ([`super::key_review`]). A teacher
//! never reads another teacher's attempt.
use std::collections::HashMap;

use crate::platform::i18n::catalogue::assessment as m;

use chrono::{DateTime, Duration, Utc};
pub use entity::quiz_attempt::AttemptStatus;
use entity::{attempt_answer, question, quiz, quiz_attempt};
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, Set, Statement,
};

use super::{
    bank::{key_of, options_of, to_json},
    grading::{AnswerKey, QuestionKind, Response, auto_grade, check_shape, round_score},
    key_review::{KeyReview, TakerStanding, taker_sees_keys},
    quizzes::{self, PaperItem, QuizRole},
};
use crate::{
    auth::Principal,
    platform::{
        audit,
        db::begin_write,
        error::{AppError, AppResult, map_unique},
        paging::{Page, fetch, window},
    },
    training::completion,
};

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OptionView {
    /// The option's key: what a response names.
    pub key: i32,
    pub text: String,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AttemptQuestion {
    pub question_id: i64,
    /// 1-based position on the paper.
    pub position: i32,
    pub kind: QuestionKind,
    pub stem: String,
    /// Choice options in the order this attempt shows them.
    pub options: Vec<OptionView>,
    /// Number of blanks to fill.
    pub blanks: i32,
    pub points: f64,
    pub response: Option<Response>,
    pub saved_at: Option<DateTime<Utc>>,
    /// Once keys are shown: the score of this answer (none while a tutor has yet to grade it).
    pub score: Option<f64>,
    /// Once keys are shown, after grading: the tutor's comment.
    pub comment: Option<String>,
    /// Once keys are shown (`keys_shown`).
    pub correct_answer: Option<AnswerKey>,
    /// Once keys are shown (`keys_shown`).
    pub explanation: Option<String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AttemptView {
    pub id: i64,
    pub quiz_id: i64,
    pub quiz_title: String,
    pub teacher_id: i64,
    pub teacher_name: String,
    pub attempt_no: i32,
    pub status: AttemptStatus,
    pub started_at: DateTime<Utc>,
    /// The server's deadline; the attempt closes itself then.
    pub deadline_at: DateTime<Utc>,
    /// The server's clock when this view was made, so the browser's countdown does not trust its own.
    pub server_now: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by_timeout: bool,
    pub total_points: f64,
    pub pass_score: f64,
    pub score: Option<f64>,
    pub passed: Option<bool>,
    /// Answers waiting for a tutor.
    pub pending_grading: i32,
    /// The quiz's review policy: when its teachers see keys, explanations and per-question results.
    pub key_review: KeyReview,
    /// Whether this view carries them.
    pub keys_shown: bool,
    /// When the quiz window ends (the after_close and after_last_attempt policies open then).
    pub quiz_closes_at: DateTime<Utc>,
    pub questions: Vec<AttemptQuestion>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AnswerInput {
    pub response: Response,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AnswerSaved {
    pub question_id: i64,
    pub saved_at: DateTime<Utc>,
    pub deadline_at: DateTime<Utc>,
    pub server_now: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct GradeAnswerInput {
    #[oai(validator(minimum(value = "0")))]
    pub score: f64,
    #[oai(validator(min_length = 1, max_length = 2000))]
    pub comment: String,
}

/// A line of an attempt list (no questions).
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AttemptSummary {
    pub id: i64,
    pub quiz_id: i64,
    pub teacher_id: i64,
    pub teacher_name: String,
    pub attempt_no: i32,
    pub status: AttemptStatus,
    pub started_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub score: Option<f64>,
    pub passed: Option<bool>,
}

fn paper(a: &quiz_attempt::Model) -> Vec<PaperItem> {
    serde_json::from_str(&a.paper).unwrap_or_default()
}

/// Who an attempt is shown to: keys follow the quiz's policy for the teacher who took it, and are shown to the
/// quiz's managers and tutors in every closed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Viewer {
    Taker,
    Staff,
}

/// Starts an attempt, or resumes the one running (a reload, a second tab, a lost connection).
pub async fn start(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    quiz_id: i64,
) -> AppResult<AttemptView> {
    let access = quizzes::access(db, principal, quiz_id).await?;
    let QuizRole::Taker(enrolment) = access.role else {
        return Err(AppError::Forbidden);
    };
    let q = access.quiz;
    let now = Utc::now();
    if now < q.opens_at || now >= q.closes_at {
        return Err(AppError::conflict("quiz", m::QuizNotOpen));
    }
    let existing = quiz_attempt::Entity::find()
        .filter(quiz_attempt::Column::QuizId.eq(q.id))
        .filter(quiz_attempt::Column::TeacherId.eq(enrolment.teacher_id))
        .order_by_asc(quiz_attempt::Column::AttemptNo)
        .all(db)
        .await?;
    if let Some(running) = existing
        .iter()
        .find(|a| a.status == AttemptStatus::InProgress)
    {
        if running.deadline_at > now {
            return attempt_view(db, running.clone(), Some(&q), Viewer::Taker).await;
        }
        close(db, running.id, true).await?;
    }
    if existing.len() as i32 >= q.attempts_allowed {
        return Err(AppError::conflict("quiz", m::NoAttemptsLeft));
    }
    let items = quizzes::compose(db, &q).await?;
    let deadline = (now + Duration::minutes(i64::from(q.time_limit_minutes))).min(q.closes_at);
    let txn = begin_write(db).await?;
    let inserted = quiz_attempt::ActiveModel {
        quiz_id: Set(q.id),
        teacher_id: Set(enrolment.teacher_id),
        enrollment_id: Set(enrolment.id),
        path: Set(enrolment.path.clone()),
        attempt_no: Set(existing.len() as i32 + 1),
        status: Set(AttemptStatus::InProgress),
        started_at: Set(now),
        deadline_at: Set(deadline),
        closed_at: Set(None),
        closed_by_timeout: Set(false),
        paper: Set(to_json(&items)?),
        score: Set(None),
        passed: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let a = match inserted {
        Ok(a) => a,
        // Another request started the same attempt a moment ago: resume that one.
        Err(e) => {
            drop(txn);
            let e = map_unique(e, "quiz", "");
            if !matches!(e, AppError::Conflict { .. }) {
                return Err(e);
            }
            let running = quiz_attempt::Entity::find()
                .filter(quiz_attempt::Column::QuizId.eq(q.id))
                .filter(quiz_attempt::Column::TeacherId.eq(enrolment.teacher_id))
                .filter(quiz_attempt::Column::Status.eq(AttemptStatus::InProgress))
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            return attempt_view(db, running, Some(&q), Viewer::Taker).await;
        }
    };
    audit::record_change(
        &txn,
        principal,
        "attempt.start",
        ("attempt", a.id, &a.path),
        serde_json::json!({ "quiz_id": q.id, "attempt_no": a.attempt_no }),
    )
    .await?;
    txn.commit().await?;
    attempt_view(db, a, Some(&q), Viewer::Taker).await
}

/// The attempt and the caller's relation to it: its teacher, or staff of its quiz.
async fn reach(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<(quiz_attempt::Model, bool)> {
    let a = quiz_attempt::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if principal.teacher_id == Some(a.teacher_id) {
        return Ok((a, true));
    }
    let access = quizzes::access(db, principal, a.quiz_id).await?;
    access.require_staff().map_err(|_| AppError::NotFound)?;
    Ok((a, false))
}

/// An attempt the caller took: the one fast path of an exam (a single read); staff who may see it get 403.
async fn own_attempt(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<quiz_attempt::Model> {
    let a = quiz_attempt::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if principal.teacher_id == Some(a.teacher_id) {
        return Ok(a);
    }
    reach(db, principal, id).await?;
    Err(AppError::Forbidden)
}

/// Closes the attempt first when its deadline has passed.
async fn current(
    db: &DatabaseConnection,
    a: quiz_attempt::Model,
) -> AppResult<quiz_attempt::Model> {
    if a.status == AttemptStatus::InProgress && a.deadline_at <= Utc::now() {
        close(db, a.id, true).await?;
        return quiz_attempt::Entity::find_by_id(a.id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound);
    }
    Ok(a)
}

pub async fn get(
    db: &DatabaseConnection,
    principal: &Principal,
    id: i64,
) -> AppResult<AttemptView> {
    let (a, own) = reach(db, principal, id).await?;
    let a = current(db, a).await?;
    let viewer = if own { Viewer::Taker } else { Viewer::Staff };
    attempt_view(db, a, None, viewer).await
}

/// Autosaves one answer. Cheap on purpose (one read, one upsert): this is what thousands of teachers do at
/// once in an exam.
pub async fn save_answer(
    db: &DatabaseConnection,
    principal: &Principal,
    id: i64,
    question_id: i64,
    input: AnswerInput,
) -> AppResult<AnswerSaved> {
    let a = own_attempt(db, principal, id).await?;
    let now = Utc::now();
    if a.status != AttemptStatus::InProgress || a.deadline_at <= now {
        current(db, a).await?;
        return Err(AppError::conflict("attempt", m::AttemptClosed));
    }
    let item = paper(&a)
        .into_iter()
        .find(|i| i.question_id == question_id)
        .ok_or_else(|| AppError::field("question_id", m::QuestionNotOnPaper))?;
    let options = item.option_order.len();
    if let Err(message) = check_shape(item.kind, options, &input.response, false) {
        return Err(AppError::field("response", message));
    }
    if item.kind == QuestionKind::Blank
        && input
            .response
            .blanks
            .as_ref()
            .is_some_and(|b| b.len() > item.blanks as usize)
    {
        return Err(AppError::field("response", m::TooManyBlanks));
    }
    let stored = store_answer(db, a.id, question_id, to_json(&input.response)?, now).await?;
    if !stored {
        return Err(AppError::conflict("attempt", m::AttemptClosed));
    }
    Ok(AnswerSaved {
        question_id,
        saved_at: now,
        deadline_at: a.deadline_at,
        server_now: Utc::now(),
    })
}

/// Writes an answer only while the attempt is still running, in one statement, so a save racing the closing
/// either lands before the grading reads the answers or is refused: never stored but ungraded. PostgreSQL
/// holds the attempt row `FOR SHARE` (the closing UPDATE waits for it); SQLite runs the statement under its
/// single write lock. Returns whether it was stored.
async fn store_answer(
    db: &DatabaseConnection,
    attempt_id: i64,
    question_id: i64,
    response: String,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let backend = db.get_database_backend();
    let (sql, values): (&str, Vec<sea_orm::Value>) = if backend == DbBackend::Postgres {
        (
            "WITH running AS (SELECT id FROM quiz_attempts WHERE id = $1 AND status = $5 \
             AND deadline_at > $2 FOR SHARE) \
             INSERT INTO attempt_answers (attempt_id, question_id, response, saved_at, needs_grading) \
             SELECT id, $3, $4, $2, FALSE FROM running \
             ON CONFLICT (attempt_id, question_id) DO UPDATE SET response = excluded.response, \
             saved_at = excluded.saved_at",
            vec![
                attempt_id.into(),
                now.into(),
                question_id.into(),
                response.into(),
                AttemptStatus::InProgress.into(),
            ],
        )
    } else {
        (
            "INSERT INTO attempt_answers (attempt_id, question_id, response, saved_at, needs_grading) \
             SELECT id, ?, ?, ?, 0 FROM quiz_attempts WHERE id = ? AND status = ? \
             AND deadline_at > ? \
             ON CONFLICT (attempt_id, question_id) DO UPDATE SET response = excluded.response, \
             saved_at = excluded.saved_at",
            vec![
                question_id.into(),
                response.into(),
                now.into(),
                attempt_id.into(),
                AttemptStatus::InProgress.into(),
                now.into(),
            ],
        )
    };
    let done = db
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The teacher hands the attempt in.
pub async fn submit(
    db: &DatabaseConnection,
    principal: &Principal,
    id: i64,
) -> AppResult<AttemptView> {
    let a = own_attempt(db, principal, id).await?;
    if a.status == AttemptStatus::InProgress {
        let timed_out = a.deadline_at <= Utc::now();
        close(db, a.id, timed_out).await?;
    }
    let a = quiz_attempt::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    attempt_view(db, a, None, Viewer::Taker).await
}

/// Closes a running attempt exactly once (a conditional update claims it), grades its objective answers and,
/// when nothing waits for a tutor, sets the result and re-evaluates the teacher's completion.
pub async fn close(db: &DatabaseConnection, id: i64, by_timeout: bool) -> AppResult<()> {
    let txn = begin_write(db).await?;
    let now = Utc::now();
    let claimed = quiz_attempt::Entity::update_many()
        .col_expr(
            quiz_attempt::Column::Status,
            sea_orm::sea_query::Expr::val(AttemptStatus::Grading),
        )
        .col_expr(quiz_attempt::Column::ClosedAt, now.into())
        .col_expr(quiz_attempt::Column::ClosedByTimeout, by_timeout.into())
        .filter(quiz_attempt::Column::Id.eq(id))
        .filter(quiz_attempt::Column::Status.eq(AttemptStatus::InProgress))
        .exec(&txn)
        .await?;
    if claimed.rows_affected == 0 {
        return Ok(());
    }
    let a = quiz_attempt::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let items = paper(&a);
    let keys = keys(&txn, &items).await?;
    let answers = answers(&txn, a.id).await?;
    for item in &items {
        let Some(answer) = answers.get(&item.question_id) else {
            continue;
        };
        let response: Response = serde_json::from_str(&answer.response).unwrap_or_default();
        let key = keys.get(&item.question_id).cloned().unwrap_or_default();
        let score = auto_grade(item.kind, &key, &response, item.points);
        let mut model: attempt_answer::ActiveModel = answer.clone().into();
        model.auto_score = Set(score);
        model.score = Set(score);
        model.needs_grading = Set(score.is_none());
        model.update(&txn).await?;
    }
    finish_if_graded(&txn, a).await?;
    txn.commit().await?;
    Ok(())
}

async fn keys(
    db: &impl ConnectionTrait,
    items: &[PaperItem],
) -> AppResult<HashMap<i64, AnswerKey>> {
    let ids: Vec<i64> = items.iter().map(|i| i.question_id).collect();
    Ok(question::Entity::find()
        .filter(question::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, key_of(&q)))
        .collect())
}

async fn answers(
    db: &impl ConnectionTrait,
    attempt_id: i64,
) -> AppResult<HashMap<i64, attempt_answer::Model>> {
    Ok(attempt_answer::Entity::find()
        .filter(attempt_answer::Column::AttemptId.eq(attempt_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.question_id, a))
        .collect())
}

/// When no answer waits for a tutor: the score, pass or fail, and completion re-evaluated.
async fn finish_if_graded(db: &impl ConnectionTrait, a: quiz_attempt::Model) -> AppResult<()> {
    let answers = answers(db, a.id).await?;
    if answers.values().any(|x| x.needs_grading) {
        return Ok(());
    }
    let q = quiz::Entity::find_by_id(a.quiz_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let score = round_score(answers.values().filter_map(|x| x.score).sum());
    let passed = score >= q.pass_score;
    let teacher_id = a.teacher_id;
    let mut model: quiz_attempt::ActiveModel = a.into();
    model.status = Set(AttemptStatus::Graded);
    model.score = Set(Some(score));
    model.passed = Set(Some(passed));
    model.update(db).await?;
    if q.counts_for_completion {
        completion::reevaluate_teacher(db, teacher_id).await?;
    }
    Ok(())
}

/// A tutor (or manager) grades one short answer of a closed attempt; the last one graded completes the result.
pub async fn grade_answer(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
    question_id: i64,
    input: GradeAnswerInput,
) -> AppResult<AttemptView> {
    let (a, own) = reach(db, principal, id).await?;
    if own {
        return Err(AppError::Forbidden);
    }
    let a = current(db, a).await?;
    if a.status == AttemptStatus::InProgress {
        return Err(AppError::conflict("attempt", m::AttemptRunning));
    }
    let item = paper(&a)
        .into_iter()
        .find(|i| i.question_id == question_id && i.kind == QuestionKind::Short)
        .ok_or_else(|| AppError::field("question_id", m::OnlyShortAnswersGraded))?;
    if input.score > item.points {
        return Err(AppError::field(
            "score",
            m::ScoreAbovePoints { max: item.points },
        ));
    }
    let txn = begin_write(db).await?;
    let answer = attempt_answer::Entity::find()
        .filter(attempt_answer::Column::AttemptId.eq(a.id))
        .filter(attempt_answer::Column::QuestionId.eq(question_id))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::field("question_id", m::QuestionNotAnswered))?;
    let mut model: attempt_answer::ActiveModel = answer.into();
    model.score = Set(Some(round_score(input.score)));
    model.needs_grading = Set(false);
    model.comment = Set(Some(input.comment.trim().into()));
    model.graded_by = Set(Some(principal.account_id));
    model.graded_at = Set(Some(Utc::now()));
    model.update(&txn).await?;
    audit::record_change(
        &txn,
        principal,
        "attempt.grade",
        ("attempt", a.id, &a.path),
        serde_json::json!({ "question_id": question_id, "score": input.score }),
    )
    .await?;
    // A regrade of a graded attempt recomputes its result too.
    let a = quiz_attempt::Entity::find_by_id(a.id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    finish_if_graded(&txn, a).await?;
    txn.commit().await?;
    let a = quiz_attempt::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    attempt_view(db, a, None, Viewer::Staff).await
}

/// Attempts at a quiz: all of them for its staff (filter by status, e.g. `grading`), my own for a teacher.
pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    quiz_id: i64,
    status: Option<AttemptStatus>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<AttemptSummary>> {
    let access = quizzes::access(db, principal, quiz_id).await?;
    let mut q = quiz_attempt::Entity::find().filter(quiz_attempt::Column::QuizId.eq(quiz_id));
    if let QuizRole::Taker(e) = &access.role {
        q = q.filter(quiz_attempt::Column::TeacherId.eq(e.teacher_id));
    }
    if let Some(s) = status {
        q = q.filter(quiz_attempt::Column::Status.eq(s));
    }
    let (page, size, offset) = window(page, page_size)?;
    let (rows, total) = fetch(
        db,
        q.order_by_desc(quiz_attempt::Column::StartedAt)
            .order_by_desc(quiz_attempt::Column::Id),
        offset,
        size,
    )
    .await?;
    let names =
        crate::directory::service::teacher_names(db, rows.iter().map(|a| a.teacher_id)).await?;
    let items = rows
        .into_iter()
        .map(|a| AttemptSummary {
            id: a.id,
            quiz_id: a.quiz_id,
            teacher_id: a.teacher_id,
            teacher_name: names.get(&a.teacher_id).cloned().unwrap_or_default(),
            attempt_no: a.attempt_no,
            status: a.status,
            started_at: a.started_at,
            closed_at: a.closed_at,
            score: a.score,
            passed: a.passed,
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

/// Whether `viewer` may see the keys, explanations and per-question results of attempt `a` of quiz `q`.
async fn keys_shown(
    db: &impl ConnectionTrait,
    a: &quiz_attempt::Model,
    q: &quiz::Model,
    viewer: Viewer,
) -> AppResult<bool> {
    let closed = a.status != AttemptStatus::InProgress;
    if viewer == Viewer::Staff || !closed {
        return Ok(closed);
    }
    let now = Utc::now();
    let mine = quiz_attempt::Entity::find()
        .filter(quiz_attempt::Column::QuizId.eq(q.id))
        .filter(quiz_attempt::Column::TeacherId.eq(a.teacher_id))
        .all(db)
        .await?;
    let standing = TakerStanding {
        attempt_closed: closed,
        attempts_used: mine.len() as i32,
        attempts_allowed: q.attempts_allowed,
        // An attempt past its deadline is closing, not running: the next read closes it.
        running: mine
            .iter()
            .any(|x| x.status == AttemptStatus::InProgress && x.deadline_at > now),
        quiz_closes_at: q.closes_at,
        now,
    };
    Ok(taker_sees_keys(q.key_review, &standing))
}

/// The attempt as its teacher (or a grader) sees it; keys, explanations and per-question results only once it
/// is closed and, for its teacher, once the quiz's review policy allows.
async fn attempt_view(
    db: &impl ConnectionTrait,
    a: quiz_attempt::Model,
    q: Option<&quiz::Model>,
    viewer: Viewer,
) -> AppResult<AttemptView> {
    let q = match q {
        Some(q) => q.clone(),
        None => quiz::Entity::find_by_id(a.quiz_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?,
    };
    let items = paper(&a);
    let ids: Vec<i64> = items.iter().map(|i| i.question_id).collect();
    let bank: HashMap<i64, question::Model> = question::Entity::find()
        .filter(question::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect();
    let answers = answers(db, a.id).await?;
    let shown = keys_shown(db, &a, &q, viewer).await?;
    let mut questions = Vec::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        let Some(bq) = bank.get(&item.question_id) else {
            continue;
        };
        let texts = options_of(bq);
        let answer = answers.get(&item.question_id);
        questions.push(AttemptQuestion {
            question_id: item.question_id,
            position: n as i32 + 1,
            kind: item.kind,
            stem: bq.stem.clone(),
            options: item
                .option_order
                .iter()
                .map(|k| OptionView {
                    key: *k,
                    text: texts.get(*k as usize).cloned().unwrap_or_default(),
                })
                .collect(),
            blanks: item.blanks,
            points: item.points,
            response: answer.and_then(|x| serde_json::from_str(&x.response).ok()),
            saved_at: answer.map(|x| x.saved_at),
            score: answer
                .filter(|_| shown)
                .and_then(|x| x.score)
                .or((shown && answer.is_none()).then_some(0.0)),
            comment: answer.filter(|_| shown).and_then(|x| x.comment.clone()),
            correct_answer: shown.then(|| key_of(bq)),
            explanation: shown.then(|| bq.explanation.clone()),
        });
    }
    let teacher_name = crate::directory::service::teacher_names(db, [a.teacher_id])
        .await?
        .remove(&a.teacher_id)
        .unwrap_or_default();
    Ok(AttemptView {
        id: a.id,
        quiz_id: a.quiz_id,
        quiz_title: q.title,
        teacher_id: a.teacher_id,
        teacher_name,
        attempt_no: a.attempt_no,
        status: a.status,
        started_at: a.started_at,
        deadline_at: a.deadline_at,
        server_now: Utc::now(),
        closed_at: a.closed_at,
        closed_by_timeout: a.closed_by_timeout,
        total_points: q.total_points,
        pass_score: q.pass_score,
        score: a.score,
        passed: a.passed,
        pending_grading: answers.values().filter(|x| x.needs_grading).count() as i32,
        key_review: q.key_review,
        keys_shown: shown,
        quiz_closes_at: q.closes_at,
        questions,
    })
}

/// Closes every attempt whose deadline has passed; returns how many. Run periodically by the worker so an
/// abandoned attempt gets its result without anyone opening it again.
pub async fn close_expired(db: &DatabaseConnection) -> AppResult<usize> {
    let expired: Vec<i64> = quiz_attempt::Entity::find()
        .filter(quiz_attempt::Column::Status.eq(AttemptStatus::InProgress))
        .filter(quiz_attempt::Column::DeadlineAt.lte(Utc::now()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    for id in &expired {
        close(db, *id, true).await?;
    }
    Ok(expired.len())
}

pub async fn run_closer(db: DatabaseConnection, stop: crate::platform::shutdown::Shutdown) {
    loop {
        match stop.or_cancelled(close_expired(&db)).await {
            None => return,
            Some(Err(e)) => tracing::warn!(error = %e, "closing expired attempts failed"),
            Some(Ok(_)) => {}
        }
        if !stop.sleep(std::time::Duration::from_secs(15)).await {
            return;
        }
    }
}
