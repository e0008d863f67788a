//! The tamper-evident audit log (安全审计): the audit key, the per-entry MAC and hash chain, the sealer, signed
//! checkpoints, verification, archiving to the object store, the audit administrator's operations, and the
//! auditing of refused operations. Entries themselves are written by [`crate::platform::audit::record`].
pub mod archive;
pub mod routes;
pub mod seal;
pub mod verify;

// The entry MAC and the key are needed wherever an entry is written, so they sit with the writer in platform/;
// the audit module keeps its names for them.
pub use crate::platform::{audit_chain as chain, audit_key as key};

use poem::{Endpoint, IntoResponse, Request, Response, http::Method};

use crate::{
    AppState,
    auth::{self, Principal},
    platform::{
        audit::{self as log, AuditEvent},
        db::begin_write,
    },
};

/// Around every request: its audit entries are signed with this application's audit key, and a refusal (403)
/// of a signed-in caller's non-GET operation is itself audited as `access.refused`, whichever route refused.
pub async fn around_request<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    let Some(state) = req.data::<AppState>().cloned() else {
        return next.call(req).await.map(IntoResponse::into_response);
    };
    let refusal_context =
        (req.method() != Method::GET && req.method() != Method::HEAD).then(|| {
            (
                req.method().to_string(),
                req.uri().path().to_string(),
                req.header("authorization").map(str::to_string),
                auth::client_ip(&req, &state.config),
            )
        });
    let key = state.audit_key.clone();
    let result = key::with_key(key.clone(), async move {
        next.call(req).await.map(IntoResponse::into_response)
    })
    .await;
    let refused_operation = match &result {
        Ok(resp) if resp.status() == poem::http::StatusCode::FORBIDDEN => {
            Some(resp.data::<poem_openapi::OperationId>().map(|o| o.0))
        }
        Err(err) if err.status() == poem::http::StatusCode::FORBIDDEN => {
            Some(err.data::<poem_openapi::OperationId>().map(|o| o.0))
        }
        _ => None,
    };
    if let (Some(operation), Some((method, path, Some(authorization), ip))) =
        (refused_operation, refusal_context)
        && let Some(principal) = signed_in_caller(&state, &authorization, ip).await
    {
        let written = key::with_key(
            key,
            record_refusal(&state.db, &principal, operation, &method, &path),
        )
        .await;
        // The caller still gets the 403 they earned, not a 500, when the audit write fails.
        if let Err(err) = written {
            tracing::error!(error = %err, %path, "could not audit a refused operation");
        }
    }
    result
}

/// The signed-in caller behind a bearer header (None for an anonymous or invalid one: those get 401s).
async fn signed_in_caller(state: &AppState, authorization: &str, ip: String) -> Option<Principal> {
    let token = authorization.strip_prefix("Bearer ")?;
    let claims = auth::tokens::verify_access(&state.config, &state.keys, token.trim()).ok()?;
    let account_id: i64 = claims.sub.parse().ok()?;
    let (mut principal, _) = auth::load_principal(&state.db, account_id).await.ok()??;
    principal.ip = Some(ip);
    Some(principal)
}

async fn record_refusal(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    operation: Option<&'static str>,
    method: &str,
    path: &str,
) -> Result<(), sea_orm::DbErr> {
    let txn = begin_write(db).await?;
    log::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "access.refused",
            target_type: "operation",
            target_id: operation.map(str::to_string),
            target_path: None,
            detail: serde_json::json!({ "operation": operation, "method": method, "path": path }),
        },
    )
    .await?;
    txn.commit().await
}
