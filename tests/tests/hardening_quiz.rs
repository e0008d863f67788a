//! Trust boundaries around quizzes and lists: answer keys follow each quiz's review policy (and a teacher never
//! reads a colleague's attempt), absurd pages are refused instead of overflowing, keyword filters match `%` and
//! `_` literally, certificate numbers carry 65 random bits, and every response carries the browser headers
//! (Content-Security-Policy without inline script, HSTS only over HTTPS).
#![allow(clippy::unwrap_used)]

use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};
use yanxiu_tests::*;

const EXPLANATION: &str = "解析：二进制的十是 1010";

/// A province program with two approved teachers of one school: (admin, program, [teacher tokens]).
async fn program_with_teachers(app: &TestApp) -> (String, i64, [String; 2], [i64; 2]) {
    let admin = app.as_admin().await;
    let school = app
        .create_school(&admin, &school_code(91), "510104", "锦江密钥小学")
        .await;
    let code = school["code"].as_str().unwrap().to_string();
    let program = app.province_program(&admin, &code, 1.0).await;
    let mut tokens = Vec::new();
    let mut enrolments = Vec::new();
    for seq in [1u32, 2] {
        let tid = app
            .create_teacher(
                &admin,
                school["id"].as_i64().unwrap(),
                &format!("密钥教师{seq}"),
                &id_card("510104", 900 + seq),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        app.create_account(&admin, &format!("kr.t{seq}"), "teacher", &code, Some(tid))
            .await;
        tokens.push(app.login(&format!("kr.t{seq}"), PASSWORD).await);
        enrolments.push(
            app.post(
                &format!("/api/programs/{program}/enrollments"),
                &admin,
                &json!({ "teacher_id": tid }),
            )
            .await
            .expect(200)
            .id(),
        );
    }
    (
        admin,
        program,
        [tokens[0].clone(), tokens[1].clone()],
        [enrolments[0], enrolments[1]],
    )
}

/// Two single-choice questions worth 5 points each; the key of both is option 2.
async fn two_questions(app: &TestApp, admin: &str) -> [i64; 2] {
    let mut ids = Vec::new();
    for n in 1..=2 {
        let body = json!({
            "kind": "single", "subject": "信息技术", "tags": ["密钥"], "difficulty": 1,
            "stem": format!("第{n}题：十的二进制是？"), "options": ["10", "1000", "1010", "1100"],
            "answer": { "choice": 2 }, "explanation": EXPLANATION, "points": 5,
        });
        ids.push(
            app.post("/api/questions", admin, &body)
                .await
                .expect(200)
                .id(),
        );
    }
    [ids[0], ids[1]]
}

/// A published program-wide quiz of the two questions with 2 attempts; `policy` None leaves the default.
async fn quiz(
    app: &TestApp,
    admin: &str,
    program: i64,
    ids: [i64; 2],
    policy: Option<&str>,
) -> i64 {
    let mut body = json!({
        "title": "密钥测验", "mode": "fixed",
        "items": [{ "question_id": ids[0] }, { "question_id": ids[1] }],
        "opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z",
        "time_limit_minutes": 30, "attempts_allowed": 2, "pass_score": 6,
    });
    if let Some(p) = policy {
        body["key_review"] = json!(p);
    }
    let id = app
        .post(&format!("/api/programs/{program}/quizzes"), admin, &body)
        .await
        .expect(200)
        .id();
    app.post(&format!("/api/quizzes/{id}/publish"), admin, &json!({}))
        .await
        .expect(200);
    id
}

/// Starts an attempt and saves `responses` (question id → response); returns the attempt id, still running.
async fn start_and_answer(
    app: &TestApp,
    teacher: &str,
    quiz: i64,
    responses: &[(i64, Value)],
) -> i64 {
    let attempt = app
        .post(
            &format!("/api/quizzes/{quiz}/attempts"),
            teacher,
            &json!({}),
        )
        .await
        .expect(200)
        .id();
    for (question, response) in responses {
        app.put(
            &format!("/api/attempts/{attempt}/answers/{question}"),
            teacher,
            &json!({ "response": response }),
        )
        .await
        .expect(200);
    }
    attempt
}

async fn submit(app: &TestApp, teacher: &str, attempt: i64) -> Value {
    app.post(
        &format!("/api/attempts/{attempt}/submit"),
        teacher,
        &json!({}),
    )
    .await
    .expect(200)
    .body
}

/// Whether a view of an attempt reveals keys: any correct answer, explanation or per-question score.
fn reveals(view: &Value) -> bool {
    let text = view.to_string();
    let per_question = view["questions"].as_array().unwrap().iter().any(|q| {
        !q["correct_answer"].is_null() || !q["explanation"].is_null() || !q["score"].is_null()
    });
    assert_eq!(
        per_question,
        view["keys_shown"].as_bool().unwrap(),
        "keys_shown says what the view carries: {text}"
    );
    per_question || text.contains(EXPLANATION)
}

async fn attempt_view(app: &TestApp, token: &str, attempt: i64) -> Value {
    app.get(&format!("/api/attempts/{attempt}"), token)
        .await
        .expect(200)
        .body
}

/// Ends the quiz window, as if its closing time had passed.
async fn close_window(app: &TestApp, quiz: i64) {
    let row = entity::quiz::Entity::find_by_id(quiz)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut model: entity::quiz::ActiveModel = row.into();
    model.closes_at = Set(chrono::Utc::now() - chrono::Duration::seconds(1));
    model.update(&app.db).await.unwrap();
}

both_engines!(
    keys_stay_hidden_between_attempts_by_default,
    |app: TestApp| async move {
        let (admin, program, teachers, _) = program_with_teachers(&app).await;
        let ids = two_questions(&app, &admin).await;
        let quiz = quiz(&app, &admin, program, ids, None).await;
        let teacher = &teachers[0];
        let view = app
            .get(&format!("/api/quizzes/{quiz}"), teacher)
            .await
            .expect(200);
        assert_eq!(view.body["key_review"], "after_close", "the default");

        // Attempt 1, both answers wrong: the result says 0 of 10 and nothing more.
        let wrong = [
            (ids[0], json!({ "choice": 0 })),
            (ids[1], json!({ "choice": 1 })),
        ];
        let first = start_and_answer(&app, teacher, quiz, &wrong).await;
        let closed = submit(&app, teacher, first).await;
        assert_eq!(closed["score"].as_f64(), Some(0.0));
        assert!(!reveals(&closed), "{closed}");
        assert_eq!(closed["key_review"], "after_close");
        assert!(!reveals(&attempt_view(&app, teacher, first).await));
        let listed = app
            .get(&format!("/api/quizzes/{quiz}/attempts"), teacher)
            .await
            .expect(200)
            .text();
        assert!(!listed.contains(EXPLANATION) && !listed.contains("correct_answer"));

        // Attempt 2: whatever attempt 1 showed is pasted in; it cannot make 10/10.
        let shown: Vec<(i64, Value)> = closed["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                let id = q["question_id"].as_i64().unwrap();
                let key = q["correct_answer"].clone();
                (
                    id,
                    if key.is_null() {
                        q["response"].clone()
                    } else {
                        key
                    },
                )
            })
            .collect();
        let second = start_and_answer(&app, teacher, quiz, &shown).await;
        // While attempt 2 runs, attempt 1 still shows nothing.
        assert!(!reveals(&attempt_view(&app, teacher, first).await));
        let closed = submit(&app, teacher, second).await;
        assert_eq!(closed["score"].as_f64(), Some(0.0), "{closed}");
        assert!(!reveals(&closed));

        // A colleague never reads the attempt, closed or not, nor finds it in a list.
        app.get(&format!("/api/attempts/{first}"), &teachers[1])
            .await
            .expect(404);
        assert_eq!(
            app.total(&format!("/api/quizzes/{quiz}/attempts"), &teachers[1])
                .await,
            0
        );
        // The quiz's manager sees the keys of every closed attempt.
        assert!(reveals(&attempt_view(&app, &admin, first).await));

        // Once the window has ended, the teacher sees them too.
        close_window(&app, quiz).await;
        let after = attempt_view(&app, teacher, first).await;
        assert!(reveals(&after) && after.to_string().contains(EXPLANATION));
    }
);

both_engines!(each_key_review_policy, |app: TestApp| async move {
    let (admin, program, teachers, _) = program_with_teachers(&app).await;
    let ids = two_questions(&app, &admin).await;
    let teacher = &teachers[0];
    let answers = [
        (ids[0], json!({ "choice": 2 })),
        (ids[1], json!({ "choice": 0 })),
    ];
    // Visible after attempt 1 / while attempt 2 runs / after attempt 2 / after the window ends.
    for (policy, expected) in [
        ("after_each_attempt", [true, true, true, true]),
        ("after_last_attempt", [false, false, true, true]),
        ("after_close", [false, false, false, true]),
        ("never", [false, false, false, false]),
    ] {
        let quiz = quiz(&app, &admin, program, ids, Some(policy)).await;
        let first = start_and_answer(&app, teacher, quiz, &answers).await;
        assert!(
            !reveals(&attempt_view(&app, teacher, first).await),
            "{policy}: running"
        );
        let closed = submit(&app, teacher, first).await;
        let second = start_and_answer(&app, teacher, quiz, &answers).await;
        let running = attempt_view(&app, teacher, first).await;
        assert!(!reveals(&attempt_view(&app, teacher, second).await));
        let last = submit(&app, teacher, second).await;
        close_window(&app, quiz).await;
        let ended = attempt_view(&app, teacher, first).await;
        let seen = [
            reveals(&closed),
            reveals(&running),
            reveals(&last),
            reveals(&ended),
        ];
        assert_eq!(seen, expected, "{policy}");
        assert_eq!(ended["key_review"], policy);
        // Managers see the keys of closed attempts whatever the policy.
        assert!(
            reveals(&attempt_view(&app, &admin, second).await),
            "{policy}"
        );
    }
    // The policy is an enum: anything else is refused and creates nothing.
    let before = app.count_rows("quizzes").await;
    let bad = json!({
        "title": "坏策略", "mode": "fixed", "items": [{ "question_id": ids[0] }],
        "opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z",
        "time_limit_minutes": 30, "attempts_allowed": 2, "pass_score": 1, "key_review": "sometimes",
    });
    let refused = app
        .post(&format!("/api/programs/{program}/quizzes"), &admin, &bad)
        .await;
    assert!(
        matches!(refused.status, 400 | 422) && refused.content_type().contains("problem+json"),
        "{refused:?}"
    );
    assert_eq!(app.count_rows("quizzes").await, before);
});

both_engines!(absurd_pages_are_refused, |app: TestApp| async move {
    let admin = app.as_admin().await;
    app.create_school(&admin, &school_code(92), "510104", "分页小学")
        .await;
    for list in [
        "/api/schools",
        "/api/teachers",
        "/api/accounts",
        "/api/quizzes",
        "/api/certificates",
        "/api/questions",
        "/api/audit",
    ] {
        for page in ["4611686018427387904", "18446744073709551615", "1000001"] {
            let r = app.get(&format!("{list}?page={page}"), &admin).await;
            assert_eq!(r.status, 422, "{list} page={page}: {r:?}");
            assert_eq!(r.error_fields(), vec!["page".to_string()], "{list}");
        }
        let r = app
            .get(
                &format!("{list}?page=4611686018427387904&page_size=99999999999"),
                &admin,
            )
            .await;
        assert_eq!(r.status, 422, "{list}");
        // Sizes are clamped to 1..=200; the last page allowed answers (empty).
        let r = app
            .get(&format!("{list}?page=1&page_size=99999999999"), &admin)
            .await
            .expect(200);
        assert_eq!(r.body["page_size"], 200, "{list}");
        let r = app
            .get(&format!("{list}?page_size=0"), &admin)
            .await
            .expect(200);
        assert_eq!(r.body["page_size"], 1, "{list}");
        let r = app
            .get(&format!("{list}?page=500&page_size=200"), &admin)
            .await
            .expect(200);
        assert_eq!(r.body["items"], json!([]), "{list}");
        let r = app.get(&format!("{list}?page=501"), &admin).await;
        assert_eq!(r.status, 422, "{list}: past the last page a list serves");
        // Negative numbers do not parse: a problem naming the parameter, never a 500.
        for query in ["page_size=-1", "page=-5"] {
            let r = app.get(&format!("{list}?{query}"), &admin).await;
            assert!(
                matches!(r.status, 400 | 422) && r.content_type().contains("problem+json"),
                "{list}?{query}: {r:?}"
            );
        }
    }
    // The server still answers.
    app.get("/api/health", &admin).await.expect(200);
});

both_engines!(
    keyword_wildcards_match_literally,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let count = |kw: &'static str| {
            let admin = admin.clone();
            let app = &app;
            async move {
                app.total(
                    &format!("/api/schools?keyword={}", utf8_percent(kw)),
                    &admin,
                )
                .await
            }
        };
        let (percent, underscore) = (count("%").await, count("_").await);
        for (seq, name) in [(93, "百分%小学"), (94, "下划_线小学"), (95, "普通小学")] {
            app.create_school(&admin, &school_code(seq), "510104", name)
                .await;
        }
        assert_eq!(count("%").await, percent + 1, "only the name with %");
        assert_eq!(count("_").await, underscore + 1, "only the name with _");
        assert_eq!(count("百分%").await, 1);
        assert_eq!(count("普通").await, 1);

        // Accounts by display name, questions by stem: the same rule.
        let before = app
            .total(
                &format!("/api/accounts?keyword={}", utf8_percent("%")),
                &admin,
            )
            .await;
        for (username, display) in [("kw.percent", "百分%老师"), ("kw.plain", "普通老师")] {
            app.post(
                "/api/accounts",
                &admin,
                &json!({ "username": username, "password": PASSWORD, "display_name": display,
                     "role": "county_admin", "scope_code": "510104" }),
            )
            .await
            .expect(200);
        }
        assert_eq!(
            app.total(
                &format!("/api/accounts?keyword={}", utf8_percent("%")),
                &admin
            )
            .await,
            before + 1
        );
        for stem in ["增长了 50% 的题", "普通的题"] {
            let body = json!({
                "kind": "true_false", "subject": "信息技术", "tags": [], "difficulty": 1, "stem": stem,
                "options": [], "answer": { "value": true }, "explanation": "", "points": 1,
            });
            app.post("/api/questions", &admin, &body).await.expect(200);
        }
        assert_eq!(
            app.total(&format!("/api/questions?q={}", utf8_percent("%")), &admin)
                .await,
            1
        );
        assert_eq!(
            app.total(&format!("/api/questions?q={}", utf8_percent("_")), &admin)
                .await,
            0
        );
    }
);

both_engines!(
    certificate_numbers_are_unguessable,
    |app: TestApp| async move {
        let (_, program, _, enrolments) = program_with_teachers(&app).await;
        let e = entity::enrollment::Entity::find_by_id(enrolments[0])
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let p = entity::program::Entity::find_by_id(program)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        yanxiu::training::certificates::issue(&app.db, &e, &p)
            .await
            .unwrap();
        let issued = entity::certificate::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .remove(0);
        let number = issued.number.clone();
        // YX + year + 13 Crockford base32 characters (65 bits); no program or enrolment id in it.
        assert_eq!(number.len(), 19, "{number}");
        assert!(number.starts_with("YX2026"), "{number}");
        assert!(
            number[6..]
                .chars()
                .all(|c| "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)),
            "{number}"
        );
        let verify = |n: String| {
            let app = &app;
            async move {
                app.call(
                    poem::http::Method::GET,
                    &format!("/api/certificates/verify/{}", utf8_percent(&n)),
                    None,
                    None,
                )
                .await
            }
        };
        verify(number.clone()).await.expect(200);
        // Typed in lower case with dashes, it still verifies.
        let typed = format!("{}-{}", &number[..10], &number[10..]).to_lowercase();
        verify(typed).await.expect(200);
        // The old format's guess (year, program, enrolment, 4 digits) and a near miss find nothing.
        let old_guess = format!("YX{}{:04}{:07}{:04}", p.year, p.id, e.id, 1234);
        verify(old_guess).await.expect(404);
        let mut near = number.clone();
        let last = near.pop().unwrap();
        near.push(if last == 'Z' { 'Y' } else { 'Z' });
        verify(near).await.expect(404);

        // A certificate issued before keeps its number, verifies, and survives a reinstatement.
        let old_number = format!("YX2026{:04}{:07}0042", p.id, enrolments[1]);
        let other = entity::enrollment::Entity::find_by_id(enrolments[1])
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        entity::certificate::ActiveModel {
            number: Set(old_number.clone()),
            enrollment_id: Set(other.id),
            teacher_id: Set(other.teacher_id),
            program_id: Set(p.id),
            issued_at: Set(chrono::Utc::now()),
            revoked_at: Set(Some(chrono::Utc::now())),
            revoke_reason: Set(Some("学时作废".into())),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        yanxiu::training::certificates::issue(&app.db, &other, &p)
            .await
            .unwrap();
        let body = verify(old_number.clone()).await.expect(200).body;
        assert_eq!(
            (body["number"].as_str(), body["status"].as_str()),
            (Some(old_number.as_str()), Some("valid"))
        );
    }
);

/// A built SPA: an index page whose only script is a file of this origin.
fn spa_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("yanxiu-csp-spa-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><html><head><script type=\"module\" src=\"/assets/index.js\"></script></head><body><div id=\"root\"></div></body></html>",
    )
    .unwrap();
    dir
}

fn header(r: &Resp, name: &str) -> Option<String> {
    r.headers.get(name).map(|v| v.to_str().unwrap().to_string())
}

fn script_src(policy: &str) -> String {
    policy
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap()
        .to_string()
}

both_engines!(
    browser_headers_on_every_response,
    config = |c: &mut yanxiu::platform::config::Config| c.static_dir = Some(spa_dir()),
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let spa = app
            .call(poem::http::Method::GET, "/", None, None)
            .await
            .expect(200);
        for r in [
            spa,
            app.get("/api/health", &admin).await.expect(200),
            app.get("/api/schools", &admin).await.expect(200),
            app.get("/api/no-such-thing", &admin).await.expect(404),
            app.call(poem::http::Method::GET, "/api/accounts", None, None)
                .await
                .expect(401),
        ] {
            let policy = header(&r, "content-security-policy").expect("a CSP");
            assert_eq!(script_src(&policy), "script-src 'self'", "{policy}");
            assert!(
                policy.contains("frame-ancestors 'none'")
                    && policy.contains("style-src 'self' 'unsafe-inline'")
            );
            assert_eq!(
                header(&r, "x-content-type-options").as_deref(),
                Some("nosniff")
            );
            assert_eq!(
                header(&r, "referrer-policy").as_deref(),
                Some("same-origin")
            );
            assert_eq!(header(&r, "strict-transport-security"), None, "plain HTTP");
        }
        // An untrusted client claiming HTTPS gets no HSTS.
        let r = app
            .call_headers(
                poem::http::Method::GET,
                "/api/health",
                None,
                &[("x-forwarded-proto", "https".to_string())],
                None,
            )
            .await;
        assert_eq!(header(&r, "strict-transport-security"), None);
        // The Swagger UI page allows exactly its own inline scripts, by hash, and still serves its page.
        let docs = app
            .call(poem::http::Method::GET, "/api/docs/", None, None)
            .await
            .expect(200);
        let policy = header(&docs, "content-security-policy").unwrap();
        let scripts = script_src(&policy);
        assert!(
            scripts.starts_with("script-src 'self' 'sha256-"),
            "{scripts}"
        );
        assert!(!scripts.contains("unsafe"), "{scripts}");
        assert!(docs.text().contains("SwaggerUIBundle"));
    }
);

both_engines!(
    hsts_behind_a_trusted_proxy,
    config = |c: &mut yanxiu::platform::config::Config| c.trust_proxy = true,
    |app: TestApp| async move {
        let https = app
            .call_headers(
                poem::http::Method::GET,
                "/api/health",
                None,
                &[("x-forwarded-proto", "https".to_string())],
                None,
            )
            .await
            .expect(200);
        assert_eq!(
            header(&https, "strict-transport-security").as_deref(),
            Some("max-age=31536000")
        );
        let plain = app
            .call(poem::http::Method::GET, "/api/health", None, None)
            .await
            .expect(200);
        assert_eq!(header(&plain, "strict-transport-security"), None);
    }
);

both_engines!(
    hsts_when_the_public_url_is_https,
    config = |c: &mut yanxiu::platform::config::Config| c.public_url =
        "https://yanxiu.example.cn".into(),
    |app: TestApp| async move {
        let r = app
            .call(poem::http::Method::GET, "/api/health", None, None)
            .await
            .expect(200);
        assert_eq!(
            header(&r, "strict-transport-security").as_deref(),
            Some("max-age=31536000")
        );
    }
);
