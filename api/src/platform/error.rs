//! One error shape for the whole API: `application/problem+json` with a stable machine `code`
//! that the SPA translates, and per-field reasons for bad input.
use poem::{Response, http::StatusCode};
use poem_openapi::{
    ApiResponse, Object,
    registry::{MetaMediaType, MetaResponse, MetaResponses, Registry},
    types::Type,
};
use serde::Serialize;

use crate::platform::i18n::{self, Message, Params, ProblemCode, Text, catalogue::platform as m};

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, Clone, Serialize, Object, PartialEq)]
#[oai(skip_serializing_if_is_none)]
pub struct FieldError {
    /// The request field (or import column) at fault.
    pub field: String,
    /// Why it was rejected, as a catalogue code (absent for the few reasons not yet in the catalogue).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<ProblemCode>,
    /// Why it was rejected, in the request's language.
    pub message: String,
    /// The reason's parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<Box<Params>>,
}

impl FieldError {
    /// A field reason, rendered in the language of the current request.
    pub fn new(field: impl Into<String>, message: impl Into<Text>) -> Self {
        let text = message.into();
        Self {
            field: field.into(),
            code: text.code().map(ProblemCode::from),
            message: text.render_current(),
            params: text.params().map(Box::new),
        }
    }
}

/// RFC 9457 problem details, plus `code`, `params`, `errors` and `request_id`.
#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Problem {
    #[oai(rename = "type")]
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// The problem in the request's language (`Accept-Language`; Chinese by default).
    pub detail: String,
    /// Stable machine-readable code, e.g. `validation_failed`, `not_found`, `account_locked`.
    pub code: ProblemCode,
    /// The parameters of `detail`, typed, for a client that writes its own text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<Params>,
    pub errors: Vec<FieldError>,
    /// The request's id, as in the `x-request-id` header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("bad request: {0}")]
    BadRequest(Text),
    #[error("authentication required")]
    Unauthorized,
    #[error("{message}")]
    AuthFailed { code: &'static str, message: Text },
    #[error("forbidden")]
    Forbidden,
    /// 403 with its own machine `code`: the caller may do this, but something is due first (a password change,
    /// a second-factor enrolment or a fresh second-factor verification).
    #[error("{message}")]
    Denied { code: &'static str, message: Text },
    #[error("not found")]
    NotFound,
    #[error("conflict: {message}")]
    Conflict {
        field: Option<String>,
        message: Text,
    },
    /// A rule of the domain refuses the request (422) with its own machine `code` and per-field reasons,
    /// e.g. `pool_insufficient` naming each lesson the reviewer pool cannot cover.
    #[error("{code}: {detail}")]
    Rule {
        code: &'static str,
        detail: Text,
        errors: Vec<FieldError>,
    },
    /// 423: sign-in (or the second factor) is locked for this many more seconds.
    #[error("locked")]
    Locked { retry_after_seconds: i64 },
    #[error("rate limited")]
    RateLimited,
    #[error("payload too large")]
    TooLarge(Text),
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn field(field: impl Into<String>, message: impl Into<Text>) -> Self {
        AppError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn conflict(field: &str, message: impl Into<Text>) -> Self {
        AppError::Conflict {
            field: Some(field.to_string()),
            message: message.into(),
        }
    }

    /// A 422 refusal whose code is the message's own.
    pub fn rule(message: impl Message, errors: Vec<FieldError>) -> Self {
        AppError::Rule {
            code: message.code(),
            detail: message.into(),
            errors,
        }
    }

    /// A 401 whose code is the message's own.
    pub fn auth_failed(message: impl Message) -> Self {
        AppError::AuthFailed {
            code: message.code(),
            message: message.into(),
        }
    }

    /// A 403 whose code is the message's own.
    pub fn denied(message: impl Message) -> Self {
        AppError::Denied {
            code: message.code(),
            message: message.into(),
        }
    }

    /// A 423 telling how long the lock still holds (at least a second: the lock was in force when checked).
    pub fn locked_until(
        until: Option<chrono::DateTime<chrono::Utc>>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        let left = until.map_or(0, |until| (until - now).num_milliseconds());
        AppError::Locked {
            retry_after_seconds: (left + 999).div_euclid(1000).max(1),
        }
    }

    pub fn internal(message: impl std::fmt::Display) -> Self {
        AppError::Internal(anyhow::anyhow!(message.to_string()))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Validation(_) | AppError::Rule { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized | AppError::AuthFailed { .. } => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Denied { .. } => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Locked { .. } => StatusCode::LOCKED,
            AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Db(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem in the current request's language.
    pub fn problem(&self) -> Problem {
        let status = self.status();
        let (code, detail, errors): (&'static str, Text, Vec<FieldError>) = match self {
            AppError::Validation(errors) => (
                "validation_failed",
                m::ValidationFailed.into(),
                errors.clone(),
            ),
            AppError::Rule {
                code,
                detail,
                errors,
            } => (*code, detail.clone(), errors.clone()),
            AppError::BadRequest(reason) => ("bad_request", reason.clone(), vec![]),
            AppError::Unauthorized => ("unauthorized", m::Unauthorized.into(), vec![]),
            AppError::AuthFailed { code, message } | AppError::Denied { code, message } => {
                (*code, message.clone(), vec![])
            }
            AppError::Forbidden => ("forbidden", m::Forbidden.into(), vec![]),
            AppError::NotFound => ("not_found", m::NotFound.into(), vec![]),
            AppError::Conflict { field, message } => (
                "conflict",
                message.clone(),
                field
                    .iter()
                    .map(|f| FieldError::new(f.clone(), message.clone()))
                    .collect(),
            ),
            AppError::Locked {
                retry_after_seconds,
            } => (
                "account_locked",
                m::AccountLocked {
                    retry_after_seconds: *retry_after_seconds,
                }
                .into(),
                vec![],
            ),
            AppError::RateLimited => ("rate_limited", m::RateLimited.into(), vec![]),
            AppError::TooLarge(reason) => ("payload_too_large", reason.clone(), vec![]),
            AppError::Db(_) | AppError::Internal(_) => {
                ("internal_error", m::InternalError.into(), vec![])
            }
        };
        problem(status, code, detail, errors)
    }
}

/// A problem in the current request's language, carrying its request id.
pub fn problem(
    status: StatusCode,
    code: &'static str,
    detail: impl Into<Text>,
    errors: Vec<FieldError>,
) -> Problem {
    let detail = detail.into();
    Problem {
        kind: format!("https://yanxiu.dev/problems/{}", code.replace('_', "-")),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail: detail.render_current(),
        code: ProblemCode::from(code),
        params: detail.params(),
        errors,
        request_id: i18n::current_request_id(),
    }
}

pub fn problem_response(p: &Problem) -> Response {
    let body = serde_json::to_vec(p).unwrap_or_default();
    Response::builder()
        .status(StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .content_type(PROBLEM_JSON)
        .body(body)
}

impl poem::error::ResponseError for AppError {
    fn status(&self) -> StatusCode {
        AppError::status(self)
    }

    fn as_response(&self) -> Response {
        if matches!(self, AppError::Db(_) | AppError::Internal(_)) {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = problem_response(&self.problem());
        if let AppError::Locked {
            retry_after_seconds,
        } = self
        {
            response.headers_mut().insert(
                poem::http::header::RETRY_AFTER,
                poem::http::HeaderValue::from(*retry_after_seconds),
            );
        }
        response
    }
}

/// Documents the problem responses on every operation that returns `AppResult`.
impl ApiResponse for AppError {
    fn meta() -> MetaResponses {
        let entry = |status: u16, description: &'static str| MetaResponse {
            description,
            status: Some(status),
            status_range: None,
            content: vec![MetaMediaType {
                content_type: PROBLEM_JSON,
                schema: Problem::schema_ref(),
            }],
            headers: vec![],
        };
        MetaResponses {
            responses: vec![
                entry(400, "Malformed request"),
                entry(401, "Not authenticated"),
                entry(403, "Not allowed"),
                entry(404, "Not found, or outside the caller's scope"),
                entry(409, "Conflicts with existing data"),
                entry(422, "Invalid fields; `errors` names each field and reason"),
                entry(429, "Rate limited"),
            ],
        }
    }

    fn register(registry: &mut Registry) {
        Problem::register(registry);
    }
}

/// Maps a unique-constraint violation to 409 naming the field; anything else stays a database error.
pub fn map_unique(err: sea_orm::DbErr, field: &str, message: impl Into<Text>) -> AppError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::conflict(field, message),
        _ => AppError::Db(err),
    }
}

/// Turns any error that reaches the edge (ours, poem's or poem-openapi's) into problem+json.
pub fn to_problem(err: poem::Error) -> Response {
    if let Some(app) = err.downcast_ref::<AppError>() {
        return poem::error::ResponseError::as_response(app);
    }
    let status = err.status();
    let reason = err.to_string();
    // A path that does not parse names no resource: answer like any unknown resource.
    if err
        .downcast_ref::<poem_openapi::error::ParsePathError>()
        .is_some()
    {
        return problem_response(&problem(
            StatusCode::NOT_FOUND,
            "not_found",
            m::NotFound,
            vec![],
        ));
    }
    let (code, detail, errors): (&'static str, Text, _) = if let Some(e) =
        err.downcast_ref::<poem_openapi::error::ParseParamError>()
    {
        let why = m::InvalidParameter {
            reason: e.reason.clone(),
        };
        (
            "invalid_parameter",
            why.clone().into(),
            vec![FieldError::new(e.name, why)],
        )
    } else if let Some(e) = err.downcast_ref::<poem_openapi::error::ParseRequestPayloadError>() {
        let why = m::InvalidBody {
            reason: e.reason.clone(),
        };
        (
            "invalid_body",
            why.clone().into(),
            vec![FieldError::new(payload_field(&e.reason), why)],
        )
    } else if err
        .downcast_ref::<poem_openapi::error::ParseMultipartError>()
        .is_some()
    {
        (
            "invalid_body",
            m::InvalidBody {
                reason: reason.clone(),
            }
            .into(),
            vec![],
        )
    } else if err
        .downcast_ref::<poem_openapi::error::AuthorizationError>()
        .is_some()
    {
        ("unauthorized", m::Unauthorized.into(), vec![])
    } else {
        match status {
            StatusCode::NOT_FOUND => ("not_found", m::NotFound.into(), vec![]),
            StatusCode::METHOD_NOT_ALLOWED => {
                ("method_not_allowed", m::MethodNotAllowed.into(), vec![])
            }
            StatusCode::UNAUTHORIZED => ("unauthorized", m::Unauthorized.into(), vec![]),
            StatusCode::PAYLOAD_TOO_LARGE => {
                ("payload_too_large", m::PayloadTooLarge.into(), vec![])
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                "unsupported_media_type",
                m::UnsupportedMediaType.into(),
                vec![],
            ),
            s if s.is_server_error() => ("internal_error", m::InternalError.into(), vec![]),
            _ => ("bad_request", m::BadRequest.into(), vec![]),
        }
    };
    if status.is_server_error() {
        tracing::error!(error = %reason, "unhandled error");
    }
    let status = if code == "invalid_body" && !errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        status
    };
    problem_response(&problem(status, code, detail, errors))
}

/// poem-openapi reports body errors as text like `failed to parse "CreateSchool": field \`code\` ...`;
/// pull the field name out so the SPA can put the message next to the right input.
fn payload_field(reason: &str) -> String {
    for marker in ["field `", "`"] {
        if let Some(start) = reason.find(marker) {
            let rest = &reason[start + marker.len()..];
            if let Some(end) = rest.find('`') {
                return rest[..end].to_string();
            }
        }
    }
    "body".to_string()
}
