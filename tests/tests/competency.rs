//! 能力点 (issue #6): the versioned catalogue, a school's plan, evidence with resubmission history, grades derived
//! from the reviewer's checklist, the county's reproducible spot-check sample and its override with a reason, the
//! pass-rate report — each on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use yanxiu_tests::*;

const YEAR: i32 = 2026;

/// School S1 (锦江区) with a school admin, a reviewer bound to it and four teachers with accounts; school S2 (also
/// 锦江区) with its own reviewer; a reviewer and the county admin bound to 锦江区; the catalogue published and
/// S1's 2026 plan (A1 compulsory, A3 B3 B6 C4 optional, 3 to pass).
struct Fx {
    admin: String,
    school_admin: String,
    school_code: String,
    reviewer: String,
    other_reviewer: String,
    county_reviewer: String,
    county_admin: String,
    teachers: Vec<String>,
    teacher_ids: Vec<i64>,
    catalog: i64,
}

async fn fixture(app: &TestApp) -> Fx {
    let admin = app.as_admin().await;
    let catalog = app.publish_competency_catalogue().await;
    let s1 = app
        .create_school(&admin, &school_code(91), "510104", "锦江能力点小学")
        .await;
    let s2 = app
        .create_school(&admin, &school_code(92), "510104", "锦江第二小学")
        .await;
    let code = s1["code"].as_str().unwrap().to_string();
    let code2 = s2["code"].as_str().unwrap().to_string();
    app.create_account(&admin, "cp.sa", "school_admin", &code, None)
        .await;
    app.create_account(&admin, "cp.rev", "reviewer", &code, None)
        .await;
    app.create_account(&admin, "cp.rev2", "reviewer", &code2, None)
        .await;
    app.create_account(&admin, "cp.crev", "reviewer", "510104", None)
        .await;
    app.create_account(&admin, "cp.county", "county_admin", "510104", None)
        .await;
    let mut teachers = Vec::new();
    let mut teacher_ids = Vec::new();
    for seq in 1..=4u32 {
        let mut body = teacher_body(
            s1["id"].as_i64().unwrap(),
            &format!("能力点教师{seq}"),
            &id_card("510104", 800 + seq),
        );
        body["email"] = json!(format!("cp{seq}@example.cn"));
        let tid = app
            .post("/api/teachers", &admin, &body)
            .await
            .expect(200)
            .id();
        app.create_account(&admin, &format!("cp.t{seq}"), "teacher", &code, Some(tid))
            .await;
        teachers.push(app.login(&format!("cp.t{seq}"), PASSWORD).await);
        teacher_ids.push(tid);
    }
    let school_admin = app.login("cp.sa", PASSWORD).await;
    app.put(
        "/api/competency/plans",
        &school_admin,
        &plan_body(
            &code,
            &[
                ("A1", true),
                ("A3", false),
                ("B3", false),
                ("B6", false),
                ("C4", false),
            ],
        ),
    )
    .await
    .expect(200);
    Fx {
        school_admin,
        school_code: code,
        reviewer: app.login("cp.rev", PASSWORD).await,
        other_reviewer: app.login("cp.rev2", PASSWORD).await,
        county_reviewer: app.login("cp.crev", PASSWORD).await,
        county_admin: app.login("cp.county", PASSWORD).await,
        admin,
        teachers,
        teacher_ids,
        catalog,
    }
}

fn plan_body(school: &str, points: &[(&str, bool)]) -> Value {
    json!({
        "school_code": school, "year": YEAR, "required_passes": 3,
        "points": points.iter().map(|(c, k)| json!({ "code": c, "compulsory": k })).collect::<Vec<_>>(),
    })
}

fn evidence(code: &str, text: &str) -> Value {
    json!({ "year": YEAR, "code": code, "items": [{ "key": "design", "text": text }] })
}

fn checklist(excellent: [bool; 2], pass: [bool; 2], comment: Option<&str>) -> Value {
    json!({ "excellent": excellent, "pass": pass, "comment": comment })
}

async fn submit(app: &TestApp, teacher: &str, code: &str) -> i64 {
    app.post(
        "/api/competency/submissions",
        teacher,
        &evidence(code, "我的教学设计"),
    )
    .await
    .expect(200)
    .id()
}

async fn review(app: &TestApp, token: &str, id: i64, body: &Value) -> Resp {
    app.post(
        &format!("/api/competency/submissions/{id}/review"),
        token,
        body,
    )
    .await
}

both_engines!(
    catalogue_is_versioned_and_edited_by_the_province,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let draft = app
            .get("/api/competency/catalogs?status=draft", &admin)
            .await
            .expect(200);
        let id = draft.body["items"][0]["id"].as_i64().unwrap();
        let v1 = app
            .get(&format!("/api/competency/catalogs/{id}"), &admin)
            .await
            .expect(200);
        let points = v1.body["points"].as_array().unwrap();
        assert_eq!(points.len(), 30);
        let codes: Vec<&str> = points.iter().map(|p| p["code"].as_str().unwrap()).collect();
        assert_eq!(codes.iter().filter(|c| c.starts_with('A')).count(), 13);
        assert_eq!(codes.iter().filter(|c| c.starts_with('B')).count(), 10);
        assert_eq!(codes.iter().filter(|c| c.starts_with('C')).count(), 7);
        let c4 = points.iter().find(|p| p["code"] == "C4").unwrap();
        assert_eq!(c4["name"], "支持学生创造性学习与表达");
        assert_eq!(c4["dimension"], "guidance");
        assert_eq!(c4["environment"], "C");
        let a2 = points.iter().find(|p| p["code"] == "A2").unwrap();
        assert_eq!(a2["name"], "A2（待省级填写）");
        assert_eq!(a2["complete"], false);

        // A city admin sees no draft, cannot edit, and nothing is published yet.
        let (_, city) = app.region_admin("cp.city", "city_admin", "510100").await;
        assert_eq!(app.total("/api/competency/catalogs", &city).await, 0);
        app.get(&format!("/api/competency/catalogs/{id}"), &city)
            .await
            .expect_problem(404, "not_found");
        app.post("/api/competency/catalogs", &city, &json!({}))
            .await
            .expect_problem(403, "forbidden");

        // Publishing with incomplete cards names each of them, and changes nothing.
        let r = app
            .post(
                &format!("/api/competency/catalogs/{id}/publish"),
                &admin,
                &json!({}),
            )
            .await
            .expect_field_error("points.A2");
        assert_eq!(r.error_fields().len(), 30);
        // A second draft cannot start while one is open.
        app.post("/api/competency/catalogs", &admin, &json!({}))
            .await
            .expect_problem(409, "conflict");
        // A checklist item must be one line of 1–500 characters.
        let mut bad = competency_card("A1", 0);
        bad["pass_criteria"] = json!(["  "]);
        app.put(
            &format!("/api/competency/catalogs/{id}/points/A1"),
            &admin,
            &bad,
        )
        .await
        .expect_field_error("pass_criteria[0]");

        let published = app.publish_competency_catalogue().await;
        assert_eq!(published, id);
        assert_eq!(app.total("/api/competency/catalogs", &city).await, 1);
        app.put(
            &format!("/api/competency/catalogs/{id}/points/A1"),
            &admin,
            &competency_card("A1", 0),
        )
        .await
        .expect_problem(409, "conflict");

        // Version 2: a copy of version 1, edited and published; version 1 is retired.
        let v2 = app
            .post("/api/competency/catalogs", &admin, &json!({}))
            .await
            .expect(200);
        assert_eq!(v2.body["version"], 2);
        assert_eq!(v2.body["based_on"], id);
        let v2id = v2.id();
        let mut card = competency_card("A1", 0);
        card["name"] = json!("技术支持的学情分析");
        let edited = app
            .put(
                &format!("/api/competency/catalogs/{v2id}/points/A1"),
                &admin,
                &card,
            )
            .await
            .expect(200);
        assert_eq!(edited.body["complete"], true);
        app.post(
            &format!("/api/competency/catalogs/{v2id}/publish"),
            &admin,
            &json!({}),
        )
        .await
        .expect(200);
        let v1 = app
            .get(&format!("/api/competency/catalogs/{id}"), &admin)
            .await
            .expect(200);
        assert_eq!(v1.body["status"], "retired");
        let audit = app
            .get("/api/audit?page_size=100", &admin)
            .await
            .expect(200);
        assert!(audit.text().contains("competency.catalog.publish"));
    }
);

both_engines!(school_admin_makes_the_plan, |app: TestApp| async move {
    let fx = fixture(&app).await;
    let plans = app
        .get("/api/competency/plans?year=2026", &fx.school_admin)
        .await
        .expect(200);
    assert_eq!(plans.body["total"], 1);
    let plan = &plans.body["items"][0];
    assert_eq!(plan["required_passes"], 3);
    assert_eq!(plan["catalog_id"], fx.catalog);
    assert_eq!(plan["points"].as_array().unwrap().len(), 5);
    assert_eq!(plan["points"][0]["code"], "A1");
    assert_eq!(plan["points"][0]["compulsory"], true);
    // Unknown code, too few points, more compulsory points than must pass: 422, nothing changes.
    app.put(
        "/api/competency/plans",
        &fx.school_admin,
        &plan_body(&fx.school_code, &[("Z9", false)]),
    )
    .await
    .expect_field_error("points[0].code");
    app.put(
        "/api/competency/plans",
        &fx.school_admin,
        &plan_body(&fx.school_code, &[("A1", true), ("A3", false)]),
    )
    .await
    .expect_field_error("required_passes");
    let all_compulsory = [("A1", true), ("A3", true), ("B3", true), ("B6", true)];
    app.put(
        "/api/competency/plans",
        &fx.school_admin,
        &plan_body(&fx.school_code, &all_compulsory),
    )
    .await
    .expect_field_error("points");
    // Another school is not mine (422 on the field); a teacher has no plan permission at all (403).
    app.put(
        "/api/competency/plans",
        &fx.school_admin,
        &plan_body(
            &school_code(92),
            &[("A1", true), ("A3", false), ("B3", false)],
        ),
    )
    .await
    .expect_field_error("school_code");
    app.put(
        "/api/competency/plans",
        &fx.teachers[0],
        &plan_body(&fx.school_code, &[("A1", true)]),
    )
    .await
    .expect_problem(403, "forbidden");
    // The teacher sees the plan's cards; a point outside the plan takes no evidence.
    let mine = app
        .get("/api/my/competency?year=2026", &fx.teachers[0])
        .await
        .expect(200);
    assert_eq!(mine.body["cards"].as_array().unwrap().len(), 5);
    assert_eq!(mine.body["required"], 3);
    app.post(
        "/api/competency/submissions",
        &fx.teachers[0],
        &evidence("A2", "x"),
    )
    .await
    .expect_field_error("code");
    // A required evidence item must be given.
    let empty =
        json!({ "year": YEAR, "code": "A1", "items": [{ "key": "reflection", "text": "反思" }] });
    app.post("/api/competency/submissions", &fx.teachers[0], &empty)
        .await
        .expect_field_error("items.design");
    // No plan for another year.
    let other_year =
        json!({ "year": 2027, "code": "A1", "items": [{ "key": "design", "text": "x" }] });
    app.post("/api/competency/submissions", &fx.teachers[0], &other_year)
        .await
        .expect_problem(409, "conflict");
});

both_engines!(
    grade_is_derived_from_the_checklist,
    |app: TestApp| async move {
        let fx = fixture(&app).await;
        let s = submit(&app, &fx.teachers[0], "A1").await;
        // Someone else's school reviewer does not see it; the county reviewer sees it but grades only drawn ones.
        review(
            &app,
            &fx.other_reviewer,
            s,
            &checklist([true, true], [true, true], None),
        )
        .await
        .expect_problem(404, "not_found");
        review(
            &app,
            &fx.county_reviewer,
            s,
            &checklist([true, true], [true, true], None),
        )
        .await
        .expect_problem(403, "forbidden");
        review(
            &app,
            &fx.teachers[0],
            s,
            &checklist([true, true], [true, true], None),
        )
        .await
        .expect_problem(403, "forbidden");
        // One tick per criterion.
        review(
            &app,
            &fx.reviewer,
            s,
            &json!({ "excellent": [true], "pass": [true, true] }),
        )
        .await
        .expect_field_error("excellent");
        // Every 合格 criterion but not every 优秀 one: 合格.
        let r = review(
            &app,
            &fx.reviewer,
            s,
            &checklist([true, false], [true, true], None),
        )
        .await
        .expect(200);
        assert_eq!(r.body["school_review"]["grade"], "pass");
        assert_eq!(r.body["final_grade"], "pass");
        // Every criterion: 优秀 (the school may regrade until the county spot-checks).
        let r = review(
            &app,
            &fx.reviewer,
            s,
            &checklist([true, true], [true, true], None),
        )
        .await
        .expect(200);
        assert_eq!(r.body["final_grade"], "excellent");
        // 优秀 criteria without every 合格 one: 不合格, which needs a comment.
        let s2 = submit(&app, &fx.teachers[1], "A1").await;
        review(
            &app,
            &fx.reviewer,
            s2,
            &checklist([true, true], [true, false], None),
        )
        .await
        .expect_field_error("comment");
        let r = review(
            &app,
            &fx.reviewer,
            s2,
            &checklist([true, true], [true, false], Some("缺少教学反思")),
        )
        .await
        .expect(200);
        assert_eq!(r.body["final_grade"], "fail");
        assert_eq!(r.body["school_review"]["comment"], "缺少教学反思");

        // passed_points counts latest final grades of 合格 or 优秀.
        let n = yanxiu::training::completion::passed_points(&app.db, fx.teacher_ids[0], YEAR)
            .await
            .unwrap();
        assert_eq!(n, 1);
        let n = yanxiu::training::completion::passed_points(&app.db, fx.teacher_ids[1], YEAR)
            .await
            .unwrap();
        assert_eq!(n, 0);
        let mine = app
            .get("/api/my/competency?year=2026", &fx.teachers[0])
            .await
            .expect(200);
        assert_eq!(mine.body["passed"], 1);
        assert_eq!(mine.body["met"], false);
        // Each grade reached the teacher through the outbox.
        assert!(app.count_rows("jobs").await >= 3);
    }
);

both_engines!(resubmission_keeps_the_history, |app: TestApp| async move {
    let fx = fixture(&app).await;
    let first = submit(&app, &fx.teachers[0], "B3").await;
    review(
        &app,
        &fx.reviewer,
        first,
        &checklist([false, false], [false, true], Some("材料不完整")),
    )
    .await
    .expect(200);
    let second = submit(&app, &fx.teachers[0], "B3").await;
    let s = app
        .get(
            &format!("/api/competency/submissions/{second}"),
            &fx.reviewer,
        )
        .await
        .expect(200);
    assert_eq!(s.body["previous_id"], first);
    assert_eq!(s.body["latest"], true);
    assert_eq!(s.body["status"], "pending");
    // Only the latest can be graded.
    review(
        &app,
        &fx.reviewer,
        first,
        &checklist([true, true], [true, true], None),
    )
    .await
    .expect_problem(409, "conflict");
    review(
        &app,
        &fx.reviewer,
        second,
        &checklist([false, false], [true, true], None),
    )
    .await
    .expect(200);
    let history = app
        .get(
            &format!("/api/competency/submissions/{second}/history"),
            &fx.teachers[0],
        )
        .await
        .expect(200);
    let h = history.body.as_array().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0]["id"], first);
    assert_eq!(h[0]["latest"], false);
    assert_eq!(h[0]["final_grade"], "fail");
    assert_eq!(h[1]["final_grade"], "pass");
    // The queue shows the latest of each chain; all_versions shows both.
    let q = "/api/competency/submissions?year=2026&code=B3";
    assert_eq!(app.total(q, &fx.reviewer).await, 1);
    assert_eq!(
        app.total(&format!("{q}&all_versions=true"), &fx.reviewer)
            .await,
        2
    );
    // A passed point takes no more evidence.
    app.post(
        "/api/competency/submissions",
        &fx.teachers[0],
        &evidence("B3", "again"),
    )
    .await
    .expect_problem(409, "conflict");
    // Another teacher does not see it.
    app.get(
        &format!("/api/competency/submissions/{second}"),
        &fx.teachers[1],
    )
    .await
    .expect_problem(404, "not_found");
});

/// Four teachers each pass A1 at school.
async fn four_passed(app: &TestApp, fx: &Fx) -> Vec<i64> {
    let mut ids = Vec::new();
    for t in &fx.teachers {
        let s = submit(app, t, "A1").await;
        review(
            app,
            &fx.reviewer,
            s,
            &checklist([true, true], [true, true], None),
        )
        .await
        .expect(200);
        ids.push(s);
    }
    ids
}

both_engines!(
    spot_check_sample_is_reproducible,
    |app: TestApp| async move {
        let fx = fixture(&app).await;
        let population = four_passed(&app, &fx).await;
        // One pending submission is not part of the population.
        submit(&app, &fx.teachers[0], "A3").await;
        let body =
            json!({ "county_code": "510104", "year": YEAR, "share_percent": 50, "seed": 20260601 });
        let a = app
            .post("/api/competency/spot-checks", &fx.county_admin, &body)
            .await
            .expect(200);
        assert_eq!(a.body["population"], 4);
        assert_eq!(a.body["drawn"], 2);
        let b = app
            .post("/api/competency/spot-checks", &fx.county_reviewer, &body)
            .await
            .expect(200);
        assert_eq!(
            a.body["submission_ids"], b.body["submission_ids"],
            "same seed, same population: same sample"
        );
        let drawn: Vec<i64> = a.body["submission_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        assert!(drawn.iter().all(|d| population.contains(d)));
        let expected = yanxiu::competency::spot_checks::sample(20260601, 50, &population);
        assert_eq!(drawn, expected);
        // 1 % of 4 is still one submission (rounded up).
        let mut small = body.clone();
        small["share_percent"] = json!(1);
        let c = app
            .post("/api/competency/spot-checks", &fx.county_admin, &small)
            .await
            .expect(200);
        assert_eq!(c.body["drawn"], 1);
        // The draw is stored with who, when, seed and share.
        let list = app
            .get("/api/competency/spot-checks?year=2026", &fx.county_admin)
            .await
            .expect(200);
        assert_eq!(list.body["total"], 3);
        let got = app
            .get(
                &format!("/api/competency/spot-checks/{}", a.id()),
                &fx.county_reviewer,
            )
            .await
            .expect(200);
        assert_eq!(got.body["seed"], 20260601);
        assert_eq!(got.body["share_percent"], 50);
        assert_eq!(got.body["drawn_by"], "cp.county");
        let sampled = app
            .get(
                &format!("/api/competency/submissions?spot_check_id={}", a.id()),
                &fx.county_reviewer,
            )
            .await
            .expect(200);
        assert_eq!(sampled.body["total"], 2);
        assert_eq!(sampled.body["items"][0]["sampled"], true);
        // Another county is not mine (422); a school admin cannot draw at all (403).
        let mut other = body.clone();
        other["county_code"] = json!("510105");
        app.post("/api/competency/spot-checks", &fx.county_admin, &other)
            .await
            .expect_field_error("county_code");
        app.post("/api/competency/spot-checks", &fx.school_admin, &body)
            .await
            .expect_problem(403, "forbidden");
        // A school-bound reviewer is not bound to the county.
        app.post("/api/competency/spot-checks", &fx.reviewer, &body)
            .await
            .expect_field_error("county_code");
    }
);

both_engines!(county_override_needs_a_reason, |app: TestApp| async move {
    let fx = fixture(&app).await;
    let population = four_passed(&app, &fx).await;
    let body = json!({ "county_code": "510104", "year": YEAR, "share_percent": 25, "seed": 11 });
    let draw = app
        .post("/api/competency/spot-checks", &fx.county_admin, &body)
        .await
        .expect(200);
    let drawn = draw.body["submission_ids"][0].as_i64().unwrap();
    let not_drawn = *population.iter().find(|p| **p != drawn).unwrap();
    let teacher = population.iter().position(|p| *p == drawn).unwrap();
    let spot = |id: i64| format!("/api/competency/submissions/{id}/spot-check");
    // Only drawn submissions, only reviewers bound to the county.
    app.post(
        &spot(not_drawn),
        &fx.county_reviewer,
        &checklist([true, true], [true, true], None),
    )
    .await
    .expect_problem(409, "conflict");
    app.post(
        &spot(drawn),
        &fx.reviewer,
        &checklist([true, true], [true, true], None),
    )
    .await
    .expect_problem(403, "forbidden");
    app.post(
        &spot(drawn),
        &fx.county_admin,
        &checklist([true, true], [true, true], None),
    )
    .await
    .expect_problem(403, "forbidden");
    // A different grade without a reason changes nothing.
    app.post(
        &spot(drawn),
        &fx.county_reviewer,
        &checklist([false, false], [true, true], None),
    )
    .await
    .expect_field_error("comment");
    let r = app
        .post(
            &spot(drawn),
            &fx.county_reviewer,
            &checklist([false, false], [true, false], Some("课堂实录与设计不符")),
        )
        .await
        .expect(200);
    assert_eq!(r.body["final_grade"], "fail");
    assert_eq!(r.body["school_review"]["grade"], "excellent");
    assert_eq!(r.body["county_review"]["grade"], "fail");
    assert_eq!(r.body["county_review"]["comment"], "课堂实录与设计不符");
    assert_eq!(r.body["overridden"], true);
    assert_eq!(r.body["status"], "county_reviewed");
    let n = yanxiu::training::completion::passed_points(&app.db, fx.teacher_ids[teacher], YEAR)
        .await
        .unwrap();
    assert_eq!(n, 0, "the override is the final grade");
    // The school cannot regrade after the county.
    review(
        &app,
        &fx.reviewer,
        drawn,
        &checklist([true, true], [true, true], None),
    )
    .await
    .expect_problem(409, "conflict");
    let audit = app
        .get("/api/audit?page_size=200", &fx.admin)
        .await
        .expect(200);
    let entry = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "competency.spot_check.override")
        .expect("override audited");
    assert_eq!(entry["detail"]["reason"], "课堂实录与设计不符");
    assert_eq!(entry["detail"]["school_grade"], "excellent");
    // After a failed override the teacher may resubmit; the history keeps the overridden one.
    let again = submit(&app, &fx.teachers[teacher], "A1").await;
    let h = app
        .get(
            &format!("/api/competency/submissions/{again}/history"),
            &fx.teachers[teacher],
        )
        .await
        .expect(200);
    assert_eq!(h.body.as_array().unwrap().len(), 2);
    assert_eq!(h.body[0]["overridden"], true);
});

both_engines!(report_counts_pass_rates, |app: TestApp| async move {
    let fx = fixture(&app).await;
    four_passed(&app, &fx).await;
    // Teacher 1 also passes A3 and B3: meets the plan (3, with A1).
    for code in ["A3", "B3"] {
        let s = submit(&app, &fx.teachers[0], code).await;
        review(
            &app,
            &fx.reviewer,
            s,
            &checklist([false, false], [true, true], None),
        )
        .await
        .expect(200);
    }
    let s = submit(&app, &fx.teachers[1], "B6").await;
    review(
        &app,
        &fx.reviewer,
        s,
        &checklist([false, false], [false, false], Some("不合格")),
    )
    .await
    .expect(200);
    let r = app
        .get(
            "/api/competency/report?year=2026&node=510104",
            &fx.county_admin,
        )
        .await
        .expect(200);
    assert_eq!(r.body["total"]["submitted"], 4);
    assert_eq!(r.body["total"]["passed"], 1);
    assert_eq!(r.body["total"]["excellent"], 4);
    assert_eq!(r.body["total"]["rate"], 0.25);
    let a1 = r.body["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "A1")
        .unwrap();
    assert_eq!(a1["submitted"], 4);
    assert_eq!(a1["passed"], 4);
    assert_eq!(a1["rate"], 1.0);
    let b6 = r.body["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "B6")
        .unwrap();
    assert_eq!(b6["passed"], 0);
    let school = r.body["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == fx.school_code.as_str())
        .unwrap();
    assert_eq!(school["submitted"], 4);
    // The city's report has 锦江区 as a row.
    let city = app
        .get("/api/competency/report?year=2026&node=510100", &fx.admin)
        .await
        .expect(200);
    let jj = city.body["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "510104")
        .unwrap();
    assert_eq!(jj["submitted"], 4);
    // Out of area: 404; a reviewer has no report: 403.
    app.get(
        "/api/competency/report?year=2026&node=510105",
        &fx.county_admin,
    )
    .await
    .expect_problem(404, "not_found");
    app.get("/api/competency/report?year=2026", &fx.reviewer)
        .await
        .expect_problem(403, "forbidden");
    let x = app
        .get(
            "/api/competency/report/export?year=2026&node=510104&format=xlsx",
            &fx.county_admin,
        )
        .await
        .expect(200);
    assert_eq!(&x.bytes[..2], b"PK");
    let csv = app
        .get(
            "/api/competency/report/export?year=2026&node=510104&format=csv",
            &fx.county_admin,
        )
        .await
        .expect(200);
    assert!(csv.text().contains("A1"));
});

both_engines!(
    evidence_files_reach_their_reviewers,
    |app: TestApp| async move {
        let fx = fixture(&app).await;
        let f = app
            .upload_file(&fx.teachers[0], "competency", "教学设计.pdf", TINY_PDF)
            .await
            .expect(200)
            .id();
        let body = json!({ "year": YEAR, "code": "A1", "items": [{ "key": "design", "text": "", "files": [f] }] });
        let s = app
            .post("/api/competency/submissions", &fx.teachers[0], &body)
            .await
            .expect(200);
        assert_eq!(s.body["items"][0]["files"][0]["id"], f);
        app.get(&format!("/api/files/{f}/content"), &fx.reviewer)
            .await
            .expect(200);
        app.get(&format!("/api/files/{f}/content"), &fx.other_reviewer)
            .await
            .expect_problem(404, "not_found");
        // Someone else's file cannot be attached.
        let other = app
            .upload_file(&fx.teachers[1], "competency", "x.pdf", TINY_PDF)
            .await
            .expect(200)
            .id();
        let body =
            json!({ "year": YEAR, "code": "A3", "items": [{ "key": "design", "files": [other] }] });
        app.post("/api/competency/submissions", &fx.teachers[0], &body)
            .await
            .expect_field_error("items[0].files");
    }
);

both_engines!(
    passed_points_complete_a_program,
    |app: TestApp| async move {
        let fx = fixture(&app).await;
        // YEAR's program: 1 h and two passed micro-competencies.
        let completion = json!({ "required_hours": 1, "competencies": 2 });
        let program = app
            .province_program_with(&fx.admin, &fx.school_code, completion)
            .await;
        let path = format!("/api/programs/{program}/enrollments");
        let body = json!({ "teacher_id": fx.teacher_ids[0] });
        let enrollment = app.post(&path, &fx.admin, &body).await.expect(200).id();
        let status = || async {
            let e = app
                .get(&format!("/api/enrollments/{enrollment}"), &fx.admin)
                .await
                .expect(200);
            e.body["training_status"].as_str().unwrap().to_string()
        };
        let hours = json!({ "teacher_id": fx.teacher_ids[0], "enrollment_id": enrollment, "category": "ict",
        "hours": 1, "occurred_on": "2026-04-01", "source": "course" });
        app.post("/api/hours", &fx.admin, &hours).await.expect(200);
        assert_eq!(status().await, "reported", "hours alone are not enough");
        let passing = checklist([false, false], [true, true], None);
        let a1 = submit(&app, &fx.teachers[0], "A1").await;
        review(&app, &fx.reviewer, a1, &passing).await.expect(200);
        assert_eq!(status().await, "reported", "one point of two");
        let a3 = submit(&app, &fx.teachers[0], "A3").await;
        review(&app, &fx.reviewer, a3, &passing).await.expect(200);
        assert_eq!(
            status().await,
            "completed",
            "the second passed point completes it"
        );
        let certs = app
            .get("/api/certificates", &fx.teachers[0])
            .await
            .expect(200);
        assert_eq!(certs.body["total"], 1);
    }
);

/// A node's report read from the counters, as the API serves it, and the recount from the submissions.
async fn counted_and_recounted(
    app: &TestApp,
    token: &str,
    node: &str,
) -> (Resp, yanxiu::competency::report::CompetencyReport) {
    let got = app
        .get(
            &format!("/api/competency/report?year={YEAR}&node={node}"),
            token,
        )
        .await
        .expect(200);
    let want = yanxiu::competency::report::recount(&app.state, node, YEAR)
        .await
        .unwrap();
    (got, want)
}

/// The report read from the counters equals the recount from the submissions.
async fn report_agrees(app: &TestApp, token: &str, node: &str) -> Value {
    let (got, want) = counted_and_recounted(app, token, node).await;
    let from_json = |v: &Value| {
        (
            v["code"].as_str().unwrap().to_string(),
            v["name"].as_str().unwrap().to_string(),
            [&v["submitted"], &v["passed"], &v["excellent"]].map(|n| n.as_i64().unwrap()),
        )
    };
    let from_recount = |r: &yanxiu::competency::report::RateRow| {
        (
            r.code.clone(),
            r.name.clone(),
            [r.submitted, r.passed, r.excellent],
        )
    };
    let list = |key: &str| {
        got.body[key]
            .as_array()
            .unwrap()
            .iter()
            .map(from_json)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        from_json(&got.body["total"]),
        from_recount(&want.total),
        "{node} total"
    );
    assert_eq!(
        list("regions"),
        want.regions.iter().map(from_recount).collect::<Vec<_>>(),
        "{node} regions"
    );
    assert_eq!(
        list("points"),
        want.points.iter().map(from_recount).collect::<Vec<_>>(),
        "{node} points"
    );
    got.body
}

both_engines!(
    report_counters_follow_every_event,
    |app: TestApp| async move {
        let fx = fixture(&app).await;
        let population = four_passed(&app, &fx).await;
        // The county overrides one teacher's A1 to 不合格.
        let body =
            json!({ "county_code": "510104", "year": YEAR, "share_percent": 25, "seed": 11 });
        let draw = app
            .post("/api/competency/spot-checks", &fx.county_admin, &body)
            .await
            .expect(200);
        let drawn = draw.body["submission_ids"][0].as_i64().unwrap();
        let overridden = population.iter().position(|p| *p == drawn).unwrap();
        app.post(
            &format!("/api/competency/submissions/{drawn}/spot-check"),
            &fx.county_reviewer,
            &checklist([false, false], [true, false], Some("课堂实录与设计不符")),
        )
        .await
        .expect(200);
        let others: Vec<usize> = (0..4).filter(|i| *i != overridden).collect();
        let (a, b) = (&fx.teachers[others[0]], &fx.teachers[others[1]]);
        // Teacher a: A3 fails, is resubmitted and passes; B3 passes — three points with A1, the plan is met.
        let graded = |teacher: &str, code: &'static str, body: Value| {
            let (app, reviewer, teacher, code) = (&app, &fx.reviewer, teacher.to_string(), code);
            async move {
                let s = submit(app, &teacher, code).await;
                review(app, reviewer, s, &body).await.expect(200);
            }
        };
        let fail = checklist([false, false], [false, false], Some("材料不全"));
        graded(a, "A3", fail).await;
        for code in ["A3", "B3"] {
            graded(a, code, checklist([false, false], [true, true], None)).await;
        }
        // Teacher b passes B6 (two points: short of the plan's three); teacher c's B6 waits for review.
        graded(b, "B6", checklist([true, true], [true, true], None)).await;
        submit(&app, &fx.teachers[others[2]], "B6").await;
        for node in ["510104", "510100", fx.school_code.as_str()] {
            report_agrees(&app, &fx.admin, node).await;
        }
        let county = report_agrees(&app, &fx.county_admin, "510104").await;
        assert_eq!(county["total"]["submitted"], 4);
        assert_eq!(
            county["total"]["passed"], 1,
            "only teacher a meets 3 points"
        );
        assert_eq!(county["total"]["excellent"], 3, "three 优秀 A1 and b's B6");
        // The plan now asks for two points: teacher b meets it too, without any new submission.
        let points =
            ["A1", "A3", "B3", "B6", "C4"].map(|c| json!({ "code": c, "compulsory": c == "A1" }));
        app.put(
            "/api/competency/plans",
            &fx.school_admin,
            &json!({
                "school_code": fx.school_code, "year": YEAR, "required_passes": 2,
                "points": points,
            }),
        )
        .await
        .expect(200);
        for node in ["510104", "510100", fx.school_code.as_str()] {
            report_agrees(&app, &fx.admin, node).await;
        }
        let county = report_agrees(&app, &fx.county_admin, "510104").await;
        assert_eq!(county["total"]["passed"], 2);

        let rebuild = || yanxiu::competency::stats::rebuild(&app.db);
        assert_eq!(rebuild().await.unwrap(), 0, "maintained = recount");
        use sea_orm::ConnectionTrait;
        app.db
            .execute_unprepared(
                "UPDATE competency_node_stats SET passed = passed + 5 WHERE code = '' OR code = 'A1'",
            )
            .await
            .unwrap();
        app.db
            .execute_unprepared("DELETE FROM competency_node_stats WHERE code = 'B6'")
            .await
            .unwrap();
        let (got, want) = counted_and_recounted(&app, &fx.admin, "510104").await;
        assert_ne!(
            got.body["total"]["passed"].as_i64(),
            Some(want.total.passed),
            "the corruption shows in the report"
        );
        assert!(rebuild().await.unwrap() >= 1, "a drift is found…");
        for node in ["510104", "510100", fx.school_code.as_str()] {
            report_agrees(&app, &fx.admin, node).await;
        }
        assert_eq!(rebuild().await.unwrap(), 0, "…and repaired");
    }
);
