//! The web app (the SPA): carried inside the binary (built by `build.rs`), or read from `YANXIU_STATIC_DIR`.
//!
//! Hashed assets (`/assets/*`) never change under their name, so browsers may keep them a year; `index.html` names
//! the current ones, so it is revalidated on every load. A missing asset is a 404 — never `index.html` — so a tab
//! still running an older build gets a failed chunk it can recover from (the SPA reloads once) instead of HTML
//! parsed as JavaScript. Every other path is a page of the app and gets `index.html`. The precompressed `.br` and
//! `.gz` copies made at build time are sent to browsers that accept them.
use std::{borrow::Cow, path::PathBuf};

use include_dir::{Dir, include_dir};
use poem::{
    Endpoint, Request, Response,
    http::{HeaderValue, Method, StatusCode, header},
};

static EMBEDDED: Dir<'static> = include_dir!("$OUT_DIR/spa");

const INDEX: &str = "index.html";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// Where the web app's files come from.
#[derive(Debug, Clone)]
pub enum SpaSource {
    /// Built into the binary.
    Embedded,
    /// A directory holding a Vite build (development, or a build made apart from the binary).
    Directory(PathBuf),
}

impl SpaSource {
    /// The configured directory if any, else the embedded build when the binary carries one.
    pub fn choose(static_dir: Option<PathBuf>) -> Option<SpaSource> {
        match static_dir {
            Some(dir) => Some(SpaSource::Directory(dir)),
            None => EMBEDDED
                .get_file(INDEX)
                .is_some()
                .then_some(SpaSource::Embedded),
        }
    }

    /// For the start-up log.
    pub fn describe(source: Option<&SpaSource>) -> String {
        match source {
            Some(SpaSource::Embedded) => "the web app built into this binary".into(),
            Some(SpaSource::Directory(dir)) => format!("the web app in {}", dir.display()),
            None => "no web app: this binary was built with YANXIU_SKIP_SPA and YANXIU_STATIC_DIR is not set, \
                     so only the API is served"
                .into(),
        }
    }

    async fn read(&self, path: &str) -> Option<Cow<'static, [u8]>> {
        match self {
            SpaSource::Embedded => EMBEDDED.get_file(path).map(|f| Cow::Borrowed(f.contents())),
            SpaSource::Directory(dir) => tokio::fs::read(dir.join(path)).await.ok().map(Cow::Owned),
        }
    }

    /// The file at `path` in the best encoding the client accepts: (body, content-encoding).
    async fn negotiate(
        &self,
        path: &str,
        accepted: &Accepted,
    ) -> Option<(Cow<'static, [u8]>, Option<&'static str>)> {
        for (encoding, suffix) in [("br", ".br"), ("gzip", ".gz")] {
            if accepted.allows(encoding)
                && let Some(body) = self.read(&format!("{path}{suffix}")).await
            {
                return Some((body, Some(encoding)));
            }
        }
        self.read(path).await.map(|body| (body, None))
    }
}

/// The encodings of an `Accept-Encoding` header, without those refused by `q=0`.
struct Accepted(Vec<String>);

impl Accepted {
    fn of(req: &Request) -> Accepted {
        let header = req.header(header::ACCEPT_ENCODING).unwrap_or_default();
        Accepted(
            header
                .split(',')
                .filter_map(|part| {
                    let mut pieces = part.split(';');
                    let name = pieces.next()?.trim().to_ascii_lowercase();
                    let refused = pieces.any(|p| {
                        p.trim()
                            .strip_prefix("q=")
                            .and_then(|q| q.trim().parse::<f32>().ok())
                            .is_some_and(|q| q <= 0.0)
                    });
                    (!name.is_empty() && !refused).then_some(name)
                })
                .collect(),
        )
    }

    fn allows(&self, encoding: &str) -> bool {
        self.0.iter().any(|a| a == encoding || a == "*")
    }
}

/// The endpoint serving the web app.
pub struct SpaFiles {
    source: SpaSource,
}

impl SpaFiles {
    pub fn new(source: SpaSource) -> Self {
        Self { source }
    }

    async fn respond(&self, req: &Request) -> Response {
        if req.method() != Method::GET && req.method() != Method::HEAD {
            return Response::builder()
                .status(StatusCode::METHOD_NOT_ALLOWED)
                .finish();
        }
        let Some(path) = relative_path(req.uri().path()) else {
            return not_found();
        };
        let accepted = Accepted::of(req);
        let (path, cache) = if path.starts_with("assets/") {
            (path, IMMUTABLE)
        } else if !path.is_empty() && path != INDEX && self.source.read(&path).await.is_some() {
            // favicon and the like: not hashed, so revalidated.
            (path, REVALIDATE)
        } else {
            (INDEX.to_string(), REVALIDATE)
        };
        let Some((body, encoding)) = self.source.negotiate(&path, &accepted).await else {
            return not_found();
        };
        let mut response = Response::builder()
            .header(header::CONTENT_TYPE, content_type(&path))
            .header(header::CACHE_CONTROL, cache)
            .header(header::VARY, "Accept-Encoding");
        if let Some(encoding) = encoding {
            response = response.header(header::CONTENT_ENCODING, encoding);
        }
        let length = body.len();
        if req.method() == Method::HEAD {
            return response.header(header::CONTENT_LENGTH, length).finish();
        }
        response.body(match body {
            Cow::Borrowed(bytes) => poem::Body::from_bytes(bytes::Bytes::from_static(bytes)),
            Cow::Owned(bytes) => poem::Body::from_vec(bytes),
        })
    }
}

impl Endpoint for SpaFiles {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        Ok(self.respond(&req).await)
    }
}

/// The request path as a path inside the build, or `None` when it tries to leave it.
fn relative_path(path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    let relative = decoded.trim_start_matches('/');
    let escapes = relative
        .split('/')
        .any(|segment| segment == ".." || segment.contains('\\') || segment.contains('\0'));
    (!escapes).then(|| relative.to_string())
}

/// The decoded path; `None` for a malformed escape or bytes that are not UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let (bytes, malformed) = crate::platform::request_guard::percent_decode(path, false);
    if malformed {
        return None;
    }
    String::from_utf8(bytes).ok()
}

fn not_found() -> Response {
    Response::builder()
        .status(StatusCode::NOT_FOUND)
        .header(header::CACHE_CONTROL, REVALIDATE)
        .content_type("text/plain; charset=utf-8")
        .body("Not Found")
}

fn content_type(path: &str) -> HeaderValue {
    let extension = path.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    HeaderValue::from_static(match extension {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_build() {
        assert_eq!(
            relative_path("/assets/a.js").as_deref(),
            Some("assets/a.js")
        );
        assert_eq!(
            relative_path("/programs/12").as_deref(),
            Some("programs/12")
        );
        assert_eq!(relative_path("/assets/../../etc/passwd"), None);
        assert_eq!(relative_path("/assets/%2e%2e/secret"), None);
        assert_eq!(relative_path("/a%5c..%5cb"), None);
        assert_eq!(relative_path("/%zz"), None);
    }

    #[test]
    fn accept_encoding_honours_refusals() {
        let req = |v: &str| Request::builder().header("accept-encoding", v).finish();
        assert!(Accepted::of(&req("gzip, deflate, br")).allows("br"));
        assert!(!Accepted::of(&req("gzip, br;q=0")).allows("br"));
        assert!(Accepted::of(&req("gzip, br;q=0")).allows("gzip"));
        assert!(Accepted::of(&req("*")).allows("gzip"));
        assert!(!Accepted::of(&Request::builder().finish()).allows("gzip"));
    }
}
