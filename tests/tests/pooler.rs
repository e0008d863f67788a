//! Yanxiu behind PgBouncer in session mode (`scripts/pgbouncer.sh start`, on `YANXIU_TEST_PGBOUNCER_URL`, default
//! `postgres://postgres@127.0.0.1:6432/test`). PostgreSQL only, by nature: the pooler speaks its protocol.
//!
//! The driver prepares named statements per connection and runs each statement in two round trips; a pooler that
//! moved a client between server connections between them would fail or, worse, run another client's statement.
//! These tests run Yanxiu's own connect options through the pooler under concurrency — cached named statements
//! reused by many tasks, transactions, and the job claim with `FOR UPDATE SKIP LOCKED` from several workers — and
//! check every result. A missing PgBouncer (or psql) is a failure, not a skip.
#![allow(clippy::unwrap_used)]

use std::{collections::HashSet, process::Command};

use yanxiu_tests::{
    replace_db_name,
    sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement},
    yanxiu::platform::{
        config::{Config, DatabasePooler},
        db, jobs,
    },
};

const DEFAULT_PGBOUNCER_URL: &str = "postgres://postgres@127.0.0.1:6432/test";

fn pgbouncer_url() -> String {
    std::env::var("YANXIU_TEST_PGBOUNCER_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| DEFAULT_PGBOUNCER_URL.to_string())
}

/// A setting of the running pooler, from its admin console (the database `pgbouncer`, simple protocol only,
/// hence psql rather than the driver).
fn pgbouncer_setting(name: &str) -> String {
    let console = replace_db_name(&pgbouncer_url(), "pgbouncer");
    let out = Command::new("psql")
        .args([console.as_str(), "-Atc", "SHOW CONFIG"])
        .output()
        .unwrap_or_else(|e| {
            panic!("psql cannot run ({e}); Debian: apt-get install postgresql-client")
        });
    assert!(
        out.status.success(),
        "PgBouncer's admin console does not answer on {console}: {}\nStart it with scripts/pgbouncer.sh start \
         (Debian: apt-get install pgbouncer).",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| {
            let mut fields = l.split('|');
            (fields.next() == Some(name)).then(|| fields.next().unwrap_or_default().to_string())
        })
        .unwrap_or_else(|| panic!("PgBouncer has no setting {name}"))
}

/// A fresh database created through the pooler, and an admin connection (also through it) to drop it.
async fn fresh_database() -> (DatabaseConnection, String, String) {
    let admin_url = pgbouncer_url();
    let admin = Database::connect(admin_url.as_str())
        .await
        .unwrap_or_else(|e| {
            panic!("PgBouncer does not answer on {admin_url} ({e}): start it with scripts/pgbouncer.sh start")
        });
    let name = format!("yanxiu_pooler_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let url = replace_db_name(&admin_url, &name);
    (admin, name, url)
}

#[tokio::test]
async fn pgbouncer_runs_in_session_mode() {
    assert_eq!(pgbouncer_setting("pool_mode"), "session");
}

#[tokio::test]
async fn statements_transactions_and_job_claims_through_the_session_pooler() {
    yanxiu_tests::yanxiu::install_crypto_provider();
    let (admin, name, url) = fresh_database().await;
    let conn = db::connect(&url, 12, DatabasePooler::Session)
        .await
        .unwrap();
    db::migrate(&conn).await.unwrap();
    conn.execute_unprepared("CREATE TABLE pooler_probe (task INT NOT NULL, n INT NOT NULL)")
        .await
        .unwrap();
    let job_count = 300;
    for n in 0..job_count {
        jobs::enqueue(
            &conn,
            entity::job::JobKind::Mail,
            serde_json::json!({ "n": n }),
            None,
        )
        .await
        .unwrap();
    }

    // Workers claim until nothing is due, while other tasks run parameterised statements and transactions.
    let mut workers = tokio::task::JoinSet::new();
    for w in 0..6 {
        let conn = conn.clone();
        workers.spawn(async move {
            let mut claimed = Vec::new();
            while let Some(job) = jobs::claim(&conn, &format!("worker-{w}")).await.unwrap() {
                claimed.push(job.id);
                jobs::complete(&conn, job).await.unwrap();
            }
            claimed
        });
    }
    let mut probes = tokio::task::JoinSet::new();
    for task in 0..12i32 {
        let conn = conn.clone();
        probes.spawn(async move {
            for i in 0..60i32 {
                // Cached named statements: the same texts on every task, different values.
                let row = conn
                    .query_one_raw(Statement::from_sql_and_values(
                        DbBackend::Postgres,
                        "SELECT $1::int * 1000 + $2::int",
                        [task.into(), i.into()],
                    ))
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(row.try_get_by_index::<i32>(0).unwrap(), task * 1000 + i);
                let txn = db::begin_write(&conn).await.unwrap();
                txn.execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "INSERT INTO pooler_probe (task, n) VALUES ($1, $2)",
                    [task.into(), i.into()],
                ))
                .await
                .unwrap();
                let seen = txn
                    .query_one_raw(Statement::from_sql_and_values(
                        DbBackend::Postgres,
                        "SELECT count(*) FROM pooler_probe WHERE task = $1",
                        [task.into()],
                    ))
                    .await
                    .unwrap()
                    .unwrap()
                    .try_get_by_index::<i64>(0)
                    .unwrap();
                assert_eq!(seen, i64::from(i) + 1, "task {task} sees its own rows");
                if i % 5 == 4 {
                    // Rolled back: the row must be gone for the next round.
                    txn.rollback().await.unwrap();
                    conn.execute_raw(Statement::from_sql_and_values(
                        DbBackend::Postgres,
                        "INSERT INTO pooler_probe (task, n) VALUES ($1, $2)",
                        [task.into(), i.into()],
                    ))
                    .await
                    .unwrap();
                } else {
                    txn.commit().await.unwrap();
                }
            }
        });
    }
    while let Some(r) = probes.join_next().await {
        r.unwrap();
    }
    let mut claimed = Vec::new();
    while let Some(r) = workers.join_next().await {
        claimed.extend(r.unwrap());
    }
    let distinct: HashSet<i64> = claimed.iter().copied().collect();
    assert_eq!(claimed.len(), job_count, "every job claimed once");
    assert_eq!(distinct.len(), job_count, "no job claimed twice");
    let row = conn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT count(*) FILTER (WHERE status = 'done'), (SELECT count(*) FROM pooler_probe) FROM jobs",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get_by_index::<i64>(0).unwrap(), job_count as i64);
    assert_eq!(row.try_get_by_index::<i64>(1).unwrap(), 12 * 60);

    conn.close().await.unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
}

#[test]
fn a_transaction_mode_pooler_is_refused_with_its_reason() {
    let config = Config {
        database_pooler: DatabasePooler::Transaction,
        ..Config::default()
    };
    let error = config.validate().unwrap_err().to_string();
    assert!(error.contains("YANXIU_DATABASE_POOLER=session"), "{error}");
    let session = Config {
        database_pooler: DatabasePooler::Session,
        ..Config::default()
    };
    session.validate().unwrap();
}

#[test]
fn the_pooler_setting_reads_its_three_words() {
    for (word, pooler) in [
        ("none", DatabasePooler::None),
        ("session", DatabasePooler::Session),
        ("transaction", DatabasePooler::Transaction),
    ] {
        let parsed: DatabasePooler = serde_json::from_value(serde_json::json!(word)).unwrap();
        assert_eq!(parsed, pooler);
    }
    assert!(serde_json::from_value::<DatabasePooler>(serde_json::json!("statement")).is_err());
}
