use poem::Request;
use poem_openapi::{ApiResponse, Object, OpenApi, payload::Json};

use super::{BearerAuth, client_info, client_ip, service};
use crate::{
    AppState, access::Role, directory::service::node_name, platform::error::AppResult, tags::Tag,
};

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LoginRequest {
    #[oai(validator(min_length = 1, max_length = 64))]
    pub username: String,
    #[oai(validator(min_length = 1, max_length = 128))]
    pub password: String,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RefreshRequest {
    #[oai(validator(min_length = 1, max_length = 256))]
    pub refresh_token: String,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TokenResponse {
    pub access_token: String,
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub token_type: String,
}

impl From<service::TokenPair> for TokenResponse {
    fn from(p: service::TokenPair) -> Self {
        Self {
            access_token: p.access_token,
            refresh_token: p.refresh_token,
            expires_in: p.expires_in,
            token_type: "Bearer".into(),
        }
    }
}

/// The answer to a sign-in: the token pair as from `refresh`, or — for an account with a second factor —
/// `mfa_required` and the `challenge` to send with a code to `loginSecondFactor` within 5 minutes.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LoginResponse {
    pub access_token: Option<String>,
    pub refresh_token: Option<String>,
    /// Seconds until the access token expires.
    pub expires_in: Option<i64>,
    pub token_type: Option<String>,
    pub mfa_required: Option<bool>,
    pub challenge: Option<String>,
}

impl From<service::LoginOutcome> for LoginResponse {
    fn from(outcome: service::LoginOutcome) -> Self {
        match outcome {
            service::LoginOutcome::Signed(p) => Self {
                access_token: Some(p.access_token),
                refresh_token: Some(p.refresh_token),
                expires_in: Some(p.expires_in),
                token_type: Some("Bearer".into()),
                mfa_required: None,
                challenge: None,
            },
            service::LoginOutcome::SecondFactorRequired { challenge } => Self {
                access_token: None,
                refresh_token: None,
                expires_in: None,
                token_type: None,
                mfa_required: Some(true),
                challenge: Some(challenge),
            },
        }
    }
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SecondFactorLoginRequest {
    #[oai(validator(min_length = 1, max_length = 256))]
    pub challenge: String,
    /// A 6-digit code from the authenticator, or a recovery code.
    #[oai(validator(min_length = 1, max_length = 32))]
    pub code: String,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ChangePasswordRequest {
    #[oai(validator(max_length = 128))]
    pub current_password: String,
    #[oai(validator(max_length = 128))]
    pub new_password: String,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ForgotPasswordRequest {
    /// Username or e-mail address.
    #[oai(validator(min_length = 1, max_length = 128))]
    pub login: String,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ResetPasswordRequest {
    #[oai(validator(min_length = 1, max_length = 256))]
    pub token: String,
    #[oai(validator(max_length = 128))]
    pub new_password: String,
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct RoleGrantView {
    pub role: Role,
    /// Region code (6 digits) or school code (10 digits) the role is bound to.
    pub scope_code: String,
    pub scope_name: String,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MeResponse {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub teacher_id: Option<i64>,
    pub roles: Vec<RoleGrantView>,
    /// What the SPA may offer.
    pub permissions: Vec<crate::access::Permission>,
    /// This sign-in: idle timeout, restriction, the previous sign-in.
    pub session: Option<super::sessions_routes::MySession>,
}

#[derive(ApiResponse)]
pub enum Accepted {
    /// Accepted; a mail is sent when the account exists.
    #[oai(status = 202)]
    Accepted,
}

#[derive(ApiResponse)]
pub enum NoContent {
    #[oai(status = 204)]
    NoContent,
}

pub struct AuthApi;

#[OpenApi(tag = "Tag::Auth")]
impl AuthApi {
    /// Sign in with username and password.
    ///
    /// Five failed attempts lock the username for 15 minutes (423), and each client IP is rate limited (429).
    #[oai(path = "/auth/login", method = "post", operation_id = "login")]
    async fn login(
        &self,
        state: poem::web::Data<&AppState>,
        req: &Request,
        body: Json<LoginRequest>,
    ) -> AppResult<Json<LoginResponse>> {
        let client = client_info(req, &state.config);
        Ok(Json(
            service::login(&state, &body.username, &body.password, &client)
                .await?
                .into(),
        ))
    }

    /// Second sign-in step for an account with a second factor: the login's `challenge` and a code from the
    /// authenticator (or a single-use recovery code). Three wrong codes end the challenge; wrong codes across
    /// challenges lock the second factor for a while (423). A code works once.
    #[oai(
        path = "/auth/login/second-factor",
        method = "post",
        operation_id = "loginSecondFactor"
    )]
    async fn login_second_factor(
        &self,
        state: poem::web::Data<&AppState>,
        req: &Request,
        body: Json<SecondFactorLoginRequest>,
    ) -> AppResult<Json<TokenResponse>> {
        let client = client_info(req, &state.config);
        Ok(Json(
            service::login_second_factor(&state, &body.challenge, &body.code, &client)
                .await?
                .into(),
        ))
    }

    /// Exchange a refresh token for a new pair. Each refresh token works once; reusing one ends its whole chain.
    #[oai(path = "/auth/refresh", method = "post", operation_id = "refresh")]
    async fn refresh(
        &self,
        state: poem::web::Data<&AppState>,
        body: Json<RefreshRequest>,
    ) -> AppResult<Json<TokenResponse>> {
        Ok(Json(
            service::refresh(&state, &body.refresh_token).await?.into(),
        ))
    }

    /// Sign out: the refresh token's chain is revoked.
    #[oai(path = "/auth/logout", method = "post", operation_id = "logout")]
    async fn logout(
        &self,
        state: poem::web::Data<&AppState>,
        body: Json<RefreshRequest>,
    ) -> AppResult<NoContent> {
        service::logout(&state.db, &body.refresh_token).await?;
        Ok(NoContent::NoContent)
    }

    /// Change my password. Every other session ends; the returned pair keeps this one signed in (a new session,
    /// without the password-change restriction).
    #[oai(
        path = "/auth/password",
        method = "post",
        operation_id = "changePassword"
    )]
    async fn change_password(
        &self,
        state: poem::web::Data<&AppState>,
        req: &Request,
        auth: BearerAuth,
        body: Json<ChangePasswordRequest>,
    ) -> AppResult<Json<TokenResponse>> {
        let client = client_info(req, &state.config);
        let pair = service::change_password(
            &state,
            &auth.0,
            &client,
            &body.current_password,
            &body.new_password,
        )
        .await?;
        Ok(Json(pair.into()))
    }

    /// Ask for a password-reset mail (valid 30 minutes, single use). The answer never tells whether the account exists.
    #[oai(
        path = "/auth/forgot",
        method = "post",
        operation_id = "forgotPassword"
    )]
    async fn forgot(
        &self,
        state: poem::web::Data<&AppState>,
        req: &Request,
        body: Json<ForgotPasswordRequest>,
    ) -> AppResult<Accepted> {
        let ip = client_ip(req, &state.config);
        service::forgot_password(&state, &body.login, &ip).await?;
        Ok(Accepted::Accepted)
    }

    /// Set a new password with the token from the reset mail.
    #[oai(path = "/auth/reset", method = "post", operation_id = "resetPassword")]
    async fn reset(
        &self,
        state: poem::web::Data<&AppState>,
        body: Json<ResetPasswordRequest>,
    ) -> AppResult<NoContent> {
        service::reset_password(&state, &body.token, &body.new_password).await?;
        Ok(NoContent::NoContent)
    }

    /// Who I am: roles with their scope, the permissions the SPA uses to build its menu, and this sign-in's session
    /// (idle timeout, restriction, the previous sign-in and failed attempts since).
    #[oai(path = "/me", method = "get", operation_id = "me")]
    async fn me(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
    ) -> AppResult<Json<MeResponse>> {
        let p = auth.0;
        let account = entity::account::Entity::find_by_id(p.account_id)
            .one(&state.db)
            .await?
            .ok_or(crate::platform::error::AppError::Unauthorized)?;
        let mut roles = Vec::new();
        for g in p.bound_roles() {
            roles.push(RoleGrantView {
                role: g.role,
                scope_code: g.scope_code.clone(),
                scope_name: node_name(&state, &g.scope_code).await?,
            });
        }
        Ok(Json(MeResponse {
            id: p.account_id,
            username: p.username.clone(),
            display_name: p.display_name.clone(),
            email: account.email,
            teacher_id: p.teacher_id,
            roles,
            permissions: p.permissions(),
            session: super::sessions_routes::my_session(&state, &p).await?,
        }))
    }
}

use sea_orm::EntityTrait;
