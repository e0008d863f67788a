//! The reviewer's workspace: my assignments only (another reviewer's is a 404), from the moment the round starts;
//! scoring while it is reviewing, read-only after it closes. In a blind round nothing a reviewer receives names the
//! teacher, the school or the region — not the lesson, not an item's file name, not a download's
//! `Content-Disposition`. A reviewer never sees another reviewer's scores.
use super::{ItemKind, lesson::items_of_lessons};
use crate::platform::i18n::{self, catalogue::lessons as m};

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    file, lesson_assignment as assignment, lesson_item as item, lesson_round as round,
    lesson_round_entry as entry,
};
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};

use super::rounds::{self, LessonRoundCriterion, LessonRoundStatus};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    directory::service::{school_names, teacher_names},
    platform::{
        audit,
        db::begin_write,
        error::{AppError, AppResult, FieldError},
        paging::{Page, fetch, lookup, window},
    },
};

pub use entity::lesson_assignment::LessonReviewStatus;

/// The lesson as a reviewer sees it: the teacher and school only in a round that is not blind.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonReviewLesson {
    pub title: String,
    pub stage: String,
    pub subject: String,
    pub edition: String,
    pub grade: String,
    pub volume: String,
    pub chapter: String,
    pub node: String,
    pub lesson_no: i32,
    #[oai(skip_serializing_if_is_none)]
    pub teacher_name: Option<String>,
    #[oai(skip_serializing_if_is_none)]
    pub school_name: Option<String>,
}

/// An item of the lesson; in a blind round its name is neutral (`课堂实录.mp4`).
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonReviewItem {
    pub id: i64,
    pub kind: ItemKind,
    pub material_type: Option<super::MaterialType>,
    pub name: String,
    pub size: i64,
    pub content_type: String,
    /// A video's probe result (codecs, size, duration and the checks); nothing in it names anyone.
    pub media: Option<crate::files::media::MediaView>,
    /// A poster frame is served at `…/items/{item_id}/poster`.
    pub has_poster: bool,
}

/// One criterion's points (and an optional remark).
#[derive(Debug, Clone, Object, Serialize, Deserialize)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonReviewScore {
    pub key: String,
    pub points: f64,
    #[oai(skip_serializing_if_is_none)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonReviewView {
    pub assignment_id: i64,
    pub round_id: i64,
    pub round_name: String,
    pub deadline: DateTime<Utc>,
    pub blind: bool,
    /// Scores can be saved (the round is reviewing and this review is not submitted).
    pub editable: bool,
    pub status: LessonReviewStatus,
    pub lesson: LessonReviewLesson,
    pub items: Vec<LessonReviewItem>,
    pub criteria: Vec<LessonRoundCriterion>,
    pub scores: Vec<LessonReviewScore>,
    pub total: Option<f64>,
    pub comment: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonReviewInput {
    #[oai(validator(max_items = 50))]
    pub scores: Vec<LessonReviewScore>,
    /// The overall comment (shown to the teacher, without the reviewer's name, once the round is published).
    #[oai(validator(max_length = 2000))]
    pub comment: Option<String>,
    /// Submit as final: every criterion is required then, and nothing can change afterwards.
    #[oai(default)]
    pub submit: bool,
}

/// `课堂实录.mp4`, `素材-2.pdf`: the kind, a number when the kind repeats, and the original extension.
pub fn neutral_name(kind: ItemKind, index: usize, original: &str) -> String {
    let ext = original
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()));
    let number = if index > 0 {
        format!("-{}", index + 1)
    } else {
        String::new()
    };
    match ext {
        Some(ext) => format!("{}{number}.{ext}", super::item_label(kind)),
        None => format!("{}{number}", super::item_label(kind)),
    }
}

/// The items of a lesson with the names a reviewer of `r` sees, in a stable order.
pub async fn items_for(
    db: &impl ConnectionTrait,
    r: &round::Model,
    lesson_id: i64,
) -> AppResult<Vec<(item::Model, file::Model, String)>> {
    let items = items_of_lessons(db, [lesson_id])
        .await?
        .remove(&lesson_id)
        .unwrap_or_default();
    Ok(named_items(r, items))
}

/// Each item with the name a reviewer sees: neutral in a blind round, the file's own otherwise.
fn named_items(
    r: &round::Model,
    items: Vec<(item::Model, file::Model)>,
) -> Vec<(item::Model, file::Model, String)> {
    let mut out: Vec<(item::Model, file::Model, String)> = Vec::with_capacity(items.len());
    for (it, f) in items {
        let name = if r.blind {
            let index = out.iter().filter(|(o, _, _)| o.kind == it.kind).count();
            neutral_name(it.kind, index, &f.name)
        } else {
            f.name.clone()
        };
        out.push((it, f, name));
    }
    out
}

pub fn scores_of(a: &assignment::Model) -> Vec<LessonReviewScore> {
    serde_json::from_str(&a.scores).unwrap_or_default()
}

async fn view(
    db: &impl ConnectionTrait,
    a: assignment::Model,
    r: &round::Model,
) -> AppResult<LessonReviewView> {
    views(db, vec![a], &HashMap::from([(r.id, r.clone())]))
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Views of a page of assignments (whose rounds are in `rounds`): entries, lessons, nodes, names and items in
/// one statement each.
async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<assignment::Model>,
    round_of: &HashMap<i64, round::Model>,
) -> AppResult<Vec<LessonReviewView>> {
    let entries = crate::lessons::entries_by_id(db, rows.iter().map(|a| a.entry_id)).await?;
    let lessons = crate::lessons::lessons_by_id(db, entries.values().map(|e| e.lesson_id)).await?;
    let nodes =
        crate::lessons::catalogue_nodes_by_id(db, lessons.values().map(|l| l.catalogue_node_id))
            .await?;
    let teachers = teacher_names(db, lessons.values().map(|l| l.teacher_id)).await?;
    let schools = school_names(db, lessons.values().map(|l| l.school_id)).await?;
    let items = items_of_lessons(db, lessons.keys().copied()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for a in rows {
        let r = round_of.get(&a.round_id).ok_or(AppError::NotFound)?;
        let e = entries.get(&a.entry_id).ok_or(AppError::NotFound)?;
        let l = lessons.get(&e.lesson_id).ok_or(AppError::NotFound)?;
        let node = nodes
            .get(&l.catalogue_node_id)
            .ok_or(AppError::NotFound)?
            .clone();
        let (teacher_name, school_name) = if r.blind {
            (None, None)
        } else {
            (
                teachers.get(&l.teacher_id).cloned(),
                schools.get(&l.school_id).cloned(),
            )
        };
        let lesson_items = items.get(&l.id).cloned().unwrap_or_default();
        let items = named_items(r, lesson_items)
            .into_iter()
            .map(|(it, f, name)| LessonReviewItem {
                id: it.id,
                kind: it.kind,
                material_type: it.material_type,
                name,
                size: f.size,
                media: crate::files::media::media_checks(&f),
                has_poster: f.poster_key.is_some(),
                content_type: f.content_type,
            })
            .collect();
        let l = l.clone();
        let status = a.status;
        out.push(LessonReviewView {
            assignment_id: a.id,
            round_id: r.id,
            round_name: reviewer_round_name(r),
            deadline: r.deadline,
            blind: r.blind,
            editable: rounds::status_of(r) == LessonRoundStatus::Reviewing
                && status != LessonReviewStatus::Submitted,
            status,
            lesson: LessonReviewLesson {
                title: l.title,
                stage: node.stage,
                subject: node.subject,
                edition: node.edition,
                grade: node.grade,
                volume: node.volume,
                chapter: node.chapter,
                node: node.node,
                lesson_no: l.lesson_no,
                teacher_name,
                school_name,
            },
            items,
            criteria: rounds::criteria_of(r),
            scores: scores_of(&a),
            total: a.total,
            comment: a.comment,
            submitted_at: a.submitted_at,
        });
    }
    Ok(out)
}

/// Rounds whose assignments reviewers see: every one that has started.
fn started() -> Vec<LessonRoundStatus> {
    [
        LessonRoundStatus::Reviewing,
        LessonRoundStatus::Closed,
        LessonRoundStatus::Publicity,
        LessonRoundStatus::Published,
    ]
    .into()
}

/// My assignment in a started round, or 404 (someone else's, unknown, or not started).
pub async fn mine(
    db: &impl ConnectionTrait,
    principal: &Principal,
    assignment_id: i64,
) -> AppResult<(assignment::Model, round::Model)> {
    principal.require_somewhere(Permission::LessonReview)?;
    let a = assignment::Entity::find_by_id(assignment_id)
        .filter(assignment::Column::ReviewerId.eq(principal.account_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = rounds::find(db, a.round_id).await?;
    if rounds::status_of(&r) == LessonRoundStatus::Draft {
        return Err(AppError::NotFound);
    }
    Ok((a, r))
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    round_id: Option<i64>,
    status: Option<LessonReviewStatus>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<LessonReviewView>> {
    principal.require_somewhere(Permission::LessonReview)?;
    let (page, size, offset) = window(page, page_size)?;
    let started_rounds: Vec<i64> = round::Entity::find()
        .filter(round::Column::Status.is_in(started()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .filter(|id| round_id.is_none_or(|wanted| wanted == *id))
        .collect();
    let mut q = assignment::Entity::find()
        .filter(assignment::Column::ReviewerId.eq(principal.account_id))
        .filter(assignment::Column::RoundId.is_in(started_rounds));
    if let Some(s) = status {
        q = q.filter(assignment::Column::Status.eq(s));
    }
    let q = q
        .order_by_desc(assignment::Column::RoundId)
        .order_by_asc(assignment::Column::Id);
    let (rows, total) = fetch(db, q, offset, size).await?;
    let round_of = lookup(
        db,
        round::Entity::find(),
        round::Column::Id,
        rows.iter().map(|a| a.round_id),
        |r| r.id,
    )
    .await?;
    Ok(Page {
        items: views(db, rows, &round_of).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<LessonReviewView> {
    let (a, r) = mine(db, principal, id).await?;
    view(db, a, &r).await
}

/// Checks the scores against the round's rubric: known criteria, 0..=max points, every criterion when submitting.
fn check_scores(
    criteria: &[LessonRoundCriterion],
    scores: &[LessonReviewScore],
    submit: bool,
) -> AppResult<Vec<LessonReviewScore>> {
    let mut errors = Vec::new();
    let mut kept: Vec<LessonReviewScore> = Vec::new();
    for s in scores {
        let field = format!("scores[{}]", s.key);
        let Some(c) = criteria.iter().find(|c| c.key == s.key) else {
            errors.push(FieldError::new(field, m::NoSuchCriterion));
            continue;
        };
        if kept.iter().any(|k| k.key == s.key) {
            errors.push(FieldError::new(field, m::CriterionRepeated));
            continue;
        }
        if !s.points.is_finite() || s.points < 0.0 || s.points > c.max_points {
            errors.push(FieldError::new(
                field,
                m::PointsRange {
                    name: c.name.clone(),
                    max: c.max_points,
                },
            ));
            continue;
        }
        if s.comment
            .as_deref()
            .is_some_and(|t| t.chars().count() > 1000)
        {
            errors.push(FieldError::new(field, m::RemarkLength));
            continue;
        }
        kept.push(LessonReviewScore {
            key: s.key.clone(),
            points: s.points,
            comment: s
                .comment
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        });
    }
    if submit {
        for c in criteria {
            if !scores.iter().any(|s| s.key == c.key) {
                errors.push(FieldError::new(
                    format!("scores[{}]", c.key),
                    m::CriterionUnscored {
                        name: c.name.clone(),
                    },
                ));
            }
        }
    }
    if errors.is_empty() {
        // In the rubric's order.
        kept.sort_by_key(|s| criteria.iter().position(|c| c.key == s.key));
        Ok(kept)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Saves my scores as a draft (partial is fine) or submits them (final).
pub async fn save(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
    input: LessonReviewInput,
) -> AppResult<LessonReviewView> {
    let (a, r) = mine(db, principal, id).await?;
    if rounds::status_of(&r) != LessonRoundStatus::Reviewing {
        return Err(AppError::conflict("status", m::ReviewPeriodOver));
    }
    if a.status == LessonReviewStatus::Submitted {
        return Err(AppError::conflict("status", m::ReviewFinal));
    }
    let criteria = rounds::criteria_of(&r);
    let scores = check_scores(&criteria, &input.scores, input.submit)?;
    let total = (scores.iter().map(|s| s.points).sum::<f64>() * 100.0).round() / 100.0;
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let mut m: assignment::ActiveModel = a.into();
    m.scores = Set(serde_json::to_string(&scores).map_err(AppError::internal)?);
    m.total = Set((!scores.is_empty()).then_some(total));
    m.comment = Set(input
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string));
    m.saved_at = Set(Some(now));
    if input.submit {
        m.status = Set(LessonReviewStatus::Submitted);
        m.submitted_at = Set(Some(now));
    } else {
        m.status = Set(LessonReviewStatus::Draft);
    }
    let a = m.update(&txn).await?;
    if input.submit {
        super::results::settle_entry(&txn, &r, a.entry_id).await?;
        audit::record_change(
            &txn,
            principal,
            "lesson.review.submit",
            ("lesson_assignment", a.id, &r.path),
            serde_json::json!({ "round": r.id, "entry": a.entry_id, "total": a.total }),
        )
        .await?;
    }
    txn.commit().await?;
    view(db, a, &r).await
}

/// An item of the lesson under my assignment, with the name I may see.
pub async fn my_item(
    state: &AppState,
    principal: &Principal,
    assignment_id: i64,
    item_id: i64,
) -> AppResult<(file::Model, String)> {
    let (a, r) = mine(&state.db, principal, assignment_id).await?;
    let e = entry::Entity::find_by_id(a.entry_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (file, name) = items_for(&state.db, &r, e.lesson_id)
        .await?
        .into_iter()
        .find(|(it, _, _)| it.id == item_id)
        .map(|(_, f, name)| (f, name))
        .ok_or(AppError::NotFound)?;
    // In a blind round the teacher's own bytes name them (document properties, video tags): every read of the
    // item — download, Range, playback link — gets the copy without them.
    if r.blind {
        return Ok((
            crate::files::blind::for_blind_review(state, &file).await?,
            name,
        ));
    }
    Ok((file, name))
}

/// The file behind an item of an assignment's lesson, before knowing who asks: a playback link is bound to a file,
/// so the reader can only be established against it. Whether the reader may see it is [`my_item`]'s to decide.
pub async fn item_file_id(
    db: &impl ConnectionTrait,
    assignment_id: i64,
    item_id: i64,
) -> AppResult<i64> {
    let a = assignment::Entity::find_by_id(assignment_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let e = entry::Entity::find_by_id(a.entry_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    item::Entity::find_by_id(item_id)
        .filter(item::Column::LessonId.eq(e.lesson_id))
        .one(db)
        .await?
        .map(|it| it.file_id)
        .ok_or(AppError::NotFound)
}

/// The round's name as a reviewer sees it: in a blind round the administrator's wording may name the region, so
/// the reviewer is shown only the level.
fn reviewer_round_name(r: &entity::lesson_round::Model) -> String {
    if !r.blind {
        return r.name.clone();
    }
    match r.level {
        rounds::LessonRoundLevel::County => i18n::t(m::RoundCounty),
        rounds::LessonRoundLevel::City => i18n::t(m::RoundCity),
        rounds::LessonRoundLevel::Province => i18n::t(m::RoundProvince),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutral_names_keep_only_kind_and_extension() {
        assert_eq!(
            neutral_name(ItemKind::Video, 0, "张三-锦江小学.MP4"),
            "课堂实录.mp4"
        );
        assert_eq!(
            neutral_name(ItemKind::Material, 1, "李四的素材.pdf"),
            "素材-2.pdf"
        );
        assert_eq!(neutral_name(ItemKind::Design, 0, "无扩展名"), "教学设计");
    }

    #[test]
    fn scores_are_checked_against_the_rubric() {
        let criteria = vec![
            LessonRoundCriterion {
                key: "a".into(),
                name: "甲".into(),
                max_points: 10.0,
                description: None,
            },
            LessonRoundCriterion {
                key: "b".into(),
                name: "乙".into(),
                max_points: 5.0,
                description: None,
            },
        ];
        let s = |key: &str, points: f64| LessonReviewScore {
            key: key.into(),
            points,
            comment: None,
        };
        assert!(check_scores(&criteria, &[s("a", 3.0)], false).is_ok());
        assert!(check_scores(&criteria, &[s("a", 3.0)], true).is_err());
        assert!(check_scores(&criteria, &[s("b", 5.5)], false).is_err());
        assert!(check_scores(&criteria, &[s("z", 1.0)], false).is_err());
        let ok = check_scores(&criteria, &[s("b", 5.0), s("a", 10.0)], true).unwrap_or_default();
        assert_eq!(ok[0].key, "a");
    }
}
