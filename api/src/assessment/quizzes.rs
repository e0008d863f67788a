//! Quizzes and exams (测验/考试) of a program, or of one of its classes: a fixed paper of bank questions or a
//! random one (N questions per tag / difficulty), a window, a time limit, attempts allowed and a pass score.
//! Who may do what to a quiz — manage it, grade it, take it — is decided once, in [`access`].
use std::collections::{BTreeSet, HashMap};

use crate::platform::i18n::catalogue::assessment as m;

use chrono::{DateTime, Utc};
use entity::enrollment::ReviewStatus;
pub use entity::quiz::{PaperMode, QuizStatus};
use entity::quiz_attempt::AttemptStatus;
use entity::{enrollment, question, quiz, quiz_attempt, training_class};
use poem_openapi::{Enum, Object};
use rand::{
    Rng, SeedableRng,
    seq::{IndexedRandom, SliceRandom},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoSimpleExpr,
    QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};

use super::{
    bank::{key_of, options_of, tags_of, to_json},
    grading::QuestionKind,
    key_review::KeyReview,
};
use crate::{
    access::{Permission, Scope},
    auth::Principal,
    platform::{
        audit,
        db::begin_write,
        error::{AppError, AppResult, FieldError},
        paging::{Page, fetch, lookup_all, window},
    },
    training::{classes, programs},
};

#[derive(Debug, Clone, Object, Serialize, Deserialize, PartialEq)]
#[oai(skip_serializing_if_is_none)]
pub struct FixedItem {
    pub question_id: i64,
    /// Points on this paper (default: the question's own).
    #[oai(validator(minimum(value = "0.5"), maximum(value = "100")))]
    pub points: Option<f64>,
}

/// One section of a random paper: `count` questions matching every given filter, `points` each.
#[derive(Debug, Clone, Object, Serialize, Deserialize, PartialEq)]
#[oai(skip_serializing_if_is_none)]
pub struct PaperSection {
    #[oai(validator(max_length = 32))]
    pub tag: Option<String>,
    #[oai(validator(minimum(value = "1"), maximum(value = "5")))]
    pub difficulty: Option<i32>,
    pub kind: Option<QuestionKind>,
    #[oai(validator(max_length = 32))]
    pub subject: Option<String>,
    #[oai(validator(minimum(value = "1"), maximum(value = "200")))]
    pub count: i32,
    #[oai(validator(minimum(value = "0.5"), maximum(value = "100")))]
    pub points: f64,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct QuizInput {
    #[oai(validator(min_length = 1, max_length = 128))]
    pub title: String,
    #[oai(default, validator(max_length = 5000))]
    pub description: String,
    /// A class of the program (a course's quiz); none for the whole program.
    pub class_id: Option<i64>,
    pub mode: PaperMode,
    /// The questions of a fixed paper, in order.
    #[oai(default, validator(max_items = 200))]
    pub items: Vec<FixedItem>,
    /// The sections of a random paper.
    #[oai(default, validator(max_items = 20))]
    pub sections: Vec<PaperSection>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    #[oai(validator(minimum(value = "1"), maximum(value = "600")))]
    pub time_limit_minutes: i32,
    #[oai(validator(minimum(value = "1"), maximum(value = "20")))]
    pub attempts_allowed: i32,
    #[oai(validator(minimum(value = "0")))]
    pub pass_score: f64,
    #[oai(default)]
    pub shuffle_options: bool,
    /// Passing it is required for the program's completion.
    #[oai(default)]
    pub counts_for_completion: bool,
    /// When teachers see the answer keys, explanations and per-question results (default: after the quiz
    /// closes). Managers and tutors see them in every closed attempt.
    #[oai(default)]
    pub key_review: KeyReview,
}

/// How far I am with a quiz (teachers).
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MyQuizStatus {
    pub attempts_used: i32,
    pub best_score: Option<f64>,
    pub passed: bool,
    /// An attempt running now, to resume.
    pub active_attempt_id: Option<i64>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct QuizView {
    pub id: i64,
    pub program_id: i64,
    pub class_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub mode: PaperMode,
    /// The fixed paper (managers only).
    pub items: Vec<FixedItem>,
    /// The random paper's sections (managers only).
    pub sections: Vec<PaperSection>,
    pub question_count: i32,
    pub total_points: f64,
    pub pass_score: f64,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub time_limit_minutes: i32,
    pub attempts_allowed: i32,
    pub shuffle_options: bool,
    pub counts_for_completion: bool,
    /// When teachers see the answer keys, explanations and per-question results.
    pub key_review: KeyReview,
    pub status: QuizStatus,
    /// What the caller is to this quiz.
    pub my_role: QuizRoleName,
    pub mine: Option<MyQuizStatus>,
    pub created_at: DateTime<Utc>,
}

/// The stored paper: the fixed items or the random sections.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
struct StoredPaper {
    #[serde(default)]
    items: Vec<FixedItem>,
    #[serde(default)]
    sections: Vec<PaperSection>,
}

fn paper_of(q: &quiz::Model) -> StoredPaper {
    serde_json::from_str(&q.paper).unwrap_or_default()
}

/// What the caller is to a quiz.
#[derive(Debug, Clone, PartialEq)]
pub enum QuizRole {
    /// Holds program.manage over the program's owner.
    Manager,
    /// Tutors the quiz's class (or, for a program-wide quiz, a class of the program): grades short answers.
    Tutor,
    /// A teacher with an approved enrolment (placed in the class, for a class quiz).
    Taker(enrollment::Model),
}

/// [`QuizRole`] as the API shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum QuizRoleName {
    Manager,
    Tutor,
    Taker,
}

impl QuizRole {
    fn name(&self) -> QuizRoleName {
        match self {
            QuizRole::Manager => QuizRoleName::Manager,
            QuizRole::Tutor => QuizRoleName::Tutor,
            QuizRole::Taker(_) => QuizRoleName::Taker,
        }
    }
}

pub struct QuizAccess {
    pub quiz: quiz::Model,
    pub role: QuizRole,
}

impl QuizAccess {
    pub fn require_staff(&self) -> AppResult<()> {
        match self.role {
            QuizRole::Manager | QuizRole::Tutor => Ok(()),
            QuizRole::Taker(_) => Err(AppError::Forbidden),
        }
    }

    pub fn require_manager(&self) -> AppResult<()> {
        match self.role {
            QuizRole::Manager => Ok(()),
            _ => Err(AppError::Forbidden),
        }
    }
}

/// The caller's relation to a quiz; 404 when they have none (a draft is invisible to takers).
pub async fn access(
    db: &impl ConnectionTrait,
    principal: &Principal,
    quiz_id: i64,
) -> AppResult<QuizAccess> {
    let quiz = quiz::Entity::find_by_id(quiz_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = role_of(db, principal, &quiz)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(QuizAccess { quiz, role })
}

async fn role_of(
    db: &impl ConnectionTrait,
    principal: &Principal,
    quiz: &quiz::Model,
) -> AppResult<Option<QuizRole>> {
    // A manager's role needs nothing read; anyone else's comes from where they stand.
    if principal.can(Permission::ProgramManage, &quiz.path) {
        return Ok(Some(QuizRole::Manager));
    }
    Ok(Standing::load(db, principal).await?.role(principal, quiz))
}

/// Where the caller stands towards quizzes: the classes they tutor or sit in and their approved enrolments by
/// program, read once so a whole page of quizzes gets its roles without further statements.
struct Standing {
    reach: classes::Reach,
    approved: HashMap<i64, enrollment::Model>,
}

impl Standing {
    async fn load(db: &impl ConnectionTrait, principal: &Principal) -> AppResult<Self> {
        let reach = classes::reach(db, principal).await?;
        let approved = match principal.teacher_id {
            Some(teacher_id) => enrollment::Entity::find()
                .filter(enrollment::Column::TeacherId.eq(teacher_id))
                .filter(enrollment::Column::ReviewStatus.eq(ReviewStatus::Approved))
                .order_by_desc(enrollment::Column::Id)
                .all(db)
                .await?
                .into_iter()
                .map(|e| (e.program_id, e))
                .collect(),
            None => HashMap::new(),
        };
        Ok(Self { reach, approved })
    }

    fn role(&self, principal: &Principal, quiz: &quiz::Model) -> Option<QuizRole> {
        if principal.can(Permission::ProgramManage, &quiz.path) {
            return Some(QuizRole::Manager);
        }
        if self.tutors(quiz) {
            return Some(QuizRole::Tutor);
        }
        if quiz.status != QuizStatus::Published {
            return None;
        }
        self.taker_enrolment(quiz).cloned().map(QuizRole::Taker)
    }

    fn tutors(&self, quiz: &quiz::Model) -> bool {
        self.reach.tutored.iter().any(|c| match quiz.class_id {
            Some(class_id) => c.id == class_id,
            None => c.program_id == quiz.program_id,
        })
    }

    /// An approved enrolment in the quiz's program, placed in its class for a class quiz.
    fn taker_enrolment(&self, quiz: &quiz::Model) -> Option<&enrollment::Model> {
        let e = self.approved.get(&quiz.program_id)?;
        match quiz.class_id {
            Some(class_id) => self
                .reach
                .placed
                .iter()
                .any(|(m, c)| c.id == class_id && m.enrollment_id == e.id)
                .then_some(e),
            None => Some(e),
        }
    }
}

/// Questions a quiz at `path` may draw: active, in the bank of its node, of the nodes above it or below it.
pub(crate) fn pool(path: &str) -> sea_orm::Select<question::Entity> {
    let scope = Scope {
        prefixes: vec![path.to_string()],
        own_teacher: None,
    };
    question::Entity::find()
        .filter(question::Column::Active.eq(true))
        .filter(scope.reach_condition(question::Column::OwnerPath.into_simple_expr()))
}

fn section_matches(s: &PaperSection, q: &question::Model) -> bool {
    s.tag
        .as_ref()
        .is_none_or(|t| tags_of(q).iter().any(|x| x == t.trim()))
        && s.difficulty.is_none_or(|d| d == q.difficulty)
        && s.kind.is_none_or(|k| k == q.kind)
        && s.subject.as_ref().is_none_or(|x| x.trim() == q.subject)
}

/// A drawn paper item; the attempt stores these, so the paper survives bank edits.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PaperItem {
    pub question_id: i64,
    pub kind: QuestionKind,
    pub points: f64,
    /// Option keys in the order shown (choice questions).
    #[serde(default)]
    pub option_order: Vec<i32>,
    /// Number of blanks (fill-in questions).
    #[serde(default)]
    pub blanks: i32,
}

fn item(q: &question::Model, points: f64, shuffle: bool, rng: &mut impl Rng) -> PaperItem {
    let kind = q.kind;
    let mut option_order: Vec<i32> = (0..options_of(q).len() as i32).collect();
    if shuffle {
        option_order.shuffle(rng);
    }
    PaperItem {
        question_id: q.id,
        kind,
        points,
        option_order,
        blanks: key_of(q).blanks.map(|b| b.len() as i32).unwrap_or(0),
    }
}

/// Draws a paper for one attempt: the fixed items in order, or for each section `count` distinct questions
/// at random from those matching it (a question drawn by one section is not drawn again). Errors name the
/// section that the bank cannot fill.
pub(crate) async fn compose(
    db: &impl ConnectionTrait,
    q: &quiz::Model,
) -> AppResult<Vec<PaperItem>> {
    let paper = paper_of(q);
    // A Send generator: the draw sits between awaits.
    let rng = &mut rand::rngs::StdRng::from_os_rng();
    match q.mode {
        PaperMode::Fixed => {
            let ids: Vec<i64> = paper.items.iter().map(|i| i.question_id).collect();
            let found = pool(&q.path)
                .filter(question::Column::Id.is_in(ids))
                .all(db)
                .await?;
            paper
                .items
                .iter()
                .enumerate()
                .map(|(n, i)| {
                    let question =
                        found
                            .iter()
                            .find(|f| f.id == i.question_id)
                            .ok_or_else(|| {
                                AppError::field(format!("items[{n}]"), m::QuestionMissingOrRetired)
                            })?;
                    Ok(item(
                        question,
                        i.points.unwrap_or(question.points),
                        q.shuffle_options,
                        rng,
                    ))
                })
                .collect()
        }
        PaperMode::Random => {
            let candidates = pool(&q.path)
                .order_by_asc(question::Column::Id)
                .all(db)
                .await?;
            let mut taken = BTreeSet::new();
            let mut items = Vec::new();
            for (n, s) in paper.sections.iter().enumerate() {
                let matching: Vec<&question::Model> = candidates
                    .iter()
                    .filter(|c| !taken.contains(&c.id) && section_matches(s, c))
                    .collect();
                if matching.len() < s.count as usize {
                    return Err(AppError::field(
                        format!("sections[{n}]"),
                        m::BankTooFewMatching {
                            count: matching.len() as i64,
                            needed: s.count.into(),
                        },
                    ));
                }
                for chosen in matching.choose_multiple(rng, s.count as usize) {
                    taken.insert(chosen.id);
                    items.push(item(chosen, s.points, q.shuffle_options, rng));
                }
            }
            Ok(items)
        }
    }
}

/// Points and question count of a paper as configured (a random paper's total is known from its sections).
async fn totals(db: &impl ConnectionTrait, path: &str, input: &QuizInput) -> AppResult<(f64, i32)> {
    Ok(match input.mode {
        PaperMode::Random => (
            input
                .sections
                .iter()
                .map(|s| s.points * f64::from(s.count))
                .sum(),
            input.sections.iter().map(|s| s.count).sum(),
        ),
        PaperMode::Fixed => {
            let ids: Vec<i64> = input.items.iter().map(|i| i.question_id).collect();
            let found = pool(path)
                .filter(question::Column::Id.is_in(ids))
                .all(db)
                .await?;
            let mut total = 0.0;
            for (n, i) in input.items.iter().enumerate() {
                let q = found
                    .iter()
                    .find(|f| f.id == i.question_id)
                    .ok_or_else(|| {
                        AppError::field(format!("items[{n}]"), m::QuestionOutsideBank)
                    })?;
                total += i.points.unwrap_or(q.points);
            }
            (total, input.items.len() as i32)
        }
    })
}

fn check(input: &QuizInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if input.closes_at <= input.opens_at {
        errors.push(FieldError::new("closes_at", m::QuizClosesBeforeOpens));
    }
    match input.mode {
        PaperMode::Fixed if input.items.is_empty() => {
            errors.push(FieldError::new("items", m::FixedPaperNeedsQuestions))
        }
        PaperMode::Random if input.sections.is_empty() => {
            errors.push(FieldError::new("sections", m::RandomPaperNeedsSections))
        }
        _ => {}
    }
    let ids: BTreeSet<i64> = input.items.iter().map(|i| i.question_id).collect();
    if ids.len() != input.items.len() {
        errors.push(FieldError::new("items", m::QuestionRepeated));
    }
    errors
}

/// Validates an input against the program and the bank; returns the stored paper and totals.
async fn prepare(
    db: &impl ConnectionTrait,
    program_id: i64,
    path: &str,
    input: &QuizInput,
) -> AppResult<(String, f64, i32)> {
    let errors = check(input);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if let Some(class_id) = input.class_id {
        let class = training_class::Entity::find_by_id(class_id).one(db).await?;
        if class.is_none_or(|c| c.program_id != program_id) {
            return Err(AppError::field("class_id", m::ClassNotInProgram));
        }
    }
    let (total, count) = totals(db, path, input).await?;
    if input.pass_score > total {
        return Err(AppError::field(
            "pass_score",
            m::PassScoreAboveTotal { max: total },
        ));
    }
    let paper = match input.mode {
        PaperMode::Fixed => StoredPaper {
            items: input.items.clone(),
            sections: Vec::new(),
        },
        PaperMode::Random => StoredPaper {
            items: Vec::new(),
            sections: input.sections.clone(),
        },
    };
    Ok((to_json(&paper)?, total, count))
}

fn fill(model: &mut quiz::ActiveModel, input: &QuizInput, paper: String, total: f64) {
    model.class_id = Set(input.class_id);
    model.title = Set(input.title.trim().into());
    model.description = Set(input.description.trim().into());
    model.mode = Set(input.mode);
    model.paper = Set(paper);
    model.opens_at = Set(input.opens_at);
    model.closes_at = Set(input.closes_at);
    model.time_limit_minutes = Set(input.time_limit_minutes);
    model.attempts_allowed = Set(input.attempts_allowed);
    model.pass_score = Set(input.pass_score);
    model.total_points = Set(total);
    model.shuffle_options = Set(input.shuffle_options);
    model.counts_for_completion = Set(input.counts_for_completion);
    model.key_review = Set(input.key_review);
}

/// A new quiz of a program I manage, as a draft.
pub async fn create(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    program_id: i64,
    input: QuizInput,
) -> AppResult<QuizView> {
    let p = programs::find_visible(db, principal, program_id).await?;
    if !principal.can(Permission::ProgramManage, &p.owner_path) {
        return Err(AppError::Forbidden);
    }
    let (paper, total, _) = prepare(db, p.id, &p.owner_path, &input).await?;
    let txn = begin_write(db).await?;
    let mut model = quiz::ActiveModel {
        program_id: Set(p.id),
        path: Set(p.owner_path.clone()),
        status: Set(QuizStatus::Draft),
        created_by: Set(principal.account_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    fill(&mut model, &input, paper, total);
    let q = model.insert(&txn).await?;
    audit::record_change(
        &txn,
        principal,
        "quiz.create",
        ("quiz", q.id, &q.path),
        serde_json::json!({ "title": q.title, "mode": q.mode }),
    )
    .await?;
    txn.commit().await?;
    view(db, principal, q, QuizRole::Manager).await
}

/// Changes a draft quiz (a published one is fixed: attempts may already rely on it).
pub async fn update(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
    input: QuizInput,
) -> AppResult<QuizView> {
    let a = access(db, principal, id).await?;
    a.require_manager()?;
    if a.quiz.status != QuizStatus::Draft {
        return Err(AppError::conflict("status", m::QuizPublishedImmutable));
    }
    let (paper, total, _) = prepare(db, a.quiz.program_id, &a.quiz.path, &input).await?;
    let txn = begin_write(db).await?;
    let mut model: quiz::ActiveModel = a.quiz.into();
    fill(&mut model, &input, paper, total);
    let q = model.update(&txn).await?;
    audit::record_change(
        &txn,
        principal,
        "quiz.update",
        ("quiz", q.id, &q.path),
        serde_json::json!({ "title": q.title }),
    )
    .await?;
    txn.commit().await?;
    view(db, principal, q, QuizRole::Manager).await
}

/// Publishes a draft once its paper can be drawn from the bank as it is now.
pub async fn publish(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
) -> AppResult<QuizView> {
    let a = access(db, principal, id).await?;
    a.require_manager()?;
    if a.quiz.status != QuizStatus::Draft {
        return Err(AppError::conflict("status", m::QuizAlreadyPublished));
    }
    compose(db, &a.quiz).await?;
    let txn = begin_write(db).await?;
    let mut model: quiz::ActiveModel = a.quiz.into();
    model.status = Set(QuizStatus::Published);
    let q = model.update(&txn).await?;
    audit::record_change(
        &txn,
        principal,
        "quiz.publish",
        ("quiz", q.id, &q.path),
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    view(db, principal, q, QuizRole::Manager).await
}

pub async fn get(db: &impl ConnectionTrait, principal: &Principal, id: i64) -> AppResult<QuizView> {
    let a = access(db, principal, id).await?;
    view(db, principal, a.quiz, a.role).await
}

/// My attempts at each of `quiz_ids` summed up, in one statement however many quizzes.
async fn my_statuses(
    db: &impl ConnectionTrait,
    quiz_ids: impl IntoIterator<Item = i64>,
    teacher_id: i64,
) -> AppResult<HashMap<i64, MyQuizStatus>> {
    let attempts = lookup_all(
        db,
        quiz_attempt::Entity::find().filter(quiz_attempt::Column::TeacherId.eq(teacher_id)),
        quiz_attempt::Column::QuizId,
        quiz_ids,
        |a| a.quiz_id,
    )
    .await?;
    Ok(attempts
        .into_iter()
        .map(|(quiz_id, attempts)| (quiz_id, my_status(&attempts)))
        .collect())
}

fn my_status(attempts: &[quiz_attempt::Model]) -> MyQuizStatus {
    MyQuizStatus {
        attempts_used: attempts.len() as i32,
        best_score: attempts.iter().filter_map(|a| a.score).reduce(f64::max),
        passed: attempts.iter().any(|a| a.passed == Some(true)),
        active_attempt_id: attempts
            .iter()
            .find(|a| a.status == AttemptStatus::InProgress && a.deadline_at > Utc::now())
            .map(|a| a.id),
    }
}

async fn view(
    db: &impl ConnectionTrait,
    principal: &Principal,
    q: quiz::Model,
    role: QuizRole,
) -> AppResult<QuizView> {
    let mine = match (&role, principal.teacher_id) {
        (QuizRole::Taker(_), Some(t)) => Some(
            my_statuses(db, [q.id], t)
                .await?
                .remove(&q.id)
                .unwrap_or_else(|| my_status(&[])),
        ),
        _ => None,
    };
    Ok(quiz_view(q, role, mine))
}

fn quiz_view(q: quiz::Model, role: QuizRole, mine: Option<MyQuizStatus>) -> QuizView {
    let paper = paper_of(&q);
    let question_count = match q.mode {
        PaperMode::Fixed => paper.items.len() as i32,
        PaperMode::Random => paper.sections.iter().map(|s| s.count).sum(),
    };
    let staff = role == QuizRole::Manager;
    QuizView {
        id: q.id,
        program_id: q.program_id,
        class_id: q.class_id,
        mode: q.mode,
        items: if staff { paper.items } else { Vec::new() },
        sections: if staff { paper.sections } else { Vec::new() },
        question_count,
        title: q.title,
        description: q.description,
        total_points: q.total_points,
        pass_score: q.pass_score,
        opens_at: q.opens_at,
        closes_at: q.closes_at,
        time_limit_minutes: q.time_limit_minutes,
        attempts_allowed: q.attempts_allowed,
        shuffle_options: q.shuffle_options,
        counts_for_completion: q.counts_for_completion,
        key_review: q.key_review,
        status: q.status,
        my_role: role.name(),
        mine,
        created_at: q.created_at,
    }
}

/// Quizzes of programs I manage, of classes I tutor, and the published ones I may take.
pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    program_id: Option<i64>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<QuizView>> {
    let standing = Standing::load(db, principal).await?;
    let mut any = principal
        .scope(Permission::ProgramManage)
        .condition(quiz::Column::Path.into_simple_expr(), None);
    let tutored_programs: Vec<i64> = standing
        .reach
        .tutored
        .iter()
        .map(|c| c.program_id)
        .collect();
    if !tutored_programs.is_empty() {
        any = Condition::any()
            .add(any)
            .add(quiz::Column::ProgramId.is_in(tutored_programs));
    }
    if principal.teacher_id.is_some() {
        let enrolled: Vec<i64> = standing.approved.keys().copied().collect();
        let placed: Vec<i64> = standing.reach.placed.iter().map(|(_, c)| c.id).collect();
        any = Condition::any().add(any).add(
            Condition::all()
                .add(quiz::Column::ProgramId.is_in(enrolled))
                .add(quiz::Column::Status.eq(QuizStatus::Published))
                .add(
                    Condition::any()
                        .add(quiz::Column::ClassId.is_null())
                        .add(quiz::Column::ClassId.is_in(placed)),
                ),
        );
    }
    let mut q = quiz::Entity::find().filter(any);
    if let Some(p) = program_id {
        q = q.filter(quiz::Column::ProgramId.eq(p));
    }
    let (page, size, offset) = window(page, page_size)?;
    let (rows, total) = fetch(
        db,
        q.order_by_desc(quiz::Column::OpensAt)
            .order_by_desc(quiz::Column::Id),
        offset,
        size,
    )
    .await?;
    let mine = match principal.teacher_id {
        Some(t) => my_statuses(db, rows.iter().map(|q| q.id), t).await?,
        None => HashMap::new(),
    };
    let items = rows
        .into_iter()
        .map(|quiz| {
            let role = standing.role(principal, &quiz).ok_or(AppError::NotFound)?;
            let my = matches!(role, QuizRole::Taker(_)).then(|| {
                mine.get(&quiz.id)
                    .cloned()
                    .unwrap_or_else(|| my_status(&[]))
            });
            Ok(quiz_view(quiz, role, my))
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Page {
        items,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}
