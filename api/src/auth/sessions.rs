//! Sessions: one per sign-in. A session owns the refresh-token family of that sign-in, every access token names
//! it (`sid`), and it ends on sign-out, when its owner or a security administrator ends it, when the account's
//! tokens are revoked, after `session_idle_minutes` without a request or `session_max_hours` after sign-in.
//!
//! A session may be restricted: until the password is changed or a second factor enrolled, it reaches only the
//! operations that do that (plus /me and sign-out).
use chrono::{DateTime, Duration, Utc};
use entity::{account, refresh_token, session};
use sea_orm::ActiveEnum as _;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, Set, sea_query::Expr,
};

use crate::platform::i18n::catalogue::auth as am;
use crate::{
    AppState,
    platform::{
        config::Config,
        error::{AppError, AppResult},
    },
};

/// Activity is written at most this often per session, so a busy session costs one write a minute.
pub const ACTIVITY_GRANULARITY_SECONDS: i64 = 60;

/// Where a sign-in comes from.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: String,
}

pub use entity::session::{Restriction, SessionEndReason};

/// What a restricted session may still do, and how it refuses the rest.
pub trait RestrictionRules {
    fn allows(self, path: &str) -> bool;
    fn refusal(self) -> AppError;
}

impl RestrictionRules for Restriction {
    /// The API paths (under `/api`) a session with this restriction may still call.
    fn allows(self, path: &str) -> bool {
        const ALWAYS: [&str; 3] = ["/me", "/auth/logout", "/auth/keep-alive"];
        if ALWAYS.contains(&path) {
            return true;
        }
        match self {
            Restriction::PasswordChange => path == "/auth/password",
            Restriction::SecondFactorEnrolment => {
                path == "/auth/second-factor" || path.starts_with("/auth/second-factor/enrolment")
            }
        }
    }

    /// The 403 every other operation answers.
    fn refusal(self) -> AppError {
        match self {
            Restriction::PasswordChange => AppError::denied(am::PasswordChangeRequired),
            Restriction::SecondFactorEnrolment => {
                AppError::denied(am::SecondFactorEnrolmentRequired)
            }
        }
    }
}

/// Refuses a request of a restricted session unless it goes to one of the operations the restriction leaves open.
pub fn check_restriction(session: &session::Model, request_path: &str) -> AppResult<()> {
    let Some(restriction) = session.restriction else {
        return Ok(());
    };
    let path = request_path.strip_prefix("/api").unwrap_or(request_path);
    if restriction.allows(path) {
        Ok(())
    } else {
        Err(restriction.refusal())
    }
}

/// Why a session that was not ended explicitly is over, if it is.
pub fn expiry(
    config: &Config,
    session: &session::Model,
    now: DateTime<Utc>,
) -> Option<SessionEndReason> {
    let idle = Duration::minutes(config.session_idle_minutes)
        + Duration::seconds(ACTIVITY_GRANULARITY_SECONDS);
    if session.created_at + Duration::hours(config.session_max_hours) <= now {
        Some(SessionEndReason::LifetimeReached)
    } else if session.last_active_at + idle <= now {
        // Activity is recorded once a minute: the idle period counts from the last recorded request, with that
        // minute of slack so a session used 59 seconds ago is never taken for idle.
        Some(SessionEndReason::IdleTimeout)
    } else {
        None
    }
}

/// The live session `id` of `account_id`, or 401. An expired one is marked ended on the way.
pub async fn live(
    state: &AppState,
    account_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<session::Model> {
    let session = session::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .filter(|s| s.account_id == account_id && s.ended_at.is_none())
        .ok_or_else(session_over)?;
    if let Some(reason) = expiry(&state.config, &session, now) {
        end_where(&state.db, session::Column::Id.eq(id), reason, None).await?;
        return Err(session_over());
    }
    Ok(session)
}

pub fn session_over() -> AppError {
    AppError::auth_failed(am::SessionEnded)
}

/// Records a request as activity, at most once a minute per session (one conditional UPDATE, usually a no-op
/// that is skipped altogether because the session row already says "recent").
pub async fn touch(
    db: &impl ConnectionTrait,
    session: &session::Model,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let threshold = now - Duration::seconds(ACTIVITY_GRANULARITY_SECONDS);
    if session.last_active_at > threshold {
        return Ok(());
    }
    record_activity(db, session.id, now, Some(threshold)).await
}

/// Sets `last_active_at`; with `older_than`, only when the recorded one is older (so racing requests write once).
pub async fn record_activity(
    db: &impl ConnectionTrait,
    session_id: i64,
    now: DateTime<Utc>,
    older_than: Option<DateTime<Utc>>,
) -> AppResult<()> {
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::LastActiveAt, Expr::val(now))
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::EndedAt.is_null());
    if let Some(threshold) = older_than {
        update = update.filter(session::Column::LastActiveAt.lt(threshold));
    }
    update.exec(db).await?;
    Ok(())
}

/// Whether the account has to change its password before anything else: an administrator set it (first sign-in)
/// or it is older than `password_max_age_days`.
pub fn password_change_due(config: &Config, account: &account::Model, now: DateTime<Utc>) -> bool {
    if account.must_change_password {
        return true;
    }
    if config.password_max_age_days <= 0 {
        return false;
    }
    let set_at = account.password_changed_at.unwrap_or(account.created_at);
    set_at + Duration::days(config.password_max_age_days) <= now
}

/// The restriction a new session of `account` starts with, if any.
pub fn restriction_for(
    config: &Config,
    account: &account::Model,
    role_names: &[String],
    second_factor_active: bool,
    now: DateTime<Utc>,
) -> Option<Restriction> {
    if password_change_due(config, account, now) {
        return Some(Restriction::PasswordChange);
    }
    let required = config.mfa_required_role_names();
    let must_have = role_names.iter().any(|r| required.contains(r));
    (must_have && !second_factor_active).then_some(Restriction::SecondFactorEnrolment)
}

/// Starts a session; the caller issues its first token pair in the same transaction.
pub async fn open(
    db: &impl ConnectionTrait,
    account_id: i64,
    client: &ClientInfo,
    second_factor_at: Option<DateTime<Utc>>,
    restriction: Option<Restriction>,
) -> AppResult<session::Model> {
    let now = Utc::now();
    Ok(session::ActiveModel {
        account_id: Set(account_id),
        family: Set(uuid::Uuid::new_v4().to_string()),
        created_at: Set(now),
        last_active_at: Set(now),
        ip: Set(truncate(&client.ip, 64)),
        user_agent: Set(truncate(&client.user_agent, 512)),
        second_factor_at: Set(second_factor_at),
        restriction: Set(restriction),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// Ends the open sessions matching `condition` and revokes their refresh-token families.
pub async fn end_where(
    db: &impl ConnectionTrait,
    condition: impl sea_orm::sea_query::IntoCondition,
    reason: SessionEndReason,
    ended_by: Option<i64>,
) -> AppResult<Vec<session::Model>> {
    let ended = session::Entity::find()
        .filter(condition)
        .filter(session::Column::EndedAt.is_null())
        .all(db)
        .await?;
    if ended.is_empty() {
        return Ok(ended);
    }
    let ids: Vec<i64> = ended.iter().map(|s| s.id).collect();
    let families: Vec<String> = ended.iter().map(|s| s.family.clone()).collect();
    let now = Utc::now();
    session::Entity::update_many()
        .col_expr(session::Column::EndedAt, Expr::val(now))
        .col_expr(session::Column::EndReason, Expr::val(reason.to_value()))
        .col_expr(session::Column::EndedBy, Expr::val(ended_by))
        .filter(session::Column::Id.is_in(ids))
        .filter(session::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::val(now))
        .filter(refresh_token::Column::Family.is_in(families))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(ended)
}

/// The sessions of an account, newest first (ended ones of the last days included, for the record).
pub async fn of_account(
    db: &impl ConnectionTrait,
    account_id: i64,
    open_only: bool,
) -> AppResult<Vec<session::Model>> {
    let mut q = session::Entity::find().filter(session::Column::AccountId.eq(account_id));
    if open_only {
        q = q.filter(session::Column::EndedAt.is_null());
    }
    Ok(q.order_by_desc(session::Column::CreatedAt)
        .order_by_desc(session::Column::Id)
        .all(db)
        .await?)
}

/// "Chrome · Windows" from a User-Agent header: the browser and the system, as a person recognises them.
pub fn describe_device(user_agent: &str) -> String {
    let ua = user_agent;
    let wechat = crate::platform::i18n::t(am::BrowserWeChat);
    let browser = if ua.contains("MicroMessenger") {
        wechat.as_str()
    } else if ua.contains("Edg/") || ua.contains("Edge/") {
        "Edge"
    } else if ua.contains("OPR/") || ua.contains("Opera") {
        "Opera"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") || ua.contains("CriOS/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        ""
    };
    let system = if ua.contains("Android") {
        "Android"
    } else if ua.contains("iPhone") || ua.contains("iPad") {
        "iOS"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "macOS"
    } else if ua.contains("CrOS") {
        "ChromeOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        ""
    };
    match (browser, system) {
        ("", "") => crate::platform::i18n::t(am::UnknownDevice),
        (b, "") => b.to_string(),
        ("", s) => s.to_string(),
        (b, s) => format!("{b} · {s}"),
    }
}

/// Ends every session of an account: refresh tokens revoked, access tokens outdated by the version bump.
pub async fn revoke_all(db: &impl ConnectionTrait, account_id: i64) -> AppResult<()> {
    end_where(
        db,
        session::Column::AccountId.eq(account_id),
        SessionEndReason::Revoked,
        None,
    )
    .await?;
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::val(Utc::now()))
        .filter(refresh_token::Column::AccountId.eq(account_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    account::Entity::update_many()
        .col_expr(
            account::Column::TokenVersion,
            Expr::col(account::Column::TokenVersion).add(1),
        )
        .filter(account::Column::Id.eq(account_id))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_named_from_the_user_agent() {
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                      Chrome/126.0.0.0 Safari/537.36";
        assert_eq!(describe_device(chrome), "Chrome · Windows");
        let edge = format!("{chrome} Edg/126.0.0.0");
        assert_eq!(describe_device(&edge), "Edge · Windows");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(describe_device(iphone), "Safari · iOS");
        let wechat =
            "Mozilla/5.0 (Linux; Android 14) Chrome/120 Mobile Safari/537.36 MicroMessenger/8.0";
        assert_eq!(describe_device(wechat), "微信 · Android");
        assert_eq!(describe_device(""), "未知设备");
    }

    #[test]
    fn a_restriction_leaves_only_its_own_operations_open() {
        let password = Restriction::PasswordChange;
        assert!(password.allows("/auth/password"));
        assert!(password.allows("/me"));
        assert!(!password.allows("/schools"));
        assert!(!password.allows("/auth/second-factor/enrolment"));
        let enrol = Restriction::SecondFactorEnrolment;
        assert!(enrol.allows("/auth/second-factor/enrolment/confirm"));
        assert!(!enrol.allows("/auth/password"));
        assert!(!enrol.allows("/auth/sessions"));
    }
}
