//! Upload and download of evidence, coursework and lesson files; playback links and posters of lesson videos;
//! the status of a resumable upload (the tus protocol itself is in `uploads`).
use chrono::{DateTime, Utc};
use poem::Body;
use poem_openapi::{
    Object, OpenApi,
    param::{Header, Path, Query},
    payload::{Binary, Json},
};

use super::{
    FilePurpose, FileView,
    content::{FileContent, MediaAuth, serve_content, serve_poster, sign_play_token},
};
use crate::{AppState, auth::BearerAuth, platform::error::AppResult, tags::Tag};

/// A link a `<video>` (or `<img>`) can open without an `Authorization` header.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PlayLink {
    /// `/api/files/{id}/content?token=…`: streams the file, honouring `Range`.
    pub url: String,
    /// `/api/files/{id}/poster?token=…` when the video has a poster frame.
    pub poster_url: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// Where a resumable upload stands.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct UploadStatus {
    pub id: String,
    pub name: String,
    /// The announced length in bytes.
    pub length: i64,
    /// Bytes received so far.
    pub offset: i64,
    pub complete: bool,
    /// The stored file, once the last byte is in and the content was accepted.
    pub file: Option<FileView>,
}

pub struct UploadsApi;

#[OpenApi(tag = "Tag::Files")]
impl UploadsApi {
    /// Uploads one file as the raw request body (`application/octet-stream`). The size limit
    /// (`upload_max_bytes`, 20 MB by default) is enforced while the body streams in; the content must match the
    /// extension of `name` (pdf, png, jpg, docx, xlsx, pptx, zip, txt). Reference the returned id from a 补录 or a
    /// coursework submission.
    #[oai(path = "/files", method = "post", operation_id = "uploadFile")]
    async fn upload(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        /// What the file is for.
        purpose: Query<FilePurpose>,
        /// The original file name, with its extension.
        name: Query<String>,
        body: Binary<Body>,
    ) -> AppResult<Json<FileView>> {
        let stream = Box::pin(body.0.into_bytes_stream());
        let view = super::upload(&state, &auth.0, purpose.0, &name.0, stream).await?;
        Ok(Json(view))
    }

    /// A file's description, for whoever may read it (the uploader, or administrators over the teacher).
    #[oai(path = "/files/:id", method = "get", operation_id = "getFile")]
    async fn get(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<FileView>> {
        Ok(Json(
            super::find_readable(&state, &auth.0, id.0).await?.into(),
        ))
    }

    /// The file's bytes under its original name, streamed; honours `Range` (206 with `Content-Range`, 416 when
    /// outside the file) so a video can seek. Authorised by a bearer token or by the `token` of a playback link
    /// (`createFilePlayToken`).
    #[oai(
        path = "/files/:id/content",
        method = "get",
        operation_id = "downloadFile"
    )]
    async fn content(
        &self,
        state: poem::web::Data<&AppState>,
        auth: MediaAuth,
        id: Path<i64>,
        /// `bytes=start-end`, `bytes=start-` or `bytes=-suffix` (one range).
        #[oai(name = "Range")]
        range: Header<Option<String>>,
    ) -> AppResult<FileContent> {
        let principal = auth.principal(&state.db, id.0).await?;
        let file = super::find_readable(&state, &principal, id.0).await?;
        serve_content(&state, &file, range.0.as_deref(), &file.name).await
    }

    /// A lesson video's poster frame (JPEG), for whoever may read the video; 404 when it has none.
    #[oai(
        path = "/files/:id/poster",
        method = "get",
        operation_id = "downloadFilePoster"
    )]
    async fn poster(
        &self,
        state: poem::web::Data<&AppState>,
        auth: MediaAuth,
        id: Path<i64>,
        #[oai(name = "Range")] range: Header<Option<String>>,
    ) -> AppResult<FileContent> {
        let principal = auth.principal(&state.db, id.0).await?;
        let file = super::find_readable(&state, &principal, id.0).await?;
        serve_poster(&state, &file, range.0.as_deref()).await
    }

    /// A short-lived playback link for a file the caller may read: a `<video>` element cannot send the bearer
    /// header, so the link carries a signed token bound to this file and this account (`play_token_minutes`).
    #[oai(
        path = "/files/:id/play-token",
        method = "post",
        operation_id = "createFilePlayToken"
    )]
    async fn play_token(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<PlayLink>> {
        let file = super::find_readable(&state, &auth.0, id.0).await?;
        let expires_at = Utc::now() + chrono::Duration::minutes(state.config.play_token_minutes);
        let token = sign_play_token(&state.keys, file.id, auth.0.account_id, expires_at);
        Ok(Json(PlayLink {
            url: format!("/api/files/{}/content?token={token}", file.id),
            poster_url: file
                .poster_key
                .as_ref()
                .map(|_| format!("/api/files/{}/poster?token={token}", file.id)),
            expires_at,
        }))
    }

    /// Where the caller's resumable upload (`/api/uploads/{id}`, tus 1.0) stands; once complete, the file it
    /// became (with a video's probe result). Another account's upload is not found.
    #[oai(
        path = "/uploads/:id/status",
        method = "get",
        operation_id = "getUploadStatus"
    )]
    async fn upload_status(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> AppResult<Json<UploadStatus>> {
        let (u, f) = super::uploads::status(&state.db, &auth.0, &id.0).await?;
        Ok(Json(UploadStatus {
            complete: u.file_id.is_some(),
            id: u.id,
            name: u.name,
            length: u.length,
            offset: u.received_bytes,
            file: f.map(FileView::from),
        }))
    }
}
