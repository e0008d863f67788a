//! The quota cascade: the owner's seats are handed down province → city → county → school. Nobody can hand out
//! more than they received, nor take back seats a child has already passed on or used. The giver's counter is
//! moved by a conditional UPDATE, so two concurrent allocations can never overshoot on either engine.
use crate::platform::i18n::catalogue::training as tm;
use chrono::Utc;
use entity::program_quota;
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, Set, sea_query::Expr,
};
use serde::{Deserialize, Serialize};

use super::{
    programs::find_visible,
    rules::{QuotaError, check_allocation},
};
use crate::{
    AppState,
    access::{NodeRef, Permission},
    auth::Principal,
    directory::service::{node_name, resolve_node},
    platform::{
        audit::{self, AuditEvent},
        db::begin_write,
        error::{AppError, AppResult},
    },
};

/// Who may take a seat (学段, 学科, 职称, 教龄); empty lists mean anyone.
#[derive(Debug, Clone, Default, Object, Serialize, Deserialize, PartialEq)]
#[oai(skip_serializing_if_is_none)]
pub struct Eligibility {
    #[oai(default)]
    #[serde(default)]
    pub stages: Vec<String>,
    #[oai(default)]
    #[serde(default)]
    pub subjects: Vec<String>,
    #[oai(default)]
    #[serde(default)]
    pub titles: Vec<String>,
    #[serde(default)]
    pub min_teaching_years: Option<i32>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct QuotaInput {
    #[oai(validator(minimum(value = "0"), maximum(value = "10000000")))]
    pub seats: i32,
    /// Narrower eligibility for this node; absent keeps (or inherits) the giver's.
    pub eligibility: Option<Eligibility>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct QuotaView {
    pub id: i64,
    pub node_code: String,
    pub node_name: String,
    pub parent_id: Option<i64>,
    pub seats: i32,
    /// Handed on to nodes below.
    pub allocated: i32,
    /// Taken by enrolments at this node.
    pub used: i32,
    pub available: i32,
    pub eligibility: Eligibility,
}

async fn view(state: &AppState, q: program_quota::Model) -> AppResult<QuotaView> {
    Ok(QuotaView {
        id: q.id,
        node_name: node_name(state, &q.node_code).await?,
        node_code: q.node_code,
        parent_id: q.parent_id,
        seats: q.seats,
        allocated: q.allocated,
        used: q.used,
        available: q.seats - q.allocated - q.used,
        eligibility: serde_json::from_str(&q.eligibility).unwrap_or_default(),
    })
}

/// The quotas of a program that lie in my part of the tree, plus those on my way up to the owner.
pub async fn list(
    state: &AppState,
    principal: &Principal,
    program_id: i64,
) -> AppResult<Vec<QuotaView>> {
    let p = find_visible(&state.db, principal, program_id).await?;
    let rows = program_quota::Entity::find()
        .filter(program_quota::Column::ProgramId.eq(p.id))
        .order_by_asc(program_quota::Column::NodePath)
        .all(&state.db)
        .await?;
    let mut out = Vec::new();
    for q in rows {
        if principal.in_line_with(&q.node_path) {
            out.push(view(state, q).await?);
        }
    }
    Ok(out)
}

/// The node one level up: a region's parent, or a school's county.
fn parent_path(path: &str) -> Option<String> {
    let trimmed = path.trim_end_matches('/');
    let cut = trimmed.rfind('/')?;
    (cut > 0).then(|| format!("{}/", &trimmed[..cut]))
}

async fn quota_at(
    db: &impl ConnectionTrait,
    program_id: i64,
    path: &str,
) -> Result<Option<program_quota::Model>, sea_orm::DbErr> {
    program_quota::Entity::find()
        .filter(program_quota::Column::ProgramId.eq(program_id))
        .filter(program_quota::Column::NodePath.eq(path))
        .one(db)
        .await
}

fn quota_error(e: QuotaError) -> AppError {
    match e {
        QuotaError::Negative => AppError::field("seats", tm::SeatsNegative),
        QuotaError::Exceeds { available } => {
            AppError::field("seats", tm::SeatsExceedAvailable { count: available })
        }
        QuotaError::BelowCommitted { committed } => {
            AppError::field("seats", tm::SeatsBelowCommitted { count: committed })
        }
    }
}

/// Sets the seats a node holds in a program, taken from its parent's quota.
pub async fn allocate(
    state: &AppState,
    principal: &Principal,
    program_id: i64,
    node_code: &str,
    input: QuotaInput,
) -> AppResult<QuotaView> {
    let p = find_visible(&state.db, principal, program_id).await?;
    if p.status == entity::program::ProgramStatus::Closed {
        return Err(AppError::conflict("status", tm::ProgramClosed));
    }
    let Some(NodeRef { path, .. }) = resolve_node(state, node_code.trim()).await? else {
        return Err(AppError::NotFound);
    };
    if !path.starts_with(p.owner_path.as_str()) || path == p.owner_path {
        return Err(AppError::field("node_code", tm::QuotaOnlyBelowOwner));
    }
    let giver_path = parent_path(&path).ok_or(AppError::NotFound)?;
    // A node outside my part of the tree does not exist for me; one inside it is given to from above me.
    if !principal.can(Permission::RegionRead, &path) {
        return Err(AppError::NotFound);
    }
    if !principal.can(Permission::ProgramManage, &giver_path) {
        return Err(AppError::Forbidden);
    }
    let txn = begin_write(&state.db).await?;
    let giver = quota_at(&txn, p.id, &giver_path)
        .await?
        .ok_or_else(|| AppError::field("node_code", tm::QuotaAboveEmpty))?;
    let existing = quota_at(&txn, p.id, &path).await?;
    let (current, committed) = existing
        .as_ref()
        .map(|q| (q.seats, q.allocated + q.used))
        .unwrap_or((0, 0));
    check_allocation(
        i64::from(giver.seats) - i64::from(giver.used),
        i64::from(giver.allocated),
        i64::from(current),
        i64::from(input.seats),
        i64::from(committed),
    )
    .map_err(quota_error)?;
    let delta = input.seats - current;
    // Re-checked in the UPDATE itself: of two concurrent allocations only those that still fit succeed.
    let moved = program_quota::Entity::update_many()
        .col_expr(
            program_quota::Column::Allocated,
            Expr::col(program_quota::Column::Allocated).add(delta),
        )
        .col_expr(program_quota::Column::UpdatedAt, Expr::val(Utc::now()))
        .filter(program_quota::Column::Id.eq(giver.id))
        .filter(
            Expr::col(program_quota::Column::Allocated)
                .add(Expr::col(program_quota::Column::Used))
                .add(delta)
                .lte(Expr::col(program_quota::Column::Seats)),
        )
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(quota_error(QuotaError::Exceeds { available: 0 }));
    }
    let inherited = input
        .eligibility
        .clone()
        .map(|e| serde_json::to_string(&e))
        .transpose()
        .map_err(AppError::internal)?;
    let model = match existing {
        Some(q) => {
            let mut active: program_quota::ActiveModel = q.into();
            active.seats = Set(input.seats);
            if let Some(e) = inherited {
                active.eligibility = Set(e);
            }
            active.updated_at = Set(Utc::now());
            active.update(&txn).await?
        }
        None => {
            program_quota::ActiveModel {
                program_id: Set(p.id),
                node_code: Set(node_code.trim().to_string()),
                node_path: Set(path.clone()),
                parent_id: Set(Some(giver.id)),
                seats: Set(input.seats),
                allocated: Set(0),
                used: Set(0),
                eligibility: Set(inherited.unwrap_or_else(|| giver.eligibility.clone())),
                updated_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "program.quota",
            target_type: "program",
            target_id: Some(p.id.to_string()),
            target_path: Some(path),
            detail: serde_json::json!({ "node_code": model.node_code, "seats": model.seats, "from": current }),
        },
    )
    .await?;
    txn.commit().await?;
    view(state, model).await
}

#[cfg(test)]
mod tests {
    use super::parent_path;

    #[test]
    fn parent_of_school_is_its_county_and_root_has_none() {
        assert_eq!(
            parent_path("/510000/510100/510104/2151000001/").as_deref(),
            Some("/510000/510100/510104/")
        );
        assert_eq!(parent_path("/510000/510100/").as_deref(), Some("/510000/"));
        assert_eq!(parent_path("/510000/"), None);
    }
}
