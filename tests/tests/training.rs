//! Training programs and the quota cascade (issue #4 groundwork): creation rules, visibility of drafts,
//! province → city → county → school allocation that can never exceed what was received — also under
//! concurrent requests — and scope.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use yanxiu_tests::*;

fn program_body(owner: &str, level: &str, seats: i32) -> Value {
    json!({
        "name": "2026年信息技术应用能力提升工程2.0",
        "level": level,
        "kind": "信息技术应用能力提升",
        "year": 2026,
        "enrolment_mode": "assigned",
        "train_from": "2026-03-01",
        "train_until": "2026-12-31",
        "hour_rule": { "kind": "designated", "caps": [
            { "category": "online", "hours": 20 }, { "category": "practice", "hours": 30 }
        ]},
        "completion": { "required_hours": 50, "minimums": [
            { "category": "online", "hours": 20 }, { "category": "practice", "hours": 30 }
        ]},
        "owner_code": owner,
        "seats": seats,
    })
}

async fn allocate(app: &TestApp, token: &str, program: i64, node: &str, seats: i32) -> Resp {
    app.put(
        &format!("/api/programs/{program}/quotas/{node}"),
        token,
        &json!({ "seats": seats }),
    )
    .await
}

both_engines!(
    program_rules_and_draft_visibility,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let (_, county) = app
            .region_admin("jj.county", "county_admin", "510104")
            .await;

        // Cross-field rules: 422 naming the field, nothing written.
        let mut bad = program_body("510000", "provincial", 100);
        bad["hour_rule"]["caps"] = json!([]);
        app.post("/api/programs", &admin, &bad)
            .await
            .expect_field_error("hour_rule.caps");
        let mut bad = program_body("510000", "provincial", 100);
        bad["completion"]["required_hours"] = json!(60);
        app.post("/api/programs", &admin, &bad)
            .await
            .expect_field_error("completion.required_hours");
        app.post(
            "/api/programs",
            &admin,
            &program_body("510000", "county", 100),
        )
        .await
        .expect_field_error("level");
        let mut bad = program_body("510000", "provincial", 100);
        bad["train_until"] = json!("2026-01-01");
        app.post("/api/programs", &admin, &bad)
            .await
            .expect_field_error("train_until");
        let mut bad = program_body("510000", "provincial", 100);
        bad["hour_rule"]["caps"][0]["hours"] = json!(2.25);
        assert_eq!(app.post("/api/programs", &admin, &bad).await.status, 422);
        assert_eq!(app.count_rows("programs").await, 0);

        // A county admin cannot own a provincial program, and never sees a province draft.
        app.post(
            "/api/programs",
            &county,
            &program_body("510000", "provincial", 5),
        )
        .await
        .expect_field_error("owner_code");
        let p = app
            .post(
                "/api/programs",
                &admin,
                &program_body("510000", "provincial", 100),
            )
            .await
            .expect(200);
        let id = p.id();
        assert_eq!(p.body["status"], "draft");
        assert_eq!(p.body["required_hours"], 50.0);
        app.get(&format!("/api/programs/{id}"), &county)
            .await
            .expect(404);
        assert_eq!(app.total("/api/programs", &county).await, 0);

        // Published, it reaches the county; only the owner's managers may publish, and only once.
        app.post(&format!("/api/programs/{id}/publish"), &county, &json!({}))
            .await
            .expect(404);
        app.post(&format!("/api/programs/{id}/publish"), &admin, &json!({}))
            .await
            .expect(200);
        app.post(&format!("/api/programs/{id}/publish"), &admin, &json!({}))
            .await
            .expect(409);
        // Visible now, but the county does not manage the province's program.
        app.post(&format!("/api/programs/{id}/publish"), &county, &json!({}))
            .await
            .expect(403);
        assert_eq!(app.total("/api/programs", &county).await, 1);

        // A county's own program is invisible to a sibling county's admin.
        let (_, sibling) = app
            .region_admin("qy.county", "county_admin", "510105")
            .await;
        let own = app
            .post(
                "/api/programs",
                &county,
                &program_body("510104", "county", 10),
            )
            .await
            .expect(200);
        app.post(
            &format!("/api/programs/{}/publish", own.id()),
            &county,
            &json!({}),
        )
        .await
        .expect(200);
        app.get(&format!("/api/programs/{}", own.id()), &sibling)
            .await
            .expect(404);
        assert_eq!(app.total("/api/programs", &sibling).await, 1);
    }
);

both_engines!(
    quota_cascade_never_exceeds_what_was_received,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let (_, city) = app.region_admin("cd.city", "city_admin", "510100").await;
        let (_, county) = app
            .region_admin("jj.county", "county_admin", "510104")
            .await;
        let a = app
            .create_school(&admin, &school_code(11), "510104", "锦江一小")
            .await;
        let b = app
            .create_school(&admin, &school_code(12), "510104", "锦江二小")
            .await;
        let other = app
            .create_school(&admin, &school_code(13), "510105", "青羊一小")
            .await;
        let (a, b, other) = (
            a["code"].as_str().unwrap().to_string(),
            b["code"].as_str().unwrap().to_string(),
            other["code"].as_str().unwrap().to_string(),
        );
        let id = app
            .post(
                "/api/programs",
                &admin,
                &program_body("510000", "provincial", 100),
            )
            .await
            .id();
        app.post(&format!("/api/programs/{id}/publish"), &admin, &json!({}))
            .await
            .expect(200);

        allocate(&app, &admin, id, "510100", 60).await.expect(200);
        allocate(&app, &admin, id, "510700", 41)
            .await
            .expect_field_error("seats");
        allocate(&app, &city, id, "510104", 40).await.expect(200);
        // The county cannot give to a school before it holds seats, nor skip a level.
        allocate(&app, &county, id, &a, 25).await.expect(200);
        let over = allocate(&app, &county, id, &b, 16)
            .await
            .expect_field_error("seats");
        assert!(over.text().contains("15"), "{}", over.text());
        allocate(&app, &county, id, &b, 15).await.expect(200);
        // Taking back seats a child already passed on is refused; growing past the giver's remainder too.
        allocate(&app, &city, id, "510104", 39)
            .await
            .expect_field_error("seats");
        allocate(&app, &city, id, "510104", 61)
            .await
            .expect_field_error("seats");
        allocate(&app, &city, id, "510104", 60).await.expect(200);
        allocate(&app, &county, id, &other, 1).await.expect(404);
        allocate(&app, &city, id, &other, 1)
            .await
            .expect_field_error("node_code");
        // Only the level above gives: a county admin cannot set its own county's seats.
        allocate(&app, &county, id, "510104", 10).await.expect(403);

        let quotas = app
            .get(&format!("/api/programs/{id}/quotas"), &county)
            .await
            .expect(200);
        let rows = quotas.body.as_array().unwrap();
        let codes: Vec<&str> = rows
            .iter()
            .map(|q| q["node_code"].as_str().unwrap())
            .collect();
        assert_eq!(codes.len(), 5, "{codes:?}");
        for expected in ["510000", "510100", "510104", a.as_str(), b.as_str()] {
            assert!(codes.contains(&expected), "{codes:?}");
        }
        let county_row = rows.iter().find(|q| q["node_code"] == "510104").unwrap();
        assert_eq!(
            (
                county_row["seats"].as_i64(),
                county_row["allocated"].as_i64()
            ),
            (Some(60), Some(40))
        );
        assert_eq!(county_row["available"], 20);
    }
);

both_engines!(
    concurrent_allocations_do_not_overshoot,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let mut schools = Vec::new();
        for i in 0..6 {
            let s = app
                .create_school(
                    &admin,
                    &school_code(40 + i),
                    "510104",
                    &format!("并发小学{i}"),
                )
                .await;
            schools.push(s["code"].as_str().unwrap().to_string());
        }
        let id = app
            .post(
                "/api/programs",
                &admin,
                &program_body("510000", "provincial", 10),
            )
            .await
            .id();
        allocate(&app, &admin, id, "510100", 10).await.expect(200);
        allocate(&app, &admin, id, "510104", 10).await.expect(200);
        let (r0, r1, r2, r3, r4, r5) = tokio::join!(
            allocate(&app, &admin, id, &schools[0], 2),
            allocate(&app, &admin, id, &schools[1], 2),
            allocate(&app, &admin, id, &schools[2], 2),
            allocate(&app, &admin, id, &schools[3], 2),
            allocate(&app, &admin, id, &schools[4], 2),
            allocate(&app, &admin, id, &schools[5], 2),
        );
        let ok = [r0, r1, r2, r3, r4, r5]
            .iter()
            .filter(|r| r.status == 200)
            .count();
        assert_eq!(ok, 5, "exactly the seats there are");
        let quotas = app
            .get(&format!("/api/programs/{id}/quotas"), &admin)
            .await
            .expect(200);
        let county = quotas
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["node_code"] == "510104")
            .unwrap()
            .clone();
        assert_eq!(county["allocated"], 10);
        let given: i64 = quotas
            .body
            .as_array()
            .unwrap()
            .iter()
            .filter(|q| q["node_code"].as_str().unwrap().len() == 10)
            .map(|q| q["seats"].as_i64().unwrap())
            .sum();
        assert_eq!(given, 10);
    }
);

/// A published program with `seats` at each of the given schools (all in 锦江区 510104).
async fn program_with_seats(
    app: &TestApp,
    admin: &str,
    mode: &str,
    schools: &[(&str, i32)],
) -> i64 {
    let mut body = program_body("510000", "provincial", 100);
    body["enrolment_mode"] = json!(mode);
    let id = app
        .post("/api/programs", admin, &body)
        .await
        .expect(200)
        .id();
    app.post(&format!("/api/programs/{id}/publish"), admin, &json!({}))
        .await
        .expect(200);
    allocate(app, admin, id, "510100", 50).await.expect(200);
    allocate(app, admin, id, "510104", 40).await.expect(200);
    for (code, seats) in schools {
        allocate(app, admin, id, code, *seats).await.expect(200);
    }
    id
}

async fn teacher_in(
    app: &TestApp,
    admin: &str,
    school_id: i64,
    seq: u32,
    email: Option<&str>,
) -> i64 {
    let mut body = teacher_body(
        school_id,
        &format!("报名教师{seq}"),
        &id_card("510104", seq),
    );
    body["email"] = json!(email);
    app.post("/api/teachers", admin, &body)
        .await
        .expect(200)
        .id()
}

async fn enroll(app: &TestApp, token: &str, program: i64, teacher: Option<i64>) -> Resp {
    app.post(
        &format!("/api/programs/{program}/enrollments"),
        token,
        &json!({ "teacher_id": teacher }),
    )
    .await
}

both_engines!(
    self_enrolment_is_approved_by_school_then_county,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(21), "510104", "锦江报名小学")
            .await;
        let code = school["code"].as_str().unwrap().to_string();
        let sid = school["id"].as_i64().unwrap();
        let t1 = teacher_in(&app, &admin, sid, 21, Some("t21@example.cn")).await;
        app.create_account(&admin, "t21", "teacher", &code, Some(t1))
            .await;
        app.create_account(&admin, "sa21", "school_admin", &code, None)
            .await;
        let teacher = app.login("t21", PASSWORD).await;
        let school_admin = app.login("sa21", PASSWORD).await;
        let (_, county) = app
            .region_admin("jj.county", "county_admin", "510104")
            .await;
        let (_, other_county) = app
            .region_admin("qy.county", "county_admin", "510105")
            .await;

        let assigned_only = program_with_seats(&app, &admin, "assigned", &[(&code, 2)]).await;
        enroll(&app, &teacher, assigned_only, None)
            .await
            .expect(409);

        let id = program_with_seats(&app, &admin, "free", &[(&code, 2)]).await;
        let e = enroll(&app, &teacher, id, None).await.expect(200);
        let eid = e.id();
        assert_eq!(
            (
                e.body["review_status"].as_str(),
                e.body["awaiting"].as_str()
            ),
            (Some("pending"), Some("school"))
        );
        enroll(&app, &teacher, id, None).await.expect(409);
        app.get(&format!("/api/enrollments/{eid}"), &other_county)
            .await
            .expect(404);

        let decide = |token: String, body: Value| {
            let app = &app;
            async move {
                app.post(&format!("/api/enrollments/{eid}/decision"), &token, &body)
                    .await
            }
        };
        // The teacher cannot decide; a rejection needs a reason.
        decide(teacher.clone(), json!({ "decision": "approve" }))
            .await
            .expect(403);
        decide(school_admin.clone(), json!({ "decision": "reject" }))
            .await
            .expect_field_error("reason");
        let after_school = decide(school_admin.clone(), json!({ "decision": "approve" }))
            .await
            .expect(200);
        assert_eq!(after_school.body["awaiting"], "county");
        // The school cannot take the county's decision.
        decide(school_admin.clone(), json!({ "decision": "approve" }))
            .await
            .expect(403);
        let jobs_before = app.count_rows("jobs").await;
        let done = decide(county.clone(), json!({ "decision": "approve" }))
            .await
            .expect(200);
        assert_eq!(done.body["review_status"], "approved");
        assert_eq!(done.body["awaiting"], Value::Null);
        let levels: Vec<&str> = done.body["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["level"].as_str().unwrap())
            .collect();
        assert_eq!(levels, ["school", "county"]);
        assert_eq!(
            app.count_rows("jobs").await,
            jobs_before + 1,
            "the teacher is told by mail through the outbox"
        );
        decide(county.clone(), json!({ "decision": "approve" }))
            .await
            .expect(409);

        // The teacher sees their own enrolment in the list; withdrawing gives the seat back.
        let mine = app
            .get(&format!("/api/programs/{id}/enrollments"), &teacher)
            .await
            .expect(200);
        assert_eq!(mine.body["total"], 1);
        app.post(
            &format!("/api/enrollments/{eid}/withdraw"),
            &teacher,
            &json!({ "reason": "工作冲突" }),
        )
        .await
        .expect(200);
        let quotas = app
            .get(&format!("/api/programs/{id}/quotas"), &admin)
            .await
            .expect(200);
        let row = quotas
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["node_code"] == code.as_str())
            .unwrap()
            .clone();
        assert_eq!(row["used"], 0);
        app.post(
            &format!("/api/enrollments/{eid}/withdraw"),
            &teacher,
            &json!({}),
        )
        .await
        .expect(409);
    }
);

both_engines!(seats_run_out_and_come_back, |app: TestApp| async move {
    let admin = app.as_admin().await;
    let school = app
        .create_school(&admin, &school_code(31), "510104", "锦江名额小学")
        .await;
    let code = school["code"].as_str().unwrap().to_string();
    let sid = school["id"].as_i64().unwrap();
    let mut teachers = Vec::new();
    for seq in 31..37 {
        teachers.push(teacher_in(&app, &admin, sid, seq, None).await);
    }
    let id = program_with_seats(&app, &admin, "assigned", &[(&code, 2)]).await;
    let first = enroll(&app, &admin, id, Some(teachers[0]))
        .await
        .expect(200);
    assert_eq!(first.body["review_status"], "approved");
    enroll(&app, &admin, id, Some(teachers[1]))
        .await
        .expect(200);
    enroll(&app, &admin, id, Some(teachers[2]))
        .await
        .expect_problem(409, "conflict");
    app.post(
        &format!("/api/enrollments/{}/withdraw", first.id()),
        &admin,
        &json!({}),
    )
    .await
    .expect(200);
    enroll(&app, &admin, id, Some(teachers[2]))
        .await
        .expect(200);

    // The last seat under concurrent assignments goes to exactly one teacher.
    let last = program_with_seats(&app, &admin, "assigned", &[(&code, 1)]).await;
    let (a, b, c) = tokio::join!(
        enroll(&app, &admin, last, Some(teachers[3])),
        enroll(&app, &admin, last, Some(teachers[4])),
        enroll(&app, &admin, last, Some(teachers[5])),
    );
    assert_eq!(
        [a.status, b.status, c.status]
            .iter()
            .filter(|s| **s == 200)
            .count(),
        1
    );
    let quotas = app
        .get(&format!("/api/programs/{last}/quotas"), &admin)
        .await
        .expect(200);
    let row = quotas
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["node_code"] == code.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        (row["used"].as_i64(), row["available"].as_i64()),
        (Some(1), Some(0))
    );
    assert_eq!(
        app.total(&format!("/api/programs/{last}/enrollments"), &admin)
            .await,
        1
    );

    // Eligibility of the school's seats is enforced.
    let narrow = program_with_seats(&app, &admin, "assigned", &[]).await;
    app.put(
        &format!("/api/programs/{narrow}/quotas/{code}"),
        &admin,
        &json!({ "seats": 5, "eligibility": { "stages": ["初中"] } }),
    )
    .await
    .expect(200);
    enroll(&app, &admin, narrow, Some(teachers[3]))
        .await
        .expect_field_error("teacher_id");
});

async fn record(app: &TestApp, token: &str, body: Value) -> Resp {
    app.post("/api/hours", token, &body).await
}

/// The enrolment's maintained progress must equal a recount from the ledger (approved rows not voided).
async fn assert_progress_matches_ledger(app: &TestApp, enrollment_id: i64) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let e = entity::enrollment::Entity::find_by_id(enrollment_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let rows = entity::hour_entry::Entity::find()
        .filter(entity::hour_entry::Column::EnrollmentId.eq(enrollment_id))
        .all(&app.db)
        .await
        .unwrap();
    let voided: Vec<i64> = rows.iter().filter_map(|r| r.voids_entry_id).collect();
    let sum = |category: &str| -> i32 {
        rows.iter()
            .filter(|r| {
                r.status == entity::hour_entry::HourStatus::Approved
                    && r.category.as_str() == category
                    && !voided.contains(&r.id)
            })
            .map(|r| r.half_hours)
            .sum()
    };
    assert_eq!(e.hours_online, sum("online"));
    assert_eq!(e.hours_practice, sum("practice"));
    assert_eq!(e.hours_centralized, sum("centralized"));
}

both_engines!(
    hours_ledger_caps_completion_voiding_and_supplements,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(51), "510104", "锦江学时小学")
            .await;
        let code = school["code"].as_str().unwrap().to_string();
        let sid = school["id"].as_i64().unwrap();
        let tid = teacher_in(&app, &admin, sid, 51, Some("t51@example.cn")).await;
        app.create_account(&admin, "t51", "teacher", &code, Some(tid))
            .await;
        app.create_account(&admin, "sa51", "school_admin", &code, None)
            .await;
        let teacher = app.login("t51", PASSWORD).await;
        let school_admin = app.login("sa51", PASSWORD).await;
        let (_, sibling) = app
            .region_admin("qy.county", "county_admin", "510105")
            .await;
        let program = program_with_seats(&app, &admin, "assigned", &[(&code, 3)]).await;
        let eid = enroll(&app, &admin, program, Some(tid))
            .await
            .expect(200)
            .id();
        let entry = |category: &str, hours: f64, source: &str| {
            json!({ "teacher_id": tid, "enrollment_id": eid, "category": category, "hours": hours,
                "occurred_on": "2026-05-01", "source": source, "evidence": [] })
        };

        // Bad input changes nothing.
        assert_eq!(
            record(&app, &admin, entry("online", 1.25, "course"))
                .await
                .status,
            422
        );
        let mut future = entry("online", 1.0, "course");
        future["occurred_on"] = json!("2099-01-01");
        record(&app, &admin, future)
            .await
            .expect_field_error("occurred_on");
        record(&app, &teacher, entry("online", 2.0, "course"))
            .await
            .expect(403);
        assert_eq!(app.count_rows("hour_entries").await, 0);

        // Designated rule: online is capped at 20 h; completion needs 20 online + 30 practice.
        record(&app, &admin, entry("online", 25.0, "course"))
            .await
            .expect(200);
        let e = app
            .get(&format!("/api/enrollments/{eid}"), &admin)
            .await
            .expect(200);
        assert_eq!(
            (
                e.body["counted_hours"].as_f64(),
                e.body["training_status"].as_str()
            ),
            (Some(20.0), Some("reported"))
        );
        let practice = record(&app, &admin, entry("practice", 30.0, "attendance"))
            .await
            .expect(200);
        let e = app
            .get(&format!("/api/enrollments/{eid}"), &teacher)
            .await
            .expect(200);
        assert_eq!(
            (
                e.body["counted_hours"].as_f64(),
                e.body["training_status"].as_str()
            ),
            (Some(50.0), Some("completed"))
        );
        assert_progress_matches_ledger(&app, eid).await;

        // Voiding appends a row and takes the hours — and the completion — back; a second void is refused.
        app.post(
            &format!("/api/hours/{}/void", practice.id()),
            &sibling,
            &json!({ "reason": "x" }),
        )
        .await
        .expect(404);
        let marker = app
            .post(
                &format!("/api/hours/{}/void", practice.id()),
                &admin,
                &json!({ "reason": "签到表有误" }),
            )
            .await
            .expect(200);
        assert_eq!(marker.body["voids_entry_id"], practice.id());
        app.post(
            &format!("/api/hours/{}/void", practice.id()),
            &admin,
            &json!({ "reason": "again" }),
        )
        .await
        .expect(409);
        let e = app
            .get(&format!("/api/enrollments/{eid}"), &admin)
            .await
            .expect(200);
        assert_eq!(
            (
                e.body["counted_hours"].as_f64(),
                e.body["training_status"].as_str()
            ),
            (Some(20.0), Some("reported"))
        );
        assert_progress_matches_ledger(&app, eid).await;
        let revoked = app.get("/api/certificates", &teacher).await.expect(200);
        assert_eq!(
            revoked.body["items"][0]["status"], "revoked",
            "voided hours take the certificate back"
        );

        // 补录 by the teacher: evidence required; pending until the school decides; counts once approved.
        let mut supplement = entry("practice", 30.0, "supplement");
        supplement.as_object_mut().unwrap().remove("teacher_id");
        record(&app, &teacher, supplement.clone())
            .await
            .expect_field_error("evidence");
        // Evidence is a file the teacher uploaded; someone else's file or a missing one is refused.
        let admins_file = app
            .upload_file(&admin, "evidence", "签到表.pdf", TINY_PDF)
            .await
            .expect(200);
        supplement["evidence"] = json!([admins_file.id()]);
        record(&app, &teacher, supplement.clone())
            .await
            .expect_field_error("evidence");
        let proof = app
            .upload_file(&teacher, "evidence", "结业证书.pdf", TINY_PDF)
            .await
            .expect(200);
        supplement["evidence"] = json!([proof.id()]);
        let pending = record(&app, &teacher, supplement).await.expect(200);
        assert_eq!(pending.body["evidence"][0]["name"], "结业证书.pdf");
        // The approving school admin can open the evidence; the other county cannot.
        let content = app
            .get(&format!("/api/files/{}/content", proof.id()), &school_admin)
            .await
            .expect(200);
        assert_eq!(content.bytes, TINY_PDF);
        app.get(&format!("/api/files/{}", proof.id()), &sibling)
            .await
            .expect(404);
        assert_eq!(pending.body["status"], "pending");
        let path = format!("/api/hours/{}/decision", pending.id());
        app.post(&path, &teacher, &json!({ "decision": "approve" }))
            .await
            .expect(403);
        app.post(&path, &sibling, &json!({ "decision": "approve" }))
            .await
            .expect(404);
        app.post(&path, &school_admin, &json!({ "decision": "reject" }))
            .await
            .expect_field_error("reason");
        let jobs_before = app.count_rows("jobs").await;
        app.post(&path, &school_admin, &json!({ "decision": "approve" }))
            .await
            .expect(200);
        assert_eq!(
            app.count_rows("jobs").await,
            jobs_before + 2,
            "the teacher hears of the decision, and of the certificate it completed, by mail"
        );
        app.post(&path, &school_admin, &json!({ "decision": "approve" }))
            .await
            .expect(409);
        let e = app
            .get(&format!("/api/enrollments/{eid}"), &teacher)
            .await
            .expect(200);
        assert_eq!(e.body["training_status"], "completed");
        assert_progress_matches_ledger(&app, eid).await;

        // The completion (re)instated the certificate: the teacher lists it, anyone verifies it by number.
        let certs = app.get("/api/certificates", &teacher).await.expect(200);
        assert_eq!(certs.body["total"], 1);
        assert_eq!(certs.body["items"][0]["status"], "valid");
        let number = certs.body["items"][0]["number"]
            .as_str()
            .unwrap()
            .to_string();
        let verify = format!("/api/certificates/verify/{number}");
        let public = app
            .call(poem::http::Method::GET, &verify, None, None)
            .await
            .expect(200);
        assert_eq!(public.body["holder"], "报*****");
        assert_eq!(public.body["status"], "valid");
        assert!(
            !public.text().contains("510104"),
            "no ID number on the public page"
        );
        app.call(
            poem::http::Method::GET,
            "/api/certificates/verify/YX0000",
            None,
            None,
        )
        .await
        .expect(404);
        assert_eq!(app.total("/api/certificates", &sibling).await, 0);
        // Revocation: not by the teacher, not from another county; by the school with a reason; once.
        let revoke = format!("/api/certificates/{number}/revoke");
        app.post(&revoke, &teacher, &json!({ "reason": "x" }))
            .await
            .expect(403);
        app.post(&revoke, &sibling, &json!({ "reason": "x" }))
            .await
            .expect(404);
        app.post(&revoke, &school_admin, &json!({ "reason": "证明材料不实" }))
            .await
            .expect(200);
        app.post(&revoke, &school_admin, &json!({ "reason": "again" }))
            .await
            .expect(409);
        let public = app
            .call(poem::http::Method::GET, &verify, None, None)
            .await
            .expect(200);
        assert_eq!(public.body["status"], "revoked");

        // The teacher's ledger: four entries of theirs plus the voiding row; the sibling county sees none.
        assert_eq!(app.total("/api/hours", &teacher).await, 4);
        assert_eq!(app.total("/api/hours", &sibling).await, 0);
        let voided = app
            .get("/api/hours?status=approved", &admin)
            .await
            .expect(200);
        let flags: Vec<bool> = voided.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["voided"].as_bool().unwrap())
            .collect();
        assert_eq!(flags.iter().filter(|v| **v).count(), 1);
    }
);

both_engines!(
    completion_report_drills_down_and_equals_a_recount,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let (_, county) = app
            .region_admin("jj.report", "county_admin", "510104")
            .await;
        let a = app
            .create_school(&admin, &school_code(61), "510104", "锦江报表一小")
            .await;
        let b = app
            .create_school(&admin, &school_code(62), "510104", "锦江报表二小")
            .await;
        let c = app
            .create_school(&admin, &school_code(63), "510105", "青羊报表小学")
            .await;
        let mut body = program_body("510000", "provincial", 100);
        body["hour_rule"] = json!({ "kind": "cumulative" });
        body["completion"] = json!({ "required_hours": 10 });
        let id = app
            .post("/api/programs", &admin, &body)
            .await
            .expect(200)
            .id();
        app.post(&format!("/api/programs/{id}/publish"), &admin, &json!({}))
            .await
            .expect(200);
        allocate(&app, &admin, id, "510100", 20).await.expect(200);
        allocate(&app, &admin, id, "510104", 10).await.expect(200);
        allocate(&app, &admin, id, "510105", 5).await.expect(200);
        let mut teachers = Vec::new();
        for (school, n, seq) in [(&a, 3, 610), (&b, 2, 620), (&c, 1, 630)] {
            allocate(&app, &admin, id, school["code"].as_str().unwrap(), 5)
                .await
                .expect(200);
            for i in 0..n {
                teachers.push(
                    teacher_in(&app, &admin, school["id"].as_i64().unwrap(), seq + i, None).await,
                );
            }
        }
        // Enrol a1, a2, b1, c1; credit a1 10 h online (complete), a2 4 h practice, b1 10 h (complete), c1 2 h.
        let credits = [
            (teachers[0], "online", 10.0),
            (teachers[1], "practice", 4.0),
            (teachers[3], "online", 10.0),
            (teachers[5], "online", 2.0),
        ];
        for (tid, category, hours) in credits {
            let eid = enroll(&app, &admin, id, Some(tid)).await.expect(200).id();
            let entry = json!({ "teacher_id": tid, "enrollment_id": eid, "category": category, "hours": hours,
                            "occurred_on": "2026-05-01", "source": "course" });
            record(&app, &admin, entry).await.expect(200);
        }

        let row = |r: &Resp, code: &str| -> Value {
            r.body["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["node_code"] == code)
                .cloned()
                .unwrap()
        };
        let avg = |row: &Value, category: &str| -> f64 {
            row["average_hours"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["category"] == category)
                .unwrap()["hours"]
                .as_f64()
                .unwrap()
        };
        // The county admin's own report: one row per school.
        let r = app
            .get(&format!("/api/programs/{id}/report"), &county)
            .await
            .expect(200);
        assert_eq!(r.body["node_code"], "510104");
        let ra = row(&r, a["code"].as_str().unwrap());
        assert_eq!(
            (
                ra["teachers"].as_i64(),
                ra["enrolled"].as_i64(),
                ra["completed"].as_i64()
            ),
            (Some(3), Some(2), Some(1))
        );
        assert_eq!(
            (
                ra["participation_rate"].as_f64(),
                ra["completion_rate"].as_f64()
            ),
            (Some(0.6667), Some(0.5))
        );
        assert_eq!((avg(&ra, "online"), avg(&ra, "practice")), (5.0, 2.0));
        assert_eq!(r.body["total"]["enrolled"], 3);
        assert_eq!(r.body["total"]["completed"], 2);
        app.get(&format!("/api/programs/{id}/report?node=510105"), &county)
            .await
            .expect(404);

        // The province report: 21 cities; 成都市's numbers equal a direct recount of the enrolments.
        let p = app
            .get(&format!("/api/programs/{id}/report"), &admin)
            .await
            .expect(200);
        assert_eq!(p.body["rows"].as_array().unwrap().len(), 21);
        let cd = row(&p, "510100");
        use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let recount = entity::enrollment::Entity::find()
            .filter(entity::enrollment::Column::ProgramId.eq(id))
            .filter(entity::enrollment::Column::ReviewStatus.eq("approved"))
            .filter(entity::enrollment::Column::Path.starts_with("/510000/510100/"))
            .count(&app.db)
            .await
            .unwrap();
        let completed = entity::enrollment::Entity::find()
            .filter(entity::enrollment::Column::ProgramId.eq(id))
            .filter(entity::enrollment::Column::TrainingStatus.eq("completed"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(
            (
                cd["enrolled"].as_u64(),
                cd["completed"].as_u64(),
                cd["teachers"].as_i64()
            ),
            (Some(recount), Some(completed), Some(6))
        );
        assert_eq!(row(&p, "510700")["enrolled"], 0);

        // A school's report lists its teachers; the export carries the same rows.
        let s = app
            .get(
                &format!(
                    "/api/programs/{id}/report?node={}",
                    a["code"].as_str().unwrap()
                ),
                &county,
            )
            .await
            .expect(200);
        assert_eq!(s.body["teacher_rows"], true);
        assert_eq!(s.body["rows"].as_array().unwrap().len(), 3);
        let csv = app
            .get(
                &format!("/api/programs/{id}/report/export?format=csv"),
                &county,
            )
            .await
            .expect(200);
        let text = String::from_utf8(csv.bytes.clone()).unwrap();
        assert!(
            text.contains("锦江报表一小") && text.contains("66.67%"),
            "{text}"
        );
        // Maintained numbers follow a withdrawal and a deactivation, and a rebuild from the ledger agrees.
        let c1 = entity::enrollment::Entity::find()
            .filter(entity::enrollment::Column::TeacherId.eq(teachers[5]))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        app.post(
            &format!("/api/enrollments/{}/withdraw", c1.id),
            &admin,
            &json!({ "reason": "调岗" }),
        )
        .await
        .expect(200);
        app.post(
            &format!("/api/teachers/{}/deactivate", teachers[2]),
            &admin,
            &json!({}),
        )
        .await
        .expect(200);
        let p = app
            .get(&format!("/api/programs/{id}/report"), &admin)
            .await
            .expect(200);
        let cd = row(&p, "510100");
        assert_eq!(
            (cd["enrolled"].as_i64(), cd["teachers"].as_i64()),
            (Some(3), Some(5))
        );
        assert_eq!(avg(&cd, "online"), 6.67, "20 h online over 3 enrolled");
        let rebuild = |app: &TestApp| {
            let db = app.db.clone();
            async move {
                yanxiu::training::stats::rebuild(&db, 2021)
                    .await
                    .expect("rebuild")
            }
        };
        assert_eq!(
            rebuild(&app).await.differing_rows,
            0,
            "maintained = recount"
        );
        app.db
            .execute_unprepared("UPDATE program_node_stats SET enrolled = enrolled + 7")
            .await
            .unwrap();
        assert!(rebuild(&app).await.differing_rows > 0, "a drift is found…");
        assert_eq!(rebuild(&app).await.differing_rows, 0, "…and repaired");

        app.create_account(
            &admin,
            "t.report",
            "teacher",
            a["code"].as_str().unwrap(),
            Some(teachers[0]),
        )
        .await;
        let t = app.login("t.report", PASSWORD).await;
        app.get(&format!("/api/programs/{id}/report"), &t)
            .await
            .expect(403);
    }
);

both_engines!(
    substitution_cycle_totals_and_certificate_pdf,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(71), "510104", "锦江替换小学")
            .await;
        let other = app
            .create_school(&admin, &school_code(72), "510104", "锦江另一小学")
            .await;
        let code = school["code"].as_str().unwrap().to_string();
        let sid = school["id"].as_i64().unwrap();
        let first = teacher_in(&app, &admin, sid, 710, None).await;
        let second = teacher_in(&app, &admin, sid, 711, Some("t711@example.cn")).await;
        let elsewhere = teacher_in(&app, &admin, other["id"].as_i64().unwrap(), 712, None).await;
        app.create_account(&admin, "t711", "teacher", &code, Some(second))
            .await;
        let teacher = app.login("t711", PASSWORD).await;
        let (_, sibling) = app.region_admin("qy.subst", "county_admin", "510105").await;
        let program = program_with_seats(&app, &admin, "assigned", &[(&code, 1)]).await;
        let eid = enroll(&app, &admin, program, Some(first))
            .await
            .expect(200)
            .id();

        // Substitution: same school only, not from another county, not by the teacher; the seat moves.
        let path = format!("/api/enrollments/{eid}/substitute");
        app.post(
            &path,
            &admin,
            &json!({ "teacher_id": elsewhere, "reason": "调岗" }),
        )
        .await
        .expect_field_error("teacher_id");
        app.post(
            &path,
            &sibling,
            &json!({ "teacher_id": second, "reason": "调岗" }),
        )
        .await
        .expect(404);
        app.post(
            &path,
            &admin,
            &json!({ "teacher_id": second, "reason": "" }),
        )
        .await
        .expect(422);
        let jobs_before = app.count_rows("jobs").await;
        let new = app
            .post(
                &path,
                &admin,
                &json!({ "teacher_id": second, "reason": "原教师调岗" }),
            )
            .await
            .expect(200);
        assert_eq!(new.body["teacher_id"], second);
        assert_eq!(new.body["review_status"], "approved");
        assert_eq!(
            app.count_rows("jobs").await,
            jobs_before + 1,
            "the substitute is told"
        );
        let old = app
            .get(&format!("/api/enrollments/{eid}"), &admin)
            .await
            .expect(200);
        assert_eq!(old.body["review_status"], "revoked");
        app.post(
            &path,
            &admin,
            &json!({ "teacher_id": second, "reason": "again" }),
        )
        .await
        .expect(409);
        let quotas = app
            .get(&format!("/api/programs/{program}/quotas"), &admin)
            .await
            .expect(200);
        let seat = quotas
            .body
            .as_array()
            .or(quotas.body["items"].as_array())
            .unwrap()
            .iter()
            .find(|q| q["node_code"] == code.as_str())
            .cloned()
            .unwrap();
        assert_eq!(seat["used"], 1, "the seat stayed taken: {seat}");
        let report = app
            .get(
                &format!("/api/programs/{program}/report?node=510104"),
                &admin,
            )
            .await
            .expect(200);
        assert_eq!(report.body["total"]["enrolled"], 1);

        // Hours count towards the 5-year cycle (2026–2030 with the anchor 2021), enrolled or not.
        let new_id = new.id();
        for (enrollment, hours) in [(json!(new_id), 30.0), (json!(null), 20.5)] {
            app.post(
                "/api/hours",
                &admin,
                &json!({ "teacher_id": second, "enrollment_id": enrollment, "category": "practice",
                    "hours": hours, "occurred_on": "2026-04-01", "source": "course" }),
            )
            .await
            .expect(200);
        }
        app.post(
            "/api/hours",
            &admin,
            &json!({ "teacher_id": second, "category": "online", "hours": 8,
                "occurred_on": "2024-04-01", "source": "course" }),
        )
        .await
        .expect(200);
        let cycles = app.get("/api/hours/cycles", &teacher).await.expect(200);
        assert_eq!(cycles.body[0]["cycle_start"], 2026);
        assert_eq!(cycles.body[0]["hours"], 50.5);
        assert_eq!(cycles.body[0]["required_hours"], 360.0);
        assert_eq!(cycles.body[0]["reached"], false);
        assert_eq!(cycles.body[1]["cycle_start"], 2021);
        assert_eq!(cycles.body[1]["hours"], 8.0);
        app.get(&format!("/api/hours/cycles?teacher_id={second}"), &sibling)
            .await
            .expect(404);

        // 30 h online on top completes the designated rule (20 online + 30 practice): the PDF is there.
        app.post(
            "/api/hours",
            &admin,
            &json!({ "teacher_id": second, "enrollment_id": new_id, "category": "online",
                "hours": 20, "occurred_on": "2026-05-01", "source": "course" }),
        )
        .await
        .expect(200);
        let certs = app.get("/api/certificates", &teacher).await.expect(200);
        let number = certs.body["items"][0]["number"]
            .as_str()
            .unwrap()
            .to_string();
        let pdf = app
            .get(&format!("/api/certificates/{number}/pdf"), &teacher)
            .await
            .expect(200);
        assert!(pdf.bytes.starts_with(b"%PDF-"), "a PDF");
        // Read as a reader would (poppler): the text extracts, the verification address and number included.
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &pdf.bytes).unwrap();
        let text = std::process::Command::new("pdftotext")
            .arg(file.path())
            .arg("-")
            .output()
            .expect("pdftotext (install poppler-utils)");
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(
            text.contains(&format!("/verify/{number}")),
            "verification address in the PDF: {text}"
        );
        assert!(text.contains("学时"), "{text}");
        app.get(&format!("/api/certificates/{number}/pdf"), &sibling)
            .await
            .expect(404);
        app.get(&format!("/api/certificates/{number}/pdf"), &admin)
            .await
            .expect(200);
        assert_eq!(
            yanxiu::training::stats::rebuild(&app.db, 2021)
                .await
                .unwrap()
                .differing_rows,
            0,
            "substitution, cycles and completion kept the maintained numbers exact"
        );
    }
);

both_engines!(uploads_are_limited_and_checked, |app: TestApp| async move {
    let admin = app.as_admin().await;
    app.upload_file(&admin, "evidence", "run.exe", b"MZ\x90\x00")
        .await
        .expect_field_error("name");
    app.upload_file(&admin, "evidence", "fake.pdf", b"MZ\x90\x00")
        .await
        .expect_field_error("file");
    app.upload_file(&admin, "evidence", "empty.txt", b"")
        .await
        .expect_field_error("file");
    let big = vec![b'a'; app.config.upload_max_bytes + 1];
    app.upload_file(&admin, "evidence", "big.txt", &big)
        .await
        .expect(413);
    assert_eq!(
        app.count_rows("files").await,
        0,
        "nothing stored from bad uploads"
    );
    let ok = app
        .upload_file(&admin, "coursework", "笔记.txt", "学习笔记".as_bytes())
        .await
        .expect(200);
    assert_eq!(ok.body["content_type"], "text/plain; charset=utf-8");
    assert_eq!(ok.body["size"], 12);
    let got = app
        .get(&format!("/api/files/{}/content", ok.id()), &admin)
        .await
        .expect(200);
    assert_eq!(got.bytes, "学习笔记".as_bytes());
    assert_eq!(got.content_type(), "text/plain; charset=utf-8");
    let disposition = got.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.contains("filename*=UTF-8''%E7%AC%94%E8%AE%B0.txt"),
        "the Chinese name survives: {disposition}"
    );
    app.call(
        poem::http::Method::GET,
        &format!("/api/files/{}", ok.id()),
        None,
        None,
    )
    .await
    .expect(401);
});

both_engines!(
    bulk_assignment_is_all_or_nothing,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(91), "510104", "锦江批量小学")
            .await;
        let code = school["code"].as_str().unwrap().to_string();
        let sid = school["id"].as_i64().unwrap();
        let mut ids = Vec::new();
        for seq in 910..913 {
            ids.push(teacher_in(&app, &admin, sid, seq, None).await);
        }
        let (_, sibling) = app.region_admin("qy.bulk", "county_admin", "510105").await;
        let program = program_with_seats(&app, &admin, "assigned", &[(&code, 2)]).await;
        let bulk = format!("/api/programs/{program}/enrollments/bulk");

        // Three teachers, two seats: the report names the one that does not fit; nothing is written.
        let r = app
            .post(&bulk, &admin, &json!({ "node": code, "dry_run": false }))
            .await
            .expect(200);
        assert_eq!(
            (
                r.body["total"].as_u64(),
                r.body["assignable"].as_u64(),
                r.body["committed"].as_bool()
            ),
            (Some(3), Some(2), Some(false))
        );
        assert_eq!(r.body["errors"][0]["teacher_id"], ids[2]);
        assert_eq!(app.count_rows("enrollments").await, 0);
        allocate(&app, &admin, program, &code, 3).await.expect(200);

        // By filter: 学科 narrows it; a dry run writes nothing; the real run writes all.
        let r = app
            .post(&bulk, &admin, &json!({ "node": code, "subject": "化学" }))
            .await
            .expect(200);
        assert_eq!(r.body["total"], 0);
        let r = app
            .post(&bulk, &admin, &json!({ "node": code }))
            .await
            .expect(200);
        assert_eq!(
            (r.body["assignable"].as_u64(), r.body["committed"].as_bool()),
            (Some(3), Some(false))
        );
        assert_eq!(app.count_rows("enrollments").await, 0);
        let r = app
            .post(&bulk, &admin, &json!({ "node": code, "dry_run": false }))
            .await
            .expect(200);
        assert_eq!(r.body["committed"], true);
        assert_eq!(app.count_rows("enrollments").await, 3);
        let report = app
            .get(
                &format!("/api/programs/{program}/report?node=510104"),
                &admin,
            )
            .await
            .expect(200);
        assert_eq!(report.body["total"]["enrolled"], 3);

        // Again: all three are enrolled already, so nothing more; out-of-area ids are refused whole.
        let r = app
            .post(
                &bulk,
                &admin,
                &json!({ "teacher_ids": ids, "dry_run": false }),
            )
            .await
            .expect(200);
        assert_eq!(
            (
                r.body["errors"].as_array().unwrap().len(),
                r.body["committed"].as_bool()
            ),
            (3, Some(false))
        );
        app.post(&bulk, &sibling, &json!({ "teacher_ids": [ids[0]] }))
            .await
            .expect_field_error("teacher_ids");
        app.post(&bulk, &admin, &json!({}))
            .await
            .expect_field_error("teacher_ids");
        assert_eq!(
            yanxiu::training::stats::rebuild(&app.db, 2021)
                .await
                .unwrap()
                .differing_rows,
            0
        );
    }
);

/// A program whose stored `column` is then set to `value`, outside its set, by direct SQL: no API can store such a
/// value, but a hand-edited or future row can, and the read must fail loudly rather than show a guessed state.
async fn program_read_fails_with_stored(app: &TestApp, column: &str, value: &str) {
    use sea_orm::ConnectionTrait;
    let admin = app.as_admin().await;
    let id = app
        .post(
            "/api/programs",
            &admin,
            &program_body("510000", "provincial", 10),
        )
        .await
        .expect(200)
        .id();
    app.get(&format!("/api/programs/{id}"), &admin)
        .await
        .expect(200);
    app.db
        .execute_unprepared(&format!(
            "UPDATE programs SET {column} = '{value}' WHERE id = {id}"
        ))
        .await
        .unwrap();
    app.get(&format!("/api/programs/{id}"), &admin)
        .await
        .expect_problem(500, "internal_error");
}

both_engines!(
    unknown_stored_state_is_an_error,
    |app: TestApp| async move {
        program_read_fails_with_stored(&app, "status", "archived").await;
    }
);

both_engines!(
    unknown_stored_program_level_is_an_error,
    |app: TestApp| async move {
        // The level once fell back to 校本 silently, which would hand the program to a school it was never meant for.
        program_read_fails_with_stored(&app, "level", "regional").await;
    }
);
