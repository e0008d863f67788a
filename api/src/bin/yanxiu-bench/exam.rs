//! `yanxiu-bench exam`: the exam rush. `teachers` teachers (through the real import), an approved enrolment
//! each, teacher accounts, and one published exam of `questions` single-choice questions; then the real HTTP
//! server on loopback and a load tool in which every teacher, arriving spread over `window_seconds`, starts the
//! exam, saves each answer (and changes two of them), and hands in. It prints latency percentiles per request
//! kind, then checks the database: every attempt closed once, every answer stored exactly once with the last
//! value sent — no lost and no duplicated answers.
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use entity::account_role::{Role, ScopeKind};
use poem::{
    Server,
    listener::{Acceptor, Listener, TcpListener},
};
use poem_openapi::types::ParseFromJSON;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Statement};

use crate::{
    harness::{drop_fresh_database, engine_name, fresh_database, open_state, seed_directory},
    training::{BulkInsert, create_program, load_enrolments_and_ledger},
};
use yanxiu::{
    AppState,
    assessment::{bank, quizzes},
    auth::tokens,
    directory::import,
};

pub struct ExamBench {
    pub teachers: u32,
    pub questions: u32,
    pub window_seconds: u64,
    pub database_url: Option<String>,
}

pub async fn run(b: ExamBench) -> anyhow::Result<()> {
    yanxiu::install_crypto_provider();
    let dir = tempfile::tempdir()?;
    let (url, cleanup) = fresh_database(b.database_url.as_deref(), dir.path()).await?;
    let result = async {
        let state = open_state(&url, dir.path()).await?;
        seed_directory(&state, dir.path(), b.teachers, 40).await?;
        let program = create_program(&state).await?;
        load_enrolments_and_ledger(&state, program, 0).await?;
        let takers = teacher_accounts(&state).await?;
        let (quiz, questions) = exam(&state, program, b.questions).await?;
        rush(&state, &b, quiz, &questions, &takers).await
    }
    .await;
    drop_fresh_database(cleanup).await?;
    result
}

/// One teacher of the rush: their access token and the answers they will send.
pub(super) struct Taker {
    pub(super) token: String,
}

/// A teacher account (role teacher at their school) per teacher, written in bulk; tokens are minted directly,
/// since signing in a whole province through argon2 is not what is measured here.
pub(super) async fn teacher_accounts(state: &AppState) -> anyhow::Result<Vec<Taker>> {
    let started = Instant::now();
    let rows = state
        .db
        .query_all_raw(Statement::from_string(
            state.db.get_database_backend(),
            "SELECT t.id, s.code, s.path FROM teachers t JOIN schools s ON s.id = t.school_id ORDER BY t.id",
        ))
        .await?;
    let first_id: i64 = 1_000_000;
    let txn = yanxiu::platform::db::begin_write(&state.db).await?;
    let mut accounts = BulkInsert::new(
        &txn,
        "INSERT INTO accounts (id, username, password_hash, display_name, email, teacher_id, active, \
         token_version, created_at, updated_at)",
        2000,
    );
    let now = "'2026-11-01 00:00:00+00:00'";
    let mut grants = Vec::with_capacity(rows.len());
    let active = if engine_name(state) == "postgres" {
        "TRUE"
    } else {
        "1"
    };
    for (i, r) in rows.iter().enumerate() {
        let teacher: i64 = r.try_get_by_index(0)?;
        let id = first_id + i as i64;
        accounts
            .push(format!(
                "({id},'exam{i}','!bench-no-login','考生{i}',NULL,{teacher},{active},0,{now},{now})"
            ))
            .await?;
        grants.push((
            id,
            r.try_get_by_index::<String>(1)?,
            r.try_get_by_index::<String>(2)?,
        ));
    }
    accounts.flush().await?;
    let mut roles = BulkInsert::new(
        &txn,
        "INSERT INTO account_roles (account_id, role, scope_code, scope_kind, scope_path)",
        2000,
    );
    for (id, code, path) in &grants {
        roles
            .push(format!(
                "({id},'{}','{code}','{}','{path}')",
                Role::Teacher,
                ScopeKind::School
            ))
            .await?;
    }
    roles.flush().await?;
    // One session per taker (its id the account's), begun now so it is live while the benchmark runs.
    let mut sessions = BulkInsert::new(
        &txn,
        "INSERT INTO sessions (id, account_id, family, created_at, last_active_at, ip, user_agent)",
        2000,
    );
    let started_at = format!("'{}'", chrono::Utc::now().format("%Y-%m-%d %H:%M:%S%:z"));
    for (id, _, _) in &grants {
        sessions
            .push(format!(
                "({id},{id},'bench-{id}',{started_at},{started_at},'127.0.0.1','bench')"
            ))
            .await?;
    }
    sessions.flush().await?;
    txn.commit().await?;
    let takers = grants
        .iter()
        .map(|(id, _, _)| {
            Ok(Taker {
                token: tokens::issue_access(&state.config, &state.keys, *id, 0, *id)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    println!(
        "[{}] accounts: {} teacher accounts and tokens in {:.2}s",
        engine_name(state),
        takers.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(takers)
}

/// A published exam of `n` single-choice questions, open now, 60 minutes, one attempt.
pub(super) async fn exam(
    state: &AppState,
    program: i64,
    n: u32,
) -> anyhow::Result<(i64, Vec<i64>)> {
    let admin = import::principal_by_username(&state.db, "admin").await?;
    let mut ids = Vec::new();
    for i in 0..n {
        let body = serde_json::json!({
            "kind": "single", "subject": "信息技术", "tags": ["考试"], "difficulty": 2,
            "stem": format!("第{}题", i + 1), "options": ["甲", "乙", "丙", "丁"],
            "answer": { "choice": i % 4 }, "points": 10,
        });
        let input = bank::QuestionInput::parse_from_json(Some(body))
            .map_err(|e| anyhow::anyhow!("question body: {}", e.into_message()))?;
        let q = bank::create(state, &admin, input)
            .await
            .map_err(|e| anyhow::anyhow!("question: {e:?}"))?;
        ids.push(q.id);
    }
    let now = chrono::Utc::now();
    let body = serde_json::json!({
        "title": "全省信息技术能力考试（基准）", "mode": "fixed",
        "items": ids.iter().map(|id| serde_json::json!({ "question_id": id })).collect::<Vec<_>>(),
        "opens_at": now - chrono::Duration::hours(1), "closes_at": now + chrono::Duration::days(1),
        "time_limit_minutes": 60, "attempts_allowed": 1, "pass_score": 60, "shuffle_options": true,
    });
    let input = quizzes::QuizInput::parse_from_json(Some(body))
        .map_err(|e| anyhow::anyhow!("quiz body: {}", e.into_message()))?;
    let quiz = quizzes::create(&state.db, &admin, program, input)
        .await
        .map_err(|e| anyhow::anyhow!("quiz: {e:?}"))?;
    quizzes::publish(&state.db, &admin, quiz.id)
        .await
        .map_err(|e| anyhow::anyhow!("publish: {e:?}"))?;
    Ok((quiz.id, ids))
}

#[derive(Default)]
struct Samples {
    by_kind: HashMap<&'static str, Vec<Duration>>,
    failures: Vec<String>,
    /// (attempt, question) → the last choice sent.
    expected: HashMap<(i64, i64), i64>,
}

type Shared = Arc<Mutex<Samples>>;

async fn timed(
    samples: &Shared,
    kind: &'static str,
    request: reqwest013::RequestBuilder,
) -> Option<serde_json::Value> {
    let started = Instant::now();
    let result = async {
        let response = request.send().await?;
        let status = response.status();
        let bytes = response.bytes().await?;
        anyhow::Ok((status, bytes))
    }
    .await;
    let elapsed = started.elapsed();
    let mut s = samples.lock().unwrap_or_else(|e| e.into_inner());
    s.by_kind.entry(kind).or_default().push(elapsed);
    match result {
        Ok((status, bytes)) if status.is_success() => serde_json::from_slice(&bytes).ok(),
        Ok((status, bytes)) => {
            s.failures.push(format!(
                "{kind}: {status} {}",
                String::from_utf8_lossy(&bytes)
            ));
            None
        }
        Err(e) => {
            s.failures.push(format!("{kind}: {e}"));
            None
        }
    }
}

/// One teacher's exam: start, answer every question a couple of seconds apart, change two answers, hand in.
async fn sit(
    client: reqwest013::Client,
    base: String,
    token: String,
    quiz: i64,
    seed: usize,
    samples: Shared,
) {
    let auth = format!("Bearer {token}");
    let start = client
        .post(format!("{base}/api/quizzes/{quiz}/attempts"))
        .header("authorization", &auth);
    let Some(attempt) = timed(&samples, "start", start).await else {
        return;
    };
    let id = attempt["id"].as_i64().unwrap_or_default();
    let questions: Vec<i64> = attempt["questions"]
        .as_array()
        .map(|qs| {
            qs.iter()
                .filter_map(|q| q["question_id"].as_i64())
                .collect()
        })
        .unwrap_or_default();
    let mut plan: Vec<(i64, i64)> = questions
        .iter()
        .enumerate()
        .map(|(n, q)| (*q, ((seed + n) % 4) as i64))
        .collect();
    // Second thoughts on two questions: the later answer must be the one kept.
    for n in [1usize, 3] {
        if let Some(q) = questions.get(n) {
            plan.push((*q, ((seed + n + 1) % 4) as i64));
        }
    }
    for (question, choice) in plan {
        tokio::time::sleep(Duration::from_millis(1500 + (seed % 1000) as u64)).await;
        let save = client
            .put(format!("{base}/api/attempts/{id}/answers/{question}"))
            .header("authorization", &auth)
            .header("content-type", "application/json")
            .body(serde_json::json!({ "response": { "choice": choice } }).to_string());
        if timed(&samples, "save", save).await.is_some() {
            samples
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .expected
                .insert((id, question), choice);
        }
    }
    let submit = client
        .post(format!("{base}/api/attempts/{id}/submit"))
        .header("authorization", &auth);
    timed(&samples, "submit", submit).await;
}

pub(super) fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

async fn rush(
    state: &AppState,
    b: &ExamBench,
    quiz: i64,
    questions: &[i64],
    takers: &[Taker],
) -> anyhow::Result<()> {
    let engine = engine_name(state);
    let acceptor = TcpListener::bind("127.0.0.1:0").into_acceptor().await?;
    let addr = acceptor
        .local_addr()
        .first()
        .and_then(|a| a.as_socket_addr().copied())
        .ok_or_else(|| anyhow::anyhow!("no local address"))?;
    let app = yanxiu::app(state.clone());
    let server = tokio::spawn(async move { Server::new_with_acceptor(acceptor).run(app).await });
    let base = format!("http://{addr}");
    let client = reqwest013::Client::builder()
        .pool_max_idle_per_host(2000)
        .build()?;
    let samples: Shared = Arc::default();
    let started = Instant::now();
    let spacing = Duration::from_secs_f64(b.window_seconds as f64 / takers.len().max(1) as f64);
    let mut tasks = Vec::with_capacity(takers.len());
    for (i, t) in takers.iter().enumerate() {
        let (client, base, token, samples) = (
            client.clone(),
            base.clone(),
            t.token.clone(),
            samples.clone(),
        );
        let at = spacing * i as u32;
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(at).await;
            sit(client, base, token, quiz, i, samples).await;
        }));
    }
    for t in tasks {
        t.await?;
    }
    let wall = started.elapsed().as_secs_f64();
    server.abort();
    let samples = Arc::try_unwrap(samples)
        .map_err(|_| anyhow::anyhow!("samples still shared"))?
        .into_inner()
        .unwrap_or_default();
    let mut all: Vec<Duration> = Vec::new();
    for kind in ["start", "save", "submit"] {
        let mut d = samples.by_kind.get(kind).cloned().unwrap_or_default();
        d.sort();
        println!(
            "[{engine}] {kind:<6} {:>7} requests  p50 {:>6.1} ms  p95 {:>6.1} ms  p99 {:>6.1} ms  max {:>7.1} ms",
            d.len(),
            percentile(&d, 0.50),
            percentile(&d, 0.95),
            percentile(&d, 0.99),
            d.last().map_or(0.0, |x| x.as_secs_f64() * 1000.0)
        );
        all.extend(d);
    }
    all.sort();
    println!(
        "[{engine}] all    {:>7} requests in {wall:.1}s ({:.0}/s): p99 {:.1} ms (target ≤ 200 ms); {} failed",
        all.len(),
        all.len() as f64 / wall,
        percentile(&all, 0.99),
        samples.failures.len()
    );
    for f in samples.failures.iter().take(5) {
        println!("[{engine}]   failure: {f}");
    }
    verify(
        state,
        &engine,
        takers.len(),
        questions.len(),
        &samples.expected,
    )
    .await?;
    anyhow::ensure!(
        samples.failures.is_empty(),
        "{} requests failed",
        samples.failures.len()
    );
    anyhow::ensure!(percentile(&all, 0.99) <= 200.0, "p99 above 200 ms");
    Ok(())
}

/// Every teacher has exactly one closed attempt, and every answer is stored once with the last value sent.
async fn verify(
    state: &AppState,
    engine: &str,
    teachers: usize,
    questions: usize,
    expected: &HashMap<(i64, i64), i64>,
) -> anyhow::Result<()> {
    use entity::{attempt_answer, quiz_attempt};
    let attempts = quiz_attempt::Entity::find().all(&state.db).await?;
    let closed = attempts
        .iter()
        .filter(|a| a.status == quiz_attempt::AttemptStatus::Graded)
        .count();
    let answers: Vec<(i64, i64, String)> = attempt_answer::Entity::find()
        .select_only()
        .column(attempt_answer::Column::AttemptId)
        .column(attempt_answer::Column::QuestionId)
        .column(attempt_answer::Column::Response)
        .filter(attempt_answer::Column::AttemptId.gt(0))
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut seen: HashMap<(i64, i64), usize> = HashMap::new();
    let mut wrong = 0;
    for (attempt, question, response) in &answers {
        *seen.entry((*attempt, *question)).or_default() += 1;
        let stored: serde_json::Value = serde_json::from_str(response).unwrap_or_default();
        if expected.get(&(*attempt, *question)).copied() != stored["choice"].as_i64() {
            wrong += 1;
        }
    }
    let lost = expected.keys().filter(|k| !seen.contains_key(k)).count();
    let duplicated: usize = seen.values().map(|n| n - 1).sum();
    println!(
        "[{engine}] database: {} attempts ({closed} closed) for {teachers} teachers; {} answers stored, {} expected \
         ({questions} each); lost {lost}, duplicated {duplicated}, differing from the last value sent {wrong}",
        attempts.len(),
        answers.len(),
        expected.len()
    );
    anyhow::ensure!(
        attempts.len() == teachers && closed == teachers && answers.len() == teachers * questions,
        "attempts or answers missing"
    );
    anyhow::ensure!(
        lost == 0 && duplicated == 0 && wrong == 0,
        "answers lost, duplicated or stale"
    );
    Ok(())
}
