//! The province's versioned 能力点 catalogue. Exactly one version is published at a time (schools plan on it); the
//! province copies it into a draft, edits the cards and publishes the draft, which retires the previous version.
//! Plans keep pointing at the version they were made on. Everyone signed in reads published and retired versions;
//! drafts are the province's.
use crate::platform::i18n::catalogue::competency as m;

use chrono::Utc;
pub use entity::competency_catalog::CatalogStatus;
use entity::{competency_catalog as catalog, competency_point as point};
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{Dimension, Environment};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    platform::{
        audit,
        db::begin_write,
        error::{AppError, AppResult, FieldError},
        paging::{Page, fetch, window},
    },
};

/// One piece of evidence a teacher submits for the point (教学设计, 课堂实录片段, 教学反思 …).
#[derive(Debug, Clone, Object, serde::Serialize, serde::Deserialize)]
#[oai(skip_serializing_if_is_none)]
pub struct EvidenceItem {
    /// Stable key within the card (lower-case letters, digits, `_`).
    #[oai(validator(pattern = r"^[a-z0-9_]{1,32}$"))]
    pub key: String,
    #[oai(validator(min_length = 1, max_length = 64))]
    pub name: String,
    #[oai(default, validator(max_length = 2000))]
    #[serde(default)]
    pub description: String,
    /// A required item must carry text or at least one file.
    #[oai(default)]
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PointInput {
    #[oai(validator(min_length = 1, max_length = 128))]
    pub name: String,
    pub dimension: Option<Dimension>,
    #[oai(default, validator(max_length = 10000))]
    pub description: String,
    #[oai(default, validator(max_items = 12))]
    pub evidence_items: Vec<EvidenceItem>,
    /// Every one must hold for 优秀.
    #[oai(default, validator(max_items = 20))]
    pub excellent_criteria: Vec<String>,
    /// Every one must hold for 合格.
    #[oai(default, validator(max_items = 20))]
    pub pass_criteria: Vec<String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PointView {
    pub id: i64,
    pub catalog_id: i64,
    pub code: String,
    pub environment: Environment,
    pub dimension: Option<Dimension>,
    pub name: String,
    pub description: String,
    pub evidence_items: Vec<EvidenceItem>,
    pub excellent_criteria: Vec<String>,
    pub pass_criteria: Vec<String>,
    /// Named, with a dimension, evidence items and criteria of both grades: ready to publish.
    pub complete: bool,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CatalogSummary {
    pub id: i64,
    pub version: i32,
    pub status: CatalogStatus,
    pub based_on: Option<i64>,
    pub created_at: chrono::DateTime<Utc>,
    pub published_at: Option<chrono::DateTime<Utc>>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CatalogView {
    #[oai(flatten)]
    pub summary: CatalogSummary,
    pub points: Vec<PointView>,
}

fn summary(c: catalog::Model) -> CatalogSummary {
    CatalogSummary {
        id: c.id,
        version: c.version,
        status: c.status,
        based_on: c.based_on,
        created_at: c.created_at,
        published_at: c.published_at,
    }
}

/// The seeded name of a card the province has not named yet: stored data the province overwrites (the catalogue
/// is written in Chinese), not a message.
fn placeholder_name(code: &str) -> String {
    format!("{code}（待省级填写）")
}

pub fn point_view(p: point::Model) -> PointView {
    let list = |s: &str| serde_json::from_str::<Vec<String>>(s).unwrap_or_default();
    let evidence_items: Vec<EvidenceItem> =
        serde_json::from_str(&p.evidence_items).unwrap_or_default();
    let excellent_criteria = list(&p.excellent_criteria);
    let pass_criteria = list(&p.pass_criteria);
    let dimension = p.dimension;
    let complete = dimension.is_some()
        && p.name != placeholder_name(&p.code)
        && !evidence_items.is_empty()
        && !excellent_criteria.is_empty()
        && !pass_criteria.is_empty();
    PointView {
        id: p.id,
        catalog_id: p.catalog_id,
        environment: p.environment,
        code: p.code,
        dimension,
        name: p.name,
        description: p.description,
        evidence_items,
        excellent_criteria,
        pass_criteria,
        complete,
    }
}

fn is_province(principal: &Principal) -> bool {
    principal.can_at_root(Permission::CompetencyCatalog)
}

/// A version the caller may read: drafts are the province's only. The catalogue is province-wide reference data,
/// not a row placed in the tree, so it is not loaded through `access::find_visible`.
async fn find_visible(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<catalog::Model> {
    let c = catalog::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if c.status == CatalogStatus::Draft && !is_province(principal) {
        return Err(AppError::NotFound);
    }
    Ok(c)
}

/// 403 unless the caller edits the catalogue (the province).
fn require_province(principal: &Principal) -> AppResult<()> {
    if is_province(principal) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn points_of(db: &impl ConnectionTrait, catalog_id: i64) -> AppResult<Vec<point::Model>> {
    Ok(point::Entity::find()
        .filter(point::Column::CatalogId.eq(catalog_id))
        .order_by_asc(point::Column::Position)
        .all(db)
        .await?)
}

/// The version schools plan on now.
pub async fn current(db: &impl ConnectionTrait) -> AppResult<Option<catalog::Model>> {
    Ok(catalog::Entity::find()
        .filter(catalog::Column::Status.eq(CatalogStatus::Published))
        .one(db)
        .await?)
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    status: Option<CatalogStatus>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<CatalogSummary>> {
    let (page, size, offset) = window(page, page_size)?;
    let mut q = catalog::Entity::find();
    if !is_province(principal) {
        q = q.filter(catalog::Column::Status.ne(CatalogStatus::Draft));
    }
    if let Some(s) = status {
        q = q.filter(catalog::Column::Status.eq(s));
    }
    let (rows, total) = fetch(db, q.order_by_desc(catalog::Column::Version), offset, size).await?;
    Ok(Page {
        items: rows.into_iter().map(summary).collect(),
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
) -> AppResult<CatalogView> {
    let c = find_visible(db, principal, id).await?;
    let points = points_of(db, c.id).await?;
    Ok(CatalogView {
        summary: summary(c),
        points: points.into_iter().map(point_view).collect(),
    })
}

/// A new draft copied from the published version (or, before any is published, the newest); one draft at a time.
pub async fn create_draft(state: &AppState, principal: &Principal) -> AppResult<CatalogView> {
    require_province(principal)?;
    let txn = begin_write(&state.db).await?;
    if catalog::Entity::find()
        .filter(catalog::Column::Status.eq(CatalogStatus::Draft))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::conflict("status", m::CatalogueDraftExists));
    }
    let base = match current(&txn).await? {
        Some(c) => Some(c),
        None => {
            catalog::Entity::find()
                .order_by_desc(catalog::Column::Version)
                .one(&txn)
                .await?
        }
    };
    let version = base.as_ref().map_or(1, |b| b.version + 1);
    let now = Utc::now();
    let draft = catalog::ActiveModel {
        version: Set(version),
        status: Set(CatalogStatus::Draft),
        based_on: Set(base.as_ref().map(|b| b.id)),
        created_by: Set(Some(principal.account_id)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let Some(b) = &base {
        for p in points_of(&txn, b.id).await? {
            point::ActiveModel {
                catalog_id: Set(draft.id),
                code: Set(p.code),
                environment: Set(p.environment),
                dimension: Set(p.dimension),
                name: Set(p.name),
                description: Set(p.description),
                evidence_items: Set(p.evidence_items),
                excellent_criteria: Set(p.excellent_criteria),
                pass_criteria: Set(p.pass_criteria),
                position: Set(p.position),
                updated_by: Set(Some(principal.account_id)),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    audit::record_change(
        &txn,
        principal,
        "competency.catalog.draft",
        ("competency_catalog", draft.id, &root_path(state)),
        serde_json::json!({ "version": version, "based_on": draft.based_on }),
    )
    .await?;
    txn.commit().await?;
    get(&state.db, principal, draft.id).await
}

fn clean_list(field: &str, list: &[String]) -> AppResult<Vec<String>> {
    let mut out = Vec::with_capacity(list.len());
    for (i, c) in list.iter().enumerate() {
        let c = c.trim();
        if c.is_empty() || c.chars().count() > 500 {
            return Err(AppError::field(format!("{field}[{i}]"), m::CriterionLength));
        }
        out.push(c.to_string());
    }
    Ok(out)
}

/// Edits one card of a draft (409 once published).
pub async fn update_point(
    state: &AppState,
    principal: &Principal,
    catalog_id: i64,
    code: &str,
    input: PointInput,
) -> AppResult<PointView> {
    let c = find_visible(&state.db, principal, catalog_id).await?;
    require_province(principal)?;
    let p = point::Entity::find()
        .filter(point::Column::CatalogId.eq(c.id))
        .filter(point::Column::Code.eq(code))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if c.status != CatalogStatus::Draft {
        return Err(AppError::conflict("status", m::VersionPublishedImmutable));
    }
    let name = input.name.trim().to_string();
    if name.is_empty() {
        return Err(AppError::field("name", m::NameRequired));
    }
    let mut keys = std::collections::HashSet::new();
    for (i, item) in input.evidence_items.iter().enumerate() {
        if !keys.insert(item.key.as_str()) || item.name.trim().is_empty() {
            return Err(AppError::field(
                format!("evidence_items[{i}]"),
                m::EvidenceItemKeys,
            ));
        }
    }
    let excellent = clean_list("excellent_criteria", &input.excellent_criteria)?;
    let pass = clean_list("pass_criteria", &input.pass_criteria)?;
    let txn = begin_write(&state.db).await?;
    let mut active: point::ActiveModel = p.into();
    active.name = Set(name);
    active.dimension = Set(input.dimension);
    active.description = Set(input.description);
    active.evidence_items = Set(to_json(&input.evidence_items)?);
    active.excellent_criteria = Set(to_json(&excellent)?);
    active.pass_criteria = Set(to_json(&pass)?);
    active.updated_by = Set(Some(principal.account_id));
    active.updated_at = Set(Utc::now());
    let saved = active.update(&txn).await?;
    audit::record_change(
        &txn,
        principal,
        "competency.point.update",
        ("competency_point", saved.id, &root_path(state)),
        serde_json::json!({ "version": c.version, "code": saved.code, "name": saved.name }),
    )
    .await?;
    txn.commit().await?;
    Ok(point_view(saved))
}

/// JSON text for a text column.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(AppError::internal)
}

/// The path of the root of the tree (the province): where province-wide records are audited.
pub(crate) fn root_path(state: &AppState) -> String {
    state
        .regions
        .all()
        .find(|r| r.level == entity::region::NodeLevel::Province)
        .map(|r| r.path.clone())
        .unwrap_or_else(|| "/".into())
}

/// Publishes a draft whose every card is complete; the previously published version is retired.
pub async fn publish(state: &AppState, principal: &Principal, id: i64) -> AppResult<CatalogView> {
    let c = find_visible(&state.db, principal, id).await?;
    require_province(principal)?;
    if c.status != CatalogStatus::Draft {
        return Err(AppError::conflict("status", m::VersionAlreadyPublished));
    }
    let incomplete: Vec<FieldError> = points_of(&state.db, c.id)
        .await?
        .into_iter()
        .map(point_view)
        .filter(|p| !p.complete)
        .map(|p| {
            FieldError::new(
                format!("points.{}", p.code),
                m::PointIncomplete {
                    code: p.code.clone(),
                },
            )
        })
        .collect();
    if !incomplete.is_empty() {
        return Err(AppError::Validation(incomplete));
    }
    let txn = begin_write(&state.db).await?;
    let previous = current(&txn).await?;
    if let Some(prev) = &previous {
        let mut active: catalog::ActiveModel = prev.clone().into();
        active.status = Set(CatalogStatus::Retired);
        active.update(&txn).await?;
    }
    let mut active: catalog::ActiveModel = c.into();
    active.status = Set(CatalogStatus::Published);
    active.published_by = Set(Some(principal.account_id));
    active.published_at = Set(Some(Utc::now()));
    let published = active.update(&txn).await?;
    audit::record_change(
        &txn,
        principal,
        "competency.catalog.publish",
        ("competency_catalog", published.id, &root_path(state)),
        serde_json::json!({ "version": published.version, "retired": previous.map(|p| p.version) }),
    )
    .await?;
    txn.commit().await?;
    get(&state.db, principal, published.id).await
}
