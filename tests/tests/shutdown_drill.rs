//! The graceful shutdown drill, against the real binary on both engines: an exam rush (dozens of teachers saving
//! answers at once), a resumable upload in the middle of a PATCH and a mail job stuck on an SMTP server that never
//! answers; then SIGTERM. The process must exit 0 within its drain bound; every answer that got a 2xx must be in
//! the database; whatever came after the signal must be refused cleanly (connection refused or 503), never half
//! done; no job may stay claimed by the stopped worker; and the upload continues on the restarted server.
//!
//! Also, in process: a job whose handler outlives the drain bound goes back to the queue, not counted as an
//! attempt.
#![allow(clippy::unwrap_used)]

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use base64::Engine as _;
use entity::{attempt_answer, job};
use sea_orm::{DatabaseConnection, EntityTrait};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use yanxiu::platform::jobs::{JobFuture, JobHandler, JobKind, JobRegistry, JobStatus};
use yanxiu_tests::*;

const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
/// The drain bound the server runs with in the drill.
const DRAIN_SECONDS: u64 = 4;
const TEACHERS: usize = 30;
const QUESTIONS: usize = 40;
const MAILS: usize = 5;
/// The upload: this long in all; the first PATCH sends `FIRST`, the one cut by the stop sends `IN_FLIGHT` more.
const UPLOAD_BYTES: usize = 3_000_000;
const FIRST: usize = 500_000;
const IN_FLIGHT: usize = 1_000_000;

/// What the drill set up through the API before the server started.
struct Exam {
    quiz: i64,
    teachers: Vec<String>,
    upload: String,
    upload_data: Vec<u8>,
}

/// A school with `TEACHERS` enrolled teachers (signed in), a published exam of `QUESTIONS` single-choice
/// questions, a resumable upload with its first bytes in, and `MAILS` mails in the outbox.
async fn prepare(app: &TestApp) -> Exam {
    let admin = app.as_admin().await;
    let school = app
        .create_school(&admin, &school_code(71), "510104", "演练考试小学")
        .await;
    let code = school["code"].as_str().unwrap().to_string();
    let program = app.province_program(&admin, &code, 1.0).await;
    // Seats for every teacher of the rush, handed down the tree.
    for node in ["510100", "510104", code.as_str()] {
        app.put(
            &format!("/api/programs/{program}/quotas/{node}"),
            &admin,
            &json!({ "seats": TEACHERS + 5 }),
        )
        .await
        .expect(200);
    }
    let mut teachers = Vec::new();
    for seq in 0..TEACHERS as u32 {
        let teacher = app
            .create_teacher(
                &admin,
                school["id"].as_i64().unwrap(),
                &format!("演练教师{seq}"),
                &id_card("510104", 900 + seq),
            )
            .await;
        let tid = teacher["id"].as_i64().unwrap();
        let username = format!("drill.t{seq}");
        app.create_account(&admin, &username, "teacher", &code, Some(tid))
            .await;
        app.post(
            &format!("/api/programs/{program}/enrollments"),
            &admin,
            &json!({ "teacher_id": tid }),
        )
        .await
        .expect(200);
        teachers.push(app.login(&username, PASSWORD).await);
    }
    let mut items = Vec::new();
    for n in 0..QUESTIONS {
        let id = app
            .post(
                "/api/questions",
                &admin,
                &json!({
                    "kind": "single", "subject": "信息技术", "tags": ["演练"], "difficulty": 2,
                    "stem": format!("演练第{}题", n + 1), "options": ["甲", "乙", "丙", "丁"],
                    "answer": { "choice": n % 4 }, "points": 1,
                }),
            )
            .await
            .expect(200)
            .id();
        items.push(json!({ "question_id": id }));
    }
    let quiz = app
        .post(
            &format!("/api/programs/{program}/quizzes"),
            &admin,
            &json!({
                "title": "停机演练考试", "mode": "fixed", "items": items,
                "opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z",
                "time_limit_minutes": 60, "attempts_allowed": 1, "pass_score": 10, "shuffle_options": false,
            }),
        )
        .await
        .expect(200)
        .id();
    app.post(&format!("/api/quizzes/{quiz}/publish"), &admin, &json!({}))
        .await
        .expect(200);

    let (upload, upload_data) = started_upload(app, &teachers[0]).await;
    for n in 0..MAILS {
        yanxiu::platform::mail::queue(
            &app.db,
            &format!("drill{n}@sc.example.cn"),
            "停机演练",
            "演练邮件",
        )
        .await
        .unwrap();
    }
    Exam {
        quiz,
        teachers,
        upload,
        upload_data,
    }
}

/// A resumable upload of a zip-looking file with its first `FIRST` bytes stored: (location, all its bytes).
async fn started_upload(app: &TestApp, token: &str) -> (String, Vec<u8>) {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut data: Vec<u8> = (0..UPLOAD_BYTES).map(|i| (i * 7 % 251) as u8).collect();
    data[..4].copy_from_slice(b"PK\x03\x04");
    let created = app
        .call_headers(
            poem::http::Method::POST,
            "/api/uploads",
            Some(token),
            &[
                ("tus-resumable", "1.0.0".into()),
                ("upload-length", data.len().to_string()),
                (
                    "upload-metadata",
                    format!("filename {},purpose {}", b64("演练课件.zip"), b64("lesson")),
                ),
            ],
            None,
        )
        .await
        .expect(201);
    let location = created.headers["location"].to_str().unwrap().to_string();
    app.call_headers(
        poem::http::Method::PATCH,
        &location,
        Some(token),
        &tus_patch_headers(0),
        Some(data[..FIRST].to_vec()),
    )
    .await
    .expect(204);
    (location, data)
}

fn tus_patch_headers(offset: usize) -> [(&'static str, String); 3] {
    [
        ("tus-resumable", "1.0.0".into()),
        ("upload-offset", offset.to_string()),
        ("content-type", "application/offset+octet-stream".into()),
    ]
}

/// How one request of the rush ended.
#[derive(Debug, Clone, PartialEq)]
enum Answered {
    /// 2xx: the write must be stored.
    Stored,
    /// 503 or no answer at all (refused, reset): it may or may not have happened, but nothing half.
    Refused,
    /// Anything else: a failure of the drill.
    Other(String),
}

#[derive(Default)]
struct Rush {
    /// (attempt, question) → the choice a 2xx confirmed.
    confirmed: HashMap<(i64, i64), i64>,
    refused: usize,
    others: Vec<String>,
}

type Shared = Arc<Mutex<Rush>>;

async fn answered(request: reqwest::RequestBuilder) -> (Answered, Value) {
    match request.send().await {
        Ok(r) if r.status().is_success() => (Answered::Stored, r.json().await.unwrap_or_default()),
        Ok(r) if r.status() == 503 => (Answered::Refused, Value::Null),
        Ok(r) => {
            let status = r.status();
            (
                Answered::Other(format!("{status}: {}", r.text().await.unwrap_or_default())),
                Value::Null,
            )
        }
        Err(_) => (Answered::Refused, Value::Null),
    }
}

/// One teacher: start the exam, then save answers one after another until the server stops answering.
async fn sit(
    client: reqwest::Client,
    base: String,
    token: String,
    quiz: i64,
    seed: usize,
    rush: Shared,
) {
    let (outcome, attempt) = answered(
        client
            .post(format!("{base}/api/quizzes/{quiz}/attempts"))
            .bearer_auth(&token)
            .json(&json!({})),
    )
    .await;
    if !record(&rush, outcome, None) {
        return;
    }
    let id = attempt["id"].as_i64().expect("attempt id");
    let questions: Vec<i64> = attempt["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["question_id"].as_i64().unwrap())
        .collect();
    for (n, question) in questions.into_iter().enumerate() {
        let choice = ((seed + n) % 4) as i64;
        let (outcome, _) = answered(
            client
                .put(format!("{base}/api/attempts/{id}/answers/{question}"))
                .bearer_auth(&token)
                .json(&json!({ "response": { "choice": choice } })),
        )
        .await;
        if !record(&rush, outcome, Some(((id, question), choice))) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(40 + (seed % 5) as u64 * 20)).await;
    }
}

/// Notes an outcome; false when the teacher should stop (the server is going away, or something is wrong).
fn record(rush: &Shared, outcome: Answered, write: Option<((i64, i64), i64)>) -> bool {
    let mut r = rush.lock().unwrap();
    match outcome {
        Answered::Stored => {
            if let Some((key, choice)) = write {
                r.confirmed.insert(key, choice);
            }
            true
        }
        Answered::Refused => {
            r.refused += 1;
            false
        }
        Answered::Other(what) => {
            r.others.push(what);
            false
        }
    }
}

/// A PATCH of the upload's next `IN_FLIGHT` bytes announcing the whole rest: it stays open, waiting for bytes
/// that never come, until the stopping server ends it.
async fn stalled_patch(
    port: u16,
    token: &str,
    location: &str,
    data: &[u8],
) -> tokio::net::TcpStream {
    let mut tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let head = format!(
        "PATCH {location} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n\
         Tus-Resumable: 1.0.0\r\nUpload-Offset: {FIRST}\r\nContent-Type: application/offset+octet-stream\r\n\
         Content-Length: {}\r\n\r\n",
        data.len() - FIRST
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    tcp.write_all(&data[FIRST..FIRST + IN_FLIGHT])
        .await
        .unwrap();
    tcp.flush().await.unwrap();
    tcp
}

/// An SMTP server that accepts connections and never greets: a mail job sent there hangs.
async fn tar_pit() -> (u16, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    (port, task)
}

async fn jobs_by_status(db: &DatabaseConnection) -> HashMap<JobStatus, usize> {
    let mut out = HashMap::new();
    for j in job::Entity::find().all(db).await.unwrap() {
        *out.entry(j.status).or_default() += 1;
    }
    out
}

async fn drill(engine: Engine) {
    let mut app = TestApp::start(engine, |c| {
        c.secret_key = Some(SECRET.into());
        // Every teacher of the rush signs in from this one address.
        c.login_rate_per_minute = 1000;
    })
    .await;
    let exam = prepare(&app).await;
    // The server takes over the same database and data dir (keys, files); the test keeps both.
    let pg = app.pg.take();
    let url = pg.as_ref().map(|p| p.url.clone());
    let dir = std::mem::replace(&mut app.dir, tempfile::tempdir().unwrap());
    drop(app);
    let db = yanxiu::platform::db::connect(
        &url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("yanxiu.db").display()
            )
        }),
        2,
        yanxiu::platform::config::DatabasePooler::None,
    )
    .await
    .unwrap();

    let (pit, pit_task) = tar_pit().await;
    let drain = DRAIN_SECONDS.to_string();
    let smtp = format!("smtp://127.0.0.1:{pit}");
    let settings = [
        ("YANXIU_SECRET_KEY", SECRET),
        ("YANXIU_SHUTDOWN_DRAIN_SECONDS", drain.as_str()),
        ("YANXIU_SMTP_URL", smtp.as_str()),
        // The shutdown phases in the test output, not every request.
        (
            "YANXIU_LOG",
            "warn,yanxiu::cli=info,yanxiu::platform::jobs=info",
        ),
    ];
    let mut server = ServeProcess::start(dir.path(), url.as_deref(), &settings).await;

    // A mail is stuck on the silent SMTP server: claimed and running.
    let stuck = eventually(Duration::from_secs(20), || async {
        (jobs_by_status(&db).await.get(&JobStatus::Running) == Some(&1)).then_some(())
    })
    .await;
    assert!(stuck.is_some(), "the worker never claimed a mail");

    // The rush.
    let rush: Shared = Arc::default();
    let client = reqwest::Client::new();
    let sitters: Vec<_> = exam
        .teachers
        .iter()
        .enumerate()
        .map(|(seed, token)| {
            tokio::spawn(sit(
                client.clone(),
                server.base.clone(),
                token.clone(),
                exam.quiz,
                seed,
                rush.clone(),
            ))
        })
        .collect();
    // The upload's PATCH in flight, and the rush well under way.
    let mut patch = stalled_patch(
        server.port,
        &exam.teachers[0],
        &exam.upload,
        &exam.upload_data,
    )
    .await;
    let under_way = eventually(Duration::from_secs(60), || async {
        (rush.lock().unwrap().confirmed.len() >= TEACHERS * 3).then_some(())
    })
    .await;
    assert!(
        under_way.is_some(),
        "the rush never got going: {:?}",
        rush.lock().unwrap().others
    );

    server.terminate();
    // New connections are refused at once.
    let closed = eventually(Duration::from_secs(2), || async {
        tokio::net::TcpStream::connect(("127.0.0.1", server.port))
            .await
            .is_err()
            .then_some(())
    })
    .await;
    assert!(
        closed.is_some(),
        "the port still accepts connections after SIGTERM"
    );
    let (status, took) = server
        .wait_exit(Duration::from_secs(DRAIN_SECONDS + 10))
        .await
        .expect("the server exits after SIGTERM");
    assert!(status.success(), "exit status {status}");
    assert!(
        took <= Duration::from_secs(DRAIN_SECONDS + 3),
        "took {took:?} to stop with a drain bound of {DRAIN_SECONDS} s"
    );
    for s in sitters {
        s.await.unwrap();
    }
    pit_task.abort();

    // The stalled PATCH was ended by the server, which kept and acknowledged the bytes that had arrived.
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), patch.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer).to_lowercase();
    assert!(answer.starts_with("http/1.1 204"), "{answer}");
    assert!(
        answer.contains(&format!("upload-offset: {}", FIRST + IN_FLIGHT)),
        "{answer}"
    );

    // Every confirmed answer is stored with the choice sent.
    let rush = Arc::try_unwrap(rush).ok().unwrap().into_inner().unwrap();
    assert!(
        rush.others.is_empty(),
        "answers that were neither stored nor refused: {:?}",
        rush.others
    );
    let stored: HashMap<(i64, i64), String> = attempt_answer::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| ((a.attempt_id, a.question_id), a.response))
        .collect();
    for (key, choice) in &rush.confirmed {
        let response = stored
            .get(key)
            .unwrap_or_else(|| panic!("confirmed answer {key:?} is not stored"));
        let response: Value = serde_json::from_str(response).unwrap();
        assert_eq!(response["choice"], *choice, "answer {key:?}");
    }
    eprintln!(
        "drill ({engine:?}): {} answers confirmed and stored, {} requests refused, stopped in {took:?}",
        rush.confirmed.len(),
        rush.refused
    );

    // No job is left claimed by the stopped worker: the stuck mail went back to the queue, due now.
    let jobs = job::Entity::find().all(&db).await.unwrap();
    assert_eq!(jobs.len(), MAILS);
    for j in &jobs {
        assert_eq!(j.status, JobStatus::Pending, "{j:?}");
        assert!(j.locked_by.is_none() && j.locked_until.is_none(), "{j:?}");
        assert_eq!(j.attempts, 0, "a cut-off run is not an attempt: {j:?}");
        assert!(j.run_at <= chrono::Utc::now(), "{j:?}");
    }

    // Restarted with a working SMTP server: the mails go out and the upload continues where it stopped.
    let receiver = smtp::SmtpServer::start().await;
    let smtp = receiver.url();
    let settings = [
        ("YANXIU_SECRET_KEY", SECRET),
        ("YANXIU_SMTP_URL", smtp.as_str()),
    ];
    let mut again = ServeProcess::start(dir.path(), url.as_deref(), &settings).await;
    assert_eq!(
        receiver
            .wait_for(MAILS, Duration::from_secs(30))
            .await
            .len(),
        MAILS
    );
    let done = eventually(Duration::from_secs(10), || async {
        (jobs_by_status(&db).await.get(&JobStatus::Done) == Some(&MAILS)).then_some(())
    })
    .await;
    assert!(done.is_some(), "{:?}", jobs_by_status(&db).await);

    let token = &exam.teachers[0];
    let head = again
        .http
        .head(again.url(&exam.upload))
        .bearer_auth(token)
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    let offset: usize = head.headers()["upload-offset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        offset,
        FIRST + IN_FLIGHT,
        "every byte that arrived before the stop is kept"
    );
    let mut rest = again
        .http
        .patch(again.url(&exam.upload))
        .bearer_auth(token)
        .body(exam.upload_data[offset..].to_vec());
    for (name, value) in tus_patch_headers(offset) {
        rest = rest.header(name, value);
    }
    let rest = rest.send().await.unwrap();
    assert_eq!(rest.status(), 204);
    let file_id = rest.headers()["upload-file-id"]
        .to_str()
        .unwrap()
        .to_string();
    let content = again
        .http
        .get(again.url(&format!("/api/files/{file_id}/content")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(content.status(), 200);
    let bytes = content.bytes().await.unwrap();
    assert_eq!(
        hex::encode(Sha256::digest(&bytes)),
        hex::encode(Sha256::digest(&exam.upload_data))
    );

    again.terminate();
    let (status, _) = again
        .wait_exit(Duration::from_secs(20))
        .await
        .expect("second stop");
    assert!(status.success());
    drop(db);
    drop(pg);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drill_sqlite() {
    drill(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drill_postgres() {
    drill(Engine::Postgres).await;
}

/// A handler that never finishes on its own.
struct Hangs;

impl JobHandler for Hangs {
    fn kind(&self) -> JobKind {
        JobKind::Mail
    }
    fn run<'a>(&'a self, _db: &'a DatabaseConnection, _payload: &'a str) -> JobFuture<'a> {
        Box::pin(async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(yanxiu::platform::jobs::Outcome::Done)
        })
    }
}

both_engines!(
    a_job_cut_off_by_the_stop_goes_back_to_the_queue,
    |app: TestApp| async move {
        // The whole app, its PostgreSQL database included, lives as long as the test (not only the fields used).
        let app = app;
        yanxiu::platform::mail::queue(&app.db, "cut@sc.example.cn", "s", "b")
            .await
            .unwrap();
        let stop = yanxiu::platform::shutdown::Shutdown::with_drain(Duration::from_millis(300));
        let worker = tokio::spawn(yanxiu::platform::jobs::run_worker(
            app.db.clone(),
            JobRegistry::new().register(Hangs),
            "drill-worker".into(),
            stop.clone(),
        ));
        let claimed = eventually(Duration::from_secs(10), || async {
            let j = job::Entity::find().one(&app.db).await.unwrap()?;
            (j.status == JobStatus::Running).then_some(j)
        })
        .await
        .expect("the worker claims the job");
        assert_eq!(claimed.locked_by.as_deref(), Some("drill-worker"));
        assert_eq!(claimed.attempts, 1);
        stop.cancel();
        tokio::time::timeout(Duration::from_secs(5), worker)
            .await
            .expect("the worker ends within the drain bound")
            .unwrap();
        let j = job::Entity::find().one(&app.db).await.unwrap().unwrap();
        assert_eq!(j.status, JobStatus::Pending);
        assert_eq!(j.attempts, 0);
        assert!(j.locked_by.is_none() && j.locked_until.is_none(), "{j:?}");
        assert!(j.run_at <= chrono::Utc::now());
        // Another worker takes it at once.
        let next = yanxiu::platform::jobs::claim(&app.db, "next-worker")
            .await
            .unwrap()
            .expect("claimable again");
        assert_eq!(next.id, j.id);
    }
);

both_engines!(a_stopped_worker_claims_nothing, |app: TestApp| async move {
    // The whole app, its PostgreSQL database included, lives as long as the test (not only the fields used).
    let app = app;
    yanxiu::platform::mail::queue(&app.db, "ok@sc.example.cn", "s", "b")
        .await
        .unwrap();
    let mail_dir = app.dir.path().join("mail");
    let mailer =
        yanxiu::platform::mail::Mailer::from_config(None, "Yanxiu <n@y.local>", app.dir.path())
            .unwrap();
    let stop = yanxiu::platform::shutdown::Shutdown::with_drain(Duration::from_secs(5));
    // The stop comes first: a worker that already stopped claims nothing.
    stop.cancel();
    yanxiu::platform::jobs::run_worker(
        app.db.clone(),
        JobRegistry::new().register(mailer),
        "late-worker".into(),
        stop,
    )
    .await;
    let j = job::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(j.status, JobStatus::Pending, "{j:?}");
    assert!(!mail_dir.exists() || std::fs::read_dir(&mail_dir).unwrap().next().is_none());
});
