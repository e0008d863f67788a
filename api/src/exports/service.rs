//! Asking for a background export, "my exports", downloading and removing one, and the sweeper of expired ones.
use chrono::{DateTime, Utc};
use entity::{
    account,
    export::{self, ExportKind, ExportStatus},
};
use futures_util::StreamExt;
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{
    params::{ExportOrder, ExportParams},
    produce::{self, Content, Produced, kind_label},
};
use crate::{
    AppState,
    auth::Principal,
    files::content::{FileContent, serve_object},
    inbox::{self, Notice, NoticeKind, Recipient},
    platform::{
        audit::{self, AuditEvent},
        db::begin_write,
        error::{AppError, AppResult},
        i18n::{self, catalogue::exports as m, t},
        jobs::{self, JobKind},
        paging::{Page, fetch, window},
    },
};

/// Exports one account may have queued or running at once: a careless client cannot fill the workers' queue.
pub const MAX_OPEN_PER_ACCOUNT: u64 = 5;
/// An export still not made after this long is given up (its job failed for good or was lost).
const GIVE_UP_HOURS: i64 = 24;
/// Parts of a streamed file sent to the object store at a time (S3 wants parts of at least 5 MiB).
const PART_BYTES: usize = 8 * 1024 * 1024;

/// A background export as its owner sees it.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ExportView {
    pub id: String,
    pub kind: ExportKind,
    /// The kind's name in the request's language.
    pub kind_label: String,
    pub format: String,
    pub params: ExportParams,
    pub status: ExportStatus,
    /// The report subscription whose scheduled run made it.
    pub subscription_id: Option<i64>,
    pub filename: Option<String>,
    pub size_bytes: Option<i64>,
    pub rows: Option<i64>,
    /// Why it could not be made (status `failed`).
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// The file is removed after this.
    pub expires_at: Option<DateTime<Utc>>,
}

impl ExportView {
    pub fn of(m: export::Model) -> Self {
        Self {
            kind_label: kind_label(m.kind),
            params: serde_json::from_str(&m.params).unwrap_or_default(),
            id: m.id,
            kind: m.kind,
            format: m.format,
            status: m.status,
            subscription_id: m.subscription_id,
            filename: m.filename,
            size_bytes: m.size_bytes,
            rows: m.rows,
            error: m.error,
            created_at: m.created_at,
            started_at: m.started_at,
            finished_at: m.finished_at,
            expires_at: m.expires_at,
        }
    }
}

/// Asks for an export in the background: checked now as the export itself would check it, then queued.
pub async fn request(
    state: &AppState,
    principal: &Principal,
    order: ExportOrder,
) -> AppResult<ExportView> {
    produce::check(state, principal, &order).await?;
    let txn = begin_write(&state.db).await?;
    let open = export::Entity::find()
        .filter(export::Column::AccountId.eq(principal.account_id))
        .filter(export::Column::Status.is_in([ExportStatus::Queued, ExportStatus::Running]))
        .count(&txn)
        .await?;
    if open >= MAX_OPEN_PER_ACCOUNT {
        return Err(AppError::rule(
            m::TooManyRunning {
                limit: MAX_OPEN_PER_ACCOUNT as i64,
            },
            vec![],
        ));
    }
    let row = queue(&txn, principal.account_id, &order, None).await?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "export.request",
            target_type: "export",
            target_id: Some(row.id.clone()),
            target_path: None,
            detail: serde_json::json!({
                "kind": order.kind.as_str(),
                "format": order.format().extension(),
                "params": order.params,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(ExportView::of(row))
}

/// Writes the export row and its job, in the caller's transaction.
pub(super) async fn queue(
    db: &impl ConnectionTrait,
    account_id: i64,
    order: &ExportOrder,
    subscription_id: Option<i64>,
) -> Result<export::Model, DbErr> {
    let id = uuid::Uuid::new_v4().to_string();
    let row = export::ActiveModel {
        id: Set(id.clone()),
        account_id: Set(account_id),
        kind: Set(order.kind),
        format: Set(order.format().extension().to_string()),
        params: Set(order.params_json()),
        status: Set(ExportStatus::Queued),
        subscription_id: Set(subscription_id),
        storage_key: Set(None),
        filename: Set(None),
        content_type: Set(None),
        size_bytes: Set(None),
        rows: Set(None),
        error: Set(None),
        created_at: Set(Utc::now()),
        started_at: Set(None),
        finished_at: Set(None),
        expires_at: Set(None),
    }
    .insert(db)
    .await?;
    jobs::enqueue(
        db,
        JobKind::Export,
        serde_json::json!({ "export_id": id, "lang": i18n::current_lang() }),
        Some(format!("export:{id}")),
    )
    .await?;
    Ok(row)
}

/// My exports, newest first.
pub async fn list_mine(
    state: &AppState,
    principal: &Principal,
    page: Option<u64>,
    page_size: Option<u64>,
    status: Option<ExportStatus>,
) -> AppResult<Page<ExportView>> {
    let (page, size, offset) = window(page, page_size)?;
    let mut q = export::Entity::find()
        .filter(export::Column::AccountId.eq(principal.account_id))
        .filter(export::Column::Kind.is_in(ExportKind::ALL));
    if let Some(s) = status {
        q = q.filter(export::Column::Status.eq(s));
    }
    let q = q
        .order_by_desc(export::Column::CreatedAt)
        .order_by_desc(export::Column::Id);
    let (rows, total) = fetch(&state.db, q, offset, size).await?;
    Ok(Page::new(
        rows.into_iter().map(ExportView::of).collect(),
        total,
        page,
        size,
    ))
}

/// One of my exports; anybody else's is 404.
pub async fn find_mine(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: &str,
) -> AppResult<export::Model> {
    export::Entity::find_by_id(id.to_string())
        .filter(export::Column::AccountId.eq(principal.account_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The file of one of my finished exports, streamed (audited: exports carry personal data).
pub async fn download(
    state: &AppState,
    principal: &Principal,
    id: &str,
    range: Option<&str>,
) -> AppResult<FileContent> {
    let row = find_mine(&state.db, principal, id).await?;
    let (Some(key), Some(size), Some(name), Some(content_type)) = (
        row.storage_key.as_deref(),
        row.size_bytes,
        row.filename.as_deref(),
        row.content_type.as_deref(),
    ) else {
        return Err(AppError::conflict("id", m::NotReady));
    };
    if row.status != ExportStatus::Done {
        return Err(AppError::conflict("id", m::NotReady));
    }
    let txn = begin_write(&state.db).await?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "export.download",
            target_type: "export",
            target_id: Some(row.id.clone()),
            target_path: None,
            detail: serde_json::json!({ "kind": row.kind.as_str(), "bytes": size }),
        },
    )
    .await?;
    txn.commit().await?;
    serve_object(
        state,
        key,
        u64::try_from(size).unwrap_or_default(),
        content_type,
        None,
        range,
        Some(name),
    )
    .await
}

/// Removes one of my exports and its file (a running one is dropped when its job finishes).
pub async fn remove(state: &AppState, principal: &Principal, id: &str) -> AppResult<()> {
    let row = find_mine(&state.db, principal, id).await?;
    let txn = begin_write(&state.db).await?;
    export::Entity::delete_by_id(row.id.clone())
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "export.delete",
            target_type: "export",
            target_id: Some(row.id.clone()),
            target_path: None,
            detail: serde_json::json!({ "kind": row.kind.as_str() }),
        },
    )
    .await?;
    txn.commit().await?;
    delete_file(state, row.storage_key.as_deref()).await;
    Ok(())
}

async fn delete_file(state: &AppState, key: Option<&str>) {
    if let Some(key) = key
        && let Err(e) = state.storage.delete(key).await
    {
        tracing::warn!(%key, error = %e, "could not delete an export's file");
    }
}

/// Stores a made file under the export's key; its size in bytes.
pub(super) async fn store(state: &AppState, key: &str, produced: Produced) -> anyhow::Result<u64> {
    match produced.content {
        Content::Whole(data) => {
            let size = data.len() as u64;
            state.storage.put(key, bytes::Bytes::from(data)).await?;
            Ok(size)
        }
        Content::Stream(mut chunks) => {
            let mut writer = state.storage.writer(key, PART_BYTES).await?;
            let mut size = 0u64;
            while let Some(chunk) = chunks.next().await {
                let chunk = chunk?;
                size += chunk.len() as u64;
                writer.wait_for_capacity(2).await?;
                writer.put(chunk);
            }
            writer.finish().await?;
            Ok(size)
        }
    }
}

/// The finished export: its file described, its expiry set, its owner told — in one transaction, and only if the
/// row is still there and running (its owner may have removed it meanwhile: then false, and the caller removes
/// the file).
pub(super) async fn finish(
    state: &AppState,
    principal: &Principal,
    row: &export::Model,
    file: FinishedFile,
) -> anyhow::Result<bool> {
    let now = Utc::now();
    let expires = now + chrono::Duration::days(state.config.export_retention_days.max(1));
    let txn = begin_write(&state.db).await?;
    let updated = export::Entity::update_many()
        .set(export::ActiveModel {
            status: Set(ExportStatus::Done),
            storage_key: Set(Some(file.key.clone())),
            filename: Set(Some(file.filename.clone())),
            content_type: Set(Some(file.content_type.to_string())),
            size_bytes: Set(Some(i64::try_from(file.size)?)),
            rows: Set(file.rows.map(i64::try_from).transpose()?),
            finished_at: Set(Some(now)),
            expires_at: Set(Some(expires)),
            ..Default::default()
        })
        .filter(export::Column::Id.eq(row.id.as_str()))
        .filter(export::Column::Status.eq(ExportStatus::Running))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Ok(false);
    }
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "export.made",
            target_type: "export",
            target_id: Some(row.id.clone()),
            target_path: None,
            detail: serde_json::json!({
                "kind": row.kind.as_str(),
                "rows": file.rows,
                "bytes": file.size,
                "scheduled": row.subscription_id.is_some(),
            }),
        },
    )
    .await?;
    let name = kind_label(row.kind);
    tell_owner(
        &txn,
        row.account_id,
        &t(m::ReadySubject { name: name.clone() }),
        &t(m::ReadyBody {
            name,
            link: exports_link(state),
            days: state.config.export_retention_days.max(1),
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// What a stored file of an export is.
pub(super) struct FinishedFile {
    pub key: String,
    pub filename: String,
    pub content_type: &'static str,
    pub size: u64,
    pub rows: Option<u64>,
}

/// An export that cannot be made (its owner may no longer see what it asked for, or is no longer active): the
/// reason kept, the owner told.
pub(super) async fn fail(state: &AppState, row: &export::Model, reason: &str) -> Result<(), DbErr> {
    let now = Utc::now();
    let txn = begin_write(&state.db).await?;
    let updated = export::Entity::update_many()
        .set(export::ActiveModel {
            status: Set(ExportStatus::Failed),
            error: Set(Some(reason.to_string())),
            finished_at: Set(Some(now)),
            expires_at: Set(Some(
                now + chrono::Duration::days(state.config.export_retention_days.max(1)),
            )),
            ..Default::default()
        })
        .filter(export::Column::Id.eq(row.id.as_str()))
        .filter(export::Column::Status.is_in([ExportStatus::Queued, ExportStatus::Running]))
        .exec(&txn)
        .await?;
    if updated.rows_affected > 0 {
        let name = kind_label(row.kind);
        tell_owner(
            &txn,
            row.account_id,
            &t(m::FailedSubject { name: name.clone() }),
            &t(m::FailedBody {
                name,
                reason: reason.to_string(),
                link: exports_link(state),
            }),
        )
        .await?;
    }
    txn.commit().await
}

fn exports_link(state: &AppState) -> String {
    format!("{}/exports", state.config.public_url.trim_end_matches('/'))
}

/// Tells an account its export is ready or failed, in the caller's transaction: in its inbox, and by mail unless
/// it turned export mail off.
async fn tell_owner(
    db: &impl ConnectionTrait,
    account_id: i64,
    subject: &str,
    body: &str,
) -> Result<(), DbErr> {
    let Some(owner) = account::Entity::find_by_id(account_id).one(db).await? else {
        return Ok(());
    };
    inbox::tell(
        db,
        &Recipient::account(&owner),
        Notice::new(NoticeKind::Export, subject, body).link("/exports"),
    )
    .await
}

/// Removes exports past their expiry (row and file), and gives up exports still not made after a day.
/// Returns how many were removed.
pub async fn sweep(state: &AppState, now: DateTime<Utc>) -> AppResult<u64> {
    let stale = export::Entity::find()
        .filter(export::Column::Status.is_in([ExportStatus::Queued, ExportStatus::Running]))
        .filter(export::Column::CreatedAt.lt(now - chrono::Duration::hours(GIVE_UP_HOURS)))
        .limit(100)
        .all(&state.db)
        .await?;
    for row in stale {
        fail(state, &row, &t(m::GaveUp)).await?;
    }
    let expired = export::Entity::find()
        .filter(export::Column::ExpiresAt.lt(now))
        .limit(500)
        .all(&state.db)
        .await?;
    let mut removed = 0;
    for row in expired {
        let gone = export::Entity::delete_by_id(row.id.clone())
            .exec(&state.db)
            .await?;
        if gone.rows_affected > 0 {
            delete_file(state, row.storage_key.as_deref()).await;
            removed += 1;
        }
    }
    Ok(removed)
}
