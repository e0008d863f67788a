//! The second factor (TOTP): enrolment, recovery codes, the sign-in challenge between the password and the code,
//! step-up verification, and its reset by a security administrator.
//!
//! Wrong codes are counted per challenge (a challenge dies after [`CHALLENGE_ATTEMPTS`]) and per account over all
//! challenges and step-ups (`lockout_threshold` wrong codes lock the second factor for `lockout_minutes`). An
//! accepted code's time step is stored, so neither it nor an older one works again.
use chrono::{DateTime, Duration, Utc};
use entity::{account, recovery_code, second_factor, session, sign_in_challenge};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter,
    Set, sea_query::Expr,
};

use super::{Principal, sessions, totp};
use crate::platform::i18n::catalogue::auth as am;
use crate::{
    AppState,
    platform::{
        audit::{self, AuditEvent},
        crypto::{new_token, token_hash},
        db::begin_write,
        error::{AppError, AppResult},
    },
};

/// Wrong codes one sign-in challenge survives.
pub const CHALLENGE_ATTEMPTS: i32 = 3;
/// How long the password step's challenge stays valid.
pub const CHALLENGE_MINUTES: i64 = 5;
pub const RECOVERY_CODES: usize = 10;

/// How a code was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verified {
    Totp,
    RecoveryCode,
}

impl Verified {
    pub fn as_str(self) -> &'static str {
        match self {
            Verified::Totp => "totp",
            Verified::RecoveryCode => "recovery_code",
        }
    }
}

fn wrong_code() -> AppError {
    AppError::auth_failed(am::InvalidSecondFactorCode)
}

fn wrong_code_field(field: &str) -> AppError {
    AppError::field(field, am::CodeWrongOrUsed)
}

fn invalid_challenge() -> AppError {
    AppError::auth_failed(am::InvalidChallenge)
}

/// The account's second factor if it is active (confirmed).
pub async fn active(
    db: &impl ConnectionTrait,
    account_id: i64,
) -> AppResult<Option<second_factor::Model>> {
    Ok(second_factor::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .filter(|f| f.confirmed_at.is_some() && f.secret_enc.is_some()))
}

/// Starts a challenge for an account whose password was right: the single-use ticket for the code step.
pub async fn new_challenge(db: &impl ConnectionTrait, account_id: i64) -> AppResult<String> {
    let (token, hash) = new_token();
    let now = Utc::now();
    sign_in_challenge::ActiveModel {
        account_id: Set(account_id),
        token_hash: Set(hash),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(CHALLENGE_MINUTES)),
        failures: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Redeems a challenge with a code: the account and how the code was accepted. The challenge is used up by a
/// right code, or by [`CHALLENGE_ATTEMPTS`] wrong ones.
pub async fn redeem_challenge(
    state: &AppState,
    challenge: &str,
    code: &str,
    ip: &str,
) -> AppResult<(account::Model, Verified)> {
    let now = Utc::now();
    let found = sign_in_challenge::Entity::find()
        .filter(sign_in_challenge::Column::TokenHash.eq(token_hash(challenge)))
        .one(&state.db)
        .await?
        .filter(|c| c.used_at.is_none() && c.expires_at > now && c.failures < CHALLENGE_ATTEMPTS)
        .ok_or_else(invalid_challenge)?;
    let account = account::Entity::find_by_id(found.account_id)
        .one(&state.db)
        .await?
        .filter(|a| a.active)
        .ok_or_else(invalid_challenge)?;
    match check_code(state, &account, code, ip).await {
        Ok(verified) => {
            let txn = begin_write(&state.db).await?;
            let claimed = sign_in_challenge::Entity::update_many()
                .col_expr(sign_in_challenge::Column::UsedAt, Expr::val(now))
                .filter(sign_in_challenge::Column::Id.eq(found.id))
                .filter(sign_in_challenge::Column::UsedAt.is_null())
                .exec(&txn)
                .await?;
            txn.commit().await?;
            if claimed.rows_affected != 1 {
                return Err(invalid_challenge());
            }
            Ok((account, verified))
        }
        Err(e) => {
            if matches!(e, AppError::AuthFailed { .. }) {
                let txn = begin_write(&state.db).await?;
                sign_in_challenge::Entity::update_many()
                    .col_expr(
                        sign_in_challenge::Column::Failures,
                        Expr::col(sign_in_challenge::Column::Failures).add(1),
                    )
                    .filter(sign_in_challenge::Column::Id.eq(found.id))
                    .exec(&txn)
                    .await?;
                txn.commit().await?;
            }
            Err(e)
        }
    }
}

/// Checks a code of the account's active second factor: a TOTP code of the current step (±1) not used before, or
/// an unused recovery code. Wrong codes are counted and audited and lock the factor at the threshold (423); a
/// wrong code answers 401 `invalid_second_factor_code`.
pub async fn check_code(
    state: &AppState,
    account: &account::Model,
    code: &str,
    ip: &str,
) -> AppResult<Verified> {
    let now = Utc::now();
    let factor = active(&state.db, account.id)
        .await?
        .ok_or_else(wrong_code)?;
    if factor.locked_until.is_some_and(|until| until > now) {
        return Err(AppError::locked_until(factor.locked_until, now));
    }
    let txn = begin_write(&state.db).await?;
    let verified = match accept_totp(state, &txn, &factor, code, now).await? {
        true => Some(Verified::Totp),
        false if accept_recovery_code(state, &txn, account.id, code, now).await? => {
            Some(Verified::RecoveryCode)
        }
        false => None,
    };
    let Some(verified) = verified else {
        count_failure(state, &txn, account.id, now).await?;
        audit::record(
            &txn,
            None,
            auth_event(
                "auth.second_factor_failed",
                account,
                serde_json::json!({ "ip": ip }),
            ),
        )
        .await?;
        txn.commit().await?;
        return Err(wrong_code());
    };
    second_factor::Entity::update_many()
        .col_expr(second_factor::Column::Failures, Expr::val(0))
        .col_expr(
            second_factor::Column::LockedUntil,
            Expr::val(None::<DateTime<Utc>>),
        )
        .filter(second_factor::Column::AccountId.eq(account.id))
        .exec(&txn)
        .await?;
    if verified == Verified::RecoveryCode {
        let left = recovery_codes_left(&txn, account.id).await?;
        audit::record(
            &txn,
            None,
            auth_event(
                "auth.recovery_code_used",
                account,
                serde_json::json!({ "ip": ip, "left": left }),
            ),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(verified)
}

/// Accepts a TOTP code by moving the stored last step forward in one conditional UPDATE: of two requests with the
/// same code only one wins.
async fn accept_totp(
    state: &AppState,
    db: &impl ConnectionTrait,
    factor: &second_factor::Model,
    code: &str,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let Some(sealed) = factor.secret_enc.as_deref() else {
        return Ok(false);
    };
    let secret = secret_bytes(state, sealed)?;
    let Some(step) = totp::matching_step(&secret, code, now.timestamp(), factor.last_used_step)
    else {
        return Ok(false);
    };
    let claimed = second_factor::Entity::update_many()
        .col_expr(second_factor::Column::LastUsedStep, Expr::val(step))
        .filter(second_factor::Column::AccountId.eq(factor.account_id))
        .filter(
            Condition::any()
                .add(second_factor::Column::LastUsedStep.is_null())
                .add(second_factor::Column::LastUsedStep.lt(step)),
        )
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

async fn accept_recovery_code(
    state: &AppState,
    db: &impl ConnectionTrait,
    account_id: i64,
    code: &str,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let claimed = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::val(now))
        .filter(recovery_code::Column::AccountId.eq(account_id))
        .filter(recovery_code::Column::CodeHash.is_in(recovery_hashes(state, code)))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

async fn count_failure(
    state: &AppState,
    db: &impl ConnectionTrait,
    account_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    use second_factor::Column as C;
    let threshold = state.config.lockout_threshold;
    let until = now + Duration::minutes(state.config.lockout_minutes);
    // One UPDATE: the count and, at the threshold, the lock (which starts the count afresh).
    let reaches = Expr::col(C::Failures).add(1).gte(threshold);
    second_factor::Entity::update_many()
        .col_expr(
            C::LockedUntil,
            sea_orm::sea_query::CaseStatement::new()
                .case(reaches.clone(), Expr::val(until))
                .finally(Expr::col(C::LockedUntil))
                .into(),
        )
        .col_expr(
            C::Failures,
            sea_orm::sea_query::CaseStatement::new()
                .case(reaches, Expr::val(0))
                .finally(Expr::col(C::Failures).add(1))
                .into(),
        )
        .filter(C::AccountId.eq(account_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Recovery codes are compared case- and separator-insensitively, as a keyed hash.
fn recovery_hash(state: &AppState, code: &str) -> String {
    state.keys.lookup_hash(&recovery_text(code))
}

/// The code's hash under every readable key: codes issued before a key rotation keep working.
fn recovery_hashes(state: &AppState, code: &str) -> Vec<String> {
    state.keys.lookup_hashes(&recovery_text(code))
}

fn recovery_text(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    format!("recovery code {normal}")
}

async fn recovery_codes_left(db: &impl ConnectionTrait, account_id: i64) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(recovery_code::Entity::find()
        .filter(recovery_code::Column::AccountId.eq(account_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(db)
        .await?)
}

fn secret_bytes(state: &AppState, sealed: &str) -> AppResult<Vec<u8>> {
    let text = state.keys.decrypt(sealed)?;
    totp::from_base32(&text).ok_or_else(|| AppError::internal("stored TOTP secret is not base32"))
}

/// What an authenticator app needs to add the account.
pub struct Enrolment {
    pub otpauth_uri: String,
    pub qr_svg: String,
    pub manual_key: String,
}

/// Starts (or restarts) enrolment with a fresh secret, kept pending until a code from it confirms it. While a
/// factor is active, replacing it needs a current code (`current_code`).
pub async fn start_enrolment(
    state: &AppState,
    principal: &Principal,
    current_code: Option<&str>,
) -> AppResult<Enrolment> {
    let account = own_account(&state.db, principal).await?;
    if active(&state.db, account.id).await?.is_some() {
        let code = current_code.ok_or_else(|| AppError::field("code", am::CurrentCodeRequired))?;
        verify_own_code(state, principal, &account, code, "code").await?;
    }
    let secret = totp::new_secret();
    let manual_key = totp::base32(&secret);
    let sealed = state.keys.encrypt(&manual_key);
    let now = Utc::now();
    let txn = begin_write(&state.db).await?;
    match second_factor::Entity::find_by_id(account.id)
        .one(&txn)
        .await?
    {
        Some(row) => {
            let mut row: second_factor::ActiveModel = row.into();
            row.pending_secret_enc = Set(Some(sealed));
            row.update(&txn).await?;
        }
        None => {
            second_factor::ActiveModel {
                account_id: Set(account.id),
                secret_enc: Set(None),
                pending_secret_enc: Set(Some(sealed)),
                confirmed_at: Set(None),
                last_used_step: Set(None),
                failures: Set(0),
                locked_until: Set(None),
                created_at: Set(now),
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    let otpauth_uri = totp::otpauth_uri(&account.username, &secret);
    let qr_svg = totp::qr_svg(&otpauth_uri)?;
    Ok(Enrolment {
        otpauth_uri,
        qr_svg,
        manual_key,
    })
}

/// Confirms the pending secret with one of its codes: it becomes the active factor, ten fresh recovery codes are
/// returned (the only time they are shown), and a session restricted to enrolment becomes a full one.
pub async fn confirm_enrolment(
    state: &AppState,
    principal: &Principal,
    code: &str,
) -> AppResult<Vec<String>> {
    let account = own_account(&state.db, principal).await?;
    let row = second_factor::Entity::find_by_id(account.id)
        .one(&state.db)
        .await?;
    let Some((row, sealed)) = row.and_then(|r| r.pending_secret_enc.clone().map(|s| (r, s))) else {
        return Err(AppError::field("code", am::EnrolmentNotStarted));
    };
    let secret = secret_bytes(state, &sealed)?;
    let now = Utc::now();
    let step = totp::matching_step(&secret, code, now.timestamp(), None)
        .ok_or_else(|| wrong_code_field("code"))?;
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let txn = begin_write(&state.db).await?;
    let mut active_row: second_factor::ActiveModel = row.into();
    active_row.secret_enc = Set(Some(sealed));
    active_row.pending_secret_enc = Set(None);
    active_row.confirmed_at = Set(Some(now));
    active_row.last_used_step = Set(Some(step));
    active_row.failures = Set(0);
    active_row.locked_until = Set(None);
    active_row.update(&txn).await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::AccountId.eq(account.id))
        .exec(&txn)
        .await?;
    recovery_code::Entity::insert_many(codes.iter().map(|c| recovery_code::ActiveModel {
        account_id: Set(account.id),
        code_hash: Set(recovery_hash(state, c)),
        used_at: Set(None),
        ..Default::default()
    }))
    .exec(&txn)
    .await?;
    if let Some(sid) = principal.session_id() {
        // Enrolling proves the factor: the session counts as verified now, and an enrolment restriction is lifted.
        session::Entity::update_many()
            .col_expr(session::Column::SecondFactorAt, Expr::val(now))
            .col_expr(
                session::Column::Restriction,
                sea_orm::sea_query::CaseStatement::new()
                    .case(
                        session::Column::Restriction
                            .eq(sessions::Restriction::SecondFactorEnrolment),
                        Expr::val(None::<String>),
                    )
                    .finally(Expr::col(session::Column::Restriction))
                    .into(),
            )
            .filter(session::Column::Id.eq(sid))
            .exec(&txn)
            .await?;
    }
    audit::record(
        &txn,
        Some(principal),
        auth_event(
            "auth.second_factor_enrolled",
            &account,
            serde_json::json!({}),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(codes)
}

/// `abcd-efgh-jk`: 10 characters of an alphabet without look-alikes (about 50 bits).
fn new_recovery_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let chars: String = (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{}-{}-{}", &chars[..4], &chars[4..8], &chars[8..])
}

/// The owner turns the factor off with a current code; refused while the policy requires one for their roles.
pub async fn disable(state: &AppState, principal: &Principal, code: &str) -> AppResult<()> {
    let account = own_account(&state.db, principal).await?;
    if active(&state.db, account.id).await?.is_none() {
        return Err(AppError::field("code", am::SecondFactorOff));
    }
    if required_for(state, principal) {
        return Err(AppError::field("code", am::SecondFactorMandatory));
    }
    verify_own_code(state, principal, &account, code, "code").await?;
    let txn = begin_write(&state.db).await?;
    remove(&txn, account.id).await?;
    audit::record(
        &txn,
        Some(principal),
        auth_event(
            "auth.second_factor_disabled",
            &account,
            serde_json::json!({}),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Whether the policy requires a second factor of this principal.
pub fn required_for(state: &AppState, principal: &Principal) -> bool {
    let required = state.config.mfa_required_role_names();
    principal.holds_any_named(&required)
}

async fn remove(db: &impl ConnectionTrait, account_id: i64) -> AppResult<()> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    second_factor::Entity::delete_by_id(account_id)
        .exec(db)
        .await?;
    Ok(())
}

/// A code entered inside a session (step-up, disabling, replacing): a wrong one is a 422 on `field`, not a 401,
/// so the SPA does not take it for an ended session.
async fn verify_own_code(
    state: &AppState,
    principal: &Principal,
    account: &account::Model,
    code: &str,
    field: &str,
) -> AppResult<Verified> {
    let ip = principal.ip.clone().unwrap_or_default();
    check_code(state, account, code, &ip)
        .await
        .map_err(|e| match e {
            AppError::AuthFailed { .. } => wrong_code_field(field),
            other => other,
        })
}

/// Step-up: a fresh code marks the session as verified now, for the operations that need it.
pub async fn step_up(state: &AppState, principal: &Principal, code: &str) -> AppResult<()> {
    let account = own_account(&state.db, principal).await?;
    let sid = principal.session_id().ok_or(AppError::Unauthorized)?;
    if active(&state.db, account.id).await?.is_none() {
        return Err(AppError::field("code", am::SecondFactorOff));
    }
    let verified = verify_own_code(state, principal, &account, code, "code").await?;
    let txn = begin_write(&state.db).await?;
    session::Entity::update_many()
        .col_expr(session::Column::SecondFactorAt, Expr::val(Utc::now()))
        .filter(session::Column::Id.eq(sid))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Some(principal),
        auth_event(
            "auth.step_up",
            &account,
            serde_json::json!({ "method": verified.as_str() }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A security administrator resets a lost second factor: it is removed, every session of the account ends, and
/// the owner enrols again at the next sign-in (where the policy requires one).
pub async fn reset(state: &AppState, principal: &Principal, account_id: i64) -> AppResult<()> {
    principal.require_somewhere(crate::access::Permission::SecurityManage)?;
    principal.require_step_up(&state.config)?;
    let account = account::Entity::find_by_id(account_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if account.id == principal.account_id {
        return Err(AppError::field("id", am::CannotResetOwnSecondFactor));
    }
    let txn = begin_write(&state.db).await?;
    remove(&txn, account.id).await?;
    sessions::end_where(
        &txn,
        session::Column::AccountId.eq(account.id),
        sessions::SessionEndReason::SecondFactorReset,
        Some(principal.account_id),
    )
    .await?;
    super::sessions::revoke_all(&txn, account.id).await?;
    audit::record(
        &txn,
        Some(principal),
        auth_event("auth.second_factor_reset", &account, serde_json::json!({})),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The owner's view of their second factor.
pub struct Status {
    pub active: bool,
    pub required: bool,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub recovery_codes_left: u64,
}

pub async fn status(state: &AppState, principal: &Principal) -> AppResult<Status> {
    let factor = active(&state.db, principal.account_id).await?;
    Ok(Status {
        active: factor.is_some(),
        required: required_for(state, principal),
        confirmed_at: factor.and_then(|f| f.confirmed_at),
        recovery_codes_left: recovery_codes_left(&state.db, principal.account_id).await?,
    })
}

async fn own_account(
    db: &impl ConnectionTrait,
    principal: &Principal,
) -> AppResult<account::Model> {
    account::Entity::find_by_id(principal.account_id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthorized)
}

/// An audit event about an account's sign-in.
pub fn auth_event<'a>(
    action: &'a str,
    account: &account::Model,
    mut detail: serde_json::Value,
) -> AuditEvent<'a> {
    if let Some(map) = detail.as_object_mut() {
        map.insert("username".into(), account.username.clone().into());
    }
    AuditEvent {
        action,
        target_type: "account",
        target_id: Some(account.id.to_string()),
        target_path: None,
        detail,
    }
}
