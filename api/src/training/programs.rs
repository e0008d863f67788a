//! Training programs (培训项目): created by an administrator at their own node, with the seats that node holds
//! as the top of the quota cascade.
use crate::platform::i18n::catalogue::training as tm;
use chrono::{DateTime, NaiveDate, Utc};
pub use entity::program::{EnrolmentMode, ProgramLevel, ProgramStatus};
use entity::{program, program_quota};
use poem_openapi::{Enum, Object};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};

use super::rules::{CompletionRule, HourCategory, HourCategoryText, HourRule};
use crate::{
    AppState,
    access::{NodeLevel, NodeRef, Permission, Scoped},
    auth::Principal,
    directory::service::resolve_node,
    platform::{
        audit::{self, AuditEvent},
        db::begin_write,
        error::{AppError, AppResult, FieldError},
        paging::{Page, lookup_all, window},
    },
};

/// The node level a program of this level is owned by (国培 and 省培 alike by the province).
fn owner_level(level: ProgramLevel) -> NodeLevel {
    match level {
        ProgramLevel::National | ProgramLevel::Provincial => NodeLevel::Province,
        ProgramLevel::City => NodeLevel::City,
        ProgramLevel::County => NodeLevel::County,
        ProgramLevel::School => NodeLevel::School,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum HourRuleKind {
    /// 累计: every approved hour counts.
    Cumulative,
    /// 指定: up to a target per category; the excess does not count.
    Designated,
}

#[derive(Debug, Clone, Object, PartialEq)]
#[oai(skip_serializing_if_is_none)]
pub struct CategoryHours {
    pub category: HourCategory,
    /// Hours in steps of 0.5.
    #[oai(validator(minimum(value = "0"), maximum(value = "10000"), multiple_of = "0.5"))]
    pub hours: f64,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct HourRuleInput {
    pub kind: HourRuleKind,
    /// Targets per category (designated rule only).
    #[oai(default)]
    pub caps: Vec<CategoryHours>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CompletionInput {
    #[oai(validator(minimum(value = "0"), maximum(value = "10000"), multiple_of = "0.5"))]
    pub required_hours: f64,
    /// Minimum hours per category (ICT 2.0 in Sichuan: online ≥ 20, practice ≥ 30).
    #[oai(default)]
    pub minimums: Vec<CategoryHours>,
    /// Micro-competencies (能力点) to pass in the program's year; 0 when not required.
    #[oai(default, validator(minimum(value = "0"), maximum(value = "30")))]
    pub competencies: i32,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ProgramInput {
    #[oai(validator(min_length = 1, max_length = 128))]
    pub name: String,
    pub level: ProgramLevel,
    /// Program type, e.g. 信息技术应用能力提升.
    #[oai(validator(min_length = 1, max_length = 64))]
    pub kind: String,
    #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))]
    pub year: i32,
    pub enrolment_mode: EnrolmentMode,
    pub enrol_from: Option<DateTime<Utc>>,
    pub enrol_until: Option<DateTime<Utc>>,
    pub train_from: Option<NaiveDate>,
    pub train_until: Option<NaiveDate>,
    pub hour_rule: HourRuleInput,
    pub completion: CompletionInput,
    /// The node that owns the program and holds its seats: my own region (or school for 校本 programs).
    #[oai(validator(max_length = 10))]
    pub owner_code: String,
    /// Seats the owner holds, to hand down the tree.
    #[oai(validator(minimum(value = "0"), maximum(value = "10000000")))]
    pub seats: i32,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ProgramView {
    pub id: i64,
    pub name: String,
    pub level: ProgramLevel,
    pub kind: String,
    pub year: i32,
    pub enrolment_mode: EnrolmentMode,
    pub enrol_from: Option<DateTime<Utc>>,
    pub enrol_until: Option<DateTime<Utc>>,
    pub train_from: Option<NaiveDate>,
    pub train_until: Option<NaiveDate>,
    pub hour_rule_kind: HourRuleKind,
    pub hour_caps: Vec<CategoryHours>,
    pub required_hours: f64,
    pub minimums: Vec<CategoryHours>,
    /// Micro-competencies (能力点) to pass in the program's year.
    pub competencies: i32,
    pub owner_code: String,
    pub status: ProgramStatus,
    pub seats: i32,
    pub created_at: DateTime<Utc>,
}

/// The stored forms (half-hours), kept as JSON text so both engines hold them alike.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
struct StoredHourRule {
    kind: String,
    #[serde(default)]
    caps: Vec<(String, i64)>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
struct StoredCompletion {
    required_total: i64,
    #[serde(default)]
    minimums: Vec<(String, i64)>,
    #[serde(default)]
    competencies: i64,
}

fn to_half(hours: f64) -> i64 {
    (hours * 2.0).round() as i64
}

fn stored_pairs(items: &[CategoryHours], field: &str) -> Result<Vec<(String, i64)>, FieldError> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for item in items {
        if !seen.insert(item.category) {
            return Err(FieldError::new(field, tm::CategoryOnce));
        }
        out.push((item.category.as_str().to_string(), to_half(item.hours)));
    }
    Ok(out)
}

fn view_pairs(pairs: &[(String, i64)]) -> Vec<CategoryHours> {
    pairs
        .iter()
        .filter_map(|(c, h)| {
            Some(CategoryHours {
                category: HourCategory::parse(c)?,
                hours: *h as f64 / 2.0,
            })
        })
        .collect()
}

/// The program's hour rule and completion rule as the rules module understands them.
pub fn rules_of(p: &program::Model) -> (HourRule, CompletionRule) {
    let hour: StoredHourRule = serde_json::from_str(&p.hour_rule).unwrap_or_default();
    let completion: StoredCompletion = serde_json::from_str(&p.completion_rule).unwrap_or_default();
    let map = |pairs: &[(String, i64)]| {
        pairs
            .iter()
            .filter_map(|(c, h)| Some((HourCategory::parse(c)?, *h)))
            .collect()
    };
    let hour_rule = if hour.kind == "designated" {
        HourRule::Designated(map(&hour.caps))
    } else {
        HourRule::Cumulative
    };
    (
        hour_rule,
        CompletionRule {
            required_total: completion.required_total,
            minimums: map(&completion.minimums),
            competencies: completion.competencies,
        },
    )
}

pub fn view(p: program::Model, seats: i32) -> ProgramView {
    let hour: StoredHourRule = serde_json::from_str(&p.hour_rule).unwrap_or_default();
    let completion: StoredCompletion = serde_json::from_str(&p.completion_rule).unwrap_or_default();
    ProgramView {
        id: p.id,
        name: p.name,
        level: p.level,
        kind: p.kind,
        year: p.year,
        enrolment_mode: p.enrolment_mode,
        enrol_from: p.enrol_from,
        enrol_until: p.enrol_until,
        train_from: p.train_from,
        train_until: p.train_until,
        hour_rule_kind: if hour.kind == "designated" {
            HourRuleKind::Designated
        } else {
            HourRuleKind::Cumulative
        },
        hour_caps: view_pairs(&hour.caps),
        required_hours: completion.required_total as f64 / 2.0,
        minimums: view_pairs(&completion.minimums),
        competencies: completion.competencies as i32,
        owner_code: p.owner_code,
        status: p.status,
        seats,
        created_at: p.created_at,
    }
}

/// Cross-field rules: windows in order, designated rules with caps, completion reachable.
fn check(input: &ProgramInput) -> Result<(StoredHourRule, StoredCompletion), Vec<FieldError>> {
    let mut errors = Vec::new();
    if let (Some(a), Some(b)) = (input.enrol_from, input.enrol_until)
        && a > b
    {
        errors.push(FieldError::new("enrol_until", tm::EnrolmentEndsBeforeStart));
    }
    if let (Some(a), Some(b)) = (input.train_from, input.train_until)
        && a > b
    {
        errors.push(FieldError::new("train_until", tm::TrainingEndsBeforeStart));
    }
    let caps = stored_pairs(&input.hour_rule.caps, "hour_rule.caps")
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let minimums = stored_pairs(&input.completion.minimums, "completion.minimums")
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let kind = match input.hour_rule.kind {
        HourRuleKind::Cumulative => "cumulative",
        HourRuleKind::Designated => {
            if caps.is_empty() {
                errors.push(FieldError::new(
                    "hour_rule.caps",
                    tm::DesignatedNeedsTargets,
                ));
            }
            let reachable: i64 = caps.iter().map(|(_, h)| h).sum();
            if reachable < to_half(input.completion.required_hours) {
                errors.push(FieldError::new(
                    "completion.required_hours",
                    tm::TargetsBelowRequired,
                ));
            }
            "designated"
        }
    };
    if errors.is_empty() {
        Ok((
            StoredHourRule {
                kind: kind.into(),
                caps,
            },
            StoredCompletion {
                required_total: to_half(input.completion.required_hours),
                minimums,
                competencies: i64::from(input.completion.competencies),
            },
        ))
    } else {
        Err(errors)
    }
}

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: ProgramInput,
) -> AppResult<ProgramView> {
    principal.require_somewhere(Permission::ProgramManage)?;
    let (hour_rule, completion) = check(&input).map_err(AppError::Validation)?;
    let Some(NodeRef { level, path, .. }) = resolve_node(state, input.owner_code.trim()).await?
    else {
        return Err(AppError::field("owner_code", tm::NoSuchRegionOrSchoolCode));
    };
    if level != owner_level(input.level) {
        return Err(AppError::field("level", tm::LevelOwnerMismatch));
    }
    if !principal.can(Permission::ProgramManage, &path) {
        return Err(AppError::field("owner_code", tm::ProgramOutsideArea));
    }
    let now = Utc::now();
    let txn = begin_write(&state.db).await?;
    let model = program::ActiveModel {
        name: Set(input.name.trim().to_string()),
        level: Set(input.level),
        kind: Set(input.kind.trim().to_string()),
        year: Set(input.year),
        enrolment_mode: Set(input.enrolment_mode),
        enrol_from: Set(input.enrol_from),
        enrol_until: Set(input.enrol_until),
        train_from: Set(input.train_from),
        train_until: Set(input.train_until),
        hour_rule: Set(serde_json::to_string(&hour_rule).map_err(AppError::internal)?),
        completion_rule: Set(serde_json::to_string(&completion).map_err(AppError::internal)?),
        owner_code: Set(input.owner_code.trim().to_string()),
        owner_path: Set(path.clone()),
        status: Set(ProgramStatus::Draft),
        created_by: Set(principal.account_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    program_quota::ActiveModel {
        program_id: Set(model.id),
        node_code: Set(model.owner_code.clone()),
        node_path: Set(path.clone()),
        parent_id: Set(None),
        seats: Set(input.seats),
        allocated: Set(0),
        used: Set(0),
        eligibility: Set("{}".into()),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "program.create",
            target_type: "program",
            target_id: Some(model.id.to_string()),
            target_path: Some(path),
            detail: serde_json::json!({ "name": model.name, "seats": input.seats }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(view(model, input.seats))
}

/// A program is visible to those who manage its owner node or sit below it (published programs only, for
/// people who cannot manage it): its audience is wider than the permission's scope, so it says so itself.
impl crate::access::Scoped for program::Model {
    fn scope_path(&self) -> &str {
        &self.owner_path
    }
    fn visible_to(&self, principal: &Principal, permission: Permission) -> bool {
        principal.can(permission, &self.owner_path)
            || (self.status != ProgramStatus::Draft && principal.sits_under(&self.owner_path))
    }
}

pub async fn find_visible(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<program::Model> {
    crate::access::find_visible::<program::Entity>(db, principal, Permission::ProgramManage, id)
        .await
}

async fn root_seats(db: &impl ConnectionTrait, p: &program::Model) -> AppResult<i32> {
    Ok(root_seats_of(db, std::slice::from_ref(p))
        .await?
        .remove(&p.id)
        .unwrap_or(0))
}

/// The seats each program's owner node holds, by program: one statement for a whole page.
async fn root_seats_of(
    db: &impl ConnectionTrait,
    programs: &[program::Model],
) -> AppResult<std::collections::HashMap<i64, i32>> {
    let owners: Vec<String> = programs.iter().map(|p| p.owner_code.clone()).collect();
    let quotas = lookup_all(
        db,
        program_quota::Entity::find().filter(program_quota::Column::NodeCode.is_in(owners)),
        program_quota::Column::ProgramId,
        programs.iter().map(|p| p.id),
        |q| q.program_id,
    )
    .await?;
    Ok(programs
        .iter()
        .filter_map(|p| {
            let root = quotas
                .get(&p.id)?
                .iter()
                .find(|q| q.node_code == p.owner_code)?;
            Some((p.id, root.seats))
        })
        .collect())
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<ProgramView> {
    let p = find_visible(db, principal, id).await?;
    let seats = root_seats(db, &p).await?;
    Ok(view(p, seats))
}

/// Programs owned by any node on the way from the root to my nodes, or inside my subtree.
pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    year: Option<i32>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<ProgramView>> {
    let (page, size, offset) = window(page, page_size)?;
    let mut owners = sea_orm::Condition::any();
    for path in principal.nodes_at_or_above() {
        owners = owners.add(program::Column::OwnerPath.eq(path));
    }
    let manage = principal.scope(Permission::ProgramManage);
    for prefix in &manage.prefixes {
        owners = owners.add(crate::access::under(
            sea_orm::IntoSimpleExpr::into_simple_expr(program::Column::OwnerPath),
            prefix,
        ));
    }
    let mut q = program::Entity::find().filter(owners);
    if let Some(y) = year {
        q = q.filter(program::Column::Year.eq(y));
    }
    let rows = q.order_by_desc(program::Column::Id).all(db).await?;
    let visible_rows: Vec<program::Model> = rows
        .into_iter()
        .filter(|p| p.visible_to(principal, Permission::ProgramManage))
        .collect();
    let total = crate::platform::paging::Total::exact(visible_rows.len() as u64);
    let rows: Vec<program::Model> = visible_rows
        .into_iter()
        .skip(offset as usize)
        .take(size as usize)
        .collect();
    let seats = root_seats_of(db, &rows).await?;
    let items = rows
        .into_iter()
        .map(|p| {
            let root = seats.get(&p.id).copied().unwrap_or(0);
            view(p, root)
        })
        .collect();
    Ok(Page {
        items,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

/// Publishing opens the program to the people below its owner.
pub async fn publish(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
) -> AppResult<ProgramView> {
    let p = find_visible(db, principal, id).await?;
    if !principal.can(Permission::ProgramManage, &p.owner_path) {
        return Err(AppError::Forbidden);
    }
    if p.status != ProgramStatus::Draft {
        return Err(AppError::Conflict {
            field: Some("status".into()),
            message: tm::AlreadyPublished.into(),
        });
    }
    let txn = begin_write(db).await?;
    let mut active: program::ActiveModel = p.into();
    active.status = Set(ProgramStatus::Published);
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "program.publish",
            target_type: "program",
            target_id: Some(model.id.to_string()),
            target_path: Some(model.owner_path.clone()),
            detail: serde_json::json!({}),
        },
    )
    .await?;
    txn.commit().await?;
    let seats = root_seats(db, &model).await?;
    Ok(view(model, seats))
}
