//! Resumable uploads of large lesson files: the tus 1.0 core protocol with the `creation` and `termination`
//! extensions at `/api/uploads` (plain poem endpoints: tus is a header protocol the OpenAPI types do not express;
//! the SPA drives it with tus-js-client, and learns the resulting file through `getUploadStatus`).
//!
//! Stateless by design: the received offset and the list of stored segments are in the `uploads` row, the bytes
//! in the object store (one object per PATCH under `uploads/{id}/`), so any instance may take any PATCH. A PATCH
//! body is streamed into its segment; when the client's connection drops, the bytes that did arrive are kept and
//! `HEAD` reports them, so the client resumes from there. The request's work runs in its own task so that a
//! dropped connection cannot cancel it half-way. Each PATCH moves the offset with a compare-and-set on the old
//! offset, so two racing PATCHes cannot both land.
//!
//! On the last byte the segments are assembled (streamed) into the final object while SHA-256 is computed, the
//! content is checked against the name, a video is probed and given a poster, and the `files` row is written.
mod quota;
mod store;

use base64::{Engine, engine::general_purpose::STANDARD};
use bytes::Bytes;
use chrono::Utc;
use entity::{file, upload, upload_quota_owner};
use futures_util::{Stream, StreamExt};
use poem::{
    Body, Request, Response,
    http::{Method, StatusCode},
};
pub(crate) use quota::check_quota;
use quota::*;
use sea_orm::ActiveEnum as _;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    sea_query::{Expr, OnConflict},
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use store::*;
pub use store::{expire_abandoned, run_expirer};
use tokio::io::AsyncWriteExt;

use super::{
    FilePurpose, media,
    sniff::{self, Accept},
};
use crate::{
    AppState,
    auth::{Principal, principal_from_request},
    platform::{
        audit::{self, AuditEvent},
        db::begin_write,
        error::{AppError, AppResult, FieldError, problem, problem_response},
        i18n::{Text, catalogue::files as fm},
    },
};

pub const TUS_VERSION: &str = "1.0.0";
pub const TUS_EXTENSIONS: &str = "creation,termination";
pub const OFFSET_CONTENT_TYPE: &str = "application/offset+octet-stream";
/// Every tus answer carries `Tus-Resumable`.
fn tus_response(status: StatusCode) -> poem::ResponseBuilder {
    Response::builder()
        .status(status)
        .header("tus-resumable", TUS_VERSION)
}

fn finish(builder: poem::ResponseBuilder) -> Response {
    builder.body(Body::empty())
}

/// A refusal: a problem response, boxed (it is large and travels in `Err`).
type Refused = Box<Response>;

fn error_response(err: AppError) -> Refused {
    let mut response = poem::error::ResponseError::as_response(&err);
    response.headers_mut().insert(
        "tus-resumable",
        poem::http::HeaderValue::from_static(TUS_VERSION),
    );
    Box::new(response)
}

/// A problem with its own status and code (those `AppError` has no variant for).
fn problem_of(
    status: StatusCode,
    code: &'static str,
    detail: impl Into<Text>,
    errors: Vec<FieldError>,
) -> Refused {
    let mut response = problem_response(&problem(status, code, detail, errors));
    response.headers_mut().insert(
        "tus-resumable",
        poem::http::HeaderValue::from_static(TUS_VERSION),
    );
    Box::new(response)
}

fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

fn header_u64(req: &Request, name: &str) -> Option<u64> {
    header(req, name).and_then(|v| v.trim().parse().ok())
}

/// The client must speak our version (tus answers 412 with the versions it supports).
fn check_version(req: &Request) -> Option<Refused> {
    if header(req, "tus-resumable") == Some(TUS_VERSION) {
        return None;
    }
    let mut response = problem_of(
        StatusCode::PRECONDITION_FAILED,
        "tus_version",
        fm::TusVersion {
            value: TUS_VERSION.into(),
        },
        vec![],
    );
    response.headers_mut().insert(
        "tus-version",
        poem::http::HeaderValue::from_static(TUS_VERSION),
    );
    Some(response)
}

/// `POST` (creation) and `OPTIONS` at `/api/uploads`.
pub async fn collection(req: Request) -> Response {
    match *req.method() {
        Method::OPTIONS => options(&req),
        Method::POST => create(&req).await.unwrap_or_else(|r| *r),
        _ => *problem_of(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            crate::platform::i18n::catalogue::platform::MethodNotAllowed,
            vec![],
        ),
    }
}

/// `HEAD`, `PATCH`, `DELETE` and `OPTIONS` at `/api/uploads/{id}`.
pub async fn item(mut req: Request) -> Response {
    let id = req.raw_path_param("id").unwrap_or_default().to_string();
    let result = match *req.method() {
        Method::OPTIONS => return options(&req),
        Method::HEAD => head(&req, &id).await,
        Method::PATCH => {
            let body = req.take_body();
            patch(&req, &id, body).await
        }
        Method::DELETE => terminate(&req, &id).await,
        _ => Err(problem_of(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            crate::platform::i18n::catalogue::platform::MethodNotAllowed,
            vec![],
        )),
    };
    result.unwrap_or_else(|r| *r)
}

fn options(req: &Request) -> Response {
    let state = req.data::<AppState>();
    let max = state.map_or(0, |s| s.config.lesson_upload_max_bytes);
    finish(
        tus_response(StatusCode::NO_CONTENT)
            .header("tus-version", TUS_VERSION)
            .header("tus-extension", TUS_EXTENSIONS)
            .header("tus-max-size", max),
    )
}

type Answer = Result<Response, Refused>;

fn state_of(req: &Request) -> Result<&AppState, Refused> {
    req.data::<AppState>()
        .ok_or_else(|| error_response(AppError::internal("AppState missing")))
}

async fn principal(req: &Request) -> Result<Principal, Refused> {
    principal_from_request(req).await.map_err(|e| {
        let mut response = crate::platform::error::to_problem(e);
        response.headers_mut().insert(
            "tus-resumable",
            poem::http::HeaderValue::from_static(TUS_VERSION),
        );
        Box::new(response)
    })
}

/// `Upload-Metadata: key base64,key2 base64,flag`.
fn metadata(raw: Option<&str>) -> Result<Vec<(String, String)>, Text> {
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(|pair| {
            let mut parts = pair.trim().splitn(2, ' ');
            let key = parts.next().unwrap_or_default().to_string();
            let value = match parts.next() {
                Some(v) => STANDARD
                    .decode(v.trim())
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .ok_or_else(|| fm::MetadataNotBase64 { name: key.clone() })?,
                None => String::new(),
            };
            Ok((key, value))
        })
        .collect()
}

/// A 400 naming the metadata field at fault (tus clients do not send JSON, so no 422 here).
fn bad_metadata(field: &str, message: impl Into<Text>) -> Refused {
    let message = message.into();
    problem_of(
        StatusCode::BAD_REQUEST,
        "invalid_upload",
        message.clone(),
        vec![FieldError::new(field, message)],
    )
}

async fn create(req: &Request) -> Answer {
    let state = state_of(req)?;
    let principal = principal(req).await?;
    if let Some(r) = check_version(req) {
        return Err(r);
    }
    if header(req, "upload-defer-length").is_some() {
        return Err(bad_metadata("Upload-Length", fm::DeferLengthUnsupported));
    }
    let Some(length) = header_u64(req, "upload-length") else {
        return Err(bad_metadata("Upload-Length", fm::UploadLengthInvalid));
    };
    let max = state.config.lesson_upload_max_bytes;
    if length > max {
        return Err(error_response(AppError::TooLarge(
            fm::FileTooLarge { size: mb(max) }.into(),
        )));
    }
    if length == 0 {
        return Err(bad_metadata("Upload-Length", fm::FileEmpty));
    }
    let meta =
        metadata(header(req, "upload-metadata")).map_err(|m| bad_metadata("Upload-Metadata", m))?;
    let value = |key: &str| meta.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let purpose = value("purpose").unwrap_or_default();
    if purpose != FilePurpose::Lesson.to_value() {
        return Err(bad_metadata("purpose", fm::ResumableOnlyLessons));
    }
    let name = sniff::clean_name_for(value("filename").unwrap_or_default(), Accept::Lesson)
        .map_err(|e| match e {
            AppError::Validation(errors) => {
                let message = errors
                    .first()
                    .map(|e| e.message.clone())
                    .unwrap_or_default();
                bad_metadata("filename", message)
            }
            other => error_response(other),
        })?;
    let created = async {
        let (teacher_id, path) = super::owner_of(&state.db, &principal).await?;
        let txn = begin_write(&state.db).await?;
        check_quota(state, &txn, teacher_id, principal.account_id, length).await?;
        let now = Utc::now();
        let row = upload::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            account_id: Set(principal.account_id),
            teacher_id: Set(teacher_id),
            path: Set(path),
            name: Set(name),
            purpose: Set(FilePurpose::Lesson),
            length: Set(i64::try_from(length).unwrap_or(i64::MAX)),
            received_bytes: Set(0),
            segments: Set("[]".into()),
            file_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        AppResult::Ok(row)
    }
    .await
    .map_err(error_response)?;
    Ok(finish(
        tus_response(StatusCode::CREATED)
            .header("location", format!("/api/uploads/{}", created.id))
            .header("upload-offset", 0),
    ))
}

/// The caller's own upload; anyone else's is not found.
async fn own_upload(
    db: &impl sea_orm::ConnectionTrait,
    principal: &Principal,
    id: &str,
) -> AppResult<upload::Model> {
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(AppError::NotFound);
    }
    upload::Entity::find_by_id(id.to_string())
        .filter(upload::Column::AccountId.eq(principal.account_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

async fn head(req: &Request, id: &str) -> Answer {
    let state = state_of(req)?;
    let principal = principal(req).await?;
    let u = own_upload(&state.db, &principal, id)
        .await
        .map_err(error_response)?;
    let mut builder = tus_response(StatusCode::OK)
        .header("upload-offset", u.received_bytes)
        .header("upload-length", u.length)
        .header("cache-control", "no-store")
        .header(
            "upload-metadata",
            format!(
                "filename {},purpose {}",
                STANDARD.encode(&u.name),
                STANDARD.encode(u.purpose.to_value())
            ),
        );
    if let Some(f) = u.file_id {
        builder = builder.header("upload-file-id", f);
    }
    Ok(finish(builder))
}

async fn terminate(req: &Request, id: &str) -> Answer {
    let state = state_of(req)?;
    let principal = principal(req).await?;
    if let Some(r) = check_version(req) {
        return Err(r);
    }
    let u = own_upload(&state.db, &principal, id)
        .await
        .map_err(error_response)?;
    // A completed upload's file stays (records may point at it); only the session goes.
    discard(state, &u).await.map_err(error_response)?;
    Ok(finish(tus_response(StatusCode::NO_CONTENT)))
}

async fn patch(req: &Request, id: &str, body: Body) -> Answer {
    let state = state_of(req)?.clone();
    let principal = principal(req).await?;
    if let Some(r) = check_version(req) {
        return Err(r);
    }
    let content_type = header(req, "content-type").unwrap_or_default();
    if content_type.split(';').next().map(str::trim) != Some(OFFSET_CONTENT_TYPE) {
        return Err(problem_of(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            fm::PatchContentType {
                value: OFFSET_CONTENT_TYPE.into(),
            },
            vec![],
        ));
    }
    let Some(offset) = header_u64(req, "upload-offset") else {
        return Err(bad_metadata("Upload-Offset", fm::UploadOffsetInvalid));
    };
    let u = own_upload(&state.db, &principal, id)
        .await
        .map_err(error_response)?;
    if u.file_id.is_some() || offset != u.received_bytes as u64 {
        let mut response = problem_of(
            StatusCode::CONFLICT,
            "offset_mismatch",
            fm::OffsetMismatch {
                count: u.received_bytes,
            },
            vec![FieldError::new(
                "Upload-Offset",
                fm::OffsetMismatch {
                    count: u.received_bytes,
                },
            )],
        );
        if let Ok(v) = u.received_bytes.to_string().parse() {
            response.headers_mut().insert("upload-offset", v);
        }
        return Err(response);
    }
    let remaining = (u.length - u.received_bytes) as u64;
    if header_u64(req, "content-length").is_some_and(|n| n > remaining) {
        return Err(error_response(AppError::TooLarge(
            fm::PastAnnouncedLength { count: u.length }.into(),
        )));
    }
    // Its own task: a client that goes away must not cancel the bookkeeping of what it did send.
    let stream = body.into_bytes_stream();
    let task = tokio::spawn(async move { receive(&state, &principal, u, stream).await });
    match task.await {
        Ok(Ok(done)) => {
            let mut builder =
                tus_response(StatusCode::NO_CONTENT).header("upload-offset", done.offset);
            if let Some(f) = done.file_id {
                builder = builder.header("upload-file-id", f);
            }
            Ok(finish(builder))
        }
        Ok(Err(e)) => Err(error_response(e)),
        Err(e) => Err(error_response(AppError::internal(format!(
            "upload task: {e}"
        )))),
    }
}

/// What `getUploadStatus` reports.
pub async fn status(
    db: &impl sea_orm::ConnectionTrait,
    principal: &Principal,
    id: &str,
) -> AppResult<(upload::Model, Option<file::Model>)> {
    let u = own_upload(db, principal, id).await?;
    let f = match u.file_id {
        Some(f) => file::Entity::find_by_id(f).one(db).await?,
        None => None,
    };
    Ok((u, f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_pairs_are_base64() {
        let raw = format!(
            "filename {},purpose {},is_confidential",
            STANDARD.encode("课堂实录.mp4"),
            STANDARD.encode("lesson")
        );
        let m = metadata(Some(&raw)).expect("parses");
        assert_eq!(m[0], ("filename".into(), "课堂实录.mp4".into()));
        assert_eq!(m[1], ("purpose".into(), "lesson".into()));
        assert_eq!(m[2], ("is_confidential".into(), String::new()));
        assert!(metadata(Some("filename ***")).is_err());
        assert!(metadata(None).expect("empty").is_empty());
    }
}
