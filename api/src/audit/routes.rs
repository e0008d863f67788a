//! The audit administrator's operations: the whole log with filters, its export, and verification. There is
//! no operation that changes an entry.
use chrono::{DateTime, Utc};
use entity::audit_log;
use futures_util::{StreamExt, stream};
use poem::Body;
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::Query,
    payload::{Binary, Json},
};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::verify::{AuditVerifyReport, verify};
use crate::{
    AppState,
    access::Permission,
    auth::{BearerAuth, Principal},
    platform::{
        audit::{self, AuditEvent},
        db::{begin_write, contains_text, starts_with_text},
        error::{AppError, AppResult},
        paging::{Page, fetch, window},
        tabular::{attachment_disposition, neutralise_csv_text},
    },
    tags::Tag,
};

/// Rows read per database round trip while an export streams.
const EXPORT_BATCH: u64 = 500;

/// One entry of the log as the audit administrator reads it.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AuditLogEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub target_path: Option<String>,
    pub detail: serde_json::Value,
    pub ip: Option<String>,
    /// Place in the hash chain; absent for the few seconds before the sealer links the entry.
    pub seq: Option<i64>,
}

impl From<audit_log::Model> for AuditLogEntry {
    fn from(m: audit_log::Model) -> Self {
        Self {
            id: m.id,
            at: m.at,
            actor_id: m.actor_id,
            actor: m.actor,
            action: m.action,
            target_type: m.target_type,
            target_id: m.target_id,
            target_path: m.target_path,
            detail: serde_json::from_str(&m.detail).unwrap_or(serde_json::Value::Null),
            ip: m.ip,
            seq: m.seq,
        }
    }
}

/// The search form: every field optional, all given ones must hold.
#[derive(Debug, Default, serde::Serialize)]
pub struct EntryFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub ip: Option<String>,
}

impl EntryFilter {
    pub(crate) fn condition(&self) -> AppResult<Condition> {
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(AppError::field(
                "from",
                crate::platform::i18n::catalogue::audit::StartAfterEnd,
            ));
        }
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let mut c = Condition::all();
        if let Some(actor) = text(&self.actor) {
            c = c.add(contains_text(audit_log::Column::Actor, &actor));
        }
        if let Some(action) = text(&self.action) {
            // `auth.` finds every sign-in event; a full name finds that one action.
            c = c.add(starts_with_text(audit_log::Column::Action, &action));
        }
        if let Some(t) = text(&self.target_type) {
            c = c.add(audit_log::Column::TargetType.eq(t));
        }
        if let Some(t) = text(&self.target_id) {
            c = c.add(audit_log::Column::TargetId.eq(t));
        }
        if let Some(from) = self.from {
            c = c.add(audit_log::Column::At.gte(from));
        }
        if let Some(to) = self.to {
            c = c.add(audit_log::Column::At.lte(to));
        }
        if let Some(ip) = text(&self.ip) {
            c = c.add(audit_log::Column::Ip.eq(ip));
        }
        Ok(c)
    }
}

/// The whole log is the audit administrator's (a grant at the province); nobody else's.
pub(crate) fn require_auditor(principal: &Principal) -> AppResult<()> {
    if principal.can_at_root(Permission::AuditVerify) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(ApiResponse)]
pub enum CsvDownload {
    /// UTF-8 CSV with a BOM (so spreadsheet programs read Chinese), streamed.
    #[oai(status = 200, content_type = "text/csv; charset=utf-8")]
    Ok(Binary<Body>, #[oai(header = "Content-Disposition")] String),
}

pub struct AuditAdminApi;

#[OpenApi(tag = "Tag::Audit")]
impl AuditAdminApi {
    /// The whole audit log (every actor, security events and entries without a target included), newest first.
    /// Needs `audit.verify`.
    #[oai(
        path = "/audit/entries",
        method = "get",
        operation_id = "listAuditEntries"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
        /// Part of the actor's username (`system` for the server itself).
        actor: Query<Option<String>>,
        /// The start of the action, e.g. `auth.` or `teacher.reveal`.
        action: Query<Option<String>>,
        target_type: Query<Option<String>>,
        target_id: Query<Option<String>>,
        /// Entries at or after this time.
        from: Query<Option<DateTime<Utc>>>,
        /// Entries at or before this time.
        to: Query<Option<DateTime<Utc>>>,
        /// The client address exactly.
        ip: Query<Option<String>>,
    ) -> AppResult<Json<Page<AuditLogEntry>>> {
        require_auditor(&auth.0)?;
        let (page, size, offset) = window(page.0, page_size.0)?;
        let filter = EntryFilter {
            actor: actor.0,
            action: action.0,
            target_type: target_type.0,
            target_id: target_id.0,
            from: from.0,
            to: to.0,
            ip: ip.0,
        };
        let q = audit_log::Entity::find()
            .filter(filter.condition()?)
            .order_by_desc(audit_log::Column::Id);
        let (rows, total) = fetch(&state.db, q, offset, size).await?;
        Ok(Json(Page {
            items: rows.into_iter().map(Into::into).collect(),
            total: total.count,
            total_exact: total.exact,
            page,
            page_size: size,
        }))
    }

    /// The entries the same filters find, newest first, as CSV. The export itself is audited. Needs
    /// `audit.verify`.
    #[oai(
        path = "/audit/entries/export",
        method = "get",
        operation_id = "exportAuditEntries"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn export(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        actor: Query<Option<String>>,
        action: Query<Option<String>>,
        target_type: Query<Option<String>>,
        target_id: Query<Option<String>>,
        from: Query<Option<DateTime<Utc>>>,
        to: Query<Option<DateTime<Utc>>>,
        ip: Query<Option<String>>,
    ) -> AppResult<CsvDownload> {
        require_auditor(&auth.0)?;
        let filter = EntryFilter {
            actor: actor.0,
            action: action.0,
            target_type: target_type.0,
            target_id: target_id.0,
            from: from.0,
            to: to.0,
            ip: ip.0,
        };
        let condition = filter.condition()?;
        let txn = begin_write(&state.db).await?;
        audit::record(
            &txn,
            Some(&auth.0),
            AuditEvent {
                action: "audit.export",
                target_type: "audit_log",
                target_id: None,
                target_path: None,
                detail: serde_json::to_value(&filter).unwrap_or_default(),
            },
        )
        .await?;
        txn.commit().await?;
        // The export's own entry is written to the database above; the entries it lists may be a few seconds old.
        let body = Body::from_bytes_stream(csv_stream(state.reads().clone(), condition));
        let name = format!("audit-{}.csv", Utc::now().format("%Y%m%d-%H%M%S"));
        Ok(CsvDownload::Ok(Binary(body), attachment_disposition(&name)))
    }

    /// Seal what is pending and check the whole chain (archives, entries, checkpoints); answers "intact" with
    /// the number of entries checked, or the first altered, inserted or deleted entry. Needs `audit.verify`.
    #[oai(path = "/audit/verify", method = "post", operation_id = "verifyAudit")]
    async fn verify(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
    ) -> AppResult<Json<AuditVerifyReport>> {
        require_auditor(&auth.0)?;
        let report = verify(&state.db, &state.storage, &state.audit_key).await?;
        let txn = begin_write(&state.db).await?;
        audit::record(
            &txn,
            Some(&auth.0),
            AuditEvent {
                action: "audit.verify",
                target_type: "audit_log",
                target_id: None,
                target_path: None,
                detail: serde_json::json!({
                    "intact": report.intact,
                    "entries_checked": report.entries_checked,
                    "problem": report.problem.as_ref().map(|p| p.message.clone()),
                }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(Json(report))
    }
}

/// The CSV as a stream of chunks, read in id order downwards a batch at a time (never the whole log in memory).
pub(crate) fn csv_stream(
    db: DatabaseConnection,
    condition: Condition,
) -> impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static {
    let header = csv_rows(&[], true);
    let rows = stream::try_unfold(Some(i64::MAX), move |cursor| {
        let (db, condition) = (db.clone(), condition.clone());
        async move {
            let Some(before) = cursor else {
                return Ok(None);
            };
            let batch = audit_log::Entity::find()
                .filter(condition)
                .filter(audit_log::Column::Id.lt(before))
                .order_by_desc(audit_log::Column::Id)
                .limit(EXPORT_BATCH)
                .all(&db)
                .await
                .map_err(std::io::Error::other)?;
            if batch.is_empty() {
                return Ok(None);
            }
            let next = (batch.len() as u64 == EXPORT_BATCH).then(|| batch[batch.len() - 1].id);
            Ok(Some((csv_rows(&batch, false), next)))
        }
    });
    stream::once(async move { Ok::<_, std::io::Error>(header) }).chain(rows)
}

fn csv_rows(entries: &[audit_log::Model], header: bool) -> bytes::Bytes {
    let mut out = Vec::new();
    if header {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    {
        let mut w = csv::Writer::from_writer(&mut out);
        if header {
            let _ = w.write_record([
                "id",
                "seq",
                "at",
                "actor",
                "action",
                "target_type",
                "target_id",
                "target_path",
                "ip",
                "detail",
            ]);
        }
        for e in entries {
            // Free text is neutralised: an actor or detail starting with `=` must not run as a formula.
            let text = |v: &str| neutralise_csv_text(v).into_owned();
            let _ = w.write_record([
                e.id.to_string(),
                e.seq.map(|s| s.to_string()).unwrap_or_default(),
                e.at.to_rfc3339(),
                text(&e.actor),
                text(&e.action),
                text(&e.target_type),
                text(e.target_id.as_deref().unwrap_or_default()),
                text(e.target_path.as_deref().unwrap_or_default()),
                text(e.ip.as_deref().unwrap_or_default()),
                text(&e.detail),
            ]);
        }
        let _ = w.flush();
    }
    bytes::Bytes::from(out)
}
