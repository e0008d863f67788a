//! Test harness for the black-box API suite in `tests/tests/*.rs`.
//!
//! Every test gets a brand-new application: a fresh temp data dir and SQLite file ([`TestApp::sqlite`]) or a fresh
//! PostgreSQL database on the server of `YANXIU_TEST_PG_URL` ([`TestApp::postgres`]), migrated, with the first
//! province admin bootstrapped, wrapped in `poem::test::TestClient`. [`both_engines!`] writes a test body once and
//! runs it on both engines. PostgreSQL being unreachable is a failure, never a skip.
#![allow(clippy::unwrap_used)]

pub mod hostile;
pub mod smtp;

use std::time::Duration;

use poem::{
    EndpointExt,
    endpoint::BoxEndpoint,
    http::{HeaderMap, Method},
    test::TestClient,
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use yanxiu::{AppState, platform::config::Config};

pub use sea_orm;
pub use serde_json;
pub use yanxiu;

/// The first province admin's password in every test app.
pub const ADMIN_PASSWORD: &str = "Admin#Pass2024";
/// The first security administrator `security`'s password in every test app.
pub const SECURITY_PASSWORD: &str = "Security#Pass2024";
/// The password given to every account the helpers create.
pub const PASSWORD: &str = "Test#Pass2024";
pub const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Runs one test body on SQLite and on PostgreSQL: `both_engines!(name, |app| async move { … })` makes the tests
/// `name::sqlite` and `name::postgres`. With `config = |c| …` first, the config is adjusted before the app is built.
#[macro_export]
macro_rules! both_engines {
    ($name:ident, config = $cfg:expr, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::TestApp::start($crate::Engine::Sqlite, $cfg).await;
                ($body)(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::TestApp::start($crate::Engine::Postgres, $cfg).await;
                ($body)(app).await;
            }
        }
    };
    ($name:ident, $body:expr) => {
        $crate::both_engines!(
            $name,
            config = |_: &mut $crate::yanxiu::platform::config::Config| {},
            $body
        );
    };
}

/// A fresh PostgreSQL database, dropped (best effort) when this value goes away.
pub struct PgDatabase {
    pub url: String,
    admin_url: String,
    name: String,
}

impl PgDatabase {
    pub fn base_url() -> String {
        std::env::var("YANXIU_TEST_PG_URL")
            .ok()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| DEFAULT_PG_URL.to_string())
    }

    /// `CREATE DATABASE yanxiu_t_<random>`; panics (fails the test) when the server cannot be reached.
    pub async fn create() -> Self {
        let admin_url = Self::base_url();
        let name = format!("yanxiu_t_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(admin_url.as_str()).await.unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is required for the *_postgres tests and is unreachable at {admin_url}: {e}. \
                 Start it (pg_ctlcluster --skip-systemctl-redirect 15 main start) or set YANXIU_TEST_PG_URL."
            )
        });
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name} on {admin_url}: {e}"));
        let _ = admin.close().await;
        Self {
            url: replace_db_name(&admin_url, &name),
            admin_url,
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop runs inside the test's runtime: do the async work on a thread with its own runtime.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(db) = Database::connect(admin_url.as_str()).await {
                    let _ = db
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    let _ = db.close().await;
                }
            });
        })
        .join();
    }
}

/// `postgres://u@h:p/db?x` with the database name replaced.
pub fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    }
}

/// A config for tests: real argon2 parameters, data in `dir`, the admin password fixed, no worker.
///
/// Test settings, not production ones: nobody is required to use a second factor and accounts made by an
/// administrator are not forced to change their password, so every suite can sign in its administrators with a
/// password alone. The suites about those rules (`second_factor.rs`, `sessions.rs`) turn them on.
pub fn test_config(dir: &std::path::Path, database_url: Option<String>) -> Config {
    Config {
        data_dir: dir.to_path_buf(),
        database_url,
        db_max_connections: 5,
        admin_password: Some(ADMIN_PASSWORD.into()),
        security_admin_password: Some(SECURITY_PASSWORD.into()),
        static_dir: None,
        run_worker: false,
        mfa_required_roles: String::new(),
        password_change_at_first_sign_in: false,
        ..Config::default()
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    pub body: Value,
}

impl Resp {
    pub fn content_type(&self) -> String {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    /// The problem `code` (empty when absent).
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }

    /// Field names in a problem's `errors`.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    /// Asserts the status, printing the body when it differs; returns self for chaining.
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status,
            status,
            "expected HTTP {status}, got {}: {}",
            self.status,
            self.text()
        );
        self
    }

    /// Asserts a problem+json answer with this status and code.
    #[track_caller]
    pub fn expect_problem(self, status: u16, code: &str) -> Self {
        let r = self.expect(status);
        assert!(
            r.content_type().starts_with("application/problem+json"),
            "content-type should be problem+json, got {:?}: {}",
            r.content_type(),
            r.text()
        );
        assert_eq!(r.code(), code, "problem code: {}", r.text());
        assert_eq!(
            r.body["status"].as_u64(),
            Some(u64::from(status)),
            "status in body: {}",
            r.text()
        );
        r
    }

    /// Asserts a 422 that names `field` in `errors[].field`.
    #[track_caller]
    pub fn expect_field_error(self, field: &str) -> Self {
        let r = self.expect_problem(422, "validation_failed");
        assert!(
            r.error_fields().iter().any(|f| f == field),
            "expected a field error on {field:?}: {}",
            r.text()
        );
        r
    }

    pub fn id(&self) -> i64 {
        self.body["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no id in {}", self.text()))
    }
}

/// A running test application.
pub struct TestApp {
    pub engine: Engine,
    pub client: TestClient<BoxEndpoint<'static>>,
    pub state: AppState,
    pub db: DatabaseConnection,
    pub config: Config,
    pub dir: tempfile::TempDir,
    admin_token: tokio::sync::OnceCell<String>,
    // Declared last so it is dropped after the pool above is gone.
    pub pg: Option<PgDatabase>,
}

impl TestApp {
    pub async fn sqlite() -> Self {
        Self::start(Engine::Sqlite, |_| {}).await
    }

    pub async fn postgres() -> Self {
        Self::start(Engine::Postgres, |_| {}).await
    }

    /// Builds a fresh app on `engine`; `configure` adjusts the config first (e.g. a small login rate).
    pub async fn start(engine: Engine, configure: impl FnOnce(&mut Config)) -> Self {
        yanxiu::install_crypto_provider();
        let dir = tempfile::tempdir().expect("temp data dir");
        let pg = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => Some(PgDatabase::create().await),
        };
        let url = match &pg {
            Some(p) => p.url.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("yanxiu.db").display()
            ),
        };
        let mut config = test_config(dir.path(), Some(url));
        configure(&mut config);
        assert!(
            config.argon2_memory_kib >= 19456,
            "tests keep the real argon2 parameters"
        );
        let state = AppState::build(config.clone())
            .await
            .expect("AppState::build (connect, migrate, keys, regions)");
        // Outside a request, audit entries take the process's audit key: give them this app's instead (tests
        // run several apps, each with its own data dir and key, in one process).
        yanxiu::audit::key::with_key(
            state.audit_key.clone(),
            yanxiu::cli::bootstrap::ensure_first_admin(&state),
        )
        .await
        .expect("first admin");
        let db = state.db.clone();
        let client = TestClient::new(yanxiu::app(state.clone()).map_to_response().boxed());
        Self {
            engine,
            client,
            state,
            db,
            config,
            dir,
            admin_token: tokio::sync::OnceCell::new(),
            pg,
        }
    }

    /// A second server instance on the same database and data dir (its own connection pool), as a second
    /// `yanxiu serve` behind a load balancer would be.
    pub async fn another_instance(&self) -> TestClient<BoxEndpoint<'static>> {
        let state = AppState::build(self.config.clone())
            .await
            .expect("AppState::build for a second instance");
        TestClient::new(yanxiu::app(state).map_to_response().boxed())
    }

    /// Any request; `token` adds a bearer header, `body` a JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Resp {
        let mut req = self.client.request(method, path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if let Some(b) = body {
            req = req.body_json(b);
        }
        read(req.send().await).await
    }

    /// A request with a raw body and content type (malformed JSON, CSV uploads …).
    pub async fn call_raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Resp {
        let mut req = self
            .client
            .request(method, path)
            .content_type(content_type)
            .body(body);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        read(req.send().await).await
    }

    /// Any request with extra headers and an optional raw body (the tus upload protocol).
    pub async fn call_headers(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, String)],
        body: Option<Vec<u8>>,
    ) -> Resp {
        let mut req = self.client.request(method, path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        for (name, value) in headers {
            req = req.header(*name, value.as_str());
        }
        if let Some(b) = body {
            req = req.body(b);
        }
        read(req.send().await).await
    }

    /// A multipart upload with one file field named `file`.
    pub async fn upload(
        &self,
        path: &str,
        token: Option<&str>,
        filename: &str,
        content_type: &str,
        data: Vec<u8>,
    ) -> Resp {
        let form = poem::test::TestForm::new().field(
            poem::test::TestFormField::bytes(data)
                .name("file")
                .filename(filename)
                .content_type(content_type),
        );
        let mut req = self.client.post(path).multipart(form);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        read(req.send().await).await
    }

    /// Uploads a file to the object store through `uploadFile` (raw body).
    pub async fn upload_file(&self, token: &str, purpose: &str, name: &str, data: &[u8]) -> Resp {
        let path = format!("/api/files?purpose={purpose}&name={}", utf8_percent(name));
        self.call_raw(
            Method::POST,
            &path,
            Some(token),
            "application/octet-stream",
            data.to_vec(),
        )
        .await
    }

    pub async fn get(&self, path: &str, token: &str) -> Resp {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Resp {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> Resp {
        self.call(Method::PUT, path, Some(token), Some(body)).await
    }

    /// POST without authentication.
    pub async fn post_public(&self, path: &str, body: &Value) -> Resp {
        self.call(Method::POST, path, None, Some(body)).await
    }

    pub async fn login_resp(&self, username: &str, password: &str) -> Resp {
        self.post_public(
            "/api/auth/login",
            &json!({ "username": username, "password": password }),
        )
        .await
    }

    /// Logs in and returns the whole token pair (`access_token`, `refresh_token`, …).
    pub async fn login_pair(&self, username: &str, password: &str) -> Value {
        self.login_resp(username, password).await.expect(200).body
    }

    /// Logs in and returns the access token.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let pair = self.login_pair(username, password).await;
        pair["access_token"]
            .as_str()
            .expect("access_token")
            .to_string()
    }

    /// The province admin's access token (one login per app).
    pub async fn as_admin(&self) -> String {
        self.admin_token
            .get_or_init(|| async { self.login("admin", ADMIN_PASSWORD).await })
            .await
            .clone()
    }

    /// The security administrator `security`'s access token (a fresh login).
    pub async fn as_security(&self) -> String {
        self.login("security", SECURITY_PASSWORD).await
    }

    /// A system administrator (三员分立), created by the security administrator and logged in: its access token.
    pub async fn system_admin(&self, username: &str) -> String {
        let security = self.as_security().await;
        self.create_account(&security, username, "system_admin", "510000", None)
            .await;
        self.login(username, PASSWORD).await
    }

    pub async fn create_school(&self, token: &str, code: &str, county: &str, name: &str) -> Value {
        self.post("/api/schools", token, &school_body(code, county, name))
            .await
            .expect(200)
            .body
    }

    pub async fn create_teacher(
        &self,
        token: &str,
        school_id: i64,
        name: &str,
        id_card: &str,
    ) -> Value {
        self.post(
            "/api/teachers",
            token,
            &teacher_body(school_id, name, id_card),
        )
        .await
        .expect(200)
        .body
    }

    /// Creates an account with [`PASSWORD`] and returns it.
    pub async fn create_account(
        &self,
        token: &str,
        username: &str,
        role: &str,
        scope_code: &str,
        teacher_id: Option<i64>,
    ) -> Value {
        self.post(
            "/api/accounts",
            token,
            &json!({
                "username": username,
                "password": PASSWORD,
                "display_name": username,
                "role": role,
                "scope_code": scope_code,
                "teacher_id": teacher_id,
            }),
        )
        .await
        .expect(200)
        .body
    }

    /// A region admin (province/city/county) bound to `region`, logged in: (account id, access token).
    /// A published province program (cumulative hours, `required_hours` to complete) with seats handed down to
    /// 成都市, 锦江区 and the school `school_code` (5 there); returns its id.
    pub async fn province_program(
        &self,
        admin: &str,
        school_code: &str,
        required_hours: f64,
    ) -> i64 {
        let completion = serde_json::json!({ "required_hours": required_hours });
        self.province_program_with(admin, school_code, completion)
            .await
    }

    /// [`TestApp::province_program`] with any completion rule (hours, minimums, micro-competencies).
    pub async fn province_program_with(
        &self,
        admin: &str,
        school_code: &str,
        completion: Value,
    ) -> i64 {
        let body = serde_json::json!({
            "name": "2026年信息技术应用能力提升", "level": "provincial", "kind": "信息技术应用能力提升",
            "year": 2026, "enrolment_mode": "assigned",
            "hour_rule": { "kind": "cumulative" }, "completion": completion,
            "owner_code": "510000", "seats": 100,
        });
        let program = self
            .post("/api/programs", admin, &body)
            .await
            .expect(200)
            .id();
        let publish = format!("/api/programs/{program}/publish");
        self.post(&publish, admin, &serde_json::json!({}))
            .await
            .expect(200);
        for (node, seats) in [("510100", 20), ("510104", 10), (school_code, 5)] {
            let path = format!("/api/programs/{program}/quotas/{node}");
            self.put(&path, admin, &serde_json::json!({ "seats": seats }))
                .await
                .expect(200);
        }
        program
    }

    pub async fn region_admin(&self, username: &str, role: &str, region: &str) -> (i64, String) {
        let admin = self.as_admin().await;
        let acc = self
            .create_account(&admin, username, role, region, None)
            .await;
        let token = self.login(username, PASSWORD).await;
        (acc["id"].as_i64().expect("id"), token)
    }

    /// `total` of a list endpoint.
    pub async fn total(&self, path: &str, token: &str) -> u64 {
        let r = self.get(path, token).await.expect(200);
        r.body["total"]
            .as_u64()
            .unwrap_or_else(|| panic!("no total in {}", r.text()))
    }

    /// Rows in a table, counted directly in the database.
    pub async fn count_rows(&self, table: &str) -> i64 {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count query")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("n")
    }
}

async fn read(resp: poem::test::TestResponse) -> Resp {
    let status = resp.0.status().as_u16();
    let headers = resp.0.headers().clone();
    let bytes = resp
        .0
        .into_body()
        .into_vec()
        .await
        .expect("read response body");
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Resp {
        status,
        headers,
        bytes,
        body,
    }
}

pub fn school_body(code: &str, county: &str, name: &str) -> Value {
    json!({
        "code": code,
        "name": name,
        "county_code": county,
        "stage": "小学",
        "urban_rural": "urban",
        "teaching_point": false,
        "address": "成都市某路1号",
    })
}

pub fn teacher_body(school_id: i64, name: &str, id_card: &str) -> Value {
    json!({
        "name": name,
        "id_card": id_card,
        "school_id": school_id,
        "phone": "13812345678",
        "email": null,
        "teacher_number": null,
        "stage": "小学",
        "subject": "数学",
        "title": null,
        "education": "本科",
        "teaching_years": 5,
    })
}

/// A valid 身份证号 for `area`, born 1985-06-15, with a 3-digit sequence.
pub fn id_card(area: &str, seq: u32) -> String {
    let birth = chrono::NaiveDate::from_ymd_opt(1985, 6, 15).expect("date");
    yanxiu::directory::validate::make_id_card(area, birth, seq)
}

/// A valid 学校标识码 in Sichuan (category 21, province 51) with a 6-digit sequence.
pub fn school_code(seq: u32) -> String {
    format!("2151{seq:06}")
}

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

/// The 能力点 codes of the framework, in catalogue order.
pub fn competency_codes() -> Vec<String> {
    [("A", 13), ("B", 10), ("C", 7)]
        .iter()
        .flat_map(|(env, n)| (1..=*n).map(move |i| format!("{env}{i}")))
        .collect()
}

/// A complete card for `code`: two evidence items (教学设计 required), two 优秀 and two 合格 criteria. The dimension
/// cycles through the four, A1 being 学情分析.
pub fn competency_card(code: &str, index: usize) -> Value {
    let dims = ["analysis", "design", "guidance", "assessment"];
    json!({
        "name": format!("能力点{code}"),
        "dimension": dims[index % 4],
        "description": format!("{code} 的说明"),
        "evidence_items": [
            { "key": "design", "name": "教学设计", "required": true },
            { "key": "reflection", "name": "教学反思", "required": false },
        ],
        "excellent_criteria": ["设计新颖，技术运用恰当", "反思深入"],
        "pass_criteria": ["材料完整", "符合要求"],
    })
}

impl TestApp {
    /// Fills every card of the seeded draft (version 1) and publishes it as the province: returns its id.
    pub async fn publish_competency_catalogue(&self) -> i64 {
        let admin = self.as_admin().await;
        let list = self
            .get("/api/competency/catalogs?status=draft", &admin)
            .await
            .expect(200);
        let id = list.body["items"][0]["id"].as_i64().expect("a draft");
        for (i, code) in competency_codes().iter().enumerate() {
            self.put(
                &format!("/api/competency/catalogs/{id}/points/{code}"),
                &admin,
                &competency_card(code, i),
            )
            .await
            .expect(200);
        }
        self.post(
            &format!("/api/competency/catalogs/{id}/publish"),
            &admin,
            &json!({}),
        )
        .await
        .expect(200);
        id
    }
}

// ---------------------------------------------------------------------------------------------------------------
// 一师一优课 (issue #5): the activity, its catalogue, resumable uploads and lessons ready for the county round.
// ---------------------------------------------------------------------------------------------------------------

/// The catalogue used by the lesson tests: 小学 and 初中 nodes of 数学 and 语文.
pub const LESSON_CATALOGUE_CSV: &str = "学段,学科,教材版本,年级,册次,章节,知识节点\n\
小学,数学,人教版,三年级,上,第一单元 时、分、秒,秒的认识\n\
小学,数学,人教版,三年级,上,第一单元 时、分、秒,时间的计算\n\
小学,数学,北师大版,三年级,上册,第二单元 观察物体,看一看\n\
小学,语文,部编版,三年级,下,第一单元,古诗三首\n\
初中,数学,人教版,七年级,上册,第一章 有理数,正数和负数\n";

/// An MP4 made by ffmpeg: H.264/AAC, `size` (e.g. "720x576"), `seconds` long at one frame per second so that even
/// a 30-minute lesson is a few hundred KB. Made once per (seconds, size) and reused; fails when ffmpeg is missing.
pub fn generated_video(seconds: u32, size: &str) -> Vec<u8> {
    use std::{collections::HashMap, sync::Mutex};
    type Videos = HashMap<(u32, String), Vec<u8>>;
    static MADE: Mutex<Option<Videos>> = Mutex::new(None);
    let mut made = MADE.lock().expect("video cache");
    let cache = made.get_or_insert_with(HashMap::new);
    if let Some(bytes) = cache.get(&(seconds, size.to_string())) {
        return bytes.clone();
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("lesson.mp4");
    let status = std::process::Command::new("ffmpeg")
        .args(["-loglevel", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!("color=c=blue:s={size}:r=1"))
        .args(["-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t"])
        .arg(seconds.to_string())
        .args([
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-b:a",
            "8k",
            "-movflags",
            "+faststart",
        ])
        .arg(&out)
        .status()
        .expect("ffmpeg must be installed for the lesson tests (.ci/run installs it)");
    assert!(status.success(), "ffmpeg failed to make the test video");
    let bytes = std::fs::read(&out).expect("generated video");
    cache.insert((seconds, size.to_string()), bytes.clone());
    bytes
}

impl TestApp {
    /// A request with extra headers and a raw body (the tus protocol speaks in headers).
    pub async fn call_with_headers(
        &self,
        method: Method,
        path: &str,
        token: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> Resp {
        let mut req = self
            .client
            .request(method, path)
            .header("authorization", format!("Bearer {token}"))
            .body(body);
        for (name, value) in headers {
            req = req.header(*name, value.as_str());
        }
        read(req.send().await).await
    }

    /// Uploads `data` through the resumable endpoint (tus 1.0: creation, then PATCHes of `chunk` bytes) and
    /// returns the file id.
    pub async fn tus_upload(&self, token: &str, name: &str, data: &[u8], chunk: usize) -> i64 {
        use base64::Engine as _;
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let created = self
            .call_with_headers(
                Method::POST,
                "/api/uploads",
                token,
                &[
                    ("tus-resumable", "1.0.0".into()),
                    ("upload-length", data.len().to_string()),
                    (
                        "upload-metadata",
                        format!("filename {},purpose {}", b64(name), b64("lesson")),
                    ),
                ],
                Vec::new(),
            )
            .await
            .expect(201);
        let location = created
            .headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .expect("Location of the upload")
            .to_string();
        let mut offset = 0;
        while offset < data.len() {
            let end = (offset + chunk).min(data.len());
            self.call_with_headers(
                Method::PATCH,
                &location,
                token,
                &[
                    ("tus-resumable", "1.0.0".into()),
                    ("upload-offset", offset.to_string()),
                    ("content-type", "application/offset+octet-stream".into()),
                ],
                data[offset..end].to_vec(),
            )
            .await
            .expect(204);
            offset = end;
        }
        let status = self
            .get(&format!("{location}/status"), token)
            .await
            .expect(200);
        status.body["file"]["id"].as_i64().expect("the stored file")
    }

    /// Opens `year`'s activity with 小学 and 初中 windows open now, and imports [`LESSON_CATALOGUE_CSV`].
    pub async fn open_lesson_activity(&self, year: i32) -> i64 {
        let admin = self.as_admin().await;
        let now = chrono::Utc::now();
        let window = |stage: &str| {
            json!({"stage": stage, "opens_at": now - chrono::Duration::days(1),
                   "closes_at": now + chrono::Duration::days(30)})
        };
        let id = self
            .post(
                "/api/lesson-activities",
                &admin,
                &json!({"year": year, "name": format!("{year}年一师一优课"),
                        "windows": [window("小学"), window("初中")]}),
            )
            .await
            .expect(200)
            .id();
        let imported = self
            .upload(
                &format!("/api/lesson-activities/{id}/catalogue/import?dry_run=false"),
                Some(&admin),
                "catalogue.csv",
                "text/csv",
                LESSON_CATALOGUE_CSV.as_bytes().to_vec(),
            )
            .await
            .expect(200);
        assert_eq!(imported.body["committed"], true, "{}", imported.body);
        id
    }

    /// The catalogue node of the activity named `node` (知识节点).
    pub async fn lesson_node(&self, activity: i64, node: &str) -> i64 {
        let admin = self.as_admin().await;
        let page = self
            .get(
                &format!(
                    "/api/lesson-activities/{activity}/catalogue?q={}",
                    utf8_percent(node)
                ),
                &admin,
            )
            .await
            .expect(200);
        page.body["items"]
            .as_array()
            .and_then(|items| items.iter().find(|n| n["node"] == node))
            .and_then(|n| n["id"].as_i64())
            .expect("catalogue node")
    }

    /// A draft lesson of `teacher` on `node_id` with its 教学设计 sections filled and all four required items
    /// (the video a 30-minute 720×576 H.264/AAC MP4 through the resumable upload): returns the lesson id.
    pub async fn lesson_with_items(
        &self,
        teacher: &str,
        activity: i64,
        node_id: i64,
        title: &str,
    ) -> i64 {
        let lesson = self
            .post(
                "/api/lessons",
                teacher,
                &json!({"activity_id": activity, "catalogue_node_id": node_id, "title": title,
                        "lesson_no": 1, "advisors": ["王指导"],
                        "design": {"objectives": "认识秒", "learner_analysis": "三年级学生",
                                   "key_points": "秒的含义", "activities": "观察钟面"}}),
            )
            .await
            .expect(200)
            .id();
        for (kind, name) in [
            ("design", "教学设计.pdf"),
            ("courseware", "课件.pdf"),
            ("exercise", "评测练习.pdf"),
        ] {
            let file = self
                .upload_file(teacher, "lesson", name, TINY_PDF)
                .await
                .expect(200)
                .id();
            self.post(
                &format!("/api/lessons/{lesson}/items"),
                teacher,
                &json!({"kind": kind, "file_id": file}),
            )
            .await
            .expect(200);
        }
        let video = self
            .tus_upload(
                teacher,
                "课堂实录.mp4",
                &generated_video(1800, "720x576"),
                64 * 1024,
            )
            .await;
        self.post(
            &format!("/api/lessons/{lesson}/items"),
            teacher,
            &json!({"kind": "video", "file_id": video}),
        )
        .await
        .expect(200);
        lesson
    }

    /// [`TestApp::lesson_with_items`], then verified by the school, submitted and checked (审查) by it: the
    /// lesson competes in its county's round.
    pub async fn checked_lesson(
        &self,
        teacher: (&str, i64),
        school_admin: &str,
        activity: i64,
        node_id: i64,
        title: &str,
    ) -> i64 {
        let (token, teacher_id) = teacher;
        let lesson = self
            .lesson_with_items(token, activity, node_id, title)
            .await;
        self.post(
            &format!("/api/lesson-activities/{activity}/teachers/{teacher_id}/verify"),
            school_admin,
            &json!({}),
        )
        .await
        .expect(200);
        self.post(&format!("/api/lessons/{lesson}/submit"), token, &json!({}))
            .await
            .expect(200);
        self.post(
            &format!("/api/lessons/{lesson}/check"),
            school_admin,
            &json!({"approved": true}),
        )
        .await
        .expect(200);
        lesson
    }
}

// ───────────── 一师一优课 review rounds (Part B): fixture helpers ─────────────
//
// Activities, catalogue nodes, checked lessons, items and pool reviewers are written straight to the database, so
// the round tests do not depend on how lessons get to `checked`.

impl TestApp {
    /// A 一师一优课 activity for `year`; returns its id.
    pub async fn lesson_activity(&self, year: i32) -> i64 {
        use sea_orm::{ActiveModelTrait, Set};
        let now = chrono::Utc::now();
        entity::lesson_activity::ActiveModel {
            year: Set(year),
            name: Set(format!("{year}年一师一优课")),
            windows: Set("[]".into()),
            created_by: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .unwrap()
        .id
    }

    /// A catalogue node (小学, 人教版, 上册, 第一单元) of `grade` × `subject` named `node`; returns its id.
    pub async fn round_node(
        &self,
        activity_id: i64,
        grade: &str,
        subject: &str,
        node: &str,
    ) -> i64 {
        use sea_orm::{ActiveModelTrait, Set};
        entity::lesson_catalogue_node::ActiveModel {
            activity_id: Set(activity_id),
            stage: Set("小学".into()),
            subject: Set(subject.into()),
            edition: Set("人教版".into()),
            grade: Set(grade.into()),
            volume: Set("上册".into()),
            chapter: Set("第一单元".into()),
            node: Set(node.into()),
            position: Set(0),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .unwrap()
        .id
    }

    /// A lesson of `teacher_id` on `node_id`, written straight to the database as checked by its school; returns its id.
    pub async fn seeded_lesson(
        &self,
        activity_id: i64,
        node_id: i64,
        teacher_id: i64,
        title: &str,
    ) -> i64 {
        use sea_orm::{ActiveModelTrait, EntityTrait, Set};
        let t = entity::teacher::Entity::find_by_id(teacher_id)
            .one(&self.db)
            .await
            .unwrap()
            .expect("teacher");
        let now = chrono::Utc::now();
        entity::lesson::ActiveModel {
            activity_id: Set(activity_id),
            catalogue_node_id: Set(node_id),
            teacher_id: Set(teacher_id),
            school_id: Set(t.school_id),
            path: Set(t.path.clone()),
            title: Set(title.into()),
            lesson_no: Set(1),
            advisors: Set("[]".into()),
            design: Set("{}".into()),
            status: Set(entity::lesson::LessonStatus::Checked),
            submitted_at: Set(Some(now)),
            checked_by: Set(Some(1)),
            checked_at: Set(Some(now)),
            check_reason: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .unwrap()
        .id
    }

    /// Attaches an uploaded file to a lesson as an item of `kind`.
    pub async fn lesson_item(&self, lesson_id: i64, kind: &str, file_id: i64) -> i64 {
        use sea_orm::{ActiveEnum, ActiveModelTrait, Set};
        entity::lesson_item::ActiveModel {
            lesson_id: Set(lesson_id),
            kind: Set(entity::lesson_item::ItemKind::try_from_value(&kind.to_string()).unwrap()),
            material_type: Set(None),
            file_id: Set(file_id),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .unwrap()
        .id
    }

    /// A reviewer account bound to `scope` with an e-mail address, certified (`POST /api/lesson-reviewers`) by
    /// `certifier` into the pool of the certifier's region, working at `home_school_id` (else in `scope`'s county):
    /// (account id, access token).
    pub async fn pool_reviewer(
        &self,
        certifier: &str,
        username: &str,
        scope: &str,
        home_school_id: Option<i64>,
    ) -> (i64, String) {
        let admin = self.as_admin().await;
        let acc = self
            .post(
                "/api/accounts",
                &admin,
                &json!({
                    "username": username, "password": PASSWORD, "display_name": username,
                    "role": "reviewer", "scope_code": scope, "email": format!("{username}@example.com"),
                }),
            )
            .await
            .expect(200);
        let id = acc.id();
        self.post(
            "/api/lesson-reviewers",
            certifier,
            &json!({ "account_id": id, "home_school_id": home_school_id }),
        )
        .await
        .expect(200);
        (id, self.login(username, PASSWORD).await)
    }

    /// The seeded default rubric (Wuhan, 100 points).
    pub async fn default_rubric(&self) -> i64 {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        entity::lesson_rubric::Entity::find()
            .filter(entity::lesson_rubric::Column::IsDefault.eq(true))
            .one(&self.db)
            .await
            .unwrap()
            .expect("default rubric")
            .id
    }
}

/// A round body with sensible defaults: 2 reviewers, blind, mean, threshold 15, 50 %, 5 days of 公示.
pub fn round_body(activity_id: i64, rubric_id: i64, level: &str, name: &str) -> Value {
    json!({
        "activity_id": activity_id, "level": level, "name": name, "rubric_id": rubric_id,
        "reviewers_per_lesson": 2, "blind": true, "same_county_conflict": false, "aggregation": "mean",
        "spread_threshold": 15, "quota": { "kind": "percent", "value": 50 },
        "deadline": "2099-01-01T00:00:00Z", "reminder_days": [1, 3], "publicity_days": 5,
    })
}

/// Scores on the Wuhan rubric adding up to `total` (each criterion filled up to its maximum in order).
pub fn wuhan_scores(total: f64) -> Value {
    let mut left = total;
    let scores: Vec<Value> = [
        ("objectives", 10.0),
        ("strategy", 15.0),
        ("content", 20.0),
        ("methods", 20.0),
        ("effect", 20.0),
        ("assessment", 10.0),
        ("literacy", 5.0),
    ]
    .iter()
    .map(|(key, max)| {
        let points = f64::min(*max, left);
        left -= points;
        json!({ "key": key, "points": points })
    })
    .collect();
    json!(scores)
}

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
