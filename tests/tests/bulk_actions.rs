//! Bulk actions with per-item outcomes (批量启用 / 停用, 批量审核 of 补录 hours) and 分配到下级 of a quota: every item
//! goes through the access module on its own, a refused item is left unchanged and named with its reason, each
//! change is audited, and a request over the limit changes nothing.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use yanxiu_tests::*;

async fn audit_count(app: &TestApp, action: &str) -> usize {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq(action))
        .count(&app.db)
        .await
        .unwrap() as usize
}

fn refused_ids(outcome: &Value) -> Vec<(i64, String)> {
    outcome["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_i64().unwrap(),
                r["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A school in `county` with `teachers` teachers (ID numbers from `seq`): (school code, school id, teacher ids).
async fn school_with_teachers(
    app: &TestApp,
    admin: &str,
    seq: u32,
    county: &str,
    teachers: u32,
) -> (String, i64, Vec<i64>) {
    let school = app
        .create_school(admin, &school_code(seq), county, &format!("批量学校{seq}"))
        .await;
    let sid = school["id"].as_i64().unwrap();
    let mut ids = Vec::new();
    for n in 0..teachers {
        let t = app
            .create_teacher(
                admin,
                sid,
                &format!("批量教师{seq}{n}"),
                &id_card(county, seq * 10 + n),
            )
            .await;
        ids.push(t["id"].as_i64().unwrap());
    }
    (school["code"].as_str().unwrap().to_string(), sid, ids)
}

async fn teacher_active(app: &TestApp, admin: &str, id: i64) -> bool {
    app.get(&format!("/api/teachers/{id}"), admin)
        .await
        .expect(200)
        .body["active"]
        .as_bool()
        .unwrap()
}

both_engines!(
    teachers_are_deactivated_in_bulk_item_by_item,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let (_, _, mine) = school_with_teachers(&app, &admin, 701, "510104", 2).await;
        let (_, _, sibling) = school_with_teachers(&app, &admin, 702, "510105", 1).await;
        let (_, county) = app.region_admin("jj.bulk", "county_admin", "510104").await;

        // Over the limit, or empty: refused whole, nothing changes.
        let too_many: Vec<i64> = (0..501).map(|i| mine[0] + i).collect();
        app.post(
            "/api/teachers/active",
            &county,
            &json!({ "teacher_ids": too_many, "active": false }),
        )
        .await
        .expect(422);
        app.post(
            "/api/teachers/active",
            &county,
            &json!({ "teacher_ids": [], "active": false }),
        )
        .await
        .expect(422);
        assert!(teacher_active(&app, &admin, mine[0]).await);

        // My two are deactivated; the other county's teacher and a missing id are refused and left as they were;
        // a repeated id counts once.
        let ids = json!([mine[0], mine[1], sibling[0], 99_999_999, mine[0]]);
        let out = app
            .post(
                "/api/teachers/active",
                &county,
                &json!({ "teacher_ids": ids, "active": false }),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(
            (out["requested"].as_u64(), out["done"].as_u64()),
            (Some(4), Some(2))
        );
        assert_eq!(
            refused_ids(&out),
            vec![
                (sibling[0], "not_found".into()),
                (99_999_999, "not_found".into())
            ]
        );
        assert!(!teacher_active(&app, &admin, mine[0]).await);
        assert!(!teacher_active(&app, &admin, mine[1]).await);
        assert!(teacher_active(&app, &admin, sibling[0]).await);
        assert_eq!(audit_count(&app, "teacher.deactivate").await, 2);

        // Reactivation goes the same way, audited as such.
        let out = app
            .post(
                "/api/teachers/active",
                &county,
                &json!({ "teacher_ids": [mine[0]], "active": true }),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(out["done"], 1);
        assert!(teacher_active(&app, &admin, mine[0]).await);
        assert_eq!(audit_count(&app, "teacher.activate").await, 1);
    }
);

/// A pending 补录 of 3 hours filed by the teacher `tid` (an account is made for them): the entry's id.
async fn pending_supplement(app: &TestApp, admin: &str, school: &str, tid: i64) -> i64 {
    let username = format!("teacher{tid}");
    app.create_account(admin, &username, "teacher", school, Some(tid))
        .await;
    let teacher = app.login(&username, PASSWORD).await;
    let proof = app
        .upload_file(&teacher, "evidence", "结业证书.pdf", TINY_PDF)
        .await
        .expect(200);
    let body = json!({ "category": "practice", "hours": 3.0, "occurred_on": "2026-05-01",
        "source": "supplement", "evidence": [proof.id()] });
    let entry = app.post("/api/hours", &teacher, &body).await.expect(200);
    assert_eq!(entry.body["status"], "pending");
    entry.id()
}

async fn hour_status(app: &TestApp, admin: &str, id: i64) -> String {
    let list = app.get("/api/hours?page_size=100", admin).await.expect(200);
    list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .map(|e| e["status"].as_str().unwrap().to_string())
        .unwrap()
}

both_engines!(
    supplements_are_decided_in_bulk_item_by_item,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let (code_a, _, mine) = school_with_teachers(&app, &admin, 711, "510104", 2).await;
        let (code_b, _, other) = school_with_teachers(&app, &admin, 712, "510105", 1).await;
        let a1 = pending_supplement(&app, &admin, &code_a, mine[0]).await;
        let a2 = pending_supplement(&app, &admin, &code_a, mine[1]).await;
        let b1 = pending_supplement(&app, &admin, &code_b, other[0]).await;
        let (_, county) = app.region_admin("jj.hours", "county_admin", "510104").await;

        // Whole-request refusals change nothing: a rejection without a reason, too many ids.
        app.post(
            "/api/hours/decisions",
            &county,
            &json!({ "entry_ids": [a1], "decision": "reject", "reason": " " }),
        )
        .await
        .expect_field_error("reason");
        let too_many: Vec<i64> = (0..501).map(|i| a1 + i).collect();
        app.post(
            "/api/hours/decisions",
            &county,
            &json!({ "entry_ids": too_many, "decision": "approve" }),
        )
        .await
        .expect(422);
        assert_eq!(hour_status(&app, &admin, a1).await, "pending");

        let out = app
            .post(
                "/api/hours/decisions",
                &county,
                &json!({ "entry_ids": [a1, a2, b1, 99_999_999], "decision": "approve" }),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(
            (out["requested"].as_u64(), out["done"].as_u64()),
            (Some(4), Some(2))
        );
        assert_eq!(
            refused_ids(&out),
            vec![(b1, "not_found".into()), (99_999_999, "not_found".into())]
        );
        assert_eq!(hour_status(&app, &admin, a1).await, "approved");
        assert_eq!(hour_status(&app, &admin, a2).await, "approved");
        assert_eq!(hour_status(&app, &admin, b1).await, "pending");
        assert_eq!(audit_count(&app, "hours.approve").await, 2);

        // Deciding again is refused per entry with the reason; the province rejects the other county's with one reason.
        let again = app
            .post(
                "/api/hours/decisions",
                &county,
                &json!({ "entry_ids": [a1], "decision": "reject", "reason": "证明不清晰" }),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(again["done"], 0);
        assert_eq!(refused_ids(&again), vec![(a1, "entry_not_pending".into())]);
        assert_eq!(hour_status(&app, &admin, a1).await, "approved");
        let out = app
            .post(
                "/api/hours/decisions",
                &admin,
                &json!({ "entry_ids": [b1], "decision": "reject", "reason": "证明不清晰" }),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(out["done"], 1);
        assert_eq!(hour_status(&app, &admin, b1).await, "rejected");
        assert_eq!(audit_count(&app, "hours.reject").await, 1);
    }
);

fn share_of(plan: &Value, code: &str) -> (i64, i64) {
    let s = plan["shares"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["node_code"] == code)
        .unwrap();
    (
        s["teachers"].as_i64().unwrap(),
        s["added"].as_i64().unwrap(),
    )
}

both_engines!(
    a_county_shares_its_seats_among_its_schools_and_assigns_them_all,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let (big, _, big_teachers) = school_with_teachers(&app, &admin, 721, "510104", 3).await;
        let (small, _, _) = school_with_teachers(&app, &admin, 722, "510104", 1).await;
        let (empty, _, _) = school_with_teachers(&app, &admin, 723, "510104", 0).await;
        let (_, _, outside) = school_with_teachers(&app, &admin, 724, "510105", 2).await;
        let body = json!({
            "name": "2026年信息技术应用能力提升", "level": "provincial", "kind": "信息技术应用能力提升",
            "year": 2026, "enrolment_mode": "assigned", "hour_rule": { "kind": "cumulative" },
            "completion": { "required_hours": 10 }, "owner_code": "510000", "seats": 100,
        });
        let program = app
            .post("/api/programs", &admin, &body)
            .await
            .expect(200)
            .id();
        app.post(
            &format!("/api/programs/{program}/publish"),
            &admin,
            &json!({}),
        )
        .await
        .expect(200);
        let quota = |node: &str| format!("/api/programs/{program}/quotas/{node}");
        app.put(&quota("510100"), &admin, &json!({ "seats": 50 }))
            .await
            .expect(200);
        app.put(&quota("510104"), &admin, &json!({ "seats": 30 }))
            .await
            .expect(200);
        app.put(&quota("510105"), &admin, &json!({ "seats": 5 }))
            .await
            .expect(200);
        let (_, county) = app.region_admin("jj.quota", "county_admin", "510104").await;
        let distribute = |node: &str| format!("/api/programs/{program}/quotas/{node}/distribute");
        let rows_before = app.count_rows("program_quotas").await;

        // Previews write nothing: even 10 / 10 / 10; by teachers 3 : 1 : 0 of 30 is 23 / 7 / 0.
        let even = app
            .post(&distribute("510104"), &county, &json!({ "method": "even" }))
            .await
            .expect(200)
            .body;
        assert_eq!(
            (even["available"].as_i64(), even["committed"].as_bool()),
            (Some(30), Some(false))
        );
        let adds: Vec<i64> = even["shares"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["added"].as_i64().unwrap())
            .collect();
        assert_eq!(adds, vec![10, 10, 10]);
        let plan = app
            .post(
                &distribute("510104"),
                &county,
                &json!({ "method": "teachers" }),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(share_of(&plan, &big), (3, 23));
        assert_eq!(share_of(&plan, &small), (1, 7));
        assert_eq!(share_of(&plan, &empty), (0, 0));
        assert_eq!(app.count_rows("program_quotas").await, rows_before);

        // Out of my area: the city above me and the county beside me do not exist for me.
        app.post(&distribute("510100"), &county, &json!({ "method": "even" }))
            .await
            .expect(404);
        app.post(&distribute("510105"), &county, &json!({ "method": "even" }))
            .await
            .expect(404);

        // Committed: each school's quota audited like a single allocation; the county has nothing left.
        let audits = audit_count(&app, "program.quota").await;
        let done = app
            .post(
                &distribute("510104"),
                &county,
                &json!({ "method": "teachers", "dry_run": false }),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(done["committed"], true);
        assert_eq!(audit_count(&app, "program.quota").await, audits + 2);
        let quotas = app
            .get(&format!("/api/programs/{program}/quotas"), &county)
            .await
            .expect(200)
            .body;
        let seats = |code: &str| {
            quotas
                .as_array()
                .unwrap()
                .iter()
                .find(|q| q["node_code"] == code)
                .map(|q| q["seats"].as_i64().unwrap())
        };
        assert_eq!(
            (seats(&big), seats(&small), seats(&empty)),
            (Some(23), Some(7), None)
        );
        assert_eq!(seats("510104"), Some(30));
        let again = app
            .post(
                &distribute("510104"),
                &county,
                &json!({ "method": "even", "dry_run": false }),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(
            (again["available"].as_i64(), again["committed"].as_bool()),
            (Some(0), Some(false))
        );

        // The county's code now assigns every teacher of its schools, and none of the county beside it.
        let assigned = app
            .post(
                &format!("/api/programs/{program}/enrollments/bulk"),
                &county,
                &json!({ "node": "510104", "dry_run": false }),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(
            (assigned["total"].as_u64(), assigned["committed"].as_bool()),
            (Some(4), Some(true))
        );
        let enrolled = app
            .get(
                &format!("/api/programs/{program}/enrollments?page_size=100"),
                &admin,
            )
            .await
            .expect(200);
        let ids: Vec<i64> = enrolled.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["teacher_id"].as_i64().unwrap())
            .collect();
        assert!(big_teachers.iter().all(|t| ids.contains(t)));
        assert!(outside.iter().all(|t| !ids.contains(t)));
        // A city code is not mine to assign from: refused, nothing written.
        let before = app.count_rows("enrollments").await;
        let city = app
            .post(
                &format!("/api/programs/{program}/enrollments/bulk"),
                &county,
                &json!({ "node": "510100", "dry_run": false }),
            )
            .await;
        assert!(matches!(city.status, 404 | 422), "{}", city.status);
        assert_eq!(app.count_rows("enrollments").await, before);
    }
);
