//! Reports and exports read from a PostgreSQL streaming replica while it stays within
//! `YANXIU_REPLICA_MAX_LAG_SECONDS`, and from the database when it falls further behind or goes away; writes (and
//! the exports' audit entries) always go to the database. The PostgreSQL tests run against a primary and replica of
//! their own, started by `scripts/pg-replica.sh start` (scripts/test.sh does): `YANXIU_TEST_PG_PRIMARY_URL` and
//! `YANXIU_TEST_PG_REPLICA_URL`. Each test makes its own database on the primary, which the replica copies.
#![allow(clippy::unwrap_used)]

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use tokio::{net::TcpListener, task::JoinHandle};
use yanxiu::platform::replica::ReplicaStatus;
use yanxiu_tests::*;

/// Pausing replay pauses the whole replica: the tests that use the pair take turns.
static PAIR: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The bound the tests configure: long enough for a handful of requests, short enough to wait out.
const MAX_LAG_SECONDS: u64 = 6;

fn pair_url(variable: &str) -> String {
    std::env::var(variable)
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            panic!(
                "{variable} is not set: the read-replica tests need a PostgreSQL primary and streaming replica of \
                 their own. Start them with `eval \"$(scripts/pg-replica.sh start)\"` (scripts/test.sh does) and \
                 run the tests again."
            )
        })
}

fn primary_base() -> String {
    pair_url("YANXIU_TEST_PG_PRIMARY_URL")
}

fn replica_base() -> String {
    pair_url("YANXIU_TEST_PG_REPLICA_URL")
}

/// `host:port` of a `postgres://user@host:port/db` URL.
fn authority(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split_once('@').map_or(rest, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest).to_string()
}

fn database_name(url: &str) -> String {
    let path = url.split('?').next().unwrap_or(url);
    path.rsplit('/').next().unwrap_or_default().to_string()
}

/// An app on a new database of the pair's primary, reading reports from `replica` (a URL of the replica's server,
/// or of a proxy in front of it) with this app's database name.
async fn app_on_pair(replica: &str) -> TestApp {
    let replica = replica.to_string();
    TestApp::postgres_on(&primary_base(), move |c| {
        let name = database_name(c.database_url.as_deref().unwrap_or_default());
        c.database_replica_url = Some(replace_db_name(&replica, &name));
        c.replica_max_lag_seconds = MAX_LAG_SECONDS;
    })
    .await
}

/// The replica's server, for pausing and resuming its replay. Replay is resumed when this goes away, so a failing
/// test never leaves the pair paused for the next one.
struct ReplayControl {
    db: DatabaseConnection,
}

impl ReplayControl {
    async fn connect() -> Self {
        let url = replica_base();
        let db = Database::connect(url.as_str()).await.unwrap_or_else(|e| {
            panic!("the replica at {url} is unreachable ({e}); run scripts/pg-replica.sh start")
        });
        let control = Self { db };
        control.resume().await;
        control
    }

    async fn pause(&self) {
        self.db
            .execute_unprepared("SELECT pg_wal_replay_pause()")
            .await
            .expect("pause replay");
    }

    async fn resume(&self) {
        self.db
            .execute_unprepared("SELECT pg_wal_replay_resume()")
            .await
            .expect("resume replay");
    }
}

impl Drop for ReplayControl {
    fn drop(&mut self) {
        run_sql_detached(&replica_base(), "SELECT pg_wal_replay_resume()");
    }
}

/// A count straight from the replica's copy of this app's database.
async fn count_on_replica(app: &TestApp, sql: &str) -> i64 {
    let url = replace_db_name(
        &replica_base(),
        &database_name(&app.pg.as_ref().unwrap().url),
    );
    let db = Database::connect(url.as_str())
        .await
        .expect("connect to the replica");
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql.to_string()))
        .await
        .expect(sql)
        .expect("a row");
    let n: i64 = row.try_get_by_index(0).expect("a count");
    let _ = db.close().await;
    n
}

async fn count_on_primary(app: &TestApp, sql: &str) -> i64 {
    let row = app
        .db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql.to_string()))
        .await
        .expect(sql)
        .expect("a row");
    row.try_get_by_index(0).expect("a count")
}

fn status(app: &TestApp) -> ReplicaStatus {
    app.state
        .replica
        .as_ref()
        .expect("the app has a replica")
        .status()
}

async fn wait_for_status(app: &TestApp, what: &str, wanted: impl Fn(&ReplicaStatus) -> bool) {
    let found = eventually(Duration::from_secs(20), || {
        let s = status(app);
        let hit = wanted(&s).then_some(());
        async move { hit }
    })
    .await;
    assert!(
        found.is_some(),
        "the replica never became {what}: {:?}",
        status(app)
    );
}

/// The teachers' names on a school's completion report (its rows are the teachers).
async fn report_names(app: &TestApp, program: i64, school: &str, token: &str) -> Vec<String> {
    let r = app
        .get(
            &format!("/api/programs/{program}/report?node={school}"),
            token,
        )
        .await
        .expect(200);
    let mut names: Vec<String> = r.body["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| row["node_name"].as_str().unwrap_or_default().to_string())
        .collect();
    names.sort();
    names
}

/// The 成都市 row's teacher count on the province's completion report (maintained counters).
async fn chengdu_teachers(app: &TestApp, program: i64, token: &str) -> i64 {
    let r = app
        .get(&format!("/api/programs/{program}/report"), token)
        .await
        .expect(200);
    r.body["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| row["node_code"] == "510100")
        .and_then(|row| row["teachers"].as_i64())
        .expect("a 成都市 row")
}

async fn csv(app: &TestApp, path: &str, token: &str) -> String {
    app.get(path, token).await.expect(200).text()
}

/// A school in 锦江区 with a province program (seats down to it) and its first teacher.
struct Scene {
    admin: String,
    auditor: String,
    program: i64,
    school_id: i64,
    school_code: String,
}

async fn scene(app: &TestApp, seq: u32) -> Scene {
    let admin = app.as_admin().await;
    let auditor = app.audit_admin("replica_auditor").await;
    let school = app
        .create_school(&admin, &school_code(seq), "510104", "锦江副本小学")
        .await;
    let school_code = school["code"].as_str().unwrap().to_string();
    let school_id = school["id"].as_i64().unwrap();
    let program = app.province_program(&admin, &school_code, 10.0).await;
    app.create_teacher(&admin, school_id, "甲老师", &id_card("510104", seq))
        .await;
    Scene {
        admin,
        auditor,
        program,
        school_id,
        school_code,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_and_exports_read_the_replica_within_the_lag_bound_then_the_primary() {
    let _turn = PAIR.lock().await;
    let control = ReplayControl::connect().await;
    let app = app_on_pair(&replica_base()).await;
    let s = scene(&app, 81).await;
    let (program, school) = (s.program, s.school_code.as_str());

    // The replica has replayed everything so far and serves the reads.
    let replayed = eventually(Duration::from_secs(20), || async {
        (count_on_replica(&app, "SELECT count(*) FROM teachers").await == 1).then_some(())
    })
    .await;
    assert!(
        replayed.is_some(),
        "the replica never replayed the first teacher"
    );
    wait_for_status(
        &app,
        "serving",
        |s| matches!(s, ReplicaStatus::Serving { lag } if lag.is_zero()),
    )
    .await;

    // Replay stops; the database moves on.
    control.pause().await;
    let paused = Instant::now();
    app.create_teacher(&s.admin, s.school_id, "乙老师", &id_card("510104", 82))
        .await;
    assert_eq!(
        count_on_primary(&app, "SELECT count(*) FROM teachers").await,
        2
    );

    // Within the bound every report and export shows the replica's view: one teacher.
    assert_eq!(
        report_names(&app, program, school, &s.admin).await,
        ["甲老师"]
    );
    assert_eq!(chengdu_teachers(&app, program, &s.admin).await, 1);
    let report_csv = csv(
        &app,
        &format!("/api/programs/{program}/report/export?format=csv&node={school}"),
        &s.admin,
    )
    .await;
    let teachers_csv = csv(
        &app,
        &format!("/api/programs/{program}/report/teachers?format=csv&node={school}"),
        &s.admin,
    )
    .await;
    let directory_csv = csv(&app, "/api/export/teachers?format=csv", &s.admin).await;
    let audit_csv = csv(&app, "/api/audit/entries/export", &s.auditor).await;
    // The 能力点 pass rates answer from the replica too (no submissions in this scene: zeros either way).
    let rates = app
        .get("/api/competency/report?year=2026&node=510104", &s.admin)
        .await
        .expect(200);
    assert_eq!(rates.body["total"]["submitted"], 0, "{}", rates.text());
    let within = paused.elapsed();
    for (what, text) in [
        ("report export", &report_csv),
        ("teacher-level export", &teachers_csv),
        ("directory export", &directory_csv),
    ] {
        assert!(
            text.contains("甲老师") && !text.contains("乙老师"),
            "the {what} should be the replica's view: {text}"
        );
    }
    assert!(
        !audit_csv.contains("export.program_report"),
        "the audit export should be the replica's view, without this test's exports: {audit_csv}"
    );
    assert!(
        within < Duration::from_secs(MAX_LAG_SECONDS),
        "the stale reads took {within:?}, longer than the bound, so they prove nothing"
    );
    assert!(status(&app).serves_reads(), "{:?}", status(&app));

    // Writes never went to the replica: the exports' audit entries are on the database and not (yet) on the
    // paused replica, which refuses writes anyway.
    let exports = "SELECT count(*) FROM audit_log WHERE action IN \
                   ('export.program_report', 'export.program_teachers', 'export.teachers', 'audit.export')";
    assert_eq!(count_on_primary(&app, exports).await, 4);
    assert_eq!(count_on_replica(&app, exports).await, 0);

    // Past the bound the reads fall back to the database and its fresh numbers.
    let fresh = eventually(Duration::from_secs(20), || async {
        let names = report_names(&app, program, school, &s.admin).await;
        (names.len() == 2).then_some(names)
    })
    .await;
    let fell_back = paused.elapsed();
    assert_eq!(
        fresh.expect("the report never showed the fresh numbers"),
        ["乙老师", "甲老师"]
    );
    assert!(
        fell_back >= Duration::from_secs(MAX_LAG_SECONDS - 2),
        "the fresh numbers came after {fell_back:?}, before the replica could lag {MAX_LAG_SECONDS} s"
    );
    assert!(
        matches!(status(&app), ReplicaStatus::Lagging { .. }),
        "{:?}",
        status(&app)
    );
    assert_eq!(chengdu_teachers(&app, program, &s.admin).await, 2);
    let directory_csv = csv(&app, "/api/export/teachers?format=csv", &s.admin).await;
    assert!(directory_csv.contains("乙老师"), "{directory_csv}");
    assert_eq!(
        count_on_replica(&app, "SELECT count(*) FROM teachers").await,
        1
    );

    // Replay resumes: the replica catches up and serves the reads again.
    control.resume().await;
    wait_for_status(&app, "serving again", ReplicaStatus::serves_reads).await;
    assert_eq!(
        count_on_replica(&app, "SELECT count(*) FROM teachers").await,
        2
    );
    assert_eq!(
        report_names(&app, program, school, &s.admin).await,
        ["乙老师", "甲老师"]
    );
}

/// A TCP relay in front of the replica, so a test can take the replica away from the app (and bring it back)
/// without stopping the server other tests use.
struct Relay {
    port: u16,
    target: String,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Relay {
    async fn start(target: String) -> Self {
        let relay = Self {
            port: free_port(),
            target,
            tasks: Arc::default(),
        };
        relay.open().await;
        relay
    }

    async fn open(&self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("bind the relay");
        let (target, tasks) = (self.target.clone(), self.tasks.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = target.clone();
                let pipe = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                tasks.lock().unwrap().push(pipe);
            }
        });
        self.tasks.lock().unwrap().push(accept);
    }

    /// Closes the port and cuts every open connection: the replica is gone as far as the app can tell.
    fn cut(&self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_that_goes_away_leaves_the_reads_on_the_primary_until_it_returns() {
    let _turn = PAIR.lock().await;
    let _control = ReplayControl::connect().await;
    let relay = Relay::start(authority(&replica_base())).await;
    let app = app_on_pair(&relay.url()).await;
    let s = scene(&app, 91).await;
    let (program, school) = (s.program, s.school_code.as_str());
    wait_for_status(&app, "serving", ReplicaStatus::serves_reads).await;
    let seen = eventually(Duration::from_secs(20), || async {
        let names = report_names(&app, program, school, &s.admin).await;
        (names == ["甲老师"]).then_some(())
    })
    .await;
    assert!(seen.is_some(), "the replica never showed the first teacher");

    relay.cut();
    wait_for_status(&app, "unreachable", |s| {
        matches!(s, ReplicaStatus::Unreachable { .. })
    })
    .await;
    // The database answers at once, with what was just written.
    app.create_teacher(&s.admin, s.school_id, "乙老师", &id_card("510104", 92))
        .await;
    assert_eq!(
        report_names(&app, program, school, &s.admin).await,
        ["乙老师", "甲老师"]
    );
    let teachers_csv = csv(
        &app,
        &format!("/api/programs/{program}/report/teachers?format=csv&node={school}"),
        &s.admin,
    )
    .await;
    assert!(teachers_csv.contains("乙老师"), "{teachers_csv}");
    let audit_csv = csv(&app, "/api/audit/entries/export", &s.auditor).await;
    assert!(audit_csv.contains("export.program_teachers"), "{audit_csv}");

    // Back again: the reads return to the replica once it answers (and has caught up).
    relay.open().await;
    wait_for_status(&app, "serving again", ReplicaStatus::serves_reads).await;
    assert_eq!(
        report_names(&app, program, school, &s.admin).await,
        ["乙老师", "甲老师"]
    );
    relay.cut();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_url_on_sqlite_is_refused_at_start() {
    yanxiu::install_crypto_provider();
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("yanxiu.db").display()
    );
    let mut config = test_config(dir.path(), Some(url));
    config.database_replica_url = Some("postgres://postgres@127.0.0.1:5442/yanxiu".into());
    let refused = yanxiu::AppState::build(config)
        .await
        .err()
        .map(|e| format!("{e:#}"));
    let message = refused.expect("a replica with SQLite must be refused");
    assert!(
        message.contains("YANXIU_DATABASE_REPLICA_URL") && message.contains("SQLite"),
        "{message}"
    );

    // The real server stops at start with the same message.
    let data = tempfile::tempdir().unwrap();
    let out = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::process::Command::new(binary())
            .arg("serve")
            .env("YANXIU_DATA_DIR", data.path())
            .env("YANXIU_BIND", format!("127.0.0.1:{}", free_port()))
            .env(
                "YANXIU_DATABASE_REPLICA_URL",
                "postgres://postgres@127.0.0.1:5442/yanxiu",
            )
            .env_remove("DATABASE_URL")
            .env_remove("YANXIU_DATABASE_URL")
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("yanxiu serve should stop at start, not serve")
    .expect("run yanxiu serve");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "yanxiu serve started: {stderr}");
    assert!(
        stderr.contains("YANXIU_DATABASE_REPLICA_URL") && stderr.contains("SQLite"),
        "{stderr}"
    );
}

#[test]
fn urls_split_as_the_tests_expect() {
    assert_eq!(
        authority("postgres://postgres@127.0.0.1:5442/postgres"),
        "127.0.0.1:5442"
    );
    assert_eq!(
        database_name("postgres://postgres@127.0.0.1:5441/yanxiu_t_ab?x=1"),
        "yanxiu_t_ab"
    );
}
