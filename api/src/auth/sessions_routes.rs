//! Operations on sessions and on the second factor: my sessions, ending them, keeping one alive, enrolment,
//! step-up, and the security administrator's view of any account's sessions and the reset of a lost factor.
use chrono::{DateTime, Utc};
use entity::{account, audit_log, session};
use poem_openapi::{ApiResponse, Object, OpenApi, param::Path, payload::Json};
use sea_orm::{ActiveEnum, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use super::{
    BearerAuth, Principal, second_factor,
    second_factor::auth_event,
    sessions::{self, Restriction, SessionEndReason, describe_device},
};
use crate::{
    AppState,
    access::Permission,
    platform::{
        audit,
        db::begin_write,
        error::{AppError, AppResult},
    },
    tags::Tag,
};

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MySession {
    pub id: i64,
    /// The session ends after this many minutes without a request; the SPA warns a minute before.
    pub idle_timeout_minutes: i64,
    /// Only that is possible until done.
    pub restriction: Option<super::sessions::Restriction>,
    pub second_factor_active: bool,
    /// The policy requires a second factor for one of my roles.
    pub second_factor_required: bool,
    /// My sign-in before this one.
    pub previous_sign_in: Option<PreviousSignIn>,
    /// Failed sign-in attempts on my account between the previous sign-in and this one.
    pub failed_sign_ins_since: u64,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PreviousSignIn {
    pub at: chrono::DateTime<chrono::Utc>,
    pub ip: String,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SignInSessionView {
    pub id: i64,
    /// Browser and system, from the User-Agent: "Chrome · Windows".
    pub device: String,
    pub user_agent: String,
    /// The client address at sign-in.
    pub ip: String,
    pub signed_in_at: DateTime<Utc>,
    pub last_active_at: DateTime<Utc>,
    /// The session of this request.
    pub current: bool,
    pub restriction: Option<Restriction>,
}

impl SignInSessionView {
    fn of(s: session::Model, current: Option<i64>) -> Self {
        Self {
            id: s.id,
            device: describe_device(&s.user_agent),
            user_agent: s.user_agent,
            ip: s.ip,
            signed_in_at: s.created_at,
            last_active_at: s.last_active_at,
            current: Some(s.id) == current,
            restriction: s.restriction,
        }
    }
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct EndedSessions {
    pub ended: u64,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CodeRequest {
    /// A 6-digit code from the authenticator (or, for step-up, a recovery code).
    #[oai(validator(min_length = 1, max_length = 32))]
    pub code: String,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct StartEnrolmentRequest {
    /// Needed when a second factor is already active (replacing the authenticator): one of its current codes.
    #[oai(validator(max_length = 32))]
    pub code: Option<String>,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct EnrolmentView {
    /// `otpauth://totp/Yanxiu:<username>?secret=…`
    pub otpauth_uri: String,
    /// The same URI as a QR code (SVG document).
    pub qr_svg: String,
    /// The secret in base32, to type in when the QR code cannot be scanned.
    pub manual_key: String,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RecoveryCodes {
    /// Ten single-use codes, shown this once.
    pub recovery_codes: Vec<String>,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SecondFactorStatus {
    pub active: bool,
    /// The policy requires one for my roles.
    pub required: bool,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub recovery_codes_left: u64,
}

#[derive(ApiResponse)]
pub enum NoContent {
    #[oai(status = 204)]
    NoContent,
}

pub struct SessionsApi;

#[OpenApi(tag = "Tag::Auth")]
impl SessionsApi {
    /// My open sessions (sign-ins), newest first; `current` marks this one.
    #[oai(
        path = "/auth/sessions",
        method = "get",
        operation_id = "listMySessions"
    )]
    async fn mine(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
    ) -> AppResult<Json<Vec<SignInSessionView>>> {
        let p = auth.0;
        let rows = sessions::of_account(&state.db, p.account_id, true).await?;
        let current = p.session_id();
        Ok(Json(
            rows.into_iter()
                .map(|s| SignInSessionView::of(s, current))
                .collect(),
        ))
    }

    /// End one session: one of mine, or — for a security administrator (`security.manage`) — anyone's.
    #[oai(
        path = "/auth/sessions/:id/end",
        method = "post",
        operation_id = "endSession"
    )]
    async fn end(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<NoContent> {
        let p = auth.0;
        let target = session::Entity::find_by_id(id.0)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let own = target.account_id == p.account_id;
        if !own && p.require_somewhere(Permission::SecurityManage).is_err() {
            return Err(AppError::NotFound);
        }
        let reason = if own {
            SessionEndReason::EndedByOwner
        } else {
            SessionEndReason::EndedByAdministrator
        };
        end_sessions(
            &state,
            &p,
            session::Column::Id.eq(target.id),
            target.account_id,
            reason,
        )
        .await?;
        Ok(NoContent::NoContent)
    }

    /// End all my sessions except this one.
    #[oai(
        path = "/auth/sessions/end-others",
        method = "post",
        operation_id = "endOtherSessions"
    )]
    async fn end_others(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
    ) -> AppResult<Json<EndedSessions>> {
        let p = auth.0;
        let mut others = sea_orm::Condition::all().add(session::Column::AccountId.eq(p.account_id));
        if let Some(sid) = p.session_id() {
            others = others.add(session::Column::Id.ne(sid));
        }
        let ended = end_sessions(
            &state,
            &p,
            others,
            p.account_id,
            SessionEndReason::EndedByOwner,
        )
        .await?;
        Ok(Json(EndedSessions { ended }))
    }

    /// Counts as activity: the SPA's 继续登录 in the idle warning.
    #[oai(path = "/auth/keep-alive", method = "post", operation_id = "keepAlive")]
    async fn keep_alive(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
    ) -> AppResult<NoContent> {
        if let Some(sid) = auth.0.session_id() {
            sessions::record_activity(&state.db, sid, Utc::now(), None).await?;
        }
        Ok(NoContent::NoContent)
    }

    /// The open sessions of any account, for a security administrator (`security.manage`).
    #[oai(
        path = "/accounts/:id/sessions",
        method = "get",
        operation_id = "listAccountSessions",
        tag = "Tag::Accounts"
    )]
    async fn of_account(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<Vec<SignInSessionView>>> {
        let p = auth.0;
        p.require_somewhere(Permission::SecurityManage)?;
        account::Entity::find_by_id(id.0)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let rows = sessions::of_account(&state.db, id.0, true).await?;
        let current = p.session_id();
        Ok(Json(
            rows.into_iter()
                .map(|s| SignInSessionView::of(s, current))
                .collect(),
        ))
    }

    /// Remove the second factor of an account whose owner lost it (`security.manage`, with a recent step-up):
    /// every session of the account ends and the owner enrols again at the next sign-in.
    #[oai(
        path = "/accounts/:id/second-factor/reset",
        method = "post",
        operation_id = "resetSecondFactor",
        tag = "Tag::Accounts"
    )]
    async fn reset(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<NoContent> {
        second_factor::reset(&state, &auth.0, id.0).await?;
        Ok(NoContent::NoContent)
    }

    /// My second factor: on or off, whether my roles require it, recovery codes left.
    #[oai(
        path = "/auth/second-factor",
        method = "get",
        operation_id = "secondFactorStatus"
    )]
    async fn status(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
    ) -> AppResult<Json<SecondFactorStatus>> {
        let s = second_factor::status(&state, &auth.0).await?;
        Ok(Json(SecondFactorStatus {
            active: s.active,
            required: s.required,
            confirmed_at: s.confirmed_at,
            recovery_codes_left: s.recovery_codes_left,
        }))
    }

    /// Start enrolling an authenticator app (TOTP): a new secret as QR code, URI and key. It becomes active when
    /// `confirmSecondFactorEnrolment` gets one of its codes. Replacing an active one needs a current code.
    #[oai(
        path = "/auth/second-factor/enrolment",
        method = "post",
        operation_id = "startSecondFactorEnrolment"
    )]
    async fn start(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<StartEnrolmentRequest>,
    ) -> AppResult<Json<EnrolmentView>> {
        let e = second_factor::start_enrolment(&state, &auth.0, body.code.as_deref()).await?;
        Ok(Json(EnrolmentView {
            otpauth_uri: e.otpauth_uri,
            qr_svg: e.qr_svg,
            manual_key: e.manual_key,
        }))
    }

    /// Confirm the enrolment with a code from the app: the second factor is on, and ten recovery codes are
    /// returned this once.
    #[oai(
        path = "/auth/second-factor/enrolment/confirm",
        method = "post",
        operation_id = "confirmSecondFactorEnrolment"
    )]
    async fn confirm(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<CodeRequest>,
    ) -> AppResult<Json<RecoveryCodes>> {
        let recovery_codes = second_factor::confirm_enrolment(&state, &auth.0, &body.code).await?;
        Ok(Json(RecoveryCodes { recovery_codes }))
    }

    /// Turn my second factor off with a current code (not possible where my roles require one).
    #[oai(
        path = "/auth/second-factor/disable",
        method = "post",
        operation_id = "disableSecondFactor"
    )]
    async fn disable(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<CodeRequest>,
    ) -> AppResult<NoContent> {
        second_factor::disable(&state, &auth.0, &body.code).await?;
        Ok(NoContent::NoContent)
    }

    /// Confirm a sensitive operation with a code: for the next `YANXIU_STEP_UP_MINUTES` this session may reveal ID
    /// numbers, change roles, reset second factors and export personal data.
    #[oai(path = "/auth/step-up", method = "post", operation_id = "stepUp")]
    async fn step_up(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<CodeRequest>,
    ) -> AppResult<NoContent> {
        second_factor::step_up(&state, &auth.0, &body.code).await?;
        Ok(NoContent::NoContent)
    }
}

/// Ends the open sessions matching `condition` (all of `account_id`) and audits who did it; the count ended.
async fn end_sessions(
    state: &AppState,
    principal: &Principal,
    condition: impl sea_orm::sea_query::IntoCondition,
    account_id: i64,
    reason: SessionEndReason,
) -> AppResult<u64> {
    let txn = begin_write(&state.db).await?;
    let ended = sessions::end_where(&txn, condition, reason, Some(principal.account_id)).await?;
    if !ended.is_empty() {
        let account = account::Entity::find_by_id(account_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let ids: Vec<i64> = ended.iter().map(|s| s.id).collect();
        audit::record(
            &txn,
            Some(principal),
            auth_event(
                "auth.session_ended",
                &account,
                serde_json::json!({ "sessions": ids, "reason": reason.to_value(), "by": principal.username }),
            ),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(ended.len() as u64)
}

/// The `session` part of /me.
pub async fn my_session(state: &AppState, p: &Principal) -> AppResult<Option<MySession>> {
    let Some(facts) = p.session.as_ref() else {
        return Ok(None);
    };
    let Some(current) = session::Entity::find_by_id(facts.id).one(&state.db).await? else {
        return Ok(None);
    };
    let previous = session::Entity::find()
        .filter(session::Column::AccountId.eq(p.account_id))
        .filter(session::Column::CreatedAt.lt(current.created_at))
        .order_by_desc(session::Column::CreatedAt)
        .one(&state.db)
        .await?;
    let mut failures = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("auth.login_failed"))
        .filter(audit_log::Column::TargetType.eq("account"))
        .filter(audit_log::Column::TargetId.eq(p.account_id.to_string()))
        .filter(audit_log::Column::At.lte(current.created_at));
    if let Some(prev) = &previous {
        failures = failures.filter(audit_log::Column::At.gt(prev.created_at));
    }
    Ok(Some(MySession {
        id: current.id,
        idle_timeout_minutes: state.config.session_idle_minutes,
        restriction: current.restriction,
        second_factor_active: facts.second_factor_active,
        second_factor_required: second_factor::required_for(state, p),
        previous_sign_in: previous.map(|s| PreviousSignIn {
            at: s.created_at,
            ip: s.ip,
        }),
        failed_sign_ins_since: failures.count(&state.db).await?,
    }))
}
