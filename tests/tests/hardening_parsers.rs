//! Every parser has a budget: hostile spreadsheets at every import, request bodies over their route's limit, NUL
//! characters anywhere in a request, and formula injection through CSV exports.
#![allow(clippy::unwrap_used)]
use std::time::{Duration, Instant};

use poem::{Body, http::Method};
use serde_json::json;
use yanxiu_tests::{hostile::*, *};

fn bombs() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    vec![
        ("dimension bomb", dimension_bomb(), "sheet_over_budget"),
        (
            "undeclared dimension bomb",
            undeclared_dimension_bomb(),
            "sheet_over_budget",
        ),
        ("row bomb", row_bomb().to_vec(), "sheet_over_budget"),
        ("zip bomb", zip_bomb().to_vec(), "sheet_over_budget"),
        (
            "shared-string count bomb",
            shared_count_bomb(),
            "sheet_over_budget",
        ),
        ("malformed xlsx", malformed_xlsx(), "validation_failed"),
        (
            "zip signature and garbage",
            b"PK\x03\x04garbage".to_vec(),
            "validation_failed",
        ),
    ]
}

/// Every spreadsheet import of the API, ready to receive a file as the province admin.
async fn import_urls(app: &TestApp, admin: &str) -> Vec<String> {
    let program = assigned_program(app, admin).await;
    let activity = app.lesson_activity(2026).await;
    vec![
        "/api/import/teachers?dry_run=true".into(),
        "/api/import/schools?dry_run=false".into(),
        "/api/import/teachers/error-report".into(),
        "/api/questions/import?dry_run=false".into(),
        format!("/api/lesson-activities/{activity}/catalogue/import?dry_run=false"),
        format!("/api/programs/{program}/enrollments/import?dry_run=false"),
        format!("/api/programs/{program}/results?dry_run=false&node=510104"),
    ]
}

async fn assigned_program(app: &TestApp, admin: &str) -> i64 {
    let body = json!({
        "name": "2026年信息技术应用能力提升培训", "level": "provincial", "kind": "信息技术应用能力提升",
        "year": 2026, "enrolment_mode": "assigned",
        "hour_rule": { "kind": "cumulative" }, "completion": { "required_hours": 10 },
        "owner_code": "510000", "seats": 100,
    });
    let id = app
        .post("/api/programs", admin, &body)
        .await
        .expect(200)
        .id();
    app.post(&format!("/api/programs/{id}/publish"), admin, &json!({}))
        .await
        .expect(200);
    id
}

both_engines!(
    hostile_workbooks_are_refused_at_every_import,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let teachers_before = app.count_rows("teachers").await;
        let schools_before = app.count_rows("schools").await;
        for url in import_urls(&app, &admin).await {
            for (what, bytes, code) in bombs() {
                let started = Instant::now();
                let r = app
                    .upload(
                        &url,
                        Some(&admin),
                        "bomb.xlsx",
                        "application/octet-stream",
                        bytes,
                    )
                    .await;
                assert_eq!(
                    r.status,
                    422,
                    "{what} at {url}: expected 422, got {} {}",
                    r.status,
                    r.text()
                );
                assert!(r.content_type().starts_with("application/problem+json"));
                assert_eq!(r.code(), code, "{what} at {url}: {}", r.text());
                assert_eq!(
                    r.error_fields(),
                    vec!["file".to_string()],
                    "{what} at {url}"
                );
                assert!(
                    started.elapsed() < Duration::from_secs(60),
                    "{what} at {url} took {:?}",
                    started.elapsed()
                );
                // The server still answers.
                app.call(Method::GET, "/api/health", None, None)
                    .await
                    .expect(200);
            }
        }
        // Nothing was written by any refused file.
        assert_eq!(app.count_rows("teachers").await, teachers_before);
        assert_eq!(app.count_rows("schools").await, schools_before);
    }
);

both_engines!(budget_refusal_names_the_limit, |app: TestApp| async move {
    let admin = app.as_admin().await;
    let r = app
        .upload(
            "/api/import/teachers",
            Some(&admin),
            "bomb.xlsx",
            "application/octet-stream",
            dimension_bomb(),
        )
        .await
        .expect_problem(422, "sheet_over_budget");
    // Without Accept-Language the server speaks Chinese, and only Chinese.
    let detail = r.body["detail"].as_str().unwrap();
    assert!(detail.contains("64 列"), "{detail}");
    assert!(!detail.contains("columns"), "{detail}");
});

both_engines!(
    xls_and_ods_are_asked_to_be_saved_as_xlsx,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend_from_slice(&[0; 504]);
        let r = app
            .upload(
                "/api/import/teachers",
                Some(&admin),
                "old.xls",
                "application/vnd.ms-excel",
                ole,
            )
            .await
            .expect_field_error("file");
        assert!(r.text().contains(".xlsx"), "{}", r.text());
    }
);

// ---------------------------------------------------------------------------------------------------------------
// Request bodies

both_engines!(
    oversize_json_is_413_before_it_is_read,
    |app: TestApp| async move {
        // Declared up front: answered without reading.
        let big = format!(
            "{{\"username\":\"admin\",\"password\":\"{}\"}}",
            "x".repeat(2 * 1024 * 1024)
        );
        let r = app
            .call_raw(
                Method::POST,
                "/api/auth/login",
                None,
                "application/json",
                big.into_bytes(),
            )
            .await
            .expect_problem(413, "payload_too_large");
        assert!(
            r.body["detail"].as_str().unwrap().contains("1 MB"),
            "{}",
            r.text()
        );

        // Streamed without a length (300 MB on offer): refused after the first megabyte, quickly.
        let started = Instant::now();
        let chunk = vec![b' '; 64 * 1024];
        let stream = futures_util::stream::iter(
            (0..300 * 16).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
        );
        let resp = app
            .client
            .post("/api/auth/login")
            .header("content-type", "application/json")
            .body(Body::from_bytes_stream(stream))
            .send()
            .await;
        resp.assert_status(poem::http::StatusCode::PAYLOAD_TOO_LARGE);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "took {:?}",
            started.elapsed()
        );
        // An ordinary login still works.
        app.login("admin", ADMIN_PASSWORD).await;
    }
);

both_engines!(
    imports_are_limited_while_streaming,
    config = |c: &mut yanxiu::platform::config::Config| c.import_max_bytes = 256 * 1024,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let r = app
            .upload(
                "/api/import/teachers",
                Some(&admin),
                "big.csv",
                "text/csv",
                vec![b'a'; 2 * 1024 * 1024],
            )
            .await
            .expect_problem(413, "payload_too_large");
        assert!(r.text().contains("327680 bytes"), "{}", r.text());
    }
);

// ---------------------------------------------------------------------------------------------------------------
// NUL characters

both_engines!(
    nul_anywhere_in_a_request_is_422_naming_the_field,
    |app: TestApp| async move {
        let r = app
            .post_public(
                "/api/auth/login",
                &json!({"username": "ad\u{0}min", "password": "x"}),
            )
            .await;
        r.expect_field_error("username");

        app.post_public("/api/auth/forgot", &json!({"login": "admin\u{0}"}))
            .await
            .expect_field_error("login");

        let r = app
            .call(Method::GET, "/api/certificates/verify/YX%00123", None, None)
            .await;
        r.expect_field_error("path");

        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(1), "510104", "锦江实验小学")
            .await;
        let before = app.count_rows("teachers").await;
        let mut body = teacher_body(
            school["id"].as_i64().unwrap(),
            "张\u{0}三",
            &id_card("510104", 1),
        );
        app.post("/api/teachers", &admin, &body)
            .await
            .expect_field_error("name");
        body["name"] = json!("张三");
        body["subject"] = json!("数\u{0}学");
        app.post("/api/teachers", &admin, &body)
            .await
            .expect_field_error("subject");
        assert_eq!(app.count_rows("teachers").await, before);

        app.get("/api/teachers?keyword=%00", &admin)
            .await
            .expect_field_error("keyword");
        // `\\u0000` in JSON is a backslash and five characters, not a NUL: an ordinary failed login.
        app.post_public(
            "/api/auth/login",
            &json!({"username": "admin", "password": "\\u0000"}),
        )
        .await
        .expect(401);
    }
);

// ---------------------------------------------------------------------------------------------------------------
// CSV exports

both_engines!(csv_exports_neutralise_formulas, |app: TestApp| async move {
    let admin = app.as_admin().await;
    let school = app
        .create_school(&admin, &school_code(2), "510104", "@SUM(1+1)小学")
        .await;
    app.post(
        "/api/teachers",
        &admin,
        &teacher_body(
            school["id"].as_i64().unwrap(),
            "=HYPERLINK(\"http://evil.example\",\"点我\")",
            &id_card("510104", 2),
        ),
    )
    .await
    .expect(200);
    let r = app
        .get("/api/export/teachers?format=csv", &admin)
        .await
        .expect(200);
    let text = r.text();
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\""),
        "{text}"
    );
    assert!(text.contains("'@SUM(1+1)小学"), "{text}");
    assert!(!text.contains(",=HYPERLINK"), "{text}");
    let r = app
        .get("/api/export/schools?format=csv", &admin)
        .await
        .expect(200);
    assert!(r.text().contains(",'@SUM(1+1)小学,"), "{}", r.text());
    // XLSX keeps the text exactly: a typed string cell is never evaluated.
    let r = app
        .get("/api/export/teachers?format=xlsx", &admin)
        .await
        .expect(200);
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(r.bytes.clone())).unwrap();
    use calamine::Reader;
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let formula = calamine::Data::String("=HYPERLINK(\"http://evil.example\",\"点我\")".into());
    assert!(range.rows().any(|row| row.contains(&formula)));
});
