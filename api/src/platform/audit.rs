//! The append-only audit log: who did what to which record, from where.
use chrono::{DateTime, Utc};
use entity::audit_log;
use poem_openapi::Object;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use crate::auth::Principal;

/// What happened, to what, in which part of the tree.
pub struct AuditEvent<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<String>,
    pub target_path: Option<String>,
    pub detail: serde_json::Value,
}

pub async fn record(
    db: &impl ConnectionTrait,
    actor: Option<&Principal>,
    event: AuditEvent<'_>,
) -> Result<(), sea_orm::DbErr> {
    audit_log::ActiveModel {
        at: Set(Utc::now()),
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
        request_id: Set(None),
        ..Default::default()
    }
    .insert(db)
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
