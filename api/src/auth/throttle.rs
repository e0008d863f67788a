//! Who may try a password right now. Every attempt first claims a slot in ONE conditional UPDATE (the failure is
//! counted before the password is checked, and a success clears it), so parallel guesses can never get more than
//! the threshold of password checks, on any number of server instances sharing the database.
//!
//! Two counters, both in the database:
//! - per (typed username, client address): after `lockout_threshold` failures that pair is locked for
//!   `lockout_minutes`, doubling with each further lock until a success, up to `lockout_max_minutes`. An anonymous
//!   party can thereby only lock itself out, not the account's owner elsewhere.
//! - per typed username over all addresses: a sustained attack (`lockout_account_threshold` failures) locks the
//!   account for `lockout_account_minutes` — except from addresses the account has signed in from before, so the
//!   owner keeps working.
//!
//! Usernames that do not exist are counted and locked alike, so the answers never reveal which ones are real.
use chrono::{DateTime, Duration, Utc};
use entity::{known_address, login_attempt, login_throttle};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
    sea_query::{CaseStatement, Expr, OnConflict, SimpleExpr},
};

use crate::{
    AppState,
    platform::error::{AppError, AppResult},
};

/// An attempt that was let through to the password check.
pub struct Admitted {
    username: String,
    address_hash: String,
    /// Failures this (username, address) pair may still have before it is locked, this attempt counted. It reads
    /// only the caller's own pair counter, which unknown usernames keep exactly like real ones, so telling it
    /// reveals nothing about which accounts exist.
    pub remaining_attempts: i64,
}

/// The keyed hash under which an address is stored: the address itself is personal data and not needed.
pub fn address_hash(state: &AppState, ip: &str) -> String {
    state.keys.lookup_hash(&address_label(ip))
}

fn address_label(ip: &str) -> String {
    format!("sign-in address {ip}")
}

/// Claims an attempt for `username` from `ip`, or answers 423 while the pair or (from an unknown address) the
/// whole account is locked. `account_id` is the account the username names, if any.
pub async fn admit(
    state: &AppState,
    username: &str,
    account_id: Option<i64>,
    ip: &str,
) -> AppResult<Admitted> {
    let now = Utc::now();
    let config = &state.config;
    let address_hash = address_hash(state, ip);
    let lock_periods = pair_lock_periods(now, config.lockout_minutes, config.lockout_max_minutes);
    if !claim_pair(
        &state.db,
        username,
        &address_hash,
        now,
        config.lockout_threshold,
        &lock_periods,
    )
    .await?
    {
        let until = pair_locked_until(&state.db, username, &address_hash).await?;
        return Err(AppError::locked_until(until, now));
    }
    let known = match account_id {
        // Remembered under any readable key: addresses stored before a key rotation still count.
        Some(id) => {
            let hashes = state.keys.lookup_hashes(&address_label(ip));
            is_known(&state.db, id, &hashes).await?
        }
        None => false,
    };
    if !known {
        let until = now + Duration::minutes(config.lockout_account_minutes);
        if !claim_account(
            &state.db,
            username,
            now,
            config.lockout_account_threshold,
            until,
        )
        .await?
        {
            let until = account_locked_until(&state.db, username).await?;
            return Err(AppError::locked_until(until, now));
        }
    }
    let failures = pair_failures(&state.db, username, &address_hash).await?;
    Ok(Admitted {
        username: username.to_string(),
        address_hash,
        remaining_attempts: i64::from(Ord::max(
            config.lockout_threshold.saturating_sub(failures),
            0,
        )),
    })
}

fn pair_row(username: &str, address_hash: &str) -> sea_orm::Select<login_throttle::Entity> {
    login_throttle::Entity::find()
        .filter(login_throttle::Column::Username.eq(username))
        .filter(login_throttle::Column::AddressHash.eq(address_hash))
}

/// The pair's failure count after the claim (read back: informational only, the claim itself stays atomic).
async fn pair_failures(
    db: &impl ConnectionTrait,
    username: &str,
    address_hash: &str,
) -> AppResult<i32> {
    Ok(pair_row(username, address_hash)
        .one(db)
        .await?
        .map_or(0, |row| row.failures))
}

async fn pair_locked_until(
    db: &impl ConnectionTrait,
    username: &str,
    address_hash: &str,
) -> AppResult<Option<DateTime<Utc>>> {
    Ok(pair_row(username, address_hash)
        .one(db)
        .await?
        .and_then(|row| row.locked_until))
}

async fn account_locked_until(
    db: &impl ConnectionTrait,
    username: &str,
) -> AppResult<Option<DateTime<Utc>>> {
    Ok(login_attempt::Entity::find_by_id(username.to_string())
        .one(db)
        .await?
        .and_then(|row| row.locked_until))
}

/// The lock period of each strike, as the moment it ends: base, 2×base, 4×base … up to the maximum.
fn pair_lock_periods(
    now: DateTime<Utc>,
    base_minutes: i64,
    max_minutes: i64,
) -> Vec<DateTime<Utc>> {
    let base = Ord::max(base_minutes, 1);
    let max = Ord::max(max_minutes, base);
    let mut periods = Vec::new();
    let mut minutes = base;
    loop {
        periods.push(now + Duration::minutes(Ord::min(minutes, max)));
        if minutes >= max {
            return periods;
        }
        minutes = minutes.saturating_mul(2);
    }
}

/// One conditional UPDATE: counts the attempt unless the pair is locked, locking it at the threshold.
async fn claim_pair(
    db: &impl ConnectionTrait,
    username: &str,
    address_hash: &str,
    now: DateTime<Utc>,
    threshold: i32,
    lock_periods: &[DateTime<Utc>],
) -> AppResult<bool> {
    use login_throttle::Column as C;
    login_throttle::Entity::insert(login_throttle::ActiveModel {
        username: Set(username.to_string()),
        address_hash: Set(address_hash.to_string()),
        failures: Set(0),
        strikes: Set(0),
        locked_until: Set(None),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([C::Username, C::AddressHash])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    // Every right-hand side reads the row as it was before this update, on both engines.
    let expired = Expr::col(C::LockedUntil).is_not_null();
    let reaches = reaches_threshold(C::Failures, expired.clone(), threshold);
    let mut lock_end = CaseStatement::new();
    let last = lock_periods.len().saturating_sub(1);
    for (strike, until) in lock_periods.iter().enumerate().take(last) {
        lock_end = lock_end.case(Expr::col(C::Strikes).eq(strike as i32), Expr::val(*until));
    }
    let lock_end = lock_end.finally(Expr::val(lock_periods[last]));
    let claimed = login_throttle::Entity::update_many()
        .col_expr(
            C::Failures,
            CaseStatement::new()
                .case(expired, Expr::val(1))
                .finally(Expr::col(C::Failures).add(1))
                .into(),
        )
        .col_expr(
            C::LockedUntil,
            CaseStatement::new()
                .case(reaches.clone(), lock_end)
                .finally(Expr::val(None::<DateTime<Utc>>))
                .into(),
        )
        .col_expr(
            C::Strikes,
            CaseStatement::new()
                .case(reaches, Expr::col(C::Strikes).add(1))
                .finally(Expr::col(C::Strikes))
                .into(),
        )
        .col_expr(C::UpdatedAt, Expr::val(now))
        .filter(C::Username.eq(username))
        .filter(C::AddressHash.eq(address_hash))
        .filter(unlocked(C::LockedUntil, now))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// One conditional UPDATE on the account-wide counter (the pre-existing `login_attempts` row per username).
async fn claim_account(
    db: &impl ConnectionTrait,
    username: &str,
    now: DateTime<Utc>,
    threshold: i32,
    until: DateTime<Utc>,
) -> AppResult<bool> {
    use login_attempt::Column as C;
    login_attempt::Entity::insert(login_attempt::ActiveModel {
        username: Set(username.to_string()),
        failures: Set(0),
        locked_until: Set(None),
        updated_at: Set(now),
    })
    .on_conflict(OnConflict::column(C::Username).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    let expired = Expr::col(C::LockedUntil).is_not_null();
    let reaches = reaches_threshold(C::Failures, expired.clone(), threshold);
    let claimed = login_attempt::Entity::update_many()
        .col_expr(
            C::Failures,
            CaseStatement::new()
                .case(expired, Expr::val(1))
                .finally(Expr::col(C::Failures).add(1))
                .into(),
        )
        .col_expr(
            C::LockedUntil,
            CaseStatement::new()
                .case(reaches, Expr::val(until))
                .finally(Expr::val(None::<DateTime<Utc>>))
                .into(),
        )
        .col_expr(C::UpdatedAt, Expr::val(now))
        .filter(C::Username.eq(username))
        .filter(unlocked(C::LockedUntil, now))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Whether this attempt is the threshold-th: counting starts again at 1 after an expired lock.
fn reaches_threshold(
    failures: impl sea_orm::IntoSimpleExpr + Copy,
    expired: SimpleExpr,
    threshold: i32,
) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(expired.clone())
                .add(Expr::val(1).gte(threshold)),
        )
        .add(
            Condition::all()
                .add(expired.not())
                .add(failures.into_simple_expr().add(1).gte(threshold)),
        )
}

fn unlocked(locked_until: impl ColumnTrait, now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(locked_until.is_null())
        .add(locked_until.lte(now))
}

async fn is_known(
    db: &impl ConnectionTrait,
    account_id: i64,
    address_hashes: &[String],
) -> AppResult<bool> {
    Ok(known_address::Entity::find()
        .filter(known_address::Column::AccountId.eq(account_id))
        .filter(known_address::Column::AddressHash.is_in(address_hashes.iter().cloned()))
        .one(db)
        .await?
        .is_some())
}

/// A successful sign-in: the pair starts afresh, the account-wide count too unless the account is locked (a
/// success from a known address must not lift the lock for everyone else), and the address becomes known.
pub async fn succeeded(
    state: &AppState,
    db: &impl ConnectionTrait,
    admitted: &Admitted,
    account_id: i64,
) -> AppResult<()> {
    let now = Utc::now();
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Username.eq(admitted.username.as_str()))
        .filter(login_throttle::Column::AddressHash.eq(admitted.address_hash.as_str()))
        .exec(db)
        .await?;
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::Username.eq(admitted.username.as_str()))
        .filter(
            Condition::any()
                .add(login_attempt::Column::LockedUntil.is_null())
                .add(login_attempt::Column::LockedUntil.lte(now)),
        )
        .exec(db)
        .await?;
    remember(
        db,
        account_id,
        &admitted.address_hash,
        now,
        state.config.known_addresses_per_account,
    )
    .await
}

/// Records the address as known and keeps only the latest few per account.
async fn remember(
    db: &impl ConnectionTrait,
    account_id: i64,
    address_hash: &str,
    now: DateTime<Utc>,
    keep: usize,
) -> AppResult<()> {
    use known_address::Column as C;
    known_address::Entity::insert(known_address::ActiveModel {
        account_id: Set(account_id),
        address_hash: Set(address_hash.to_string()),
        last_seen_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([C::AccountId, C::AddressHash])
            .update_column(C::LastSeenAt)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    // A handful of rows per account: the ones past the newest `keep` are dropped.
    let stale: Vec<i64> = known_address::Entity::find()
        .select_only()
        .column(C::Id)
        .filter(C::AccountId.eq(account_id))
        .order_by_desc(C::LastSeenAt)
        .order_by_desc(C::Id)
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .skip(keep.max(1))
        .collect();
    if !stale.is_empty() {
        known_address::Entity::delete_many()
            .filter(C::Id.is_in(stale))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Lifts every lock on a username (an administrator set the password or reactivated the account, or a reset
/// link was used).
pub async fn forget(db: &impl ConnectionTrait, username: &str) -> AppResult<()> {
    login_attempt::Entity::delete_by_id(username.to_string())
        .exec(db)
        .await?;
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Username.eq(username))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_periods_double_up_to_the_maximum() {
        let now = Utc::now();
        let minutes: Vec<i64> = pair_lock_periods(now, 15, 24 * 60)
            .iter()
            .map(|t| (*t - now).num_minutes())
            .collect();
        assert_eq!(minutes, vec![15, 30, 60, 120, 240, 480, 960, 1440]);
        assert_eq!(pair_lock_periods(now, 30, 10).len(), 1);
    }
}
