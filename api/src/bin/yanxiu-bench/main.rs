//! `yanxiu-bench`: the benchmarks, commands that print figures (rows/s, ms, MB) on generated data. A binary of
//! its own, so the server binary carries none of them; each runs the library's real code paths.
mod annual;
mod audit;
mod exam;
mod harness;
mod import;
mod lessons;
mod mixed;
mod rekey;
mod training;
mod upload;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "yanxiu-bench", about = "Yanxiu benchmarks on generated data")]
struct Cli {
    #[command(subcommand)]
    action: BenchAction,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    yanxiu::install_crypto_provider();
    let cli = Cli::parse();
    yanxiu::cli::init_tracing();
    run(cli.action).await
}

#[derive(Subcommand)]
enum BenchAction {
    /// The exam rush: teachers arriving over a window start one exam, save every answer and hand in, over real
    /// HTTP on loopback; prints latency percentiles and checks that no answer was lost or duplicated.
    Exam {
        #[arg(long, default_value_t = 20_000)]
        teachers: u32,
        #[arg(long, default_value_t = 10)]
        questions: u32,
        /// The teachers' arrivals are spread evenly over this many seconds.
        #[arg(long, default_value_t = 600)]
        window_seconds: u64,
        #[arg(long)]
        database_url: Option<String>,
    },
    /// The 一师一优课 review engine on generated data (no database): reviewer assignment with 回避, then
    /// aggregation, ranking and a 30% quota; prints min/median ms and fails when a target is missed.
    Lessons {
        #[arg(long, default_value_t = 10_000)]
        lessons: u32,
        #[arg(long, default_value_t = 500)]
        reviewers: u32,
        #[arg(long, default_value_t = 3)]
        per_lesson: u32,
        /// Seed of the generated round (same seed, same data).
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Timed runs of the assignment.
        #[arg(long, default_value_t = 7)]
        assign_runs: usize,
        /// Timed runs of aggregation + ranking + quota.
        #[arg(long, default_value_t = 21)]
        select_runs: usize,
    },
    /// Import generated teachers (and the schools they belong to) and print rows/s and peak memory.
    Import {
        #[arg(long, default_value_t = 100_000)]
        teachers: u32,
        /// Teachers per generated school.
        #[arg(long, default_value_t = 50)]
        per_school: u32,
        /// Default: a fresh SQLite file in a temp dir. For `postgres://…/db` a fresh database
        /// `yanxiu_bench_<pid>` is created on that server and dropped afterwards.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Province-scale training data (teachers, one program, an enrolment each, a ledger); prints the completion
    /// report time (maintained numbers vs a plain-SQL recount from the ledger, proven equal) and the teacher-level
    /// XLSX export rate and peak memory of one city.
    Training {
        #[arg(long, default_value_t = 1_000_000)]
        teachers: u32,
        /// Ledger rows in all (spread evenly over the enrolments).
        #[arg(long, default_value_t = 10_000_000)]
        entries: u64,
        /// How many times the report is run for the median.
        #[arg(long, default_value_t = 21)]
        runs: usize,
        /// The city whose teachers are exported.
        #[arg(long, default_value = "510100")]
        city: String,
        /// As for `import`.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// The 全员培训年度报表 on the data set of `training`: the province (by city) and one county (by school) from
    /// the maintained numbers, median ms of repeated runs, and the figures recounted from the ledger with plain
    /// SQL (its time, and the proof that every number is equal).
    AnnualReport {
        #[arg(long, default_value_t = 100_000)]
        teachers: u32,
        /// Ledger rows in all (spread evenly over the enrolments).
        #[arg(long, default_value_t = 1_000_000)]
        entries: u64,
        #[arg(long, default_value_t = 21)]
        runs: usize,
        #[arg(long, default_value = "510104")]
        county: String,
        /// As for `import`.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// One lesson file through the resumable upload (tus) over real HTTP; prints MB/s and peak memory.
    Upload {
        #[arg(long, default_value_t = 1024)]
        size_mb: u64,
        /// Bytes per PATCH request, in MB.
        #[arg(long, default_value_t = 16)]
        chunk_mb: u64,
    },
    /// Teachers imported under the standard suite, then `rekey` to the SM suite and a new key version; prints
    /// rows/s and peak memory of the rekey.
    Rekey {
        #[arg(long, default_value_t = 1_000_000)]
        teachers: u32,
        #[arg(long, default_value_t = yanxiu::platform::rekey::DEFAULT_BATCH)]
        batch: usize,
        /// As for `import`.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// The cost of the tamper-evident audit log: entries written with and without their MAC, sealed into the
    /// chain and verified; prints rows/s for each.
    Audit {
        #[arg(long, default_value_t = 10_000)]
        entries: u64,
        /// As for `import`.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// The everyday mixed load (teachers saving quiz answers, administrators crediting hours, reading reports and
    /// exporting them) over HTTP through HAProxy to 1, 2, … `yanxiu serve` processes on one PostgreSQL database;
    /// prints req/s and p50/p99 per kind per instance count, the CPU split and the database's share of the time.
    Mixed {
        #[arg(long, default_value_t = 5_000)]
        teachers: u32,
        /// Teachers with an open exam attempt who save answers (and who are credited hours).
        #[arg(long, default_value_t = 1_000)]
        active_teachers: u32,
        /// Runs with 1, 2, … up to this many server processes.
        #[arg(long, default_value_t = 3)]
        instances: u32,
        /// Measured seconds per instance count.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        /// Unmeasured seconds of load before each measurement.
        #[arg(long, default_value_t = 5)]
        warmup_seconds: u64,
        /// Clients in the closed loop (each sends its next request when the last one is answered).
        #[arg(long, default_value_t = 32)]
        concurrency: u32,
        /// Connection pool size of each server process.
        #[arg(long, default_value_t = 10)]
        db_connections: u32,
        /// Where the benchmark database is created (and dropped afterwards).
        #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
        database_url: String,
        /// The servers connect through this instead (e.g. PgBouncer in session mode,
        /// `postgres://postgres@127.0.0.1:6432/test`; the database name is replaced), with
        /// `YANXIU_DATABASE_POOLER=session`.
        #[arg(long)]
        server_database_url: Option<String>,
        /// The `yanxiu` binary (default: the one next to this benchmark).
        #[arg(long)]
        server_binary: Option<std::path::PathBuf>,
    },
    /// The measuring half of `bench rekey`, run by it in a fresh process on the generated database.
    #[command(hide = true)]
    RekeyMeasure {
        #[arg(long)]
        database_url: String,
        #[arg(long)]
        data_dir: std::path::PathBuf,
        #[arg(long)]
        batch: usize,
    },
    /// The measuring half of `bench training`, run by it in a fresh process on the generated database.
    #[command(hide = true)]
    TrainingMeasure {
        #[arg(long)]
        database_url: String,
        #[arg(long)]
        data_dir: std::path::PathBuf,
        #[arg(long)]
        program: i64,
        #[arg(long)]
        city: String,
        #[arg(long, default_value_t = 21)]
        runs: usize,
    },
}

async fn run(action: BenchAction) -> anyhow::Result<()> {
    match action {
        BenchAction::Exam {
            teachers,
            questions,
            window_seconds,
            database_url,
        } => {
            exam::run(exam::ExamBench {
                teachers,
                questions,
                window_seconds,
                database_url,
            })
            .await
        }
        BenchAction::Lessons {
            lessons,
            reviewers,
            per_lesson,
            seed,
            assign_runs,
            select_runs,
        } => lessons::run(lessons::LessonsBench {
            lessons,
            reviewers,
            per_lesson,
            seed,
            assign_runs,
            select_runs,
        }),
        BenchAction::Import {
            teachers,
            per_school,
            database_url,
        } => import::bench_import(teachers, per_school.max(1), database_url).await,
        BenchAction::Training {
            teachers,
            entries,
            runs,
            city,
            database_url,
        } => {
            training::run(training::TrainingBench {
                teachers,
                entries,
                runs,
                city,
                database_url,
            })
            .await
        }
        BenchAction::AnnualReport {
            teachers,
            entries,
            runs,
            county,
            database_url,
        } => {
            annual::run(annual::AnnualBench {
                teachers,
                entries,
                runs,
                county,
                database_url,
            })
            .await
        }
        BenchAction::Upload { size_mb, chunk_mb } => {
            upload::run(upload::UploadBench { size_mb, chunk_mb }).await
        }
        BenchAction::Rekey {
            teachers,
            batch,
            database_url,
        } => {
            rekey::run(rekey::RekeyBench {
                teachers,
                batch,
                database_url,
            })
            .await
        }
        BenchAction::Mixed {
            teachers,
            active_teachers,
            instances,
            seconds,
            warmup_seconds,
            concurrency,
            db_connections,
            database_url,
            server_database_url,
            server_binary,
        } => {
            mixed::run(mixed::MixedBench {
                teachers,
                active_teachers,
                instances,
                seconds,
                warmup_seconds,
                concurrency,
                db_connections,
                database_url,
                server_database_url,
                server_binary,
            })
            .await
        }
        BenchAction::RekeyMeasure {
            database_url,
            data_dir,
            batch,
        } => rekey::measure(&database_url, &data_dir, batch).await,
        BenchAction::Audit {
            entries,
            database_url,
        } => audit::run(entries, database_url).await,
        BenchAction::TrainingMeasure {
            database_url,
            data_dir,
            program,
            city,
            runs,
        } => {
            let b = training::TrainingBench {
                teachers: 0,
                entries: 0,
                runs,
                city,
                database_url: None,
            };
            training::measure_existing(&database_url, &data_dir, program, &b).await
        }
    }
}
