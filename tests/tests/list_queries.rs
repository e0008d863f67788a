//! Every list endpoint runs a bounded number of SQL statements whatever the page size: a page of 200 rows costs
//! the statements a page of 10 costs. The statements are counted on a connection of its own with sea-orm's
//! metric callback, over more than 200 rows of each kind made through the API and the bulk imports — or, where
//! only one-by-one calls (each a login, an upload or a state machine's steps) could make that many, written
//! straight to the database as the API writes them. One test per domain, each with its own seed.
#![allow(clippy::unwrap_used)]

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use poem::{EndpointExt, endpoint::BoxEndpoint, test::TestClient};
use sea_orm::{ConnectionTrait, Statement};
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

/// Every list of `lists` (path, token) costs the same statements for a page of 10 and a page of 200 rows.
async fn assert_bounded(app: &TestApp, lists: &[(String, &str)]) {
    let counted = Counted::new(app);
    let mut differing = Vec::new();
    for (list, token) in lists {
        let sep = if list.contains('?') { '&' } else { '?' };
        // Warm-up: the first request of a token may load what later ones reuse.
        counted
            .measure(&format!("{list}{sep}page_size=10"), token)
            .await;
        let (small, ten) = counted
            .measure(&format!("{list}{sep}page_size=10"), token)
            .await;
        let (large, two_hundred) = counted
            .measure(&format!("{list}{sep}page_size=200"), token)
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

/// Runs one statement of seed SQL (the same text on both engines).
async fn exec(app: &TestApp, sql: &str) {
    app.db
        .execute_unprepared(sql)
        .await
        .unwrap_or_else(|e| panic!("{e}: {sql}"));
}

/// The `id` column of a query's rows.
async fn ids(app: &TestApp, sql: &str) -> Vec<i64> {
    let backend = app.db.get_database_backend();
    app.db
        .query_all_raw(Statement::from_string(backend, sql.to_string()))
        .await
        .unwrap_or_else(|e| panic!("{e}: {sql}"))
        .iter()
        .map(|row| row.try_get::<i64>("", "id").unwrap())
        .collect()
}

async fn first_id(app: &TestApp, sql: &str) -> i64 {
    ids(app, sql).await[0]
}

/// Schools and teachers through the imports: `ROWS` of each, the teachers spread over the first
/// `schools_with_teachers` schools.
async fn directory(app: &TestApp, admin: &str, schools_with_teachers: u32) {
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
                school_code(1 + i % schools_with_teachers)
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
}

/// A published province program with an approved (assigned) enrolment of every teacher, through the bulk
/// enrolment; returns its id.
async fn enrolled_program(app: &TestApp, admin: &str) -> i64 {
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
    program
}

/// A login for the first teacher (who is enrolled in every program and placed in every class of the seed).
async fn first_teacher(app: &TestApp, admin: &str) -> (i64, String) {
    let teacher = first_id(app, "SELECT MIN(id) AS id FROM teachers").await;
    app.create_account(
        admin,
        "list.teacher",
        "teacher",
        &school_code(2),
        Some(teacher),
    )
    .await;
    (teacher, app.login("list.teacher", PASSWORD).await)
}

/// The directory, a program with every teacher enrolled, an hour entry completing each (so each gets a
/// certificate), a pending 补录 of each, accounts through the API, and the training rows around the program.
async fn seed_training(app: &TestApp, admin: &str) -> TrainingSeed {
    directory(app, admin, SCHOOLS_WITH_TEACHERS).await;
    let program = enrolled_program(app, admin).await;
    let evidence = app
        .upload_file(admin, "evidence", "签到表.pdf", TINY_PDF)
        .await
        .expect(200)
        .id();
    let enrolments = ids(
        app,
        &format!("SELECT id FROM enrollments WHERE program_id = {program} ORDER BY id"),
    )
    .await;
    for enrolment in &enrolments {
        let teacher = first_id(
            app,
            &format!("SELECT teacher_id AS id FROM enrollments WHERE id = {enrolment}"),
        )
        .await;
        app.post(
            "/api/hours",
            admin,
            &json!({ "teacher_id": teacher, "enrollment_id": enrolment, "category": "online",
                     "hours": 1.0, "occurred_on": "2026-05-01", "source": "course" }),
        )
        .await
        .expect(200);
        app.post(
            "/api/hours",
            admin,
            &json!({ "teacher_id": teacher, "category": "practice", "hours": 2.0,
                     "occurred_on": "2026-04-01", "source": "supplement", "evidence": [evidence] }),
        )
        .await
        .expect(200);
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
    }

    // Programs, classes, tutors, assignments, submissions, sessions and result batches: copies of what the API
    // writes, made in one statement each — through the API each would be one call per row (a submission a
    // login per teacher, a result batch an institution's upload).
    exec(
        app,
        &format!(
            "INSERT INTO programs (name, level, kind, year, enrolment_mode, enrol_from, enrol_until, train_from, \
             train_until, hour_rule, completion_rule, owner_code, owner_path, status, created_by, created_at, \
             updated_at) \
             SELECT p.name || t.id, p.level, p.kind, p.year, p.enrolment_mode, p.enrol_from, p.enrol_until, \
             p.train_from, p.train_until, p.hour_rule, p.completion_rule, p.owner_code, p.owner_path, p.status, \
             p.created_by, p.created_at, p.updated_at FROM programs p, teachers t WHERE p.id = {program}"
        ),
    )
    .await;
    exec(
        app,
        &format!(
            "INSERT INTO training_classes (program_id, name, institution, path, created_by, created_at) \
             SELECT p.id, '列表班' || t.id, '列表学院', p.owner_path, 1, CURRENT_TIMESTAMP \
             FROM programs p, teachers t WHERE p.id = {program}"
        ),
    )
    .await;
    let class = first_id(
        app,
        &format!("SELECT MIN(id) AS id FROM training_classes WHERE program_id = {program}"),
    )
    .await;
    let tutor = app
        .create_account(admin, "list.tutor", "tutor", "510000", None)
        .await["id"]
        .as_i64()
        .unwrap();
    exec(
        app,
        &format!(
            "INSERT INTO class_tutors (class_id, account_id, assigned_by, assigned_at) \
             SELECT id, {tutor}, 1, CURRENT_TIMESTAMP FROM training_classes WHERE program_id = {program}"
        ),
    )
    .await;
    app.post(
        &format!("/api/classes/{class}/members"),
        admin,
        &json!({ "enrollment_ids": enrolments }),
    )
    .await
    .expect(200);
    exec(
        app,
        &format!(
            "INSERT INTO assignments (program_id, class_id, path, title, instructions, deadline, category, \
             half_hours, created_by, created_at) \
             SELECT p.id, NULL, p.owner_path, '列表作业' || t.id, '说明', '2099-01-01T00:00:00Z', 'online', 2, 1, \
             CURRENT_TIMESTAMP FROM programs p, teachers t WHERE p.id = {program}"
        ),
    )
    .await;
    let assignment = first_id(
        app,
        &format!("SELECT MIN(id) AS id FROM assignments WHERE program_id = {program}"),
    )
    .await;
    exec(
        app,
        &format!(
            "INSERT INTO submissions (assignment_id, enrollment_id, teacher_id, class_id, body, attachments, \
             submitted_at) \
             SELECT {assignment}, enrollment_id, teacher_id, class_id, '作业正文', '[]', CURRENT_TIMESTAMP \
             FROM class_members WHERE class_id = {class}"
        ),
    )
    .await;
    exec(
        app,
        &format!(
            "INSERT INTO class_sessions (class_id, held_on, title, category, half_hours, created_by, created_at) \
             SELECT {class}, '2026-05-01', '面授' || t.id, 'centralized', 2, 1, CURRENT_TIMESTAMP FROM teachers t"
        ),
    )
    .await;
    exec(
        app,
        &format!(
            "INSERT INTO result_batches (program_id, node_code, node_path, status, \"rows\", row_count, \
             file_name, submitted_by, submitted_at) \
             SELECT {program}, code, path, 'pending', '[]', 0, 'results.csv', 1, CURRENT_TIMESTAMP FROM schools"
        ),
    )
    .await;
    // Jobs come from mail and reminders; finished ones stand in for a long-running queue.
    exec(
        app,
        "INSERT INTO jobs (kind, payload, status, attempts, max_attempts, run_at, created_at, finished_at) \
         SELECT 'lesson_reminder', '{}', 'done', 1, 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP \
         FROM teachers",
    )
    .await;
    TrainingSeed {
        program,
        class,
        assignment,
    }
}

struct TrainingSeed {
    program: i64,
    class: i64,
    assignment: i64,
}

both_engines!(
    directory_and_training_lists_cost_the_same_statements_for_10_and_200_rows,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let TrainingSeed {
            program,
            class,
            assignment,
        } = seed_training(&app, &admin).await;
        let (_, teacher) = first_teacher(&app, &admin).await;
        let auditor = app.audit_admin("list.auditor").await;
        let system = app.system_admin("list.system").await;
        let admin = admin.as_str();
        let lists = [
            ("/api/schools".to_string(), admin),
            ("/api/teachers".to_string(), admin),
            ("/api/accounts".to_string(), admin),
            ("/api/audit".to_string(), admin),
            ("/api/audit/entries".to_string(), auditor.as_str()),
            ("/api/programs".to_string(), admin),
            (format!("/api/programs/{program}/enrollments"), admin),
            (format!("/api/programs/{program}/result-batches"), admin),
            ("/api/hours".to_string(), admin),
            ("/api/hours?status=approved&source=course".to_string(), admin),
            // The 补录 queue as the approval page asks for it.
            ("/api/hours?status=pending".to_string(), admin),
            (
                "/api/hours?status=pending&source=supplement&node=510104&sort=occurred_on&order=desc"
                    .to_string(),
                admin,
            ),
            ("/api/certificates".to_string(), admin),
            ("/api/classes".to_string(), admin),
            (format!("/api/classes/{class}/members"), admin),
            (format!("/api/classes/{class}/sessions"), admin),
            ("/api/assignments".to_string(), admin),
            (format!("/api/assignments/{assignment}/submissions"), admin),
            ("/api/my/coursework".to_string(), teacher.as_str()),
            ("/api/jobs".to_string(), system.as_str()),
        ];
        assert_bounded(&app, &lists).await;
    }
);

// Questions through the API; quizzes of the program and attempts at two of them written straight to the
// database (an attempt is a teacher's own start, answers and submission).
both_engines!(
    assessment_lists_cost_the_same_statements_for_10_and_200_rows,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        directory(&app, &admin, SCHOOLS_WITH_TEACHERS).await;
        let program = enrolled_program(&app, &admin).await;
        let (teacher_id, teacher) = first_teacher(&app, &admin).await;
        for i in 1..=ROWS {
            app.post(
                "/api/questions",
                &admin,
                &json!({ "kind": "single", "subject": "数学", "tags": ["列表"], "difficulty": 2,
                         "stem": format!("列表题 {i}"), "options": ["甲", "乙"], "answer": { "choice": 0 } }),
            )
            .await
            .expect(200);
        }
        exec(
            &app,
            &format!(
                "INSERT INTO quizzes (program_id, class_id, path, title, description, mode, paper, opens_at, \
                 closes_at, time_limit_minutes, attempts_allowed, pass_score, total_points, shuffle_options, \
                 counts_for_completion, key_review, status, created_by, created_at) \
                 SELECT p.id, NULL, p.owner_path, '列表测验' || t.id, '', 'fixed', '{{}}', \
                 '2026-01-01T00:00:00Z', '2099-01-01T00:00:00Z', 30, 300, 60, 100, FALSE, FALSE, 'after_close', \
                 'published', 1, CURRENT_TIMESTAMP FROM programs p, teachers t WHERE p.id = {program}"
            ),
        )
        .await;
        let quizzes = ids(
            &app,
            &format!("SELECT id FROM quizzes WHERE program_id = {program} ORDER BY id"),
        )
        .await;
        // `numbers` multiplies the rows: one attempt per teacher, or one per number for the first teacher.
        let attempts = |quiz: i64, numbers: &str, number: &str, teachers: &str| {
            format!(
                "INSERT INTO quiz_attempts (quiz_id, teacher_id, enrollment_id, path, attempt_no, status, \
                 started_at, deadline_at, closed_at, closed_by_timeout, paper, score, passed) \
                 SELECT {quiz}, e.teacher_id, e.id, t.path, {number}, 'graded', CURRENT_TIMESTAMP, \
                 CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, FALSE, '{{}}', 80, TRUE \
                 FROM enrollments e JOIN teachers t ON t.id = e.teacher_id{numbers} \
                 WHERE e.program_id = {program}{teachers}"
            )
        };
        // Every teacher once at the first quiz; the first teacher once per number at the second.
        exec(&app, &attempts(quizzes[0], "", "1", "")).await;
        exec(
            &app,
            &attempts(
                quizzes[1],
                " CROSS JOIN teachers n",
                "n.id",
                &format!(" AND e.teacher_id = {teacher_id}"),
            ),
        )
        .await;
        let admin = admin.as_str();
        let lists = [
            ("/api/questions".to_string(), admin),
            ("/api/quizzes".to_string(), admin),
            ("/api/quizzes".to_string(), teacher.as_str()),
            (format!("/api/quizzes/{}/attempts", quizzes[0]), admin),
            (
                format!("/api/quizzes/{}/attempts", quizzes[1]),
                teacher.as_str(),
            ),
        ];
        assert_bounded(&app, &lists).await;
    }
);

// The 能力点 catalogue published through the API; older versions, every school's plan, a submission of every
// teacher (school-graded) and draws sampling them written straight to the database — through the API each is
// one call per school or teacher, a submission a teacher's login and upload.
both_engines!(
    competency_lists_cost_the_same_statements_for_10_and_200_rows,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        directory(&app, &admin, SCHOOLS_WITH_TEACHERS).await;
        let catalog = app.publish_competency_catalogue().await;
        exec(
            &app,
            "INSERT INTO competency_catalogs (version, status, based_on, created_by, created_at, published_by, \
             published_at) \
             SELECT 100 + id, 'retired', NULL, 1, CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP FROM teachers",
        )
        .await;
        exec(
            &app,
            &format!(
                "INSERT INTO competency_plans (school_id, path, year, catalog_id, required_passes, \
                 distinct_dimensions, created_by, created_at, updated_by, updated_at) \
                 SELECT id, path, 2026, {catalog}, 3, FALSE, 1, CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP \
                 FROM schools"
            ),
        )
        .await;
        exec(
            &app,
            &format!(
                "INSERT INTO competency_plan_points (plan_id, point_id, code, compulsory) \
                 SELECT pl.id, pt.id, pt.code, pt.code = 'A1' FROM competency_plans pl, competency_points pt \
                 WHERE pt.catalog_id = {catalog} AND pt.code IN ('A1', 'B2', 'C3')"
            ),
        )
        .await;
        exec(
            &app,
            &format!(
                "INSERT INTO competency_submissions (teacher_id, school_id, path, year, plan_id, point_id, code, \
                 previous_id, latest, items, submitted_at, school_grade, school_checks, school_comment, \
                 school_reviewer, school_reviewed_at) \
                 SELECT t.id, t.school_id, t.path, 2026, pl.id, pt.id, pt.code, NULL, TRUE, \
                 '[{{\"key\":\"design\",\"text\":\"教学设计\",\"files\":[]}}]', CURRENT_TIMESTAMP, 'pass', NULL, \
                 '合格', 1, CURRENT_TIMESTAMP \
                 FROM teachers t JOIN competency_plans pl ON pl.school_id = t.school_id \
                 JOIN competency_points pt ON pt.catalog_id = {catalog} AND pt.code = 'A1'"
            ),
        )
        .await;
        exec(
            &app,
            "INSERT INTO competency_spot_checks (county_code, path, year, seed, share_percent, population, drawn, \
             drawn_by, drawn_at) \
             SELECT r.code, r.path, 2026, t.id, 10, 205, 1, 1, CURRENT_TIMESTAMP FROM regions r, teachers t \
             WHERE r.code = '510104'",
        )
        .await;
        exec(
            &app,
            "INSERT INTO competency_spot_check_items (spot_check_id, submission_id) \
             SELECT d.id, s.id FROM competency_spot_checks d, competency_submissions s \
             WHERE s.teacher_id = (SELECT MIN(id) FROM teachers)",
        )
        .await;
        let admin = admin.as_str();
        let lists = [
            ("/api/competency/catalogs".to_string(), admin),
            ("/api/competency/plans".to_string(), admin),
            ("/api/competency/submissions".to_string(), admin),
            ("/api/competency/spot-checks".to_string(), admin),
        ];
        assert_bounded(&app, &lists).await;
    }
);

// 一师一优课 rows written straight to the database as the round tests do (a lesson reaches `checked` through
// uploads, media checks and the school's 审查; a round's entries, reviews, objections and awards through its
// whole run): activities, catalogue nodes, a checked lesson of every teacher, verifications, a reviewer
// certified into every school's pool, a round per school in 公示, and the first round's entries, reviews,
// objections and awards.
both_engines!(
    lesson_lists_cost_the_same_statements_for_10_and_200_rows,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        // Every teacher in one school: a school checks its own teachers only.
        directory(&app, &admin, 1).await;
        app.create_account(&admin, "list.head", "school_admin", &school_code(1), None)
            .await;
        let head = app.login("list.head", PASSWORD).await;
        let activity = app.lesson_activity(2026).await;
        let now = "CURRENT_TIMESTAMP";
        exec(
            &app,
            &format!(
                "INSERT INTO lesson_activities (year, name, windows, created_by, created_at, updated_at) \
                 SELECT 1000 + id, '列表活动' || id, '[]', 1, {now}, {now} FROM teachers"
            ),
        )
        .await;
        exec(
            &app,
            &format!(
                "INSERT INTO lesson_catalogue_nodes (activity_id, stage, subject, edition, grade, volume, chapter, \
                 node, position) \
                 SELECT {activity}, '小学', '数学', '人教版', '一年级', '上册', '第一单元', '课时' || id, id \
                 FROM teachers"
            ),
        )
        .await;
        let node = first_id(
            &app,
            &format!(
                "SELECT MIN(id) AS id FROM lesson_catalogue_nodes WHERE activity_id = {activity}"
            ),
        )
        .await;
        exec(
            &app,
            &format!(
                "INSERT INTO lessons (activity_id, catalogue_node_id, teacher_id, school_id, path, title, \
                 lesson_no, advisors, design, status, submitted_at, checked_by, checked_at, check_reason, \
                 created_at, updated_at) \
                 SELECT {activity}, {node}, id, school_id, path, '列表课' || id, 1, '[]', '{{}}', 'checked', \
                 {now}, 1, {now}, NULL, {now}, {now} FROM teachers"
            ),
        )
        .await;
        exec(
            &app,
            &format!(
                "INSERT INTO lesson_teacher_verifications (activity_id, teacher_id, path, verified_by, \
                 verified_at) SELECT {activity}, id, path, 1, {now} FROM teachers"
            ),
        )
        .await;
        let reviewer = app
            .create_account(&admin, "list.reviewer", "reviewer", "510000", None)
            .await["id"]
            .as_i64()
            .unwrap();
        exec(
            &app,
            &format!(
                "INSERT INTO lesson_reviewers (account_id, path, home_school_id, home_county, certified_by, \
                 certified_at) SELECT {reviewer}, path, id, '510104', 1, {now} FROM schools"
            ),
        )
        .await;
        let rubric = app.default_rubric().await;
        exec(
            &app,
            &format!(
                "INSERT INTO lesson_rounds (activity_id, level, region_code, path, name, rubric_id, criteria, \
                 reviewers_per_lesson, blind, same_county_conflict, aggregation, spread_threshold, quota_kind, \
                 quota_value, deadline, reminder_days, publicity_days, status, publicity_ends_at, created_by, \
                 created_at, updated_at) \
                 SELECT {activity}, 'county', code, path, '列表评审' || code, {rubric}, '[]', 2, FALSE, FALSE, \
                 'mean', 15, 'percent', 50, '2099-01-01T00:00:00Z', '[]', 5, 'publicity', NULL, 1, {now}, {now} \
                 FROM schools"
            ),
        )
        .await;
        let round = first_id(
            &app,
            &format!("SELECT MIN(id) AS id FROM lesson_rounds WHERE activity_id = {activity}"),
        )
        .await;
        exec(
            &app,
            &format!(
                "INSERT INTO lesson_round_entries (round_id, lesson_id, teacher_id, school_id, path, slot, score, \
                 spread, flagged, override_score, override_reason, override_by, rank, recommended, reason, \
                 excluded, created_at) \
                 SELECT {round}, id, teacher_id, school_id, path, '', 80, 0, FALSE, NULL, NULL, NULL, id, TRUE, \
                 NULL, FALSE, {now} FROM lessons WHERE activity_id = {activity}"
            ),
        )
        .await;
        let of_round = format!("FROM lesson_round_entries WHERE round_id = {round}");
        exec(
            &app,
            &format!(
                "INSERT INTO lesson_objections (round_id, entry_id, raised_by, text, status, created_at) \
                 SELECT round_id, id, 1, '列表异议', 'open', {now} {of_round}"
            ),
        )
        .await;
        exec(
            &app,
            &format!(
                "INSERT INTO lesson_assignments (round_id, entry_id, reviewer_id, status, scores, total, comment, \
                 assigned_by, assigned_at) \
                 SELECT round_id, id, {reviewer}, 'assigned', '[]', NULL, NULL, 1, {now} {of_round}"
            ),
        )
        .await;
        exec(
            &app,
            &format!(
                "INSERT INTO lesson_awards (activity_id, lesson_id, round_id, level, path, awarded_at) \
                 SELECT {activity}, lesson_id, round_id, 'county', path, {now} {of_round}"
            ),
        )
        .await;
        let reviewer_token = app.login("list.reviewer", PASSWORD).await;
        let admin = admin.as_str();
        let lists = [
            ("/api/lesson-activities".to_string(), admin),
            (
                format!("/api/lesson-activities/{activity}/catalogue"),
                admin,
            ),
            (
                format!("/api/lesson-activities/{activity}/teachers"),
                head.as_str(),
            ),
            ("/api/lessons".to_string(), admin),
            ("/api/lesson-reviewers".to_string(), admin),
            ("/api/lesson-rounds".to_string(), admin),
            (format!("/api/lesson-rounds/{round}/entries"), admin),
            ("/api/lesson-publicity".to_string(), admin),
            (format!("/api/lesson-rounds/{round}/objections"), admin),
            (format!("/api/lesson-activities/{activity}/awards"), admin),
            ("/api/lesson-reviews".to_string(), reviewer_token.as_str()),
        ];
        assert_bounded(&app, &lists).await;
    }
);

/// The ids of a teacher list's page.
async fn teacher_ids(app: &TestApp, path: &str, token: &str) -> Vec<i64> {
    let r = app.get(path, token).await.expect(200);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

// Scope and region filters are path ranges now, and a keyword is read by its shape: what each finds, and that
// a county's administrator still never sees a neighbouring county's teacher.
both_engines!(
    teacher_list_scope_ranges_and_keyword_kinds,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let jj = app
            .create_school(&admin, &school_code(1), "510104", "锦江小学")
            .await["id"]
            .as_i64()
            .unwrap();
        let qy = app
            .create_school(&admin, &school_code(2), "510105", "青羊小学")
            .await["id"]
            .as_i64()
            .unwrap();
        // (school, name, phone, teacher number, e-mail)
        let rows = [
            (jj, "张三", "13800000001", "JJ-001", "Zhang.San@example.cn"),
            (jj, "李张伟", "13800000002", "JJ-002", "li@example.cn"),
            (qy, "张四", "13800000003", "QY-001", "zhang.si@example.cn"),
        ];
        let mut ids = Vec::new();
        for (i, (school, name, phone, number, email)) in rows.iter().enumerate() {
            let mut body = teacher_body(*school, name, &id_card("510104", 700 + i as u32));
            body["phone"] = json!(phone);
            body["teacher_number"] = json!(number);
            body["email"] = json!(email);
            ids.push(
                app.post("/api/teachers", &admin, &body)
                    .await
                    .expect(200)
                    .id(),
            );
        }
        let (_, county) = app.region_admin("jj.lists", "county_admin", "510104").await;

        // The county sees its own two, by scope and by region filter; the neighbour's only by the province.
        assert_eq!(
            teacher_ids(&app, "/api/teachers?sort=id", &county).await,
            ids[..2]
        );
        assert_eq!(
            teacher_ids(&app, "/api/teachers?region=510105", &county).await,
            Vec::<i64>::new()
        );
        assert_eq!(
            teacher_ids(&app, "/api/teachers?region=510105", &admin).await,
            ids[2..]
        );
        assert_eq!(
            teacher_ids(&app, "/api/teachers?region=510100&sort=id", &admin).await,
            ids
        );

        let found = |kw: &str, token: &str| {
            let path = format!("/api/teachers?sort=id&keyword={}", utf8_percent(kw));
            let token = token.to_string();
            let app = &app;
            async move { teacher_ids(app, &path, &token).await }
        };
        // One character: names starting with it, not containing it.
        assert_eq!(found("张", &admin).await, vec![ids[0], ids[2]]);
        assert_eq!(found("张", &county).await, vec![ids[0]]);
        assert_eq!(found("伟", &admin).await, Vec::<i64>::new());
        // Two characters on: any part of a name, within the scope.
        assert_eq!(found("张伟", &admin).await, vec![ids[1]]);
        assert_eq!(found("张四", &county).await, Vec::<i64>::new());
        // ID number (any case of its X), phone, teacher number, e-mail in any case.
        let card = id_card("510104", 702);
        assert_eq!(found(&card.to_lowercase(), &admin).await, vec![ids[2]]);
        assert_eq!(found(&card, &county).await, Vec::<i64>::new());
        assert_eq!(found("13800000002", &admin).await, vec![ids[1]]);
        assert_eq!(found("JJ-001", &admin).await, vec![ids[0]]);
        assert_eq!(found("zhang.san@EXAMPLE.cn", &admin).await, vec![ids[0]]);
        assert_eq!(found("QY-001", &county).await, Vec::<i64>::new());
    }
);

// Past the counting cap the total is a lower bound and says so; past the last page the list asks for a filter.
both_engines!(
    long_lists_count_to_a_cap_and_end_at_a_page,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(1), "510104", "计数小学")
            .await["id"]
            .as_i64()
            .unwrap();
        app.create_teacher(&admin, school, "计数教师", &id_card("510104", 1))
            .await;
        let small = app.get("/api/teachers", &admin).await.expect(200);
        assert_eq!(
            (
                small.body["total"].clone(),
                small.body["total_exact"].clone()
            ),
            (json!(1), json!(true))
        );
        // Ten thousand copies of that teacher, each with its own ID hash, written straight to the database.
        exec(
            &app,
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) \
             INSERT INTO teachers (name, gender, school_id, path, id_card_enc, id_card_hash, id_card_masked, \
             birth_date, stage, subject, active, created_at, updated_at) \
             SELECT t.name, t.gender, t.school_id, t.path, t.id_card_enc, 'copy-' || n.i, t.id_card_masked, \
             t.birth_date, t.stage, t.subject, t.active, t.created_at, t.updated_at FROM teachers t, n",
        )
        .await;
        let capped = app
            .get("/api/teachers?page_size=20", &admin)
            .await
            .expect(200);
        assert_eq!(capped.body["total"], 10_001, "{}", capped.text());
        assert_eq!(capped.body["total_exact"], false);
        let exact = app
            .get("/api/teachers?region=510105", &admin)
            .await
            .expect(200);
        assert_eq!(exact.body["total_exact"], true);
        // The last page still answers; the one after it is refused on `page`.
        app.get("/api/teachers?page=500&page_size=20", &admin)
            .await
            .expect(200);
        app.get("/api/teachers?page=501", &admin)
            .await
            .expect_field_error("page");
    }
);
