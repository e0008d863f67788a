//! Schools (一校一码): rules and queries. Every read and write passes through `access`.
use crate::platform::i18n::catalogue::directory as dm;
use chrono::Utc;
use entity::school;
use poem_openapi::{Enum, Object};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoSimpleExpr, QueryFilter,
    QueryOrder, Set,
};

pub use super::labels::{Stage, UrbanRural};
use super::{labels::Labelled, validate};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    platform::{
        audit::{self, AuditEvent},
        db::{begin_write, contains_text, starts_with_text},
        error::{AppError, AppResult, FieldError, map_unique},
        paging::{Page, SortOrder, fetch, window},
    },
};

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct SchoolView {
    pub id: i64,
    /// 10-digit 学校标识码.
    pub code: String,
    pub name: String,
    pub county_code: String,
    pub county_name: String,
    pub city_name: String,
    /// 学段类别.
    pub stage: Stage,
    pub urban_rural: UrbanRural,
    /// 教学点.
    pub teaching_point: bool,
    pub address: Option<String>,
    pub active: bool,
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct SchoolInput {
    #[oai(validator(max_length = 10))]
    pub code: String,
    #[oai(validator(max_length = 128))]
    pub name: String,
    /// The county (区县) the school belongs to.
    #[oai(validator(max_length = 6))]
    pub county_code: String,
    /// 学段类别: a `Stage` value, or its label (spreadsheets and older clients send 小学, 初中 …).
    #[oai(validator(max_length = 32))]
    pub stage: String,
    pub urban_rural: UrbanRural,
    #[oai(default)]
    pub teaching_point: bool,
    #[oai(validator(max_length = 255))]
    pub address: Option<String>,
}

#[derive(Debug, Clone, Copy, Enum, Default)]
#[oai(rename_all = "snake_case")]
pub enum SchoolSort {
    #[default]
    Code,
    Name,
    Stage,
    CountyCode,
    CreatedAt,
}

#[derive(Debug, Default, Clone)]
pub struct SchoolFilter {
    pub region: Option<String>,
    pub stage: Option<Stage>,
    pub urban_rural: Option<UrbanRural>,
    pub teaching_point: Option<bool>,
    pub active: Option<bool>,
    pub keyword: Option<String>,
}

pub fn view(state: &AppState, m: school::Model) -> SchoolView {
    let county = state.regions.get(&m.county_code);
    let city = county
        .and_then(|c| c.parent_code.as_deref())
        .and_then(|c| state.regions.get(c));
    SchoolView {
        id: m.id,
        code: m.code,
        name: m.name,
        county_name: county.map(|c| c.name.clone()).unwrap_or_default(),
        city_name: city.map(|c| c.name.clone()).unwrap_or_default(),
        county_code: m.county_code,
        stage: m.stage,
        urban_rural: m.urban_rural,
        teaching_point: m.teaching_point,
        address: m.address,
        active: m.active,
    }
}

/// The query behind the list and the export: scope first, then the caller's filters.
pub fn scoped_query(
    state: &AppState,
    principal: &Principal,
    filter: &SchoolFilter,
) -> sea_orm::Select<school::Entity> {
    let scope = principal.scope(Permission::SchoolRead);
    let mut q = school::Entity::find()
        .filter(scope.condition(school::Column::Path.into_simple_expr(), None));
    if let Some(code) = &filter.region {
        let path = state.regions.filter_path(code);
        q = q.filter(crate::access::under(
            school::Column::Path.into_simple_expr(),
            &path,
        ));
    }
    if let Some(stage) = filter.stage {
        q = q.filter(school::Column::Stage.eq(stage));
    }
    if let Some(ur) = filter.urban_rural {
        q = q.filter(school::Column::UrbanRural.eq(ur));
    }
    if let Some(tp) = filter.teaching_point {
        q = q.filter(school::Column::TeachingPoint.eq(tp));
    }
    if let Some(active) = filter.active {
        q = q.filter(school::Column::Active.eq(active));
    }
    if let Some(kw) = filter
        .keyword
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        q = q.filter(
            sea_orm::Condition::any()
                .add(contains_text(school::Column::Name, kw))
                .add(starts_with_text(school::Column::Code, kw)),
        );
    }
    q
}

pub async fn list(
    state: &AppState,
    principal: &Principal,
    filter: SchoolFilter,
    sort: SchoolSort,
    order: SortOrder,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<SchoolView>> {
    let (page, size, offset) = window(page, page_size)?;
    let q = scoped_query(state, principal, &filter);
    let column = match sort {
        SchoolSort::Code => school::Column::Code,
        SchoolSort::Name => school::Column::Name,
        SchoolSort::Stage => school::Column::Stage,
        SchoolSort::CountyCode => school::Column::CountyCode,
        SchoolSort::CreatedAt => school::Column::CreatedAt,
    };
    let (rows, total) = fetch(
        &state.db,
        q.order_by(column, order.to_sea())
            .order_by_asc(school::Column::Id),
        offset,
        size,
    )
    .await?;
    Ok(Page {
        items: rows.into_iter().map(|m| view(state, m)).collect(),
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

/// The school if the caller may read it; otherwise 404 whether or not it exists.
impl crate::access::Scoped for school::Model {
    fn scope_path(&self) -> &str {
        &self.path
    }
}

pub async fn find_visible(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<school::Model> {
    crate::access::find_visible::<school::Entity>(db, principal, Permission::SchoolRead, id).await
}

/// What the field checks make of a school's input.
pub struct CheckedSchool {
    /// County path plus the school code.
    pub path: String,
    pub stage: Stage,
}

/// The 学段 named by a form or a spreadsheet: a value or a label.
pub fn stage_of(input: &str) -> Result<Stage, FieldError> {
    Stage::from_input(input).ok_or_else(|| {
        FieldError::new(
            "stage",
            dm::SchoolStageInvalid {
                allowed: Stage::allowed(),
            },
        )
    })
}

/// A list or export filter's 学段 (a value or a label); an unknown one is refused rather than matching nothing.
pub fn stage_filter(input: Option<String>) -> AppResult<Option<Stage>> {
    input
        .as_deref()
        .map(stage_of)
        .transpose()
        .map_err(|e| AppError::Validation(vec![e]))
}

/// Field checks shared by the API and the import.
pub fn check_input(
    state: &AppState,
    input: &SchoolInput,
) -> Result<CheckedSchool, Vec<FieldError>> {
    let mut errors = Vec::new();
    if let Err(e) = validate::school_code(input.code.trim(), &state.regions.province_prefix()) {
        errors.push(FieldError::new("code", e));
    }
    if let Err(e) = validate::human_name(&input.name) {
        errors.push(FieldError::new("name", e));
    }
    let stage = stage_of(&input.stage).map_err(|e| errors.push(e)).ok();
    let path = match state.regions.get(input.county_code.trim()) {
        Some(r) if r.level == entity::region::NodeLevel::County => {
            format!("{}{}/", r.path, input.code.trim())
        }
        _ => {
            errors.push(FieldError::new("county_code", dm::CountyCodeUnknown));
            String::new()
        }
    };
    match stage {
        Some(stage) if errors.is_empty() => Ok(CheckedSchool { path, stage }),
        _ => Err(errors),
    }
}

fn audit_event(
    action: &'static str,
    m: &school::Model,
    detail: serde_json::Value,
) -> AuditEvent<'static> {
    AuditEvent {
        action,
        target_type: "school",
        target_id: Some(m.id.to_string()),
        target_path: Some(m.path.clone()),
        detail,
    }
}

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: SchoolInput,
) -> AppResult<SchoolView> {
    principal.require_somewhere(Permission::SchoolWrite)?;
    let CheckedSchool { path, stage } = check_input(state, &input).map_err(AppError::Validation)?;
    let county_path = state
        .regions
        .get(input.county_code.trim())
        .map(|r| r.path.clone())
        .unwrap_or_default();
    if !principal.can(Permission::SchoolWrite, &county_path) {
        return Err(AppError::field("county_code", dm::SchoolOutsideOwnArea));
    }
    let now = Utc::now();
    let txn = begin_write(&state.db).await?;
    let model = school::ActiveModel {
        code: Set(input.code.trim().to_string()),
        name: Set(input.name.trim().to_string()),
        county_code: Set(input.county_code.trim().to_string()),
        path: Set(path),
        stage: Set(stage),
        urban_rural: Set(input.urban_rural),
        teaching_point: Set(input.teaching_point),
        address: Set(input.address.clone()),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| map_unique(e, "code", dm::SchoolCodeTaken))?;
    audit::record(
        &txn,
        Some(principal),
        audit_event(
            "school.create",
            &model,
            serde_json::json!({ "code": model.code, "name": model.name }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(view(state, model))
}

/// Updates a school. Moving it to another county moves every row under it with it (see [`super::school_move`]).
pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: i64,
    input: SchoolInput,
) -> AppResult<SchoolView> {
    let existing = find_visible(&state.db, principal, id).await?;
    principal.require(
        Permission::SchoolWrite,
        Permission::SchoolRead,
        &existing.path,
    )?;
    if input.code.trim() != existing.code {
        return Err(AppError::field("code", dm::SchoolCodeFixed));
    }
    let CheckedSchool { path, stage } = check_input(state, &input).map_err(AppError::Validation)?;
    if path != existing.path && !principal.can(Permission::SchoolWrite, &path) {
        return Err(AppError::field("county_code", dm::SchoolMoveOutsideArea));
    }
    let txn = begin_write(&state.db).await?;
    let mut active: school::ActiveModel = existing.clone().into();
    active.name = Set(input.name.trim().to_string());
    active.county_code = Set(input.county_code.trim().to_string());
    active.path = Set(path.clone());
    active.stage = Set(stage);
    active.urban_rural = Set(input.urban_rural);
    active.teaching_point = Set(input.teaching_point);
    active.address = Set(input.address.clone());
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await?;
    super::school_move::repath_school(&txn, &existing.path, &path).await?;
    audit::record(
        &txn,
        Some(principal),
        audit_event(
            "school.update",
            &model,
            serde_json::json!({ "name": model.name, "county_code": model.county_code }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(view(state, model))
}

pub async fn set_active(
    state: &AppState,
    principal: &Principal,
    id: i64,
    active_flag: bool,
) -> AppResult<SchoolView> {
    let existing = find_visible(&state.db, principal, id).await?;
    principal.require(
        Permission::SchoolWrite,
        Permission::SchoolRead,
        &existing.path,
    )?;
    let txn = begin_write(&state.db).await?;
    let mut active: school::ActiveModel = existing.into();
    active.active = Set(active_flag);
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await?;
    let action = if active_flag {
        "school.activate"
    } else {
        "school.deactivate"
    };
    audit::record(
        &txn,
        Some(principal),
        audit_event(action, &model, serde_json::json!({})),
    )
    .await?;
    txn.commit().await?;
    Ok(view(state, model))
}
