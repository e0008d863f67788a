//! The server's text speaks the request's language: `Accept-Language: en…` gives English only, anything else
//! (or nothing) Chinese only; every problem carries a code from the spec's catalogue and the request's id, and
//! so does the audit entry of a change.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use poem::http::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use yanxiu_tests::*;

fn catalogue_codes() -> BTreeSet<String> {
    let spec: Value = serde_json::from_str(&yanxiu::api_service().spec()).unwrap();
    let codes: BTreeSet<String> = spec["components"]["schemas"]["ProblemCode"]["enum"]
        .as_array()
        .expect("ProblemCode is an enum in the spec")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    assert!(codes.contains("validation_failed") && codes.contains("not_found"));
    codes
}

fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '\u{3000}'..='\u{303f}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}'))
}

/// Two English words in a row: a sentence, not a code or a header name.
fn has_english_sentence(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    words.windows(2).any(|w| {
        w.iter()
            .all(|x| x.len() >= 2 && x.chars().all(|c| c.is_ascii_alphabetic()))
    })
}

/// The human texts of a problem: `detail` and every `errors[].message`.
fn texts(r: &Resp) -> Vec<String> {
    let mut out = vec![r.body["detail"].as_str().unwrap_or_default().to_string()];
    for e in r.body["errors"].as_array().into_iter().flatten() {
        out.push(e["message"].as_str().unwrap_or_default().to_string());
    }
    out
}

async fn ask(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    lang: Option<&str>,
    body: Option<&Value>,
) -> Resp {
    let mut headers = vec![("x-request-id", format!("req-{}", uuid::Uuid::new_v4()))];
    if let Some(l) = lang {
        headers.push(("accept-language", l.to_string()));
    }
    if body.is_some() {
        headers.push(("content-type", "application/json".to_string()));
    }
    app.call_headers(
        method,
        path,
        token,
        &headers,
        body.map(|b| serde_json::to_vec(b).unwrap()),
    )
    .await
}

/// Checks one problem answer in one language.
#[track_caller]
fn check(r: &Resp, english: bool, codes: &BTreeSet<String>) {
    assert!(
        r.content_type().starts_with("application/problem+json"),
        "{}",
        r.text()
    );
    assert!(
        codes.contains(r.code()),
        "code not in the spec: {}",
        r.text()
    );
    for e in r.body["errors"].as_array().into_iter().flatten() {
        if let Some(code) = e["code"].as_str() {
            assert!(
                codes.contains(code),
                "field code not in the spec: {}",
                r.text()
            );
        }
    }
    let header = r
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(!header.is_empty());
    assert_eq!(r.body["request_id"].as_str(), Some(header), "{}", r.text());
    for text in texts(r) {
        assert!(!text.is_empty(), "{}", r.text());
        if english {
            assert!(!has_cjk(&text), "Chinese in English mode: {}", r.text());
        } else {
            assert!(has_cjk(&text), "no Chinese in Chinese mode: {}", r.text());
            assert!(
                !has_english_sentence(&text),
                "English in Chinese mode: {}",
                r.text()
            );
        }
    }
}

both_engines!(
    problems_speak_the_language_asked_for,
    |app: TestApp| async move {
        let codes = catalogue_codes();
        let admin = app.as_admin().await;
        for (lang, english) in [
            (Some("en-US,en;q=0.9"), true),
            (Some("en"), true),
            (Some("zh-CN,zh;q=0.9,en;q=0.5"), false),
            (None, false),
        ] {
            let login = json!({ "username": "admin", "password": "Wrong#Pass2024" });
            let r = ask(
                &app,
                Method::POST,
                "/api/auth/login",
                None,
                lang,
                Some(&login),
            )
            .await;
            let r = r.expect_problem(401, "invalid_credentials");
            check(&r, english, &codes);

            let school = json!({
                "code": "12", "name": " ", "county_code": "999999", "stage": "nowhere",
                "urban_rural": "urban", "teaching_point": false,
            });
            let r = ask(
                &app,
                Method::POST,
                "/api/schools",
                Some(&admin),
                lang,
                Some(&school),
            )
            .await;
            let r = r.expect_field_error("code");
            assert!(
                r.error_fields().contains(&"name".to_string()),
                "{}",
                r.text()
            );
            check(&r, english, &codes);
            assert!(
                r.body["errors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e["code"] == "school_code_digits"),
                "{}",
                r.text()
            );

            let r = ask(
                &app,
                Method::GET,
                "/api/schools/987654",
                Some(&admin),
                lang,
                None,
            )
            .await;
            check(&r.expect_problem(404, "not_found"), english, &codes);

            let r = ask(
                &app,
                Method::GET,
                "/api/schools?page=999999999",
                Some(&admin),
                lang,
                None,
            )
            .await;
            let r = r.expect_field_error("page");
            check(&r, english, &codes);
            let page = r.body["errors"][0].clone();
            assert_eq!(page["code"], "page_too_large", "{}", r.text());
            assert!(
                page["params"]["max"].is_number(),
                "typed params: {}",
                r.text()
            );

            let weak = json!({ "current_password": ADMIN_PASSWORD, "new_password": "short1A" });
            let r = ask(
                &app,
                Method::POST,
                "/api/auth/password",
                Some(&admin),
                lang,
                Some(&weak),
            )
            .await;
            check(&r.expect_field_error("new_password"), english, &codes);

            let r = ask(&app, Method::GET, "/api/schools", None, lang, None).await;
            check(&r.expect_problem(401, "unauthorized"), english, &codes);
        }
    }
);

both_engines!(
    an_audit_entry_carries_the_request_id,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let id = "audit-request-0042";
        let body = school_body(&school_code(4201), "510104", "请求编号学校");
        let r = app
            .call_headers(
                Method::POST,
                "/api/schools",
                Some(&admin),
                &[
                    ("x-request-id", id.to_string()),
                    ("content-type", "application/json".to_string()),
                ],
                Some(serde_json::to_vec(&body).unwrap()),
            )
            .await
            .expect(200);
        assert_eq!(
            r.headers.get("x-request-id").and_then(|v| v.to_str().ok()),
            Some(id)
        );
        let entry = entity::audit_log::Entity::find()
            .filter(entity::audit_log::Column::Action.eq("school.create"))
            .one(&app.db)
            .await
            .unwrap()
            .expect("the creation is audited");
        assert_eq!(entry.request_id.as_deref(), Some(id));
    }
);

/// A request in English (`en`) or Chinese (no header).
fn lang_headers(english: bool) -> Vec<(&'static str, String)> {
    if english {
        vec![("accept-language", "en-US,en;q=0.9".to_string())]
    } else {
        Vec::new()
    }
}

both_engines!(
    import_row_errors_carry_codes_in_either_language,
    |app: TestApp| async move {
        let codes = catalogue_codes();
        let admin = app.as_admin().await;
        app.create_school(&admin, &school_code(4301), "510104", "行错误学校")
            .await;
        let file = format!(
            "name,id_card,school_code,stage,subject,teaching_years\n\
             张伟,{id},{school},小学,语文,abc\n\
             李娜,{id},{school},小学,,3\n",
            id = id_card("510104", 4301),
            school = school_code(4301),
        );
        for english in [true, false] {
            let r = app
                .upload_headers(
                    "/api/import/teachers?dry_run=true",
                    Some(&admin),
                    &lang_headers(english),
                    "teachers.csv",
                    "text/csv",
                    file.clone().into_bytes(),
                )
                .await
                .expect(200);
            let errors = r.body["errors"].as_array().unwrap();
            assert!(errors.len() >= 3, "{}", r.text());
            for e in errors {
                let code = e["code"].as_str().expect("every row error has a code");
                assert!(codes.contains(code), "code not in the spec: {e}");
                let message = e["message"].as_str().unwrap();
                assert_eq!(!has_cjk(message), english, "{e}");
            }
            let years = errors
                .iter()
                .find(|e| e["column"] == "teaching_years")
                .expect("the teaching years are reported");
            assert_eq!(years["code"], "teaching_years_invalid");
            assert_eq!(years["line"], 2);
            let repeated = errors
                .iter()
                .find(|e| e["code"] == "id_card_repeated_in_file")
                .expect("the repeated ID number is reported");
            assert_eq!(repeated["params"]["line"], 2, "{repeated}");
            if english {
                assert_eq!(repeated["message"], "Same ID number as line 2");
            }
        }
    }
);

both_engines!(a_budget_refusal_speaks_english, |app: TestApp| async move {
    let codes = catalogue_codes();
    let admin = app.as_admin().await;
    // One column over the directory's 64.
    let header: Vec<String> = (0..65).map(|i| format!("c{i}")).collect();
    let file = format!("{}\n", header.join(",")).into_bytes();
    let r = app
        .upload_headers(
            "/api/import/schools",
            Some(&admin),
            &lang_headers(true),
            "wide.csv",
            "text/csv",
            file,
        )
        .await
        .expect_problem(422, "sheet_over_budget");
    check(&r, true, &codes);
    assert_eq!(r.body["errors"][0]["code"], "sheet_too_many_columns");
    assert_eq!(r.body["errors"][0]["params"]["limit"], 64);
    assert_eq!(
        r.body["detail"],
        "The sheet has more than the 64 columns allowed"
    );
});

both_engines!(
    an_english_export_reads_back_as_an_import,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        for seq in [4401, 4402] {
            app.create_school(&admin, &school_code(seq), "510104", "导出回读学校")
                .await;
        }
        for english in [true, false] {
            let headers = lang_headers(english);
            let export = app
                .call_headers(
                    Method::GET,
                    "/api/export/schools?format=csv",
                    Some(&admin),
                    &headers,
                    None,
                )
                .await
                .expect(200);
            let text = export.text();
            let header_row = text.lines().next().unwrap();
            if english {
                assert!(!has_cjk(header_row), "{header_row}");
                assert!(header_row.contains("School code"), "{header_row}");
            } else {
                assert!(header_row.contains("学校标识码"), "{header_row}");
            }
            let r = app
                .upload_headers(
                    "/api/import/schools?dry_run=true",
                    Some(&admin),
                    &headers,
                    "schools.csv",
                    "text/csv",
                    export.bytes.clone(),
                )
                .await
                .expect(200);
            assert_eq!(r.body["errors"], json!([]), "{}", r.text());
            assert_eq!(r.body["total_rows"], 2, "{}", r.text());
            assert_eq!(r.body["updated"], 2, "{}", r.text());
        }
    }
);
