//! The export center and scheduled reports: an export asked for in the background is made by a worker of another
//! instance into the object store and downloaded by its owner only; what the export would refuse is refused at
//! once; an owner gone inactive fails it for good; a run of a subscription happens once across instances and runs
//! missed while the service was down are made up once; expired exports are removed with their files.
#![allow(clippy::unwrap_used)]

use chrono::{Duration, Utc};
use entity::{export, report_subscription};
use poem::http::Method;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Statement};
use serde_json::{Value, json};
use yanxiu::{
    AppState,
    exports::{schedule, service},
    platform::{jobs, mail::Mailer},
};
use yanxiu_tests::*;

/// Runs every due job on `state` (another instance's worker), as the worker loop would.
async fn drain_jobs(state: &AppState) {
    let mailer =
        Mailer::from_config(None, &state.config.mail_from, &state.config.data_dir).unwrap();
    let registry = yanxiu::assemble::job_registry(state, mailer);
    while let Some(job) = jobs::claim(&state.db, "second-instance").await.unwrap() {
        registry.run(&state.db, &job).await.unwrap();
        jobs::complete(&state.db, job).await.unwrap();
    }
}

async fn second_instance(app: &TestApp) -> AppState {
    AppState::build(app.config.clone()).await.unwrap()
}

async fn sql(app: &TestApp, text: &str) {
    let backend = app.db.get_database_backend();
    app.db
        .execute_raw(Statement::from_string(backend, text.to_string()))
        .await
        .unwrap();
}

async fn actions(app: &TestApp, prefix: &str) -> Vec<String> {
    entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.starts_with(prefix))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

async fn schools_export(app: &TestApp, token: &str) -> Value {
    app.post(
        "/api/exports",
        token,
        &json!({ "kind": "schools", "format": "csv", "params": { "keyword": "导出" } }),
    )
    .await
    .expect(200)
    .body
}

both_engines!(
    made_by_another_instance_and_downloaded_by_its_owner_only,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        sql(
            &app,
            "UPDATE accounts SET email = 'admin@sc.example.cn' WHERE username = 'admin'",
        )
        .await;
        app.create_school(&admin, &school_code(81), "510104", "导出实验小学")
            .await;
        app.create_school(&admin, &school_code(82), "510104", "另一所小学")
            .await;

        let asked = schools_export(&app, &admin).await;
        assert_eq!(asked["status"], "queued", "{asked}");
        let id = asked["id"].as_str().unwrap().to_string();
        let mine = app.get("/api/exports", &admin).await.expect(200).body;
        assert_eq!(mine["total"], 1);
        assert_eq!(mine["items"][0]["id"], id.as_str());
        // Not made yet: nothing to download.
        let early = app
            .get(&format!("/api/exports/{id}/download"), &admin)
            .await
            .expect_problem(409, "conflict");
        assert_eq!(early.body["errors"][0]["code"], "export_not_ready");

        drain_jobs(&second_instance(&app).await).await;

        let done = app
            .get(&format!("/api/exports/{id}"), &admin)
            .await
            .expect(200)
            .body;
        assert_eq!(done["status"], "done", "{done}");
        assert!(done["expires_at"].is_string());
        let file = app
            .get(&format!("/api/exports/{id}/download"), &admin)
            .await
            .expect(200);
        let text = file.text();
        assert!(text.contains("导出实验小学"), "{text}");
        assert!(
            !text.contains("另一所小学"),
            "the keyword filter applies: {text}"
        );
        assert_eq!(done["rows"], 1);
        // The owner was told by mail, in the transaction that finished it (the mail job ran on the worker too).
        let mails = std::fs::read_dir(app.config.data_dir.join("mail"))
            .map(|d| d.count())
            .unwrap_or_default();
        assert!(mails >= 1, "a ready mail was written");
        let audited = actions(&app, "export.").await;
        for action in ["export.request", "export.made", "export.download"] {
            assert!(
                audited.iter().any(|a| a == action),
                "{action} in {audited:?}"
            );
        }

        // Anybody else: as if it did not exist.
        let (_, county) = app
            .region_admin("exports_county", "county_admin", "510104")
            .await;
        app.get(&format!("/api/exports/{id}"), &county)
            .await
            .expect(404);
        app.get(&format!("/api/exports/{id}/download"), &county)
            .await
            .expect(404);
        app.call(
            Method::DELETE,
            &format!("/api/exports/{id}"),
            Some(&county),
            None,
        )
        .await
        .expect(404);
        assert_eq!(
            app.get("/api/exports", &county).await.expect(200).body["total"],
            0
        );

        // The owner removes it: row and file go.
        let key = export::Entity::find_by_id(id.clone())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .storage_key
            .unwrap();
        assert!(app.state.storage.get(&key).await.is_ok());
        app.call(
            Method::DELETE,
            &format!("/api/exports/{id}"),
            Some(&admin),
            None,
        )
        .await
        .expect(204);
        assert!(app.state.storage.get(&key).await.is_err());
        app.get(&format!("/api/exports/{id}"), &admin)
            .await
            .expect(404);
    }
);

both_engines!(
    what_the_export_would_refuse_is_refused_at_once,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let (_, county) = app
            .region_admin("refused_county", "county_admin", "510104")
            .await;
        // The audit log is the audit administrator's.
        app.post("/api/exports", &county, &json!({ "kind": "audit_entries" }))
            .await
            .expect(403);
        // A program report names its program.
        app.post("/api/exports", &admin, &json!({ "kind": "program_report" }))
            .await
            .expect(422)
            .expect_field_error("params.program_id");
        // A program out of sight is as if it did not exist: the field is named.
        app.post(
            "/api/exports",
            &county,
            &json!({ "kind": "program_report", "params": { "program_id": 987654 } }),
        )
        .await
        .expect(422)
        .expect_field_error("params.program_id");
        let long = "长".repeat(101);
        app.post(
            "/api/exports",
            &admin,
            &json!({ "kind": "schools", "params": { "keyword": long } }),
        )
        .await
        .expect(422)
        .expect_field_error("params.keyword");
        // Five waiting at once are enough for one account.
        for _ in 0..service::MAX_OPEN_PER_ACCOUNT {
            schools_export(&app, &county).await;
        }
        app.post("/api/exports", &county, &json!({ "kind": "schools" }))
            .await
            .expect_problem(422, "exports_too_many_running");
        assert_eq!(
            export::Entity::find().count(&app.db).await.unwrap(),
            service::MAX_OPEN_PER_ACCOUNT
        );
    }
);

both_engines!(
    an_owner_gone_inactive_fails_the_export_for_good,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let (county_id, county) = app
            .region_admin("gone_county", "county_admin", "510104")
            .await;
        let id = schools_export(&app, &county).await["id"]
            .as_str()
            .unwrap()
            .to_string();
        app.post(
            &format!("/api/accounts/{county_id}/deactivate"),
            &admin,
            &json!({}),
        )
        .await
        .expect(200);
        drain_jobs(&app.state).await;
        let row = export::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.status, export::ExportStatus::Failed);
        assert!(row.error.unwrap().contains("停用"));
        assert!(row.storage_key.is_none());
    }
);

both_engines!(
    a_scheduled_run_happens_once_across_instances_and_missed_runs_once,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let sub = app
            .post(
                "/api/report-subscriptions",
                &admin,
                &json!({ "order": { "kind": "schools", "format": "xlsx" }, "cadence": "weekly" }),
            )
            .await
            .expect(200)
            .body;
        let sub_id = sub["id"].as_i64().unwrap();
        let next: chrono::DateTime<Utc> = sub["next_run_at"].as_str().unwrap().parse().unwrap();
        assert!(
            next > Utc::now() && next <= Utc::now() + Duration::days(7),
            "{sub}"
        );

        // The service was down for three weeks: three runs were missed.
        let now = Utc::now();
        let missed = now - Duration::weeks(3);
        report_subscription::Entity::update_many()
            .col_expr(
                report_subscription::Column::NextRunAt,
                sea_orm::sea_query::Expr::value(missed),
            )
            .filter(report_subscription::Column::Id.eq(sub_id))
            .exec(&app.db)
            .await
            .unwrap();
        let other = second_instance(&app).await;
        let (a, b) = tokio::join!(
            schedule::run_due(&app.state, now),
            schedule::run_due(&other, now)
        );
        assert_eq!(a.unwrap() + b.unwrap(), 1, "one run, made by one instance");
        assert_eq!(schedule::run_due(&app.state, now).await.unwrap(), 0);
        let made = export::Entity::find()
            .filter(export::Column::SubscriptionId.eq(sub_id))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(made.len(), 1);
        let row = report_subscription::Entity::find_by_id(sub_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(
            row.next_run_at > now,
            "the next run is the first slot after now"
        );
        drain_jobs(&other).await;
        let mine = app.get("/api/exports", &admin).await.expect(200).body;
        assert_eq!(mine["items"][0]["status"], "done", "{mine}");
        assert_eq!(mine["items"][0]["subscription_id"], sub_id);

        // Paused, nothing runs however late it gets; resumed, the next run is from now.
        app.call(
            Method::PATCH,
            &format!("/api/report-subscriptions/{sub_id}"),
            Some(&admin),
            Some(&json!({ "active": false })),
        )
        .await
        .expect(200);
        assert_eq!(
            schedule::run_due(&app.state, now + Duration::days(60))
                .await
                .unwrap(),
            0
        );
        let resumed = app
            .call(
                Method::PATCH,
                &format!("/api/report-subscriptions/{sub_id}"),
                Some(&admin),
                Some(&json!({ "active": true })),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(resumed["active"], true);
        let list = app
            .get("/api/report-subscriptions", &admin)
            .await
            .expect(200)
            .body;
        assert_eq!(list.as_array().unwrap().len(), 1);
        app.call(
            Method::DELETE,
            &format!("/api/report-subscriptions/{sub_id}"),
            Some(&admin),
            None,
        )
        .await
        .expect(204);
        // The export it made stays until it expires.
        assert_eq!(
            app.get("/api/exports", &admin).await.expect(200).body["total"],
            1
        );
        let audited = actions(&app, "report_subscription.").await;
        assert_eq!(audited.len(), 4, "{audited:?}");
    }
);

both_engines!(
    expired_exports_go_with_their_files,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let id = schools_export(&app, &admin).await["id"]
            .as_str()
            .unwrap()
            .to_string();
        drain_jobs(&app.state).await;
        let row = export::Entity::find_by_id(id.clone())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let key = row.storage_key.unwrap();
        let expires = row.expires_at.unwrap();
        assert_eq!(
            service::sweep(&app.state, expires - Duration::minutes(1))
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            service::sweep(&app.state, expires + Duration::minutes(1))
                .await
                .unwrap(),
            1
        );
        assert!(
            export::Entity::find_by_id(id)
                .one(&app.db)
                .await
                .unwrap()
                .is_none()
        );
        assert!(app.state.storage.get(&key).await.is_err());
    }
);
