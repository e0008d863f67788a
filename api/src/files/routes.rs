//! Upload and download of evidence and coursework files.
use poem::Body;
use poem_openapi::{
    OpenApi,
    param::{Path, Query},
    payload::{Binary, Json},
};

use super::{FilePurpose, FileView};
use crate::{
    AppState, api::Tag, auth::BearerAuth, directory::files_routes::NamedFile,
    platform::error::AppResult,
};

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

    /// The file's bytes, as an attachment under its original name.
    #[oai(
        path = "/files/:id/content",
        method = "get",
        operation_id = "downloadFile"
    )]
    async fn content(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<NamedFile> {
        let (file, bytes) = super::download(&state, &auth.0, id.0).await?;
        Ok(NamedFile {
            data: bytes.to_vec(),
            filename: file.name,
            content_type: file.content_type,
        })
    }
}
