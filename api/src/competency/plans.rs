//! A school's yearly 能力点 plan: which points of the published catalogue its teachers may take (必修 / 选修),
//! how many they must pass (default 3) and whether those must cover different dimensions. The plan keeps the
//! catalogue version it was made on. School administrators make it (`competency.plan`); the area's
//! administrators read it (`competency.read`); a teacher reads their own school's.
use crate::platform::i18n::catalogue::competency as m;

use std::collections::HashSet;

use chrono::Utc;
use entity::{
    competency_plan as plan, competency_plan_point as plan_point, competency_point as point,
    competency_submission as submission, school,
};
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoSimpleExpr, QueryFilter,
    QueryOrder, Set,
};

use super::{
    Dimension, Environment,
    catalogue::{self, points_of},
    stats,
};
use crate::{
    access::Permission,
    auth::Principal,
    platform::{
        audit,
        db::begin_write,
        error::{AppError, AppResult},
        paging::{Page, fetch, lookup, lookup_all, window},
    },
};

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PlanPointInput {
    #[oai(validator(min_length = 2, max_length = 4))]
    pub code: String,
    /// 必修 (true) or 选修 (false).
    pub compulsory: bool,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PlanInput {
    /// The school (10-digit 学校标识码).
    #[oai(validator(min_length = 10, max_length = 10))]
    pub school_code: String,
    #[oai(validator(minimum(value = "2020"), maximum(value = "2100")))]
    pub year: i32,
    /// How many points a teacher must pass.
    #[oai(
        default = "default_required",
        validator(minimum(value = "1"), maximum(value = "30"))
    )]
    pub required_passes: i32,
    /// The passed points must cover different dimensions (as many as required, at most four).
    #[oai(default)]
    pub distinct_dimensions: bool,
    #[oai(validator(min_items = 1, max_items = 30))]
    pub points: Vec<PlanPointInput>,
}

fn default_required() -> i32 {
    3
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PlanPointView {
    pub point_id: i64,
    pub code: String,
    pub name: String,
    pub environment: Environment,
    pub dimension: Option<Dimension>,
    pub compulsory: bool,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PlanView {
    pub id: i64,
    pub school_id: i64,
    pub school_code: String,
    pub school_name: String,
    pub year: i32,
    pub catalog_id: i64,
    pub catalog_version: i32,
    pub required_passes: i32,
    pub distinct_dimensions: bool,
    pub points: Vec<PlanPointView>,
    pub updated_at: chrono::DateTime<Utc>,
}

pub async fn plan_view(db: &impl ConnectionTrait, p: plan::Model) -> AppResult<PlanView> {
    plan_views(db, vec![p])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Views of plans with their schools, catalogue versions and chosen points: one statement per related table
/// however many plans.
async fn plan_views(db: &impl ConnectionTrait, rows: Vec<plan::Model>) -> AppResult<Vec<PlanView>> {
    let schools = lookup(
        db,
        school::Entity::find(),
        school::Column::Id,
        rows.iter().map(|p| p.school_id),
        |s| s.id,
    )
    .await?;
    let catalogs = lookup(
        db,
        entity::competency_catalog::Entity::find(),
        entity::competency_catalog::Column::Id,
        rows.iter().map(|p| p.catalog_id),
        |c| c.id,
    )
    .await?;
    let chosen = lookup_all(
        db,
        plan_point::Entity::find(),
        plan_point::Column::PlanId,
        rows.iter().map(|p| p.id),
        |pp| pp.plan_id,
    )
    .await?;
    let points = lookup_all(
        db,
        point::Entity::find().order_by_asc(point::Column::Position),
        point::Column::CatalogId,
        rows.iter().map(|p| p.catalog_id),
        |c| c.catalog_id,
    )
    .await?;
    rows.into_iter()
        .map(|p| {
            let s = schools.get(&p.school_id).ok_or(AppError::NotFound)?;
            let chosen = chosen.get(&p.id).map(Vec::as_slice).unwrap_or_default();
            let points = points
                .get(&p.catalog_id)
                .into_iter()
                .flatten()
                .filter_map(|c| {
                    let pp = chosen.iter().find(|pp| pp.point_id == c.id)?;
                    Some(PlanPointView {
                        point_id: c.id,
                        environment: c.environment,
                        dimension: c.dimension,
                        code: c.code.clone(),
                        name: c.name.clone(),
                        compulsory: pp.compulsory,
                    })
                })
                .collect();
            Ok(PlanView {
                id: p.id,
                school_id: s.id,
                school_code: s.code.clone(),
                school_name: s.name.clone(),
                year: p.year,
                catalog_id: p.catalog_id,
                catalog_version: catalogs.get(&p.catalog_id).map_or(0, |c| c.version),
                required_passes: p.required_passes,
                distinct_dimensions: p.distinct_dimensions,
                points,
                updated_at: p.updated_at,
            })
        })
        .collect()
}

/// The plan of a school for a year, if made.
pub async fn of_school(
    db: &impl ConnectionTrait,
    school_id: i64,
    year: i32,
) -> AppResult<Option<plan::Model>> {
    Ok(plan::Entity::find()
        .filter(plan::Column::SchoolId.eq(school_id))
        .filter(plan::Column::Year.eq(year))
        .one(db)
        .await?)
}

/// Checks the chosen points against the catalogue version: known codes, each once, enough of them, no more
/// compulsory ones than must be passed, and enough dimensions when the plan asks for different ones.
fn check_points(input: &PlanInput, cards: &[point::Model]) -> AppResult<Vec<(i64, String, bool)>> {
    let mut seen = HashSet::new();
    let mut chosen = Vec::with_capacity(input.points.len());
    for (i, p) in input.points.iter().enumerate() {
        let code = p.code.trim().to_uppercase();
        let Some(card) = cards.iter().find(|c| c.code == code) else {
            return Err(AppError::field(
                format!("points[{i}].code"),
                m::NoSuchPoint { code: code.clone() },
            ));
        };
        if !seen.insert(code.clone()) {
            return Err(AppError::field(
                format!("points[{i}].code"),
                m::PointListedTwice { code: code.clone() },
            ));
        }
        chosen.push((card.id, code, p.compulsory));
    }
    let required = input.required_passes as usize;
    if chosen.len() < required {
        return Err(AppError::field("required_passes", m::RequiredAbovePoints));
    }
    if chosen.iter().filter(|(_, _, c)| *c).count() > required {
        return Err(AppError::field("points", m::CompulsoryAboveRequired));
    }
    if input.distinct_dimensions {
        let dims: HashSet<Dimension> = chosen
            .iter()
            .filter_map(|(id, _, _)| cards.iter().find(|c| c.id == *id)?.dimension)
            .collect();
        if dims.len() < required.min(Dimension::ALL.len()) {
            return Err(AppError::field("distinct_dimensions", m::DimensionsTooFew));
        }
    }
    Ok(chosen)
}

/// Makes or replaces a school's plan for a year. A new plan is made on the published catalogue; a replaced one
/// keeps its version, and keeps every point teachers have already submitted evidence for.
pub async fn save(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    input: PlanInput,
) -> AppResult<PlanView> {
    principal.require_somewhere(Permission::CompetencyPlan)?;
    let s = school::Entity::find()
        .filter(school::Column::Code.eq(input.school_code.trim()))
        .one(db)
        .await?
        .filter(|s| principal.can(Permission::CompetencyPlan, &s.path))
        .ok_or_else(|| AppError::field("school_code", m::NotYourSchool))?;
    let txn = begin_write(db).await?;
    let existing = of_school(&txn, s.id, input.year).await?;
    let catalog_id = match &existing {
        Some(p) => p.catalog_id,
        None => {
            catalogue::current(&txn)
                .await?
                .ok_or_else(|| AppError::conflict("year", m::CatalogueUnpublished))?
                .id
        }
    };
    let cards = points_of(&txn, catalog_id).await?;
    let chosen = check_points(&input, &cards)?;
    // The plan decides whether its teachers meet it: their standings are restated below.
    let restated = match &existing {
        Some(p) => {
            let scope = stats::of_plan(&txn, p).await?;
            let before = stats::before(&txn, &scope).await?;
            Some((scope, before))
        }
        None => None,
    };
    let now = Utc::now();
    let saved = match existing {
        Some(p) => {
            let used: Vec<String> = submission::Entity::find()
                .filter(submission::Column::PlanId.eq(p.id))
                .all(&txn)
                .await?
                .into_iter()
                .map(|x| x.code)
                .collect();
            if let Some(code) = used
                .iter()
                .find(|c| !chosen.iter().any(|(_, k, _)| k == *c))
            {
                return Err(AppError::conflict(
                    "points",
                    m::PointHasEvidence {
                        code: code.to_string(),
                    },
                ));
            }
            plan_point::Entity::delete_many()
                .filter(plan_point::Column::PlanId.eq(p.id))
                .exec(&txn)
                .await?;
            let mut active: plan::ActiveModel = p.into();
            active.required_passes = Set(input.required_passes);
            active.distinct_dimensions = Set(input.distinct_dimensions);
            active.updated_by = Set(principal.account_id);
            active.updated_at = Set(now);
            active.update(&txn).await?
        }
        None => {
            plan::ActiveModel {
                school_id: Set(s.id),
                path: Set(s.path.clone()),
                year: Set(input.year),
                catalog_id: Set(catalog_id),
                required_passes: Set(input.required_passes),
                distinct_dimensions: Set(input.distinct_dimensions),
                created_by: Set(principal.account_id),
                created_at: Set(now),
                updated_by: Set(principal.account_id),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    for (point_id, code, compulsory) in &chosen {
        plan_point::ActiveModel {
            plan_id: Set(saved.id),
            point_id: Set(*point_id),
            code: Set(code.clone()),
            compulsory: Set(*compulsory),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    if let Some((scope, before)) = restated {
        stats::settle(&txn, &scope, before).await?;
    }
    audit::record_change(
        &txn,
        principal,
        "competency.plan.save",
        ("competency_plan", saved.id, &saved.path),
        serde_json::json!({
            "year": saved.year, "required_passes": saved.required_passes,
            "distinct_dimensions": saved.distinct_dimensions,
            "points": chosen.iter().map(|(_, c, k)| serde_json::json!({ "code": c, "compulsory": k })).collect::<Vec<_>>(),
        }),
    )
    .await?;
    txn.commit().await?;
    plan_view(db, saved).await
}

/// Plans the caller reads: their area's (`competency.read`, `competency.plan`) and, for a teacher, their school's.
async fn visible(
    db: &impl ConnectionTrait,
    principal: &Principal,
) -> AppResult<sea_orm::Condition> {
    let path = plan::Column::Path.into_simple_expr();
    let mut any = sea_orm::Condition::any()
        .add(
            principal
                .scope(Permission::CompetencyRead)
                .condition(path.clone(), None),
        )
        .add(
            principal
                .scope(Permission::CompetencyPlan)
                .condition(path, None),
        );
    if let Some(t) = own_school(db, principal).await? {
        any = any.add(plan::Column::SchoolId.eq(t));
    }
    Ok(any)
}

async fn own_school(db: &impl ConnectionTrait, principal: &Principal) -> AppResult<Option<i64>> {
    let Some(id) = principal.teacher_id else {
        return Ok(None);
    };
    Ok(entity::teacher::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|t| t.school_id))
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    year: Option<i32>,
    school_code: Option<String>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<PlanView>> {
    let (page, size, offset) = window(page, page_size)?;
    let mut q = plan::Entity::find().filter(visible(db, principal).await?);
    if let Some(y) = year {
        q = q.filter(plan::Column::Year.eq(y));
    }
    if let Some(code) = school_code.filter(|c| !c.trim().is_empty()) {
        let ids: Vec<i64> = school::Entity::find()
            .filter(school::Column::Code.eq(code.trim()))
            .all(db)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        q = q.filter(plan::Column::SchoolId.is_in(ids));
    }
    let q = q
        .order_by_desc(plan::Column::Year)
        .order_by_asc(plan::Column::Path);
    let (rows, total) = fetch(db, q, offset, size).await?;
    Ok(Page {
        items: plan_views(db, rows).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

pub async fn get(db: &impl ConnectionTrait, principal: &Principal, id: i64) -> AppResult<PlanView> {
    let p = plan::Entity::find_by_id(id)
        .filter(visible(db, principal).await?)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    plan_view(db, p).await
}
