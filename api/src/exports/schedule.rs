//! Scheduled reports: an administrator's standing order for an export of its scope, made weekly or monthly.
//! Runs are China time (UTC+8, no daylight saving): Mondays and the first of the month at 06:00, before the
//! working day. A due run moves `next_run_at` with a compare-and-set in the transaction that queues its export,
//! so of several instances exactly one makes each run; runs missed while no instance was up are made once, and
//! the next one is the first slot after now.
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveTime, TimeZone, Utc};
use entity::report_subscription::{self as subscription, ReportCadence};
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::{
    params::{ExportOrder, format_of},
    produce::{check, kind_label},
    service,
};
use crate::{
    AppState,
    auth::Principal,
    platform::{
        audit::{self, AuditEvent},
        db::begin_write,
        error::{AppError, AppResult},
        i18n::catalogue::exports as m,
        shutdown::Shutdown,
    },
};

/// Subscriptions one account may hold.
pub const MAX_PER_ACCOUNT: u64 = 20;
/// How often the scheduler looks for due runs and expired exports.
const TICK: std::time::Duration = std::time::Duration::from_secs(60);
/// The hour of a run, China time.
const RUN_HOUR: u32 = 6;

fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The first run of `cadence` strictly after `now`.
pub fn next_run(cadence: ReportCadence, now: DateTime<Utc>) -> DateTime<Utc> {
    let local = now.with_timezone(&china());
    let at_six = |date: chrono::NaiveDate| {
        china()
            .from_local_datetime(
                &date.and_time(NaiveTime::from_hms_opt(RUN_HOUR, 0, 0).unwrap_or_default()),
            )
            .single()
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or(now)
    };
    let today = local.date_naive();
    match cadence {
        ReportCadence::Weekly => {
            let back = i64::from(today.weekday().num_days_from_monday());
            let monday = today - Duration::days(back);
            let this_week = at_six(monday);
            if this_week > now {
                this_week
            } else {
                at_six(monday + Duration::days(7))
            }
        }
        ReportCadence::Monthly => {
            let first = today.with_day(1).unwrap_or(today);
            let this_month = at_six(first);
            if this_month > now {
                this_month
            } else {
                let next = if first.month() == 12 {
                    first
                        .with_year(first.year() + 1)
                        .and_then(|d| d.with_month(1))
                } else {
                    first.with_month(first.month() + 1)
                };
                at_six(next.unwrap_or(first))
            }
        }
    }
}

/// A subscription as its owner sees it.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ReportSubscriptionView {
    pub id: i64,
    pub order: ExportOrder,
    /// The kind's name in the request's language.
    pub kind_label: String,
    pub cadence: ReportCadence,
    pub active: bool,
    pub next_run_at: DateTime<Utc>,
    pub last_run_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl ReportSubscriptionView {
    fn of(m: subscription::Model) -> Self {
        Self {
            kind_label: kind_label(m.kind),
            order: ExportOrder {
                kind: m.kind,
                format: Some(format_of(&m.format)),
                params: serde_json::from_str(&m.params).unwrap_or_default(),
            },
            id: m.id,
            cadence: m.cadence,
            active: m.active,
            next_run_at: m.next_run_at,
            last_run_at: m.last_run_at,
            created_at: m.created_at,
        }
    }
}

/// A new subscription: what to export and how often.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct NewReportSubscription {
    pub order: ExportOrder,
    pub cadence: ReportCadence,
}

/// Subscribes: the export is checked as if asked for now; the first run is the next slot.
pub async fn subscribe(
    state: &AppState,
    principal: &Principal,
    new: NewReportSubscription,
) -> AppResult<ReportSubscriptionView> {
    check(state, principal, &new.order)
        .await
        .map_err(|e| match e {
            // The order is one field of the subscription: its fields are named from there.
            AppError::Validation(errors) => AppError::Validation(
                errors
                    .into_iter()
                    .map(|mut f| {
                        f.field = format!("order.{}", f.field);
                        f
                    })
                    .collect(),
            ),
            other => other,
        })?;
    let txn = begin_write(&state.db).await?;
    let held = subscription::Entity::find()
        .filter(subscription::Column::AccountId.eq(principal.account_id))
        .count(&txn)
        .await?;
    if held >= MAX_PER_ACCOUNT {
        return Err(AppError::rule(
            m::TooManySubscriptions {
                limit: MAX_PER_ACCOUNT as i64,
            },
            vec![],
        ));
    }
    let now = Utc::now();
    let row = subscription::ActiveModel {
        account_id: Set(principal.account_id),
        kind: Set(new.order.kind),
        format: Set(new.order.format().extension().to_string()),
        params: Set(new.order.params_json()),
        cadence: Set(new.cadence),
        active: Set(true),
        next_run_at: Set(next_run(new.cadence, now)),
        last_run_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, principal, "report_subscription.create", &row).await?;
    txn.commit().await?;
    Ok(ReportSubscriptionView::of(row))
}

/// My subscriptions (at most [`MAX_PER_ACCOUNT`]), oldest first.
pub async fn list_mine(
    state: &AppState,
    principal: &Principal,
) -> AppResult<Vec<ReportSubscriptionView>> {
    Ok(subscription::Entity::find()
        .filter(subscription::Column::AccountId.eq(principal.account_id))
        .filter(subscription::Column::Kind.is_in(entity::export::ExportKind::ALL))
        .order_by_asc(subscription::Column::Id)
        .limit(MAX_PER_ACCOUNT)
        .all(&state.db)
        .await?
        .into_iter()
        .map(ReportSubscriptionView::of)
        .collect())
}

async fn find_mine(
    db: &impl sea_orm::ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<subscription::Model> {
    subscription::Entity::find_by_id(id)
        .filter(subscription::Column::AccountId.eq(principal.account_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Pauses or resumes one of my subscriptions; resuming schedules the next slot from now (no catching up on the
/// runs a pause skipped).
pub async fn set_active(
    state: &AppState,
    principal: &Principal,
    id: i64,
    active: bool,
) -> AppResult<ReportSubscriptionView> {
    let txn = begin_write(&state.db).await?;
    let row = find_mine(&txn, principal, id).await?;
    let mut change: subscription::ActiveModel = row.clone().into();
    change.active = Set(active);
    if active && !row.active {
        change.next_run_at = Set(next_run(row.cadence, Utc::now()));
    }
    let row = change.update(&txn).await?;
    let action = if active {
        "report_subscription.resume"
    } else {
        "report_subscription.pause"
    };
    record(&txn, principal, action, &row).await?;
    txn.commit().await?;
    Ok(ReportSubscriptionView::of(row))
}

/// Ends one of my subscriptions (the exports it made stay until they expire).
pub async fn unsubscribe(state: &AppState, principal: &Principal, id: i64) -> AppResult<()> {
    let txn = begin_write(&state.db).await?;
    let row = find_mine(&txn, principal, id).await?;
    entity::export::Entity::update_many()
        .set(entity::export::ActiveModel {
            subscription_id: Set(None),
            ..Default::default()
        })
        .filter(entity::export::Column::SubscriptionId.eq(row.id))
        .exec(&txn)
        .await?;
    subscription::Entity::delete_by_id(row.id)
        .exec(&txn)
        .await?;
    record(&txn, principal, "report_subscription.delete", &row).await?;
    txn.commit().await?;
    Ok(())
}

async fn record(
    db: &impl sea_orm::ConnectionTrait,
    principal: &Principal,
    action: &'static str,
    row: &subscription::Model,
) -> Result<(), sea_orm::DbErr> {
    audit::record(
        db,
        Some(principal),
        AuditEvent {
            action,
            target_type: "report_subscription",
            target_id: Some(row.id.to_string()),
            target_path: None,
            detail: serde_json::json!({
                "kind": row.kind.as_str(),
                "cadence": row.cadence.as_str(),
                "format": row.format,
            }),
        },
    )
    .await
}

/// Queues the export of every subscription due at `now`; returns how many runs this call made. Safe to call from
/// any number of instances at once: a run belongs to whoever moves its `next_run_at`.
pub async fn run_due(state: &AppState, now: DateTime<Utc>) -> AppResult<u64> {
    let due = subscription::Entity::find()
        .filter(subscription::Column::Active.eq(true))
        .filter(subscription::Column::NextRunAt.lte(now))
        .filter(subscription::Column::Kind.is_in(entity::export::ExportKind::ALL))
        .order_by_asc(subscription::Column::NextRunAt)
        .limit(100)
        .all(&state.db)
        .await?;
    let mut made = 0;
    for sub in due {
        let txn = begin_write(&state.db).await?;
        let moved = subscription::Entity::update_many()
            .set(subscription::ActiveModel {
                next_run_at: Set(next_run(sub.cadence, now)),
                last_run_at: Set(Some(now)),
                ..Default::default()
            })
            .filter(subscription::Column::Id.eq(sub.id))
            .filter(subscription::Column::NextRunAt.eq(sub.next_run_at))
            .exec(&txn)
            .await?;
        if moved.rows_affected == 1 {
            let order = ExportOrder {
                kind: sub.kind,
                format: Some(format_of(&sub.format)),
                params: serde_json::from_str(&sub.params).unwrap_or_default(),
            };
            service::queue(&txn, sub.account_id, &order, Some(sub.id)).await?;
            made += 1;
        }
        txn.commit().await?;
    }
    Ok(made)
}

/// The scheduler's loop, on every worker instance: due runs, then expired exports, every minute until `stop`.
pub async fn run_scheduler(state: AppState, stop: Shutdown) {
    loop {
        let tick = async {
            let now = Utc::now();
            let runs = run_due(&state, now).await?;
            let removed = service::sweep(&state, now).await?;
            AppResult::Ok((runs, removed))
        };
        match stop.or_cancelled(tick).await {
            None => return,
            Some(Ok((0, 0))) => {}
            Some(Ok((runs, removed))) => {
                tracing::info!(
                    runs,
                    removed,
                    "scheduled reports queued, expired exports removed"
                )
            }
            Some(Err(e)) => tracing::warn!(error = ?e, "the report scheduler failed a round"),
        }
        if !stop.sleep(TICK).await {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("a test time")
            .with_timezone(&Utc)
    }

    #[test]
    fn weekly_runs_are_monday_six_in_the_morning_china_time() {
        // Sunday 23:00 in Chengdu → the next morning.
        assert_eq!(
            next_run(ReportCadence::Weekly, at("2026-12-06T23:00:00+08:00")),
            at("2026-12-07T06:00:00+08:00")
        );
        // Monday 05:59 → the same morning; 06:00 itself has been, so a week later.
        assert_eq!(
            next_run(ReportCadence::Weekly, at("2026-12-07T05:59:00+08:00")),
            at("2026-12-07T06:00:00+08:00")
        );
        assert_eq!(
            next_run(ReportCadence::Weekly, at("2026-12-07T06:00:00+08:00")),
            at("2026-12-14T06:00:00+08:00")
        );
        // Monday 01:00 in Chengdu is still Sunday in UTC: the China date counts.
        assert_eq!(
            next_run(ReportCadence::Weekly, at("2026-12-07T01:00:00+08:00")),
            at("2026-12-07T06:00:00+08:00")
        );
    }

    #[test]
    fn monthly_runs_are_the_first_of_the_month_across_the_year_end() {
        assert_eq!(
            next_run(ReportCadence::Monthly, at("2026-12-15T10:00:00+08:00")),
            at("2027-01-01T06:00:00+08:00")
        );
        assert_eq!(
            next_run(ReportCadence::Monthly, at("2027-01-01T05:00:00+08:00")),
            at("2027-01-01T06:00:00+08:00")
        );
        assert_eq!(
            next_run(ReportCadence::Monthly, at("2027-01-31T23:59:00+08:00")),
            at("2027-02-01T06:00:00+08:00")
        );
    }
}
