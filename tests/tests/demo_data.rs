//! `yanxiu demo-data` run by the real binary on a test app's database, then the demo accounts signing in through
//! the API: every role's main lists have rows, a second run changes nothing, the maintained counters agree with
//! a rebuild, and a database holding real data is refused unless `--force` is given.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

use serde_json::Value;
use yanxiu_tests::*;

const DEMO_PASSWORD: &str = "Demo#Pass2026";

/// Runs `yanxiu <args>` on the app's database and data dir (the same keys), as an operator would.
fn yanxiu(app: &TestApp, args: &[&str]) -> Output {
    Command::new(binary())
        .args(args)
        .env_remove("YANXIU_DATABASE_URL")
        .env_remove("YANXIU_CONFIG")
        .env("DATABASE_URL", app.config.database_url.clone().unwrap())
        .env("YANXIU_DATA_DIR", app.dir.path())
        .env("YANXIU_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("YANXIU_SECURITY_ADMIN_PASSWORD", SECURITY_PASSWORD)
        .env("YANXIU_DEMO_PASSWORD", DEMO_PASSWORD)
        .env("YANXIU_LOG", "warn")
        .output()
        .expect("run the yanxiu binary")
}

/// Runs `demo-data` with `args` and expects success; returns what it printed.
fn demo_data(app: &TestApp, args: &[&str]) -> String {
    let out = yanxiu(app, &[&["demo-data"], args].concat());
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "demo-data failed: {}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Rows of every table the demo fills, counted in the database.
async fn counts(app: &TestApp) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for table in [
        "schools",
        "teachers",
        "accounts",
        "programs",
        "program_quotas",
        "enrollments",
        "enrollment_decisions",
        "hour_entries",
        "certificates",
        "files",
        "training_classes",
        "competency_submissions",
        "lessons",
        "lesson_items",
        "lesson_rounds",
        "lesson_assignments",
        "lesson_awards",
        "assignments",
        "submissions",
        "questions",
        "quizzes",
        "quiz_attempts",
        "audit_log",
    ] {
        counts.push((table, app.count_rows(table).await));
    }
    counts
}

async fn sign_in(app: &TestApp, username: &str) -> String {
    app.login(username, DEMO_PASSWORD).await
}

fn items(v: &Value) -> Vec<Value> {
    v["items"].as_array().cloned().unwrap_or_default()
}

/// The id of the program named `name` in the caller's list.
async fn program_named(app: &TestApp, token: &str, name: &str) -> i64 {
    let list = app
        .get("/api/programs?page_size=100", token)
        .await
        .expect(200);
    items(&list.body)
        .iter()
        .find(|p| p["name"].as_str().is_some_and(|n| n.contains(name)))
        .and_then(|p| p["id"].as_i64())
        .unwrap_or_else(|| panic!("no program {name} in {}", list.text()))
}

fn statuses(list: &Value, field: &str) -> Vec<String> {
    items(list)
        .iter()
        .filter_map(|i| i[field].as_str().map(str::to_string))
        .collect()
}

both_engines!(the_demo_year_shows_every_role, |app: TestApp| async move {
    let printed = demo_data(&app, &[]);
    for username in [
        "admin",
        "security",
        "province_demo",
        "chengdu_admin",
        "mianyang_admin",
        "jinjiang_admin",
        "school_admin_demo",
        "teacher_demo",
        "reviewer_demo",
        "reviewer_demo2",
        "school_reviewer_demo",
        "tutor_demo",
        "institution_demo",
        "system_demo",
        "audit_demo",
    ] {
        assert!(
            printed.contains(username),
            "{username} in the account table: {printed}"
        );
    }
    assert!(printed.contains(DEMO_PASSWORD), "the password is printed");

    // The county administrator: both programs, enrolments in every state, a 补录 waiting.
    let county = sign_in(&app, "jinjiang_admin").await;
    let province_program = program_named(&app, &county, "全省中小学教师").await;
    let city_program = program_named(&app, &county, "成都市").await;
    let enrolled = app
        .get(
            &format!("/api/programs/{province_program}/enrollments?page_size=100"),
            &county,
        )
        .await
        .expect(200);
    assert!(enrolled.body["total"].as_u64().unwrap() >= 24);
    let training = statuses(&enrolled.body, "training_status");
    for status in ["completed", "reported", "not_reported"] {
        assert!(
            training.iter().any(|s| s == status),
            "{status} in {training:?}"
        );
    }
    let review = statuses(&enrolled.body, "review_status");
    assert!(review.iter().any(|s| s == "revoked"), "{review:?}");
    let applied = app
        .get(
            &format!("/api/programs/{city_program}/enrollments"),
            &county,
        )
        .await
        .expect(200);
    let review = statuses(&applied.body, "review_status");
    for status in ["approved", "pending", "rejected"] {
        assert!(review.iter().any(|s| s == status), "{status} in {review:?}");
    }
    assert!(app.total("/api/hours?status=pending", &county).await >= 2);
    assert!(app.total("/api/hours?status=rejected", &county).await >= 1);

    // The school administrator decides on the pending 补录 and the application waiting for the school.
    let school = sign_in(&app, "school_admin_demo").await;
    assert!(app.total("/api/hours?status=pending", &school).await >= 2);
    let pending = app
        .get(
            &format!("/api/programs/{city_program}/enrollments?status=pending"),
            &school,
        )
        .await
        .expect(200);
    assert_eq!(pending.body["total"], 2, "{}", pending.text());

    // The teacher: programs, hours (an approved 补录 among them), a valid certificate, coursework and quiz.
    let teacher = sign_in(&app, "teacher_demo").await;
    assert!(app.total("/api/programs", &teacher).await >= 2);
    assert!(app.total("/api/hours", &teacher).await >= 3);
    assert_eq!(
        app.total("/api/hours?source=supplement&status=approved", &teacher)
            .await,
        1
    );
    let certificates = app.get("/api/certificates", &teacher).await.expect(200);
    assert_eq!(
        statuses(&certificates.body, "status"),
        vec!["valid".to_string()]
    );
    assert!(app.total("/api/my/coursework", &teacher).await >= 1);

    // The tutor: the class and its submissions, graded and waiting.
    let tutor = sign_in(&app, "tutor_demo").await;
    assert_eq!(app.total("/api/classes", &tutor).await, 1);
    let assignments = app.get("/api/assignments", &tutor).await.expect(200);
    let assignment = items(&assignments.body)[0]["id"].as_i64().unwrap();
    let submissions = app
        .get(
            &format!("/api/assignments/{assignment}/submissions"),
            &tutor,
        )
        .await
        .expect(200);
    assert_eq!(submissions.body["total"], 3, "{}", submissions.text());

    // The quiz: one attempt closed, one running.
    let quizzes = app.get("/api/quizzes", &tutor).await.expect(200);
    let quiz = items(&quizzes.body)[0]["id"].as_i64().unwrap();
    let attempts = app
        .get(&format!("/api/quizzes/{quiz}/attempts"), &tutor)
        .await
        .expect(200);
    let attempt_states = statuses(&attempts.body, "status");
    assert!(
        attempt_states.iter().any(|s| s == "in_progress"),
        "{attempt_states:?}"
    );
    assert!(
        attempt_states
            .iter()
            .any(|s| s == "graded" || s == "grading"),
        "{attempt_states:?}"
    );

    // 能力点: the school's reviewer sees its teachers' evidence; the teacher sees the plan's cards.
    let school_reviewer = sign_in(&app, "school_reviewer_demo").await;
    assert!(
        app.total("/api/competency/submissions", &school_reviewer)
            .await
            >= 5
    );
    let year = chrono::Datelike::year(&chrono::Utc::now());
    let mine = app
        .get(&format!("/api/my/competency?year={year}"), &teacher)
        .await
        .expect(200);
    assert_eq!(mine.body["cards"].as_array().unwrap().len(), 5);

    // 一师一优课 (ffmpeg makes the lesson videos; without it the demo's lessons stay drafts and this fails): the
    // county sees a published round and one in review; the reviewer has lessons assigned.
    let rounds = app.get("/api/lesson-rounds", &county).await.expect(200);
    let round_states = statuses(&rounds.body, "status");
    assert!(
        round_states.iter().any(|s| s == "published")
            && round_states.iter().any(|s| s == "reviewing"),
        "a published and a reviewing round (is ffmpeg installed?): {round_states:?}"
    );
    let reviewer = sign_in(&app, "reviewer_demo").await;
    let reviews = app.get("/api/lesson-reviews", &reviewer).await.expect(200);
    assert!(
        reviews.body["total"].as_u64().unwrap() >= 2,
        "{}",
        reviews.text()
    );
    let activities = app.get("/api/lesson-activities", &county).await.expect(200);
    let mut awards = 0;
    for activity in items(&activities.body) {
        let id = activity["id"].as_i64().unwrap();
        awards += app
            .total(&format!("/api/lesson-activities/{id}/awards"), &county)
            .await;
    }
    assert!(awards >= 1, "awards of the published round");

    // Every other demo account signs in.
    for username in [
        "province_demo",
        "chengdu_admin",
        "mianyang_admin",
        "reviewer_demo2",
        "institution_demo",
        "system_demo",
        "audit_demo",
        "teacher_demo2",
    ] {
        let token = sign_in(&app, username).await;
        app.get("/api/me", &token).await.expect(200);
    }
    let province = sign_in(&app, "province_demo").await;
    let report = app
        .get(
            &format!("/api/programs/{province_program}/report"),
            &province,
        )
        .await
        .expect(200);
    assert!(report.text().contains("510100"), "{}", report.text());

    // A second run changes nothing.
    let before = counts(&app).await;
    let again = demo_data(&app, &[]);
    assert!(again.contains("already in place"), "{again}");
    assert_eq!(counts(&app).await, before);

    // The counters maintained along the way agree with a rebuild from the ledger.
    let rebuilt = yanxiu(&app, &["rebuild-stats"]);
    let text = String::from_utf8_lossy(&rebuilt.stdout).into_owned();
    assert!(rebuilt.status.success(), "{text}");
    assert!(text.contains(" 0 maintained rows differed"), "{text}");
    assert!(text.contains("能力点 counters: 0 rows differed"), "{text}");
});

both_engines!(
    directory_only_keeps_the_browser_fixture,
    |app: TestApp| async move {
        let printed = demo_data(&app, &["--directory-only"]);
        assert!(printed.contains("teacher_demo"), "{printed}");
        assert_eq!(app.count_rows("schools").await, 87);
        assert_eq!(app.count_rows("teachers").await, 696);
        assert_eq!(app.count_rows("programs").await, 0);
        assert_eq!(app.count_rows("enrollments").await, 0);
        let before = counts(&app).await;
        demo_data(&app, &["--directory-only"]);
        assert_eq!(counts(&app).await, before, "a second run changes nothing");
        // The year can follow later on the same database.
        demo_data(&app, &[]);
        assert_eq!(app.count_rows("programs").await, 2);
    }
);

both_engines!(
    a_database_with_real_data_is_refused,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        app.create_school(&admin, "2151010499", "510104", "锦江区真实小学")
            .await;
        let before = counts(&app).await;
        let out = yanxiu(&app, &["demo-data"]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!out.status.success(), "refused");
        assert!(
            stderr.contains("real data") && stderr.contains("--force"),
            "the refusal says why and how: {stderr}"
        );
        assert_eq!(counts(&app).await, before, "nothing written");

        let forced = demo_data(&app, &["--force"]);
        assert!(forced.contains("--force"), "{forced}");
        assert_eq!(app.count_rows("schools").await, 88);
        assert_eq!(app.count_rows("programs").await, 2);
    }
);
