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
