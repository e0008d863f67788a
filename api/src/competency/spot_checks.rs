//! The county's spot-check (抽查): a county administrator or reviewer draws `share_percent` of the county's
//! school-passed submissions of a year with a seed. The sample is the population ordered by a stable hash of
//! (seed, submission id), cut at ceil(share × n): the same seed over the same population draws the same set, on
//! any server and engine. A reviewer bound to the county then grades each drawn submission with the checklist;
//! a grade different from the school's overrides it, with the reason recorded.
use crate::platform::i18n::catalogue::competency as m;

use chrono::{DateTime, Utc};
use entity::{
    competency_spot_check as draw, competency_spot_check_item as item,
    competency_submission as submission,
};
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoSimpleExpr, QueryFilter, QueryOrder,
    Set,
};
use sha2::{Digest, Sha256};

use super::{
    Grade,
    catalogue::to_json,
    evidence::{self, ChecklistInput, EvidenceSubmissionView},
    stats,
};
use crate::{
    AppState,
    access::{NodeLevel, Permission},
    auth::Principal,
    platform::{
        audit,
        db::begin_write,
        error::{AppError, AppResult},
        paging::{Page, fetch, lookup_all, window},
    },
};

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DrawInput {
    /// The county (6-digit code).
    #[oai(validator(min_length = 6, max_length = 6))]
    pub county_code: String,
    #[oai(validator(minimum(value = "2020"), maximum(value = "2100")))]
    pub year: i32,
    /// Share of the school-passed submissions to draw, in percent.
    #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
    pub share_percent: i32,
    /// Any number; the same seed over the same submissions draws the same sample.
    pub seed: i64,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SpotCheckView {
    pub id: i64,
    pub county_code: String,
    pub county_name: String,
    pub year: i32,
    pub seed: i64,
    pub share_percent: i32,
    /// School-passed submissions drawn from.
    pub population: i32,
    pub drawn: i32,
    pub drawn_by: String,
    pub drawn_at: DateTime<Utc>,
    /// The drawn submissions, in draw order.
    pub submission_ids: Vec<i64>,
}

/// The stable position of a submission in a draw: the first 8 bytes of SHA-256("seed:id").
pub fn draw_key(seed: i64, submission_id: i64) -> u64 {
    let digest = Sha256::digest(format!("{seed}:{submission_id}").as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// The sample: `population` ordered by [`draw_key`] (ties by id), the first ceil(share × n).
pub fn sample(seed: i64, share_percent: i32, population: &[i64]) -> Vec<i64> {
    let mut keyed: Vec<(u64, i64)> = population
        .iter()
        .map(|id| (draw_key(seed, *id), *id))
        .collect();
    keyed.sort_unstable();
    let n = population.len();
    let take = (n * share_percent.clamp(0, 100) as usize).div_ceil(100);
    keyed.into_iter().take(take).map(|(_, id)| id).collect()
}

async fn view(state: &AppState, d: draw::Model) -> AppResult<SpotCheckView> {
    views(state, vec![d]).await?.pop().ok_or(AppError::NotFound)
}

/// Views of draws with their sampled submissions and who drew them, one statement each for a whole page.
async fn views(state: &AppState, rows: Vec<draw::Model>) -> AppResult<Vec<SpotCheckView>> {
    let mut items = lookup_all(
        &state.db,
        item::Entity::find().order_by_asc(item::Column::Id),
        item::Column::SpotCheckId,
        rows.iter().map(|d| d.id),
        |i| i.spot_check_id,
    )
    .await?;
    let drawers =
        crate::directory::service::accounts_by_id(&state.db, rows.iter().map(|d| d.drawn_by))
            .await?;
    Ok(rows
        .into_iter()
        .map(|d| SpotCheckView {
            id: d.id,
            county_name: state
                .regions
                .get(&d.county_code)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
            county_code: d.county_code,
            year: d.year,
            seed: d.seed,
            share_percent: d.share_percent,
            population: d.population,
            drawn: d.drawn,
            drawn_by: drawers
                .get(&d.drawn_by)
                .map(|a| a.display_name.clone())
                .unwrap_or_default(),
            drawn_at: d.drawn_at,
            submission_ids: items
                .remove(&d.id)
                .unwrap_or_default()
                .into_iter()
                .map(|i| i.submission_id)
                .collect(),
        })
        .collect())
}

/// Draws a county's sample and stores the draw (who, when, seed, share, counts).
pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: DrawInput,
) -> AppResult<SpotCheckView> {
    principal.require_somewhere(Permission::CompetencySpotCheck)?;
    let county = state
        .regions
        .get(input.county_code.trim())
        .filter(|r| r.level == entity::region::NodeLevel::County)
        .filter(|r| {
            principal
                .scope_at(Permission::CompetencySpotCheck, NodeLevel::County)
                .covers(&r.path)
        })
        .cloned()
        .ok_or_else(|| AppError::field("county_code", m::NotYourCounty))?;
    let txn = begin_write(&state.db).await?;
    let population: Vec<i64> = submission::Entity::find()
        .filter(crate::access::under(
            submission::Column::Path.into_simple_expr(),
            &county.path,
        ))
        .filter(submission::Column::Year.eq(input.year))
        .filter(submission::Column::Latest.eq(true))
        .filter(
            submission::Column::SchoolGrade
                .is_in([Grade::Excellent.as_str(), Grade::Pass.as_str()]),
        )
        .order_by_asc(submission::Column::Id)
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let chosen = sample(input.seed, input.share_percent, &population);
    let d = draw::ActiveModel {
        county_code: Set(county.code.clone()),
        path: Set(county.path.clone()),
        year: Set(input.year),
        seed: Set(input.seed),
        share_percent: Set(input.share_percent),
        population: Set(population.len() as i32),
        drawn: Set(chosen.len() as i32),
        drawn_by: Set(principal.account_id),
        drawn_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for id in &chosen {
        item::ActiveModel {
            spot_check_id: Set(d.id),
            submission_id: Set(*id),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record_change(
        &txn,
        principal,
        "competency.spot_check.draw",
        ("competency_spot_check", d.id, &d.path),
        serde_json::json!({
            "year": d.year, "seed": d.seed, "share_percent": d.share_percent,
            "population": d.population, "drawn": chosen,
        }),
    )
    .await?;
    txn.commit().await?;
    view(state, d).await
}

/// Draws the caller sees: their area's.
fn visible(principal: &Principal) -> Condition {
    evidence::in_area(principal, draw::Column::Path.into_simple_expr())
}

pub async fn list(
    state: &AppState,
    principal: &Principal,
    year: Option<i32>,
    county_code: Option<String>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<SpotCheckView>> {
    let (page, size, offset) = window(page, page_size)?;
    let mut q = draw::Entity::find().filter(visible(principal));
    if let Some(y) = year {
        q = q.filter(draw::Column::Year.eq(y));
    }
    if let Some(c) = county_code.filter(|c| !c.trim().is_empty()) {
        q = q.filter(draw::Column::CountyCode.eq(c.trim()));
    }
    let (rows, total) = fetch(&state.db, q.order_by_desc(draw::Column::Id), offset, size).await?;
    Ok(Page {
        items: views(state, rows).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

pub async fn get(state: &AppState, principal: &Principal, id: i64) -> AppResult<SpotCheckView> {
    let d = draw::Entity::find_by_id(id)
        .filter(visible(principal))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    view(state, d).await
}

/// A reviewer bound to the county grades a drawn submission with the checklist. The same grade as the school's
/// confirms it; a different one overrides it and needs the reason in `comment`.
pub async fn review(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    submission_id: i64,
    input: ChecklistInput,
) -> AppResult<EvidenceSubmissionView> {
    let s = evidence::find_visible(db, principal, submission_id).await?;
    if !principal
        .scope_at(Permission::CompetencyReview, NodeLevel::County)
        .covers(&s.path)
    {
        return Err(AppError::Forbidden);
    }
    let drawn = item::Entity::find()
        .filter(item::Column::SubmissionId.eq(s.id))
        .one(db)
        .await?
        .is_some();
    if !drawn || !s.latest {
        return Err(AppError::conflict("id", m::NotDrawn));
    }
    let (grade, checks, comment) = evidence::judge(db, &s, &input).await?;
    let school_grade = s.school_grade;
    let overrides = school_grade != Some(grade);
    if overrides && comment.is_none() {
        return Err(AppError::field("comment", m::OverrideNeedsReason));
    }
    let txn = begin_write(db).await?;
    let scope = stats::of_teacher(s.teacher_id, s.year);
    let before = stats::before(&txn, &scope).await?;
    let verdict = evidence::Verdict {
        grade,
        checks: to_json(&checks)?,
        comment: comment.clone(),
        reviewer: principal.account_id,
    };
    let saved = evidence::record(&txn, &s, evidence::ReviewLevel::County, verdict).await?;
    audit::record_change(
        &txn,
        principal,
        if overrides {
            "competency.spot_check.override"
        } else {
            "competency.spot_check.confirm"
        },
        ("competency_submission", saved.id, &saved.path),
        serde_json::json!({
            "school_grade": s.school_grade.map(Grade::as_str), "grade": grade.as_str(), "checks": checks, "reason": comment,
        }),
    )
    .await?;
    stats::settle(&txn, &scope, before).await?;
    if overrides {
        evidence::tell_teacher(&txn, &saved, grade, comment.as_deref()).await?;
        crate::training::completion::reevaluate_teacher(&txn, saved.teacher_id).await?;
    }
    txn.commit().await?;
    evidence::submission_view(db, saved).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_is_reproducible_and_sized_up() {
        let population: Vec<i64> = (1..=10).collect();
        let a = sample(42, 25, &population);
        assert_eq!(a.len(), 3, "ceil(25% of 10)");
        assert_eq!(a, sample(42, 25, &population));
        let mut shuffled = population.clone();
        shuffled.reverse();
        assert_eq!(
            a,
            sample(42, 25, &shuffled),
            "order of the population does not matter"
        );
        assert_eq!(sample(42, 100, &population).len(), 10);
        assert_eq!(sample(7, 1, &population).len(), 1);
        assert!(sample(7, 50, &[]).is_empty());
        assert_ne!(sample(1, 50, &population), sample(2, 50, &population));
    }
}
