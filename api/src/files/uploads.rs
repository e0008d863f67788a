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
use base64::{Engine, engine::general_purpose::STANDARD};
use bytes::Bytes;
use chrono::Utc;
use entity::{file, upload, upload_quota_owner};
use futures_util::{Stream, StreamExt};
use poem::{
    Body, Request, Response,
    http::{Method, StatusCode},
};
use sea_orm::ActiveEnum as _;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    sea_query::{Expr, OnConflict},
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
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
/// Part size of the streamed writes (S3 wants at least 5 MiB per part but the last).
const PART_BYTES: usize = 8 * 1024 * 1024;
/// Parts in flight per writer: memory stays near `PART_BYTES × (PARTS_IN_FLIGHT + 1)` whatever the file size.
const PARTS_IN_FLIGHT: usize = 2;
/// Block size when reading segments back for assembly.
const READ_BYTES: u64 = 8 * 1024 * 1024;

/// One stored piece of an upload: the object `key` holds bytes `start..start+len`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Segment {
    key: String,
    start: i64,
    len: i64,
}

fn segments_of(u: &upload::Model) -> Vec<Segment> {
    serde_json::from_str(&u.segments).unwrap_or_default()
}

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

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1024.0 / 1024.0)
}

/// Bytes a teacher (or, without a teacher record, an account) holds or has announced: completed lesson files
/// plus the lengths of unfinished uploads.
async fn quota_used(
    db: &impl ConnectionTrait,
    teacher_id: Option<i64>,
    account_id: i64,
) -> AppResult<u64> {
    let files = file::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(size), 0) AS BIGINT)"),
            "total",
        )
        .filter(file::Column::Purpose.eq(FilePurpose::Lesson));
    let files = match teacher_id {
        Some(t) => files.filter(file::Column::TeacherId.eq(t)),
        None => files
            .filter(file::Column::UploadedBy.eq(account_id))
            .filter(file::Column::TeacherId.is_null()),
    };
    let pending = upload::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(length), 0) AS BIGINT)"),
            "total",
        )
        .filter(upload::Column::FileId.is_null());
    let pending = match teacher_id {
        Some(t) => pending.filter(upload::Column::TeacherId.eq(t)),
        None => pending
            .filter(upload::Column::AccountId.eq(account_id))
            .filter(upload::Column::TeacherId.is_null()),
    };
    // SUM is NUMERIC on PostgreSQL: cast to BIGINT so both engines answer an integer.
    let files: Option<i64> = files.into_tuple().one(db).await?;
    let pending: Option<i64> = pending.into_tuple().one(db).await?;
    let total = files.unwrap_or(0).saturating_add(pending.unwrap_or(0));
    Ok(u64::try_from(total).unwrap_or(0))
}

/// Who a quota belongs to: the teacher, or (without a teacher record) the uploading account.
fn quota_owner(teacher_id: Option<i64>, account_id: i64) -> String {
    match teacher_id {
        Some(t) => format!("teacher:{t}"),
        None => format!("account:{account_id}"),
    }
}

/// Takes the owner's turn for a quota decision inside `txn`. Updating the owner's row holds its lock until the
/// transaction ends (PostgreSQL; SQLite's write transactions run one at a time anyway), so two instances deciding
/// for the same teacher take turns, and the second one's sum — read after the first committed — includes the
/// first one's reservation. Without the turn both read the same sum and both pass.
async fn take_quota_turn(
    txn: &impl ConnectionTrait,
    teacher_id: Option<i64>,
    account_id: i64,
) -> AppResult<()> {
    // Scoped here: ExprTrait's `min`/`add` would shadow the integer ones elsewhere in this module.
    use sea_orm::ExprTrait;
    let key = quota_owner(teacher_id, account_id);
    let now = Utc::now();
    upload_quota_owner::Entity::insert(upload_quota_owner::ActiveModel {
        owner_key: Set(key.clone()),
        decisions: Set(0),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(upload_quota_owner::Column::OwnerKey)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    upload_quota_owner::Entity::update_many()
        .col_expr(
            upload_quota_owner::Column::Decisions,
            Expr::col(upload_quota_owner::Column::Decisions).add(1),
        )
        .col_expr(upload_quota_owner::Column::UpdatedAt, Expr::value(now))
        .filter(upload_quota_owner::Column::OwnerKey.eq(key))
        .exec(txn)
        .await?;
    Ok(())
}

/// Reserves `length` bytes of the owner's lesson quota, or fails with 413 when they would take the owner over it.
/// Call it in the write transaction that records the reservation (the upload session, or the file row): the
/// reservation is that row, released when an unfinished session is terminated or expires, and turned into usage
/// when the session completes (its file row replaces it in the same transaction).
pub(crate) async fn check_quota(
    state: &AppState,
    txn: &impl ConnectionTrait,
    teacher_id: Option<i64>,
    account_id: i64,
    length: u64,
) -> AppResult<()> {
    take_quota_turn(txn, teacher_id, account_id).await?;
    let quota = state.config.teacher_upload_quota_bytes;
    let used = quota_used(txn, teacher_id, account_id).await?;
    if used.saturating_add(length) > quota {
        return Err(AppError::TooLarge(
            fm::UploadQuotaExceeded {
                allowed: mb(quota),
                used: mb(used),
                size: mb(length),
            }
            .into(),
        ));
    }
    Ok(())
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
        let (teacher_id, path) = super::owner_of(state, &principal).await?;
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
async fn own_upload(state: &AppState, principal: &Principal, id: &str) -> AppResult<upload::Model> {
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(AppError::NotFound);
    }
    upload::Entity::find_by_id(id.to_string())
        .filter(upload::Column::AccountId.eq(principal.account_id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

async fn head(req: &Request, id: &str) -> Answer {
    let state = state_of(req)?;
    let principal = principal(req).await?;
    let u = own_upload(state, &principal, id)
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
    let u = own_upload(state, &principal, id)
        .await
        .map_err(error_response)?;
    // A completed upload's file stays (records may point at it); only the session goes.
    discard(state, &u).await.map_err(error_response)?;
    Ok(finish(tus_response(StatusCode::NO_CONTENT)))
}

/// Deletes an upload session and its segments (best effort for the objects: an orphan is harmless).
async fn discard(state: &AppState, u: &upload::Model) -> AppResult<()> {
    upload::Entity::delete_by_id(u.id.clone())
        .exec(&state.db)
        .await?;
    delete_segments(state, &segments_of(u)).await;
    Ok(())
}

/// Removes the sessions nobody has continued for `upload_expiry_hours` (their segments and rows), so abandoned
/// uploads hold neither space in the store nor the teacher's quota. Finished ones stay: their status is still asked.
pub async fn expire_abandoned(state: &AppState) -> AppResult<usize> {
    let cutoff = Utc::now() - chrono::Duration::hours(state.config.upload_expiry_hours);
    let stale = upload::Entity::find()
        .filter(upload::Column::FileId.is_null())
        .filter(upload::Column::UpdatedAt.lt(cutoff))
        .all(&state.db)
        .await?;
    for u in &stale {
        discard(state, u).await?;
    }
    Ok(stale.len())
}

/// The sweeper `serve` runs: abandoned uploads are looked for every ten minutes.
pub async fn run_expirer(state: AppState, stop: crate::platform::shutdown::Shutdown) {
    loop {
        match stop.or_cancelled(expire_abandoned(&state)).await {
            None => return,
            Some(Ok(0)) => {}
            Some(Ok(n)) => tracing::info!(uploads = n, "abandoned uploads expired"),
            Some(Err(e)) => tracing::warn!(error = ?e, "expiring abandoned uploads failed"),
        }
        if !stop.sleep(std::time::Duration::from_secs(600)).await {
            return;
        }
    }
}

async fn delete_segments(state: &AppState, segments: &[Segment]) {
    for s in segments {
        if let Err(e) = state.storage.delete(&s.key).await {
            tracing::warn!(key = %s.key, error = %e, "could not delete an upload segment");
        }
    }
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
    let u = own_upload(&state, &principal, id)
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

struct Received {
    offset: i64,
    file_id: Option<i64>,
}

/// Streams one PATCH body into a new segment, then moves the offset (compare-and-set); completes the upload when
/// the last byte is in.
async fn receive<S>(
    state: &AppState,
    principal: &Principal,
    u: upload::Model,
    mut stream: S,
) -> AppResult<Received>
where
    S: Stream<Item = Result<Bytes, std::io::Error>> + Unpin + Send,
{
    let start = u.received_bytes;
    let remaining = (u.length - start) as u64;
    let key = format!(
        "uploads/{}/{start:015}-{}",
        u.id,
        uuid::Uuid::new_v4().simple()
    );
    let mut writer = state
        .storage
        .writer(&key, PART_BYTES)
        .await
        .map_err(AppError::Internal)?;
    let mut received = 0u64;
    let mut head = Vec::new();
    let mut dropped = None;
    while let Some(chunk) = stream.next().await {
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => {
                dropped = Some(e);
                break;
            }
        };
        if received + chunk.len() as u64 > remaining {
            let _ = writer.abort().await;
            return Err(AppError::TooLarge(
                fm::PastAnnouncedLength { count: u.length }.into(),
            ));
        }
        if start == 0 && head.len() < sniff::SNIFF_BYTES {
            let take = (sniff::SNIFF_BYTES - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
        received += chunk.len() as u64;
        writer
            .wait_for_capacity(PARTS_IN_FLIGHT)
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        writer.put(chunk);
    }
    if received == 0 {
        let _ = writer.abort().await;
        return match dropped {
            Some(e) => Err(AppError::BadRequest(
                crate::platform::i18n::catalogue::platform::BodyUnreadable {
                    reason: e.to_string(),
                }
                .into(),
            )),
            None => Ok(Received {
                offset: start,
                file_id: None,
            }),
        };
    }
    writer
        .finish()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let offset = start + received as i64;
    let mut segments = segments_of(&u);
    segments.push(Segment {
        key: key.clone(),
        start,
        len: received as i64,
    });
    let upload = upload::Model {
        segments: serde_json::to_string(&segments).unwrap_or_default(),
        ..u
    };
    if dropped.is_none() && offset == upload.length {
        // The last byte: the offset moves only together with the file row (in `complete`), so a crash during
        // assembly leaves the previous offset and the client simply sends its last PATCH again.
        let f = complete(state, principal, &upload, start).await?;
        return Ok(Received {
            offset,
            file_id: Some(f.id),
        });
    }
    let moved = upload::Entity::update_many()
        .col_expr(upload::Column::ReceivedBytes, Expr::value(offset))
        .col_expr(
            upload::Column::Segments,
            Expr::value(upload.segments.clone()),
        )
        .col_expr(upload::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(upload::Column::Id.eq(upload.id.clone()))
        .filter(upload::Column::ReceivedBytes.eq(start))
        .filter(upload::Column::FileId.is_null())
        .exec(&state.db)
        .await?;
    if moved.rows_affected != 1 {
        // Another PATCH (or a termination) got there first.
        delete_segments(state, &segments[segments.len() - 1..]).await;
        return Err(moved_meanwhile());
    }
    if let Some(e) = dropped {
        tracing::info!(upload = %upload.id, kept = received, error = %e, "upload body cut short; the bytes received are kept");
        return Ok(Received {
            offset,
            file_id: None,
        });
    }
    // The first bytes already tell a renamed file: refuse it now rather than after gigabytes.
    if start == 0
        && head.len() >= 16
        && let Err(e) = sniff::check_for(&upload.name, &head, Accept::Lesson)
    {
        discard(state, &upload).await?;
        return Err(e);
    }
    Ok(Received {
        offset,
        file_id: None,
    })
}

fn moved_meanwhile() -> AppError {
    AppError::conflict("Upload-Offset", fm::UploadMovedMeanwhile)
}

/// Reads the segments back in blocks, in order, into a channel (bounded: memory stays flat).
fn read_segments(
    state: &AppState,
    segments: Vec<Segment>,
) -> tokio::sync::mpsc::Receiver<anyhow::Result<Bytes>> {
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    let storage = state.storage.clone();
    tokio::spawn(async move {
        for s in segments {
            let len = s.len as u64;
            let mut at = 0u64;
            while at < len {
                let end = (at + READ_BYTES).min(len);
                let block = storage.get_range(&s.key, at..end).await;
                let failed = block.is_err();
                if tx.send(block).await.is_err() || failed {
                    return;
                }
                at = end;
            }
        }
    });
    rx
}

/// The final object from the segments (streamed; SHA-256 computed on the way, a video also copied to a temp
/// file for ffprobe since the store may be remote), checked, probed, recorded.
async fn complete(
    state: &AppState,
    principal: &Principal,
    u: &upload::Model,
    start: i64,
) -> AppResult<file::Model> {
    let segments = segments_of(u);
    let first = segments
        .first()
        .ok_or_else(|| AppError::internal("no segments"))?;
    let sniff_len = (first.len as u64).min(sniff::SNIFF_BYTES as u64);
    let head = state
        .storage
        .get_range(&first.key, 0..sniff_len)
        .await
        .map_err(AppError::Internal)?;
    let content_type = match sniff::check_for(&u.name, &head, Accept::Lesson) {
        Ok(ct) => ct,
        Err(e) => {
            discard(state, u).await?;
            return Err(e);
        }
    };
    let is_video = content_type.starts_with("video/");
    let key = format!(
        "{}/{}/{}",
        FilePurpose::Lesson.to_value(),
        Utc::now().format("%Y/%m"),
        uuid::Uuid::new_v4()
    );
    let mut local = if is_video {
        let temp = tempfile::NamedTempFile::new().map_err(|e| AppError::Internal(e.into()))?;
        let file =
            tokio::fs::File::from_std(temp.reopen().map_err(|e| AppError::Internal(e.into()))?);
        Some((temp, tokio::io::BufWriter::with_capacity(1024 * 1024, file)))
    } else {
        None
    };
    // One segment (a client that sent the whole file in one PATCH) becomes the file by a rename (a server-side
    // copy on S3), read once for the hash; several are concatenated into a new object.
    let single = segments.len() == 1;
    let mut writer = if single {
        None
    } else {
        Some(
            state
                .storage
                .writer(&key, PART_BYTES)
                .await
                .map_err(AppError::Internal)?,
        )
    };
    let mut blocks = read_segments(state, segments.clone());
    let mut hasher = Sha256::new();
    let mut size = 0i64;
    while let Some(block) = blocks.recv().await {
        let block = match block {
            Ok(b) => b,
            Err(e) => {
                if let Some(w) = writer {
                    let _ = w.abort().await;
                }
                return Err(AppError::Internal(e));
            }
        };
        size += block.len() as i64;
        // Hash on a blocking thread while this one writes the block out.
        let hashing = {
            let block = block.clone();
            tokio::task::spawn_blocking(move || {
                hasher.update(&block);
                hasher
            })
        };
        if let Some((_, out)) = local.as_mut() {
            out.write_all(&block)
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
        }
        if let Some(w) = writer.as_mut() {
            w.wait_for_capacity(PARTS_IN_FLIGHT)
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            w.put(block);
        }
        hasher = hashing
            .await
            .map_err(|e| AppError::internal(format!("hashing: {e}")))?;
    }
    if size != u.length {
        if let Some(w) = writer {
            let _ = w.abort().await;
        }
        return Err(AppError::internal(format!(
            "upload {} assembled {size} of {} bytes",
            u.id, u.length
        )));
    }
    match writer {
        Some(w) => {
            w.finish().await.map_err(|e| AppError::Internal(e.into()))?;
        }
        None => state
            .storage
            .rename(&first.key, &key)
            .await
            .map_err(AppError::Internal)?,
    }
    let sha256 = hex::encode(hasher.finalize());

    let (media, poster_key) = match local {
        Some((temp, mut out)) => {
            out.flush()
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            drop(out);
            let probed = match media::probe(&state.config, temp.path()).await {
                Ok(m) => m,
                Err(e) => {
                    let _ = state.storage.delete(&key).await;
                    discard(state, u).await?;
                    return Err(e);
                }
            };
            let poster_key = match media::poster(
                &state.config,
                temp.path(),
                probed.duration_seconds,
            )
            .await
            {
                Ok(jpeg) => {
                    let poster_key = format!("posters/{}.jpg", uuid::Uuid::new_v4());
                    state
                        .storage
                        .put(&poster_key, Bytes::from(jpeg))
                        .await
                        .map_err(AppError::Internal)?;
                    Some(poster_key)
                }
                Err(e) => {
                    tracing::warn!(upload = %u.id, error = ?e, "no poster frame for a lesson video");
                    None
                }
            };
            (
                Some(serde_json::to_string(&probed).unwrap_or_default()),
                poster_key,
            )
        }
        None => (None, None),
    };

    let txn = begin_write(&state.db).await?;
    let row = file::ActiveModel {
        storage_key: Set(key),
        name: Set(u.name.clone()),
        content_type: Set(content_type.to_string()),
        size: Set(size),
        sha256: Set(sha256),
        purpose: Set(u.purpose),
        uploaded_by: Set(u.account_id),
        teacher_id: Set(u.teacher_id),
        path: Set(u.path.clone()),
        created_at: Set(Utc::now()),
        media: Set(media),
        poster_key: Set(poster_key),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let claimed = upload::Entity::update_many()
        .col_expr(upload::Column::FileId, Expr::value(row.id))
        .col_expr(upload::Column::ReceivedBytes, Expr::value(u.length))
        .col_expr(upload::Column::Segments, Expr::value("[]"))
        .col_expr(upload::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(upload::Column::Id.eq(u.id.clone()))
        .filter(upload::Column::ReceivedBytes.eq(start))
        .filter(upload::Column::FileId.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        // Another PATCH or a termination got there first: undo this one's objects.
        txn.rollback().await?;
        let _ = state.storage.delete(&row.storage_key).await;
        if let Some(p) = &row.poster_key {
            let _ = state.storage.delete(p).await;
        }
        if !single {
            delete_segments(state, &segments[segments.len() - 1..]).await;
        }
        return Err(moved_meanwhile());
    }
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "file.upload",
            target_type: "file",
            target_id: Some(row.id.to_string()),
            target_path: Some(row.path.clone()),
            detail: serde_json::json!({
                "name": row.name, "size": row.size, "purpose": row.purpose, "upload": u.id,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    if !single {
        delete_segments(state, &segments).await;
    }
    Ok(row)
}

/// What `getUploadStatus` reports.
pub async fn status(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> AppResult<(upload::Model, Option<file::Model>)> {
    let u = own_upload(state, principal, id).await?;
    let f = match u.file_id {
        Some(f) => file::Entity::find_by_id(f).one(&state.db).await?,
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
