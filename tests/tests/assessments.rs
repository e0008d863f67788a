//! Assessments: the question bank (scope shared down the tree, validation, XLSX round trip with an
//! all-or-nothing import), quizzes with fixed and random papers, attempts (resume, one running attempt per
//! teacher, server deadline and auto-close, no key or explanation before closing), automatic grading of every
//! kind, tutor grading of short answers, and the program's completion rule waiting for a passed quiz.
#![allow(clippy::unwrap_used)]

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use yanxiu_tests::*;

const EXPLANATION: &str = "解析：密钥只在交卷后出现";
const REFERENCE: &str = "参考答案：以学生为中心";

/// A province program (1 h to complete) with one teacher assigned and placed in a class with a tutor, and a
/// second teacher assigned but in no class.
struct Fx {
    admin: String,
    program: i64,
    class: i64,
    tutor: String,
    teachers: [String; 2],
    teacher_ids: [i64; 2],
    enrollments: [i64; 2],
}

async fn fixture(app: &TestApp) -> Fx {
    let admin = app.as_admin().await;
    let school = app
        .create_school(&admin, &school_code(81), "510104", "锦江考试小学")
        .await;
    let code = school["code"].as_str().unwrap().to_string();
    let program = app.province_program(&admin, &code, 1.0).await;
    let mut teachers = Vec::new();
    let mut teacher_ids = Vec::new();
    let mut enrollments = Vec::new();
    for seq in [1u32, 2] {
        let body = teacher_body(
            school["id"].as_i64().unwrap(),
            &format!("考试教师{seq}"),
            &id_card("510104", 800 + seq),
        );
        let tid = app
            .post("/api/teachers", &admin, &body)
            .await
            .expect(200)
            .id();
        app.create_account(&admin, &format!("qz.t{seq}"), "teacher", &code, Some(tid))
            .await;
        teachers.push(app.login(&format!("qz.t{seq}"), PASSWORD).await);
        teacher_ids.push(tid);
        let e = app
            .post(
                &format!("/api/programs/{program}/enrollments"),
                &admin,
                &json!({ "teacher_id": tid }),
            )
            .await
            .expect(200)
            .id();
        enrollments.push(e);
    }
    let tutor = app
        .create_account(&admin, "qz.tutor", "tutor", "510104", None)
        .await;
    let class = app
        .post(
            &format!("/api/programs/{program}/classes"),
            &admin,
            &json!({ "name": "测评1班" }),
        )
        .await
        .expect(200)
        .id();
    app.put(
        &format!("/api/classes/{class}/tutors"),
        &admin,
        &json!({ "account_ids": [tutor["id"]] }),
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/classes/{class}/members"),
        &admin,
        &json!({ "enrollment_ids": [enrollments[0]] }),
    )
    .await
    .expect(200);
    Fx {
        admin,
        program,
        class,
        tutor: app.login("qz.tutor", PASSWORD).await,
        teachers: [teachers[0].clone(), teachers[1].clone()],
        teacher_ids: [teacher_ids[0], teacher_ids[1]],
        enrollments: [enrollments[0], enrollments[1]],
    }
}

fn question(kind: &str, tag: &str, difficulty: i32) -> Value {
    let (options, answer) = match kind {
        "single" => (json!(["甲", "乙", "丙", "丁"]), json!({ "choice": 2 })),
        "multiple" => (json!(["TCP", "JPEG", "HTTP"]), json!({ "choices": [0, 2] })),
        "true_false" => (json!([]), json!({ "value": false })),
        "blank" => (json!([]), json!({ "blanks": ["TCP/IP|tcp-ip", "HTTP"] })),
        _ => (json!([]), json!({ "text": REFERENCE })),
    };
    json!({
        "kind": kind, "subject": "信息技术", "tags": [tag], "difficulty": difficulty,
        "stem": format!("{kind} 题干 {tag}"), "options": options, "answer": answer,
        "explanation": EXPLANATION, "points": 2,
    })
}

async fn add_question(app: &TestApp, token: &str, body: &Value) -> i64 {
    app.post("/api/questions", token, body)
        .await
        .expect(200)
        .id()
}

fn quiz_body(items: Value, class: Option<i64>) -> Value {
    json!({
        "title": "信息技术基础测验", "class_id": class, "mode": "fixed", "items": items,
        "opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z",
        "time_limit_minutes": 30, "attempts_allowed": 2, "pass_score": 6, "shuffle_options": true,
    })
}

/// Creates and publishes a quiz; returns its id.
async fn published_quiz(app: &TestApp, fx: &Fx, body: &Value) -> i64 {
    let id = app
        .post(
            &format!("/api/programs/{}/quizzes", fx.program),
            &fx.admin,
            body,
        )
        .await
        .expect(200)
        .id();
    app.post(&format!("/api/quizzes/{id}/publish"), &fx.admin, &json!({}))
        .await
        .expect(200);
    id
}

/// No key, score or explanation anywhere in a running attempt's response.
fn assert_no_key(attempt: &Value) {
    let text = attempt.to_string();
    assert!(
        !text.contains(EXPLANATION) && !text.contains(REFERENCE),
        "{text}"
    );
    for q in attempt["questions"].as_array().unwrap() {
        assert!(
            q["correct_answer"].is_null() && q["explanation"].is_null() && q["score"].is_null(),
            "{q}"
        );
    }
}

both_engines!(question_bank, |app: TestApp| async move {
    let fx = fixture(&app).await;
    let province = add_question(&app, &fx.admin, &question("single", "网络", 1)).await;
    // Shape and key checks name their field.
    let mut bad = question("single", "网络", 1);
    bad["answer"] = json!({ "choice": 9 });
    app.post("/api/questions", &fx.admin, &bad)
        .await
        .expect_field_error("answer");
    bad = question("multiple", "网络", 1);
    bad["options"] = json!(["只有一个"]);
    app.post("/api/questions", &fx.admin, &bad)
        .await
        .expect_field_error("options");
    // Teachers, reviewers and tutors have no bank.
    app.get("/api/questions", &fx.teachers[0]).await.expect(403);
    app.get(&format!("/api/questions/{province}"), &fx.teachers[0])
        .await
        .expect(404);
    // A county reads the province's bank but cannot change it; its own questions are not the sibling's.
    let (_, county) = app
        .region_admin("qz.county", "county_admin", "510104")
        .await;
    let (_, sibling) = app
        .region_admin("qz.sibling", "county_admin", "510105")
        .await;
    app.get(&format!("/api/questions/{province}"), &county)
        .await
        .expect(200);
    app.put(
        &format!("/api/questions/{province}"),
        &county,
        &question("single", "改", 1),
    )
    .await
    .expect(403);
    let own = add_question(&app, &county, &question("true_false", "县题", 2)).await;
    app.get(&format!("/api/questions/{own}"), &sibling)
        .await
        .expect(404);
    assert_eq!(app.total("/api/questions", &county).await, 2);
    assert_eq!(
        app.total("/api/questions?tag=%E5%8E%BF%E9%A2%98", &county)
            .await,
        1
    );
    assert_eq!(app.total("/api/questions", &sibling).await, 1);
    // Retired questions leave the list unless asked for.
    app.post(&format!("/api/questions/{own}/retire"), &county, &json!({}))
        .await
        .expect(200);
    assert_eq!(app.total("/api/questions", &county).await, 1);
    assert_eq!(
        app.total("/api/questions?include_inactive=true", &county)
            .await,
        2
    );

    // Every kind round-trips through the spreadsheet into another node's bank.
    for kind in ["multiple", "blank", "short"] {
        add_question(&app, &fx.admin, &question(kind, "导出", 3)).await;
    }
    let sheet = app
        .get(
            "/api/questions/export?tag=%E5%AF%BC%E5%87%BA&format=xlsx",
            &fx.admin,
        )
        .await
        .expect(200);
    let bytes = sheet.bytes.clone();
    let dry = app
        .upload(
            "/api/questions/import?owner_code=510105",
            Some(&sibling),
            "q.xlsx",
            "application/octet-stream",
            bytes.clone(),
        )
        .await
        .expect(200);
    assert_eq!(
        (
            dry.body["total_rows"].as_u64(),
            dry.body["committed"].as_bool()
        ),
        (Some(3), Some(false))
    );
    // Exported in English, the sheet reads back too.
    let english = [("accept-language", "en".to_string())];
    let sheet_en = app
        .call_headers(
            poem::http::Method::GET,
            "/api/questions/export?tag=%E5%AF%BC%E5%87%BA&format=csv",
            Some(&fx.admin),
            &english,
            None,
        )
        .await
        .expect(200);
    assert!(
        sheet_en
            .text()
            .lines()
            .next()
            .unwrap()
            .starts_with("\u{feff}kind,subject")
    );
    let dry_en = app
        .upload_headers(
            "/api/questions/import?owner_code=510105",
            Some(&sibling),
            &english,
            "q.csv",
            "text/csv",
            sheet_en.bytes,
        )
        .await
        .expect(200);
    assert_eq!(dry_en.body["errors"], json!([]), "{}", dry_en.text());
    assert_eq!(dry_en.body["total_rows"], 3);
    let done = app
        .upload(
            "/api/questions/import?owner_code=510105&dry_run=false",
            Some(&sibling),
            "q.xlsx",
            "application/octet-stream",
            bytes,
        )
        .await
        .expect(200);
    assert_eq!(done.body["committed"], json!(true), "{}", done.body);
    let imported = app
        .get(
            "/api/questions?owner=510105&tag=%E5%AF%BC%E5%87%BA",
            &sibling,
        )
        .await
        .expect(200);
    let keys: Vec<(String, Value)> = imported.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["owner_code"] == "510105")
        .map(|q| (q["kind"].as_str().unwrap().to_string(), q["answer"].clone()))
        .collect();
    assert_eq!(keys.len(), 3, "{keys:?}");
    assert!(keys.contains(&("multiple".into(), json!({ "choices": [0, 2] }))));
    assert!(keys.contains(&(
        "blank".into(),
        json!({ "blanks": ["TCP/IP|tcp-ip", "HTTP"] })
    )));
    // One bad line: nothing is written, every problem is reported by line and column.
    let before = app.count_rows("questions").await;
    let csv = "题型,学科,标签,难度,题干,选项A,选项B,答案\n单选,语文,,2,好题,甲,乙,A\n单选,语文,,9,坏题,甲,乙,C\n";
    let report = app
        .upload(
            "/api/questions/import?dry_run=false",
            Some(&fx.admin),
            "q.csv",
            "text/csv",
            csv.as_bytes().to_vec(),
        )
        .await
        .expect(200);
    assert_eq!(report.body["committed"], json!(false));
    let lines: Vec<u64> = report.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![3, 3], "{}", report.body);
    assert_eq!(app.count_rows("questions").await, before);
});

both_engines!(
    attempt_grading_and_no_early_keys,
    |app: TestApp| async move {
        let fx = fixture(&app).await;
        let mut ids = Vec::new();
        for kind in ["single", "multiple", "true_false", "blank", "short"] {
            ids.push(add_question(&app, &fx.admin, &question(kind, "基础", 2)).await);
        }
        let items: Vec<Value> = ids.iter().map(|id| json!({ "question_id": id })).collect();
        let mut body = quiz_body(json!(items), Some(fx.class));
        // This journey reads the keys right after handing in; the policies have their own test.
        body["key_review"] = json!("after_each_attempt");
        let quiz = published_quiz(&app, &fx, &body).await;
        // The quiz belongs to the class: the teacher outside it does not see it; the tutor and the teacher do.
        app.get(&format!("/api/quizzes/{quiz}"), &fx.teachers[1])
            .await
            .expect(404);
        assert_eq!(app.total("/api/quizzes", &fx.teachers[1]).await, 0);
        assert_eq!(app.total("/api/quizzes", &fx.teachers[0]).await, 1);
        app.get(&format!("/api/quizzes/{quiz}"), &fx.tutor)
            .await
            .expect(200);
        let teacher = &fx.teachers[0];
        // Staff do not take quizzes.
        app.post(
            &format!("/api/quizzes/{quiz}/attempts"),
            &fx.tutor,
            &json!({}),
        )
        .await
        .expect(403);

        let started = app
            .post(
                &format!("/api/quizzes/{quiz}/attempts"),
                teacher,
                &json!({}),
            )
            .await
            .expect(200);
        assert_no_key(&started.body);
        let attempt = started.id();
        let questions = started.body["questions"].as_array().unwrap().clone();
        assert_eq!(questions.len(), 5);
        // Options keep their keys whatever order they are shown in.
        let single = questions.iter().find(|q| q["kind"] == "single").unwrap();
        let mut keys: Vec<i64> = single["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["key"].as_i64().unwrap())
            .collect();
        keys.sort();
        assert_eq!(keys, vec![0, 1, 2, 3]);
        // Starting again resumes the same attempt (a reload); so do two starts at once.
        let again = app
            .post(
                &format!("/api/quizzes/{quiz}/attempts"),
                teacher,
                &json!({}),
            )
            .await
            .expect(200);
        assert_eq!(again.id(), attempt);
        let start = format!("/api/quizzes/{quiz}/attempts");
        let empty = json!({});
        let (a, b) = tokio::join!(
            app.post(&start, teacher, &empty),
            app.post(&start, teacher, &empty)
        );
        assert_eq!((a.expect(200).id(), b.expect(200).id()), (attempt, attempt));
        assert_eq!(app.count_rows("quiz_attempts").await, 1);

        // Answers autosave and come back on reload; a wrong shape is refused by field.
        save(&app, teacher, attempt, ids[0], json!({ "choice": 7 }))
            .await
            .expect_field_error("response");
        save(&app, teacher, attempt, ids[0], json!({ "choice": 1 }))
            .await
            .expect(200);
        save(&app, teacher, attempt, ids[0], json!({ "choice": 2 }))
            .await
            .expect(200);
        save(&app, teacher, attempt, ids[1], json!({ "choices": [2, 0] }))
            .await
            .expect(200);
        save(&app, teacher, attempt, ids[2], json!({ "value": true }))
            .await
            .expect(200);
        save(
            &app,
            teacher,
            attempt,
            ids[3],
            json!({ "blanks": ["tcp-ip", "ftp"] }),
        )
        .await
        .expect(200);
        save(
            &app,
            teacher,
            attempt,
            ids[4],
            json!({ "text": "以学生为中心的设计" }),
        )
        .await
        .expect(200);
        // Someone else's attempt is not there.
        app.put(
            &format!("/api/attempts/{attempt}/answers/{}", ids[0]),
            &fx.teachers[1],
            &json!({ "response": { "choice": 0 } }),
        )
        .await
        .expect(404);
        let reloaded = app
            .get(&format!("/api/attempts/{attempt}"), teacher)
            .await
            .expect(200);
        assert_no_key(&reloaded.body);
        let first = reloaded.body["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["question_id"] == ids[0])
            .unwrap()
            .clone();
        assert_eq!(first["response"], json!({ "choice": 2 }));
        // Nor do the tutor's views of a running attempt carry keys.
        let tutor_view = app
            .get(&format!("/api/attempts/{attempt}"), &fx.tutor)
            .await
            .expect(200);
        assert_no_key(&tutor_view.body);
        // Nor do the teacher's views of the quiz (no paper), the quiz list or an autosave's answer.
        for path in [format!("/api/quizzes/{quiz}"), "/api/quizzes".to_string()] {
            let text = app.get(&path, teacher).await.expect(200).text();
            assert!(
                !text.contains(EXPLANATION) && !text.contains("\"question_id\""),
                "{text}"
            );
        }
        let saved = save(
            &app,
            teacher,
            attempt,
            ids[4],
            json!({ "text": "再改一次" }),
        )
        .await
        .expect(200);
        assert!(!saved.text().contains(REFERENCE));
        app.post(
            &format!("/api/attempts/{attempt}/answers/{}/grade", ids[4]),
            &fx.tutor,
            &json!({ "score": 1, "comment": "早" }),
        )
        .await
        .expect(409);

        // Handing in grades the objective questions: single 2, multiple 2, true/false 0, blanks 1 of 2 = 1.
        let closed = app
            .post(
                &format!("/api/attempts/{attempt}/submit"),
                teacher,
                &json!({}),
            )
            .await
            .expect(200);
        assert_eq!(closed.body["status"], "grading");
        assert_eq!(closed.body["pending_grading"], 1);
        let score_of = |body: &Value, qid: i64| {
            body["questions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|q| q["question_id"] == qid)
                .unwrap()["score"]
                .as_f64()
        };
        assert_eq!(
            [0, 1, 2, 3].map(|i| score_of(&closed.body, ids[i])),
            [Some(2.0), Some(2.0), Some(0.0), Some(1.0)]
        );
        assert!(closed.body.to_string().contains(EXPLANATION));
        save(&app, teacher, attempt, ids[0], json!({ "choice": 0 }))
            .await
            .expect(409);

        // The tutor grades the short answer (comment required, at most its points); that completes the result.
        app.get(
            &format!("/api/quizzes/{quiz}/attempts?status=grading"),
            &fx.tutor,
        )
        .await
        .expect(200);
        assert_eq!(
            app.total(
                &format!("/api/quizzes/{quiz}/attempts?status=grading"),
                &fx.tutor
            )
            .await,
            1
        );
        let grade = format!("/api/attempts/{attempt}/answers/{}/grade", ids[4]);
        app.post(&grade, &fx.tutor, &json!({ "score": 5, "comment": "好" }))
            .await
            .expect_field_error("score");
        app.post(&grade, &fx.tutor, &json!({ "score": 1.5 }))
            .await
            .expect(422);
        app.post(&grade, teacher, &json!({ "score": 2, "comment": "自评" }))
            .await
            .expect(403);
        let graded = app
            .post(
                &grade,
                &fx.tutor,
                &json!({ "score": 1.5, "comment": "要点基本齐全" }),
            )
            .await
            .expect(200);
        assert_eq!(graded.body["status"], "graded");
        assert_eq!(graded.body["score"].as_f64(), Some(6.5));
        assert_eq!(graded.body["passed"], json!(true));
        let mine = app
            .get(&format!("/api/attempts/{attempt}"), teacher)
            .await
            .expect(200);
        let short = mine.body["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["question_id"] == ids[4])
            .unwrap()
            .clone();
        assert_eq!(
            (
                short["comment"].as_str(),
                short["correct_answer"]["text"].as_str()
            ),
            (Some("要点基本齐全"), Some(REFERENCE))
        );
        let quiz_view = app
            .get(&format!("/api/quizzes/{quiz}"), teacher)
            .await
            .expect(200);
        assert_eq!(
            (
                quiz_view.body["mine"]["passed"].as_bool(),
                quiz_view.body["mine"]["best_score"].as_f64()
            ),
            (Some(true), Some(6.5))
        );
    }
);

async fn save(app: &TestApp, teacher: &str, attempt: i64, question: i64, response: Value) -> Resp {
    let body = json!({ "response": response });
    app.put(
        &format!("/api/attempts/{attempt}/answers/{question}"),
        teacher,
        &body,
    )
    .await
}

/// One whole attempt: start, answer the one question, hand in; returns the closed attempt.
async fn take(app: &TestApp, teacher: &str, quiz: i64, question: i64, response: Value) -> Resp {
    let start = format!("/api/quizzes/{quiz}/attempts");
    let attempt = app.post(&start, teacher, &json!({})).await.expect(200).id();
    save(app, teacher, attempt, question, response)
        .await
        .expect(200);
    let submit = format!("/api/attempts/{attempt}/submit");
    app.post(&submit, teacher, &json!({})).await.expect(200)
}

async fn status(app: &TestApp, fx: &Fx) -> String {
    let e = app
        .get(
            &format!("/api/enrollments/{}", fx.enrollments[1]),
            &fx.admin,
        )
        .await
        .expect(200);
    e.body["training_status"].as_str().unwrap().to_string()
}

/// Moves an attempt's deadline into the past, as if its time had run out.
async fn expire(app: &TestApp, attempt: i64) {
    use sea_orm::{ActiveModelTrait, Set};
    let row = entity::quiz_attempt::Entity::find_by_id(attempt)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let past = row.started_at - chrono::Duration::seconds(1);
    let mut model: entity::quiz_attempt::ActiveModel = row.into();
    model.deadline_at = Set(past);
    model.update(&app.db).await.unwrap();
}

both_engines!(server_deadline_and_auto_close, |app: TestApp| async move {
    let fx = fixture(&app).await;
    let q = add_question(&app, &fx.admin, &question("single", "限时", 1)).await;
    let mut body = quiz_body(json!([{ "question_id": q, "points": 10 }]), None);
    body["time_limit_minutes"] = json!(1);
    body["pass_score"] = json!(10);
    let quiz = published_quiz(&app, &fx, &body).await;
    let teacher = &fx.teachers[1];
    let started = app
        .post(
            &format!("/api/quizzes/{quiz}/attempts"),
            teacher,
            &json!({}),
        )
        .await
        .expect(200);
    let attempt = started.id();
    let at =
        |k: &str| chrono::DateTime::parse_from_rfc3339(started.body[k].as_str().unwrap()).unwrap();
    assert_eq!(
        (at("deadline_at") - at("started_at")).num_seconds(),
        60,
        "the limit is the server's"
    );
    app.put(
        &format!("/api/attempts/{attempt}/answers/{q}"),
        teacher,
        &json!({ "response": { "choice": 2 } }),
    )
    .await
    .expect(200);
    // Time runs out: the next save is refused and the attempt has closed itself with what was saved.
    expire(&app, attempt).await;
    app.put(
        &format!("/api/attempts/{attempt}/answers/{q}"),
        teacher,
        &json!({ "response": { "choice": 0 } }),
    )
    .await
    .expect_problem(409, "conflict");
    let closed = app
        .get(&format!("/api/attempts/{attempt}"), teacher)
        .await
        .expect(200);
    assert_eq!(
        (
            closed.body["status"].as_str(),
            closed.body["closed_by_timeout"].as_bool()
        ),
        (Some("graded"), Some(true))
    );
    assert_eq!(
        (
            closed.body["score"].as_f64(),
            closed.body["passed"].as_bool()
        ),
        (Some(10.0), Some(true))
    );
    // An abandoned attempt is closed by the sweeper without anyone opening it.
    let second = app
        .post(
            &format!("/api/quizzes/{quiz}/attempts"),
            teacher,
            &json!({}),
        )
        .await
        .expect(200)
        .id();
    assert_ne!(second, attempt);
    expire(&app, second).await;
    assert_eq!(
        yanxiu::assessment::attempts::close_expired(&app.db)
            .await
            .unwrap(),
        1
    );
    let row = entity::quiz_attempt::Entity::find_by_id(second)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.status.as_str(), row.score, row.closed_by_timeout),
        ("graded", Some(0.0), true)
    );
    // Two attempts allowed, both used.
    app.post(
        &format!("/api/quizzes/{quiz}/attempts"),
        teacher,
        &json!({}),
    )
    .await
    .expect_problem(409, "conflict");
    let attempts = entity::quiz_attempt::Entity::find()
        .filter(entity::quiz_attempt::Column::TeacherId.eq(fx.teacher_ids[1]))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(attempts.len(), 2);
});

both_engines!(random_papers, |app: TestApp| async move {
    let fx = fixture(&app).await;
    let mut easy = Vec::new();
    for _ in 0..4 {
        easy.push(add_question(&app, &fx.admin, &question("single", "甲", 1)).await);
    }
    let mut hard = Vec::new();
    for _ in 0..3 {
        hard.push(add_question(&app, &fx.admin, &question("true_false", "甲", 4)).await);
    }
    add_question(&app, &fx.admin, &question("single", "乙", 1)).await;
    let mut body = quiz_body(json!([]), None);
    body["mode"] = json!("random");
    body["pass_score"] = json!(1);
    body["sections"] = json!([
        { "tag": "甲", "difficulty": 1, "count": 3, "points": 2 },
        { "tag": "甲", "count": 2, "points": 3 },
    ]);
    let created = app
        .post(
            &format!("/api/programs/{}/quizzes", fx.program),
            &fx.admin,
            &body,
        )
        .await
        .expect(200);
    assert_eq!(
        (
            created.body["total_points"].as_f64(),
            created.body["question_count"].as_i64()
        ),
        (Some(12.0), Some(5))
    );
    // More than the bank holds: publishing names the section.
    let mut too_many = body.clone();
    too_many["sections"][1]["count"] = json!(9);
    let over = app
        .post(
            &format!("/api/programs/{}/quizzes", fx.program),
            &fx.admin,
            &too_many,
        )
        .await
        .expect(200)
        .id();
    app.post(
        &format!("/api/quizzes/{over}/publish"),
        &fx.admin,
        &json!({}),
    )
    .await
    .expect_field_error("sections[1]");
    let quiz = created.id();
    app.post(
        &format!("/api/quizzes/{quiz}/publish"),
        &fx.admin,
        &json!({}),
    )
    .await
    .expect(200);
    // Each teacher draws 3 easy 甲 questions worth 2 and 2 more 甲 questions worth 3, never one twice.
    for teacher in &fx.teachers {
        let a = app
            .post(
                &format!("/api/quizzes/{quiz}/attempts"),
                teacher,
                &json!({}),
            )
            .await
            .expect(200);
        let drawn: Vec<(i64, f64)> = a.body["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                (
                    q["question_id"].as_i64().unwrap(),
                    q["points"].as_f64().unwrap(),
                )
            })
            .collect();
        assert_eq!(drawn.len(), 5);
        assert!(
            drawn[..3]
                .iter()
                .all(|(id, p)| easy.contains(id) && *p == 2.0),
            "{drawn:?}"
        );
        assert!(
            drawn[3..]
                .iter()
                .all(|(id, p)| (easy.contains(id) || hard.contains(id)) && *p == 3.0),
            "{drawn:?}"
        );
        let distinct: std::collections::BTreeSet<i64> = drawn.iter().map(|(id, _)| *id).collect();
        assert_eq!(distinct.len(), 5);
    }
    // A published quiz is fixed.
    app.put(&format!("/api/quizzes/{quiz}"), &fx.admin, &body)
        .await
        .expect_problem(409, "conflict");
});

both_engines!(completion_waits_for_the_quiz, |app: TestApp| async move {
    let fx = fixture(&app).await;
    let q = add_question(&app, &fx.admin, &question("true_false", "结业", 1)).await;
    let mut body = quiz_body(json!([{ "question_id": q, "points": 10 }]), None);
    body["counts_for_completion"] = json!(true);
    body["pass_score"] = json!(10);
    let quiz = published_quiz(&app, &fx, &body).await;
    let teacher = &fx.teachers[1];
    // Hours alone no longer complete the program.
    app.post(
        "/api/hours",
        &fx.admin,
        &json!({ "teacher_id": fx.teacher_ids[1], "enrollment_id": fx.enrollments[1], "category": "online",
            "hours": 1, "occurred_on": "2026-04-01", "source": "course" }),
    )
    .await
    .expect(200);
    assert_eq!(status(&app, &fx).await, "reported");
    // A failed attempt changes nothing; a passed one completes the enrolment and issues the certificate.
    let failed = take(&app, teacher, quiz, q, json!({ "value": true })).await;
    assert_eq!(failed.body["passed"], json!(false));
    assert_eq!(status(&app, &fx).await, "reported");
    let passed = take(&app, teacher, quiz, q, json!({ "value": false })).await;
    assert_eq!(passed.body["passed"], json!(true));
    assert_eq!(status(&app, &fx).await, "completed");
    let certs = app.get("/api/certificates", teacher).await.expect(200);
    assert_eq!(certs.body["total"], 1);
});
