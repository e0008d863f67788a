//! 全员培训年度报表: the report across a year's programs drills down province → city → county → school → teacher,
//! equals a recount from the ledgers at every level on both engines, hides empty rows on request, stays inside
//! the caller's area, exports XLSX / CSV / PDF (audited), and its maintained counters agree with a rebuild after
//! teachers move and leave.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use chrono::Datelike;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use yanxiu_tests::*;

const YEAR: i32 = 2026;

/// What the report should say for the node at `path`, counted straight from the ledgers.
#[derive(Debug, Default, PartialEq)]
struct Recount {
    teachers: i64,
    participants: i64,
    enrolments: i64,
    completed: i64,
    half_hours: HashMap<String, i64>,
    supplement: i64,
    met_minimum: i64,
    cycle_complete: i64,
    awards: i64,
}

async fn recount(app: &TestApp, path: &str) -> Recount {
    use entity::{enrollment, hour_entry, program, teacher};
    let teachers: HashMap<i64, teacher::Model> = teacher::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let active_under = |id: &i64| {
        teachers
            .get(id)
            .is_some_and(|t| t.active && t.path.starts_with(path))
    };
    let years: HashMap<i64, i32> = program::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.id, p.year))
        .collect();
    let enrolments: Vec<enrollment::Model> = enrollment::Entity::find()
        .filter(enrollment::Column::ReviewStatus.eq("approved"))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| years[&e.program_id] == YEAR)
        .collect();
    let mut r = Recount {
        teachers: teachers.keys().filter(|id| active_under(id)).count() as i64,
        ..Default::default()
    };
    let mut participants: std::collections::HashSet<i64> = Default::default();
    for e in &enrolments {
        if e.path.starts_with(path) {
            r.enrolments += 1;
            r.completed +=
                i64::from(e.training_status == entity::enrollment::TrainingStatus::Completed);
        }
        if active_under(&e.teacher_id) {
            participants.insert(e.teacher_id);
        }
    }
    r.participants = participants.len() as i64;
    let mut per_teacher_year: HashMap<i64, i64> = HashMap::new();
    let mut per_teacher_cycle: HashMap<i64, i64> = HashMap::new();
    for h in hour_entry::Entity::find().all(&app.db).await.unwrap() {
        let signed = match h.status.as_str() {
            "approved" => i64::from(h.half_hours),
            "voiding" => -i64::from(h.half_hours),
            _ => continue,
        };
        let y = h.occurred_on.year();
        if (YEAR..YEAR + 5).contains(&y) {
            *per_teacher_cycle.entry(h.teacher_id).or_default() += signed;
        }
        if y != YEAR {
            continue;
        }
        *per_teacher_year.entry(h.teacher_id).or_default() += signed;
        if h.path.starts_with(path) {
            *r.half_hours
                .entry(h.category.as_str().to_string())
                .or_default() += signed;
            if h.source.as_str() == "supplement" {
                r.supplement += signed;
            }
        }
    }
    r.half_hours.retain(|_, v| *v != 0);
    r.met_minimum = per_teacher_year
        .iter()
        .filter(|(t, h)| active_under(t) && **h >= 144)
        .count() as i64;
    r.cycle_complete = per_teacher_cycle
        .iter()
        .filter(|(t, h)| active_under(t) && **h >= 720)
        .count() as i64;
    r.awards = entity::lesson_award::Entity::find()
        .filter(entity::lesson_award::Column::Path.starts_with(path))
        .all(&app.db)
        .await
        .unwrap()
        .len() as i64;
    r
}

/// The same figures as the report shows them for one row.
fn shown(row: &Value) -> Recount {
    let mut half_hours = HashMap::new();
    for h in row["hours"].as_array().unwrap() {
        let hh = (h["hours"].as_f64().unwrap() * 2.0) as i64;
        if hh != 0 {
            half_hours.insert(h["category"].as_str().unwrap().to_string(), hh);
        }
    }
    let a = &row["awards"];
    Recount {
        teachers: row["teachers"].as_i64().unwrap(),
        participants: row["participants"].as_i64().unwrap(),
        enrolments: row["enrolments"].as_i64().unwrap(),
        completed: row["completed"].as_i64().unwrap(),
        half_hours,
        supplement: (row["supplement_hours"].as_f64().unwrap() * 2.0) as i64,
        met_minimum: row["met_minimum"].as_i64().unwrap(),
        cycle_complete: row["cycle_complete"].as_i64().unwrap(),
        awards: ["county", "city", "province", "ministry"]
            .iter()
            .map(|l| a[*l].as_i64().unwrap())
            .sum(),
    }
}

fn row<'a>(r: &'a Resp, code: &str) -> &'a Value {
    r.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["node_code"] == code)
        .unwrap_or_else(|| panic!("no row {code} in {}", r.body))
}

async fn credit(
    app: &TestApp,
    admin: &str,
    teacher: i64,
    enrollment: Option<i64>,
    category: &str,
    hours: f64,
) {
    app.post(
        "/api/hours",
        admin,
        &json!({ "teacher_id": teacher, "enrollment_id": enrollment, "category": category, "hours": hours,
                 "occurred_on": format!("{YEAR}-05-01"), "source": "course" }),
    )
    .await
    .expect(200);
}

/// Two schools in 锦江区, one in 青羊区, six teachers; a 2026 program with enrolments and hours (one teacher over
/// the yearly minimum, one over 360 in the cycle), an approved 补录 and a county 优课 award. Returns the schools
/// and teachers.
async fn year_of_training(app: &TestApp, admin: &str) -> (Vec<Value>, Vec<i64>) {
    let schools = vec![
        app.create_school(admin, &school_code(71), "510104", "锦江年报一小")
            .await,
        app.create_school(admin, &school_code(72), "510104", "锦江年报二小")
            .await,
        app.create_school(admin, &school_code(73), "510105", "青羊年报小学")
            .await,
    ];
    let mut teachers = Vec::new();
    for (i, (s, n)) in schools.iter().zip([3, 2, 1]).enumerate() {
        for k in 0..n {
            let seq = 700 + (i as u32) * 10 + k;
            let t = app
                .create_teacher(
                    admin,
                    s["id"].as_i64().unwrap(),
                    &format!("年报教师{seq}"),
                    &id_card("510104", seq),
                )
                .await;
            teachers.push(t["id"].as_i64().unwrap());
        }
    }
    let program = app
        .province_program(admin, schools[0]["code"].as_str().unwrap(), 10.0)
        .await;
    for (node, seats) in [
        ("510105", 5),
        (schools[1]["code"].as_str().unwrap(), 5),
        (schools[2]["code"].as_str().unwrap(), 5),
    ] {
        app.put(
            &format!("/api/programs/{program}/quotas/{node}"),
            admin,
            &json!({ "seats": seats }),
        )
        .await
        .expect(200);
    }
    let mut enrolment = HashMap::new();
    for t in [teachers[0], teachers[1], teachers[3], teachers[5]] {
        let e = app
            .post(
                &format!("/api/programs/{program}/enrollments"),
                admin,
                &json!({ "teacher_id": t }),
            )
            .await
            .expect(200)
            .id();
        enrolment.insert(t, e);
    }
    credit(
        app,
        admin,
        teachers[0],
        Some(enrolment[&teachers[0]]),
        "online",
        80.0,
    )
    .await;
    credit(
        app,
        admin,
        teachers[1],
        Some(enrolment[&teachers[1]]),
        "practice",
        4.0,
    )
    .await;
    credit(
        app,
        admin,
        teachers[3],
        Some(enrolment[&teachers[3]]),
        "online",
        10.0,
    )
    .await;
    credit(
        app,
        admin,
        teachers[5],
        Some(enrolment[&teachers[5]]),
        "online",
        2.0,
    )
    .await;
    // Outside any program: 300 h more for the first teacher (360 in the cycle) and a 补录 for the third.
    for _ in 0..2 {
        credit(app, admin, teachers[0], None, "centralized", 150.0).await;
    }
    let proof = app
        .upload_file(admin, "evidence", "证明.pdf", TINY_PDF)
        .await
        .expect(200);
    let pending = app
        .post(
            "/api/hours",
            admin,
            &json!({ "teacher_id": teachers[2], "category": "practice", "hours": 6, "evidence": [proof.id()],
                     "occurred_on": format!("{YEAR}-04-01"), "source": "supplement" }),
        )
        .await
        .expect(200);
    app.post(
        &format!("/api/hours/{}/decision", pending.id()),
        admin,
        &json!({ "decision": "approve" }),
    )
    .await
    .expect(200);
    // A county 优课 of the first teacher (awards are written by review rounds; here directly).
    let activity = app.lesson_activity(YEAR).await;
    let node = app
        .round_node(activity, "一年级", "语文", "年报知识点")
        .await;
    let lesson = app
        .seeded_lesson(activity, node, teachers[0], "年报优课")
        .await;
    use sea_orm::{ActiveModelTrait, Set};
    let path = entity::teacher::Entity::find_by_id(teachers[0])
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .path;
    entity::lesson_award::ActiveModel {
        activity_id: Set(activity),
        lesson_id: Set(lesson),
        round_id: Set(0),
        level: Set(entity::lesson_award::LessonAwardLevel::County),
        path: Set(path),
        awarded_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    (schools, teachers)
}

both_engines!(
    annual_report_equals_a_recount_at_every_level,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let (_, county) = app
            .region_admin("jj.annual", "county_admin", "510104")
            .await;
        let (schools, teachers) = year_of_training(&app, &admin).await;
        let url = |q: &str| format!("/api/reports/annual?year={YEAR}{q}");

        // Province: 21 cities; 成都市 and the total equal the recount.
        let p = app.get(&url(""), &admin).await.expect(200);
        assert_eq!(p.body["rows"].as_array().unwrap().len(), 21);
        assert_eq!(p.body["cycle_start"], 2026);
        assert_eq!(
            shown(row(&p, "510100")),
            recount(&app, "/510000/510100/").await
        );
        assert_eq!(shown(&p.body["total"]), recount(&app, "/510000/").await);
        let cd = shown(row(&p, "510100"));
        assert_eq!((cd.teachers, cd.participants, cd.enrolments), (6, 4, 4));
        assert_eq!(
            (cd.met_minimum, cd.cycle_complete, cd.supplement, cd.awards),
            (1, 1, 12, 1)
        );
        // Hiding empty rows leaves the one city with anything in it.
        let hidden = app.get(&url("&hide_empty=true"), &admin).await.expect(200);
        assert_eq!(hidden.body["rows"].as_array().unwrap().len(), 1);
        assert_eq!(hidden.body["row_count"], 1);

        // The county admin's own report: its schools, breadcrumbs from its county; other nodes are 404.
        let c = app.get(&url(""), &county).await.expect(200);
        assert_eq!(c.body["node_code"], "510104");
        assert_eq!(c.body["breadcrumbs"].as_array().unwrap().len(), 1);
        for s in &schools[..2] {
            let code = s["code"].as_str().unwrap();
            let path = format!("/510000/510100/510104/{code}/");
            assert_eq!(shown(row(&c, code)), recount(&app, &path).await, "{code}");
        }
        assert_eq!(
            shown(&c.body["total"]),
            recount(&app, "/510000/510100/510104/").await
        );
        for node in [
            "510105",
            "510000",
            "510100",
            schools[2]["code"].as_str().unwrap(),
            "999999",
        ] {
            app.get(&url(&format!("&node={node}")), &county)
                .await
                .expect(404);
        }
        // Province → city → county → school, as the province sees it.
        let city = app.get(&url("&node=510100"), &admin).await.expect(200);
        assert_eq!(
            shown(row(&city, "510104")),
            recount(&app, "/510000/510100/510104/").await
        );
        assert_eq!(
            shown(row(&city, "510105")),
            recount(&app, "/510000/510100/510105/").await
        );

        // A school: its teachers, a page at a time, each equal to their own recount.
        let code = schools[0]["code"].as_str().unwrap();
        let s = app
            .get(&url(&format!("&node={code}&page_size=2")), &county)
            .await
            .expect(200);
        assert_eq!(s.body["teacher_rows"], true);
        assert_eq!(
            (
                s.body["row_count"].as_u64(),
                s.body["rows"].as_array().unwrap().len()
            ),
            (Some(3), 2)
        );
        let crumbs: Vec<&str> = s.body["breadcrumbs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap())
            .collect();
        assert_eq!(crumbs, vec!["510104", code]);
        let next = app
            .get(&url(&format!("&node={code}&page_size=2&page=2")), &county)
            .await
            .expect(200);
        assert_eq!(next.body["rows"].as_array().unwrap().len(), 1);
        let first = row(&s, &teachers[0].to_string());
        assert_eq!(first["met_minimum"], 1);
        assert_eq!(first["cycle_complete"], 1);
        assert_eq!(first["total_hours"], 380.0);
        assert_eq!(first["awards"]["county"], 1);
        assert_eq!(
            row(&next, &teachers[2].to_string())["supplement_hours"],
            6.0
        );
        // Teachers with nothing in the year are hidden on request: the second school's second teacher did nothing.
        let b = schools[1]["code"].as_str().unwrap();
        let quiet = app
            .get(&url(&format!("&node={b}&hide_empty=true")), &county)
            .await
            .expect(200);
        assert_eq!(quiet.body["row_count"], 1);

        // A teacher has no report.
        app.create_account(&admin, "t.annual", "teacher", code, Some(teachers[1]))
            .await;
        let teacher = app.login("t.annual", PASSWORD).await;
        app.get(&url(""), &teacher).await.expect(403);

        // Files: XLSX (read back), CSV and PDF (read back by poppler); each export is audited.
        let xlsx = app
            .get(
                &format!("/api/reports/annual/export?year={YEAR}&format=xlsx"),
                &county,
            )
            .await
            .expect(200);
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(xlsx.bytes.clone())).unwrap();
        let sheet = book.worksheet_range_at(0).unwrap().unwrap();
        let cells: Vec<String> = sheet.rows().map(|r| r[1].to_string()).collect();
        assert_eq!(cells[0], "名称");
        assert!(
            cells.contains(&"锦江年报一小".to_string()) && cells.last().unwrap() == "合计",
            "{cells:?}"
        );
        let csv = app
            .get(
                &format!("/api/reports/annual/export?year={YEAR}&format=csv&hide_empty=true"),
                &county,
            )
            .await
            .expect(200);
        let text = String::from_utf8(csv.bytes.clone()).unwrap();
        assert!(
            text.contains("锦江年报二小") && text.contains("66.67%"),
            "{text}"
        );
        let pdf = app
            .get(&format!("/api/reports/annual/pdf?year={YEAR}"), &county)
            .await
            .expect(200);
        assert!(pdf.bytes.starts_with(b"%PDF-"));
        let text = pdftotext(&pdf.bytes);
        assert!(
            text.contains("锦江区") && text.contains("锦江年报一小") && text.contains("合计"),
            "{text}"
        );
        let audited = entity::audit_log::Entity::find()
            .filter(entity::audit_log::Column::Action.eq("export.annual_report"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(audited.len(), 3);

        // A teacher moves to the other county and another leaves: the standings follow, and a rebuild from the
        // ledger finds nothing to correct.
        let moved = teacher_body(
            schools[2]["id"].as_i64().unwrap(),
            "年报教师700",
            &id_card("510104", 700),
        );
        app.put(&format!("/api/teachers/{}", teachers[0]), &admin, &moved)
            .await
            .expect(200);
        app.post(
            &format!("/api/teachers/{}/deactivate", teachers[3]),
            &admin,
            &json!({}),
        )
        .await
        .expect(200);
        let c = app.get(&url(""), &county).await.expect(200);
        assert_eq!(
            shown(&c.body["total"]),
            recount(&app, "/510000/510100/510104/").await
        );
        assert_eq!(c.body["total"]["met_minimum"], 0);
        let q = app.get(&url("&node=510105"), &admin).await.expect(200);
        assert_eq!(
            shown(&q.body["total"]),
            recount(&app, "/510000/510100/510105/").await
        );
        assert_eq!(q.body["total"]["cycle_complete"], 1);
        let txn = yanxiu::platform::db::begin_write(&app.db).await.unwrap();
        let summary = yanxiu::training::stats::rebuild(&txn, 2021).await.unwrap();
        txn.commit().await.unwrap();
        assert_eq!(summary.differing_year_rows, 0, "{summary:?}");
        assert_eq!(summary.differing_rows, 0, "{summary:?}");
    }
);

fn pdftotext(bytes: &[u8]) -> String {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(file.path())
        .arg("-")
        .output()
        .expect("pdftotext (install poppler-utils)");
    String::from_utf8(out.stdout).unwrap()
}
