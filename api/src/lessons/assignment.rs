//! Who reviews what: the round's pool is the reviewers certified into the round's own region; the engine hands
//! each lesson its reviewers deterministically and evenly, never across a conflict (回避: the reviewer's own school
//! always, their county when the round says so, and every conflict declared for the activity — a teacher's
//! lessons or a whole school's). When the pool cannot cover every lesson nothing is written and the answer names
//! each uncovered lesson. Administrators may add a reviewer by hand (a disagreement's arbiter) or take one off.
use crate::platform::i18n::catalogue::lessons as m;

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{
    lesson, lesson_assignment as assignment, lesson_conflict as conflict, lesson_reviewer as pool,
    lesson_round as round, lesson_round_entry as entry,
};
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait, QueryFilter,
    QueryOrder, Set,
};

use super::{
    engine::{self, ConflictRules, PoolReviewer, RoundEntry},
    rounds::{self, LessonRoundStatus},
};
use crate::{
    auth::Principal,
    platform::{
        audit,
        db::begin_write,
        error::{AppError, AppResult, FieldError, map_unique},
    },
};

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonAssignOutcome {
    /// Assignments made by this call.
    pub assigned: u64,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonManualAssignment {
    pub entry_id: i64,
    /// The reviewer's account id; they must be in the round's pool.
    pub reviewer_id: i64,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonAssignmentView {
    pub id: i64,
    pub round_id: i64,
    pub entry_id: i64,
    pub reviewer_id: i64,
    pub display_name: String,
    pub status: super::reviews::LessonReviewStatus,
    pub total: Option<f64>,
    pub assigned_at: DateTime<Utc>,
}

async fn assignment_view(
    db: &impl ConnectionTrait,
    a: assignment::Model,
) -> AppResult<LessonAssignmentView> {
    let display_name = entity::account::Entity::find_by_id(a.reviewer_id)
        .one(db)
        .await?
        .map(|x| x.display_name)
        .unwrap_or_default();
    Ok(LessonAssignmentView {
        id: a.id,
        round_id: a.round_id,
        entry_id: a.entry_id,
        reviewer_id: a.reviewer_id,
        display_name,
        status: a.status,
        total: a.total,
        assigned_at: a.assigned_at,
    })
}

/// The round's pool: reviewers certified into exactly the round's region.
pub async fn pool_of(db: &impl ConnectionTrait, r: &round::Model) -> AppResult<Vec<pool::Model>> {
    Ok(pool::Entity::find()
        .filter(pool::Column::Path.eq(r.path.as_str()))
        .order_by_asc(pool::Column::AccountId)
        .all(db)
        .await?)
}

/// The round's 回避 rules: its county setting and every declared conflict of the activity, as (reviewer, entry).
pub async fn rules_of(
    db: &impl ConnectionTrait,
    r: &round::Model,
    entries: &[entry::Model],
) -> AppResult<ConflictRules> {
    let mut declared = HashSet::new();
    for c in conflict::Entity::find()
        .filter(conflict::Column::ActivityId.eq(r.activity_id))
        .all(db)
        .await?
    {
        for e in entries {
            if c.teacher_id == Some(e.teacher_id) || c.school_id == Some(e.school_id) {
                declared.insert((c.reviewer_id, e.id));
            }
        }
    }
    Ok(ConflictRules {
        same_county: r.same_county_conflict,
        declared,
    })
}

fn engine_entry(e: &entry::Model, assigned: Vec<i64>) -> RoundEntry {
    RoundEntry {
        id: e.id,
        school_id: e.school_id,
        county_code: rounds::county_of(&e.path),
        assigned,
    }
}

fn engine_reviewer(p: &pool::Model, load: u32) -> PoolReviewer {
    PoolReviewer {
        id: p.account_id,
        school_id: p.home_school_id,
        county_code: p.home_county.clone(),
        load,
    }
}

async fn lesson_title(db: &impl ConnectionTrait, lesson_id: i64) -> AppResult<String> {
    Ok(lesson::Entity::find_by_id(lesson_id)
        .one(db)
        .await?
        .map(|l| l.title)
        .unwrap_or_default())
}

/// Fills every lesson of a draft round up to `reviewers_per_lesson` (existing assignments stay).
pub async fn auto_assign(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    round_id: i64,
) -> AppResult<LessonAssignOutcome> {
    let r = rounds::managed(db, principal, round_id).await?;
    rounds::require_status(&r, &[LessonRoundStatus::Draft])?;
    let txn = begin_write(db).await?;
    let entries = entry::Entity::find()
        .filter(entry::Column::RoundId.eq(r.id))
        .order_by_asc(entry::Column::Id)
        .all(&txn)
        .await?;
    let existing = assignment::Entity::find()
        .filter(assignment::Column::RoundId.eq(r.id))
        .all(&txn)
        .await?;
    let mut by_entry: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut loads: BTreeMap<i64, u32> = BTreeMap::new();
    for a in &existing {
        by_entry.entry(a.entry_id).or_default().push(a.reviewer_id);
        *loads.entry(a.reviewer_id).or_insert(0) += 1;
    }
    let engine_entries: Vec<RoundEntry> = entries
        .iter()
        .map(|e| engine_entry(e, by_entry.get(&e.id).cloned().unwrap_or_default()))
        .collect();
    let reviewers: Vec<PoolReviewer> = pool_of(&txn, &r)
        .await?
        .iter()
        .map(|p| engine_reviewer(p, loads.get(&p.account_id).copied().unwrap_or(0)))
        .collect();
    let rules = rules_of(&txn, &r, &entries).await?;
    let per_entry = u32::try_from(r.reviewers_per_lesson).unwrap_or(1);
    let pairs = match engine::assign(&engine_entries, &reviewers, per_entry, &rules) {
        Ok(pairs) => pairs,
        Err(shortfalls) => {
            let mut errors = Vec::with_capacity(shortfalls.len());
            for s in shortfalls {
                let lesson_id = entries
                    .iter()
                    .find(|e| e.id == s.entry_id)
                    .map(|e| e.lesson_id)
                    .unwrap_or_default();
                let title = lesson_title(&txn, lesson_id).await?;
                errors.push(FieldError::new(
                    format!("entries[{}]", s.entry_id),
                    m::PoolShortForLesson {
                        title,
                        needed: s.needed.into(),
                        count: s.eligible.into(),
                    },
                ));
            }
            return Err(AppError::rule(m::PoolInsufficient, errors));
        }
    };
    let now = Utc::now();
    for (entry_id, reviewer_id) in &pairs {
        assignment::ActiveModel {
            round_id: Set(r.id),
            entry_id: Set(*entry_id),
            reviewer_id: Set(*reviewer_id),
            status: Set(super::reviews::LessonReviewStatus::Assigned),
            scores: Set("[]".into()),
            total: Set(None),
            comment: Set(None),
            assigned_by: Set(Some(principal.account_id)),
            assigned_at: Set(now),
            saved_at: Set(None),
            submitted_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record_change(
        &txn,
        principal,
        "lesson.round.assign",
        ("lesson_round", r.id, &r.path),
        serde_json::json!({ "assigned": pairs.len(), "pool": reviewers.len() }),
    )
    .await?;
    txn.commit().await?;
    Ok(LessonAssignOutcome {
        assigned: pairs.len() as u64,
    })
}

/// Adds one reviewer to one lesson (draft or reviewing): a reviewer of the pool, free of conflicts with it.
pub async fn add(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    round_id: i64,
    input: LessonManualAssignment,
) -> AppResult<LessonAssignmentView> {
    let r = rounds::managed(db, principal, round_id).await?;
    rounds::require_status(
        &r,
        &[LessonRoundStatus::Draft, LessonRoundStatus::Reviewing],
    )?;
    let e = entry::Entity::find_by_id(input.entry_id)
        .filter(entry::Column::RoundId.eq(r.id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("entry_id", m::NoSuchEntry))?;
    let member = pool_of(db, &r)
        .await?
        .into_iter()
        .find(|p| p.account_id == input.reviewer_id)
        .ok_or_else(|| AppError::field("reviewer_id", m::ReviewerNotInPool))?;
    let rules = rules_of(db, &r, std::slice::from_ref(&e)).await?;
    if engine::conflicts(
        &engine_reviewer(&member, 0),
        &engine_entry(&e, vec![]),
        &rules,
    ) {
        return Err(AppError::field("reviewer_id", m::ReviewerConflict));
    }
    let txn = begin_write(db).await?;
    let a = assignment::ActiveModel {
        round_id: Set(r.id),
        entry_id: Set(e.id),
        reviewer_id: Set(member.account_id),
        status: Set(super::reviews::LessonReviewStatus::Assigned),
        scores: Set("[]".into()),
        total: Set(None),
        comment: Set(None),
        assigned_by: Set(Some(principal.account_id)),
        assigned_at: Set(Utc::now()),
        saved_at: Set(None),
        submitted_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| map_unique(err, "reviewer_id", m::ReviewerAlreadyAssigned))?;
    if rounds::status_of(&r) == LessonRoundStatus::Reviewing {
        rounds::mail_reviewer(
            &txn,
            &r,
            a.reviewer_id,
            1,
            &format!("lesson-round:{}:added:{}", r.id, a.id),
            false,
        )
        .await?;
    }
    audit::record_change(
        &txn,
        principal,
        "lesson.round.assignment.add",
        ("lesson_round", r.id, &r.path),
        serde_json::json!({ "assignment": a.id, "entry": e.id, "reviewer": a.reviewer_id }),
    )
    .await?;
    txn.commit().await?;
    assignment_view(db, a).await
}

/// Takes a reviewer off a lesson, as long as they have not submitted.
pub async fn remove(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    round_id: i64,
    assignment_id: i64,
) -> AppResult<()> {
    let r = rounds::managed(db, principal, round_id).await?;
    rounds::require_status(
        &r,
        &[LessonRoundStatus::Draft, LessonRoundStatus::Reviewing],
    )?;
    let a = assignment::Entity::find_by_id(assignment_id)
        .filter(assignment::Column::RoundId.eq(r.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if a.status == super::reviews::LessonReviewStatus::Submitted {
        return Err(AppError::conflict("assignment_id", m::ReviewSubmittedStays));
    }
    let txn = begin_write(db).await?;
    let detail =
        serde_json::json!({ "assignment": a.id, "entry": a.entry_id, "reviewer": a.reviewer_id });
    a.delete(&txn).await?;
    audit::record_change(
        &txn,
        principal,
        "lesson.round.assignment.remove",
        ("lesson_round", r.id, &r.path),
        detail,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
