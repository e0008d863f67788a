//! Review rounds (评审轮次): one per level (county → city → province) and region of an activity, run by a
//! `lesson.round` administrator whose grant is bound to a node of that very level — a province administrator does
//! not run a county's round, each level runs its own. A round collects its entries when it is made (county: the
//! county's checked lessons; city and province: the lessons awarded one level below inside the region) and moves
//! draft → reviewing → closed → publicity → published.
mod reviewing;

use crate::platform::i18n::{self, catalogue::lessons as m, t};
use entity::lesson_assignment::LessonReviewStatus;
pub use reviewing::{ReminderJobs, mail_reviewer, run_reminder, start};

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use entity::{
    lesson, lesson_activity as activity, lesson_assignment as assignment, lesson_award as award,
    lesson_catalogue_node as catalogue_node, lesson_round as round, lesson_round_entry as entry,
    lesson_rubric as rubric,
};
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoSimpleExpr, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};

use super::engine::{Aggregation, Quota};
use crate::inbox::{self, NoticeKind};
use crate::{
    AppState,
    access::{NodeLevel, Permission},
    auth::Principal,
    platform::{
        audit,
        db::begin_write,
        error::{AppError, AppResult, FieldError, map_unique},
        jobs,
        paging::{Page, count_by, fetch, lookup, window},
    },
};

pub use entity::lesson_award::LessonAwardLevel;
pub use entity::lesson_round::{LessonQuotaKind, LessonRoundLevel, LessonRoundStatus};

/// The ladder of review levels: which node level runs a round, what a lesson needs to enter it, what it awards
/// and where the recommended lessons go next.
pub trait RoundLevelRules {
    /// The node level whose `lesson.round` grant runs rounds of this level.
    fn node_level(self) -> NodeLevel;
    /// The award a lesson must hold to enter a round of this level (None: the school-checked lessons).
    fn entry_award(self) -> Option<LessonAwardLevel>;
    /// The award a recommended lesson receives when the round is published.
    fn award(self) -> LessonAwardLevel;
    /// The level whose round the recommended lessons enter next.
    fn next(self) -> Option<LessonRoundLevel>;
}

impl RoundLevelRules for LessonRoundLevel {
    fn node_level(self) -> NodeLevel {
        match self {
            LessonRoundLevel::County => NodeLevel::County,
            LessonRoundLevel::City => NodeLevel::City,
            LessonRoundLevel::Province => NodeLevel::Province,
        }
    }

    fn entry_award(self) -> Option<LessonAwardLevel> {
        match self {
            LessonRoundLevel::County => None,
            LessonRoundLevel::City => Some(LessonAwardLevel::County),
            LessonRoundLevel::Province => Some(LessonAwardLevel::City),
        }
    }

    fn award(self) -> LessonAwardLevel {
        match self {
            LessonRoundLevel::County => LessonAwardLevel::County,
            LessonRoundLevel::City => LessonAwardLevel::City,
            LessonRoundLevel::Province => LessonAwardLevel::Province,
        }
    }

    fn next(self) -> Option<LessonRoundLevel> {
        match self {
            LessonRoundLevel::County => Some(LessonRoundLevel::City),
            LessonRoundLevel::City => Some(LessonRoundLevel::Province),
            LessonRoundLevel::Province => None,
        }
    }
}

/// A round state's name in the current language.
fn status_label(status: LessonRoundStatus) -> String {
    match status {
        LessonRoundStatus::Draft => t(m::RoundDraft),
        LessonRoundStatus::Reviewing => t(m::RoundReviewing),
        LessonRoundStatus::Closed => t(m::RoundClosed),
        LessonRoundStatus::Publicity => t(m::RoundPublicity),
        LessonRoundStatus::Published => t(m::RoundPublished),
    }
}

/// How many lessons the round may recommend.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonRoundQuota {
    pub kind: LessonQuotaKind,
    #[oai(validator(minimum(value = "0"), maximum(value = "100000")))]
    pub value: i32,
}

impl LessonRoundQuota {
    pub fn of(r: &round::Model) -> LessonRoundQuota {
        LessonRoundQuota {
            kind: r.quota_kind,
            value: r.quota_value,
        }
    }

    pub fn engine(&self) -> Quota {
        let v = u32::try_from(self.value).unwrap_or(0);
        match self.kind {
            LessonQuotaKind::Percent => Quota::Percent(v),
            LessonQuotaKind::Fixed => Quota::Fixed(v),
        }
    }
}

/// One criterion of the rubric the round copied when it was made.
#[derive(Debug, Clone, Object, Serialize, Deserialize)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonRoundCriterion {
    pub key: String,
    pub name: String,
    pub max_points: f64,
    #[oai(skip_serializing_if_is_none)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonRoundRubric {
    pub id: i64,
    pub name: String,
    pub criteria: Vec<LessonRoundCriterion>,
    pub total: f64,
}

pub fn criteria_of(r: &round::Model) -> Vec<LessonRoundCriterion> {
    serde_json::from_str(&r.criteria).unwrap_or_default()
}

pub fn aggregation_of(r: &round::Model) -> Aggregation {
    r.aggregation
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonRoundInput {
    pub activity_id: i64,
    /// Must be the level of the node the caller's `lesson.round` grant is bound to.
    pub level: LessonRoundLevel,
    /// The region (6-digit code) the round serves; defaults to the caller's node of that level.
    pub region_code: Option<String>,
    #[oai(validator(min_length = 1, max_length = 200))]
    pub name: String,
    pub rubric_id: i64,
    #[oai(validator(minimum(value = "1"), maximum(value = "15")))]
    pub reviewers_per_lesson: i32,
    /// Reviewers see nothing identifying the teacher, school or region.
    pub blind: bool,
    /// 回避 the reviewer's own county too (their own school is always avoided). Only for city and province
    /// rounds: a county round's pool is all of its own county.
    pub same_county_conflict: bool,
    pub aggregation: Aggregation,
    /// Reviewer totals further apart than this (max − min) flag the lesson for the administrator.
    #[oai(validator(minimum(value = "0"), maximum(value = "1000")))]
    pub spread_threshold: f64,
    pub quota: LessonRoundQuota,
    pub deadline: DateTime<Utc>,
    /// Reminders to reviewers with unscored lessons, this many days before the deadline.
    #[oai(default, validator(max_items = 10))]
    pub reminder_days: Vec<i32>,
    /// Length of the 公示 in days.
    #[oai(validator(minimum(value = "0"), maximum(value = "60")))]
    pub publicity_days: i32,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonRoundView {
    pub id: i64,
    pub activity_id: i64,
    pub level: LessonRoundLevel,
    pub region_code: String,
    pub region_name: String,
    pub name: String,
    pub rubric: LessonRoundRubric,
    pub reviewers_per_lesson: i32,
    pub blind: bool,
    pub same_county_conflict: bool,
    pub aggregation: Aggregation,
    pub spread_threshold: f64,
    pub quota: LessonRoundQuota,
    pub deadline: DateTime<Utc>,
    pub reminder_days: Vec<i32>,
    pub publicity_days: i32,
    pub status: LessonRoundStatus,
    pub publicity_ends_at: Option<DateTime<Utc>>,
    /// Lessons competing in the round.
    pub entries: u64,
    /// Reviewer assignments made.
    pub assigned: u64,
    pub submitted_reviews: u64,
    /// Lessons whose reviewers disagree by more than the threshold.
    pub flagged: u64,
}

pub fn status_of(r: &round::Model) -> LessonRoundStatus {
    r.status
}

pub async fn view(state: &AppState, r: round::Model) -> AppResult<LessonRoundView> {
    views(state, vec![r]).await?.pop().ok_or(AppError::NotFound)
}

/// Views of a page of rounds: their entry and review counts and rubrics in one statement each.
async fn views(state: &AppState, rows: Vec<round::Model>) -> AppResult<Vec<LessonRoundView>> {
    let db = &state.db;
    let ids = || rows.iter().map(|r| r.id);
    let entries = count_by(db, entry::Entity::find(), entry::Column::RoundId, ids()).await?;
    let flagged = count_by(
        db,
        entry::Entity::find().filter(entry::Column::Flagged.eq(true)),
        entry::Column::RoundId,
        ids(),
    )
    .await?;
    let assigned = count_by(
        db,
        assignment::Entity::find(),
        assignment::Column::RoundId,
        ids(),
    )
    .await?;
    let submitted_reviews = count_by(
        db,
        assignment::Entity::find()
            .filter(assignment::Column::Status.eq(LessonReviewStatus::Submitted)),
        assignment::Column::RoundId,
        ids(),
    )
    .await?;
    let rubrics = lookup(
        db,
        rubric::Entity::find(),
        rubric::Column::Id,
        rows.iter().map(|r| r.rubric_id),
        |x| x.id,
    )
    .await?;
    let count = |counts: &HashMap<i64, u64>, r: &round::Model| {
        counts.get(&r.id).copied().unwrap_or_default()
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let rubric_name = rubrics
                .get(&r.rubric_id)
                .map(|x| x.name.clone())
                .unwrap_or_default();
            let counts = RoundCounts {
                entries: count(&entries, &r),
                flagged: count(&flagged, &r),
                assigned: count(&assigned, &r),
                submitted_reviews: count(&submitted_reviews, &r),
            };
            round_view(state, r, rubric_name, counts)
        })
        .collect())
}

/// What a round's view counts of its entries and review assignments.
struct RoundCounts {
    entries: u64,
    flagged: u64,
    assigned: u64,
    submitted_reviews: u64,
}

fn round_view(
    state: &AppState,
    r: round::Model,
    rubric_name: String,
    counts: RoundCounts,
) -> LessonRoundView {
    let criteria = criteria_of(&r);
    let total = criteria.iter().map(|c| c.max_points).sum();
    LessonRoundView {
        id: r.id,
        activity_id: r.activity_id,
        level: r.level,
        region_name: state
            .regions
            .get(&r.region_code)
            .map(|x| x.name.clone())
            .unwrap_or_default(),
        region_code: r.region_code.clone(),
        name: r.name.clone(),
        rubric: LessonRoundRubric {
            id: r.rubric_id,
            name: rubric_name,
            criteria,
            total,
        },
        reviewers_per_lesson: r.reviewers_per_lesson,
        blind: r.blind,
        same_county_conflict: r.same_county_conflict,
        aggregation: aggregation_of(&r),
        spread_threshold: r.spread_threshold,
        quota: LessonRoundQuota::of(&r),
        deadline: r.deadline,
        reminder_days: serde_json::from_str(&r.reminder_days).unwrap_or_default(),
        publicity_days: r.publicity_days,
        status: status_of(&r),
        publicity_ends_at: r.publicity_ends_at,
        entries: counts.entries,
        assigned: counts.assigned,
        submitted_reviews: counts.submitted_reviews,
        flagged: counts.flagged,
    }
}

// ───────────── who may see and run a round ─────────────

/// Administrators over the round's region see it (a city administrator the county rounds of the city).
pub fn can_read(principal: &Principal, r: &round::Model) -> bool {
    crate::access::sees(principal, Permission::LessonRound, r)
}

/// Only a grant bound to a node of the round's own level runs it: each level runs its own rounds.
pub fn can_manage(principal: &Principal, r: &round::Model) -> bool {
    principal
        .scope_at(Permission::LessonRound, r.level.node_level())
        .covers(&r.path)
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<round::Model> {
    round::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

impl crate::access::Scoped for round::Model {
    fn scope_path(&self) -> &str {
        &self.path
    }
}

/// A round the caller may read (404 otherwise).
pub async fn visible(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<round::Model> {
    crate::access::find_visible::<round::Entity>(db, principal, Permission::LessonRound, id).await
}

/// A round the caller runs: 404 when they cannot see it, 403 when they see it from another level.
pub async fn managed(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<round::Model> {
    let r = find(db, id).await?;
    if can_manage(principal, &r) {
        Ok(r)
    } else if can_read(principal, &r) {
        Err(AppError::Forbidden)
    } else {
        Err(AppError::NotFound)
    }
}

/// 409 unless the round is in one of `allowed`.
pub fn require_status(r: &round::Model, allowed: &[LessonRoundStatus]) -> AppResult<()> {
    let status = status_of(r);
    if allowed.contains(&status) {
        return Ok(());
    }
    let separator = match i18n::current_lang() {
        i18n::Lang::Zh => "、",
        i18n::Lang::En => " or ",
    };
    let wanted: Vec<String> = allowed.iter().map(|s| status_label(*s)).collect();
    Err(AppError::conflict(
        "status",
        m::RoundWrongStatus {
            status: status_label(status),
            allowed: wanted.join(separator),
        },
    ))
}

// ───────────── create, list, get, update ─────────────

struct Checked {
    region: entity::region::Model,
    criteria: String,
    reminder_days: Vec<i32>,
}

async fn check_input(
    state: &AppState,
    principal: &Principal,
    input: &LessonRoundInput,
) -> AppResult<Checked> {
    principal.require_somewhere(Permission::LessonRound)?;
    let mut errors = Vec::new();
    let mine = principal.scope_at(Permission::LessonRound, input.level.node_level());
    let named = input
        .region_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let region = match named {
        Some(code) => state
            .regions
            .get(code)
            .filter(|r| r.level == input.level.node_level() && mine.prefixes.contains(&r.path))
            .cloned(),
        None if mine.prefixes.len() == 1 => state
            .regions
            .all()
            .find(|r| r.path == mine.prefixes[0])
            .cloned(),
        None => None,
    };
    if region.is_none() && named.is_some() {
        // A region that does not exist, is outside my area or is not of the round's level: told apart from none.
        errors.push(FieldError::new("region_code", m::RoundRegion));
    } else if region.is_none() {
        errors.push(FieldError::new("level", m::RoundLevel));
    }
    if activity::Entity::find_by_id(input.activity_id)
        .one(&state.db)
        .await?
        .is_none()
    {
        errors.push(FieldError::new("activity_id", m::NoSuchActivity));
    }
    // The rubrics a round may use are Part A's to decide (the default one, and those of my area and above).
    let rubric = match super::pool::usable_rubric(&state.db, principal, input.rubric_id).await {
        Ok(r) => Some(r),
        Err(AppError::Validation(mut e)) => {
            errors.append(&mut e);
            None
        }
        Err(e) => return Err(e),
    };
    let criteria = match &rubric {
        Some(x) => {
            let parsed: Vec<LessonRoundCriterion> =
                serde_json::from_str(&x.criteria).unwrap_or_default();
            if parsed.is_empty() {
                errors.push(FieldError::new("rubric_id", m::RubricNoCriteria));
            }
            serde_json::to_string(&parsed).map_err(AppError::internal)?
        }
        None => String::new(),
    };
    if input.name.trim().is_empty() {
        errors.push(FieldError::new("name", m::RoundNameRequired));
    }
    // A county pool holds only reviewers bound in the county, so this 回避 would exclude all of them.
    if input.same_county_conflict && input.level == LessonRoundLevel::County {
        errors.push(FieldError::new(
            "same_county_conflict",
            m::CountyRoundSameCounty,
        ));
    }
    if input.quota.kind == LessonQuotaKind::Percent && input.quota.value > 100 {
        errors.push(FieldError::new("quota.value", m::PercentAbove100));
    }
    let mut reminder_days = input.reminder_days.clone();
    reminder_days.sort_unstable();
    reminder_days.dedup();
    if reminder_days.iter().any(|d| !(1..=60).contains(d)) {
        errors.push(FieldError::new("reminder_days", m::ReminderDays));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Checked {
        region: region.ok_or(AppError::Forbidden)?,
        criteria,
        reminder_days,
    })
}

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: LessonRoundInput,
) -> AppResult<LessonRoundView> {
    let checked = check_input(state, principal, &input).await?;
    let now = Utc::now();
    let txn = begin_write(&state.db).await?;
    let r = round::ActiveModel {
        activity_id: Set(input.activity_id),
        level: Set(input.level),
        region_code: Set(checked.region.code.clone()),
        path: Set(checked.region.path.clone()),
        name: Set(input.name.trim().to_string()),
        rubric_id: Set(input.rubric_id),
        criteria: Set(checked.criteria),
        reviewers_per_lesson: Set(input.reviewers_per_lesson),
        blind: Set(input.blind),
        same_county_conflict: Set(input.same_county_conflict),
        aggregation: Set(input.aggregation),
        spread_threshold: Set(input.spread_threshold),
        quota_kind: Set(input.quota.kind),
        quota_value: Set(input.quota.value),
        deadline: Set(input.deadline),
        reminder_days: Set(
            serde_json::to_string(&checked.reminder_days).map_err(AppError::internal)?
        ),
        publicity_days: Set(input.publicity_days),
        status: Set(LessonRoundStatus::Draft),
        publicity_ends_at: Set(None),
        created_by: Set(principal.account_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| map_unique(e, "level", m::RoundExists))?;
    let collected = collect_entries(&txn, &r).await?;
    audit::record_change(
        &txn,
        principal,
        "lesson.round.create",
        ("lesson_round", r.id, &r.path),
        serde_json::json!({ "level": r.level, "region": r.region_code, "name": r.name, "entries": collected }),
    )
    .await?;
    txn.commit().await?;
    view(state, r).await
}

/// Edits a draft round (its activity, level and region stay); newly eligible lessons are collected again.
pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: i64,
    input: LessonRoundInput,
) -> AppResult<LessonRoundView> {
    let r = managed(&state.db, principal, id).await?;
    require_status(&r, &[LessonRoundStatus::Draft])?;
    let mut input = input;
    let unchangeable = m::RoundFixed;
    if input.activity_id != r.activity_id {
        return Err(AppError::field("activity_id", unchangeable));
    }
    if input.level != r.level {
        return Err(AppError::field("level", unchangeable));
    }
    if input
        .region_code
        .as_deref()
        .is_some_and(|c| c.trim() != r.region_code)
    {
        return Err(AppError::field("region_code", unchangeable));
    }
    input.region_code = Some(r.region_code.clone());
    let checked = check_input(state, principal, &input).await?;
    let txn = begin_write(&state.db).await?;
    let mut a: round::ActiveModel = r.into();
    a.name = Set(input.name.trim().to_string());
    a.rubric_id = Set(input.rubric_id);
    a.criteria = Set(checked.criteria);
    a.reviewers_per_lesson = Set(input.reviewers_per_lesson);
    a.blind = Set(input.blind);
    a.same_county_conflict = Set(input.same_county_conflict);
    a.aggregation = Set(input.aggregation);
    a.spread_threshold = Set(input.spread_threshold);
    a.quota_kind = Set(input.quota.kind);
    a.quota_value = Set(input.quota.value);
    a.deadline = Set(input.deadline);
    a.reminder_days =
        Set(serde_json::to_string(&checked.reminder_days).map_err(AppError::internal)?);
    a.publicity_days = Set(input.publicity_days);
    a.updated_at = Set(Utc::now());
    let r = a.update(&txn).await?;
    let collected = collect_entries(&txn, &r).await?;
    audit::record_change(
        &txn,
        principal,
        "lesson.round.update",
        ("lesson_round", r.id, &r.path),
        serde_json::json!({ "name": r.name, "collected": collected }),
    )
    .await?;
    txn.commit().await?;
    view(state, r).await
}

pub async fn get(state: &AppState, principal: &Principal, id: i64) -> AppResult<LessonRoundView> {
    let r = visible(&state.db, principal, id).await?;
    view(state, r).await
}

pub struct RoundFilter {
    pub activity_id: Option<i64>,
    pub level: Option<LessonRoundLevel>,
    pub status: Option<LessonRoundStatus>,
}

/// Rounds of my area, newest first.
pub async fn list(
    state: &AppState,
    principal: &Principal,
    filter: RoundFilter,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<LessonRoundView>> {
    let (page, size, offset) = window(page, page_size)?;
    let scope = principal.scope(Permission::LessonRound);
    let mut q =
        round::Entity::find().filter(scope.condition(round::Column::Path.into_simple_expr(), None));
    if let Some(a) = filter.activity_id {
        q = q.filter(round::Column::ActivityId.eq(a));
    }
    if let Some(l) = filter.level {
        q = q.filter(round::Column::Level.eq(l));
    }
    if let Some(s) = filter.status {
        q = q.filter(round::Column::Status.eq(s));
    }
    let (rows, total) = fetch(&state.db, q.order_by_desc(round::Column::Id), offset, size).await?;
    Ok(Page {
        items: views(state, rows).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

// ───────────── entries ─────────────

/// `grade|subject|edition|node`: at most one recommended lesson per slot.
pub fn slot_of(node: &catalogue_node::Model) -> String {
    format!(
        "{}|{}|{}|{}",
        node.grade, node.subject, node.edition, node.id
    )
}

/// The county code of a school path (`/510000/510100/510104/2151000001/` → `510104`).
pub fn county_of(path: &str) -> String {
    path.split('/')
        .filter(|s| !s.is_empty())
        .nth(2)
        .unwrap_or_default()
        .to_string()
}

/// Adds the lessons that belong in a round and are not in it yet; returns how many were added.
pub async fn collect_entries(db: &impl ConnectionTrait, r: &round::Model) -> AppResult<usize> {
    let lessons: Vec<lesson::Model> = match r.level.entry_award() {
        None => {
            lesson::Entity::find()
                .filter(lesson::Column::ActivityId.eq(r.activity_id))
                .filter(lesson::Column::Status.eq(lesson::LessonStatus::Checked))
                .filter(crate::access::under(
                    lesson::Column::Path.into_simple_expr(),
                    &r.path,
                ))
                .order_by_asc(lesson::Column::Id)
                .all(db)
                .await?
        }
        Some(level) => {
            let ids: Vec<i64> = award::Entity::find()
                .filter(award::Column::ActivityId.eq(r.activity_id))
                .filter(award::Column::Level.eq(level))
                .filter(crate::access::under(
                    award::Column::Path.into_simple_expr(),
                    &r.path,
                ))
                .all(db)
                .await?
                .into_iter()
                .map(|a| a.lesson_id)
                .collect();
            if ids.is_empty() {
                Vec::new()
            } else {
                lesson::Entity::find()
                    .filter(lesson::Column::Id.is_in(ids))
                    .order_by_asc(lesson::Column::Id)
                    .all(db)
                    .await?
            }
        }
    };
    add_entries(db, r, &lessons).await
}

/// Puts `lessons` into the round (those already in it are skipped).
pub async fn add_entries(
    db: &impl ConnectionTrait,
    r: &round::Model,
    lessons: &[lesson::Model],
) -> AppResult<usize> {
    let present: HashSet<i64> = entry::Entity::find()
        .filter(entry::Column::RoundId.eq(r.id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.lesson_id)
        .collect();
    let mut added = 0;
    for l in lessons.iter().filter(|l| !present.contains(&l.id)) {
        let Some(node) = catalogue_node::Entity::find_by_id(l.catalogue_node_id)
            .one(db)
            .await?
        else {
            continue;
        };
        entry::ActiveModel {
            round_id: Set(r.id),
            lesson_id: Set(l.id),
            teacher_id: Set(l.teacher_id),
            school_id: Set(l.school_id),
            path: Set(l.path.clone()),
            slot: Set(slot_of(&node)),
            score: Set(None),
            spread: Set(None),
            flagged: Set(false),
            override_score: Set(None),
            override_reason: Set(None),
            override_by: Set(None),
            rank: Set(None),
            recommended: Set(false),
            reason: Set(None),
            excluded: Set(false),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        added += 1;
    }
    Ok(added)
}
