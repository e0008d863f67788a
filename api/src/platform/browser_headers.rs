//! Headers that tell a browser how to treat every response: a Content-Security-Policy with no inline script,
//! no sniffing, no framing, no referrer beyond this origin, and HSTS when the site is served over HTTPS.
//!
//! The SPA is a Vite build: scripts come only from files of this origin. antd writes its styles inline at run
//! time (CSS-in-JS), so `style-src` needs `'unsafe-inline'`; scripts never do. Media and images may be blob: URLs
//! (authorised downloads and posters are fetched with the bearer token and shown from a blob).
//!
//! The Swagger UI page at `/api/docs` is one HTML page with its script inline: it gets a policy that allows
//! exactly those scripts by their SHA-256 hashes, nothing else inline.
use base64::Engine as _;
use poem::{Endpoint, IntoResponse, Request, Response, http::HeaderValue};
use sha2::{Digest, Sha256};

use crate::AppState;

/// The policy of the SPA and the API. `frame-ancestors 'none'` is the modern X-Frame-Options: DENY.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; \
    connect-src 'self'; media-src 'self' blob:; worker-src 'self' blob:; object-src 'none'; \
    base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// One year; no `includeSubDomains`, because other services of the department may share the parent domain.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

const DOCS_PREFIX: &str = "/api/docs";

/// Whether the browser reached us over HTTPS: the configured public URL says so, or a proxy we were told to
/// trust says so in `X-Forwarded-Proto` (a client-set header is ignored otherwise).
fn served_over_https(req: &Request, state: Option<&AppState>) -> bool {
    let Some(state) = state else {
        return false;
    };
    if state.config.public_url.starts_with("https://") {
        return true;
    }
    state.config.trust_proxy
        && req
            .header("x-forwarded-proto")
            .and_then(|v| v.split(',').next())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

/// The `'sha256-…'` source of every inline `<script>` of an HTML page.
fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<script") {
        let after_tag = &rest[open..];
        let Some(tag_end) = after_tag.find('>') else {
            break;
        };
        let body = &after_tag[tag_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        let digest = Sha256::digest(&body.as_bytes()[..close]);
        hashes.push(format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        ));
        rest = &body[close..];
    }
    hashes
}

/// The docs page's policy: the SPA's, with its own inline scripts allowed by hash.
fn docs_policy(html: &str) -> String {
    let scripts = inline_script_hashes(html).join(" ");
    CONTENT_SECURITY_POLICY.replacen(
        "script-src 'self';",
        &format!("script-src 'self' {scripts};"),
        1,
    )
}

/// Middleware: sets the browser headers on every response, errors included.
pub async fn apply<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    let https = served_over_https(&req, req.data::<AppState>());
    let docs = req.uri().path().starts_with(DOCS_PREFIX);
    let mut response = match next.call(req).await {
        Ok(r) => r.into_response(),
        Err(e) => e.into_response(),
    };
    let policy = if docs
        && response
            .content_type()
            .is_some_and(|t| t.starts_with("text/html"))
    {
        let body = response.take_body().into_bytes().await.unwrap_or_default();
        let policy = docs_policy(&String::from_utf8_lossy(&body));
        response.set_body(body);
        policy
    } else {
        CONTENT_SECURITY_POLICY.to_string()
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert("content-security-policy", value);
    }
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    if https {
        headers.insert(
            "strict-transport-security",
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        );
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_allowed_by_their_hash_only() {
        let html =
            "<html><script charset=\"UTF-8\">alert(1)</script><p>x</p><script>let a = 2;</script>";
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 2);
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            hashes[0],
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
        let policy = docs_policy(html);
        assert!(policy.contains(&format!("script-src 'self' {} {};", hashes[0], hashes[1])));
        for p in [policy.as_str(), CONTENT_SECURITY_POLICY] {
            let script_src = p
                .split(';')
                .find(|d| d.trim().starts_with("script-src"))
                .unwrap_or_default();
            assert!(!script_src.contains("unsafe"), "{script_src}");
        }
    }
}
