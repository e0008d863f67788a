//! What every request must satisfy before a handler sees it: a body no larger than its route allows, and no NUL
//! character in its path, query or JSON strings.
//!
//! Body budgets (counted while the body streams in; `Content-Length` is only an early answer, never trusted):
//! - resumable-upload chunks (`PATCH /api/uploads/{id}`): `lesson_upload_max_bytes` (a client may send the whole
//!   video in one PATCH; it is streamed to the object store, never held in memory);
//! - single-file uploads (`POST /api/files`): `upload_max_bytes`, streamed to the object store;
//! - spreadsheet imports (multipart): `import_max_bytes` plus a small allowance for the multipart envelope;
//! - everything else (JSON): `json_body_max_bytes` (1 MiB by default), read into memory here and handed on.
//!
//! Over budget is 413 `payload_too_large` naming the limit. PostgreSQL refuses NUL in text, and no name, code or
//! keyword legitimately holds one, so a NUL is 422 naming the JSON field or query parameter (else `path`/`body`).
use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use futures_util::StreamExt;
use poem::{
    Body, Endpoint, IntoResponse, Request, Response,
    error::ReadBodyError,
    http::{Method, header},
};
use serde_json::Value;

use super::{
    config::Config,
    error::{AppError, FieldError},
};
use crate::AppState;
use crate::platform::i18n::catalogue::platform as m;

/// Room for the multipart boundary lines and part headers around an imported file.
const MULTIPART_ENVELOPE_BYTES: u64 = 64 * 1024;

const NUL_MESSAGE: m::NulCharacter = m::NulCharacter;

/// How a route's body is bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyBudget {
    /// Read here, up to this many bytes, checked for NUL when it is JSON, then handed to the handler.
    Buffered(u64),
    /// Handed to the handler as a stream that fails once this many bytes have passed.
    Streamed(u64),
}

impl BodyBudget {
    fn limit(self) -> u64 {
        match self {
            BodyBudget::Buffered(n) | BodyBudget::Streamed(n) => n,
        }
    }
}

/// The body budget of a route, by method and path.
pub fn budget_for(config: &Config, method: &Method, path: &str) -> BodyBudget {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let import = (config.import_max_bytes as u64).saturating_add(MULTIPART_ENVELOPE_BYTES);
    match (method, segments.as_slice()) {
        (&Method::PATCH, ["api", "uploads", _]) => {
            BodyBudget::Streamed(config.lesson_upload_max_bytes)
        }
        (&Method::POST, ["api", "files"]) => BodyBudget::Streamed(config.upload_max_bytes as u64),
        (
            &Method::POST,
            ["api", "import", _]
            | ["api", "import", _, "error-report"]
            | ["api", "questions", "import"]
            | ["api", "lesson-activities", _, "catalogue", "import"]
            | ["api", "programs", _, "enrollments", "import"]
            | ["api", "programs", _, "results"],
        ) => BodyBudget::Streamed(import),
        _ => BodyBudget::Buffered(config.json_body_max_bytes as u64),
    }
}

fn too_large(limit: u64) -> Response {
    let size = if limit >= 1024 * 1024 {
        format!("{} MB", limit.div_ceil(1024 * 1024))
    } else {
        format!("{limit} bytes")
    };
    respond(AppError::TooLarge(m::BodyTooLarge { size }.into()))
}

fn respond(error: AppError) -> Response {
    poem::error::ResponseError::as_response(&error)
}

fn nul_in(field: impl Into<String>) -> Response {
    respond(AppError::Validation(vec![FieldError::new(
        field,
        NUL_MESSAGE,
    )]))
}

/// The middleware: see the module documentation.
pub async fn guard<E: Endpoint>(next: E, mut req: Request) -> poem::Result<Response> {
    if let Some(field) = nul_in_uri(&req) {
        return Ok(nul_in(field));
    }
    let Some(config) = req.data::<AppState>().map(|s| s.config.clone()) else {
        return next.call(req).await.map(IntoResponse::into_response);
    };
    let budget = budget_for(&config, req.method(), req.uri().path());
    let declared = req
        .header(header::CONTENT_LENGTH)
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > budget.limit()) {
        return Ok(too_large(budget.limit()));
    }
    match budget {
        BodyBudget::Buffered(limit) => {
            let body = req.take_body();
            let bytes = match body.into_bytes_limit(limit as usize).await {
                Ok(bytes) => bytes,
                Err(ReadBodyError::PayloadTooLarge) => return Ok(too_large(limit)),
                Err(e) => {
                    return Ok(respond(AppError::BadRequest(
                        m::BodyUnreadable {
                            reason: e.to_string(),
                        }
                        .into(),
                    )));
                }
            };
            if is_json(&req)
                && let Some(field) = nul_in_json(&bytes)
            {
                return Ok(nul_in(field));
            }
            req.set_body(Body::from(bytes));
            next.call(req).await.map(IntoResponse::into_response)
        }
        BodyBudget::Streamed(limit) => {
            let exceeded = Arc::new(AtomicBool::new(false));
            let body = limited(req.take_body(), limit, exceeded.clone());
            req.set_body(body);
            let response = next.call(req).await.map(IntoResponse::into_response);
            // Whatever the handler made of the cut-off body, the caller's problem is its size.
            if exceeded.load(Ordering::SeqCst) {
                return Ok(too_large(limit));
            }
            response
        }
    }
}

/// The body as a stream that fails (and raises `exceeded`) once more than `limit` bytes have passed.
fn limited(body: Body, limit: u64, exceeded: Arc<AtomicBool>) -> Body {
    let mut seen = 0u64;
    Body::from_bytes_stream(body.into_bytes_stream().map(move |chunk| {
        let chunk = chunk?;
        seen += chunk.len() as u64;
        if seen > limit {
            exceeded.store(true, Ordering::SeqCst);
            return Err(std::io::Error::other("request body over its limit"));
        }
        Ok(chunk)
    }))
}

fn is_json(req: &Request) -> bool {
    req.content_type()
        .is_some_and(|t| t.to_ascii_lowercase().contains("json"))
}

/// `%00` is the only way to spell NUL in a URI (an overlong UTF-8 form is not valid UTF-8 and fails parsing).
fn has_encoded_nul(text: &str) -> bool {
    text.contains("%00")
}

/// The query parameter (or `path`) whose decoded value would hold a NUL.
fn nul_in_uri(req: &Request) -> Option<String> {
    if has_encoded_nul(req.uri().path()) {
        return Some("path".into());
    }
    let query = req.uri().query()?;
    query
        .split('&')
        .find(|pair| has_encoded_nul(pair))
        .map(|pair| {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            if has_encoded_nul(name) || name.is_empty() {
                "query".to_string()
            } else {
                percent_decoded(name)
            }
        })
}

/// A query parameter name as the API documents it (`%5B` → `[` …), lossy on invalid UTF-8.
fn percent_decoded(text: &str) -> String {
    let (bytes, _) = percent_decode(text, true);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Percent-decodes `text` (`+` is a space in a query, not in a path). A `%` not followed by two hex digits is kept
/// as it is; the second value says whether there was one, for callers that must refuse such text.
pub(crate) fn percent_decode(text: &str, plus_is_space: bool) -> (Vec<u8>, bool) {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut malformed = false;
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', _) if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                malformed |= b == b'%';
                out.push(b);
                i += 1;
            }
        }
    }
    (out, malformed)
}

/// The field of a JSON body holding a NUL (`name`, `items[2].title`), `body` for the document itself.
fn nul_in_json(bytes: &[u8]) -> Option<String> {
    let escaped = bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"));
    if !escaped && !bytes.contains(&0) {
        return None;
    }
    // Not JSON at all: the handler's own parser gives the better message.
    let value: Value = serde_json::from_slice(bytes).ok()?;
    let mut path = String::new();
    if find_nul(&value, &mut path) {
        Some(if path.is_empty() { "body".into() } else { path })
    } else {
        None
    }
}

fn find_nul(value: &Value, path: &mut String) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().enumerate().any(|(i, item)| {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            let found = find_nul(item, path);
            if !found {
                path.truncate(len);
            }
            found
        }),
        Value::Object(map) => map.iter().any(|(key, item)| {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&key.replace('\0', ""));
            let found = key.contains('\0') || find_nul(item, path);
            if !found {
                path.truncate(len);
            }
            found
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_get_their_own_budgets() {
        let config = Config::default();
        let json = BodyBudget::Buffered(config.json_body_max_bytes as u64);
        assert_eq!(budget_for(&config, &Method::POST, "/api/auth/login"), json);
        assert_eq!(
            budget_for(&config, &Method::POST, "/api/import/teachers"),
            BodyBudget::Streamed(config.import_max_bytes as u64 + MULTIPART_ENVELOPE_BYTES)
        );
        assert_eq!(
            budget_for(&config, &Method::PATCH, "/api/uploads/abc"),
            BodyBudget::Streamed(config.lesson_upload_max_bytes)
        );
        assert_eq!(
            budget_for(&config, &Method::POST, "/api/files"),
            BodyBudget::Streamed(config.upload_max_bytes as u64)
        );
        // The same path with another method is an ordinary JSON route.
        assert_eq!(budget_for(&config, &Method::GET, "/api/files"), json);
    }

    #[test]
    fn nul_is_found_with_its_field_path() {
        assert_eq!(
            nul_in_json(br#"{"username":"a\u0000b","password":"x"}"#),
            Some("username".into())
        );
        assert_eq!(
            nul_in_json(br#"{"items":[{"t":"ok"},{"t":"\u0000"}]}"#),
            Some("items[1].t".into())
        );
        assert_eq!(nul_in_json(br#""\u0000""#), Some("body".into()));
        // An escaped backslash followed by `u0000` is six ordinary characters.
        assert_eq!(nul_in_json(br#"{"a":"\\u0000"}"#), None);
        assert_eq!(nul_in_json(br#"{"a":"plain"}"#), None);
    }

    #[test]
    fn query_names_are_decoded_for_the_message() {
        assert_eq!(percent_decoded("sort%5Bby%5D"), "sort[by]");
        assert_eq!(percent_decoded("a+b"), "a b");
    }
}
