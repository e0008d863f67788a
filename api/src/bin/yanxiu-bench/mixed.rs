//! `yanxiu-bench mixed`: the everyday mixed load on one PostgreSQL database, served by 1, 2, … real `yanxiu serve`
//! processes (the built binary) behind HAProxy (Debian's, started with a generated configuration on a free port).
//!
//! Generated data: `teachers` teachers through the real import, one program with an approved enrolment each and
//! a ledger, teacher accounts, and one published exam that `active_teachers` teachers have started. The load is a
//! closed loop of `concurrency` clients; each request is drawn at random: a teacher saving a quiz answer (60 %),
//! an administrator crediting hours to a teacher (25 %), reading a city's completion report (10 %) or exporting
//! it as XLSX (5 %). For each instance count it prints requests per second and p50/p99 per kind, the machine's
//! CPU use and how it splits between the servers, PostgreSQL, HAProxy and this load generator, and the
//! database's share of the request time:
//!
//!   database share = (mean number of the benchmark database's backends in state `active`, sampled from
//!                     `pg_stat_activity` every 20 ms)  ÷  (mean number of requests in flight, the sum of their
//!                     latencies over the wall time)
//!
//! — by Little's law the first is the statement time per second and the second the request time per second.
use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use tokio::process::{Child, Command};

use crate::{
    exam::{Taker, exam, percentile, teacher_accounts},
    harness::{drop_fresh_database, fresh_database, open_state, seed_directory},
    training::{create_program, load_enrolments_and_ledger},
};
use yanxiu::{AppState, auth::tokens, directory::import};

pub struct MixedBench {
    pub teachers: u32,
    pub active_teachers: u32,
    pub instances: u32,
    pub seconds: u64,
    pub warmup_seconds: u64,
    pub concurrency: u32,
    pub db_connections: u32,
    pub database_url: String,
    pub server_database_url: Option<String>,
    pub server_binary: Option<PathBuf>,
}

/// The request kinds and their share of the load, in percent.
const MIX: [(Kind, u32); 4] = [
    (Kind::Answer, 60),
    (Kind::Hours, 25),
    (Kind::Report, 10),
    (Kind::Export, 5),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Answer,
    Hours,
    Report,
    Export,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Answer => "quiz answer (teacher)",
            Kind::Hours => "credit hours (admin)",
            Kind::Report => "report (admin)",
            Kind::Export => "export XLSX (admin)",
        }
    }

    fn pick(rng: &mut StdRng) -> Kind {
        let mut roll = rng.random_range(0..100);
        for (kind, share) in MIX {
            if roll < share {
                return kind;
            }
            roll -= share;
        }
        Kind::Answer
    }
}

pub async fn run(b: MixedBench) -> anyhow::Result<()> {
    anyhow::ensure!(
        b.database_url.starts_with("postgres"),
        "the mixed load runs on PostgreSQL: --database-url postgres://…"
    );
    let binary = server_binary(b.server_binary.as_deref())?;
    anyhow::ensure!(
        which("haproxy").is_some(),
        "haproxy is not installed (Debian: apt-get install haproxy); the instances run behind it"
    );
    let dir = tempfile::tempdir()?;
    let (url, cleanup) = fresh_database(Some(&b.database_url), dir.path()).await?;
    let result = async {
        let state = open_state(&url, dir.path()).await?;
        let world = generate(&state, dir.path(), &b).await?;
        state.db.close().await?;
        let database = url.rsplit('/').next().unwrap_or_default().to_string();
        let server_url = match &b.server_database_url {
            Some(base) => crate::harness::with_database(base, &database)?,
            None => url.clone(),
        };
        let mut servers = Vec::new();
        let outcome = phases(
            &b,
            &binary,
            dir.path(),
            &url,
            &server_url,
            &database,
            &world,
            &mut servers,
        )
        .await;
        for mut s in servers {
            s.kill().await.ok();
        }
        outcome
    }
    .await;
    drop_fresh_database(cleanup).await?;
    result
}

/// The `yanxiu` binary next to this one (both are built by `cargo build --release -p yanxiu-api`).
fn server_binary(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    let path = match given {
        Some(p) => p.to_path_buf(),
        None => std::env::current_exe()?
            .parent()
            .ok_or_else(|| anyhow::anyhow!("no directory of the benchmark binary"))?
            .join("yanxiu"),
    };
    anyhow::ensure!(
        path.is_file(),
        "the server binary {} is missing: cargo build --release -p yanxiu-api --bin yanxiu",
        path.display()
    );
    Ok(path)
}

fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_string_lossy()
        .split(':')
        .chain(["/usr/sbin", "/sbin"])
        .map(|d| Path::new(d).join(tool))
        .find(|p| p.is_file())
}

/// What the load needs from the generated data.
struct World {
    program: i64,
    quiz: i64,
    questions: Vec<i64>,
    takers: Vec<Taker>,
    /// (enrolment, teacher) pairs that hours are credited to.
    enrolments: Vec<(i64, i64)>,
    cities: Vec<String>,
    admin_token: String,
}

async fn generate(state: &AppState, dir: &Path, b: &MixedBench) -> anyhow::Result<World> {
    seed_directory(state, dir, b.teachers, 40).await?;
    let program = create_program(state).await?;
    load_enrolments_and_ledger(state, program, u64::from(b.teachers) * 5).await?;
    let mut takers = teacher_accounts(state).await?;
    takers.truncate(b.active_teachers.max(1) as usize);
    let (quiz, questions) = exam(state, program, 10).await?;
    let backend = state.db.get_database_backend();
    let rows = state
        .db
        .query_all_raw(Statement::from_string(
            backend,
            format!(
                "SELECT id, teacher_id FROM enrollments ORDER BY id LIMIT {}",
                b.active_teachers.max(1)
            ),
        ))
        .await?;
    let enrolments = rows
        .iter()
        .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .collect::<Result<Vec<(i64, i64)>, sea_orm::DbErr>>()?;
    let cities = state
        .regions
        .all()
        .filter(|r| r.level == entity::region::NodeLevel::City)
        .map(|r| r.code.clone())
        .collect();
    Ok(World {
        program,
        quiz,
        questions,
        takers,
        enrolments,
        cities,
        admin_token: admin_token(state).await?,
    })
}

/// A live session for the province administrator and an access token naming it (signing in through argon2 is
/// not what is measured).
async fn admin_token(state: &AppState) -> anyhow::Result<String> {
    let admin = import::principal_by_username(&state.db, "admin").await?;
    let session: i64 = 900_000;
    let now = format!("'{}'", chrono::Utc::now().format("%Y-%m-%d %H:%M:%S%:z"));
    state
        .db
        .execute_unprepared(&format!(
            "INSERT INTO sessions (id, account_id, family, created_at, last_active_at, ip, user_agent) \
             VALUES ({session},{},'bench-admin',{now},{now},'127.0.0.1','bench')",
            admin.account_id
        ))
        .await?;
    tokens::issue_access(&state.config, &state.keys, admin.account_id, 0, session)
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// One more `yanxiu serve` on the benchmark database and data folder (its keys), ready when it answers.
async fn start_server(
    binary: &Path,
    dir: &Path,
    database_url: &str,
    db_connections: u32,
    pooled: bool,
    number: usize,
) -> anyhow::Result<(Child, u16)> {
    let port = free_port()?;
    let log = std::fs::File::create(dir.join(format!("server-{number}.log")))?;
    let mut command = Command::new(binary);
    command
        .arg("serve")
        .env("YANXIU_DATABASE_URL", database_url)
        .env("YANXIU_DATA_DIR", dir)
        .env("YANXIU_BIND", format!("127.0.0.1:{port}"))
        .env("YANXIU_DB_MAX_CONNECTIONS", db_connections.to_string())
        .env("YANXIU_ADMIN_PASSWORD", "Bench#Admin2026")
        .env("YANXIU_SECURITY_ADMIN_PASSWORD", "Bench#Security2026")
        // The administrator's token is minted without a second factor.
        .env("YANXIU_MFA_REQUIRED_ROLES", "none")
        .env("YANXIU_TRUST_PROXY", "true")
        .env("YANXIU_TRUSTED_PROXY_HOPS", "1")
        .env("YANXIU_LOG", "warn")
        .stdout(log.try_clone()?)
        .stderr(log)
        .kill_on_drop(true);
    if pooled {
        command.env("YANXIU_DATABASE_POOLER", "session");
    }
    let mut child = command.spawn()?;
    let client = reqwest013::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = client
            .get(format!("http://127.0.0.1:{port}/api/health"))
            .send()
            .await
            && r.status().is_success()
        {
            return Ok((child, port));
        }
        if let Some(status) = child.try_wait()? {
            let log = std::fs::read_to_string(dir.join(format!("server-{number}.log")))?;
            anyhow::bail!("server {number} exited ({status}):\n{log}");
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "server {number} did not answer in 60 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// HAProxy in front of `ports`, round robin, adding `X-Forwarded-For` (the servers trust one hop).
async fn start_balancer(dir: &Path, ports: &[u16]) -> anyhow::Result<(Child, u16)> {
    let port = free_port()?;
    let servers: String = ports
        .iter()
        .enumerate()
        .map(|(i, p)| format!("    server s{i} 127.0.0.1:{p} maxconn 256\n"))
        .collect();
    let config = format!(
        "global\n    maxconn 4096\n\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 120s\n    \
         timeout server 120s\n    option http-keep-alive\n    option forwardfor\n\nfrontend yanxiu\n    bind 127.0.0.1:{port}\n    \
         default_backend instances\n\nbackend instances\n    balance roundrobin\n    http-reuse safe\n{servers}"
    );
    let path = dir.join(format!("haproxy-{}.cfg", ports.len()));
    std::fs::write(&path, config)?;
    let log = std::fs::File::create(dir.join("haproxy.log"))?;
    let mut child = Command::new(which("haproxy").unwrap_or_else(|| "haproxy".into()))
        .arg("-db")
        .arg("-f")
        .arg(&path)
        .stdout(log.try_clone()?)
        .stderr(log)
        .kill_on_drop(true)
        .spawn()?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        if let Some(status) = child.try_wait()? {
            anyhow::bail!(
                "haproxy exited ({status}): {}",
                std::fs::read_to_string(dir.join("haproxy.log"))?
            );
        }
        anyhow::ensure!(Instant::now() < deadline, "haproxy did not listen");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok((child, port))
}

#[allow(clippy::too_many_arguments)]
async fn phases(
    b: &MixedBench,
    binary: &Path,
    dir: &Path,
    url: &str,
    server_url: &str,
    database: &str,
    world: &World,
    servers: &mut Vec<Child>,
) -> anyhow::Result<()> {
    let world = Arc::new(WorldRef::new(world));
    let monitor = Database::connect(url).await?;
    let pooled = b.server_database_url.is_some();
    let mut ports = Vec::new();
    let mut summary = Vec::new();
    for n in 1..=b.instances.max(1) as usize {
        while ports.len() < n {
            let (child, port) = start_server(
                binary,
                dir,
                server_url,
                b.db_connections,
                pooled,
                ports.len() + 1,
            )
            .await?;
            servers.push(child);
            ports.push(port);
        }
        let (mut balancer, port) = start_balancer(dir, &ports).await?;
        let base = format!("http://127.0.0.1:{port}");
        if n == 1 {
            start_attempts(&base, &world).await?;
        }
        let server_pids: Vec<u32> = servers.iter().filter_map(|s| s.id()).collect();
        let balancer_pid = balancer.id();
        let outcome = load(
            b,
            &base,
            &world,
            &monitor,
            database,
            &server_pids,
            balancer_pid,
        )
        .await;
        balancer.kill().await.ok();
        let outcome = outcome?;
        outcome.print(n, b.concurrency);
        summary.push((n, outcome));
    }
    monitor.close().await?;
    println!();
    println!(
        "instances  req/s   p50 ms  p99 ms  machine CPU  servers  postgres  haproxy  load-gen  others  db share  failed"
    );
    for (n, o) in &summary {
        println!(
            "{n:>9}  {:>5.0}  {:>7.1}  {:>6.1}  {:>10.0}%  {:>6.0}%  {:>7.0}%  {:>6.0}%  {:>7.0}%  {:>5.0}%  {:>7.0}%  {:>6}",
            o.rate(),
            o.all_percentile(0.50),
            o.all_percentile(0.99),
            o.cpu.machine_percent,
            o.cpu.servers,
            o.cpu.postgres,
            o.cpu.balancer,
            o.cpu.generator,
            o.cpu.others(),
            o.db_share() * 100.0,
            o.failures.len()
        );
    }
    println!(
        "(machine CPU in % of all {} cores; the groups in % of one core, so {}% would be all of them)",
        cores(),
        cores() * 100
    );
    let failed: usize = summary.iter().map(|(_, o)| o.failures.len()).sum();
    anyhow::ensure!(failed == 0, "{failed} requests failed");
    Ok(())
}

/// The generated data as the load tasks share it, with each taker's attempt once started.
struct WorldRef {
    program: i64,
    quiz: i64,
    questions: Vec<i64>,
    tokens: Vec<String>,
    attempts: Mutex<Vec<Option<i64>>>,
    enrolments: Vec<(i64, i64)>,
    cities: Vec<String>,
    admin: String,
}

impl WorldRef {
    fn new(w: &World) -> Self {
        Self {
            program: w.program,
            quiz: w.quiz,
            questions: w.questions.clone(),
            tokens: w.takers.iter().map(|t| t.token.clone()).collect(),
            attempts: Mutex::new(vec![None; w.takers.len()]),
            enrolments: w.enrolments.clone(),
            cities: w.cities.clone(),
            admin: w.admin_token.clone(),
        }
    }
}

/// Every active teacher starts the exam once (not measured): the load then saves answers into open attempts.
async fn start_attempts(base: &str, world: &Arc<WorldRef>) -> anyhow::Result<()> {
    let client = reqwest013::Client::new();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for lane in 0..8usize {
        let (client, base, world) = (client.clone(), base.to_string(), world.clone());
        tasks.spawn(async move {
            for i in (lane..world.tokens.len()).step_by(8) {
                let r = client
                    .post(format!("{base}/api/quizzes/{}/attempts", world.quiz))
                    .bearer_auth(&world.tokens[i])
                    .send()
                    .await?;
                anyhow::ensure!(r.status().is_success(), "start attempt: {}", r.status());
                let body: serde_json::Value = serde_json::from_slice(&r.bytes().await?)?;
                world.attempts.lock().unwrap_or_else(|e| e.into_inner())[i] = body["id"].as_i64();
            }
            anyhow::Ok(())
        });
    }
    while let Some(r) = tasks.join_next().await {
        r??;
    }
    println!(
        "started {} exam attempts in {:.1}s",
        world.tokens.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One request of the load.
async fn request(
    client: &reqwest013::Client,
    base: &str,
    world: &WorldRef,
    kind: Kind,
    rng: &mut StdRng,
) -> anyhow::Result<()> {
    let builder = match kind {
        Kind::Answer => {
            let i = rng.random_range(0..world.tokens.len());
            let attempt = world.attempts.lock().unwrap_or_else(|e| e.into_inner())[i]
                .ok_or_else(|| anyhow::anyhow!("attempt {i} not started"))?;
            let question = world.questions[rng.random_range(0..world.questions.len())];
            client
                .put(format!("{base}/api/attempts/{attempt}/answers/{question}"))
                .bearer_auth(&world.tokens[i])
                .header("content-type", "application/json")
                .body(
                    serde_json::json!({ "response": { "choice": rng.random_range(0..4) } })
                        .to_string(),
                )
        }
        Kind::Hours => {
            let (enrollment, teacher) =
                world.enrolments[rng.random_range(0..world.enrolments.len())];
            client
                .post(format!("{base}/api/hours"))
                .bearer_auth(&world.admin)
                .header("content-type", "application/json")
                .body(
                    serde_json::json!({
                        "teacher_id": teacher, "enrollment_id": enrollment, "category": "online",
                        "hours": 0.5, "occurred_on": "2026-11-02", "source": "course",
                    })
                    .to_string(),
                )
        }
        Kind::Report | Kind::Export => {
            let city = &world.cities[rng.random_range(0..world.cities.len())];
            let path = if kind == Kind::Report {
                "report"
            } else {
                "report/export"
            };
            client
                .get(format!(
                    "{base}/api/programs/{}/{path}?node={city}&format=xlsx",
                    world.program
                ))
                .bearer_auth(&world.admin)
        }
    };
    let response = builder.send().await?;
    let status = response.status();
    let body = response.bytes().await?;
    anyhow::ensure!(
        status.is_success(),
        "{status} {}",
        String::from_utf8_lossy(&body[..body.len().min(300)])
    );
    Ok(())
}

/// The measurements of one instance count.
struct Outcome {
    by_kind: HashMap<Kind, Vec<Duration>>,
    failures: Vec<String>,
    wall: f64,
    /// Mean number of the database's backends running a statement.
    db_active: f64,
    cpu: CpuSplit,
}

impl Outcome {
    fn count(&self) -> usize {
        self.by_kind.values().map(Vec::len).sum()
    }

    fn rate(&self) -> f64 {
        self.count() as f64 / self.wall
    }

    fn all_percentile(&self, p: f64) -> f64 {
        let mut all: Vec<Duration> = self.by_kind.values().flatten().copied().collect();
        all.sort();
        percentile(&all, p)
    }

    /// Statement time over request time (both per second of wall time).
    fn db_share(&self) -> f64 {
        let in_flight: f64 = self
            .by_kind
            .values()
            .flatten()
            .map(Duration::as_secs_f64)
            .sum::<f64>()
            / self.wall;
        if in_flight > 0.0 {
            self.db_active / in_flight
        } else {
            0.0
        }
    }

    fn print(&self, n: usize, concurrency: u32) {
        println!(
            "\n{n} instance(s), {concurrency} clients, {:.0}s measured: {} requests, {:.0} req/s, {} failed",
            self.wall,
            self.count(),
            self.rate(),
            self.failures.len()
        );
        for (kind, _) in MIX {
            let mut d = self.by_kind.get(&kind).cloned().unwrap_or_default();
            d.sort();
            println!(
                "  {:<22} {:>6} requests {:>6.0} req/s  p50 {:>7.1} ms  p99 {:>7.1} ms",
                kind.name(),
                d.len(),
                d.len() as f64 / self.wall,
                percentile(&d, 0.50),
                percentile(&d, 0.99),
            );
        }
        println!(
            "  database: {:.2} backends active on average = {:.0}% of the request time; machine CPU {:.0}% of {} \
             cores (servers {:.0}%, postgres {:.0}%, haproxy {:.0}%, load generator {:.0}%, other processes {:.0}% \
             of one core)",
            self.db_active,
            self.db_share() * 100.0,
            self.cpu.machine_percent,
            cores(),
            self.cpu.servers,
            self.cpu.postgres,
            self.cpu.balancer,
            self.cpu.generator,
            self.cpu.others()
        );
        for f in self.failures.iter().take(5) {
            println!("  failure: {f}");
        }
    }
}

/// Latencies per kind and the failures of the measured period.
type Latencies = (HashMap<Kind, Vec<Duration>>, Vec<String>);

/// Runs the closed loop for the warm-up and the measured period, sampling the database and the CPU alongside.
async fn load(
    b: &MixedBench,
    base: &str,
    world: &Arc<WorldRef>,
    monitor: &DatabaseConnection,
    database: &str,
    server_pids: &[u32],
    balancer_pid: Option<u32>,
) -> anyhow::Result<Outcome> {
    let client = reqwest013::Client::builder()
        .pool_max_idle_per_host(b.concurrency as usize)
        .timeout(Duration::from_secs(120))
        .build()?;
    let warmup_end = Instant::now() + Duration::from_secs(b.warmup_seconds);
    let end = warmup_end + Duration::from_secs(b.seconds);
    let samples: Arc<Mutex<Latencies>> = Arc::default();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..b.concurrency {
        let (client, base, world, samples) = (
            client.clone(),
            base.to_string(),
            world.clone(),
            samples.clone(),
        );
        tasks.spawn(async move {
            let mut rng = StdRng::seed_from_u64(u64::from(worker));
            while Instant::now() < end {
                let kind = Kind::pick(&mut rng);
                let started = Instant::now();
                let result = request(&client, &base, &world, kind, &mut rng).await;
                if started < warmup_end {
                    continue;
                }
                let mut s = samples.lock().unwrap_or_else(|e| e.into_inner());
                s.0.entry(kind).or_default().push(started.elapsed());
                if let Err(e) = result {
                    s.1.push(format!("{}: {e}", kind.name()));
                }
            }
        });
    }
    tokio::time::sleep_until(warmup_end.into()).await;
    let cpu_start = CpuSnapshot::take(monitor, database, server_pids, balancer_pid).await?;
    let measuring = Arc::new(AtomicBool::new(true));
    let sampler = tokio::spawn(sample_active(
        monitor.clone(),
        database.to_string(),
        measuring.clone(),
    ));
    let started = Instant::now();
    tokio::time::sleep_until(end.into()).await;
    measuring.store(false, Ordering::Relaxed);
    let cpu_end = CpuSnapshot::take(monitor, database, server_pids, balancer_pid).await?;
    let wall = started.elapsed().as_secs_f64();
    while let Some(r) = tasks.join_next().await {
        r?;
    }
    let db_active = sampler.await??;
    let (by_kind, failures) =
        std::mem::take(&mut *samples.lock().unwrap_or_else(|e| e.into_inner()));
    Ok(Outcome {
        by_kind,
        failures,
        wall,
        db_active,
        cpu: cpu_end.since(&cpu_start, wall),
    })
}

/// Mean count of the database's backends in state `active` (not counting the sampler's own), every 20 ms.
async fn sample_active(
    monitor: DatabaseConnection,
    database: String,
    measuring: Arc<AtomicBool>,
) -> anyhow::Result<f64> {
    let (mut sum, mut n) = (0i64, 0i64);
    let sql = format!(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = '{}' AND state = 'active' \
         AND pid <> pg_backend_pid()",
        database.replace('\'', "")
    );
    while measuring.load(Ordering::Relaxed) {
        let row = monitor
            .query_one_raw(Statement::from_string(
                monitor.get_database_backend(),
                sql.clone(),
            ))
            .await?
            .ok_or_else(|| anyhow::anyhow!("no count"))?;
        sum += row.try_get_by_index::<i64>(0)?;
        n += 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(if n > 0 { sum as f64 / n as f64 } else { 0.0 })
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// CPU seconds used so far: the whole machine (busy and total, from `/proc/stat`) and per process group.
struct CpuSnapshot {
    machine_busy: f64,
    machine_total: f64,
    per_pid: HashMap<u32, f64>,
    servers: Vec<u32>,
    postgres: Vec<u32>,
    balancer: Vec<u32>,
}

/// CPU use over a period, in percent of one core.
struct CpuSplit {
    /// Of all cores.
    machine_percent: f64,
    servers: f64,
    postgres: f64,
    balancer: f64,
    generator: f64,
}

impl CpuSplit {
    /// What the machine spent outside the measured groups (other work on a shared machine, the kernel's threads),
    /// in percent of one core.
    fn others(&self) -> f64 {
        (self.machine_percent * cores() as f64
            - self.servers
            - self.postgres
            - self.balancer
            - self.generator)
            .max(0.0)
    }
}

/// Clock ticks per second of `/proc` times (USER_HZ, 100 on Linux).
const TICKS: f64 = 100.0;

fn process_cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces: the fields after it start behind the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / TICKS)
}

fn machine_cpu_seconds() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    let total: f64 = ticks.iter().sum();
    // idle and iowait are the 4th and 5th numbers.
    let idle = ticks.get(3).copied().unwrap_or(0.0) + ticks.get(4).copied().unwrap_or(0.0);
    ((total - idle) / TICKS, total / TICKS)
}

impl CpuSnapshot {
    async fn take(
        monitor: &DatabaseConnection,
        database: &str,
        servers: &[u32],
        balancer: Option<u32>,
    ) -> anyhow::Result<Self> {
        let rows = monitor
            .query_all_raw(Statement::from_string(
                monitor.get_database_backend(),
                format!(
                    "SELECT pid FROM pg_stat_activity WHERE datname = '{}' AND pid <> pg_backend_pid()",
                    database.replace('\'', "")
                ),
            ))
            .await?;
        let postgres: Vec<u32> = rows
            .iter()
            .filter_map(|r| r.try_get_by_index::<i32>(0).ok())
            .map(|p| p as u32)
            .collect();
        let me = std::process::id();
        let mut per_pid = HashMap::new();
        for pid in servers
            .iter()
            .chain(&postgres)
            .chain(balancer.as_ref())
            .chain([&me])
        {
            if let Some(s) = process_cpu_seconds(*pid) {
                per_pid.insert(*pid, s);
            }
        }
        let (machine_busy, machine_total) = machine_cpu_seconds();
        Ok(Self {
            machine_busy,
            machine_total,
            per_pid,
            servers: servers.to_vec(),
            postgres,
            balancer: balancer.into_iter().collect(),
        })
    }

    /// Percent of one core per group between `start` and this snapshot (the machine: percent of all cores); a
    /// backend that appeared in between counts from zero, one that ended is left out.
    fn since(&self, start: &CpuSnapshot, wall: f64) -> CpuSplit {
        let used = |pids: &[u32]| -> f64 {
            pids.iter()
                .filter_map(|p| {
                    let end = self.per_pid.get(p)?;
                    Some(end - start.per_pid.get(p).copied().unwrap_or(0.0))
                })
                .sum::<f64>()
                / wall
                * 100.0
        };
        let mut postgres = self.postgres.clone();
        postgres.extend(start.postgres.iter().filter(|p| !self.postgres.contains(p)));
        let busy = self.machine_busy - start.machine_busy;
        let total = self.machine_total - start.machine_total;
        CpuSplit {
            machine_percent: if total > 0.0 {
                busy / total * 100.0
            } else {
                0.0
            },
            servers: used(&self.servers),
            postgres: used(&postgres),
            balancer: used(&self.balancer),
            generator: used(&[std::process::id()]),
        }
    }
}
