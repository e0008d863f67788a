//! The professional line of a program: classes and their tutors (scope decided in one place: another tutor gets
//! 404), coursework (deadline, resubmission history, grading that credits hours once through the ledger and a
//! regrade to fail that voids them, completion and its certificate, mail through the outbox) and attendance of
//! offline sessions (present credits once, absent voids).
#![allow(clippy::unwrap_used)]

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use yanxiu_tests::*;

/// A province program (cumulative, 10 h to complete) with two teachers assigned, two classes each with its own
/// tutor, and each teacher placed in one class.
struct Fixture {
    admin: String,
    program: i64,
    /// Class 1 (tutor1, teacher1) and class 2 (tutor2, teacher2).
    classes: [i64; 2],
    tutors: [String; 2],
    tutor_ids: [i64; 2],
    teachers: [String; 2],
    enrollments: [i64; 2],
}

async fn fixture(app: &TestApp) -> Fixture {
    let admin = app.as_admin().await;
    let school = app
        .create_school(&admin, &school_code(71), "510104", "锦江作业小学")
        .await;
    let code = school["code"].as_str().unwrap().to_string();
    let sid = school["id"].as_i64().unwrap();
    let program = app.province_program(&admin, &code, 10.0).await;
    let mut teachers = Vec::new();
    let mut enrollments = Vec::new();
    for seq in [1u32, 2] {
        let mut body = teacher_body(
            sid,
            &format!("作业教师{seq}"),
            &id_card("510104", 700 + seq),
        );
        body["email"] = json!(format!("cw{seq}@example.cn"));
        let tid = app
            .post("/api/teachers", &admin, &body)
            .await
            .expect(200)
            .id();
        app.create_account(&admin, &format!("cw.t{seq}"), "teacher", &code, Some(tid))
            .await;
        teachers.push(app.login(&format!("cw.t{seq}"), PASSWORD).await);
        let e = app
            .post(
                &format!("/api/programs/{program}/enrollments"),
                &admin,
                &json!({ "teacher_id": tid }),
            )
            .await
            .expect(200);
        enrollments.push(e.id());
    }
    let mut tutors = Vec::new();
    let mut tutor_ids = Vec::new();
    let mut classes = Vec::new();
    for n in [1, 2] {
        let acc = app
            .create_account(&admin, &format!("cw.tutor{n}"), "tutor", "510104", None)
            .await;
        tutor_ids.push(acc["id"].as_i64().unwrap());
        tutors.push(app.login(&format!("cw.tutor{n}"), PASSWORD).await);
        let c = app
            .post(
                &format!("/api/programs/{program}/classes"),
                &admin,
                &json!({ "name": format!("{n}班"), "institution": "四川师范大学" }),
            )
            .await
            .expect(200)
            .id();
        app.put(
            &format!("/api/classes/{c}/tutors"),
            &admin,
            &json!({ "account_ids": [acc["id"]] }),
        )
        .await
        .expect(200);
        app.post(
            &format!("/api/classes/{c}/members"),
            &admin,
            &json!({ "enrollment_ids": [enrollments[n - 1]] }),
        )
        .await
        .expect(200);
        classes.push(c);
    }
    Fixture {
        admin,
        program,
        classes: [classes[0], classes[1]],
        tutors: [tutors[0].clone(), tutors[1].clone()],
        tutor_ids: [tutor_ids[0], tutor_ids[1]],
        teachers: [teachers[0].clone(), teachers[1].clone()],
        enrollments: [enrollments[0], enrollments[1]],
    }
}

fn assignment_body(class: Option<i64>, hours: f64) -> Value {
    json!({
        "class_id": class, "title": "信息化教学设计", "instructions": "提交一份教学设计",
        "deadline": "2099-12-31T16:00:00Z", "category": "ict", "hours": hours,
    })
}

async fn enrollment(app: &TestApp, fx: &Fixture, n: usize) -> Value {
    app.get(
        &format!("/api/enrollments/{}", fx.enrollments[n]),
        &fx.admin,
    )
    .await
    .expect(200)
    .body
}

/// Ledger rows of one source for an enrolment: (approved, voiding).
async fn ledger(app: &TestApp, enrollment_id: i64, source: &str) -> (usize, usize) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let rows = entity::hour_entry::Entity::find()
        .filter(entity::hour_entry::Column::EnrollmentId.eq(enrollment_id))
        .filter(entity::hour_entry::Column::Source.eq(source))
        .all(&app.db)
        .await
        .unwrap();
    let approved = rows
        .iter()
        .filter(|r| r.status == entity::hour_entry::HourStatus::Approved)
        .count();
    (approved, rows.len() - approved)
}

both_engines!(classes_and_tutor_scope, |app: TestApp| async move {
    let fx = fixture(&app).await;
    let [c1, c2] = fx.classes;
    let [tutor1, tutor2] = &fx.tutors;
    let [teacher1, _] = &fx.teachers;

    // Only program managers create classes, assign tutors and place enrolments.
    app.post(
        &format!("/api/programs/{}/classes", fx.program),
        tutor1,
        &json!({ "name": "自建班" }),
    )
    .await
    .expect(403);
    app.put(
        &format!("/api/classes/{c1}/tutors"),
        tutor1,
        &json!({ "account_ids": [fx.tutor_ids[0]] }),
    )
    .await
    .expect(403);
    // A tutor must hold the tutor role.
    let me = app.get("/api/me", teacher1).await.expect(200);
    app.put(
        &format!("/api/classes/{c1}/tutors"),
        &fx.admin,
        &json!({ "account_ids": [me.body["id"]] }),
    )
    .await
    .expect_field_error("account_ids");
    // One class per enrolment; only approved enrolments of this program.
    app.post(
        &format!("/api/classes/{c2}/members"),
        &fx.admin,
        &json!({ "enrollment_ids": [fx.enrollments[0]] }),
    )
    .await
    .expect_problem(409, "conflict");
    app.post(
        &format!("/api/classes/{c2}/members"),
        &fx.admin,
        &json!({ "enrollment_ids": [999_999] }),
    )
    .await
    .expect_field_error("enrollment_ids");
    app.post(
        &format!("/api/classes/{c1}/members"),
        &fx.admin,
        &json!({ "enrollment_ids": [fx.enrollments[0]] }),
    )
    .await
    .expect(200);

    // A tutor sees their own class and its teachers, masked; another tutor's class does not exist for them.
    assert_eq!(app.total("/api/classes", tutor1).await, 1);
    assert_eq!(app.total("/api/classes", &fx.admin).await, 2);
    let class = app
        .get(&format!("/api/classes/{c1}"), tutor1)
        .await
        .expect(200);
    assert_eq!(class.body["members"], 1);
    assert_eq!(class.body["tutors"][0]["account_id"], fx.tutor_ids[0]);
    let members = app
        .get(&format!("/api/classes/{c1}/members"), tutor1)
        .await
        .expect(200);
    let masked = members.body["items"][0]["id_card_masked"].as_str().unwrap();
    assert!(masked.contains("********"), "{masked}");
    app.get(&format!("/api/classes/{c1}"), tutor2)
        .await
        .expect(404);
    app.get(&format!("/api/classes/{c1}/members"), tutor2)
        .await
        .expect(404);
    // The placed teacher sees the class, not the roster; a sibling county's admin sees nothing.
    app.get(&format!("/api/classes/{c1}"), teacher1)
        .await
        .expect(200);
    app.get(&format!("/api/classes/{c1}/members"), teacher1)
        .await
        .expect(403);
    app.get(&format!("/api/classes/{c2}"), teacher1)
        .await
        .expect(404);
    let (_, sibling) = app.region_admin("qy.cw", "county_admin", "510105").await;
    app.get(&format!("/api/classes/{c1}"), &sibling)
        .await
        .expect(404);
    assert_eq!(app.total("/api/classes", &sibling).await, 0);

    // Taking the tutor off the class takes the class away from them.
    app.put(
        &format!("/api/classes/{c1}/tutors"),
        &fx.admin,
        &json!({ "account_ids": [] }),
    )
    .await
    .expect(200);
    app.get(&format!("/api/classes/{c1}"), tutor1)
        .await
        .expect(404);
});

both_engines!(
    coursework_deadline_history_and_grading_credit_hours_once,
    |app: TestApp| async move {
        let fx = fixture(&app).await;
        let [c1, c2] = fx.classes;
        let [tutor1, tutor2] = &fx.tutors;
        let [teacher1, teacher2] = &fx.teachers;
        let program = fx.program;
        let create = |token: &str, body: Value| {
            let app = &app;
            let token = token.to_string();
            async move {
                app.post(
                    &format!("/api/programs/{program}/assignments"),
                    &token,
                    &body,
                )
                .await
            }
        };

        // Who sets coursework: the class's tutor for their class, managers for any class or all of them.
        // (a class named in the body that is not mine is a reference I cannot use: 422 on class_id)
        create(tutor1, assignment_body(Some(c2), 10.0))
            .await
            .expect(422);
        create(tutor1, assignment_body(None, 10.0))
            .await
            .expect(403);
        create(teacher1, assignment_body(Some(c1), 10.0))
            .await
            .expect(403);
        let mut past = assignment_body(Some(c1), 10.0);
        past["deadline"] = json!("2020-01-01T00:00:00Z");
        create(tutor1, past).await.expect_field_error("deadline");
        assert_eq!(
            app.post(
                &format!("/api/programs/{program}/assignments"),
                tutor1,
                &assignment_body(Some(c1), 1.25)
            )
            .await
            .status,
            422
        );
        let a = create(tutor1, assignment_body(Some(c1), 10.0))
            .await
            .expect(200)
            .id();
        let all = create(&fx.admin, assignment_body(None, 0.0))
            .await
            .expect(200)
            .id();
        assert_eq!(app.total("/api/assignments", teacher1).await, 2);
        assert_eq!(app.total("/api/assignments", teacher2).await, 1);
        assert_eq!(app.total("/api/assignments", tutor2).await, 1);
        app.get(&format!("/api/assignments/{a}"), tutor2)
            .await
            .expect(404);

        // Submitting: only a teacher of the class; each resubmission is a new row.
        let submit = |token: &str, assignment: i64, text: &str| {
            let app = &app;
            let token = token.to_string();
            let body = json!({ "body": text, "attachments": [] });
            async move {
                app.post(
                    &format!("/api/assignments/{assignment}/submissions"),
                    &token,
                    &body,
                )
                .await
            }
        };
        submit(teacher2, a, "x").await.expect(404);
        submit(tutor1, a, "x").await.expect(403);
        submit(teacher1, a, "  ").await.expect_field_error("body");
        // Attachments are coursework files the teacher uploaded; anyone else's file is refused.
        let own = app
            .upload_file(teacher1, "coursework", "教学设计.pdf", TINY_PDF)
            .await
            .expect(200)
            .id();
        let foreign = app
            .upload_file(&fx.admin, "coursework", "别人的.pdf", TINY_PDF)
            .await
            .expect(200)
            .id();
        let path = format!("/api/assignments/{a}/submissions");
        for bad in [foreign, 999_999] {
            app.post(
                &path,
                teacher1,
                &json!({ "body": "附件", "attachments": [bad] }),
            )
            .await
            .expect_field_error("attachments");
        }
        let attached = app
            .post(
                &path,
                teacher1,
                &json!({ "body": "", "attachments": [own, own] }),
            )
            .await
            .expect(200);
        assert_eq!(attached.body["attachments"], json!([own]));
        // The class's tutor reads the attachment to grade it; another tutor cannot.
        app.get(&format!("/api/files/{own}"), tutor1)
            .await
            .expect(200);
        app.get(&format!("/api/files/{own}"), tutor2)
            .await
            .expect(404);
        let first = submit(teacher1, a, "初稿").await.expect(200).id();
        let latest = submit(teacher1, a, "修改稿").await.expect(200).id();
        let mine = app
            .get(&format!("/api/assignments/{a}/submissions"), teacher1)
            .await
            .expect(200);
        assert_eq!(mine.body["total"], 3);
        assert_eq!(mine.body["items"][0]["id"], latest);
        app.get(&format!("/api/assignments/{a}/submissions"), tutor2)
            .await
            .expect(404);
        let status = app
            .get("/api/my/coursework?status=submitted", teacher1)
            .await
            .expect(200);
        assert_eq!(status.body["total"], 1);
        assert_eq!(status.body["items"][0]["submissions"], 3);
        assert_eq!(
            app.total("/api/my/coursework?status=not_submitted", teacher1)
                .await,
            1
        );

        // Grading: the class's tutor, the latest submission only, a fail needs a comment.
        let grade = |token: &str, submission: i64, body: Value| {
            let app = &app;
            let token = token.to_string();
            async move {
                app.post(
                    &format!("/api/submissions/{submission}/grade"),
                    &token,
                    &body,
                )
                .await
            }
        };
        let pass = json!({ "score": 88, "passed": true, "comment": "设计完整" });
        grade(tutor2, latest, pass.clone()).await.expect(404);
        grade(teacher1, latest, pass.clone()).await.expect(403);
        grade(tutor1, first, pass.clone()).await.expect(409);
        grade(tutor1, latest, json!({ "score": 40, "passed": false }))
            .await
            .expect_field_error("comment");
        grade(tutor1, latest, json!({ "score": 101, "passed": true }))
            .await
            .expect(422);
        assert_eq!(ledger(&app, fx.enrollments[0], "coursework").await, (0, 0));

        // A pass credits the hours, completes the enrolment (10 h) and issues the certificate; the teacher is
        // told of the grade and the certificate through the outbox.
        let jobs = app.count_rows("jobs").await;
        let graded = grade(tutor1, latest, pass.clone()).await.expect(200);
        assert_eq!(graded.body["passed"], true);
        assert_eq!(app.count_rows("jobs").await, jobs + 2);
        let payloads = app
            .db
            .query_all_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                "SELECT payload FROM jobs".to_string(),
            ))
            .await
            .unwrap();
        assert!(payloads.iter().any(|r| {
            let p: String = r.try_get("", "payload").unwrap();
            p.contains("作业批改结果") && p.contains("cw1@example.cn")
        }));
        let e = enrollment(&app, &fx, 0).await;
        assert_eq!(
            (e["counted_hours"].as_f64(), e["training_status"].as_str()),
            (Some(10.0), Some("completed"))
        );
        let certs = app.get("/api/certificates", teacher1).await.expect(200);
        assert_eq!(certs.body["items"][0]["status"], "valid");
        // Grading the pass again credits nothing more.
        grade(tutor1, latest, pass.clone()).await.expect(200);
        assert_eq!(ledger(&app, fx.enrollments[0], "coursework").await, (1, 0));
        let standing = app
            .get("/api/my/coursework?status=graded", teacher1)
            .await
            .expect(200);
        assert_eq!(
            (
                standing.body["items"][0]["passed"].as_bool(),
                standing.body["items"][0]["score"].as_i64()
            ),
            (Some(true), Some(88))
        );

        // A regrade to fail voids the credit through the ledger (a voiding row, nothing edited), taking the
        // completion and the certificate back.
        grade(
            tutor1,
            latest,
            json!({ "score": 50, "passed": false, "comment": "缺少教学反思" }),
        )
        .await
        .expect(200);
        assert_eq!(ledger(&app, fx.enrollments[0], "coursework").await, (1, 1));
        let e = enrollment(&app, &fx, 0).await;
        assert_eq!(
            (e["counted_hours"].as_f64(), e["training_status"].as_str()),
            (Some(0.0), Some("reported"))
        );
        let certs = app.get("/api/certificates", teacher1).await.expect(200);
        assert_eq!(certs.body["items"][0]["status"], "revoked");
        // Failing again voids nothing more; passing again credits anew.
        grade(
            tutor1,
            latest,
            json!({ "score": 45, "passed": false, "comment": "仍缺反思" }),
        )
        .await
        .expect(200);
        assert_eq!(ledger(&app, fx.enrollments[0], "coursework").await, (1, 1));
        // Two graders passing it at once credit it once.
        let (x, y) = tokio::join!(
            grade(&fx.admin, latest, pass.clone()),
            grade(tutor1, latest, pass)
        );
        x.expect(200);
        y.expect(200);
        assert_eq!(ledger(&app, fx.enrollments[0], "coursework").await, (2, 1));
        assert_eq!(
            enrollment(&app, &fx, 0).await["training_status"],
            "completed"
        );

        // After the deadline a submission is refused with a 422 naming the deadline; nothing is written.
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        entity::assignment::Entity::update_many()
            .col_expr(
                entity::assignment::Column::Deadline,
                Expr::val(chrono::Utc::now() - chrono::Duration::hours(1)),
            )
            .filter(entity::assignment::Column::Id.eq(all))
            .exec(&app.db)
            .await
            .unwrap();
        let before = app.count_rows("submissions").await;
        let late = submit(teacher2, all, "迟交")
            .await
            .expect_field_error("deadline");
        assert!(late.text().contains("截止"), "{}", late.text());
        assert_eq!(app.count_rows("submissions").await, before);

        // The maintained report numbers equal a recount from the ledger, coursework credits and voids included.
        let summary = yanxiu::training::stats::rebuild(&app.db, app.config.cycle_anchor_year)
            .await
            .unwrap();
        assert_eq!(summary.differing_rows, 0);
    }
);

both_engines!(
    attendance_credits_once_and_absence_voids,
    |app: TestApp| async move {
        let fx = fixture(&app).await;
        let [c1, _] = fx.classes;
        let [tutor1, tutor2] = &fx.tutors;
        let [teacher1, _] = &fx.teachers;
        let [e1, e2] = fx.enrollments;
        let session = |held_on: &str| json!({ "held_on": held_on, "title": "集中研修第一天", "category": "centralized", "hours": 3 });

        app.post(
            &format!("/api/classes/{c1}/sessions"),
            teacher1,
            &session("2026-05-01"),
        )
        .await
        .expect(403);
        app.post(
            &format!("/api/classes/{c1}/sessions"),
            tutor2,
            &session("2026-05-01"),
        )
        .await
        .expect(404);
        let s = app
            .post(
                &format!("/api/classes/{c1}/sessions"),
                tutor1,
                &session("2026-05-01"),
            )
            .await
            .expect(200)
            .id();
        let future = app
            .post(
                &format!("/api/classes/{c1}/sessions"),
                tutor1,
                &session("2099-05-01"),
            )
            .await
            .expect(200)
            .id();
        assert_eq!(
            app.total(&format!("/api/classes/{c1}/sessions"), teacher1)
                .await,
            2
        );

        let mark = |token: &str, session: i64, body: Value| {
            let app = &app;
            let token = token.to_string();
            async move {
                app.put(
                    &format!("/api/sessions/{session}/attendance"),
                    &token,
                    &body,
                )
                .await
            }
        };
        mark(tutor1, future, json!({ "present": [e1] }))
            .await
            .expect_field_error("held_on");
        mark(tutor1, s, json!({ "present": [e2] }))
            .await
            .expect_field_error("present");
        mark(tutor1, s, json!({ "present": [e1], "absent": [e1] }))
            .await
            .expect_field_error("absent");
        mark(tutor2, s, json!({ "present": [e1] }))
            .await
            .expect(404);
        mark(teacher1, s, json!({ "present": [e1] }))
            .await
            .expect(403);
        assert_eq!(app.count_rows("attendance").await, 0);

        // Present credits the session's hours once, however often — or concurrently — it is recorded.
        let (a, b) = tokio::join!(
            mark(tutor1, s, json!({ "present": [e1] })),
            mark(&fx.admin, s, json!({ "present": [e1] })),
        );
        assert_eq!(a.expect(200).body[0]["present"], true);
        b.expect(200);
        mark(tutor1, s, json!({ "present": [e1] }))
            .await
            .expect(200);
        assert_eq!(ledger(&app, e1, "attendance").await, (1, 0));
        assert_eq!(enrollment(&app, &fx, 0).await["counted_hours"], 3.0);

        // Present → absent voids the credit; absent again changes nothing; present again credits anew.
        mark(tutor1, s, json!({ "absent": [e1] })).await.expect(200);
        assert_eq!(ledger(&app, e1, "attendance").await, (1, 1));
        assert_eq!(enrollment(&app, &fx, 0).await["counted_hours"], 0.0);
        mark(&fx.admin, s, json!({ "absent": [e1] }))
            .await
            .expect(200);
        assert_eq!(ledger(&app, e1, "attendance").await, (1, 1));
        let sheet = mark(tutor1, s, json!({ "present": [e1] }))
            .await
            .expect(200);
        assert_eq!(ledger(&app, e1, "attendance").await, (2, 1));
        assert_eq!(enrollment(&app, &fx, 0).await["counted_hours"], 3.0);
        assert_eq!(sheet.body.as_array().unwrap().len(), 1);
        let summary = yanxiu::training::stats::rebuild(&app.db, app.config.cycle_anchor_year)
            .await
            .unwrap();
        assert_eq!(summary.differing_rows, 0, "maintained numbers = recount");

        let read = app
            .get(&format!("/api/sessions/{s}/attendance"), tutor1)
            .await
            .expect(200);
        assert_eq!(read.body[0]["enrollment_id"], e1);
        app.get(&format!("/api/sessions/{s}/attendance"), teacher1)
            .await
            .expect(403);
        app.get(&format!("/api/sessions/{s}/attendance"), tutor2)
            .await
            .expect(404);

        // A withdrawn enrolment earns nothing more, but its credit can still be taken back.
        app.post(
            &format!("/api/enrollments/{e1}/withdraw"),
            &fx.admin,
            &json!({ "reason": "调离" }),
        )
        .await
        .expect(200);
        mark(tutor1, s, json!({ "absent": [e1] })).await.expect(200);
        assert_eq!(ledger(&app, e1, "attendance").await, (2, 2));
        mark(tutor1, s, json!({ "present": [e1] }))
            .await
            .expect_problem(409, "conflict");
        assert_eq!(ledger(&app, e1, "attendance").await, (2, 2));
    }
);
