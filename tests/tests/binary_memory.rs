//! Hostile files against the real `yanxiu` binary: every bomb is refused, the server keeps answering, and its peak
//! resident memory (VmHWM from /proc) stays under a stated bound.
#![allow(clippy::unwrap_used)]

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    time::Duration,
};

use serde_json::{Value, json};
use yanxiu_tests::{hostile::*, *};

/// The bound this test holds the server to while it refuses every bomb. Most of it is the row bomb at the
/// directory import: a 29 MB upload (held as the multipart temp file's bytes and once more while parsed) and the
/// million one-cell rows the directory's row budget lets through before it refuses; measured 260–360 MB here.
const PEAK_MEMORY_BOUND_KB: u64 = 400 * 1024;

/// A `yanxiu serve` process on an embedded SQLite database, killed on drop.
struct Server {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    async fn start(data_dir: &Path) -> Self {
        let port = free_port();
        let child = Command::new(binary())
            .arg("serve")
            .current_dir(data_dir)
            .env_remove("DATABASE_URL")
            .env_remove("YANXIU_DATABASE_URL")
            .env_remove("YANXIU_SMTP_URL")
            .env_remove("YANXIU_CONFIG")
            .env("YANXIU_DATA_DIR", data_dir)
            .env("YANXIU_BIND", format!("127.0.0.1:{port}"))
            .env("YANXIU_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("YANXIU_LOG", "warn")
            .env("YANXIU_RUN_WORKER", "false")
            .envs(PASSWORD_ONLY_SIGN_IN)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start yanxiu serve");
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
        };
        assert!(server.healthy_within(Duration::from_secs(60)).await);
        server
    }

    async fn healthy_within(&self, timeout: Duration) -> bool {
        eventually(timeout, || async {
            let r = self.http.get(self.url("/api/health")).send().await.ok()?;
            (r.status() == 200).then_some(())
        })
        .await
        .is_some()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Peak resident set size of the server process so far, in kB.
    fn peak_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    async fn token(&self) -> String {
        let r = self
            .http
            .post(self.url("/api/auth/login"))
            .json(&json!({"username": "admin", "password": ADMIN_PASSWORD}))
            .send()
            .await
            .unwrap();
        let body: Value = r.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_string()
    }

    async fn upload(&self, path: &str, token: &str, data: Vec<u8>) -> (u16, Value) {
        let part = reqwest::multipart::Part::bytes(data)
            .file_name("bomb.xlsx")
            .mime_str("application/octet-stream")
            .unwrap();
        let form = reqwest::multipart::Form::new().part("file", part);
        let r = self
            .http
            .post(self.url(path))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bombs_are_refused_by_the_real_server_within_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let token = server.token().await;
    let baseline = server.peak_kb();
    let bombs: Vec<(&str, Vec<u8>)> = vec![
        ("dimension bomb", dimension_bomb()),
        ("undeclared dimension bomb", undeclared_dimension_bomb()),
        ("row bomb", row_bomb().to_vec()),
        ("zip bomb", zip_bomb().to_vec()),
        ("shared-string count bomb", shared_count_bomb()),
        ("malformed xlsx", malformed_xlsx()),
    ];
    for path in ["/api/import/teachers?dry_run=true", "/api/questions/import"] {
        for (what, bytes) in &bombs {
            let (status, body) = server.upload(path, &token, bytes.clone()).await;
            assert_eq!(status, 422, "{what} at {path}: {body}");
            assert!(
                server.healthy_within(Duration::from_secs(5)).await,
                "{what} at {path}: the server stopped answering"
            );
        }
    }
    // A 64 MB JSON body to an anonymous route: answered 413 from its declared length, and the server may close
    // the connection before the client has finished sending (the client then sees a broken pipe instead).
    let sent = server
        .http
        .post(server.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body(vec![b' '; 64 * 1024 * 1024])
        .send()
        .await;
    match sent {
        Ok(r) => assert_eq!(r.status().as_u16(), 413),
        Err(e) => assert!(e.is_request(), "{e}"),
    }
    assert!(server.healthy_within(Duration::from_secs(5)).await);
    let peak = server.peak_kb();
    eprintln!("peak resident memory: {peak} kB (after start: {baseline} kB)");
    assert!(
        peak < PEAK_MEMORY_BOUND_KB,
        "peak resident memory {peak} kB is over the {PEAK_MEMORY_BOUND_KB} kB bound"
    );
}
