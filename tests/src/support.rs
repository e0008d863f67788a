//! Small helpers with no application behind them: polling, mail bodies, percent-encoding, the server binary.
use std::time::Duration;

/// Polls `check` until it returns Some or `timeout` passes.
pub async fn eventually<T, F, Fut>(timeout: Duration, mut check: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(v) = check().await {
            return Some(v);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The body of an RFC 5322 message, decoded from base64 or quoted-printable when so marked.
pub fn decode_mail_body(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or(("", raw.as_str()));
    let head_lower = head.to_lowercase();
    if head_lower.contains("content-transfer-encoding: base64") {
        use base64::Engine as _;
        let joined: String = body.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(joined.trim_end_matches('.'))
            .unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    } else if head_lower.contains("content-transfer-encoding: quoted-printable") {
        decode_qp(body)
    } else {
        body.to_string()
    }
}

fn decode_qp(s: &str) -> String {
    let s = s.replace("=\n", "");
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if let (b'=', Some(b)) = (bytes[i], hex) {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `token=` value of the reset link in a mail body.
pub fn reset_token_from(body: &str) -> Option<String> {
    let start = body.find("token=")? + "token=".len();
    let token: String = body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!token.is_empty()).then_some(token)
}

/// Percent-encodes a query value (file names may be Chinese).
pub fn utf8_percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A minimal valid-looking PDF (the upload check reads the magic bytes).
pub const TINY_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// The `yanxiu` binary the black-box tests start (built by `scripts/test.sh` before the suites run).
/// The settings a real server started by a black-box test runs with: administrators sign in with a password
/// alone, as in [`test_config`] (the second factor and the first-sign-in change have their own tests). Test
/// settings only, never production ones.
pub const PASSWORD_ONLY_SIGN_IN: [(&str, &str); 2] = [
    ("YANXIU_MFA_REQUIRED_ROLES", ""),
    ("YANXIU_PASSWORD_CHANGE_AT_FIRST_SIGN_IN", "false"),
];

pub fn binary() -> std::path::PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let bin = target.join("debug/yanxiu");
    assert!(
        bin.exists(),
        "{} is missing: build it first with `cargo build -p yanxiu-api --bin yanxiu` (scripts/test.sh does)",
        bin.display()
    );
    bin
}

/// A local port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}
