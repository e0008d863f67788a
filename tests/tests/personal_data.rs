//! A person's own data (个人信息): a teacher sees their record masked (full on request, audited), their training
//! and files, and who revealed their ID number or exported data covering them — by role and area, never by name;
//! another teacher does not see that reveal; an account without a teacher gets its account data only; the JSON
//! download is an attachment and audited.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use yanxiu_tests::*;

fn entries<'a>(data: &'a Value, kind: &str) -> Vec<&'a Value> {
    data["access_history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == kind)
        .collect()
}

both_engines!(
    a_teacher_sees_who_revealed_their_id_and_others_do_not,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(1), "510104", "锦江区实验小学")
            .await;
        let school_id = school["id"].as_i64().unwrap();
        let mine = id_card("510104", 1);
        let t = app.create_teacher(&admin, school_id, "张老师", &mine).await;
        let u = app
            .create_teacher(&admin, school_id, "李老师", &id_card("510104", 2))
            .await;
        let (tid, uid) = (t["id"].as_i64().unwrap(), u["id"].as_i64().unwrap());
        app.create_account(&admin, "t.zhang", "teacher", &school_code(1), Some(tid))
            .await;
        app.create_account(&admin, "t.li", "teacher", &school_code(1), Some(uid))
            .await;
        let zhang = app.login("t.zhang", PASSWORD).await;
        let li = app.login("t.li", PASSWORD).await;

        // Nothing accessed yet.
        let before = app
            .get("/api/me/personal-data", &zhang)
            .await
            .expect(200)
            .body;
        assert_eq!(before["access_history"].as_array().unwrap().len(), 0);
        assert_eq!(before["teacher"]["id_card"], t["id_card_masked"]);
        assert_ne!(before["teacher"]["id_card"], json!(mine));
        assert_eq!(before["teacher"]["phone"], "138****5678");
        assert_eq!(before["full"], false);
        assert_eq!(before["account"]["username"], "t.zhang");
        assert_eq!(before["account"]["roles"][0]["role"], "teacher");

        // The province admin reveals 张老师 and exports the teacher list.
        app.post(&format!("/api/teachers/{tid}/reveal"), &admin, &json!({}))
            .await
            .expect(200);
        app.get("/api/export/teachers?format=csv", &admin)
            .await
            .expect(200);

        let data = app
            .get("/api/me/personal-data", &zhang)
            .await
            .expect(200)
            .body;
        let reveals = entries(&data, "reveal");
        assert_eq!(reveals.len(), 1, "{data}");
        let reveal = reveals[0];
        assert_eq!(reveal["action"], "teacher.reveal");
        assert!(reveal["meaning"].as_str().unwrap().contains("身份证号"));
        assert_eq!(reveal["actor_roles"][0]["role"], "province_admin");
        assert_eq!(reveal["actor_roles"][0]["scope_code"], "510000");
        assert!(
            !reveal.to_string().contains("\"admin\""),
            "the actor's name is not shown: {reveal}"
        );
        let exports = entries(&data, "export");
        assert_eq!(exports.len(), 1, "{data}");
        assert_eq!(exports[0]["rows"], 2);
        assert_eq!(data["counts"]["access_entries"], 2);
        // Written in the request's language: Chinese without Accept-Language, and only Chinese.
        let note = data["access_history_note"].as_str().unwrap();
        assert!(!note.is_empty() && !note.contains(" / "), "{note}");

        // 李老师 is in the exported list too, but nobody revealed them.
        let other = app.get("/api/me/personal-data", &li).await.expect(200).body;
        assert!(entries(&other, "reveal").is_empty(), "{other}");
        assert_eq!(entries(&other, "export").len(), 1);

        // The full values on request, audited; a teacher's own actions stay out of their history.
        let full = app
            .get("/api/me/personal-data?full=true", &zhang)
            .await
            .expect(200)
            .body;
        assert_eq!(full["full"], true);
        assert_eq!(full["teacher"]["id_card"], json!(mine));
        assert_eq!(full["teacher"]["phone"], "13812345678");
        assert_eq!(full["access_history"].as_array().unwrap().len(), 2);
        assert_eq!(
            app.total("/api/audit?action=personal_data.view_full", &admin)
                .await,
            1
        );

        // The download: a JSON attachment with the same content, audited.
        let file = app
            .get("/api/me/personal-data/download", &zhang)
            .await
            .expect(200);
        let disposition = file
            .headers
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(
            disposition.contains("personal-data-t.zhang-"),
            "{disposition}"
        );
        assert!(file.content_type().starts_with("application/json"));
        let saved: Value = serde_json::from_slice(&file.bytes).unwrap();
        assert_eq!(saved["teacher"]["name"], "张老师");
        assert_eq!(saved["teacher"]["id_card"], t["id_card_masked"]);
        assert_eq!(entries(&saved, "reveal").len(), 1);
        assert_eq!(
            app.total("/api/audit?action=personal_data.download", &admin)
                .await,
            1
        );
    }
);

both_engines!(
    an_account_without_a_teacher_gets_its_account_data_only,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(1), "510104", "锦江区实验小学")
            .await;
        let t = app
            .create_teacher(
                &admin,
                school["id"].as_i64().unwrap(),
                "张老师",
                &id_card("510104", 1),
            )
            .await;
        app.post(
            &format!("/api/teachers/{}/reveal", t["id"]),
            &admin,
            &json!({}),
        )
        .await
        .expect(200);
        let (_, county) = app.region_admin("jj.admin", "county_admin", "510104").await;
        for token in [&admin, &county] {
            let data = app
                .get("/api/me/personal-data?full=true", token)
                .await
                .expect(200)
                .body;
            assert!(data.get("teacher").is_none(), "{data}");
            assert_eq!(data["full"], false);
            assert_eq!(data["access_history"].as_array().unwrap().len(), 0);
            assert_eq!(data["enrolments"].as_array().unwrap().len(), 0);
            assert_eq!(data["counts"]["certificates"], 0);
        }
        let data = app
            .get("/api/me/personal-data", &county)
            .await
            .expect(200)
            .body;
        assert_eq!(data["account"]["username"], "jj.admin");
        assert_eq!(data["account"]["roles"][0]["role"], "county_admin");
        assert_eq!(data["account"]["roles"][0]["scope_name"], "锦江区");
        app.get("/api/me/personal-data/download", &county)
            .await
            .expect(200);
        app.get("/api/me/personal-data", "not-a-token")
            .await
            .expect(401);
    }
);
