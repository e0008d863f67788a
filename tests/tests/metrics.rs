//! `/metrics`: the Prometheus series after real requests (operation ids, never raw paths; statuses, sign-in
//! failures, upload bytes, report timing, the pool and the job queue), closed on the main port unless the bearer
//! token is configured and sent, and served on an address of its own by the real binary.
#![allow(clippy::unwrap_used)]

use poem::{EndpointExt, http::Method, test::TestClient};
use yanxiu_tests::*;

const TOKEN: &str = "scrape-token-0123456789";

async fn scrape(app: &TestApp) -> String {
    let r = app
        .call_headers(
            Method::GET,
            "/metrics",
            None,
            &[("authorization", format!("Bearer {TOKEN}"))],
            None,
        )
        .await
        .expect(200);
    assert!(
        r.content_type().starts_with("text/plain; version=0.0.4"),
        "{}",
        r.content_type()
    );
    r.text()
}

/// The value of the sample whose line starts with `series` (name and labels, labels in alphabetical order).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[track_caller]
fn at_least(text: &str, series: &str, min: f64) {
    let value = sample(text, series).unwrap_or_else(|| panic!("no {series} in\n{text}"));
    assert!(value >= min, "{series} = {value}, expected ≥ {min}");
}

both_engines!(
    series_after_requests,
    config = |c: &mut yanxiu::platform::config::Config| c.metrics_token = Some(TOKEN.into()),
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        app.call(Method::GET, "/api/health", None, None)
            .await
            .expect(200);
        // A school that does not exist: the id stays out of the labels.
        app.get("/api/schools/987654", &admin).await.expect(404);
        app.login_resp("admin", "wrong-password").await.expect(401);
        let school = app
            .create_school(&admin, &school_code(61), "510104", "指标小学")
            .await;
        let program = app
            .province_program(&admin, school["code"].as_str().unwrap(), 1.0)
            .await;
        app.get(&format!("/api/programs/{program}/report"), &admin)
            .await
            .expect(200);
        let teacher = app
            .create_teacher(
                &admin,
                school["id"].as_i64().unwrap(),
                "指标教师",
                &id_card("510104", 61),
            )
            .await;
        app.create_account(
            &admin,
            "metrics.t",
            "teacher",
            school["code"].as_str().unwrap(),
            teacher["id"].as_i64(),
        )
        .await;
        let teacher_token = app.login("metrics.t", PASSWORD).await;
        app.upload_file(&teacher_token, "evidence", "证明.pdf", TINY_PDF)
            .await
            .expect(200);
        // Two mails waiting in the queue (no worker runs in the test app).
        for n in 0..2 {
            yanxiu::platform::jobs::enqueue(
                &app.db,
                yanxiu::platform::jobs::JobKind::Mail,
                serde_json::json!({ "n": n }),
                None,
            )
            .await
            .unwrap();
        }

        let text = scrape(&app).await;
        at_least(
            &text,
            r#"yanxiu_http_requests_total{method="GET",operation="health",status="200"}"#,
            1.0,
        );
        at_least(
            &text,
            r#"yanxiu_http_requests_total{method="GET",operation="getSchool",status="404"}"#,
            1.0,
        );
        at_least(
            &text,
            r#"yanxiu_http_request_duration_seconds_count{method="GET",operation="programReport",status="200"}"#,
            1.0,
        );
        assert!(
            text.contains(r#"yanxiu_http_request_duration_seconds_bucket{method="GET",operation="health",status="200",le="0.005"}"#),
            "{text}"
        );
        assert!(!text.contains("987654"), "a raw path leaked into a label");
        at_least(
            &text,
            r#"yanxiu_login_failures_total{reason="invalid_credentials"}"#,
            1.0,
        );
        at_least(
            &text,
            r#"yanxiu_upload_bytes_total{route="file"}"#,
            TINY_PDF.len() as f64,
        );
        at_least(
            &text,
            r#"yanxiu_report_duration_seconds_count{report="completion"}"#,
            1.0,
        );
        assert_eq!(
            sample(&text, r#"yanxiu_jobs{kind="mail",status="pending"}"#),
            Some(2.0),
            "{text}"
        );
        assert_eq!(
            sample(&text, r#"yanxiu_jobs{kind="mail",status="running"}"#),
            Some(0.0),
            "{text}"
        );
        at_least(&text, r#"yanxiu_db_connections{state="idle"}"#, 0.0);
        at_least(&text, r#"yanxiu_db_connections{state="in_use"}"#, 0.0);
        // The scrape itself is counted under its route name.
        let again = scrape(&app).await;
        at_least(
            &again,
            r#"yanxiu_http_requests_total{method="GET",operation="metrics",status="200"}"#,
            1.0,
        );
    }
);

both_engines!(
    the_token_is_required_on_the_main_port,
    config = |c: &mut yanxiu::platform::config::Config| c.metrics_token = Some(TOKEN.into()),
    |app: TestApp| async move {
        app.call(Method::GET, "/metrics", None, None)
            .await
            .expect_problem(404, "not_found");
        for wrong in [
            "Bearer scrape-token".to_string(),
            format!("Bearer {TOKEN}x"),
            TOKEN.to_string(),
            format!("Basic {TOKEN}"),
        ] {
            app.call_headers(
                Method::GET,
                "/metrics",
                None,
                &[("authorization", wrong)],
                None,
            )
            .await
            .expect(404);
        }
        // An account's own access token is no scrape token either.
        let admin = app.as_admin().await;
        app.get("/metrics", &admin).await.expect(404);
        scrape(&app).await;
    }
);

both_engines!(
    without_a_token_the_main_port_has_no_metrics,
    |app: TestApp| async move {
        app.call(Method::GET, "/metrics", None, None)
            .await
            .expect_problem(404, "not_found");
        let admin = app.as_admin().await;
        app.get("/metrics", &admin).await.expect(404);
        app.call_headers(
            Method::GET,
            "/metrics",
            None,
            &[("authorization", "Bearer ".into())],
            None,
        )
        .await
        .expect(404);
    }
);

both_engines!(
    the_own_address_asks_for_the_token_when_one_is_set,
    config = |c: &mut yanxiu::platform::config::Config| c.metrics_token = Some(TOKEN.into()),
    |app: TestApp| async move {
        let own = TestClient::new(yanxiu::api::metrics_app(app.state.clone()).map_to_response());
        own.get("/metrics")
            .send()
            .await
            .assert_status(poem::http::StatusCode::NOT_FOUND);
        let ok = own
            .get("/metrics")
            .header("authorization", format!("Bearer {TOKEN}"))
            .send()
            .await;
        ok.assert_status_is_ok();
        let text = ok.0.into_body().into_string().await.unwrap();
        assert!(text.contains("yanxiu_db_connections"), "{text}");
        // Nothing else is served there.
        own.get("/api/health")
            .send()
            .await
            .assert_status(poem::http::StatusCode::NOT_FOUND);
    }
);

/// The real binary with `YANXIU_METRICS_BIND`: the series on that address, a 404 on the main port.
async fn own_address(database_url: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let metrics_port = free_port();
    let bind = format!("127.0.0.1:{metrics_port}");
    let mut server = ServeProcess::start(
        dir.path(),
        database_url,
        &[
            ("YANXIU_METRICS_BIND", bind.as_str()),
            ("YANXIU_RUN_WORKER", "false"),
        ],
    )
    .await;
    let main = server
        .http
        .get(server.url("/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(main.status(), 404);
    let r = server
        .http
        .get(format!("http://{bind}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    // The health probes of the start are in it, under their operation id.
    at_least(
        &text,
        r#"yanxiu_http_requests_total{method="GET",operation="health",status="200"}"#,
        1.0,
    );
    assert_eq!(
        sample(&text, r#"yanxiu_jobs{kind="mail",status="pending"}"#),
        Some(0.0),
        "{text}"
    );
    server.terminate();
    let (status, _) = server
        .wait_exit(std::time::Duration::from_secs(20))
        .await
        .expect("the server stops on SIGTERM");
    assert!(status.success(), "{status}");
    // The metrics address closes with the server.
    assert!(
        std::net::TcpStream::connect(&bind).is_err(),
        "{bind} still accepts connections"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn own_address_sqlite() {
    own_address(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn own_address_postgres() {
    let pg = PgDatabase::create().await;
    own_address(Some(&pg.url)).await;
}
