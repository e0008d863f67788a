//! The append-only audit log: who did what to which record, from where.
use chrono::{DateTime, Utc};
use entity::audit_log;
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};

use crate::auth::Principal;

/// What happened, to what, in which part of the tree.
pub struct AuditEvent<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<String>,
    pub target_path: Option<String>,
    pub detail: serde_json::Value,
}

/// Writes one entry and its MAC under the audit key (see [`crate::audit`]), in the caller's transaction. The
/// MAC covers the entry's id, so it is set right after the insert; the hash chain is added later by the sealer.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: Option<&Principal>,
    event: AuditEvent<'_>,
) -> Result<(), sea_orm::DbErr> {
    let entry = audit_log::ActiveModel {
        at: Set(crate::audit::chain::now_micros()),
        actor_id: Set(actor.map(|p| p.account_id)),
        actor: Set(actor
            .map(|p| p.username.clone())
            .unwrap_or_else(|| "system".into())),
        action: Set(event.action.to_string()),
        target_type: Set(event.target_type.to_string()),
        target_id: Set(event.target_id),
        target_path: Set(event.target_path),
        detail: Set(event.detail.to_string()),
        ip: Set(actor.and_then(|p| p.ip.clone())),
        request_id: Set(crate::platform::i18n::current_request_id()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let Some(key) = crate::audit::key::current() else {
        // Only a program that never built an application state gets here; verify will report the entry.
        tracing::error!(
            id = entry.id,
            "no audit key in force: the audit entry is left without its MAC"
        );
        return Ok(());
    };
    let mac = crate::audit::chain::entry_mac(&key, &entry);
    audit_log::Entity::update_many()
        .col_expr(audit_log::Column::EntryMac, Expr::value(mac))
        .filter(audit_log::Column::Id.eq(entry.id))
        .exec(db)
        .await
        .map(|_| ())
}

/// The common case: a signed-in principal changed one row, named by (type, id, path).
pub async fn record_change(
    db: &impl ConnectionTrait,
    principal: &Principal,
    action: &str,
    target: (&str, i64, &str),
    detail: serde_json::Value,
) -> Result<(), sea_orm::DbErr> {
    let (target_type, id, path) = target;
    record(
        db,
        Some(principal),
        AuditEvent {
            action,
            target_type,
            target_id: Some(id.to_string()),
            target_path: Some(path.to_string()),
            detail,
        },
    )
    .await
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AuditEntryView {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub detail: serde_json::Value,
    pub ip: Option<String>,
}

impl From<audit_log::Model> for AuditEntryView {
    fn from(m: audit_log::Model) -> Self {
        Self {
            id: m.id,
            at: m.at,
            actor: m.actor,
            action: m.action,
            target_type: m.target_type,
            target_id: m.target_id,
            detail: serde_json::from_str(&m.detail).unwrap_or(serde_json::Value::Null),
            ip: m.ip,
        }
    }
}
