//! 一师一优课 review rounds (Part B): levels and scope, assignment with 回避, blind review, score visibility,
//! aggregation, disagreement, quotas, 公示 with objections, publication with awards and promotion, mail.
#![allow(clippy::unwrap_used)]

use poem::http::Method;
use serde_json::{Value, json};
use yanxiu_tests::*;

/// 锦江区 (510104): schools S1 锦江实验小学 and S2 锦江第二小学; 青羊区 (510105): S3 青羊实验小学. Teachers T1 王晓明 and
/// T3 张伟 at S1, T2 李华 at S2, T4 赵敏 at S3. Lessons L1 (T1), L2 (T2), L3 (T3) in 锦江区 and L4 (T4) in 青羊区,
/// all checked, each on its own node; L1 carries a 教学设计 file whose name gives away teacher and school.
struct World {
    admin: String,
    county: String,
    city: String,
    activity: i64,
    rubric: i64,
    schools: Vec<i64>,
    school_codes: Vec<String>,
    teachers: Vec<i64>,
    id_cards: Vec<String>,
    lessons: Vec<i64>,
    nodes: Vec<i64>,
    item: i64,
}

const TEACHERS: [&str; 4] = ["王晓明", "李华", "张伟", "赵敏"];
const SCHOOLS: [&str; 3] = ["锦江实验小学", "锦江第二小学", "青羊实验小学"];
const FILE_NAME: &str = "王晓明-锦江实验小学-教学设计.txt";

async fn world(app: &TestApp) -> World {
    let admin = app.as_admin().await;
    let mut schools = Vec::new();
    let mut school_codes = Vec::new();
    for (i, (name, county)) in SCHOOLS
        .iter()
        .zip(["510104", "510104", "510105"])
        .enumerate()
    {
        let code = school_code(700 + i as u32);
        let s = app.create_school(&admin, &code, county, name).await;
        schools.push(s["id"].as_i64().unwrap());
        school_codes.push(code);
    }
    let mut teachers = Vec::new();
    let mut id_cards = Vec::new();
    for (i, (name, school)) in TEACHERS.iter().zip([0, 1, 0, 2]).enumerate() {
        let card = id_card("510104", 700 + i as u32);
        let t = app
            .create_teacher(&admin, schools[school], name, &card)
            .await;
        teachers.push(t["id"].as_i64().unwrap());
        id_cards.push(card);
    }
    let activity = app.lesson_activity(2026).await;
    let mut nodes = Vec::new();
    for (grade, subject, node) in [
        ("一年级", "数学", "认识数字"),
        ("一年级", "语文", "拼音"),
        ("二年级", "数学", "加法"),
        ("二年级", "语文", "识字"),
    ] {
        nodes.push(app.round_node(activity, grade, subject, node).await);
    }
    let mut lessons = Vec::new();
    for (i, title) in ["数字的奥秘", "拼音乐园", "加法初步", "识字游戏"]
        .iter()
        .enumerate()
    {
        lessons.push(
            app.seeded_lesson(activity, nodes[i], teachers[i], title)
                .await,
        );
    }
    let file = app
        .upload_file(&admin, "evidence", FILE_NAME, "教学设计正文".as_bytes())
        .await
        .expect(200)
        .id();
    let item = app.lesson_item(lessons[0], "design", file).await;
    let (_, county) = app.region_admin("jj.admin", "county_admin", "510104").await;
    let (_, city) = app.region_admin("cd.admin", "city_admin", "510100").await;
    World {
        admin,
        county,
        city,
        activity,
        rubric: app.default_rubric().await,
        schools,
        school_codes,
        teachers,
        id_cards,
        lessons,
        nodes,
        item,
    }
}

/// Four 锦江区 pool reviewers: r1 works at S1, r2 at S2, r3 and r4 nowhere in the county's schools.
async fn pool(app: &TestApp, w: &World) -> Vec<(i64, String)> {
    let mut out = Vec::new();
    for (name, school) in [
        ("rev1", Some(w.schools[0])),
        ("rev2", Some(w.schools[1])),
        ("rev3", None),
        ("rev4", None),
    ] {
        out.push(app.pool_reviewer(&w.county, name, "510104", school).await);
    }
    out
}

async fn create_round(app: &TestApp, token: &str, body: &Value) -> Value {
    app.post("/api/lesson-rounds", token, body)
        .await
        .expect(200)
        .body
}

async fn entries(app: &TestApp, token: &str, round: i64) -> Vec<Value> {
    app.get(
        &format!("/api/lesson-rounds/{round}/entries?sort=id&page_size=200"),
        token,
    )
    .await
    .expect(200)
    .body["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn entry_of(list: &[Value], lesson: i64) -> Value {
    list.iter()
        .find(|e| e["lesson_id"] == lesson)
        .cloned()
        .unwrap_or_else(|| panic!("lesson {lesson} not in {list:?}"))
}

/// Every assignment of a reviewer (by token) in a round: assignment id → lesson title.
async fn my_reviews(app: &TestApp, token: &str, round: i64) -> Vec<Value> {
    app.get(&format!("/api/lesson-reviews?round_id={round}"), token)
        .await
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .clone()
}

async fn submit(app: &TestApp, token: &str, assignment: i64, total: f64) -> Resp {
    app.put(
        &format!("/api/lesson-reviews/{assignment}"),
        token,
        &json!({ "scores": wuhan_scores(total), "comment": format!("总评{total}"), "submit": true }),
    )
    .await
}

async fn post(app: &TestApp, token: &str, path: &str) -> Resp {
    app.post(path, token, &json!({})).await
}

both_engines!(rounds_run_at_their_own_level, |app: TestApp| async move {
    let w = world(&app).await;
    let body = round_body(w.activity, w.rubric, "county", "县级评审");
    // The province administrator cannot run a county round, nor the city one; the county's administrator can.
    app.post("/api/lesson-rounds", &w.admin, &body)
        .await
        .expect_field_error("level");
    app.post("/api/lesson-rounds", &w.city, &body)
        .await
        .expect_field_error("level");
    app.post(
        "/api/lesson-rounds",
        &w.county,
        &round_body(w.activity, w.rubric, "city", "市级评审"),
    )
    .await
    .expect_field_error("level");
    let round = create_round(&app, &w.county, &body).await;
    assert_eq!(round["region_code"], "510104");
    assert_eq!(round["status"], "draft");
    assert_eq!(
        round["entries"], 3,
        "the county's three checked lessons: {round}"
    );
    assert_eq!(round["rubric"]["total"], 100.0);
    let id = round["id"].as_i64().unwrap();
    // One round per level and region.
    app.post("/api/lesson-rounds", &w.county, &body)
        .await
        .expect(409);
    // The city administrator sees the county's round but does not run it; 青羊区 does not even see it.
    app.get(&format!("/api/lesson-rounds/{id}"), &w.city)
        .await
        .expect(200);
    post(&app, &w.city, &format!("/api/lesson-rounds/{id}/assign"))
        .await
        .expect(403);
    let (_, qy) = app.region_admin("qy.admin", "county_admin", "510105").await;
    app.get(&format!("/api/lesson-rounds/{id}"), &qy)
        .await
        .expect(404);
    assert_eq!(app.total("/api/lesson-rounds", &qy).await, 0);
    assert_eq!(
        app.total("/api/lesson-rounds?level=county", &w.city).await,
        1
    );
    // Editing a draft; starting without reviewers is refused with each lesson named.
    let mut edit = body.clone();
    edit["name"] = json!("县级评审（修订）");
    let edited = app
        .put(&format!("/api/lesson-rounds/{id}"), &w.county, &edit)
        .await
        .expect(200);
    assert_eq!(edited.body["name"], "县级评审（修订）");
    let r = post(&app, &w.county, &format!("/api/lesson-rounds/{id}/start"))
        .await
        .expect_problem(422, "reviewers_missing");
    assert_eq!(r.error_fields().len(), 3);
    // A county round of 青羊区 collects only 青羊区's lesson.
    let qy_round = create_round(&app, &qy, &body).await;
    assert_eq!(qy_round["entries"], 1);
});

both_engines!(assignment_respects_conflicts, |app: TestApp| async move {
    let w = world(&app).await;
    let reviewers = pool(&app, &w).await;
    let (_, qy) = app.region_admin("qy.admin", "county_admin", "510105").await;
    // rev3 declared a conflict with teacher T2; rev4 with school S1 (through Part A's endpoint).
    for (reviewer, teacher, school) in [
        (reviewers[2].0, Some(w.teachers[1]), None),
        (reviewers[3].0, None, Some(w.schools[0])),
    ] {
        app.post(
            "/api/lesson-conflicts",
            &w.county,
            &json!({ "activity_id": w.activity, "reviewer_id": reviewer, "teacher_id": teacher,
                     "school_id": school, "reason": "亲属 / relative" }),
        )
        .await
        .expect(200);
    }
    // Two reviewers per lesson cannot be found: L1 and L3 (S1) may only have r2 and r3, L2 (S2) only r1 and r4 …
    // so it works with 2; with 3 every lesson falls short and nothing is written.
    let mut body = round_body(w.activity, w.rubric, "county", "县级评审");
    body["reviewers_per_lesson"] = json!(3);
    let round = create_round(&app, &w.county, &body).await["id"]
        .as_i64()
        .unwrap();
    let r = post(
        &app,
        &w.county,
        &format!("/api/lesson-rounds/{round}/assign"),
    )
    .await
    .expect_problem(422, "pool_insufficient");
    let list = entries(&app, &w.county, round).await;
    for lesson in &w.lessons[..3] {
        let e = entry_of(&list, *lesson);
        let field = format!("entries[{}]", e["id"]);
        let error = r.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["field"] == field.as_str())
            .unwrap_or_else(|| panic!("no error for {field}: {}", r.text()));
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(e["title"].as_str().unwrap()), "{message}");
        assert!(
            message.contains('2') && message.contains('3') || message.contains("eligible"),
            "{message}"
        );
    }
    assert_eq!(app.count_rows("lesson_assignments").await, 0);

    body["reviewers_per_lesson"] = json!(2);
    app.put(&format!("/api/lesson-rounds/{round}"), &w.county, &body)
        .await
        .expect(200);
    let r = post(
        &app,
        &w.county,
        &format!("/api/lesson-rounds/{round}/assign"),
    )
    .await
    .expect(200);
    assert_eq!(r.body["assigned"], 6);
    let list = entries(&app, &w.county, round).await;
    let ids: Vec<i64> = reviewers.iter().map(|r| r.0).collect();
    let reviewers_of = |lesson: i64| -> Vec<i64> {
        let mut v: Vec<i64> = entry_of(&list, lesson)["reviewers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["reviewer_id"].as_i64().unwrap())
            .collect();
        v.sort_unstable();
        v
    };
    // Same school (r1 at S1, r2 at S2) and declared (r3 ↔ T2, r4 ↔ S1) are all avoided.
    assert_eq!(reviewers_of(w.lessons[0]), vec![ids[1], ids[2]]);
    assert_eq!(reviewers_of(w.lessons[1]), vec![ids[0], ids[3]]);
    assert_eq!(reviewers_of(w.lessons[2]), vec![ids[1], ids[2]]);
    // Assigning again adds nothing (every lesson is covered).
    let again = post(
        &app,
        &w.county,
        &format!("/api/lesson-rounds/{round}/assign"),
    )
    .await
    .expect(200);
    assert_eq!(again.body["assigned"], 0);

    // Manual add: a conflicting reviewer and one outside the pool are refused.
    let e1 = entry_of(&list, w.lessons[0])["id"].as_i64().unwrap();
    let path = format!("/api/lesson-rounds/{round}/assignments");
    app.post(
        &path,
        &w.county,
        &json!({ "entry_id": e1, "reviewer_id": ids[0] }),
    )
    .await
    .expect_field_error("reviewer_id");
    app.post(
        &path,
        &w.county,
        &json!({ "entry_id": e1, "reviewer_id": ids[3] }),
    )
    .await
    .expect_field_error("reviewer_id");
    let (outsider, _) = app.pool_reviewer(&qy, "rev9", "510105", None).await;
    app.post(
        &path,
        &w.county,
        &json!({ "entry_id": e1, "reviewer_id": outsider }),
    )
    .await
    .expect_field_error("reviewer_id");
    app.post(
        &path,
        &w.county,
        &json!({ "entry_id": e1, "reviewer_id": ids[1] }),
    )
    .await
    .expect(409);
    // Remove and put back by hand.
    let a = entry_of(&list, w.lessons[0])["reviewers"][0]["assignment_id"]
        .as_i64()
        .unwrap();
    app.call(
        Method::DELETE,
        &format!("/api/lesson-rounds/{round}/assignments/{a}"),
        Some(&w.county),
        None,
    )
    .await
    .expect(204);
    let added = app
        .post(
            &path,
            &w.county,
            &json!({ "entry_id": e1, "reviewer_id": ids[1] }),
        )
        .await
        .expect(200);
    assert_eq!(added.body["reviewer_id"], ids[1]);

    // Same-county 回避 is refused for a county round: its pool holds only the county's own reviewers.
    let mut strict = round_body(w.activity, w.rubric, "county", "县级评审");
    strict["same_county_conflict"] = json!(true);
    app.post("/api/lesson-rounds", &qy, &strict)
        .await
        .expect_field_error("same_county_conflict");
    // A county pool holds only reviewers bound in the county: a 锦江区 reviewer is not 青羊区's to certify.
    let neighbour = app
        .create_account(&w.admin, "qrev2", "reviewer", "510104", None)
        .await;
    app.post(
        "/api/lesson-reviewers",
        &qy,
        &json!({ "account_id": neighbour["id"] }),
    )
    .await
    .expect_field_error("account_id");
});

/// Starts a county round of 锦江区 with the given settings, assigns the pool and returns (round, reviewers).
async fn started_round(app: &TestApp, w: &World, body: Value) -> (i64, Vec<(i64, String)>) {
    let reviewers = pool(app, w).await;
    let round = create_round(app, &w.county, &body).await["id"]
        .as_i64()
        .unwrap();
    post(
        app,
        &w.county,
        &format!("/api/lesson-rounds/{round}/assign"),
    )
    .await
    .expect(200);
    post(app, &w.county, &format!("/api/lesson-rounds/{round}/start"))
        .await
        .expect(200);
    (round, reviewers)
}

both_engines!(blind_rounds_leak_nothing, |app: TestApp| async move {
    let w = world(&app).await;
    let body = round_body(w.activity, w.rubric, "county", "县级评审");
    let (round, reviewers) = started_round(&app, &w, body).await;
    // A reviewer of L1 (S1's lesson with the telling file name).
    let (a, token) = assignments_by_lesson(&app, round, &reviewers).await["数字的奥秘"][0].clone();
    let token = &token;
    let mut seen: Vec<String> = Vec::new();
    let list = app.get("/api/lesson-reviews", token).await.expect(200);
    seen.push(list.text());
    let l1 = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["assignment_id"] == a)
        .unwrap()
        .clone();
    assert_eq!(l1["items"][0]["name"], "教学设计.txt");
    assert_eq!(l1["blind"], true);
    assert!(l1["lesson"].get("teacher_name").is_none());
    let detail = app
        .get(&format!("/api/lesson-reviews/{a}"), token)
        .await
        .expect(200);
    seen.push(detail.text());
    let saved = app
        .put(
            &format!("/api/lesson-reviews/{a}"),
            token,
            &json!({ "scores": [{ "key": "objectives", "points": 8, "comment": "目标清楚" }], "submit": false }),
        )
        .await
        .expect(200);
    assert_eq!(saved.body["status"], "draft");
    assert_eq!(saved.body["total"], 8.0);
    seen.push(saved.text());
    let bad = app
        .put(
            &format!("/api/lesson-reviews/{a}"),
            token,
            &json!({ "scores": [{ "key": "objectives", "points": 11 }], "submit": false }),
        )
        .await
        .expect_field_error("scores[objectives]");
    seen.push(bad.text());
    let missing = app
        .put(
            &format!("/api/lesson-reviews/{a}"),
            token,
            &json!({ "scores": [], "submit": true }),
        )
        .await
        .expect_field_error("scores[literacy]");
    seen.push(missing.text());
    let item = format!("/api/lesson-reviews/{a}/items/{}/content", w.item);
    let content = app.get(&item, token).await.expect(200);
    assert_eq!(content.text(), "教学设计正文");
    let disposition = content
        .headers
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains(&utf8_percent("教学设计.txt")),
        "{disposition}"
    );
    seen.push(disposition);
    seen.push(
        app.get(
            &format!("/api/lesson-reviews/{a}/items/999999/content"),
            token,
        )
        .await
        .expect(404)
        .text(),
    );
    // A ranged read, a playback link (no bearer needed, pointing at the neutral endpoint), no poster for a text.
    let part = app
        .call_with_headers(
            Method::GET,
            &item,
            token,
            &[("range", "bytes=0-2".into())],
            vec![],
        )
        .await
        .expect(206);
    assert_eq!(part.bytes, "教".as_bytes());
    let link = app
        .post(
            &format!("/api/lesson-reviews/{a}/items/{}/play-token", w.item),
            token,
            &json!({}),
        )
        .await
        .expect(200);
    seen.push(link.text());
    let url = link.body["url"].as_str().unwrap().to_string();
    assert!(
        url.starts_with(&format!("/api/lesson-reviews/{a}/items/")),
        "{url}"
    );
    let played = app.call(Method::GET, &url, None, None).await.expect(200);
    assert_eq!(played.text(), "教学设计正文");
    seen.push(format!("{:?}", played.headers));
    app.get(
        &format!("/api/lesson-reviews/{a}/items/{}/poster", w.item),
        token,
    )
    .await
    .expect(404);
    // Another reviewer's token opens nothing of it.
    let other = reviewers
        .iter()
        .find(|(_, t)| t != token)
        .map(|(_, t)| t.clone())
        .unwrap();
    app.get(&item, &other).await.expect(404);
    let all = seen.join("\n");
    let forbidden = [
        TEACHERS[0].to_string(),
        SCHOOLS[0].to_string(),
        w.school_codes[0].clone(),
        w.id_cards[0].clone(),
        "13812345678".to_string(),
        "锦江区".to_string(),
        FILE_NAME.to_string(),
        utf8_percent(FILE_NAME),
        utf8_percent(TEACHERS[0]),
    ];
    for f in &forbidden {
        assert!(
            !all.contains(f.as_str()),
            "a blind reviewer saw {f:?}:\n{all}"
        );
    }

    // Not blind: teacher and school are shown, the file keeps its name.
    let (_, qy) = app.region_admin("qy.admin", "county_admin", "510105").await;
    let mut open = round_body(w.activity, w.rubric, "county", "青羊区县级评审");
    open["blind"] = json!(false);
    open["reviewers_per_lesson"] = json!(1);
    let qy_round = create_round(&app, &qy, &open).await["id"].as_i64().unwrap();
    let (_, q1) = app.pool_reviewer(&qy, "qrev1", "510105", None).await;
    post(&app, &qy, &format!("/api/lesson-rounds/{qy_round}/assign"))
        .await
        .expect(200);
    post(&app, &qy, &format!("/api/lesson-rounds/{qy_round}/start"))
        .await
        .expect(200);
    let shown = my_reviews(&app, &q1, qy_round).await;
    assert_eq!(shown[0]["lesson"]["teacher_name"], TEACHERS[3]);
    assert_eq!(shown[0]["lesson"]["school_name"], SCHOOLS[2]);
});

both_engines!(reviewers_see_only_their_own, |app: TestApp| async move {
    let w = world(&app).await;
    let reviewers = pool(&app, &w).await;
    let round = create_round(
        &app,
        &w.county,
        &round_body(w.activity, w.rubric, "county", "县级评审"),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    post(
        &app,
        &w.county,
        &format!("/api/lesson-rounds/{round}/assign"),
    )
    .await
    .expect(200);
    // Before the round starts a reviewer sees nothing of it.
    assert_eq!(app.total("/api/lesson-reviews", &reviewers[1].1).await, 0);
    post(
        &app,
        &w.county,
        &format!("/api/lesson-rounds/{round}/start"),
    )
    .await
    .expect(200);
    let by_lesson = assignments_by_lesson(&app, round, &reviewers).await;
    let (a1, t1) = by_lesson["数字的奥秘"][0].clone();
    let (a2, t2) = by_lesson["数字的奥秘"][1].clone();
    // One cannot open or save the other's assignment.
    app.get(&format!("/api/lesson-reviews/{a2}"), &t1)
        .await
        .expect(404);
    app.put(
        &format!("/api/lesson-reviews/{a2}"),
        &t1,
        &json!({ "scores": [], "submit": false }),
    )
    .await
    .expect(404);
    // Administrators are no reviewers.
    app.get("/api/lesson-reviews", &w.county).await.expect(403);
    // Both reviewers of L1 submit; neither sees the other's total anywhere.
    submit(&app, &t1, a1, 81.0).await.expect(200);
    let done = submit(&app, &t2, a2, 77.0).await.expect(200);
    assert_eq!(done.body["status"], "submitted");
    assert_eq!(done.body["total"], 77.0);
    let mine = app
        .get(&format!("/api/lesson-reviews/{a1}"), &t1)
        .await
        .expect(200);
    assert_eq!(mine.body["total"], 81.0);
    assert!(!mine.text().contains("\"total\":77"), "{}", mine.text());
    let listed = app.get("/api/lesson-reviews", &t1).await.expect(200);
    assert!(!listed.text().contains("\"total\":77"), "{}", listed.text());
    // Submitted is final.
    submit(&app, &t1, a1, 90.0).await.expect(409);
    // The administrator sees both totals and the mean.
    let l1 = entry_of(&entries(&app, &w.county, round).await, w.lessons[0]);
    let totals: Vec<f64> = l1["reviewers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["total"].as_f64().unwrap())
        .collect();
    assert_eq!(totals.len(), 2);
    assert!(totals.contains(&81.0) && totals.contains(&77.0));
    assert_eq!(l1["score"], 79.0);
    // After closing, reviews are read-only.
    post(
        &app,
        &w.county,
        &format!("/api/lesson-rounds/{round}/close"),
    )
    .await
    .expect(200);
    let (open_a, open_t) = by_lesson["加法初步"][0].clone();
    let view = app
        .get(&format!("/api/lesson-reviews/{open_a}"), &open_t)
        .await
        .expect(200);
    assert_eq!(view.body["editable"], false);
    let late = app
        .put(
            &format!("/api/lesson-reviews/{open_a}"),
            &open_t,
            &json!({ "scores": [], "submit": false }),
        )
        .await
        .expect(409);
    assert_eq!(late.code(), "conflict");
});

/// Assignments of a round by lesson: lesson title → [(assignment id, reviewer token)].
async fn assignments_by_lesson(
    app: &TestApp,
    round: i64,
    reviewers: &[(i64, String)],
) -> std::collections::BTreeMap<String, Vec<(i64, String)>> {
    let mut out: std::collections::BTreeMap<String, Vec<(i64, String)>> = Default::default();
    for (_, token) in reviewers {
        for r in my_reviews(app, token, round).await {
            out.entry(r["lesson"]["title"].as_str().unwrap().to_string())
                .or_default()
                .push((r["assignment_id"].as_i64().unwrap(), token.clone()));
        }
    }
    out
}

both_engines!(
    aggregation_mean_and_drop_high_low,
    |app: TestApp| async move {
        let w = world(&app).await;
        // Three reviewers on the 青羊区 lesson, none from 青羊区's schools.
        let (_, qy) = app.region_admin("qy.admin", "county_admin", "510105").await;
        let mut reviewers = Vec::new();
        for name in ["qrev1", "qrev2", "qrev3"] {
            reviewers.push(app.pool_reviewer(&qy, name, "510105", None).await);
        }
        let mut body = round_body(w.activity, w.rubric, "county", "县级评审");
        body["reviewers_per_lesson"] = json!(3);
        body["aggregation"] = json!("drop_high_low");
        body["spread_threshold"] = json!(50);
        let round = create_round(&app, &qy, &body).await["id"].as_i64().unwrap();
        post(&app, &qy, &format!("/api/lesson-rounds/{round}/assign"))
            .await
            .expect(200);
        post(&app, &qy, &format!("/api/lesson-rounds/{round}/start"))
            .await
            .expect(200);
        let by_lesson = assignments_by_lesson(&app, round, &reviewers).await;
        for ((a, token), total) in by_lesson["识字游戏"].iter().zip([90.0, 70.0, 74.0]) {
            submit(&app, token, *a, total).await.expect(200);
        }
        let e = entry_of(&entries(&app, &qy, round).await, w.lessons[3]);
        assert_eq!(e["score"], 74.0, "drop 90 and 70: {e}");
        assert_eq!(e["spread"], 20.0);
        assert_eq!(e["flagged"], false);
        // The same totals under the mean.
        use sea_orm::{ActiveModelTrait, EntityTrait, Set};
        let row = entity::lesson_round::Entity::find_by_id(round)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let mut m: entity::lesson_round::ActiveModel = row.into();
        m.aggregation = Set(entity::lesson_round::Aggregation::Mean);
        m.update(&app.db).await.unwrap();
        post(&app, &qy, &format!("/api/lesson-rounds/{round}/close"))
            .await
            .expect(200);
        let e = entry_of(&entries(&app, &qy, round).await, w.lessons[3]);
        assert_eq!(e["score"], 78.0, "mean of 90, 70, 74: {e}");
    }
);

both_engines!(
    disagreement_needs_override_or_arbiter,
    |app: TestApp| async move {
        let w = world(&app).await;
        let mut body = round_body(w.activity, w.rubric, "county", "县级评审");
        body["spread_threshold"] = json!(10);
        let (round, reviewers) = started_round(&app, &w, body).await;
        let by_lesson = assignments_by_lesson(&app, round, &reviewers).await;
        // L1: 90 vs 60 (flagged); L2: 90 vs 60 (flagged, settled by an arbiter); L3: 80 vs 78.
        for (title, totals) in [
            ("数字的奥秘", [90.0, 60.0]),
            ("拼音乐园", [90.0, 60.0]),
            ("加法初步", [80.0, 78.0]),
        ] {
            for ((a, token), total) in by_lesson[title].iter().zip(totals) {
                submit(&app, token, *a, total).await.expect(200);
            }
        }
        let list = entries(&app, &w.county, round).await;
        assert_eq!(entry_of(&list, w.lessons[0])["flagged"], true);
        assert_eq!(entry_of(&list, w.lessons[0])["spread"], 30.0);
        assert_eq!(entry_of(&list, w.lessons[2])["flagged"], false);
        let flagged = app
            .get(
                &format!("/api/lesson-rounds/{round}/entries?flagged=true"),
                &w.county,
            )
            .await
            .expect(200);
        assert_eq!(flagged.body["total"], 2);
        // An arbiter for L2 (from the pool, free of conflicts: L2 is S2's, so r3 — not yet on it — qualifies).
        let l2 = entry_of(&list, w.lessons[1]);
        let on_l2: Vec<i64> = l2["reviewers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["reviewer_id"].as_i64().unwrap())
            .collect();
        let arbiter = reviewers
            .iter()
            .find(|(id, _)| !on_l2.contains(id) && *id != reviewers[1].0)
            .unwrap()
            .clone();
        app.post(
            &format!("/api/lesson-rounds/{round}/assignments"),
            &w.county,
            &json!({ "entry_id": l2["id"], "reviewer_id": arbiter.0 }),
        )
        .await
        .expect(200);
        let extra = my_reviews(&app, &arbiter.1, round)
            .await
            .into_iter()
            .find(|x| x["lesson"]["title"] == "拼音乐园")
            .unwrap();
        submit(
            &app,
            &arbiter.1,
            extra["assignment_id"].as_i64().unwrap(),
            86.0,
        )
        .await
        .expect(200);
        let l2 = entry_of(&entries(&app, &w.county, round).await, w.lessons[1]);
        assert_eq!(l2["flagged"], false, "the arbiter's 86 sides with 90: {l2}");
        assert_eq!(l2["score"], 88.0);
        post(
            &app,
            &w.county,
            &format!("/api/lesson-rounds/{round}/close"),
        )
        .await
        .expect(200);
        let l1_id = entry_of(&list, w.lessons[0])["id"].as_i64().unwrap();
        let r = post(
            &app,
            &w.county,
            &format!("/api/lesson-rounds/{round}/confirm"),
        )
        .await
        .expect_problem(422, "flagged_unresolved");
        assert_eq!(r.error_fields(), vec![format!("entries[{l1_id}]")]);
        let path = format!("/api/lesson-rounds/{round}/entries/{l1_id}/override");
        app.post(&path, &w.county, &json!({ "score": 101, "reason": "复议" }))
            .await
            .expect_field_error("score");
        let o = app
            .post(
                &path,
                &w.county,
                &json!({ "score": 82, "reason": "专家复议 / panel review" }),
            )
            .await
            .expect(200);
        assert_eq!(o.body["final_score"], 82.0);
        assert_eq!(o.body["override_reason"], "专家复议 / panel review");
        let audited = app
            .get("/api/audit?action=lesson.round.override", &w.admin)
            .await
            .expect(200);
        assert!(
            audited.text().contains("lesson.round.override"),
            "{}",
            audited.text()
        );
        post(
            &app,
            &w.county,
            &format!("/api/lesson-rounds/{round}/confirm"),
        )
        .await
        .expect(200);
    }
);

/// Drives a started round to closed with `totals[i]` for the lesson titled `titles[i]` from every reviewer.
async fn score_all(app: &TestApp, round: i64, reviewers: &[(i64, String)], totals: &[(&str, f64)]) {
    let by_lesson = assignments_by_lesson(app, round, reviewers).await;
    for (title, total) in totals {
        for (a, token) in &by_lesson[*title] {
            submit(app, token, *a, *total).await.expect(200);
        }
    }
}

both_engines!(quota_one_per_slot_and_teacher, |app: TestApp| async move {
    let w = world(&app).await;
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    // Two more 锦江区 lessons: L5 by T2 on L1's node (same slot), L6 by T1 (a second lesson of the same teacher).
    let l5 = app
        .seeded_lesson(w.activity, w.nodes[0], w.teachers[1], "数字再探")
        .await;
    let l6 = app
        .seeded_lesson(w.activity, w.nodes[3], w.teachers[0], "识字再探")
        .await;
    let mut body = round_body(w.activity, w.rubric, "county", "县级评审");
    body["quota"] = json!({ "kind": "fixed", "value": 4 });
    let (round, reviewers) = started_round(&app, &w, body).await;
    score_all(
        &app,
        round,
        &reviewers,
        &[
            ("数字的奥秘", 95.0),
            ("数字再探", 90.0),
            ("识字再探", 85.0),
            ("拼音乐园", 80.0),
            ("加法初步", 70.0),
        ],
    )
    .await;
    post(
        &app,
        &w.county,
        &format!("/api/lesson-rounds/{round}/close"),
    )
    .await
    .expect(200);
    post(
        &app,
        &w.county,
        &format!("/api/lesson-rounds/{round}/confirm"),
    )
    .await
    .expect(200);
    let list = entries(&app, &w.county, round).await;
    let e = |l: i64| entry_of(&list, l);
    assert_eq!(e(w.lessons[0])["rank"], 1);
    assert_eq!(e(w.lessons[0])["recommended"], true);
    assert_eq!(e(l5)["recommended"], false);
    assert_eq!(e(l5)["reason"], "slot_taken");
    assert_eq!(e(l6)["recommended"], false);
    assert_eq!(e(l6)["reason"], "teacher_taken");
    assert_eq!(e(w.lessons[1])["recommended"], true);
    assert_eq!(e(w.lessons[2])["recommended"], true);
    let recommended = app
        .get(
            &format!("/api/lesson-rounds/{round}/entries?recommended=true&sort=rank"),
            &w.county,
        )
        .await
        .expect(200);
    assert_eq!(recommended.body["total"], 3);
    assert_eq!(recommended.body["items"][0]["lesson_id"], w.lessons[0]);

    // A percentage: 40 % of 5 lessons is 2.
    let row = entity::lesson_round::Entity::find_by_id(round)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut m: entity::lesson_round::ActiveModel = row.into();
    m.status = Set(entity::lesson_round::LessonRoundStatus::Closed);
    m.quota_kind = Set(entity::lesson_round::LessonQuotaKind::Percent);
    m.quota_value = Set(40);
    m.update(&app.db).await.unwrap();
    post(
        &app,
        &w.county,
        &format!("/api/lesson-rounds/{round}/confirm"),
    )
    .await
    .expect(200);
    let list = entries(&app, &w.county, round).await;
    let chosen: Vec<i64> = list
        .iter()
        .filter(|x| x["recommended"] == true)
        .map(|x| x["lesson_id"].as_i64().unwrap())
        .collect();
    assert_eq!(chosen.len(), 2, "{list:?}");
    assert!(chosen.contains(&w.lessons[0]) && chosen.contains(&w.lessons[1]));
    assert_eq!(entry_of(&list, w.lessons[2])["reason"], "quota_full");
});

both_engines!(
    publicity_objections_publish_and_promotion,
    |app: TestApp| async move {
        let w = world(&app).await;
        // The city round exists (draft) before the county publishes.
        let city_round = create_round(
            &app,
            &w.city,
            &round_body(w.activity, w.rubric, "city", "市级评审"),
        )
        .await;
        assert_eq!(city_round["entries"], 0);
        let city_id = city_round["id"].as_i64().unwrap();
        let mut body = round_body(w.activity, w.rubric, "county", "县级评审");
        body["quota"] = json!({ "kind": "fixed", "value": 2 });
        let (round, reviewers) = started_round(&app, &w, body).await;
        score_all(
            &app,
            round,
            &reviewers,
            &[("数字的奥秘", 95.0), ("拼音乐园", 90.0), ("加法初步", 70.0)],
        )
        .await;
        // Objections only during the 公示.
        let teacher = {
            let admin = app.as_admin().await;
            app.create_account(
                &admin,
                "t.wang",
                "teacher",
                &w.school_codes[0],
                Some(w.teachers[0]),
            )
            .await;
            app.login("t.wang", PASSWORD).await
        };
        let list = entries(&app, &w.county, round).await;
        let l2 = entry_of(&list, w.lessons[1])["id"].as_i64().unwrap();
        let objection = json!({ "entry_id": l2, "text": "该课例与往年作品雷同" });
        app.post(
            &format!("/api/lesson-rounds/{round}/objections"),
            &teacher,
            &objection,
        )
        .await
        .expect(404);
        // Teachers see no results before publication (their lesson page has none).
        let page = app
            .get(&format!("/api/lessons/{}", w.lessons[0]), &teacher)
            .await
            .expect(200);
        assert_eq!(page.body["results"], json!([]));
        post(
            &app,
            &w.county,
            &format!("/api/lesson-rounds/{round}/close"),
        )
        .await
        .expect(200);
        let confirmed = post(
            &app,
            &w.county,
            &format!("/api/lesson-rounds/{round}/confirm"),
        )
        .await
        .expect(200);
        assert_eq!(confirmed.body["status"], "publicity");
        assert!(confirmed.body["publicity_ends_at"].is_string());
        let public = app.get("/api/lesson-publicity", &teacher).await.expect(200);
        assert_eq!(public.body["total"], 1);
        let shown: Vec<i64> = public.body["items"][0]["lessons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["lesson_id"].as_i64().unwrap())
            .collect();
        assert_eq!(shown, vec![w.lessons[0], w.lessons[1]]);
        let raised = app
            .post(
                &format!("/api/lesson-rounds/{round}/objections"),
                &teacher,
                &objection,
            )
            .await
            .expect(200);
        assert_eq!(raised.body["status"], "open");
        // Publishing waits for the objection.
        post(
            &app,
            &w.county,
            &format!("/api/lesson-rounds/{round}/publish"),
        )
        .await
        .expect(409);
        let objections = app
            .get(&format!("/api/lesson-rounds/{round}/objections"), &w.county)
            .await
            .expect(200);
        assert_eq!(objections.body["total"], 1);
        let oid = raised.id();
        app.post(
            &format!("/api/lesson-objections/{oid}/resolve"),
            &w.city,
            &json!({ "upheld": true, "response": "属实" }),
        )
        .await
        .expect(403);
        let resolved = app
            .post(
                &format!("/api/lesson-objections/{oid}/resolve"),
                &w.county,
                &json!({ "upheld": true, "response": "经核查属实 / confirmed" }),
            )
            .await
            .expect(200);
        assert_eq!(resolved.body["status"], "upheld");
        let e2 = entry_of(&entries(&app, &w.county, round).await, w.lessons[1]);
        assert_eq!(e2["excluded"], true);
        assert_eq!(e2["recommended"], false);
        assert_eq!(e2["objections"], 1);
        let published = post(
            &app,
            &w.county,
            &format!("/api/lesson-rounds/{round}/publish"),
        )
        .await
        .expect(200);
        assert_eq!(published.body["status"], "published");
        // Awards: only L1 (L2's objection was upheld).
        let awards = app
            .get(
                &format!("/api/lesson-activities/{}/awards?level=county", w.activity),
                &w.county,
            )
            .await
            .expect(200);
        assert_eq!(awards.body["total"], 1);
        assert_eq!(awards.body["items"][0]["lesson_id"], w.lessons[0]);
        assert_eq!(awards.body["items"][0]["teacher_name"], TEACHERS[0]);
        assert_eq!(
            app.total(
                &format!("/api/lesson-activities/{}/awards", w.activity),
                &teacher
            )
            .await,
            1
        );
        // Promotion into the city's draft round.
        let city = app
            .get(&format!("/api/lesson-rounds/{city_id}"), &w.city)
            .await
            .expect(200);
        assert_eq!(city.body["entries"], 1);
        // The teacher now sees the result on the lesson's page, with reviewers' comments but no names.
        let page = app
            .get(&format!("/api/lessons/{}", w.lessons[0]), &teacher)
            .await
            .expect(200);
        let results = page.body["results"].as_array().unwrap();
        assert_eq!(results.len(), 1);
        assert_eq!(results[0]["awarded"], true);
        assert_eq!(results[0]["recommended"], true);
        assert_eq!(results[0]["score"], 95.0);
        let comments = results[0]["comments"].as_array().unwrap();
        assert_eq!(comments.len(), 2);
        assert!(comments.iter().all(
            |c| !c.as_str().unwrap().contains("rev2") && !c.as_str().unwrap().contains("rev3")
        ));
        // A province round made now collects nothing yet (no city award), a second county's city round of 绵阳 nothing.
        let province = create_round(
            &app,
            &w.admin,
            &round_body(w.activity, w.rubric, "province", "省级评审"),
        )
        .await;
        assert_eq!(province["entries"], 0);
    }
);

both_engines!(
    province_publishes_ministry_list,
    |app: TestApp| async move {
        let w = world(&app).await;
        use sea_orm::{ActiveModelTrait, Set};
        // L1 already holds a city award: the province round collects it.
        entity::lesson_award::ActiveModel {
            activity_id: Set(w.activity),
            lesson_id: Set(w.lessons[0]),
            round_id: Set(0),
            level: Set(entity::lesson_award::LessonAwardLevel::City),
            path: Set(format!("/510000/510100/510104/{}/", w.school_codes[0])),
            awarded_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        let mut body = round_body(w.activity, w.rubric, "province", "省级评审");
        body["reviewers_per_lesson"] = json!(1);
        body["quota"] = json!({ "kind": "fixed", "value": 1 });
        let round = create_round(&app, &w.admin, &body).await;
        assert_eq!(round["entries"], 1);
        let round = round["id"].as_i64().unwrap();
        let (_, p1) = app.pool_reviewer(&w.admin, "prev1", "510105", None).await;
        post(
            &app,
            &w.admin,
            &format!("/api/lesson-rounds/{round}/assign"),
        )
        .await
        .expect(200);
        post(&app, &w.admin, &format!("/api/lesson-rounds/{round}/start"))
            .await
            .expect(200);
        let a = my_reviews(&app, &p1, round).await[0]["assignment_id"]
            .as_i64()
            .unwrap();
        submit(&app, &p1, a, 93.0).await.expect(200);
        for step in ["close", "confirm", "publish"] {
            post(
                &app,
                &w.admin,
                &format!("/api/lesson-rounds/{round}/{step}"),
            )
            .await
            .expect(200);
        }
        let ministry = app
            .get(
                &format!(
                    "/api/lesson-activities/{}/awards?level=ministry",
                    w.activity
                ),
                &w.admin,
            )
            .await
            .expect(200);
        assert_eq!(ministry.body["total"], 1);
        // A county administrator may not export the ministry list.
        app.get(
            &format!("/api/lesson-activities/{}/ministry-export", w.activity),
            &w.county,
        )
        .await
        .expect(403);
        let x = app
            .get(
                &format!("/api/lesson-activities/{}/ministry-export", w.activity),
                &w.admin,
            )
            .await
            .expect(200);
        use calamine::{Reader, Xlsx};
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(x.bytes.clone())).unwrap();
        assert_eq!(
            book.sheet_names(),
            vec!["推荐名单".to_string(), "文件清单".to_string()]
        );
        let list = book.worksheet_range("推荐名单").unwrap();
        let row: Vec<String> = list
            .rows()
            .nth(1)
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert!(
            row.contains(&"数字的奥秘".to_string()) && row.contains(&TEACHERS[0].to_string()),
            "{row:?}"
        );
        assert!(row.contains(&"93.00".to_string()), "{row:?}");
        let manifest = book.worksheet_range("文件清单").unwrap();
        let file: Vec<String> = manifest
            .rows()
            .nth(1)
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert!(file.contains(&FILE_NAME.to_string()), "{file:?}");
        assert!(file.iter().any(|c| c.len() == 64), "sha256 in {file:?}");
    }
);

both_engines!(
    reviewers_are_mailed_through_the_outbox,
    |app: TestApp| async move {
        let w = world(&app).await;
        let before = app.count_rows("jobs").await;
        let (round, reviewers) = started_round(
            &app,
            &w,
            round_body(w.activity, w.rubric, "county", "县级评审"),
        )
        .await;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let jobs = entity::job::Entity::find().all(&app.db).await.unwrap();
        let mails: Vec<_> = jobs
            .iter()
            .filter(|j| {
                j.kind == entity::job::JobKind::Mail && j.payload.contains("/lesson-reviews")
            })
            .collect();
        // Every reviewer with an assignment gets exactly one mail naming their number of lessons and the deadline.
        let assigned: std::collections::BTreeSet<i64> = entries(&app, &w.county, round)
            .await
            .iter()
            .flat_map(|e| {
                e["reviewers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["reviewer_id"].as_i64().unwrap())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(mails.len(), assigned.len());
        assert!(
            mails.iter().all(|m| m.payload.contains("2099-01-01")),
            "{mails:?}"
        );
        let reminders: Vec<_> = jobs
            .iter()
            .filter(|j| j.kind == entity::job::JobKind::LessonReminder)
            .collect();
        assert_eq!(reminders.len(), 2);
        let due: Vec<String> = reminders
            .iter()
            .map(|j| j.run_at.format("%Y-%m-%d").to_string())
            .collect();
        assert!(
            due.contains(&"2098-12-31".to_string()) && due.contains(&"2098-12-29".to_string()),
            "{due:?}"
        );
        assert!(app.count_rows("jobs").await > before);
        // One reviewer submits everything; the reminder mails only the others.
        let (done_id, done_token) = reviewers
            .iter()
            .find(|(id, _)| assigned.contains(id))
            .unwrap()
            .clone();
        for r in my_reviews(&app, &done_token, round).await {
            submit(
                &app,
                &done_token,
                r["assignment_id"].as_i64().unwrap(),
                80.0,
            )
            .await
            .expect(200);
        }
        yanxiu::lessons::rounds::run_reminder(&app.db, &reminders[0].payload)
            .await
            .unwrap();
        let reminded = entity::job::Entity::find()
            .filter(entity::job::Column::DedupeKey.like("%:remind:%:%"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(reminded.len(), assigned.len() - 1);
        let done_mail = format!(
            "r{}@example.com",
            reviewers.iter().position(|(id, _)| *id == done_id).unwrap() + 1
        );
        assert!(reminded.iter().all(|j| !j.payload.contains(&done_mail)));
        // Run again (a retried job): nothing more.
        yanxiu::lessons::rounds::run_reminder(&app.db, &reminders[0].payload)
            .await
            .unwrap();
        let again = entity::job::Entity::find()
            .filter(entity::job::Column::DedupeKey.like("%:remind:%:%"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(again.len(), reminded.len());
    }
);

both_engines!(
    a_lesson_through_part_a_reaches_a_blind_reviewer,
    |app: TestApp| async move {
        // The whole way in: Part A's activity and catalogue, a verified teacher's lesson with its four items (the video
        // through the resumable upload), the school's check; then a blind county round and its reviewer.
        let admin = app.as_admin().await;
        let code = school_code(801);
        let school = app.create_school(&admin, &code, "510104", SCHOOLS[0]).await["id"]
            .as_i64()
            .unwrap();
        let card = id_card("510104", 801);
        let teacher_id = app.create_teacher(&admin, school, TEACHERS[0], &card).await["id"]
            .as_i64()
            .unwrap();
        app.create_account(&admin, "t.wang", "teacher", &code, Some(teacher_id))
            .await;
        let teacher = app.login("t.wang", PASSWORD).await;
        app.create_account(&admin, "s.admin", "school_admin", &code, None)
            .await;
        let school_admin = app.login("s.admin", PASSWORD).await;
        let activity = app.open_lesson_activity(2026).await;
        let node = app.lesson_node(activity, "秒的认识").await;
        let lesson = app
            .checked_lesson(
                (&teacher, teacher_id),
                &school_admin,
                activity,
                node,
                "认识秒",
            )
            .await;
        let (_, county) = app.region_admin("jj.admin", "county_admin", "510104").await;
        let mut reviewers = Vec::new();
        for name in ["rev1", "rev2"] {
            reviewers.push(app.pool_reviewer(&county, name, "510104", None).await);
        }
        let rubric = app.default_rubric().await;
        let round = create_round(
            &app,
            &county,
            &round_body(activity, rubric, "county", "县级评审"),
        )
        .await;
        assert_eq!(round["entries"], 1, "{round}");
        let round = round["id"].as_i64().unwrap();
        post(&app, &county, &format!("/api/lesson-rounds/{round}/assign"))
            .await
            .expect(200);
        post(&app, &county, &format!("/api/lesson-rounds/{round}/start"))
            .await
            .expect(200);
        let token = &reviewers[0].1;
        let mine = app.get("/api/lesson-reviews", token).await.expect(200);
        let review = &mine.body["items"][0];
        let a = review["assignment_id"].as_i64().unwrap();
        let names: Vec<&str> = review["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"课堂实录.mp4") && names.contains(&"教学设计.pdf"),
            "{names:?}"
        );
        let video = review["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["kind"] == "video")
            .unwrap()
            .clone();
        assert_eq!(video["media"]["passed"], true, "{video}");
        let vid = video["id"].as_i64().unwrap();
        let link = app
            .post(
                &format!("/api/lesson-reviews/{a}/items/{vid}/play-token"),
                token,
                &json!({}),
            )
            .await
            .expect(200);
        let ranged = app
            .call_with_headers(
                Method::GET,
                &format!("/api/lesson-reviews/{a}/items/{vid}/content"),
                token,
                &[("range", "bytes=0-99".into())],
                vec![],
            )
            .await
            .expect(206);
        assert_eq!(ranged.bytes.len(), 100);
        let mut seen = vec![mine.text(), link.text(), format!("{:?}", ranged.headers)];
        if let Some(poster) = link.body["poster_url"].as_str() {
            let p = app.call(Method::GET, poster, None, None).await.expect(200);
            assert_eq!(p.content_type(), "image/jpeg");
        }
        seen.push(
            app.get(&format!("/api/lesson-reviews/{a}"), token)
                .await
                .expect(200)
                .text(),
        );
        let all = seen.join("\n");
        for f in [
            TEACHERS[0],
            SCHOOLS[0],
            code.as_str(),
            card.as_str(),
            "锦江区",
            "王指导",
        ] {
            assert!(!all.contains(f), "a blind reviewer saw {f:?}:\n{all}");
        }
        // The teacher sees nothing of the round until it is published.
        assert!(
            yanxiu::lessons::results::published_results(&app.db, lesson)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

both_engines!(
    an_unknown_stored_round_level_is_an_error,
    |app: TestApp| async move {
        use sea_orm::ConnectionTrait;
        let w = world(&app).await;
        let round = create_round(
            &app,
            &w.county,
            &round_body(w.activity, w.rubric, "county", "县级评审"),
        )
        .await;
        let id = round["id"].as_i64().unwrap();
        let path = format!("/api/lesson-rounds/{id}");
        app.get(&path, &w.county).await.expect(200);
        // Plain SQL: the typed model cannot express a level outside the set. The level once fell back to county
        // silently, which would let a county administrator run another level's round.
        app.db
            .execute_unprepared(&format!(
                "UPDATE lesson_rounds SET level = 'district' WHERE id = {id}"
            ))
            .await
            .unwrap();
        app.get(&path, &w.county)
            .await
            .expect_problem(500, "internal_error");
    }
);
