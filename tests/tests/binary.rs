//! Black-box tests of the real `yanxiu` binary: its built-in web app, restart on the same data dir, mail as `.eml`
//! files without SMTP, and two instances sharing one PostgreSQL database.
#![allow(clippy::unwrap_used)]

use std::{
    path::Path,
    process::{Command, Stdio},
    time::Duration,
};

use serde_json::{Value, json};
use yanxiu_tests::*;

const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// A `yanxiu serve` process (the shared harness) with the requests these tests send; killed on drop.
struct Server(ServeProcess);

impl std::ops::Deref for Server {
    type Target = ServeProcess;
    fn deref(&self) -> &ServeProcess {
        &self.0
    }
}

impl Server {
    async fn start(data_dir: &Path, database_url: Option<&str>, extra: &[(&str, &str)]) -> Self {
        Self(ServeProcess::start(data_dir, database_url, extra).await)
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.expect("request");
        let status = r.status().as_u16();
        let body = r.json::<Value>().await.unwrap_or(Value::Null);
        (status, body)
    }

    async fn login(&self, username: &str, password: &str) -> Value {
        let (status, body) = self
            .send(
                reqwest::Method::POST,
                "/api/auth/login",
                None,
                Some(json!({ "username": username, "password": password })),
            )
            .await;
        assert_eq!(status, 200, "login {username}: {body}");
        body
    }

    /// SIGTERM, then wait for the process to exit.
    async fn stop(&mut self) {
        self.0.terminate();
        assert!(
            self.0.wait_exit(Duration::from_secs(15)).await.is_some(),
            "yanxiu serve did not stop within 15 s of SIGTERM"
        );
    }
}

fn tok(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key} in {v}"))
        .to_string()
}

/// The binary carries its web app: started from a directory with no `frontend/` in sight, it still serves it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_its_web_app_from_any_working_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut server = Server::start(dir.path(), None, &[]).await;
    let index = server.http.get(server.url("/")).send().await.unwrap();
    assert_eq!(index.status(), 200);
    let html = index.text().await.unwrap();
    assert!(html.contains("<div id=\"root\">"), "{html}");
    server.stop().await;
}

/// Keys and tokens made only of digits are taken as written: the environment would otherwise read them as numbers
/// (a 64-digit key does not even fit one) and the server would refuse to start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_made_of_digits_are_taken_as_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = "1234567890".repeat(7)[..64].to_string();
    let mut server = Server::start(
        dir.path(),
        None,
        &[
            ("YANXIU_SECRET_KEY", &key),
            ("YANXIU_METRICS_TOKEN", "20261207"),
        ],
    )
    .await;
    let metrics = |token: &'static str| {
        server
            .http
            .get(server.url("/metrics"))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(metrics("20261207").await.unwrap().status(), 200);
    assert_eq!(metrics("20261208").await.unwrap().status(), 404);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_keeps_data_and_mail_is_written_as_eml_files() {
    use reqwest::Method;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut a = Server::start(dir.path(), None, &[]).await;
    let admin = tok(&a.login("admin", ADMIN_PASSWORD).await, "access_token");
    let (status, school) = a
        .send(
            Method::POST,
            "/api/schools",
            Some(&admin),
            Some(school_body(&school_code(1), "510104", "重启小学")),
        )
        .await;
    assert_eq!(status, 200, "{school}");
    // An account with an e-mail asks for a reset: without SMTP the worker writes an .eml file.
    let (status, body) = a
        .send(
            Method::POST,
            "/api/accounts",
            Some(&admin),
            Some(json!({
                "username": "cd.city", "password": PASSWORD, "display_name": "成都市管理员",
                "email": "admin@sc.example.cn", "role": "city_admin", "scope_code": "510100",
            })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = a
        .send(
            Method::POST,
            "/api/auth/forgot",
            None,
            Some(json!({ "login": "cd.city" })),
        )
        .await;
    assert_eq!(status, 202);
    let mail_dir = dir.path().join("mail");
    let eml = eventually(Duration::from_secs(20), || {
        let mail_dir = mail_dir.clone();
        async move {
            let entry = std::fs::read_dir(&mail_dir)
                .ok()?
                .flatten()
                .find(|e| e.path().extension().is_some_and(|x| x == "eml"))?;
            std::fs::read_to_string(entry.path()).ok()
        }
    })
    .await
    .expect("an .eml file in data_dir/mail");
    assert!(eml.contains("admin@sc.example.cn"), "{eml}");
    let body = decode_mail_body(&eml);
    assert!(reset_token_from(&body).is_some(), "no reset link in {body}");
    a.stop().await;

    let b = Server::start(dir.path(), None, &[]).await;
    let admin = tok(&b.login("admin", ADMIN_PASSWORD).await, "access_token");
    let (status, list) = b
        .send(Method::GET, "/api/schools", Some(&admin), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["items"][0]["name"], "重启小学");
    let (_, health) = b.send(Method::GET, "/api/health", None, None).await;
    assert_eq!(health["database"], "sqlite");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_database_share_sessions() {
    use reqwest::Method;
    let pg = PgDatabase::create().await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // No refresh grace window, so the immediate reuse below is taken for theft.
    let env = [
        ("YANXIU_SECRET_KEY", SECRET),
        ("YANXIU_RUN_WORKER", "false"),
        ("YANXIU_REFRESH_GRACE_SECONDS", "0"),
    ];
    let a = Server::start(dir_a.path(), Some(&pg.url), &env).await;
    let b = Server::start(dir_b.path(), Some(&pg.url), &env).await;
    let (_, health) = b.send(Method::GET, "/api/health", None, None).await;
    assert_eq!(health["database"], "postgres");

    let p1 = a.login("admin", ADMIN_PASSWORD).await;
    // A session from A works on B.
    let (status, me) = b
        .send(
            Method::GET,
            "/api/me",
            Some(&tok(&p1, "access_token")),
            None,
        )
        .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["username"], "admin");
    // Refresh on B; then the old refresh token reused on A is detected and ends the chain.
    let (status, p2) = b
        .send(
            Method::POST,
            "/api/auth/refresh",
            None,
            Some(json!({ "refresh_token": tok(&p1, "refresh_token") })),
        )
        .await;
    assert_eq!(status, 200, "{p2}");
    let (status, reuse) = a
        .send(
            Method::POST,
            "/api/auth/refresh",
            None,
            Some(json!({ "refresh_token": tok(&p1, "refresh_token") })),
        )
        .await;
    assert_eq!(status, 401, "{reuse}");
    assert_eq!(reuse["code"], "invalid_refresh_token");
    let (status, _) = a
        .send(
            Method::POST,
            "/api/auth/refresh",
            None,
            Some(json!({ "refresh_token": tok(&p2, "refresh_token") })),
        )
        .await;
    assert_eq!(
        status, 401,
        "the newest token of a reused chain must be revoked too"
    );
    // The reuse ended the session, so its newest access token stops working at once too, on either instance.
    let (status, _) = b
        .send(
            Method::GET,
            "/api/me",
            Some(&tok(&p2, "access_token")),
            None,
        )
        .await;
    assert_eq!(status, 401, "the session of a reused chain must end");
    // Data written through one instance is read through the other.
    let token = tok(&a.login("admin", ADMIN_PASSWORD).await, "access_token");
    let (status, _) = a
        .send(
            Method::POST,
            "/api/schools",
            Some(&token),
            Some(school_body(&school_code(9), "510105", "双实例小学")),
        )
        .await;
    assert_eq!(status, 200);
    let (_, list) = b
        .send(Method::GET, "/api/schools", Some(&token), None)
        .await;
    assert_eq!(list["total"], 1);
    drop(a);
    drop(b);
}

/// `yanxiu admin create` as the operator runs it: the three system administrators' roles bind to the province
/// only, and the password rules hold; the first start makes `security` with its configured password.
async fn admin_create_and_first_start(database_url: Option<&str>) {
    use reqwest::Method;
    let dir = tempfile::tempdir().unwrap();
    let create = |username: &str, password: &str, role: &str, scope: &str| {
        let mut cmd = Command::new(binary());
        cmd.args([
            "admin",
            "create",
            "--username",
            username,
            "--password",
            password,
        ])
        .args(["--role", role, "--scope", scope])
        .env_remove("DATABASE_URL")
        .env_remove("YANXIU_DATABASE_URL")
        .env_remove("YANXIU_CONFIG")
        .env("YANXIU_DATA_DIR", dir.path())
        .env("YANXIU_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        if let Some(url) = database_url {
            cmd.env("YANXIU_DATABASE_URL", url);
        }
        cmd.status().expect("run yanxiu admin create").success()
    };
    assert!(!create("cli.audit", PASSWORD, "audit_admin", "510100"));
    assert!(!create(
        "cli.audit",
        "Password123!",
        "audit_admin",
        "510000"
    ));
    assert!(create("cli.audit", PASSWORD, "audit_admin", "510000"));
    let server = Server::start(
        dir.path(),
        database_url,
        &[
            ("YANXIU_SECRET_KEY", SECRET),
            ("YANXIU_RUN_WORKER", "false"),
            ("YANXIU_SECURITY_ADMIN_PASSWORD", "Security#Pass2024"),
        ],
    )
    .await;
    let audit = tok(&server.login("cli.audit", PASSWORD).await, "access_token");
    let (_, me) = server
        .send(Method::GET, "/api/me", Some(&audit), None)
        .await;
    assert_eq!(me["roles"][0]["role"], "audit_admin");
    let security = tok(
        &server.login("security", "Security#Pass2024").await,
        "access_token",
    );
    let (status, listed) = server
        .send(
            Method::GET,
            "/api/accounts?role=audit_admin",
            Some(&security),
            None,
        )
        .await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["total"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_create_takes_the_three_roles_sqlite() {
    admin_create_and_first_start(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_create_takes_the_three_roles_postgres() {
    let pg = PgDatabase::create().await;
    admin_create_and_first_start(Some(&pg.url)).await;
}
