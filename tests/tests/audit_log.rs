//! The tamper-evident audit log: the chain verifies, and each kind of tampering made directly in the database
//! (an altered entry, a deleted one, a forged one, a forged checkpoint, an altered archive) is named; the
//! PostgreSQL trigger; archiving; the audit administrator's list, filters and export; refused operations.
#![allow(clippy::unwrap_used)]

use poem::http::Method;
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::{Value, json};
use yanxiu::{
    audit::{archive::archive_before, key::with_key},
    platform::config::CryptoSuite,
};
use yanxiu_tests::*;

/// Some business activity, each step audited.
async fn activity(app: &TestApp, first: u32, schools: u32) {
    let admin = app.as_admin().await;
    for n in first..first + schools {
        app.create_school(
            &admin,
            &school_code(n),
            "510104",
            &format!("锦江区第{n}小学"),
        )
        .await;
    }
}

async fn verify(app: &TestApp, token: &str) -> Value {
    app.post("/api/audit/verify", token, &json!({}))
        .await
        .expect(200)
        .body
}

/// Runs `sql` as someone with direct access to the database would. On PostgreSQL the append-only trigger
/// stops that, so the statement runs with triggers switched off for its transaction (what the database owner
/// can do): detecting it is then the chain's job.
async fn tamper(app: &TestApp, sql: &str) {
    let txn = app.db.begin().await.unwrap();
    if app.engine == Engine::Postgres {
        txn.execute_unprepared("SET LOCAL session_replication_role = replica")
            .await
            .unwrap();
    }
    txn.execute_unprepared(sql).await.unwrap();
    txn.commit().await.unwrap();
}

/// The id of the `n`-th sealed entry in chain order.
async fn entry_at_seq(app: &TestApp, seq: i64) -> i64 {
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT id FROM audit_log WHERE seq = {seq}"),
        ))
        .await
        .unwrap()
        .expect("an entry at that seq");
    row.try_get::<i64>("", "id").unwrap()
}

both_engines!(an_untouched_log_is_intact, |app: TestApp| async move {
    activity(&app, 1, 3).await;
    let token = app.audit_admin("auditor").await;
    let report = verify(&app, &token).await;
    assert_eq!(report["intact"], json!(true), "{report}");
    assert!(report["entries_checked"].as_u64().unwrap() >= 5, "{report}");
    assert!(
        report["checkpoints_checked"].as_u64().unwrap() >= 1,
        "{report}"
    );
    // Verifying is itself audited, and the next run checks that entry too.
    let again = verify(&app, &token).await;
    assert_eq!(again["intact"], json!(true), "{again}");
    assert!(again["entries_checked"].as_u64() > report["entries_checked"].as_u64());
});

both_engines!(
    the_sm_suite_chains_with_hmac_sm3,
    config = |c: &mut yanxiu::platform::config::Config| c.crypto = CryptoSuite::Sm,
    |app: TestApp| async move {
        activity(&app, 1, 2).await;
        let token = app.audit_admin("auditor").await;
        let report = verify(&app, &token).await;
        assert_eq!(report["intact"], json!(true), "{report}");
    }
);

both_engines!(an_altered_entry_is_named, |app: TestApp| async move {
    activity(&app, 1, 3).await;
    let token = app.audit_admin("auditor").await;
    assert_eq!(verify(&app, &token).await["intact"], json!(true));
    let victim = entry_at_seq(&app, 3).await;
    tamper(
        &app,
        &format!("UPDATE audit_log SET detail = '{{\"name\":\"forged\"}}' WHERE id = {victim}"),
    )
    .await;
    let report = verify(&app, &token).await;
    assert_eq!(report["intact"], json!(false), "{report}");
    assert_eq!(report["problem"]["kind"], json!("altered"), "{report}");
    assert_eq!(report["problem"]["entry_id"], json!(victim), "{report}");
    assert_eq!(report["problem"]["seq"], json!(3), "{report}");
});

both_engines!(a_deleted_entry_is_named, |app: TestApp| async move {
    activity(&app, 1, 3).await;
    let token = app.audit_admin("auditor").await;
    assert_eq!(verify(&app, &token).await["intact"], json!(true));
    let victim = entry_at_seq(&app, 2).await;
    let after = entry_at_seq(&app, 3).await;
    tamper(&app, &format!("DELETE FROM audit_log WHERE id = {victim}")).await;
    let report = verify(&app, &token).await;
    assert_eq!(report["problem"]["kind"], json!("deleted"), "{report}");
    assert_eq!(report["problem"]["seq"], json!(2), "{report}");
    assert_eq!(report["problem"]["entry_id"], json!(after), "{report}");
});

both_engines!(
    entries_removed_from_the_end_are_named,
    |app: TestApp| async move {
        activity(&app, 1, 2).await;
        let token = app.audit_admin("auditor").await;
        assert_eq!(verify(&app, &token).await["intact"], json!(true));
        // The newest sealed entry (the verify just recorded is sealed by the next verify, so seal first).
        yanxiu::audit::seal::seal(&app.db, &app.state.audit_key)
            .await
            .unwrap();
        tamper(
            &app,
            "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)",
        )
        .await;
        let report = verify(&app, &token).await;
        assert_eq!(report["problem"]["kind"], json!("deleted"), "{report}");
    }
);

both_engines!(a_forged_entry_is_named, |app: TestApp| async move {
    activity(&app, 1, 2).await;
    let token = app.audit_admin("auditor").await;
    assert_eq!(verify(&app, &token).await["intact"], json!(true));
    // Written straight into the table, as someone without the audit key would: it cannot carry a valid MAC.
    let template = entry_at_seq(&app, 1).await;
    tamper(
        &app,
        &format!(
            "INSERT INTO audit_log (at, actor, action, target_type, target_id, detail) \
             SELECT at, 'admin', 'teacher.reveal', 'teacher', '42', '{{}}' FROM audit_log WHERE id = {template}"
        ),
    )
    .await;
    let forged = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT MAX(id) AS id FROM audit_log".to_string(),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "id")
        .unwrap();
    let report = verify(&app, &token).await;
    assert_eq!(report["problem"]["kind"], json!("inserted"), "{report}");
    assert_eq!(report["problem"]["entry_id"], json!(forged), "{report}");
    // A made-up MAC does not help either.
    tamper(
        &app,
        &format!(
            "UPDATE audit_log SET entry_mac = '{}' WHERE id = {forged}",
            "ab".repeat(32)
        ),
    )
    .await;
    let report = verify(&app, &token).await;
    assert_eq!(report["problem"]["kind"], json!("altered"), "{report}");
    assert_eq!(report["problem"]["entry_id"], json!(forged), "{report}");
});

both_engines!(a_forged_checkpoint_is_named, |app: TestApp| async move {
    activity(&app, 1, 2).await;
    let token = app.audit_admin("auditor").await;
    assert_eq!(verify(&app, &token).await["intact"], json!(true));
    tamper(
        &app,
        &format!(
            "UPDATE audit_checkpoint SET chain_mac = '{}' WHERE id = (SELECT MIN(id) FROM audit_checkpoint)",
            "0".repeat(64)
        ),
    )
    .await;
    let report = verify(&app, &token).await;
    assert_eq!(report["problem"]["kind"], json!("checkpoint"), "{report}");
    assert!(report["problem"]["checkpoint_id"].is_i64(), "{report}");
});

/// The archive file of the only archive, as stored in the local object store.
fn archive_path(app: &TestApp, key: &str) -> std::path::PathBuf {
    app.dir.path().join("files").join(key)
}

both_engines!(archived_entries_still_verify, |app: TestApp| async move {
    activity(&app, 1, 3).await;
    let token = app.audit_admin("auditor").await;
    let before = app.count_rows("audit_log").await;
    // Everything written so far counts as past retention: the archiving path takes its cutoff as an argument,
    // and the configured retention (at least 180 days) is what `serve` and `yanxiu audit archive` pass.
    let cutoff = chrono::Utc::now() + chrono::TimeDelta::seconds(1);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let summary = archive_before(&app.db, &app.state.storage, &app.state.audit_key, cutoff)
        .await
        .unwrap();
    assert_eq!(summary.files, 1);
    assert_eq!(summary.entries as i64, before);
    assert_eq!(app.count_rows("audit_log").await, 0);
    assert_eq!(app.count_rows("audit_archive").await, 1);
    activity(&app, 10, 2).await;
    let report = verify(&app, &token).await;
    assert_eq!(report["intact"], json!(true), "{report}");
    assert_eq!(report["archives_checked"], json!(1), "{report}");
    assert!(
        report["entries_checked"].as_i64().unwrap() > before,
        "{report}"
    );
    // Nothing more is old enough: a second run archives nothing.
    let again = archive_before(&app.db, &app.state.storage, &app.state.audit_key, cutoff)
        .await
        .unwrap();
    assert_eq!(again.entries, 0);

    // An archive file changed in the store is reported.
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT id, object_key FROM audit_archive".to_string(),
        ))
        .await
        .unwrap()
        .unwrap();
    let archive_id = row.try_get::<i64>("", "id").unwrap();
    let object_key = row.try_get::<String>("", "object_key").unwrap();
    let path = archive_path(&app, &object_key);
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap()),
        &mut text,
    )
    .unwrap();
    let altered = text.replacen("school.create", "school.update", 1);
    assert_ne!(altered, text);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, altered.as_bytes()).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let report = verify(&app, &token).await;
    assert_eq!(report["problem"]["kind"], json!("archive"), "{report}");
    assert_eq!(
        report["problem"]["archive_id"],
        json!(archive_id),
        "{report}"
    );
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_refuses_changes_to_audit_entries() {
    let app = TestApp::postgres().await;
    activity(&app, 1, 2).await;
    yanxiu::audit::seal::seal(&app.db, &app.state.audit_key)
        .await
        .unwrap();
    for sql in [
        "UPDATE audit_log SET detail = '{}' WHERE id = (SELECT MIN(id) FROM audit_log)",
        "UPDATE audit_log SET seq = seq + 1000 WHERE id = (SELECT MIN(id) FROM audit_log)",
        "DELETE FROM audit_log WHERE id = (SELECT MIN(id) FROM audit_log)",
        "TRUNCATE audit_log",
        "DELETE FROM audit_checkpoint",
    ] {
        let err = app
            .db
            .execute_unprepared(sql)
            .await
            .expect_err(&format!("{sql} must be refused"));
        assert!(
            err.to_string().contains("cannot")
                || err.to_string().contains("append-only")
                || err.to_string().contains("not archived"),
            "{sql}: {err}"
        );
    }
    // The one-time setting of a NULL chain column stays possible (that is the sealer's own write).
    let token = app.as_admin().await;
    app.create_school(&token, &school_code(9), "510104", "新学校")
        .await;
    app.db
        .execute_unprepared(
            "UPDATE audit_log SET seq = 999999 WHERE id = (SELECT MAX(id) FROM audit_log) AND seq IS NULL",
        )
        .await
        .unwrap();
}

both_engines!(
    the_auditor_searches_and_exports_the_whole_log,
    |app: TestApp| async move {
        activity(&app, 1, 3).await;
        let token = app.audit_admin("auditor").await;
        let admin = app.as_admin().await;
        // Only the audit administrator reads the whole log.
        app.get("/api/audit/entries", &admin).await.expect(403);
        let all = app.get("/api/audit/entries", &token).await.expect(200).body;
        let total = all["total"].as_u64().unwrap();
        assert!(total >= 4, "{all}");
        let items = all["items"].as_array().unwrap();
        assert!(
            items[0]["id"].as_i64() > items[1]["id"].as_i64(),
            "newest first"
        );
        // Sign-in events (no target path, written by the server itself) are there too.
        assert!(
            items
                .iter()
                .any(|e| e["action"] == json!("auth.login") && e["target_path"].is_null()),
            "{all}"
        );

        let schools = app
            .get("/api/audit/entries?action=school.create&actor=adm", &token)
            .await
            .expect(200)
            .body;
        assert_eq!(schools["total"], json!(3), "{schools}");
        let page = app
            .get(
                "/api/audit/entries?action=school.&page_size=2&page=2",
                &token,
            )
            .await
            .expect(200)
            .body;
        assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
        let big = app
            .get("/api/audit/entries?page_size=100000", &token)
            .await
            .expect(200)
            .body;
        assert_eq!(big["page_size"], json!(200), "page size is bounded");
        let future = utf8_percent(&(chrono::Utc::now() + chrono::TimeDelta::hours(1)).to_rfc3339());
        let none = app
            .get(&format!("/api/audit/entries?from={future}"), &token)
            .await
            .expect(200)
            .body;
        assert_eq!(none["total"], json!(0), "{none}");
        let ip = items
            .iter()
            .find_map(|e| e["ip"].as_str())
            .expect("an entry with a client address")
            .to_string();
        let by_ip = app
            .get(
                &format!("/api/audit/entries?ip={}", utf8_percent(&ip)),
                &token,
            )
            .await
            .expect(200)
            .body;
        assert!(by_ip["total"].as_u64().unwrap() >= 1, "{by_ip}");
        let past = utf8_percent(&(chrono::Utc::now() - chrono::TimeDelta::hours(1)).to_rfc3339());
        app.get(
            &format!("/api/audit/entries?from={future}&to={past}"),
            &token,
        )
        .await
        .expect_field_error("from");

        let csv = app
            .get("/api/audit/entries/export?action=school.create", &token)
            .await
            .expect(200);
        assert!(
            csv.content_type().starts_with("text/csv"),
            "{}",
            csv.content_type()
        );
        let text = String::from_utf8(csv.bytes.clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].contains("actor") && lines[0].contains("detail"),
            "{text}"
        );
        assert_eq!(lines.len(), 4, "header and three entries: {text}");
        let exports = app
            .get("/api/audit/entries?action=audit.export", &token)
            .await
            .expect(200)
            .body;
        assert_eq!(
            exports["total"],
            json!(1),
            "the export is audited: {exports}"
        );
        app.get("/api/audit/entries/export", &admin)
            .await
            .expect(403);
    }
);

both_engines!(a_refused_operation_is_audited, |app: TestApp| async move {
    let token = app.audit_admin("auditor").await;
    let (_, county) = app.region_admin("jinjiang", "county_admin", "510104").await;
    app.post("/api/audit/verify", &county, &json!({}))
        .await
        .expect(403);
    // A refused read is not an attempted change: not audited.
    app.get("/api/audit/entries", &county).await.expect(403);
    let refused = app
        .get("/api/audit/entries?action=access.refused", &token)
        .await
        .expect(200)
        .body;
    assert_eq!(refused["total"], json!(1), "{refused}");
    let entry = &refused["items"][0];
    assert_eq!(entry["actor"], json!("jinjiang"));
    assert_eq!(entry["target_id"], json!("verifyAudit"));
    assert_eq!(entry["detail"]["method"], json!("POST"));
    assert_eq!(entry["detail"]["path"], json!("/api/audit/verify"));
    // Anonymous callers get 401, which is not a refusal of a signed-in caller.
    let anonymous = app
        .call(Method::POST, "/api/audit/verify", None, Some(&json!({})))
        .await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(verify(&app, &token).await["intact"], json!(true));
});

#[tokio::test]
async fn a_retention_below_six_months_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path(), None);
    config.audit_retention_days = 30;
    let err = yanxiu::AppState::build(config)
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("180"), "{err}");
}

/// `yanxiu audit …` with the data dir (SQLite database and audit key) of `dir`.
fn audit_command(
    dir: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut cmd = std::process::Command::new(binary());
    cmd.arg("audit")
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("YANXIU_DATABASE_URL")
        .env_remove("YANXIU_CONFIG")
        .env("YANXIU_DATA_DIR", dir)
        .env("YANXIU_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run yanxiu audit")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_verifies_and_archives() {
    let dir = tempfile::tempdir().unwrap();
    // Entries written by an application on this data dir, signed with the key it generated there.
    let state = yanxiu::AppState::build(test_config(dir.path(), None))
        .await
        .unwrap();
    with_key(state.audit_key.clone(), async {
        for n in 0..3 {
            let txn = yanxiu::platform::db::begin_write(&state.db).await.unwrap();
            yanxiu::platform::audit::record(
                &txn,
                None,
                yanxiu::platform::audit::AuditEvent {
                    action: "school.create",
                    target_type: "school",
                    target_id: Some(n.to_string()),
                    target_path: None,
                    detail: json!({ "n": n }),
                },
            )
            .await
            .unwrap();
            txn.commit().await.unwrap();
        }
    })
    .await;
    let out = audit_command(dir.path(), &["verify"], &[]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{text}");
    assert!(text.starts_with("intact: 3 entries"), "{text}");

    state
        .db
        .execute_unprepared("UPDATE audit_log SET detail = '{\"n\":7}' WHERE target_id = '1'")
        .await
        .unwrap();
    let out = audit_command(dir.path(), &["verify"], &[]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("NOT intact (Altered)") && text.contains("seq 2"),
        "{text}"
    );

    // Nothing is old enough for the default retention.
    let out = audit_command(dir.path(), &["archive"], &[]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success() && text.starts_with("archived 0 entries"),
        "{text}"
    );
    let out = audit_command(
        dir.path(),
        &["archive"],
        &[("YANXIU_AUDIT_RETENTION_DAYS", "90")],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("at least 180 days"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// Entries that name no node (a sign-in, a failed sign-in, a password change) concern the whole tree: the province
// administrator reads them through the audit list; an administrator below the province still sees only entries
// placed in their area.
both_engines!(
    entries_without_a_node_are_read_by_the_province,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        app.login_resp("admin", "not the password").await;
        let (_, county) = app
            .region_admin("county_admin", "county_admin", "510104")
            .await;
        let logins = app
            .get("/api/audit?action=auth.login", &admin)
            .await
            .expect(200)
            .body;
        assert!(
            logins["total"].as_u64().unwrap() >= 2,
            "the province sees sign-ins: {logins}"
        );
        let failed = app
            .get("/api/audit?action=auth.login_failed", &admin)
            .await
            .expect(200)
            .body;
        assert!(failed["total"].as_u64().unwrap() >= 1, "{failed}");
        let below = app
            .get("/api/audit?action=auth.login", &county)
            .await
            .expect(200)
            .body;
        assert_eq!(
            below["total"], 0,
            "unplaced entries stay at the province: {below}"
        );
    }
);
