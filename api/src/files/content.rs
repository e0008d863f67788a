//! Serving stored bytes: whole or by HTTP `Range` (a `<video>` seeks with ranges), streamed from the object
//! store, never read whole into memory; and the short-lived signed links a `<video>` element uses, since it
//! cannot send an `Authorization` header.
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use entity::file;
use futures_util::StreamExt;
use poem::{
    Body, IntoResponse, Request, Response,
    http::{
        StatusCode,
        header::{
            ACCEPT_RANGES, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_RANGE,
            CONTENT_TYPE, ETAG,
        },
    },
};
use poem_openapi::{
    ApiResponse, SecurityScheme,
    auth::ApiKey,
    payload::{Binary, Payload},
    registry::{MetaHeader, MetaMediaType, MetaResponse, MetaResponses, Registry},
    types::Type,
};

use crate::{
    AppState,
    auth::{BearerAuth, Principal, load_principal},
    platform::{
        crypto::Keys,
        error::{AppError, AppResult, PROBLEM_JSON, Problem, problem, problem_response},
        tabular::attachment_disposition,
    },
};

/// What a `Range` header asks of an object of a given size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeRequest {
    /// No (usable) range: the whole object, 200.
    Full,
    /// `start..end` (end exclusive), 206.
    Partial(u64, u64),
    /// 416 with `Content-Range: bytes */size`.
    Unsatisfiable,
}

/// One `bytes=` range (`a-b`, `a-`, `-n`). Several ranges or a malformed header are ignored (the whole object
/// is a valid answer to both, RFC 9110 §14.2).
pub fn parse_range(header: Option<&str>, size: u64) -> RangeRequest {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return RangeRequest::Full;
    };
    if spec.contains(',') {
        return RangeRequest::Full;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return RangeRequest::Full;
    };
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        // A suffix: the last n bytes.
        return match last.parse::<u64>() {
            Ok(0) => RangeRequest::Unsatisfiable,
            Ok(_) if size == 0 => RangeRequest::Unsatisfiable,
            Ok(n) => RangeRequest::Partial(size - n.min(size), size),
            Err(_) => RangeRequest::Full,
        };
    }
    let Ok(start) = first.parse::<u64>() else {
        return RangeRequest::Full;
    };
    let end = if last.is_empty() {
        size
    } else {
        match last.parse::<u64>() {
            Ok(l) if l >= start => l.saturating_add(1).min(size),
            _ => return RangeRequest::Full,
        }
    };
    if start >= size {
        return RangeRequest::Unsatisfiable;
    }
    RangeRequest::Partial(start, end)
}

/// A streamed file answer (200, 206 or 416) that an OpenAPI operation can return: build it with
/// [`serve_content`]. The inner response is public for plain poem handlers.
pub struct FileContent(pub Response);

impl IntoResponse for FileContent {
    fn into_response(self) -> Response {
        self.0
    }
}

fn header(name: &str, description: &str) -> MetaHeader {
    MetaHeader {
        name: name.to_string(),
        description: Some(description.to_string()),
        required: false,
        deprecated: false,
        schema: String::schema_ref(),
    }
}

impl ApiResponse for FileContent {
    fn meta() -> MetaResponses {
        // A file is served as the type it was accepted as.
        let binary = || {
            super::sniff::content_types()
                .into_iter()
                .map(|content_type| MetaMediaType {
                    content_type,
                    schema: Binary::<Vec<u8>>::schema_ref(),
                })
                .collect::<Vec<_>>()
        };
        let headers = || {
            vec![
                header("Accept-Ranges", "`bytes`"),
                header(
                    "Content-Disposition",
                    "`inline` (video, image, PDF) or `attachment`, with `filename*=UTF-8''…`",
                ),
                header("ETag", "The SHA-256 of the file, quoted"),
            ]
        };
        let mut partial_headers = headers();
        partial_headers.push(header("Content-Range", "`bytes start-end/size`"));
        MetaResponses {
            responses: vec![
                MetaResponse {
                    description: "The whole file, streamed, with its own content type",
                    status: Some(200),
                    status_range: None,
                    content: binary(),
                    headers: headers(),
                },
                MetaResponse {
                    description: "The requested `Range` of the file",
                    status: Some(206),
                    status_range: None,
                    content: binary(),
                    headers: partial_headers,
                },
                MetaResponse {
                    description: "The `Range` lies outside the file (`Content-Range: bytes */size`)",
                    status: Some(416),
                    status_range: None,
                    content: vec![MetaMediaType {
                        content_type: PROBLEM_JSON,
                        schema: Problem::schema_ref(),
                    }],
                    headers: vec![],
                },
            ],
        }
    }

    fn register(registry: &mut Registry) {
        Problem::register(registry);
    }
}

/// Content types a browser shows in place rather than saving.
fn shown_inline(content_type: &str) -> bool {
    content_type.starts_with("video/")
        || content_type.starts_with("image/")
        || content_type == "application/pdf"
}

/// One stored object as a streamed answer honouring `Range`.
pub async fn serve_object(
    state: &AppState,
    key: &str,
    size: u64,
    content_type: &str,
    etag: Option<&str>,
    range: Option<&str>,
    download_name: Option<&str>,
) -> AppResult<FileContent> {
    let answer = parse_range(range, size);
    if answer == RangeRequest::Unsatisfiable {
        let mut response = problem_response(&problem(
            StatusCode::RANGE_NOT_SATISFIABLE,
            "range_not_satisfiable",
            crate::platform::i18n::catalogue::files::RangeNotSatisfiable {
                size: size.to_string(),
            },
            vec![],
        ));
        if let Ok(v) = format!("bytes */{size}").parse() {
            response.headers_mut().insert(CONTENT_RANGE, v);
        }
        return Ok(FileContent(response));
    }
    let (status, span) = match answer {
        RangeRequest::Partial(start, end) => (StatusCode::PARTIAL_CONTENT, start..end),
        _ => (StatusCode::OK, 0..size),
    };
    let stream = if span.is_empty() {
        futures_util::stream::empty().boxed()
    } else {
        state
            .storage
            .get_stream(
                key,
                (status == StatusCode::PARTIAL_CONTENT).then(|| span.clone()),
            )
            .await
            .map_err(AppError::Internal)?
    };
    let body = Body::from_bytes_stream(stream.map(|chunk| chunk.map_err(std::io::Error::other)));
    let mut builder = Response::builder()
        .status(status)
        .header(CONTENT_TYPE, content_type)
        .header(CONTENT_LENGTH, span.end - span.start)
        .header(ACCEPT_RANGES, "bytes")
        .header(CACHE_CONTROL, "private, max-age=0");
    if status == StatusCode::PARTIAL_CONTENT {
        builder = builder.header(
            CONTENT_RANGE,
            format!("bytes {}-{}/{size}", span.start, span.end.saturating_sub(1)),
        );
    }
    if let Some(tag) = etag {
        builder = builder.header(ETAG, format!("\"{tag}\""));
    }
    if let Some(name) = download_name {
        let disposition = attachment_disposition(name);
        let disposition = if shown_inline(content_type) {
            disposition.replacen("attachment", "inline", 1)
        } else {
            disposition
        };
        builder = builder.header(CONTENT_DISPOSITION, disposition);
    }
    Ok(FileContent(builder.body(body)))
}

/// A file's bytes under `download_name` (the review code passes a neutral name in a blind round), honouring
/// `Range`. The caller has already decided that the reader may see the file.
pub async fn serve_content(
    state: &AppState,
    file: &file::Model,
    range: Option<&str>,
    download_name: &str,
) -> AppResult<FileContent> {
    serve_object(
        state,
        &file.storage_key,
        u64::try_from(file.size).unwrap_or_default(),
        &file.content_type,
        Some(&file.sha256),
        range,
        Some(download_name),
    )
    .await
}

/// A video's poster frame (JPEG); 404 when the file has none.
pub async fn serve_poster(
    state: &AppState,
    file: &file::Model,
    range: Option<&str>,
) -> AppResult<FileContent> {
    let key = file.poster_key.as_deref().ok_or(AppError::NotFound)?;
    let size = state.storage.size(key).await.map_err(AppError::Internal)?;
    serve_object(state, key, size, "image/jpeg", None, range, None).await
}

/// The claims of a playback link: which file, for whom, until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlayClaims {
    pub file_id: i64,
    pub account_id: i64,
    pub expires_at: i64,
}

/// `<file>.<account>.<expiry unix seconds>.<base64url HMAC-SHA256>`; the file and the account are bound, so a
/// link neither opens another file nor outlives the reader's access (the account is checked again on use).
pub fn sign_play_token(
    keys: &Keys,
    file_id: i64,
    account_id: i64,
    expires_at: DateTime<Utc>,
) -> String {
    let claims = format!("{file_id}.{account_id}.{}", expires_at.timestamp());
    let tag = URL_SAFE_NO_PAD.encode(keys.media_link_mac(&claims));
    format!("{claims}.{tag}")
}

/// The claims of a genuine, unexpired link.
pub fn verify_play_token(keys: &Keys, token: &str, now: DateTime<Utc>) -> Option<PlayClaims> {
    let (claims, tag) = token.rsplit_once('.')?;
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    if !keys.media_link_valid(claims, &tag) {
        return None;
    }
    let mut parts = claims.split('.');
    let parsed = PlayClaims {
        file_id: parts.next()?.parse().ok()?,
        account_id: parts.next()?.parse().ok()?,
        expires_at: parts.next()?.parse().ok()?,
    };
    if parts.next().is_some() || parsed.expires_at <= now.timestamp() {
        return None;
    }
    Some(parsed)
}

/// `?token=<playback link token>` from [`sign_play_token`] (`createFilePlayToken`).
#[derive(SecurityScheme)]
#[oai(
    ty = "api_key",
    key_name = "token",
    key_in = "query",
    checker = "check_play_token"
)]
pub struct PlayTokenAuth(pub PlayClaims);

async fn check_play_token(req: &Request, key: ApiKey) -> poem::Result<PlayClaims> {
    let state = req
        .data::<AppState>()
        .ok_or_else(|| AppError::internal("AppState missing"))?;
    verify_play_token(&state.keys, &key.key, Utc::now())
        .ok_or_else(|| AppError::Unauthorized.into())
}

/// Either a bearer token or a playback link.
#[derive(SecurityScheme)]
pub enum MediaAuth {
    Bearer(BearerAuth),
    Link(PlayTokenAuth),
}

impl MediaAuth {
    /// The reader: the bearer's principal, or the link's account (still active, with its current roles) when
    /// the link is for this very file.
    pub async fn principal(
        self,
        db: &impl sea_orm::ConnectionTrait,
        file_id: i64,
    ) -> AppResult<Principal> {
        match self {
            MediaAuth::Bearer(b) => Ok(b.0),
            MediaAuth::Link(PlayTokenAuth(claims)) => {
                if claims.file_id != file_id {
                    return Err(AppError::Unauthorized);
                }
                load_principal(db, claims.account_id)
                    .await?
                    .map(|(p, _)| p)
                    .ok_or(AppError::Unauthorized)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        use RangeRequest::*;
        assert_eq!(parse_range(None, 10), Full);
        assert_eq!(parse_range(Some("bytes=0-3"), 10), Partial(0, 4));
        assert_eq!(parse_range(Some("bytes=5-"), 10), Partial(5, 10));
        assert_eq!(parse_range(Some("bytes=-3"), 10), Partial(7, 10));
        assert_eq!(parse_range(Some("bytes=-30"), 10), Partial(0, 10));
        assert_eq!(parse_range(Some("bytes=8-100"), 10), Partial(8, 10));
        assert_eq!(parse_range(Some("bytes=10-"), 10), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=-0"), 10), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=0-1,4-5"), 10), Full);
        assert_eq!(parse_range(Some("bytes=5-2"), 10), Full);
        assert_eq!(parse_range(Some("items=0-1"), 10), Full);
        assert_eq!(parse_range(Some("bytes=0-0"), 0), Unsatisfiable);
    }

    #[test]
    fn play_tokens_are_bound_and_expire() {
        let keys = Keys::from_master(&[7u8; 32]);
        let now = Utc::now();
        let token = sign_play_token(&keys, 5, 9, now + chrono::Duration::minutes(5));
        let claims = verify_play_token(&keys, &token, now).expect("valid");
        assert_eq!((claims.file_id, claims.account_id), (5, 9));
        assert!(verify_play_token(&keys, &token, now + chrono::Duration::minutes(6)).is_none());
        let forged = token.replacen("5.", "6.", 1);
        assert!(verify_play_token(&keys, &forged, now).is_none());
        let other = Keys::from_master(&[8u8; 32]);
        assert!(verify_play_token(&other, &token, now).is_none());
    }
}
