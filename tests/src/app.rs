//! The application under test: a fresh database per test (SQLite file or PostgreSQL database), the app built on
//! it, and requests sent through `poem::test::TestClient`; [`Resp`] reads an answer whole.
use poem::{
    EndpointExt,
    endpoint::BoxEndpoint,
    http::{HeaderMap, Method},
    test::TestClient,
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use yanxiu::{AppState, platform::config::Config};

use crate::{ADMIN_PASSWORD, DEFAULT_PG_URL, Engine, SECURITY_PASSWORD, support::utf8_percent};

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
        Self::create_on(Self::base_url()).await
    }

    /// The same on the server of `admin_url` (e.g. the primary of a replicated pair).
    pub async fn create_on(admin_url: String) -> Self {
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
        run_sql_detached(
            &self.admin_url,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

/// Runs `sql` on the database at `url` from a `Drop`, which runs inside the test's runtime: the async work goes to
/// a thread with its own runtime, and failures are ignored (cleanup must not panic).
pub fn run_sql_detached(url: &str, sql: &str) {
    let (url, sql) = (url.to_string(), sql.to_string());
    let _ = std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async move {
            if let Ok(db) = Database::connect(url.as_str()).await {
                let _ = db.execute_unprepared(&sql).await;
                let _ = db.close().await;
            }
        });
    })
    .join();
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
        let pg = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => Some(PgDatabase::create().await),
        };
        Self::start_with(engine, pg, configure).await
    }

    /// A fresh app on a new database of the PostgreSQL server of `admin_url` rather than `YANXIU_TEST_PG_URL`.
    pub async fn postgres_on(admin_url: &str, configure: impl FnOnce(&mut Config)) -> Self {
        let pg = PgDatabase::create_on(admin_url.to_string()).await;
        Self::start_with(Engine::Postgres, Some(pg), configure).await
    }

    async fn start_with(
        engine: Engine,
        pg: Option<PgDatabase>,
        configure: impl FnOnce(&mut Config),
    ) -> Self {
        yanxiu::install_crypto_provider();
        let dir = tempfile::tempdir().expect("temp data dir");
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
        self.upload_headers(path, token, &[], filename, content_type, data)
            .await
    }

    /// [`TestApp::upload`] with extra headers (`accept-language` …).
    pub async fn upload_headers(
        &self,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, String)],
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
        for (name, value) in headers {
            req = req.header(*name, value.as_str());
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
}

impl TestApp {
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

pub(crate) async fn read(resp: poem::test::TestResponse) -> Resp {
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
