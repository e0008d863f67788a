//! The quota cascade: the owner's seats are handed down province → city → county → school. Nobody can hand out
//! more than they received, nor take back seats a child has already passed on or used. The giver's counter is
//! moved by a conditional UPDATE, so two concurrent allocations can never overshoot on either engine.
use crate::platform::i18n::catalogue::training as tm;
use chrono::Utc;
use entity::{program_quota, school, teacher};
use poem_openapi::{Enum, Object};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, sea_query::Expr,
};
use serde::{Deserialize, Serialize};

use super::{
    programs::find_visible,
    rules::{QuotaError, check_allocation},
};
use crate::{
    AppState,
    access::{NodeLevel, NodeRef, Permission},
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

/// Where seats go: the node, its quota row if it has one, the seats it is to hold and a narrower eligibility.
struct Handing<'a> {
    node_code: &'a str,
    path: &'a str,
    existing: Option<program_quota::Model>,
    seats: i32,
    eligibility: Option<String>,
}

/// Moves seats from the giver to the node so that it holds `to.seats`, creating its quota row (with the giver's
/// eligibility unless a narrower one is given) when it has none. The giver's counter is moved by a conditional
/// UPDATE, so of two concurrent allocations only those that still fit succeed.
async fn hand_on(
    txn: &impl ConnectionTrait,
    giver: &program_quota::Model,
    to: Handing<'_>,
) -> AppResult<program_quota::Model> {
    let current = to.existing.as_ref().map_or(0, |q| q.seats);
    let delta = to.seats - current;
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
        .exec(txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(quota_error(QuotaError::Exceeds { available: 0 }));
    }
    Ok(match to.existing {
        Some(q) => {
            let mut active: program_quota::ActiveModel = q.into();
            active.seats = Set(to.seats);
            if let Some(e) = to.eligibility {
                active.eligibility = Set(e);
            }
            active.updated_at = Set(Utc::now());
            active.update(txn).await?
        }
        None => {
            program_quota::ActiveModel {
                program_id: Set(giver.program_id),
                node_code: Set(to.node_code.to_string()),
                node_path: Set(to.path.to_string()),
                parent_id: Set(Some(giver.id)),
                seats: Set(to.seats),
                allocated: Set(0),
                used: Set(0),
                eligibility: Set(to.eligibility.unwrap_or_else(|| giver.eligibility.clone())),
                updated_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?
        }
    })
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
    let inherited = input
        .eligibility
        .clone()
        .map(|e| serde_json::to_string(&e))
        .transpose()
        .map_err(AppError::internal)?;
    let model = hand_on(
        &txn,
        &giver,
        Handing {
            node_code: node_code.trim(),
            path: &path,
            existing,
            seats: input.seats,
            eligibility: inherited,
        },
    )
    .await?;
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

/// How 分配到下级 shares a node's free seats among the nodes directly below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum SplitMethod {
    /// The same number each (the remainder to the first in code order).
    Even,
    /// In proportion to each node's active teachers (largest remainder); a node without teachers gets none.
    Teachers,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DistributeRequest {
    pub method: SplitMethod,
    /// Preview only (default `true`); `false` hands on every share in one transaction.
    pub dry_run: Option<bool>,
}

/// One node below and what it receives.
#[derive(Debug, Clone, Object)]
pub struct QuotaShare {
    pub node_code: String,
    pub node_name: String,
    /// Active teachers below the node.
    pub teachers: u64,
    /// Seats it holds now.
    pub current: i32,
    /// Seats it receives.
    pub added: i32,
    /// Seats it holds afterwards.
    pub seats: i32,
}

/// 分配到下级: the split of a node's free seats among every school of a county (or every region of a city or the
/// province), previewed or committed.
#[derive(Debug, Clone, Object)]
pub struct DistributionPlan {
    pub node_code: String,
    /// Free seats of the node before the split (held, not yet handed on nor used).
    pub available: i32,
    pub method: SplitMethod,
    pub shares: Vec<QuotaShare>,
    pub committed: bool,
}

/// Splits `total` by `weights` with the largest-remainder method: shares sum to `total` unless every weight is
/// zero (then all are zero); ties go to the earlier position, so the split is deterministic.
pub fn split_by_weight(total: i64, weights: &[u64]) -> Vec<i64> {
    let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    if sum == 0 || total <= 0 {
        return vec![0; weights.len()];
    }
    let total_u = total.unsigned_abs() as u128;
    let mut shares: Vec<i64> = weights
        .iter()
        .map(|w| i64::try_from(total_u * u128::from(*w) / sum).unwrap_or(0))
        .collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Largest remainder first; the stable sort keeps code order among equals.
    order.sort_by_key(|&i| std::cmp::Reverse(total_u * u128::from(weights[i]) % sum));
    let left = total - shares.iter().sum::<i64>();
    for &i in order.iter().take(usize::try_from(left).unwrap_or(0)) {
        shares[i] += 1;
    }
    shares
}

/// A node directly below the one being split.
struct Below {
    code: String,
    name: String,
    path: String,
}

/// The nodes directly below `node`: a county's active schools, or a region's child regions, in code order.
async fn nodes_below(
    state: &AppState,
    db: &impl ConnectionTrait,
    node: &NodeRef,
) -> AppResult<Vec<Below>> {
    Ok(match node.level {
        NodeLevel::School => Vec::new(),
        NodeLevel::County => school::Entity::find()
            .filter(school::Column::CountyCode.eq(node.code.as_str()))
            .filter(school::Column::Active.eq(true))
            .order_by_asc(school::Column::Code)
            .all(db)
            .await?
            .into_iter()
            .map(|s| Below {
                code: s.code,
                name: s.name,
                path: s.path,
            })
            .collect(),
        _ => state
            .regions
            .all()
            .filter(|r| r.parent_code.as_deref() == Some(node.code.as_str()))
            .map(|r| Below {
                code: r.code.clone(),
                name: r.name.clone(),
                path: r.path.clone(),
            })
            .collect(),
    })
}

async fn active_teachers_below(db: &impl ConnectionTrait, path: &str) -> AppResult<u64> {
    Ok(teacher::Entity::find()
        .filter(teacher::Column::Path.starts_with(path))
        .filter(teacher::Column::Active.eq(true))
        .count(db)
        .await?)
}

/// 分配到下级: shares the node's free seats among every node directly below it (for a county: all its schools),
/// evenly or by teachers, on top of what each holds. A dry run (the default) only previews; otherwise every share
/// is handed on in one transaction, each audited like a single allocation.
pub async fn distribute(
    state: &AppState,
    principal: &Principal,
    program_id: i64,
    node_code: &str,
    req: DistributeRequest,
) -> AppResult<DistributionPlan> {
    let p = find_visible(&state.db, principal, program_id).await?;
    if p.status == entity::program::ProgramStatus::Closed {
        return Err(AppError::conflict("status", tm::ProgramClosed));
    }
    let node = resolve_node(state, node_code.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    if !principal.can(Permission::RegionRead, &node.path) {
        return Err(AppError::NotFound);
    }
    // The node gives here, so I must manage it (not merely the level above).
    if !principal.can(Permission::ProgramManage, &node.path) {
        return Err(AppError::Forbidden);
    }
    let txn = begin_write(&state.db).await?;
    let giver = quota_at(&txn, p.id, &node.path)
        .await?
        .ok_or_else(|| AppError::field("node_code", tm::QuotaNodeHoldsNone))?;
    let below = nodes_below(state, &txn, &node).await?;
    if below.is_empty() {
        return Err(AppError::field("node_code", tm::QuotaNothingBelow));
    }
    let mut teachers = Vec::with_capacity(below.len());
    let mut held = Vec::with_capacity(below.len());
    for b in &below {
        teachers.push(active_teachers_below(&txn, &b.path).await?);
        held.push(quota_at(&txn, p.id, &b.path).await?);
    }
    let available = giver.seats - giver.allocated - giver.used;
    let weights: Vec<u64> = match req.method {
        SplitMethod::Even => vec![1; below.len()],
        SplitMethod::Teachers => teachers.clone(),
    };
    let added = split_by_weight(i64::from(available), &weights);
    let mut shares = Vec::with_capacity(below.len());
    let commit = !req.dry_run.unwrap_or(true);
    for (((b, existing), n), add) in below.into_iter().zip(held).zip(teachers).zip(added) {
        let add = i32::try_from(add).map_err(AppError::internal)?;
        let current = existing.as_ref().map_or(0, |q| q.seats);
        if commit && add > 0 {
            let giver = quota_at(&txn, p.id, &node.path)
                .await?
                .ok_or(AppError::NotFound)?;
            hand_on(
                &txn,
                &giver,
                Handing {
                    node_code: &b.code,
                    path: &b.path,
                    existing,
                    seats: current + add,
                    eligibility: None,
                },
            )
            .await?;
            audit::record(
                &txn,
                Some(principal),
                AuditEvent {
                    action: "program.quota",
                    target_type: "program",
                    target_id: Some(p.id.to_string()),
                    target_path: Some(b.path.clone()),
                    detail: serde_json::json!({
                        "node_code": b.code, "seats": current + add, "from": current,
                        "distributed_from": node.code,
                    }),
                },
            )
            .await?;
        }
        shares.push(QuotaShare {
            node_code: b.code,
            node_name: b.name,
            teachers: n,
            current,
            added: add,
            seats: current + add,
        });
    }
    let committed = commit && available > 0;
    if committed {
        txn.commit().await?;
    } else {
        txn.rollback().await?;
    }
    Ok(DistributionPlan {
        node_code: node.code,
        available,
        method: req.method,
        shares,
        committed,
    })
}

#[cfg(test)]
mod tests {
    use super::{parent_path, split_by_weight};

    #[test]
    fn parent_of_school_is_its_county_and_root_has_none() {
        assert_eq!(
            parent_path("/510000/510100/510104/2151000001/").as_deref(),
            Some("/510000/510100/510104/")
        );
        assert_eq!(parent_path("/510000/510100/").as_deref(), Some("/510000/"));
        assert_eq!(parent_path("/510000/"), None);
    }

    #[test]
    fn largest_remainder_split_sums_to_total_and_favours_earlier_ties() {
        assert_eq!(split_by_weight(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(split_by_weight(10, &[30, 10, 0]), vec![8, 2, 0]);
        assert_eq!(split_by_weight(7, &[2, 3, 5]), vec![1, 2, 4]);
        assert_eq!(split_by_weight(0, &[1, 2]), vec![0, 0]);
        assert_eq!(split_by_weight(5, &[0, 0]), vec![0, 0]);
        assert!(split_by_weight(5, &[]).is_empty());
    }
}
