//! Uploaded files (补录 evidence, coursework attachments): size-limited while the body streams in, checked by
//! content (the bytes must be what the name says), stored in the object store under a random key, recorded with
//! the uploader and the node they belong to. Who may read a file is decided in `access::files`, nowhere else.
//! Large lesson files come through the resumable `uploads` (tus) instead, and are served with `Range`
//! (`content`), videos with their probe result and poster (`media`).
pub mod blind;
pub mod content;
pub mod media;
pub mod routes;
pub mod sniff;
pub mod uploads;

pub use content::{FileContent, serve_content};
pub use media::{MediaCheck, MediaView, media_checks};

use bytes::{Bytes, BytesMut};
use chrono::Utc;
use entity::file;
use futures_util::{Stream, StreamExt};
use poem_openapi::Object;
use sea_orm::ActiveEnum as _;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::{
    AppState,
    auth::Principal,
    platform::{
        audit::{self, AuditEvent},
        db::begin_write,
        error::{AppError, AppResult},
    },
};

pub use entity::file::FilePurpose;

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct FileView {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub purpose: FilePurpose,
    pub created_at: chrono::DateTime<Utc>,
    /// A lesson video's codecs, size, duration and the 一师一优课 checks.
    pub media: Option<media::MediaView>,
    /// A poster frame is served at `/api/files/{id}/poster`.
    pub has_poster: bool,
}

impl From<file::Model> for FileView {
    fn from(f: file::Model) -> Self {
        Self {
            media: media::media_checks(&f),
            has_poster: f.poster_key.is_some(),
            id: f.id,
            name: f.name,
            content_type: f.content_type,
            size: f.size,
            sha256: f.sha256,
            purpose: f.purpose,
            created_at: f.created_at,
        }
    }
}

/// Reads the body up to `limit` bytes; one byte more and the upload is refused before anything is stored.
async fn read_limited<S, E>(mut body: S, limit: usize) -> AppResult<Bytes>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut buf = BytesMut::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| {
            AppError::BadRequest(
                crate::platform::i18n::catalogue::platform::BodyUnreadable {
                    reason: e.to_string(),
                }
                .into(),
            )
        })?;
        if buf.len() + chunk.len() > limit {
            return Err(AppError::TooLarge(
                crate::platform::i18n::catalogue::files::FileTooLarge {
                    size: format!("{} MB", limit / (1024 * 1024)),
                }
                .into(),
            ));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

/// The node a file belongs to: the uploading teacher's school, or the uploader's own area.
pub(crate) async fn owner_of(
    db: &impl ConnectionTrait,
    principal: &Principal,
) -> AppResult<(Option<i64>, String)> {
    if let Some(id) = principal.teacher_id {
        let t = entity::teacher::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok((Some(id), t.path));
    }
    let path = principal
        .first_node()
        .map(|g| g.scope_path.clone())
        .ok_or(AppError::Forbidden)?;
    Ok((None, path))
}

pub async fn upload<S, E>(
    state: &AppState,
    principal: &Principal,
    purpose: FilePurpose,
    name: &str,
    body: S,
) -> AppResult<FileView>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let accept = if purpose == FilePurpose::Lesson {
        sniff::Accept::Lesson
    } else {
        sniff::Accept::Small
    };
    let name = sniff::clean_name_for(name, accept)?;
    let bytes = read_limited(body, state.config.upload_max_bytes).await?;
    crate::platform::metrics::upload_received("file", bytes.len() as u64);
    let content_type = sniff::check_for(&name, &bytes, accept)?;
    if content_type.starts_with("video/") {
        return Err(AppError::field(
            "name",
            crate::platform::i18n::catalogue::files::VideoNeedsResumable,
        ));
    }
    let (teacher_id, path) = owner_of(&state.db, principal).await?;
    let key = format!(
        "{}/{}/{}",
        purpose.to_value(),
        Utc::now().format("%Y/%m"),
        uuid::Uuid::new_v4()
    );
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let size = bytes.len() as i64;
    // Bytes first: a row never points at a missing object (an orphan object is harmless).
    state
        .storage
        .put(&key, bytes)
        .await
        .map_err(AppError::Internal)?;
    let txn = begin_write(&state.db).await?;
    if purpose == FilePurpose::Lesson {
        // Decided in the transaction that writes the file row, so parallel uploads cannot both fit.
        let fits =
            uploads::check_quota(state, &txn, teacher_id, principal.account_id, size as u64).await;
        if let Err(e) = fits {
            txn.rollback().await?;
            let _ = state.storage.delete(&key).await;
            return Err(e);
        }
    }
    let row = file::ActiveModel {
        storage_key: Set(key),
        name: Set(name),
        content_type: Set(content_type.to_string()),
        size: Set(size),
        sha256: Set(sha256),
        purpose: Set(purpose),
        uploaded_by: Set(principal.account_id),
        teacher_id: Set(teacher_id),
        path: Set(path.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "file.upload",
            target_type: "file",
            target_id: Some(row.id.to_string()),
            target_path: Some(path),
            detail: serde_json::json!({"name": row.name, "size": row.size, "purpose": row.purpose}),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row.into())
}

pub async fn find_readable(
    state: &AppState,
    principal: &Principal,
    id: i64,
) -> AppResult<file::Model> {
    let f = file::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !state
        .file_policies
        .readable(&state.db, principal, &f)
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(f)
}

/// Files a record may reference: each must exist, have been uploaded by the caller for this purpose.
pub async fn own_uploads(
    db: &impl ConnectionTrait,
    principal: &Principal,
    purpose: FilePurpose,
    field: &str,
    ids: &[i64],
) -> AppResult<Vec<file::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found = file::Entity::find()
        .filter(file::Column::Id.is_in(ids.iter().copied()))
        .filter(file::Column::UploadedBy.eq(principal.account_id))
        .filter(file::Column::Purpose.eq(purpose))
        .all(db)
        .await?;
    if let Some(missing) = ids.iter().find(|id| !found.iter().any(|f| f.id == **id)) {
        return Err(AppError::field(
            field,
            crate::platform::i18n::catalogue::files::FileNotYours {
                value: missing.to_string(),
            },
        ));
    }
    Ok(found)
}
