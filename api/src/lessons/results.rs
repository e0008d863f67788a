//! From reviewers' totals to the round's recommendations. Each lesson's score is the round's aggregation (mean, or
//! drop the highest and lowest) of its submitted totals, its spread max − min; a spread above the round's threshold
//! flags it. A flagged lesson is settled by an override (score and reason, audited) or by an extra reviewer: once a
//! lesson has more submitted totals than `reviewers_per_lesson`, the counted ones are the `reviewers_per_lesson`
//! closest together (the arbiter's score sides with one of the disagreeing reviewers), so the added score can bring
//! the spread back within the threshold. Confirming ranks the lessons and applies the quota (one per slot, one per
//! teacher, never-awarded catalogue nodes first on ties), then opens the 公示.
use crate::platform::i18n::catalogue::lessons as m;

use chrono::{DateTime, Duration, Utc};
use entity::lesson_assignment::LessonReviewStatus;
use entity::{
    lesson, lesson_assignment as assignment, lesson_award as award,
    lesson_catalogue_node as catalogue_node, lesson_objection as objection, lesson_round as round,
    lesson_round_entry as entry,
};
use poem_openapi::{Enum, Object};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, Order, PaginatorTrait,
    QueryFilter, QueryOrder, Set, sea_query::Expr,
};

use super::{
    engine::{self, Scored},
    rounds::{self, LessonAwardLevel, LessonRoundLevel, LessonRoundStatus},
};
use crate::{
    AppState,
    auth::Principal,
    directory::service::{school_names, teacher_names},
    platform::{
        audit,
        db::begin_write,
        error::{AppError, AppResult, FieldError},
        paging::{Page, SortOrder, count_by, fetch, lookup_all, window},
    },
};

/// The totals that count: all of them, or — once an extra reviewer has scored — the `per_entry` closest together.
pub fn counted_totals(totals: &[f64], per_entry: usize) -> Vec<f64> {
    let mut sorted: Vec<f64> = totals.to_vec();
    sorted.sort_by(f64::total_cmp);
    if per_entry == 0 || sorted.len() <= per_entry {
        return sorted;
    }
    let mut best = 0;
    for start in 1..=sorted.len() - per_entry {
        let width = sorted[start + per_entry - 1] - sorted[start];
        let best_width = sorted[best + per_entry - 1] - sorted[best];
        if width < best_width {
            best = start;
        }
    }
    sorted[best..best + per_entry].to_vec()
}

/// Recomputes one entry's score, spread and flag from its submitted reviews.
pub async fn settle_entry(
    db: &impl ConnectionTrait,
    r: &round::Model,
    entry_id: i64,
) -> AppResult<()> {
    let Some(e) = entry::Entity::find_by_id(entry_id).one(db).await? else {
        return Ok(());
    };
    let totals: Vec<f64> = assignment::Entity::find()
        .filter(assignment::Column::EntryId.eq(entry_id))
        .filter(assignment::Column::Status.eq(LessonReviewStatus::Submitted))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| a.total)
        .collect();
    let per_entry = usize::try_from(r.reviewers_per_lesson).unwrap_or(1);
    let counted = counted_totals(&totals, per_entry);
    let score = engine::aggregate(&counted, rounds::aggregation_of(r));
    let spread = (!counted.is_empty()).then(|| engine::spread(&counted));
    let flagged = spread.is_some_and(|s| s > r.spread_threshold);
    if e.score == score && e.spread == spread && e.flagged == flagged {
        return Ok(());
    }
    let mut m: entry::ActiveModel = e.into();
    m.score = Set(score);
    m.spread = Set(spread);
    m.flagged = Set(flagged);
    m.update(db).await?;
    Ok(())
}

/// Settles every entry of the round; returns how many there are.
pub async fn settle_round(db: &impl ConnectionTrait, r: &round::Model) -> AppResult<usize> {
    let ids: Vec<i64> = entry::Entity::find()
        .filter(entry::Column::RoundId.eq(r.id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    for id in &ids {
        settle_entry(db, r, *id).await?;
    }
    Ok(ids.len())
}

/// Closing settles the scores, so it lives with the settling; the round module only knows its states.
/// reviewing → closed: reviewers can read but no longer change anything; every lesson's score is settled.
pub async fn close(
    state: &AppState,
    principal: &Principal,
    id: i64,
) -> AppResult<rounds::LessonRoundView> {
    let r = rounds::managed(&state.db, principal, id).await?;
    rounds::require_status(&r, &[LessonRoundStatus::Reviewing])?;
    let txn = begin_write(&state.db).await?;
    let mut a: round::ActiveModel = r.into();
    a.status = Set(LessonRoundStatus::Closed);
    a.updated_at = Set(Utc::now());
    let r = a.update(&txn).await?;
    let settled = settle_round(&txn, &r).await?;
    audit::record_change(
        &txn,
        principal,
        "lesson.round.close",
        ("lesson_round", r.id, &r.path),
        serde_json::json!({ "entries": settled }),
    )
    .await?;
    txn.commit().await?;
    rounds::view(state, r).await
}

// ───────────── the administrator's view of the entries ─────────────

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonEntryReviewer {
    pub assignment_id: i64,
    pub reviewer_id: i64,
    pub display_name: String,
    pub status: LessonReviewStatus,
    /// The reviewer's total (administrators see it at any time).
    pub total: Option<f64>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonRoundEntryView {
    pub id: i64,
    pub round_id: i64,
    pub lesson_id: i64,
    pub title: String,
    pub teacher_name: String,
    pub school_name: String,
    pub county_name: String,
    pub stage: String,
    pub subject: String,
    pub edition: String,
    pub grade: String,
    pub node: String,
    pub reviewers: Vec<LessonEntryReviewer>,
    /// The aggregate of the counted reviewer totals.
    pub score: Option<f64>,
    pub spread: Option<f64>,
    pub flagged: bool,
    pub override_score: Option<f64>,
    pub override_reason: Option<String>,
    /// What ranking uses: the override when there is one, else the score.
    pub final_score: Option<f64>,
    pub rank: Option<i32>,
    pub recommended: bool,
    /// Why a ranked lesson is not recommended, when it is not.
    pub reason: Option<entry::NotRecommended>,
    pub excluded: bool,
    /// Objections raised against it during the 公示.
    pub objections: u64,
}

pub async fn entry_view(
    state: &AppState,
    db: &impl ConnectionTrait,
    e: entry::Model,
) -> AppResult<LessonRoundEntryView> {
    entry_views(state, db, vec![e])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Views of a page of entries: their lessons, catalogue nodes, names, reviewers and objection counts in one
/// statement each.
async fn entry_views(
    state: &AppState,
    db: &impl ConnectionTrait,
    rows: Vec<entry::Model>,
) -> AppResult<Vec<LessonRoundEntryView>> {
    let lessons = crate::lessons::lessons_by_id(db, rows.iter().map(|e| e.lesson_id)).await?;
    let nodes =
        crate::lessons::catalogue_nodes_by_id(db, lessons.values().map(|l| l.catalogue_node_id))
            .await?;
    let teachers = teacher_names(db, rows.iter().map(|e| e.teacher_id)).await?;
    let schools = school_names(db, rows.iter().map(|e| e.school_id)).await?;
    let assignments = lookup_all(
        db,
        assignment::Entity::find().order_by_asc(assignment::Column::Id),
        assignment::Column::EntryId,
        rows.iter().map(|e| e.id),
        |a| a.entry_id,
    )
    .await?;
    let reviewer_ids: Vec<i64> = assignments
        .values()
        .flatten()
        .map(|a| a.reviewer_id)
        .collect();
    let reviewers = crate::directory::service::accounts_by_id(db, reviewer_ids).await?;
    let objections = count_by(
        db,
        objection::Entity::find(),
        objection::Column::EntryId,
        rows.iter().map(|e| e.id),
    )
    .await?;
    rows.into_iter()
        .map(|e| {
            let l = lessons.get(&e.lesson_id).ok_or(AppError::NotFound)?;
            let (stage, subject, edition, grade, node_text) = nodes
                .get(&l.catalogue_node_id)
                .map(|n| {
                    let n = n.clone();
                    (n.stage, n.subject, n.edition, n.grade, n.node)
                })
                .unwrap_or_default();
            let entry_reviewers = assignments
                .get(&e.id)
                .into_iter()
                .flatten()
                .map(|a| LessonEntryReviewer {
                    assignment_id: a.id,
                    reviewer_id: a.reviewer_id,
                    display_name: reviewers
                        .get(&a.reviewer_id)
                        .map(|x| x.display_name.clone())
                        .unwrap_or_default(),
                    status: a.status,
                    total: a.total,
                })
                .collect();
            Ok(LessonRoundEntryView {
                id: e.id,
                round_id: e.round_id,
                lesson_id: e.lesson_id,
                title: l.title.clone(),
                teacher_name: teachers.get(&e.teacher_id).cloned().unwrap_or_default(),
                school_name: schools.get(&e.school_id).cloned().unwrap_or_default(),
                county_name: state
                    .regions
                    .get(&rounds::county_of(&e.path))
                    .map(|r| r.name.clone())
                    .unwrap_or_default(),
                stage,
                subject,
                edition,
                grade,
                node: node_text,
                reviewers: entry_reviewers,
                score: e.score,
                spread: e.spread,
                flagged: e.flagged,
                final_score: e.override_score.or(e.score),
                override_score: e.override_score,
                override_reason: e.override_reason,
                rank: e.rank,
                recommended: e.recommended,
                reason: e.reason,
                excluded: e.excluded,
                objections: objections.get(&e.id).copied().unwrap_or_default(),
            })
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Default)]
#[oai(rename_all = "snake_case")]
pub enum LessonEntrySort {
    #[default]
    Rank,
    Score,
    Id,
}

pub struct EntryFilter {
    pub flagged: Option<bool>,
    pub recommended: Option<bool>,
    pub sort: LessonEntrySort,
    pub order: Option<SortOrder>,
}

/// The round's lessons with every reviewer's total (administrators over the round).
pub async fn entries(
    state: &AppState,
    principal: &Principal,
    round_id: i64,
    filter: EntryFilter,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<LessonRoundEntryView>> {
    let r = rounds::visible(&state.db, principal, round_id).await?;
    let (page, size, offset) = window(page, page_size)?;
    let mut q = entry::Entity::find().filter(entry::Column::RoundId.eq(r.id));
    if let Some(f) = filter.flagged {
        q = q.filter(entry::Column::Flagged.eq(f));
    }
    if let Some(rec) = filter.recommended {
        q = q.filter(entry::Column::Recommended.eq(rec));
    }
    // Unranked / unscored lessons last on both engines, whatever the direction.
    q = match filter.sort {
        LessonEntrySort::Rank => q
            .order_by(Expr::col(entry::Column::Rank).is_null(), Order::Asc)
            .order_by(
                entry::Column::Rank,
                filter.order.unwrap_or(SortOrder::Asc).to_sea(),
            ),
        LessonEntrySort::Score => q
            .order_by(Expr::col(entry::Column::Score).is_null(), Order::Asc)
            .order_by(
                entry::Column::Score,
                filter.order.unwrap_or(SortOrder::Desc).to_sea(),
            ),
        LessonEntrySort::Id => q.order_by(
            entry::Column::Id,
            filter.order.unwrap_or(SortOrder::Asc).to_sea(),
        ),
    };
    let q = q.order_by_asc(entry::Column::Id);
    let (rows, total) = fetch(&state.db, q, offset, size).await?;
    Ok(Page {
        items: entry_views(state, &state.db, rows).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonOverrideInput {
    #[oai(validator(minimum(value = "0"), maximum(value = "1000")))]
    pub score: f64,
    #[oai(validator(min_length = 1, max_length = 1000))]
    pub reason: String,
}

/// The administrator settles a lesson's score (a disagreement, typically): score and reason are recorded and audited.
pub async fn override_score(
    state: &AppState,
    principal: &Principal,
    round_id: i64,
    entry_id: i64,
    input: LessonOverrideInput,
) -> AppResult<LessonRoundEntryView> {
    let r = rounds::managed(&state.db, principal, round_id).await?;
    rounds::require_status(
        &r,
        &[LessonRoundStatus::Reviewing, LessonRoundStatus::Closed],
    )?;
    let e = entry::Entity::find_by_id(entry_id)
        .filter(entry::Column::RoundId.eq(r.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let max: f64 = rounds::criteria_of(&r).iter().map(|c| c.max_points).sum();
    if input.score > max {
        return Err(AppError::field("score", m::ScoreAboveRubric { max }));
    }
    let reason = input.reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::field("reason", m::ReasonRequired));
    }
    let txn = begin_write(&state.db).await?;
    let before = (e.score, e.override_score);
    let mut m: entry::ActiveModel = e.into();
    m.override_score = Set(Some(input.score));
    m.override_reason = Set(Some(reason.clone()));
    m.override_by = Set(Some(principal.account_id));
    let e = m.update(&txn).await?;
    audit::record_change(
        &txn,
        principal,
        "lesson.round.override",
        ("lesson_round_entry", e.id, &r.path),
        serde_json::json!({
            "round": r.id, "lesson": e.lesson_id, "score": before.0, "previous_override": before.1,
            "override": input.score, "reason": reason,
        }),
    )
    .await?;
    txn.commit().await?;
    entry_view(state, &state.db, e).await
}

/// Whether any earlier 部级优课 was given on the same catalogue node (by its text, in any activity).
async fn node_has_ministry_award(
    db: &impl ConnectionTrait,
    node: &catalogue_node::Model,
    lesson_id: i64,
) -> AppResult<bool> {
    let same_nodes: Vec<i64> = catalogue_node::Entity::find()
        .filter(catalogue_node::Column::Stage.eq(node.stage.as_str()))
        .filter(catalogue_node::Column::Subject.eq(node.subject.as_str()))
        .filter(catalogue_node::Column::Edition.eq(node.edition.as_str()))
        .filter(catalogue_node::Column::Grade.eq(node.grade.as_str()))
        .filter(catalogue_node::Column::Volume.eq(node.volume.as_str()))
        .filter(catalogue_node::Column::Chapter.eq(node.chapter.as_str()))
        .filter(catalogue_node::Column::Node.eq(node.node.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|n| n.id)
        .collect();
    let lessons: Vec<i64> = lesson::Entity::find()
        .filter(lesson::Column::CatalogueNodeId.is_in(same_nodes))
        .filter(lesson::Column::Id.ne(lesson_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.id)
        .collect();
    if lessons.is_empty() {
        return Ok(false);
    }
    Ok(award::Entity::find()
        .filter(award::Column::Level.eq(LessonAwardLevel::Ministry))
        .filter(award::Column::LessonId.is_in(lessons))
        .count(db)
        .await?
        > 0)
}

/// closed → publicity: ranks, applies the quota and stores the proposed recommendations; the 公示 runs
/// `publicity_days` from now. Refused while a flagged lesson has neither an override nor an arbiter's score.
pub async fn confirm(
    state: &AppState,
    principal: &Principal,
    round_id: i64,
) -> AppResult<rounds::LessonRoundView> {
    let r = rounds::managed(&state.db, principal, round_id).await?;
    rounds::require_status(&r, &[LessonRoundStatus::Closed])?;
    let txn = begin_write(&state.db).await?;
    settle_round(&txn, &r).await?;
    let all = entry::Entity::find()
        .filter(entry::Column::RoundId.eq(r.id))
        .order_by_asc(entry::Column::Id)
        .all(&txn)
        .await?;
    let unresolved: Vec<FieldError> = all
        .iter()
        .filter(|e| e.flagged && e.override_score.is_none())
        .map(|e| {
            FieldError::new(
                format!("entries[{}]", e.id),
                m::SpreadTooWide {
                    spread: e.spread.unwrap_or_default(),
                    max: r.spread_threshold,
                },
            )
        })
        .collect();
    if !unresolved.is_empty() {
        return Err(AppError::rule(m::FlaggedUnresolved, unresolved));
    }
    let mut scored = Vec::with_capacity(all.len());
    for e in &all {
        let l = lesson::Entity::find_by_id(e.lesson_id).one(&txn).await?;
        let node = match &l {
            Some(l) => {
                catalogue_node::Entity::find_by_id(l.catalogue_node_id)
                    .one(&txn)
                    .await?
            }
            None => None,
        };
        let priority = match &node {
            Some(n) => !node_has_ministry_award(&txn, n, e.lesson_id).await?,
            None => true,
        };
        scored.push(Scored {
            entry_id: e.id,
            score: e.override_score.or(e.score),
            teacher_id: e.teacher_id,
            slot: e.slot.clone(),
            priority,
            eligible: !e.excluded,
        });
    }
    let quota = rounds::LessonRoundQuota::of(&r).engine();
    let ranked = engine::rank_and_select(&scored, quota);
    let mut recommended = Vec::new();
    for line in &ranked {
        let Some(e) = all.iter().find(|e| e.id == line.entry_id) else {
            continue;
        };
        let mut m: entry::ActiveModel = e.clone().into();
        m.rank = Set(line.rank.and_then(|x| i32::try_from(x).ok()));
        m.recommended = Set(line.recommended);
        m.reason = Set(line.reason);
        m.update(&txn).await?;
        if line.recommended {
            recommended.push(e.lesson_id);
        }
    }
    let now = Utc::now();
    let days = r.publicity_days;
    let mut a: round::ActiveModel = r.into();
    a.status = Set(LessonRoundStatus::Publicity);
    a.publicity_ends_at = Set(Some(now + Duration::days(i64::from(days))));
    a.updated_at = Set(now);
    let r = a.update(&txn).await?;
    audit::record_change(
        &txn,
        principal,
        "lesson.round.confirm",
        ("lesson_round", r.id, &r.path),
        serde_json::json!({ "recommended": recommended, "publicity_ends_at": r.publicity_ends_at }),
    )
    .await?;
    txn.commit().await?;
    rounds::view(state, r).await
}

// ───────────── what the teacher sees after publication ─────────────

/// One published round's result for a lesson, as its teacher sees it.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonRoundResult {
    pub round_id: i64,
    pub level: LessonRoundLevel,
    pub round_name: String,
    pub score: Option<f64>,
    pub rank: Option<i32>,
    pub recommended: bool,
    /// The lesson holds this round's award.
    pub awarded: bool,
    /// The reviewers' overall comments, without their names.
    pub comments: Vec<String>,
    pub published_at: DateTime<Utc>,
}

/// The lesson's results in every published round, oldest first (nothing of a round before it is published).
pub async fn published_results(
    db: &impl ConnectionTrait,
    lesson_id: i64,
) -> AppResult<Vec<LessonRoundResult>> {
    let mut out = Vec::new();
    for e in entry::Entity::find()
        .filter(entry::Column::LessonId.eq(lesson_id))
        .order_by_asc(entry::Column::Id)
        .all(db)
        .await?
    {
        let Some(r) = round::Entity::find_by_id(e.round_id).one(db).await? else {
            continue;
        };
        if rounds::status_of(&r) != LessonRoundStatus::Published {
            continue;
        }
        let comments = assignment::Entity::find()
            .filter(assignment::Column::EntryId.eq(e.id))
            .filter(assignment::Column::Status.eq(LessonReviewStatus::Submitted))
            .order_by_asc(assignment::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .filter_map(|a| a.comment)
            .filter(|c| !c.trim().is_empty())
            .collect();
        let awarded = award::Entity::find()
            .filter(award::Column::LessonId.eq(lesson_id))
            .filter(award::Column::RoundId.eq(r.id))
            .count(db)
            .await?
            > 0;
        out.push(LessonRoundResult {
            round_id: r.id,
            level: r.level,
            round_name: r.name.clone(),
            score: e.override_score.or(e.score),
            rank: e.rank,
            recommended: e.recommended,
            awarded,
            comments,
            published_at: r.updated_at,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::counted_totals;

    #[test]
    fn an_arbiter_counts_with_the_closest_scores() {
        assert_eq!(counted_totals(&[90.0, 60.0], 2), vec![60.0, 90.0]);
        assert_eq!(counted_totals(&[90.0, 60.0, 88.0], 2), vec![88.0, 90.0]);
        assert_eq!(
            counted_totals(&[70.0, 60.0, 62.0, 90.0], 3),
            vec![60.0, 62.0, 70.0]
        );
        assert!(counted_totals(&[], 3).is_empty());
    }
}
