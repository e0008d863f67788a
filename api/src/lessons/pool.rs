//! What a review round is made from: rubrics (typed criteria with maximum points; the Wuhan 100-point rubric is
//! the default, shipped as data), the region's reviewer pool (accounts holding the reviewer role, certified by the
//! region's administrator, with where they work so that 回避 can be applied) and declared conflicts of interest.
use crate::platform::i18n::catalogue::lessons as m;

use std::collections::HashSet;

use chrono::Utc;
use entity::{
    account, lesson_conflict as conflict, lesson_reviewer as reviewer, lesson_rubric as rubric,
    school, teacher,
};
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoSimpleExpr,
    ModelTrait, QueryFilter, QueryOrder, Set,
};

use super::activities;
use crate::{
    AppState,
    access::{Permission, Role, references},
    auth::Principal,
    directory::service::school_names,
    platform::{
        audit::{self, AuditEvent},
        db::{begin_write, contains_text},
        error::{AppError, AppResult, FieldError, map_unique},
        paging::{Page, fetch, window},
    },
};

/// One scored aspect of a rubric.
#[derive(Debug, Clone, Object, serde::Serialize, serde::Deserialize, PartialEq)]
#[oai(skip_serializing_if_is_none)]
pub struct Criterion {
    /// Stable key (lowercase letters, digits, `_`), used in scores.
    #[oai(validator(min_length = 1, max_length = 32))]
    pub key: String,
    #[oai(validator(min_length = 1, max_length = 64))]
    pub name: String,
    #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
    pub max_points: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[oai(validator(max_length = 1000))]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RubricInput {
    #[oai(validator(min_length = 1, max_length = 128))]
    pub name: String,
    #[oai(validator(min_items = 1, max_items = 20))]
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RubricView {
    pub id: i64,
    pub name: String,
    pub criteria: Vec<Criterion>,
    /// The sum of the criteria's maximum points.
    pub total: u32,
    pub is_default: bool,
}

pub fn criteria_of(json: &str) -> Vec<Criterion> {
    serde_json::from_str(json).unwrap_or_default()
}

impl From<rubric::Model> for RubricView {
    fn from(r: rubric::Model) -> Self {
        let criteria = criteria_of(&r.criteria);
        Self {
            id: r.id,
            name: r.name,
            total: criteria.iter().map(|c| c.max_points).sum(),
            criteria,
            is_default: r.is_default,
        }
    }
}

/// The default rubric and those made by my region or the regions above it.
fn rubric_visible(principal: &Principal, r: &rubric::Model) -> bool {
    r.is_default || principal.scope(Permission::LessonRound).reaches(&r.path)
}

pub async fn rubrics(
    db: &impl ConnectionTrait,
    principal: &Principal,
) -> AppResult<Vec<RubricView>> {
    principal.require_somewhere(Permission::LessonRound)?;
    Ok(rubric::Entity::find()
        .order_by_desc(rubric::Column::IsDefault)
        .order_by_asc(rubric::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|r| rubric_visible(principal, r))
        .map(Into::into)
        .collect())
}

/// A rubric a round may use, else a field error on `rubric_id`.
pub async fn usable_rubric(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<rubric::Model> {
    rubric::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|r| rubric_visible(principal, r))
        .ok_or_else(|| AppError::field("rubric_id", m::NoSuchRubric))
}

fn check_criteria(criteria: &[Criterion]) -> AppResult<()> {
    let mut errors = Vec::new();
    let mut keys = HashSet::new();
    for (i, c) in criteria.iter().enumerate() {
        let key_ok = c
            .key
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
        if !key_ok || !keys.insert(c.key.as_str()) {
            errors.push(FieldError::new(
                format!("criteria[{i}].key"),
                m::CriterionKeys,
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// The node of the caller's first grant carrying `permission`: where what they create belongs.
pub fn home_path(principal: &Principal, permission: Permission) -> AppResult<String> {
    principal
        .home_for(permission)
        .map(|g| g.scope_path.clone())
        .ok_or(AppError::Forbidden)
}

pub async fn create_rubric(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    input: RubricInput,
) -> AppResult<RubricView> {
    let path = home_path(principal, Permission::LessonRound)?;
    check_criteria(&input.criteria)?;
    let txn = begin_write(db).await?;
    let row = rubric::ActiveModel {
        name: Set(input.name.trim().to_string()),
        path: Set(path.clone()),
        criteria: Set(serde_json::to_string(&input.criteria).map_err(AppError::internal)?),
        is_default: Set(false),
        created_by: Set(Some(principal.account_id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record_change(
        &txn,
        principal,
        "lesson_rubric.create",
        ("lesson_rubric", row.id, &path),
        serde_json::json!({"name": row.name}),
    )
    .await?;
    txn.commit().await?;
    Ok(row.into())
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CertifyInput {
    /// An account holding the reviewer role.
    pub account_id: i64,
    /// Where the reviewer works, for 回避; defaults to the school of the account's teacher record.
    pub home_school_id: Option<i64>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PoolReviewerView {
    pub id: i64,
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    /// The region whose pool this is.
    pub path: String,
    pub region_name: String,
    pub home_school_id: Option<i64>,
    pub home_school_name: Option<String>,
    /// The county (code) the reviewer works in.
    pub home_county: Option<String>,
    pub certified_at: chrono::DateTime<Utc>,
}

/// The county code within a materialized path (`/province/city/county/…`), when the path reaches that deep.
pub fn county_of(path: &str) -> Option<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .nth(2)
        .map(str::to_string)
}

/// Views of pool reviewers with their accounts and home schools, one statement each for a whole page.
async fn pool_views(
    state: &AppState,
    rows: Vec<reviewer::Model>,
) -> AppResult<Vec<PoolReviewerView>> {
    let accounts =
        crate::directory::service::accounts_by_id(&state.db, rows.iter().map(|r| r.account_id))
            .await?;
    let schools = school_names(&state.db, rows.iter().filter_map(|r| r.home_school_id)).await?;
    rows.into_iter()
        .map(|r| {
            let a = accounts.get(&r.account_id).ok_or(AppError::NotFound)?;
            let code = r
                .path
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
            Ok(PoolReviewerView {
                id: r.id,
                account_id: r.account_id,
                username: a.username.clone(),
                display_name: a.display_name.clone(),
                region_name: state
                    .regions
                    .get(&code)
                    .map(|n| n.name.clone())
                    .unwrap_or_default(),
                path: r.path,
                home_school_id: r.home_school_id,
                home_school_name: r.home_school_id.and_then(|id| schools.get(&id).cloned()),
                home_county: r.home_county,
                certified_at: r.certified_at,
            })
        })
        .collect()
}

async fn pool_view(state: &AppState, r: reviewer::Model) -> AppResult<PoolReviewerView> {
    pool_views(state, vec![r])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

pub async fn pool(
    state: &AppState,
    principal: &Principal,
    q: Option<String>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<PoolReviewerView>> {
    principal.require_somewhere(Permission::LessonRound)?;
    let (page, size, offset) = window(page, page_size)?;
    let scope = principal.scope(Permission::LessonRound);
    let mut query = reviewer::Entity::find()
        .filter(scope.condition(reviewer::Column::Path.into_simple_expr(), None));
    if let Some(q) = q.as_deref().filter(|q| !q.is_empty()) {
        let ids = account::Entity::find()
            .filter(
                Condition::any()
                    .add(contains_text(account::Column::Username, q))
                    .add(contains_text(account::Column::DisplayName, q)),
            )
            .all(&state.db)
            .await?
            .into_iter()
            .map(|a| a.id);
        query = query.filter(reviewer::Column::AccountId.is_in(ids));
    }
    let query = query
        .order_by_asc(reviewer::Column::Path)
        .order_by_asc(reviewer::Column::Id);
    let (rows, total) = fetch(&state.db, query, offset, size).await?;
    Ok(Page {
        items: pool_views(state, rows).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

/// Where the reviewer works: the given school (resolved through the access module: it must lie in the caller's
/// area), else their teacher record's school, else the node of their reviewer grant.
async fn home_of(
    db: &impl ConnectionTrait,
    principal: &Principal,
    a: &account::Model,
    grant_path: &str,
    school_id: Option<i64>,
) -> AppResult<(Option<i64>, Option<String>)> {
    if let Some(id) = school_id {
        let s = references::school_for_write(
            db,
            principal,
            Permission::LessonRound,
            id,
            "home_school_id",
        )
        .await?;
        return Ok((Some(s.id), Some(s.county_code)));
    }
    let own_school = match a.teacher_id {
        Some(t) => teacher::Entity::find_by_id(t).one(db).await?,
        None => None,
    };
    let home = match own_school {
        Some(t) => school::Entity::find_by_id(t.school_id).one(db).await?,
        None => None,
    };
    match home {
        Some(s) => Ok((Some(s.id), Some(s.county_code))),
        None => Ok((None, county_of(grant_path))),
    }
}

/// Certifies a reviewer into the pool of the caller's region: a reviewer bound inside the caller's area.
pub async fn certify(
    state: &AppState,
    principal: &Principal,
    input: CertifyInput,
) -> AppResult<PoolReviewerView> {
    let path = home_path(principal, Permission::LessonRound)?;
    let (a, grant) = references::account_for_write(
        &state.db,
        principal,
        Permission::LessonRound,
        Some(Role::Reviewer),
        input.account_id,
        "account_id",
    )
    .await?;
    let (home_school_id, home_county) = home_of(
        &state.db,
        principal,
        &a,
        &grant.scope_path,
        input.home_school_id,
    )
    .await?;
    let txn = begin_write(&state.db).await?;
    let row = reviewer::ActiveModel {
        account_id: Set(a.id),
        path: Set(path.clone()),
        home_school_id: Set(home_school_id),
        home_county: Set(home_county),
        certified_by: Set(principal.account_id),
        certified_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| map_unique(e, "account_id", m::ReviewerInPool))?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "lesson_reviewer.certify",
            target_type: "account",
            target_id: Some(a.id.to_string()),
            target_path: Some(path),
            detail: serde_json::json!({"home_school": home_school_id}),
        },
    )
    .await?;
    txn.commit().await?;
    pool_view(state, row).await
}

pub async fn decertify(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
) -> AppResult<()> {
    let r = reviewer::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|r| principal.can(Permission::LessonRound, &r.path))
        .ok_or(AppError::NotFound)?;
    let txn = begin_write(db).await?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "lesson_reviewer.decertify",
            target_type: "account",
            target_id: Some(r.account_id.to_string()),
            target_path: Some(r.path.clone()),
            detail: serde_json::json!({}),
        },
    )
    .await?;
    r.delete(&txn).await?;
    txn.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ConflictInput {
    pub activity_id: i64,
    /// The reviewer's account (a reviewer declares for themself; a round administrator for anyone in the pool).
    pub reviewer_id: i64,
    pub teacher_id: Option<i64>,
    pub school_id: Option<i64>,
    #[oai(validator(min_length = 1, max_length = 500))]
    pub reason: String,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ConflictView {
    pub id: i64,
    pub activity_id: i64,
    pub reviewer_id: i64,
    pub teacher_id: Option<i64>,
    pub school_id: Option<i64>,
    pub reason: String,
    pub created_at: chrono::DateTime<Utc>,
}

impl From<conflict::Model> for ConflictView {
    fn from(c: conflict::Model) -> Self {
        Self {
            id: c.id,
            activity_id: c.activity_id,
            reviewer_id: c.reviewer_id,
            teacher_id: c.teacher_id,
            school_id: c.school_id,
            reason: c.reason,
            created_at: c.created_at,
        }
    }
}

/// A round administrator manages everyone's declarations; anybody else only their own.
fn manages_conflicts(principal: &Principal) -> bool {
    principal.require_somewhere(Permission::LessonRound).is_ok()
}

pub async fn conflicts(
    db: &impl ConnectionTrait,
    principal: &Principal,
    activity_id: i64,
) -> AppResult<Vec<ConflictView>> {
    let mut q = conflict::Entity::find().filter(conflict::Column::ActivityId.eq(activity_id));
    if !manages_conflicts(principal) {
        q = q.filter(conflict::Column::ReviewerId.eq(principal.account_id));
    }
    Ok(q.order_by_asc(conflict::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// What a declared conflict names must exist; a round administrator (declaring for someone else) may only name a
/// reviewer of a pool of their area and teachers and schools of their area. A reviewer declaring their own
/// conflict may name any teacher or school, since later rounds reach beyond their home region.
async fn check_conflict_references(
    db: &impl ConnectionTrait,
    principal: &Principal,
    own: bool,
    input: &ConflictInput,
) -> AppResult<()> {
    let scope = principal.scope(Permission::LessonRound);
    let in_area = |path: &str| own || scope.covers(path);
    let field_ok = |path: Option<String>, field: &str| match path {
        Some(p) if in_area(&p) => Ok(()),
        _ => Err(crate::access::unusable_reference(field)),
    };
    if !own {
        let pooled = reviewer::Entity::find()
            .filter(reviewer::Column::AccountId.eq(input.reviewer_id))
            .all(db)
            .await?
            .into_iter()
            .any(|r| scope.covers(&r.path));
        if !pooled {
            return Err(crate::access::unusable_reference("reviewer_id"));
        }
    }
    if let Some(t) = input.teacher_id {
        let path = teacher::Entity::find_by_id(t)
            .one(db)
            .await?
            .map(|t| t.path);
        field_ok(path, "teacher_id")?;
    }
    if let Some(s) = input.school_id {
        let path = school::Entity::find_by_id(s).one(db).await?.map(|s| s.path);
        field_ok(path, "school_id")?;
    }
    Ok(())
}

pub async fn declare(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    input: ConflictInput,
) -> AppResult<ConflictView> {
    // Reviewers declare their own conflicts; round administrators anyone's.
    let own = input.reviewer_id == principal.account_id
        && principal
            .require_somewhere(Permission::LessonReview)
            .is_ok();
    if !own && !manages_conflicts(principal) {
        return Err(AppError::Forbidden);
    }
    activities::find(db, input.activity_id)
        .await
        .map_err(|_| AppError::field("activity_id", m::NoSuchActivity))?;
    if input.teacher_id.is_some() == input.school_id.is_some() {
        return Err(AppError::field("teacher_id", m::TeacherOrSchool));
    }
    check_conflict_references(db, principal, own, &input).await?;
    let txn = begin_write(db).await?;
    let row = conflict::ActiveModel {
        activity_id: Set(input.activity_id),
        reviewer_id: Set(input.reviewer_id),
        teacher_id: Set(input.teacher_id),
        school_id: Set(input.school_id),
        reason: Set(input.reason.trim().to_string()),
        declared_by: Set(principal.account_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "lesson_conflict.declare",
            target_type: "account",
            target_id: Some(row.reviewer_id.to_string()),
            target_path: None,
            detail: serde_json::json!({"activity": row.activity_id, "teacher": row.teacher_id, "school": row.school_id}),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row.into())
}

pub async fn withdraw(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
) -> AppResult<()> {
    let c = conflict::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| c.reviewer_id == principal.account_id || manages_conflicts(principal))
        .ok_or(AppError::NotFound)?;
    let txn = begin_write(db).await?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "lesson_conflict.withdraw",
            target_type: "account",
            target_id: Some(c.reviewer_id.to_string()),
            target_path: None,
            detail: serde_json::json!({"activity": c.activity_id}),
        },
    )
    .await?;
    c.delete(&txn).await?;
    txn.commit().await?;
    Ok(())
}
