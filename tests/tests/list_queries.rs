//! Every list endpoint runs a bounded number of SQL statements whatever the page size: a page of 200 rows costs
//! the statements a page of 10 costs. The statements are counted on a connection of its own with sea-orm's
//! metric callback, over more than 200 rows of each kind made through the API and the bulk imports.
#![allow(clippy::unwrap_used)]

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use poem::{EndpointExt, endpoint::BoxEndpoint, test::TestClient};
use serde_json::{Value, json};
use yanxiu_tests::*;

const ROWS: u32 = 205;
const SCHOOLS_WITH_TEACHERS: u32 = 5;

/// The app on a connection whose every statement is counted.
struct Counted {
    client: TestClient<BoxEndpoint<'static>>,
    statements: Arc<AtomicU64>,
}

impl Counted {
    fn new(app: &TestApp) -> Self {
        let mut state = app.state.clone();
        let statements = Arc::new(AtomicU64::new(0));
        let counter = statements.clone();
        state.db.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        let client = TestClient::new(yanxiu::app(state).map_to_response().boxed());
        Self { client, statements }
    }

    /// The statements one GET runs, and how many items it returned.
    async fn measure(&self, path: &str, token: &str) -> (u64, usize) {
        let before = self.statements.load(Ordering::SeqCst);
        let resp = self
            .client
            .get(path)
            .header("authorization", format!("Bearer {token}"))
            .send()
            .await;
        resp.assert_status_is_ok();
        let body: Value = resp.json().await.value().deserialize();
        let after = self.statements.load(Ordering::SeqCst);
        let items = body["items"].as_array().map(Vec::len).unwrap_or_default();
        (after - before, items)
    }
}

fn csv(header: &str, rows: impl Iterator<Item = String>) -> Vec<u8> {
    let mut out = format!("{header}\n");
    for row in rows {
        out.push_str(&row);
        out.push('\n');
    }
    out.into_bytes()
}

/// Schools and teachers through the imports, a program with an assigned enrolment for every teacher, an hour
/// entry completing each (so each gets a certificate), accounts and questions through the API.
async fn seed(app: &TestApp, admin: &str) -> i64 {
    let schools = csv(
        "code,name,county_code,stage,urban_rural",
        (1..=ROWS).map(|i| format!("{},列表学校{i},510104,小学,城区", school_code(i))),
    );
    let r = app
        .upload(
            "/api/import/schools?dry_run=false",
            Some(admin),
            "schools.csv",
            "text/csv",
            schools,
        )
        .await
        .expect(200);
    assert_eq!(r.body["committed"], true, "{:?}", r.body);
    let teachers = csv(
        "name,id_card,school_code,stage,subject",
        (1..=ROWS).map(|i| {
            format!(
                "列表教师{i},{},{},小学,数学",
                id_card("510104", 5000 + i),
                school_code(1 + i % SCHOOLS_WITH_TEACHERS)
            )
        }),
    );
    let r = app
        .upload(
            "/api/import/teachers?dry_run=false",
            Some(admin),
            "teachers.csv",
            "text/csv",
            teachers,
        )
        .await
        .expect(200);
    assert_eq!(r.body["committed"], true, "{:?}", r.body);

    let program = app
        .post(
            "/api/programs",
            admin,
            &json!({
                "name": "列表查询项目", "level": "provincial", "kind": "信息技术应用能力提升",
                "year": 2026, "enrolment_mode": "assigned",
                "hour_rule": { "kind": "cumulative" }, "completion": { "required_hours": 1 },
                "owner_code": "510000", "seats": 1000,
            }),
        )
        .await
        .expect(200)
        .id();
    app.post(
        &format!("/api/programs/{program}/publish"),
        admin,
        &json!({}),
    )
    .await
    .expect(200);
    let mut quotas = vec![("510100".to_string(), 600), ("510104".to_string(), 600)];
    quotas.extend((1..=SCHOOLS_WITH_TEACHERS).map(|i| (school_code(i), 100)));
    for (node, seats) in quotas {
        app.put(
            &format!("/api/programs/{program}/quotas/{node}"),
            admin,
            &json!({ "seats": seats }),
        )
        .await
        .expect(200);
    }
    let r = app
        .post(
            &format!("/api/programs/{program}/enrollments/bulk"),
            admin,
            &json!({ "node": "510104", "dry_run": false }),
        )
        .await
        .expect(200);
    assert!(
        r.body["errors"].as_array().is_none_or(Vec::is_empty),
        "{:?}",
        r.body
    );

    let mut page = 1;
    loop {
        let r = app
            .get(
                &format!("/api/programs/{program}/enrollments?page_size=200&page={page}"),
                admin,
            )
            .await
            .expect(200);
        let items = r.body["items"].as_array().cloned().unwrap_or_default();
        for e in &items {
            app.post(
                "/api/hours",
                admin,
                &json!({ "teacher_id": e["teacher_id"], "enrollment_id": e["id"], "category": "online",
                         "hours": 1.0, "occurred_on": "2026-05-01", "source": "course" }),
            )
            .await
            .expect(200);
        }
        if items.len() < 200 {
            break;
        }
        page += 1;
    }

    for i in 1..=ROWS {
        app.create_account(
            admin,
            &format!("list.head{i}"),
            "school_admin",
            &school_code(i),
            None,
        )
        .await;
        app.post(
            "/api/questions",
            admin,
            &json!({ "kind": "single", "subject": "数学", "tags": ["列表"], "difficulty": 2,
                     "stem": format!("列表题 {i}"), "options": ["甲", "乙"], "answer": { "choice": 0 } }),
        )
        .await
        .expect(200);
    }
    program
}

both_engines!(
    list_endpoints_cost_the_same_statements_for_10_and_200_rows,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let program = seed(&app, &admin).await;
        let counted = Counted::new(&app);
        let lists = [
            "/api/schools".to_string(),
            "/api/teachers".to_string(),
            "/api/accounts".to_string(),
            format!("/api/programs/{program}/enrollments"),
            "/api/hours".to_string(),
            "/api/hours?status=approved&source=course".to_string(),
            "/api/certificates".to_string(),
            "/api/questions".to_string(),
            "/api/audit".to_string(),
        ];
        let mut differing = Vec::new();
        for list in &lists {
            let sep = if list.contains('?') { '&' } else { '?' };
            // Warm-up: the first request of a token may load what later ones reuse.
            counted
                .measure(&format!("{list}{sep}page_size=10"), &admin)
                .await;
            let (small, ten) = counted
                .measure(&format!("{list}{sep}page_size=10"), &admin)
                .await;
            let (large, two_hundred) = counted
                .measure(&format!("{list}{sep}page_size=200"), &admin)
                .await;
            assert_eq!(
                (ten, two_hundred),
                (10, 200),
                "{list} must have at least 200 rows to measure"
            );
            eprintln!("{list}: {small} statements for 10 rows, {large} for 200");
            if small != large {
                differing.push(format!(
                    "{list}: {small} statements for 10 rows, {large} for 200"
                ));
            }
        }
        assert!(differing.is_empty(), "{differing:#?}");
    }
);
