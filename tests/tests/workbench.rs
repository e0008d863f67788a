//! The workbench (工作台): an administrator's cards equal a recount of the source rows and stay inside their area;
//! each 待办 count follows the event that fills or empties its queue; a teacher sees their own progress.
#![allow(clippy::unwrap_used)]

use sea_orm::EntityTrait;
use serde_json::{Value, json};
use yanxiu_tests::*;

const YEAR: &str = "year=2026";

/// (teachers, enrolments, completed, approved half-hours) under `path`, counted from the rows themselves:
/// active teachers, and approved enrolments of the year's programs with their hours.
async fn recount(app: &TestApp, path: &str) -> (i64, i64, i64, i64) {
    let teachers = entity::teacher::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.active && t.path.starts_with(path))
        .count() as i64;
    let programs: Vec<i64> = entity::program::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.year == 2026)
        .map(|p| p.id)
        .collect();
    let enrolments: Vec<entity::enrollment::Model> = entity::enrollment::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| {
            e.path.starts_with(path)
                && programs.contains(&e.program_id)
                && e.review_status == entity::enrollment::ReviewStatus::Approved
        })
        .collect();
    let completed = enrolments
        .iter()
        .filter(|e| e.training_status == entity::enrollment::TrainingStatus::Completed)
        .count() as i64;
    let half_hours = enrolments
        .iter()
        .map(|e| {
            i64::from(
                e.hours_centralized
                    + e.hours_online
                    + e.hours_ict
                    + e.hours_regional
                    + e.hours_school_based
                    + e.hours_practice,
            )
        })
        .sum();
    (teachers, enrolments.len() as i64, completed, half_hours)
}

async fn assert_figures_match(app: &TestApp, figures: &Value, path: &str) {
    let (teachers, enrolments, completed, half_hours) = recount(app, path).await;
    assert_eq!(figures["teachers"], teachers, "{path}: {figures}");
    assert_eq!(figures["enrolments"], enrolments, "{path}: {figures}");
    assert_eq!(figures["completed"], completed, "{path}: {figures}");
    let average = if enrolments == 0 {
        0.0
    } else {
        (half_hours as f64 / 2.0 / enrolments as f64 * 100.0).round() / 100.0
    };
    assert_eq!(figures["average_hours"].as_f64(), Some(average), "{path}");
}

fn school_path(code: &str) -> String {
    format!("/510000/510100/510104/{code}/")
}

async fn teacher_at(app: &TestApp, admin: &str, school_id: i64, seq: u32, county: &str) -> i64 {
    app.create_teacher(
        admin,
        school_id,
        &format!("工作台教师{seq}"),
        &id_card(county, seq),
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

async fn record_hours(app: &TestApp, token: &str, teacher: i64, enrolment: i64, hours: f64) {
    app.post(
        "/api/hours",
        token,
        &json!({ "teacher_id": teacher, "enrollment_id": enrolment, "category": "online", "hours": hours,
            "occurred_on": "2026-05-01", "source": "course", "evidence": [] }),
    )
    .await
    .expect(200);
}

async fn assign(app: &TestApp, admin: &str, program: i64, teacher: i64) -> i64 {
    app.post(
        &format!("/api/programs/{program}/enrollments"),
        admin,
        &json!({ "teacher_id": teacher }),
    )
    .await
    .expect(200)
    .id()
}

both_engines!(
    cards_equal_a_recount_and_stay_in_the_area,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let a = app
            .create_school(&admin, &school_code(61), "510104", "锦江工作台一小")
            .await;
        let b = app
            .create_school(&admin, &school_code(62), "510104", "锦江工作台二小")
            .await;
        let c = app
            .create_school(&admin, &school_code(63), "510105", "青羊工作台小学")
            .await;
        let (a_code, b_code) = (a["code"].as_str().unwrap(), b["code"].as_str().unwrap());
        let (a_id, b_id, c_id) = (
            a["id"].as_i64().unwrap(),
            b["id"].as_i64().unwrap(),
            c["id"].as_i64().unwrap(),
        );
        let mut at_a = Vec::new();
        for seq in 1..=3 {
            at_a.push(teacher_at(&app, &admin, a_id, seq, "510104").await);
        }
        let at_b = teacher_at(&app, &admin, b_id, 4, "510104").await;
        teacher_at(&app, &admin, b_id, 5, "510104").await;
        teacher_at(&app, &admin, c_id, 6, "510105").await;
        let program = app.province_program(&admin, a_code, 10.0).await;
        app.put(
            &format!("/api/programs/{program}/quotas/{b_code}"),
            &admin,
            &json!({ "seats": 3 }),
        )
        .await
        .expect(200);
        let e1 = assign(&app, &admin, program, at_a[0]).await;
        let e2 = assign(&app, &admin, program, at_a[1]).await;
        let e3 = assign(&app, &admin, program, at_b).await;
        record_hours(&app, &admin, at_a[0], e1, 12.0).await;
        record_hours(&app, &admin, at_a[1], e2, 4.5).await;
        record_hours(&app, &admin, at_b, e3, 1.0).await;

        let (_, county) = app
            .region_admin("jj.workbench", "county_admin", "510104")
            .await;
        let mine = app
            .get(&format!("/api/workbench?{YEAR}"), &county)
            .await
            .expect(200);
        let figures = &mine.body["figures"];
        assert_eq!(figures["level"], "county");
        assert_eq!(figures["total"]["code"], "510104");
        assert_figures_match(&app, &figures["total"], "/510000/510100/510104/").await;
        assert_eq!(
            (
                figures["total"]["teachers"].as_i64(),
                figures["total"]["completed"].as_i64()
            ),
            (Some(5), Some(1))
        );
        // One row per school of the county, each equal to its recount; the other county's school is not there.
        let children = figures["children"].as_array().unwrap();
        let codes: Vec<&str> = children
            .iter()
            .map(|c| c["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, [a_code, b_code]);
        for (row, code) in children.iter().zip([a_code, b_code]) {
            assert_figures_match(&app, row, &school_path(code)).await;
        }
        assert_eq!(children[0]["enrolments"], 2);
        assert_eq!(children[0]["completion_rate"], 0.5);
        assert_eq!(figures["lessons_submitted"], 0);
        // No teacher figures, no reviews for an administrator.
        assert!(mine.body.get("teacher").is_none() && mine.body.get("reviews").is_none());

        // Drilling down stays inside the area: a school of mine answers, the sibling county is a 404.
        let school = app
            .get(&format!("/api/workbench?{YEAR}&node={a_code}"), &county)
            .await
            .expect(200);
        assert_eq!(school.body["figures"]["level"], "school");
        assert_eq!(school.body["figures"]["children"], json!([]));
        assert_figures_match(&app, &school.body["figures"]["total"], &school_path(a_code)).await;
        app.get(&format!("/api/workbench?{YEAR}&node=510105"), &county)
            .await
            .expect(404);
        app.get("/api/workbench?year=1999", &county)
            .await
            .expect(400);

        // The province sees everything, its cities as children; the city row holds both counties.
        let province = app
            .get(&format!("/api/workbench?{YEAR}"), &admin)
            .await
            .expect(200);
        let p = &province.body["figures"];
        assert_figures_match(&app, &p["total"], "/510000/").await;
        assert_eq!(p["total"]["teachers"], 6);
        let chengdu = p["children"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == "510100")
            .unwrap();
        assert_figures_match(&app, chengdu, "/510000/510100/").await;
        // Another year's figures are empty.
        let before = app
            .get("/api/workbench?year=2025", &admin)
            .await
            .expect(200);
        assert_eq!(before.body["figures"]["total"]["enrolments"], 0);
    }
);

async fn todo(app: &TestApp, token: &str, kind: &str) -> Option<u64> {
    let counts = app
        .get("/api/workbench/todo-counts", token)
        .await
        .expect(200);
    counts
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == kind)
        .map(|c| c["count"].as_u64().unwrap())
}

both_engines!(todo_counts_follow_their_events, |app: TestApp| async move {
    let admin = app.as_admin().await;
    let school = app
        .create_school(&admin, &school_code(71), "510104", "锦江待办小学")
        .await;
    let code = school["code"].as_str().unwrap().to_string();
    let tid = teacher_at(&app, &admin, school["id"].as_i64().unwrap(), 71, "510104").await;
    app.create_account(&admin, "t71", "teacher", &code, Some(tid))
        .await;
    app.create_account(&admin, "sa71", "school_admin", &code, None)
        .await;
    let teacher = app.login("t71", PASSWORD).await;
    let school_admin = app.login("sa71", PASSWORD).await;
    let (_, county) = app.region_admin("jj.todo", "county_admin", "510104").await;
    let (_, sibling) = app.region_admin("qy.todo", "county_admin", "510105").await;
    let enrolments = |token: String| {
        let app = &app;
        async move { todo(app, &token, "enrolment_decisions").await }
    };

    // The kinds follow the role: a teacher works no queue, a school admin no review round.
    assert_eq!(
        app.get("/api/workbench/todo-counts", &teacher)
            .await
            .expect(200)
            .body,
        json!([])
    );
    assert_eq!(todo(&app, &school_admin, "lesson_checks").await, Some(0));
    assert_eq!(todo(&app, &school_admin, "overdue_rounds").await, None);
    assert_eq!(todo(&app, &county, "overdue_rounds").await, Some(0));
    assert_eq!(todo(&app, &county, "failed_jobs").await, None);

    // A self-enrolment waits for the school, then for the county; the sibling county never sees it.
    let program = app.free_province_program(&admin, &code, 10.0).await;
    let eid = app
        .post(
            &format!("/api/programs/{program}/enrollments"),
            &teacher,
            &json!({ "teacher_id": null }),
        )
        .await
        .expect(200)
        .id();
    assert_eq!(enrolments(school_admin.clone()).await, Some(1));
    assert_eq!(enrolments(county.clone()).await, Some(0));
    let decide = format!("/api/enrollments/{eid}/decision");
    app.post(&decide, &school_admin, &json!({ "decision": "approve" }))
        .await
        .expect(200);
    assert_eq!(enrolments(school_admin.clone()).await, Some(0));
    assert_eq!(enrolments(county.clone()).await, Some(1));
    assert_eq!(enrolments(sibling.clone()).await, Some(0));
    app.post(&decide, &county, &json!({ "decision": "approve" }))
        .await
        .expect(200);
    assert_eq!(enrolments(county.clone()).await, Some(0));

    // A 补录 request raises the approvers' count; approving it lowers it again.
    let proof = app
        .upload_file(&teacher, "evidence", "结业证书.pdf", TINY_PDF)
        .await
        .expect(200);
    let pending = app
            .post(
                "/api/hours",
                &teacher,
                &json!({ "enrollment_id": eid, "category": "practice", "hours": 4.0,
                    "occurred_on": "2026-05-01", "source": "supplement", "evidence": [proof.id()] }),
            )
            .await
            .expect(200);
    assert_eq!(todo(&app, &school_admin, "hour_approvals").await, Some(1));
    assert_eq!(todo(&app, &county, "hour_approvals").await, Some(1));
    assert_eq!(todo(&app, &sibling, "hour_approvals").await, Some(0));
    // The workbench carries the same counts, each linked to its queue.
    let desk = app.get("/api/workbench", &school_admin).await.expect(200);
    let approvals = desk.body["todos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "hour_approvals")
        .unwrap()
        .clone();
    assert_eq!(
        approvals,
        json!({ "kind": "hour_approvals", "count": 1, "route": "/hours" })
    );
    app.post(
        &format!("/api/hours/{}/decision", pending.id()),
        &school_admin,
        &json!({ "decision": "approve" }),
    )
    .await
    .expect(200);
    assert_eq!(todo(&app, &school_admin, "hour_approvals").await, Some(0));
    assert_eq!(todo(&app, &county, "hour_approvals").await, Some(0));

    // The teacher's own workbench: the program with what counts and what is still missing.
    let mine = app.get("/api/workbench", &teacher).await.expect(200);
    assert!(mine.body.get("figures").is_none());
    let programs = mine.body["teacher"]["programs"].as_array().unwrap();
    assert_eq!(programs.len(), 1);
    assert_eq!(programs[0]["program_id"], program);
    assert_eq!(programs[0]["review_status"], "approved");
    assert_eq!(
        (
            programs[0]["counted_hours"].as_f64(),
            programs[0]["required_hours"].as_f64(),
            programs[0]["missing_hours"].as_f64()
        ),
        (Some(4.0), Some(10.0), Some(6.0))
    );
    assert_eq!(mine.body["teacher"]["certificates"], json!([]));
    // A teacher has no area to drill into.
    app.get("/api/workbench?node=510104", &teacher)
        .await
        .expect(403);
});
