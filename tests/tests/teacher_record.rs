//! 教师培训档案: a teacher reads their own record; administrators of their area read it masked and audited; nobody
//! else sees it (404). The record lists each kind of item and prints as a PDF with the Chinese text embedded.
#![allow(clippy::unwrap_used)]

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use yanxiu_tests::*;

async fn audit_count(app: &TestApp, action: &str) -> usize {
    entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq(action))
        .all(&app.db)
        .await
        .unwrap()
        .len()
}

both_engines!(
    teacher_record_shows_everything_to_whom_it_may,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(81), "510104", "锦江档案小学")
            .await;
        let code = school["code"].as_str().unwrap();
        let sid = school["id"].as_i64().unwrap();
        let t = app
            .create_teacher(&admin, sid, "档案教师", &id_card("510104", 810))
            .await["id"]
            .as_i64()
            .unwrap();
        let other = app
            .create_teacher(&admin, sid, "同校教师", &id_card("510104", 811))
            .await["id"]
            .as_i64()
            .unwrap();
        app.create_account(&admin, "t.record", "teacher", code, Some(t))
            .await;
        app.create_account(&admin, "o.record", "teacher", code, Some(other))
            .await;
        app.create_account(&admin, "sa.record", "school_admin", code, None)
            .await;
        let teacher = app.login("t.record", PASSWORD).await;
        let colleague = app.login("o.record", PASSWORD).await;
        let school_admin = app.login("sa.record", PASSWORD).await;
        let (_, sibling) = app
            .region_admin("qy.record", "county_admin", "510105")
            .await;

        // A completed program (with its certificate), its hours, and a 优课 award.
        let program = app.province_program(&admin, code, 10.0).await;
        let e = app
            .post(
                &format!("/api/programs/{program}/enrollments"),
                &admin,
                &json!({ "teacher_id": t }),
            )
            .await
            .expect(200)
            .id();
        app.post(
            "/api/hours",
            &admin,
            &json!({ "teacher_id": t, "enrollment_id": e, "category": "online", "hours": 12,
                 "occurred_on": "2026-05-01", "source": "course" }),
        )
        .await
        .expect(200);
        let activity = app.lesson_activity(2026).await;
        let node = app
            .round_node(activity, "一年级", "数学", "档案知识点")
            .await;
        let lesson = app.seeded_lesson(activity, node, t, "档案优课").await;
        let path = entity::teacher::Entity::find_by_id(t)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .path;
        use sea_orm::{ActiveModelTrait, Set};
        entity::lesson_award::ActiveModel {
            activity_id: Set(activity),
            lesson_id: Set(lesson),
            round_id: Set(0),
            level: Set(entity::lesson_award::LessonAwardLevel::City),
            path: Set(path),
            awarded_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();

        // The teacher's own record: not audited.
        let url = format!("/api/teachers/{t}/record");
        let r = app.get(&url, &teacher).await.expect(200);
        let b = &r.body;
        assert_eq!(b["teacher"]["name"], "档案教师");
        assert!(
            b["teacher"]["id_card_masked"]
                .as_str()
                .unwrap()
                .contains('*')
        );
        assert_eq!(b["programs"][0]["program_id"], program);
        assert_eq!(b["programs"][0]["training_status"], "completed");
        assert_eq!(b["hours"].as_array().unwrap().len(), 1);
        assert_eq!(b["hours"][0]["hours"], 12.0);
        assert_eq!(b["hours"][0]["category"], "online");
        let number = b["certificates"][0]["number"].as_str().unwrap().to_string();
        assert_eq!(
            b["certificates"][0]["pdf_url"],
            format!("/api/certificates/{number}/pdf")
        );
        app.get(b["certificates"][0]["pdf_url"].as_str().unwrap(), &teacher)
            .await
            .expect(200);
        assert_eq!(b["lessons"][0]["title"], "档案优课");
        assert_eq!(b["lessons"][0]["awards"], json!(["city"]));
        assert_eq!(b["cycles"][0]["required_hours"], 360.0);
        assert!(
            b["cycles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["cycle_start"] == 2026 && c["hours"] == 12.0)
        );
        assert!(b["quizzes"].as_array().unwrap().is_empty());
        assert!(b["competencies"].as_array().unwrap().is_empty());
        assert_eq!(audit_count(&app, "teacher_record.view").await, 0);

        // A colleague, another county, an unknown id: 404 alike.
        app.get(&url, &colleague).await.expect(404);
        app.get(&url, &sibling).await.expect(404);
        app.get("/api/teachers/999999/record", &school_admin)
            .await
            .expect(404);
        // The school's administrator reads it, masked, and that is audited.
        let seen = app.get(&url, &school_admin).await.expect(200);
        assert_eq!(
            seen.body["teacher"]["id_card_masked"],
            b["teacher"]["id_card_masked"]
        );
        assert_eq!(audit_count(&app, "teacher_record.view").await, 1);

        // Printed: a PDF whose text a reader extracts, Chinese included; audited when an administrator prints it.
        let pdf = app.get(&format!("{url}/pdf"), &teacher).await.expect(200);
        assert!(pdf.bytes.starts_with(b"%PDF-"));
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &pdf.bytes).unwrap();
        let out = std::process::Command::new("pdftotext")
            .arg(file.path())
            .arg("-")
            .output()
            .expect("pdftotext");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("档案教师") && text.contains("学时记录") && text.contains(&number),
            "{text}"
        );
        assert!(text.contains("档案优课"), "{text}");
        assert_eq!(audit_count(&app, "teacher_record.export").await, 0);
        app.get(&format!("{url}/pdf"), &school_admin)
            .await
            .expect(200);
        app.get(&format!("{url}/pdf"), &sibling).await.expect(404);
        assert_eq!(audit_count(&app, "teacher_record.export").await, 1);
    }
);
