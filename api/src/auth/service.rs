//! Login with lockout, refresh-token rotation with reuse detection, logout, password change and reset.
use chrono::{DateTime, Duration, Utc};
use entity::{account, account_role, password_reset, refresh_token, session};
use sea_orm::ActiveEnum as _;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};

use super::{
    Principal,
    passwords::{self, check_policy},
    second_factor::{self, auth_event},
    sessions::{self, ClientInfo},
    throttle, tokens,
};
use crate::platform::i18n::{catalogue::auth as am, t};
use crate::{
    AppState,
    platform::{
        audit::{self, AuditEvent},
        crypto::{new_token, token_hash},
        db::begin_write,
        error::{AppError, AppResult},
    },
};

pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
}

/// The answer to a correct password: tokens, or (second factor on) the challenge for the code step.
pub enum LoginOutcome {
    Signed(TokenPair),
    SecondFactorRequired { challenge: String },
}

fn invalid_credentials(remaining_attempts: i64) -> AppError {
    AppError::auth_failed(am::InvalidCredentials { remaining_attempts })
}

fn invalid_refresh() -> AppError {
    AppError::auth_failed(am::InvalidRefreshToken)
}

pub fn normalise_username(username: &str) -> String {
    username.trim().to_lowercase()
}

pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    client: &ClientInfo,
) -> AppResult<LoginOutcome> {
    let ip = client.ip.as_str();
    if !state.login_limiter.check(ip) {
        return Err(AppError::RateLimited);
    }
    let username = normalise_username(username);
    let account = account::Entity::find()
        .filter(account::Column::Username.eq(username.clone()))
        .one(&state.db)
        .await?;
    // The attempt is counted before the password is checked; a success below clears it.
    let admitted = match throttle::admit(state, &username, account.as_ref().map(|a| a.id), ip).await
    {
        Ok(admitted) => admitted,
        Err(e) => {
            record_failure(&state.db, &username, account.as_ref(), ip, "locked").await?;
            return Err(e);
        }
    };
    let verified = match &account {
        Some(a) if a.active => state.hasher.verify(password, &a.password_hash).await?,
        _ => state.hasher.verify_decoy(password).await?,
    };
    let Some(account) = account.filter(|_| verified) else {
        record_failure(&state.db, &username, None, ip, "invalid_credentials").await?;
        return Err(invalid_credentials(admitted.remaining_attempts));
    };
    let txn = begin_write(&state.db).await?;
    throttle::succeeded(state, &txn, &admitted, account.id).await?;
    if second_factor::active(&txn, account.id).await?.is_some() {
        let challenge = second_factor::new_challenge(&txn, account.id).await?;
        txn.commit().await?;
        return Ok(LoginOutcome::SecondFactorRequired { challenge });
    }
    let pair = sign_in(state, &txn, &account, client, None, "password").await?;
    txn.commit().await?;
    Ok(LoginOutcome::Signed(pair))
}

/// The second step of a sign-in with a second factor: the challenge from the password step and a code (or a
/// recovery code).
pub async fn login_second_factor(
    state: &AppState,
    challenge: &str,
    code: &str,
    client: &ClientInfo,
) -> AppResult<TokenPair> {
    if !state.login_limiter.check(&client.ip) {
        return Err(AppError::RateLimited);
    }
    let (account, verified) =
        second_factor::redeem_challenge(state, challenge, code, &client.ip).await?;
    let txn = begin_write(&state.db).await?;
    let pair = sign_in(
        state,
        &txn,
        &account,
        client,
        Some(Utc::now()),
        verified.as_str(),
    )
    .await?;
    txn.commit().await?;
    Ok(pair)
}

/// A failed sign-in, for the audit log (with the address) and for the owner's "failed attempts since" notice.
async fn record_failure(
    db: &sea_orm::DatabaseConnection,
    username: &str,
    account: Option<&account::Model>,
    ip: &str,
    reason: &str,
) -> AppResult<()> {
    crate::platform::metrics::login_failed(reason);
    let account_id = match account {
        Some(a) => Some(a.id),
        None => account::Entity::find()
            .filter(account::Column::Username.eq(username))
            .one(db)
            .await?
            .map(|a| a.id),
    };
    let txn = begin_write(db).await?;
    audit::record(
        &txn,
        None,
        AuditEvent {
            action: "auth.login_failed",
            target_type: "account",
            target_id: account_id.map(|id| id.to_string()),
            target_path: None,
            detail: serde_json::json!({ "username": username, "ip": ip, "reason": reason }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Opens the session of a completed sign-in (restricted when a password change or an enrolment is due), audits
/// it and issues its first pair.
async fn sign_in(
    state: &AppState,
    db: &impl ConnectionTrait,
    account: &account::Model,
    client: &ClientInfo,
    second_factor_at: Option<DateTime<Utc>>,
    method: &str,
) -> AppResult<TokenPair> {
    let session = open_session(state, db, account, client, second_factor_at).await?;
    audit::record(
        db,
        None,
        auth_event(
            "auth.login",
            account,
            serde_json::json!({ "ip": client.ip, "method": method, "session": session.id, "restriction": session.restriction }),
        ),
    )
    .await?;
    issue_pair(state, db, account, &session).await
}

async fn open_session(
    state: &AppState,
    db: &impl ConnectionTrait,
    account: &account::Model,
    client: &ClientInfo,
    second_factor_at: Option<DateTime<Utc>>,
) -> AppResult<session::Model> {
    let roles: Vec<String> = account_role::Entity::find()
        .filter(account_role::Column::AccountId.eq(account.id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.role.to_value())
        .collect();
    let has_factor = second_factor::active(db, account.id).await?.is_some();
    let restriction =
        sessions::restriction_for(&state.config, account, &roles, has_factor, Utc::now());
    sessions::open(db, account.id, client, second_factor_at, restriction).await
}

async fn issue_pair(
    state: &AppState,
    db: &impl ConnectionTrait,
    account: &account::Model,
    session: &session::Model,
) -> AppResult<TokenPair> {
    let now = Utc::now();
    let (refresh, hash) = new_token();
    refresh_token::ActiveModel {
        account_id: Set(account.id),
        family: Set(session.family.clone()),
        token_hash: Set(hash),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(state.config.refresh_token_days)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let access = tokens::issue_access(
        &state.config,
        &state.keys,
        account.id,
        account.token_version,
        session.id,
    )?;
    Ok(TokenPair {
        access_token: access,
        refresh_token: refresh,
        expires_in: state.config.access_token_minutes * 60,
    })
}

/// Rotates a refresh token. Presenting one that was already used means it leaked: the whole family is revoked.
pub async fn refresh(state: &AppState, presented: &str) -> AppResult<TokenPair> {
    let now = Utc::now();
    let txn = begin_write(&state.db).await?;
    let Some(token) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash(presented)))
        .one(&txn)
        .await?
    else {
        return Err(invalid_refresh());
    };
    if token.revoked_at.is_some() || token.expires_at <= now {
        return Err(invalid_refresh());
    }
    // The session decides too: an ended, idle or too old one yields no new pair.
    let session = session::Entity::find()
        .filter(session::Column::Family.eq(token.family.clone()))
        .one(&txn)
        .await?
        .ok_or_else(invalid_refresh)?;
    if session.ended_at.is_some() {
        return Err(invalid_refresh());
    }
    if let Some(reason) = sessions::expiry(&state.config, &session, now) {
        drop(txn);
        sessions::end_where(&state.db, session::Column::Id.eq(session.id), reason, None).await?;
        return Err(invalid_refresh());
    }
    // Conditional update: of two concurrent uses only one can win; the other is treated as reuse.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::val(now))
        .filter(refresh_token::Column::Id.eq(token.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 && within_grace(state, &txn, token.id, now).await? {
        // Two tabs refreshed with the same token at once: the later one gets its own fresh pair in the chain
        // instead of being taken for a thief.
        let account = account::Entity::find_by_id(token.account_id)
            .one(&txn)
            .await?
            .filter(|a| a.active)
            .ok_or_else(invalid_refresh)?;
        let pair = issue_pair(state, &txn, &account, &session).await?;
        txn.commit().await?;
        return Ok(pair);
    }
    if claimed.rows_affected != 1 {
        sessions::end_where(
            &txn,
            session::Column::Id.eq(session.id),
            sessions::SessionEndReason::RefreshReuse,
            None,
        )
        .await?;
        revoke_family(&txn, &token.family).await?;
        audit::record(
            &txn,
            None,
            AuditEvent {
                action: "auth.refresh_reuse",
                target_type: "account",
                target_id: Some(token.account_id.to_string()),
                target_path: None,
                detail: serde_json::json!({ "family": token.family }),
            },
        )
        .await?;
        txn.commit().await?;
        return Err(invalid_refresh());
    }
    let account = account::Entity::find_by_id(token.account_id)
        .one(&txn)
        .await?
        .filter(|a| a.active);
    let Some(account) = account else {
        return Err(invalid_refresh());
    };
    let pair = issue_pair(state, &txn, &account, &session).await?;
    txn.commit().await?;
    Ok(pair)
}

/// Whether a token that was already rotated was rotated so recently (and its chain is still alive) that a second
/// use is two tabs racing, not a replay.
async fn within_grace(
    state: &AppState,
    db: &impl ConnectionTrait,
    token_id: i64,
    now: chrono::DateTime<Utc>,
) -> AppResult<bool> {
    let grace = Duration::seconds(Ord::max(state.config.refresh_grace_seconds, 0));
    let current = refresh_token::Entity::find_by_id(token_id).one(db).await?;
    Ok(current.is_some_and(|t| {
        t.revoked_at.is_none() && t.used_at.is_some_and(|used| used + grace >= now)
    }))
}

async fn revoke_family(db: &impl ConnectionTrait, family: &str) -> AppResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::val(Utc::now()))
        .filter(refresh_token::Column::Family.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

pub async fn logout(db: &sea_orm::DatabaseConnection, presented: &str) -> AppResult<()> {
    let token = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash(presented)))
        .one(db)
        .await?;
    if let Some(token) = token {
        let txn = begin_write(db).await?;
        let ended = sessions::end_where(
            &txn,
            session::Column::Family.eq(token.family.clone()),
            sessions::SessionEndReason::SignedOut,
            Some(token.account_id),
        )
        .await?;
        revoke_family(&txn, &token.family).await?;
        if let Some(ended) = ended.first() {
            audit::record(
                &txn,
                None,
                AuditEvent {
                    action: "auth.session_ended",
                    target_type: "account",
                    target_id: Some(token.account_id.to_string()),
                    target_path: None,
                    detail: serde_json::json!({ "session": ended.id, "reason": "signed_out", "by": token.account_id }),
                },
            )
            .await?;
        }
        txn.commit().await?;
    }
    Ok(())
}

/// Changes the caller's password; every other session ends, and a fresh pair keeps this one signed in.
pub async fn change_password(
    state: &AppState,
    principal: &Principal,
    client: &ClientInfo,
    current: &str,
    new: &str,
) -> AppResult<TokenPair> {
    let account_id = principal.account_id;
    let account = account::Entity::find_by_id(account_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if !state.hasher.verify(current, &account.password_hash).await? {
        return Err(AppError::field(
            "current_password",
            am::CurrentPasswordWrong,
        ));
    }
    check_policy(
        new,
        state.config.password_min_length,
        state.config.password_min_classes,
        "new_password",
    )?;
    passwords::check_for_account(state, &account, new, "new_password").await?;
    let was_due = sessions::password_change_due(&state.config, &account, Utc::now());
    let hash = state.hasher.hash(new).await?;
    let txn = begin_write(&state.db).await?;
    set_password(&txn, account_id, hash).await?;
    let account = account::Entity::find_by_id(account_id)
        .one(&txn)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let action = if was_due {
        "auth.forced_password_change_done"
    } else {
        "auth.password_changed"
    };
    audit::record(
        &txn,
        Some(principal),
        auth_event(action, &account, serde_json::json!({})),
    )
    .await?;
    // This sign-in goes on in a fresh session (every other one ended), as verified as the one it replaces.
    let second_factor_at = principal.session.as_ref().and_then(|s| s.second_factor_at);
    let session = open_session(state, &txn, &account, client, second_factor_at).await?;
    let pair = issue_pair(state, &txn, &account, &session).await?;
    txn.commit().await?;
    Ok(pair)
}

/// The owner set a new password (a change or a reset link): nothing is due any more.
async fn set_password(db: &impl ConnectionTrait, account_id: i64, hash: String) -> AppResult<()> {
    passwords::remember(db, account_id, &hash).await?;
    let now = Utc::now();
    account::Entity::update_many()
        .col_expr(account::Column::PasswordHash, Expr::val(hash))
        .col_expr(account::Column::UpdatedAt, Expr::val(now))
        .col_expr(account::Column::PasswordChangedAt, Expr::val(now))
        .col_expr(account::Column::MustChangePassword, Expr::val(false))
        .filter(account::Column::Id.eq(account_id))
        .exec(db)
        .await?;
    end_password_resets(db, account_id).await?;
    sessions::revoke_all(db, account_id).await
}

/// Every outstanding reset link of the account stops working: once the password changed, an older link (perhaps
/// in a mailbox someone else reads) must not set it again.
pub async fn end_password_resets(db: &impl ConnectionTrait, account_id: i64) -> AppResult<()> {
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::val(Utc::now()))
        .filter(password_reset::Column::AccountId.eq(account_id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Mails a single-use reset link when the login (username or e-mail) matches an active account with an e-mail.
/// The caller always gets the same answer.
pub async fn forgot_password(state: &AppState, login: &str, ip: &str) -> AppResult<()> {
    if !state.login_limiter.check(ip) {
        return Err(AppError::RateLimited);
    }
    let login = login.trim();
    let account = account::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(account::Column::Username.eq(normalise_username(login)))
                .add(account::Column::Email.eq(login)),
        )
        .one(&state.db)
        .await?;
    let Some(account) = account.filter(|a| a.active) else {
        return Ok(());
    };
    if account.email.is_none() {
        return Ok(());
    }
    let (token, hash) = new_token();
    let now = Utc::now();
    let expires_at = now + Duration::minutes(state.config.reset_token_minutes);
    let txn = begin_write(&state.db).await?;
    password_reset::ActiveModel {
        account_id: Set(account.id),
        token_hash: Set(hash),
        created_at: Set(now),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let link = format!(
        "{}/reset-password?token={token}",
        state.config.public_url.trim_end_matches('/')
    );
    let minutes = state.config.reset_token_minutes;
    // In the language of the request that asked for it: the mail is rendered now and stored with its job.
    let body = t(am::ResetMailBody {
        name: account.display_name.clone(),
        count: minutes,
        value: link,
    });
    // A mail held up past the link's expiry (an SMTP outage) is never sent: the link would not work.
    // The inbox says a link was sent, never the link: it works for whoever holds it.
    let notice = crate::inbox::Notice {
        mail_body: Some(body),
        mail_expires_at: Some(expires_at),
        ..crate::inbox::Notice::new(
            crate::inbox::NoticeKind::Security,
            t(am::ResetMailSubject),
            t(crate::platform::i18n::catalogue::inbox::ResetInboxBody { count: minutes }),
        )
    };
    crate::inbox::tell(&txn, &crate::inbox::Recipient::account(&account), notice).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn reset_password(state: &AppState, token: &str, new: &str) -> AppResult<()> {
    check_policy(
        new,
        state.config.password_min_length,
        state.config.password_min_classes,
        "new_password",
    )?;
    let invalid = || AppError::auth_failed(am::InvalidResetToken);
    let now = Utc::now();
    let reset = password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(token_hash(token)))
        .one(&state.db)
        .await?
        .filter(|r| r.used_at.is_none() && r.expires_at > now)
        .ok_or_else(invalid)?;
    if let Some(account) = account::Entity::find_by_id(reset.account_id)
        .one(&state.db)
        .await?
    {
        passwords::check_for_account(state, &account, new, "new_password").await?;
    }
    let hash = state.hasher.hash(new).await?;
    let txn = begin_write(&state.db).await?;
    let claimed = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::val(now))
        .filter(password_reset::Column::Id.eq(reset.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(invalid());
    }
    set_password(&txn, reset.account_id, hash).await?;
    if let Some(account) = account::Entity::find_by_id(reset.account_id)
        .one(&txn)
        .await?
    {
        throttle::forget(&txn, &account.username).await?;
        audit::record(
            &txn,
            None,
            AuditEvent {
                action: "auth.password_reset",
                target_type: "account",
                target_id: Some(account.id.to_string()),
                target_path: None,
                detail: serde_json::json!({ "username": account.username }),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
