//! The in-app inbox beside mail, notification preferences, and announcements to a subtree: targeting by node and
//! role, the validity window, reading and read counts per child region. Every test runs on both engines.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use yanxiu_tests::*;

/// A teacher with an e-mail address in a new 锦江区 school, and the account that signs in as them.
async fn mailed_teacher(app: &TestApp, admin: &str, seq: u32) -> (String, String) {
    let code = school_code(seq);
    let school = app
        .create_school(admin, &code, "510104", "锦江通知小学")
        .await;
    let mut body = teacher_body(
        school["id"].as_i64().unwrap(),
        "通知教师",
        &id_card("510104", seq),
    );
    body["email"] = json!(format!("t{seq}@example.cn"));
    let teacher = app
        .post("/api/teachers", admin, &body)
        .await
        .expect(200)
        .id();
    let username = format!("inbox.t{seq}");
    app.create_account(admin, &username, "teacher", &code, Some(teacher))
        .await;
    (app.login(&username, PASSWORD).await, code)
}

async fn assign(app: &TestApp, admin: &str, program: i64, token_teacher: &str) -> Resp {
    let me = app.get("/api/me", token_teacher).await.expect(200);
    let teacher = me.body["teacher_id"].as_i64().unwrap();
    app.post(
        &format!("/api/programs/{program}/enrollments"),
        admin,
        &json!({ "teacher_id": teacher }),
    )
    .await
}

async fn unread(app: &TestApp, token: &str) -> u64 {
    app.get("/api/inbox/unread-count", token)
        .await
        .expect(200)
        .body["unread"]
        .as_u64()
        .unwrap()
}

both_engines!(
    a_mailed_event_lands_in_the_inbox_and_preferences_turn_its_mail_off,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let (teacher, school) = mailed_teacher(&app, &admin, 61).await;
        let first = app.province_program(&admin, &school, 10.0).await;

        let jobs = app.count_rows("jobs").await;
        assign(&app, &admin, first, &teacher).await.expect(200);
        assert_eq!(
            app.count_rows("jobs").await,
            jobs + 1,
            "the assignment is mailed"
        );
        let inbox = app.get("/api/inbox", &teacher).await.expect(200);
        assert_eq!(
            inbox.body["total"],
            1,
            "and lands in the inbox: {}",
            inbox.text()
        );
        let message = &inbox.body["items"][0];
        assert_eq!(message["kind"], "enrollment");
        assert_eq!(message["link"], format!("/programs/{first}"));
        assert_eq!(message["read_at"], Value::Null);
        assert_eq!(unread(&app, &teacher).await, 1);

        // A refused event writes neither message nor mail: they share its transaction.
        assign(&app, &admin, first, &teacher).await.expect(409);
        assert_eq!(app.count_rows("jobs").await, jobs + 1);
        assert_eq!(app.count_rows("inbox_messages").await, 1);

        // Reading: mine only; someone else's message is not found.
        let id = message["id"].as_i64().unwrap();
        app.post(&format!("/api/inbox/{id}/read"), &admin, &json!({}))
            .await
            .expect(404);
        let read = app
            .post(&format!("/api/inbox/{id}/read"), &teacher, &json!({}))
            .await
            .expect(200);
        assert!(read.body["read_at"].is_string());
        assert_eq!(unread(&app, &teacher).await, 0);

        // Preferences: every kind by mail by default; security cannot be turned off.
        let prefs = app
            .get("/api/inbox/preferences", &teacher)
            .await
            .expect(200);
        let choices = prefs.body["choices"].as_array().unwrap();
        assert!(choices.iter().all(|c| c["by_mail"] == true));
        assert!(
            choices
                .iter()
                .any(|c| c["kind"] == "security" && c["mandatory"] == true)
        );
        app.put(
            "/api/inbox/preferences",
            &teacher,
            &json!({ "choices": [{ "kind": "security", "by_mail": false }] }),
        )
        .await
        .expect_field_error("choices[0].by_mail");
        let set = app
            .put(
                "/api/inbox/preferences",
                &teacher,
                &json!({ "choices": [{ "kind": "enrollment", "by_mail": false }] }),
            )
            .await
            .expect(200);
        let enrollment = set.body["choices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kind"] == "enrollment")
            .cloned();
        assert_eq!(enrollment.unwrap()["by_mail"], false);

        // Mail off for enrolments: the next one is in the inbox, not in the outbox.
        let second = app.province_program(&admin, &school, 10.0).await;
        assign(&app, &admin, second, &teacher).await.expect(200);
        assert_eq!(
            app.count_rows("jobs").await,
            jobs + 1,
            "no mail once turned off"
        );
        assert_eq!(app.total("/api/inbox", &teacher).await, 2);
        assert_eq!(app.total("/api/inbox?unread=true", &teacher).await, 1);
        let all = app
            .post("/api/inbox/read-all", &teacher, &json!({}))
            .await
            .expect(200);
        assert_eq!(all.body["marked"], 1);
        assert_eq!(unread(&app, &teacher).await, 0);
    }
);

both_engines!(
    a_password_reset_is_told_in_the_inbox_without_its_link,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let code = school_code(65);
        let school = app
            .create_school(&admin, &code, "510104", "锦江重设小学")
            .await;
        let t = app
            .create_teacher(
                &admin,
                school["id"].as_i64().unwrap(),
                "重设教师",
                &id_card("510104", 65),
            )
            .await;
        app.post(
        "/api/accounts",
        &admin,
        &json!({
            "username": "reset.t65", "password": PASSWORD, "display_name": "重设教师", "role": "teacher",
            "scope_code": code, "teacher_id": t["id"], "email": "t65@example.cn",
        }),
    )
    .await
    .expect(200);
        let teacher = app.login("reset.t65", PASSWORD).await;
        // Mail turned off for everything it may be turned off for: the reset still goes by mail.
        app.put(
        "/api/inbox/preferences",
        &teacher,
        &json!({ "choices": [{ "kind": "enrollment", "by_mail": false }, { "kind": "hours", "by_mail": false }] }),
    )
    .await
    .expect(200);
        let jobs = app.count_rows("jobs").await;
        app.post_public("/api/auth/forgot", &json!({ "login": "reset.t65" }))
            .await
            .expect(202);
        assert_eq!(app.count_rows("jobs").await, jobs + 1);
        let inbox = app.get("/api/inbox", &teacher).await.expect(200);
        assert_eq!(inbox.body["total"], 1);
        assert_eq!(inbox.body["items"][0]["kind"], "security");
        let body = inbox.body["items"][0]["body"].as_str().unwrap();
        assert!(
            !body.contains("token="),
            "the link goes only to the mailbox: {body}"
        );
    }
);

fn announcement(title: &str, roles: &[&str]) -> Value {
    json!({ "title": title, "body": "请按时参加培训。", "roles": roles })
}

async fn mine(app: &TestApp, token: &str) -> Vec<String> {
    let r = app.get("/api/announcements/mine", token).await.expect(200);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect()
}

both_engines!(
    announcements_reach_their_subtree_and_roles_within_their_validity,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let (teacher, school) = mailed_teacher(&app, &admin, 62).await;
        let (other_teacher, _) = {
            let code = school_code(63);
            let s = app
                .create_school(&admin, &code, "510105", "青羊通知小学")
                .await;
            let t = app
                .create_teacher(
                    &admin,
                    s["id"].as_i64().unwrap(),
                    "青羊教师",
                    &id_card("510105", 63),
                )
                .await;
            app.create_account(
                &admin,
                "inbox.qy",
                "teacher",
                &code,
                Some(t["id"].as_i64().unwrap()),
            )
            .await;
            (app.login("inbox.qy", PASSWORD).await, code)
        };
        let (_, county) = app
            .region_admin("ann.county", "county_admin", "510104")
            .await;
        let (_, other_county) = app
            .region_admin("ann.county2", "county_admin", "510105")
            .await;
        let (_, city) = app.region_admin("ann.city", "city_admin", "510100").await;
        app.create_account(&admin, "ann.reviewer", "reviewer", "510104", None)
            .await;
        let reviewer = app.login("ann.reviewer", PASSWORD).await;

        let everyone = app
            .post(
                "/api/announcements",
                &county,
                &announcement("全县通知", &[]),
            )
            .await
            .expect(200);
        assert_eq!(everyone.body["node_code"], "510104");
        let for_teachers = app
            .post(
                "/api/announcements",
                &county,
                &announcement("教师通知", &["teacher"]),
            )
            .await
            .expect(200);
        // Outside my area, and not an administrator at all.
        let mut elsewhere = announcement("越界", &[]);
        elsewhere["node_code"] = json!("510105");
        app.post("/api/announcements", &county, &elsewhere)
            .await
            .expect_field_error("node_code");
        app.post(
            "/api/announcements",
            &teacher,
            &announcement("教师发布", &[]),
        )
        .await
        .expect(403);
        // Validity: not yet, and already over.
        let now = chrono::Utc::now();
        let mut later = announcement("明日通知", &[]);
        later["valid_from"] = json!((now + chrono::Duration::days(1)).to_rfc3339());
        app.post("/api/announcements", &county, &later)
            .await
            .expect(200);
        let mut over = announcement("过期通知", &[]);
        over["valid_from"] = json!((now - chrono::Duration::days(2)).to_rfc3339());
        over["valid_until"] = json!((now - chrono::Duration::days(1)).to_rfc3339());
        app.post("/api/announcements", &county, &over)
            .await
            .expect(200);
        let mut backwards = announcement("倒置", &[]);
        backwards["valid_from"] = json!(now.to_rfc3339());
        backwards["valid_until"] = json!((now - chrono::Duration::days(1)).to_rfc3339());
        app.post("/api/announcements", &county, &backwards)
            .await
            .expect_field_error("valid_until");

        assert_eq!(mine(&app, &teacher).await, ["教师通知", "全县通知"]);
        assert!(
            mine(&app, &other_teacher).await.is_empty(),
            "a teacher of another county sees none"
        );
        assert_eq!(
            mine(&app, &reviewer).await,
            ["全县通知"],
            "a reviewer does not see the teachers-only one"
        );
        let id = everyone.id();
        app.get(&format!("/api/announcements/{id}"), &other_teacher)
            .await
            .expect(404);
        app.post(
            &format!("/api/announcements/{id}/read"),
            &other_teacher,
            &json!({}),
        )
        .await
        .expect(404);

        // Reading: unread first, and counted under the school the teacher sits in.
        let read = app
            .post(
                &format!("/api/announcements/{id}/read"),
                &teacher,
                &json!({}),
            )
            .await
            .expect(200);
        assert_eq!(read.body["read"], true);
        app.post(
            &format!("/api/announcements/{id}/read"),
            &teacher,
            &json!({}),
        )
        .await
        .expect(200);
        assert_eq!(mine(&app, &teacher).await, ["教师通知", "全县通知"]);
        assert_eq!(
            app.total("/api/announcements/mine?unread=true", &teacher)
                .await,
            1
        );
        app.post(
            &format!("/api/announcements/{id}/read"),
            &reviewer,
            &json!({}),
        )
        .await
        .expect(200);
        let counts = app
            .get(&format!("/api/announcements/{id}/read-counts"), &county)
            .await
            .expect(200);
        assert_eq!(counts.body["total"], 2);
        let regions = counts.body["regions"].as_array().unwrap();
        let at_school = regions
            .iter()
            .find(|r| r["code"] == school.as_str())
            .unwrap();
        assert_eq!(at_school["reads"], 1);
        let at_county = regions.iter().find(|r| r["code"].is_null()).unwrap();
        assert_eq!(
            at_county["reads"], 1,
            "the reviewer sits at the county node itself"
        );
        // The city above sees the counts; the county beside does not; a reader may not.
        app.get(&format!("/api/announcements/{id}/read-counts"), &city)
            .await
            .expect(200);
        app.get(
            &format!("/api/announcements/{id}/read-counts"),
            &other_county,
        )
        .await
        .expect(404);
        app.get(&format!("/api/announcements/{id}/read-counts"), &teacher)
            .await
            .expect(403);

        // A city announcement is counted per county.
        let city_wide = app
            .post("/api/announcements", &city, &announcement("全市通知", &[]))
            .await
            .expect(200)
            .id();
        app.post(
            &format!("/api/announcements/{city_wide}/read"),
            &teacher,
            &json!({}),
        )
        .await
        .expect(200);
        let counts = app
            .get(
                &format!("/api/announcements/{city_wide}/read-counts"),
                &city,
            )
            .await
            .expect(200);
        let regions = counts.body["regions"].as_array().unwrap();
        assert_eq!(
            regions.iter().find(|r| r["code"] == "510104").unwrap()["reads"],
            1
        );
        assert_eq!(
            regions.iter().find(|r| r["code"] == "510105").unwrap()["reads"],
            0
        );

        // Withdrawal: readers stop seeing it; once only; audited with the publication.
        let teachers_only = for_teachers.id();
        app.post(
            &format!("/api/announcements/{teachers_only}/withdraw"),
            &teacher,
            &json!({}),
        )
        .await
        .expect(403);
        app.post(
            &format!("/api/announcements/{teachers_only}/withdraw"),
            &county,
            &json!({}),
        )
        .await
        .expect(200);
        app.post(
            &format!("/api/announcements/{teachers_only}/withdraw"),
            &county,
            &json!({}),
        )
        .await
        .expect(409);
        assert_eq!(mine(&app, &teacher).await, ["全市通知", "全县通知"]);
        let audit = app
            .get("/api/audit?action=announcement.withdraw", &county)
            .await
            .expect(200);
        assert!(
            audit.text().contains("announcement.withdraw"),
            "{}",
            audit.text()
        );
        assert_eq!(
            app.total("/api/announcements", &county).await,
            4,
            "the county manages its four"
        );
        assert_eq!(
            app.total("/api/announcements", &city).await,
            5,
            "the city manages the county's too"
        );
    }
);

both_engines!(
    an_attachment_is_read_by_whoever_the_announcement_reaches,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let (teacher, _) = mailed_teacher(&app, &admin, 64).await;
        let (_, county) = app
            .region_admin("att.county", "county_admin", "510104")
            .await;
        let (_, other_county) = app
            .region_admin("att.county2", "county_admin", "510105")
            .await;
        let file = app
            .upload_file(&county, "announcement", "通知.txt", "培训安排".as_bytes())
            .await
            .expect(200)
            .id();
        // Someone else's upload cannot be attached.
        let mut theirs = announcement("附件", &[]);
        theirs["attachments"] = json!([file]);
        app.post("/api/announcements", &other_county, &theirs)
            .await
            .expect_field_error("attachments");
        app.get(&format!("/api/files/{file}"), &teacher)
            .await
            .expect(404);
        let a = app
            .post("/api/announcements", &county, &theirs)
            .await
            .expect(200);
        assert_eq!(a.body["attachments"][0]["id"], file);
        app.get(&format!("/api/files/{file}"), &teacher)
            .await
            .expect(200);
        app.get(&format!("/api/files/{file}"), &other_county)
            .await
            .expect(404);
    }
);
