//! Who is calling: passwords (argon2id), tokens (JWT access + rotating opaque refresh), the bearer scheme
//! and the resulting [`Principal`].
pub mod client_address;
pub mod passwords;
pub mod routes;
pub mod second_factor;
pub mod service;
pub mod sessions;
pub mod sessions_routes;
pub mod throttle;
pub mod tokens;
pub mod totp;

use entity::{account, account_role};
use poem::Request;
use poem_openapi::{SecurityScheme, auth::Bearer};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

pub use crate::access::{Grant, Principal, SessionFacts};
use crate::{AppState, platform::error::AppError};

/// `Authorization: Bearer <access token>`.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "JWT", checker = "authenticate")]
pub struct BearerAuth(pub Principal);

/// The bearer's principal for a plain poem endpoint outside the OpenAPI service (the tus upload protocol): the
/// same header and the same checks as [`BearerAuth`].
pub async fn principal_from_request(req: &Request) -> poem::Result<Principal> {
    use poem_openapi::auth::BearerAuthorization;
    let bearer = Bearer::from_request(req).map_err(|_| AppError::Unauthorized)?;
    authenticate(req, bearer).await
}

async fn authenticate(req: &Request, bearer: Bearer) -> poem::Result<Principal> {
    let state = req
        .data::<AppState>()
        .ok_or_else(|| AppError::internal("AppState missing"))?;
    let claims = tokens::verify_access(&state.config, &state.keys, &bearer.token)
        .map_err(|_| AppError::Unauthorized)?;
    let account_id: i64 = claims.sub.parse().map_err(|_| AppError::Unauthorized)?;
    let mut principal = load_principal(&state.db, account_id).await?;
    // A password change, deactivation or role change bumps the version and so ends every older access token.
    if principal.as_ref().map(|(_, version)| *version) != Some(claims.ver) {
        principal = None;
    }
    let (mut principal, _) = principal.ok_or(AppError::Unauthorized)?;
    let now = chrono::Utc::now();
    let session = sessions::live(state, account_id, claims.sid, now).await?;
    // The path below the `/api` nesting (poem strips the prefix from `uri()` there).
    sessions::check_restriction(&session, req.uri().path())?;
    sessions::touch(&state.db, &session, now).await?;
    principal.session = Some(SessionFacts {
        id: session.id,
        second_factor_active: second_factor::active(&state.db, account_id)
            .await?
            .is_some(),
        second_factor_at: session.second_factor_at,
    });
    principal.ip = Some(client_ip(req, &state.config));
    Ok(principal)
}

/// The `User-Agent` header, for naming a session's device.
pub fn user_agent(req: &Request) -> String {
    req.headers()
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The client of a sign-in request.
pub fn client_info(
    req: &Request,
    config: &crate::platform::config::Config,
) -> sessions::ClientInfo {
    sessions::ClientInfo {
        ip: client_ip(req, config),
        user_agent: user_agent(req),
    }
}

/// The active account with its grants and token version, or None.
pub async fn load_principal(
    db: &impl ConnectionTrait,
    account_id: i64,
) -> Result<Option<(Principal, i32)>, AppError> {
    let Some(account) = account::Entity::find_by_id(account_id).one(db).await? else {
        return Ok(None);
    };
    if !account.active {
        return Ok(None);
    }
    let roles = account_role::Entity::find()
        .filter(account_role::Column::AccountId.eq(account.id))
        .all(db)
        .await?;
    let grants = roles
        .into_iter()
        .map(|r| Grant {
            role: r.role,
            scope_code: r.scope_code,
            scope_path: r.scope_path,
        })
        .collect();
    let version = account.token_version;
    Ok(Some((
        Principal {
            account_id: account.id,
            username: account.username,
            display_name: account.display_name,
            teacher_id: account.teacher_id,
            grants,
            ip: None,
            session: None,
        },
        version,
    )))
}

/// The client address; forwarding headers count only as far as the configured proxies are trusted
/// (see [`client_address`]), never the client-set left-most entry.
pub fn client_ip(req: &Request, config: &crate::platform::config::Config) -> String {
    let trust = client_address::ProxyTrust::from_config(config);
    let peer = req.remote_addr().as_socket_addr().map(|a| a.ip());
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    match client_address::client_address(peer, &forwarded, &trust) {
        Some(ip) => ip.to_string(),
        None => "unknown".into(),
    }
}
