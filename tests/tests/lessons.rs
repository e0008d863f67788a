//! 一师一优课 (issue #5) up to the county round: the activity and its catalogue import, lessons with their
//! required items (the video through the resumable upload and probed), submission refused while anything is
//! missing, the school's verification and 审查, rubrics, the reviewer pool and declared conflicts — each on
//! SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use yanxiu_tests::*;

const YEAR: i32 = 2026;

/// Two schools of 锦江区 (S1 with a school admin and two teachers with accounts, S2 with its admin), a county admin
/// of 锦江区, the year's activity with its catalogue.
struct Fx {
    admin: String,
    s1_admin: String,
    s2_admin: String,
    county: String,
    teachers: Vec<(String, i64)>,
    activity: i64,
    s1: Value,
}

async fn fixture(app: &TestApp) -> Fx {
    let admin = app.as_admin().await;
    let activity = app.open_lesson_activity(YEAR).await;
    let s1 = app
        .create_school(&admin, &school_code(51), "510104", "锦江优课小学")
        .await;
    let s2 = app
        .create_school(&admin, &school_code(52), "510104", "锦江第二小学")
        .await;
    let code1 = s1["code"].as_str().unwrap().to_string();
    let code2 = s2["code"].as_str().unwrap().to_string();
    app.create_account(&admin, "yk.sa1", "school_admin", &code1, None)
        .await;
    app.create_account(&admin, "yk.sa2", "school_admin", &code2, None)
        .await;
    app.create_account(&admin, "yk.county", "county_admin", "510104", None)
        .await;
    let mut teachers = Vec::new();
    for seq in 1..=2u32 {
        let body = teacher_body(
            s1["id"].as_i64().unwrap(),
            &format!("优课教师{seq}"),
            &id_card("510104", 700 + seq),
        );
        let tid = app
            .post("/api/teachers", &admin, &body)
            .await
            .expect(200)
            .id();
        app.create_account(&admin, &format!("yk.t{seq}"), "teacher", &code1, Some(tid))
            .await;
        teachers.push((app.login(&format!("yk.t{seq}"), PASSWORD).await, tid));
    }
    Fx {
        s1_admin: app.login("yk.sa1", PASSWORD).await,
        s2_admin: app.login("yk.sa2", PASSWORD).await,
        county: app.login("yk.county", PASSWORD).await,
        admin,
        teachers,
        activity,
        s1,
    }
}

async fn activity_and_catalogue(app: TestApp) {
    let fx = fixture(&app).await;
    let now = chrono::Utc::now();
    // Only the province opens activities; one per year; windows must make sense.
    let body = json!({"year": 2027, "name": "2027", "windows": [
        {"stage": "小学", "opens_at": now, "closes_at": now + chrono::Duration::days(3)}]});
    app.post("/api/lesson-activities", &fx.county, &body)
        .await
        .expect(403);
    let mut dup = body.clone();
    dup["year"] = json!(YEAR);
    app.post("/api/lesson-activities", &fx.admin, &dup)
        .await
        .expect(409);
    let bad = json!({"year": 2027, "name": "2027", "windows": [
        {"stage": "小学", "opens_at": now, "closes_at": now - chrono::Duration::days(1)},
        {"stage": "小学", "opens_at": now, "closes_at": now + chrono::Duration::days(1)}]});
    app.post("/api/lesson-activities", &fx.admin, &bad)
        .await
        .expect(422)
        .expect_field_error("windows[0].closes_at")
        .expect_field_error("windows[1].stage");
    let activity = app
        .get(
            &format!("/api/lesson-activities/{}", fx.activity),
            &fx.teachers[0].0,
        )
        .await
        .expect(200);
    assert_eq!(activity.body["catalogue_nodes"], 5);
    assert_eq!(activity.body["open_stages"], json!(["小学", "初中"]));

    // A file with problems writes nothing and names each line and column.
    let csv = "学段,学科,教材版本,年级,册次,章节,知识节点\n\
               小学,数学,人教版,四年级,上,第一单元,大数的认识\n\
               高中,数学,人教版,高一,上,第一章,集合\n\
               小学,数学,人教版,四年级,中,第一单元,亿以内数\n\
               小学,数学,人教版,四年级,上,第一单元,大数的认识\n\
               小学,数学,人教版,四年级,上,,数的产生\n";
    let url = format!(
        "/api/lesson-activities/{}/catalogue/import?dry_run=false",
        fx.activity
    );
    let report = app
        .upload(
            &url,
            Some(&fx.admin),
            "c.csv",
            "text/csv",
            csv.as_bytes().to_vec(),
        )
        .await
        .expect(200);
    assert_eq!(report.body["committed"], false);
    let errors: Vec<(u64, String)> = report.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (3, "学段".into()),
            (4, "册次".into()),
            (5, "知识节点".into()),
            (6, "章节".into())
        ]
    );
    assert_eq!(catalogue_size(&app, &fx).await, 5, "nothing written");
    // A dry run counts; a commit adds only the new nodes; the old ones stay.
    let good = "学段,学科,教材版本,年级,册次,章节,知识节点\n\
                小学,数学,人教版,三年级,上册,第一单元 时、分、秒,秒的认识\n\
                小学,数学,人教版,四年级,上,第一单元,大数的认识\n";
    let dry = app
        .upload(
            &url.replace("dry_run=false", "dry_run=true"),
            Some(&fx.admin),
            "c.csv",
            "text/csv",
            good.as_bytes().to_vec(),
        )
        .await
        .expect(200);
    assert_eq!(
        (dry.body["created"].as_u64(), dry.body["existing"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(catalogue_size(&app, &fx).await, 5);
    app.upload(
        &url,
        Some(&fx.admin),
        "c.csv",
        "text/csv",
        good.as_bytes().to_vec(),
    )
    .await
    .expect(200);
    assert_eq!(catalogue_size(&app, &fx).await, 6);
    app.upload(
        &url,
        Some(&fx.county),
        "c.csv",
        "text/csv",
        good.as_bytes().to_vec(),
    )
    .await
    .expect(403);
    // Cascading pickers: the subjects under 小学, the editions under 小学 数学.
    let facets = app
        .get(
            &format!(
                "/api/lesson-activities/{}/catalogue/facets?stage={}&subject={}",
                fx.activity,
                utf8_percent("小学"),
                utf8_percent("数学")
            ),
            &fx.teachers[0].0,
        )
        .await
        .expect(200);
    assert_eq!(facets.body["stages"], json!(["初中", "小学"]));
    assert_eq!(facets.body["subjects"], json!(["数学", "语文"]));
    assert_eq!(facets.body["editions"], json!(["人教版", "北师大版"]));
    assert_eq!(
        app.total(
            &format!(
                "/api/lesson-activities/{}/catalogue?stage={}&grade={}",
                fx.activity,
                utf8_percent("小学"),
                utf8_percent("三年级")
            ),
            &fx.admin
        )
        .await,
        4
    );
}

async fn catalogue_size(app: &TestApp, fx: &Fx) -> u64 {
    let url = format!("/api/lesson-activities/{}/catalogue", fx.activity);
    app.total(&url, &fx.admin).await
}

fn failed_requirements(lesson: &Value) -> Vec<String> {
    lesson["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["passed"] == false)
        .map(|r| r["key"].as_str().unwrap().to_string())
        .collect()
}

async fn lesson_submission_and_check(app: TestApp) {
    let fx = fixture(&app).await;
    let (teacher, teacher_id) = fx.teachers[0].clone();
    let node = app.lesson_node(fx.activity, "秒的认识").await;
    // Only teachers show lessons; advisors are at most three.
    let body = json!({"activity_id": fx.activity, "catalogue_node_id": node, "title": "秒的认识",
                      "lesson_no": 1, "advisors": ["甲", "乙", "丙", "丁"]});
    app.post("/api/lessons", &teacher, &body).await.expect(422);
    let mut body = body;
    body["advisors"] = json!(["甲"]);
    app.post("/api/lessons", &fx.s1_admin, &body)
        .await
        .expect(403);
    let lesson = app.post("/api/lessons", &teacher, &body).await.expect(200);
    let id = lesson.id();
    assert_eq!(lesson.body["status"], "draft");
    assert_eq!(
        failed_requirements(&lesson.body),
        [
            "teacher_verified",
            "design_sections",
            "item_design",
            "item_courseware",
            "item_video",
            "item_exercise"
        ]
    );
    // Submitting now is refused with every missing requirement named, and changes nothing.
    app.post(&format!("/api/lessons/{id}/submit"), &teacher, &json!({}))
        .await
        .expect(422)
        .expect_field_error("teacher_verified")
        .expect_field_error("item_video");
    // A too-short, too-small video is stored, probed, and its failed checks block submission.
    let short = app
        .tus_upload(
            &teacher,
            "短片.mp4",
            &generated_video(3, "640x360"),
            32 * 1024,
        )
        .await;
    app.post(
        &format!("/api/lessons/{id}/items"),
        &teacher,
        &json!({"kind": "video", "file_id": short}),
    )
    .await
    .expect(200);
    // A PDF is no video; a 素材 needs its type; another teacher's file cannot be used.
    let pdf = app
        .upload_file(&teacher, "lesson", "设计.pdf", TINY_PDF)
        .await
        .expect(200)
        .id();
    app.post(
        &format!("/api/lessons/{id}/items"),
        &teacher,
        &json!({"kind": "video", "file_id": pdf}),
    )
    .await
    .expect(422)
    .expect_field_error("file_id");
    app.post(
        &format!("/api/lessons/{id}/items"),
        &teacher,
        &json!({"kind": "material", "file_id": pdf}),
    )
    .await
    .expect(422)
    .expect_field_error("material_type");
    app.post(
        &format!("/api/lessons/{id}/items"),
        &fx.teachers[1].0,
        &json!({"kind": "design", "file_id": pdf}),
    )
    .await
    .expect(404);
    let other_file = app
        .upload_file(&fx.teachers[1].0, "lesson", "别人的.pdf", TINY_PDF)
        .await
        .expect(200)
        .id();
    app.post(
        &format!("/api/lessons/{id}/items"),
        &teacher,
        &json!({"kind": "design", "file_id": other_file}),
    )
    .await
    .expect(422)
    .expect_field_error("file_id");
    let with_short = app
        .get(&format!("/api/lessons/{id}"), &teacher)
        .await
        .expect(200);
    let failed = failed_requirements(&with_short.body);
    assert!(failed.contains(&"video_duration".to_string()), "{failed:?}");
    assert!(
        failed.contains(&"video_resolution".to_string()),
        "{failed:?}"
    );
    assert!(!failed.contains(&"video_h264".to_string()), "{failed:?}");
    assert!(!failed.contains(&"item_video".to_string()));

    // The school verifies the teacher; the full lesson passes every requirement and is submitted.
    app.post(
        &format!(
            "/api/lesson-activities/{}/teachers/{teacher_id}/verify",
            fx.activity
        ),
        &fx.s2_admin,
        &json!({}),
    )
    .await
    .expect(404);
    app.post(
        &format!(
            "/api/lesson-activities/{}/teachers/{teacher_id}/verify",
            fx.activity
        ),
        &fx.s1_admin,
        &json!({}),
    )
    .await
    .expect(200);
    let verified = app
        .get(
            &format!(
                "/api/lesson-activities/{}/teachers?status=verified",
                fx.activity
            ),
            &fx.s1_admin,
        )
        .await
        .expect(200);
    assert_eq!(verified.body["total"], 1);
    assert_eq!(verified.body["items"][0]["teacher_id"], teacher_id);
    app.call(
        poem::http::Method::DELETE,
        &format!("/api/lessons/{id}"),
        Some(&teacher),
        None,
    )
    .await
    .expect(200);
    let full = app
        .lesson_with_items(&teacher, fx.activity, node, "秒的认识")
        .await;
    let ready = app
        .get(&format!("/api/lessons/{full}"), &teacher)
        .await
        .expect(200);
    assert_eq!(failed_requirements(&ready.body), Vec::<String>::new());
    let video = ready.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "video")
        .unwrap()
        .clone();
    assert_eq!(video["file"]["media"]["width"], 720);
    let submitted = app
        .post(&format!("/api/lessons/{full}/submit"), &teacher, &json!({}))
        .await
        .expect(200);
    assert_eq!(submitted.body["status"], "submitted");
    assert_eq!(submitted.body["editable"], false);
    // Submitted lessons are fixed.
    app.post(
        &format!("/api/lessons/{full}/items"),
        &teacher,
        &json!({"kind": "design", "file_id": pdf}),
    )
    .await
    .expect(409);
    // The other teacher and the other school cannot see it; the county can.
    app.get(&format!("/api/lessons/{full}"), &fx.teachers[1].0)
        .await
        .expect(404);
    app.get(&format!("/api/lessons/{full}"), &fx.s2_admin)
        .await
        .expect(404);
    assert_eq!(
        app.total(
            &format!("/api/lessons?activity_id={}&status=submitted", fx.activity),
            &fx.county
        )
        .await,
        1
    );
    // 审查: only the lesson's school; sending back needs a reason, which the teacher sees.
    app.post(
        &format!("/api/lessons/{full}/check"),
        &fx.s2_admin,
        &json!({"approved": false, "reason": "x"}),
    )
    .await
    .expect(404);
    app.post(
        &format!("/api/lessons/{full}/check"),
        &fx.county,
        &json!({"approved": true}),
    )
    .await
    .expect(403);
    app.post(
        &format!("/api/lessons/{full}/check"),
        &fx.s1_admin,
        &json!({"approved": false}),
    )
    .await
    .expect(422)
    .expect_field_error("reason");
    app.post(
        &format!("/api/lessons/{full}/check"),
        &fx.s1_admin,
        &json!({"approved": false, "reason": "教学反思不完整，请补充"}),
    )
    .await
    .expect(200);
    let returned = app
        .get(&format!("/api/lessons/{full}"), &teacher)
        .await
        .expect(200);
    assert_eq!(returned.body["status"], "returned");
    assert_eq!(returned.body["check_reason"], "教学反思不完整，请补充");
    assert_eq!(returned.body["editable"], true);
    app.post(&format!("/api/lessons/{full}/submit"), &teacher, &json!({}))
        .await
        .expect(200);
    let checked = app
        .post(
            &format!("/api/lessons/{full}/check"),
            &fx.s1_admin,
            &json!({"approved": true}),
        )
        .await
        .expect(200);
    assert_eq!(checked.body["status"], "checked");
    app.post(
        &format!("/api/lessons/{full}/check"),
        &fx.s1_admin,
        &json!({"approved": true}),
    )
    .await
    .expect(409);
    // The lesson's files are readable by the school administrator, not by another school's.
    let file_id = video["file"]["id"].as_i64().unwrap();
    app.get(&format!("/api/files/{file_id}"), &fx.s1_admin)
        .await
        .expect(200);
    app.get(&format!("/api/files/{file_id}"), &fx.s2_admin)
        .await
        .expect(404);
    let _ = &fx.s1;
}

async fn rubrics_pool_and_conflicts(app: TestApp) {
    let fx = fixture(&app).await;
    let code1 = fx.s1["code"].as_str().unwrap().to_string();
    // The Wuhan rubric ships as the default: seven criteria, 100 points.
    let rubrics = app.get("/api/lesson-rubrics", &fx.county).await.expect(200);
    assert_eq!(rubrics.body[0]["is_default"], true);
    assert_eq!(rubrics.body[0]["total"], 100);
    assert_eq!(rubrics.body[0]["criteria"].as_array().unwrap().len(), 7);
    app.get("/api/lesson-rubrics", &fx.teachers[0].0)
        .await
        .expect(403);
    app.post(
        "/api/lesson-rubrics",
        &fx.county,
        &json!({"name": "县级量规", "criteria": [
            {"key": "a", "name": "目标", "max_points": 50},
            {"key": "a", "name": "过程", "max_points": 50}]}),
    )
    .await
    .expect(422)
    .expect_field_error("criteria[1].key");
    app.post(
        "/api/lesson-rubrics",
        &fx.county,
        &json!({"name": "县级量规", "criteria": [
            {"key": "goal", "name": "目标", "max_points": 40},
            {"key": "process", "name": "过程", "max_points": 60}]}),
    )
    .await
    .expect(200);
    // Pools: only reviewer-role accounts; where they work is taken for 回避.
    let plain = app
        .create_account(&fx.admin, "yk.plain", "school_admin", &code1, None)
        .await;
    let reviewer = app
        .create_account(&fx.admin, "yk.rev", "reviewer", &code1, None)
        .await;
    app.post(
        "/api/lesson-reviewers",
        &fx.county,
        &json!({"account_id": plain["id"]}),
    )
    .await
    .expect(422)
    .expect_field_error("account_id");
    let certified = app
        .post(
            "/api/lesson-reviewers",
            &fx.county,
            &json!({"account_id": reviewer["id"]}),
        )
        .await
        .expect(200);
    assert_eq!(certified.body["home_county"], "510104");
    assert_eq!(certified.body["path"], "/510000/510100/510104/");
    app.post(
        "/api/lesson-reviewers",
        &fx.county,
        &json!({"account_id": reviewer["id"]}),
    )
    .await
    .expect(409);
    app.post(
        "/api/lesson-reviewers",
        &fx.s1_admin,
        &json!({"account_id": reviewer["id"]}),
    )
    .await
    .expect(403);
    assert_eq!(app.total("/api/lesson-reviewers", &fx.county).await, 1);
    assert_eq!(app.total("/api/lesson-reviewers", &fx.admin).await, 1);
    let (_, other_county) = app
        .region_admin("yk.county2", "county_admin", "510105")
        .await;
    assert_eq!(app.total("/api/lesson-reviewers", &other_county).await, 0);
    // A reviewer declares their own conflicts; not other people's.
    let rev = app.login("yk.rev", PASSWORD).await;
    let teacher_id = fx.teachers[0].1;
    let declared = app
        .post(
            "/api/lesson-conflicts",
            &rev,
            &json!({"activity_id": fx.activity, "reviewer_id": reviewer["id"],
                    "teacher_id": teacher_id, "reason": "亲属"}),
        )
        .await
        .expect(200);
    app.post(
        "/api/lesson-conflicts",
        &rev,
        &json!({"activity_id": fx.activity, "reviewer_id": plain["id"],
                "teacher_id": teacher_id, "reason": "x"}),
    )
    .await
    .expect(403);
    app.post(
        "/api/lesson-conflicts",
        &rev,
        &json!({"activity_id": fx.activity, "reviewer_id": reviewer["id"], "reason": "x"}),
    )
    .await
    .expect(422);
    let listed = app
        .get(
            &format!("/api/lesson-conflicts?activity_id={}", fx.activity),
            &fx.county,
        )
        .await
        .expect(200);
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    app.call(
        poem::http::Method::DELETE,
        &format!("/api/lesson-conflicts/{}", declared.id()),
        Some(&rev),
        None,
    )
    .await
    .expect(200);
}

both_engines!(activities_and_catalogue_import, activity_and_catalogue);
both_engines!(
    lessons_are_submitted_and_checked,
    lesson_submission_and_check
);
both_engines!(
    rubrics_pools_and_declared_conflicts,
    rubrics_pool_and_conflicts
);

/// A status outside the enum, written with plain SQL because the typed model cannot even express one (the way an
/// old export, a manual fix or a newer server could leave it): reading the lesson fails loudly instead of showing
/// it as a draft its teacher may edit.
async fn unknown_stored_status(app: TestApp) {
    let fx = fixture(&app).await;
    let node = app.lesson_node(fx.activity, "秒的认识").await;
    let id = app
        .seeded_lesson(fx.activity, node, fx.teachers[0].1, "状态未知的课")
        .await;
    let path = format!("/api/lessons/{id}");
    let lesson = app.get(&path, &fx.admin).await.expect(200);
    assert_eq!(lesson.body["status"], "checked");
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared(&format!(
            "UPDATE lessons SET status = 'vanished' WHERE id = {id}"
        ))
        .await
        .unwrap();
    app.get(&path, &fx.admin).await.expect(500);
    app.get(&path, &fx.teachers[0].0).await.expect(500);
}

both_engines!(an_unknown_stored_status_is_an_error, unknown_stored_status);
/// Whether `s` holds a CJK character.
fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '\u{3400}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}'))
}

/// The problems and import reports of the lessons domain come in the request's language, each reason with its
/// catalogue code; without `Accept-Language` they are Chinese.
async fn lesson_text_in_request_language(app: TestApp) {
    let admin = app.as_admin().await;
    app.open_lesson_activity(YEAR).await;
    let send =
        |method: poem::http::Method, path: String, lang: Option<&'static str>, body: Value| {
            let app = &app;
            let admin = admin.clone();
            async move {
                let mut headers = vec![("content-type", "application/json".to_string())];
                if let Some(l) = lang {
                    headers.push(("accept-language", l.to_string()));
                }
                app.call_headers(
                    method,
                    &path,
                    Some(&admin),
                    &headers,
                    Some(body.to_string().into_bytes()),
                )
                .await
            }
        };
    let now = chrono::Utc::now();
    let taken = json!({"year": YEAR, "name": "again", "windows": [
        {"stage": "小学", "opens_at": now, "closes_at": now + chrono::Duration::days(1)}]});
    let backwards = json!({"year": YEAR + 1, "name": "backwards", "windows": [
        {"stage": "小学", "opens_at": now, "closes_at": now - chrono::Duration::days(1)}]});
    for (lang, english) in [
        (Some("en-US,en;q=0.9"), true),
        (None, false),
        (Some("zh-CN"), false),
    ] {
        let r = send(
            poem::http::Method::POST,
            "/api/lesson-activities".into(),
            lang,
            taken.clone(),
        )
        .await;
        assert_eq!(r.status, 409, "{}", r.text());
        let detail = r.body["detail"].as_str().unwrap();
        assert_eq!(has_cjk(detail), !english, "{detail}");
        assert_eq!(r.body["errors"][0]["code"], "lesson_activity_year_taken");
        assert_eq!(
            r.body["request_id"].as_str(),
            r.headers.get("x-request-id").and_then(|v| v.to_str().ok())
        );

        let r = send(
            poem::http::Method::POST,
            "/api/lesson-activities".into(),
            lang,
            backwards.clone(),
        )
        .await;
        assert_eq!(r.status, 422, "{}", r.text());
        assert_eq!(r.body["errors"][0]["field"], "windows[0].closes_at");
        assert_eq!(
            r.body["errors"][0]["code"],
            "lesson_window_closes_before_opens"
        );
        for text in [&r.body["detail"], &r.body["errors"][0]["message"]] {
            let text = text.as_str().unwrap();
            assert_eq!(has_cjk(text), !english, "{text}");
            assert!(!text.contains(" / "), "one language only: {text}");
        }
    }
    // an import report's row reasons too
    let activity = app
        .post(
            "/api/lesson-activities",
            &admin,
            &json!({"year": YEAR + 2, "name": "import", "windows": [
                {"stage": "小学", "opens_at": now, "closes_at": now + chrono::Duration::days(1)}]}),
        )
        .await
        .expect(200)
        .id();
    let csv = "学段,学科,教材版本,年级,册次,章节,知识节点\n小学,数学,人教版,三年级,中册,第一单元,秒的认识\n";
    for (lang, english) in [("en", true), ("zh-CN", false)] {
        let r = app
            .call_headers(
                poem::http::Method::POST,
                &format!("/api/lesson-activities/{activity}/catalogue/import?dry_run=true"),
                Some(&admin),
                &[
                    ("content-type", "multipart/form-data; boundary=X".to_string()),
                    ("accept-language", lang.to_string()),
                ],
                Some(
                    format!(
                        "--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\n\
                         Content-Type: text/csv\r\n\r\n{csv}\r\n--X--\r\n"
                    )
                    .into_bytes(),
                ),
            )
            .await
            .expect(200);
        let message = r.body["errors"][0]["message"].as_str().unwrap();
        assert_eq!(
            has_cjk(
                message
                    .replace("上册", "")
                    .replace("下册", "")
                    .replace("全一册", "")
                    .as_str()
            ),
            !english,
            "{message}"
        );
    }
}

both_engines!(
    lesson_problems_speak_the_request_language,
    lesson_text_in_request_language
);
