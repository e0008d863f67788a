//! `yanxiu bench import --teachers N [--database-url URL]`: generates a teacher file and imports it through the
//! real import path (parse, validate, encrypt, one-transaction upsert) as the province admin, then prints
//! rows/s and the peak resident memory.
use std::{io::Write, time::Instant};

use clap::Subcommand;
use sea_orm::{ConnectionTrait, Database};

use crate::{
    AppState,
    cli::{bootstrap, demo},
    directory::import::{self, DirectoryKind},
    platform::config::Config,
};

#[derive(Subcommand)]
pub enum BenchAction {
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
        /// As for `bench import`.
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
        #[arg(long, default_value_t = crate::platform::rekey::DEFAULT_BATCH)]
        batch: usize,
        /// As for `bench import`.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// The cost of the tamper-evident audit log: entries written with and without their MAC, sealed into the
    /// chain and verified; prints rows/s for each.
    Audit {
        #[arg(long, default_value_t = 10_000)]
        entries: u64,
        /// As for `bench import`.
        #[arg(long)]
        database_url: Option<String>,
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

pub async fn run(action: BenchAction) -> anyhow::Result<()> {
    match action {
        BenchAction::Exam {
            teachers,
            questions,
            window_seconds,
            database_url,
        } => {
            super::bench_exam::run(super::bench_exam::ExamBench {
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
        } => super::bench_lessons::run(super::bench_lessons::LessonsBench {
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
        } => bench_import(teachers, per_school.max(1), database_url).await,
        BenchAction::Training {
            teachers,
            entries,
            runs,
            city,
            database_url,
        } => {
            super::bench_training::run(super::bench_training::TrainingBench {
                teachers,
                entries,
                runs,
                city,
                database_url,
            })
            .await
        }
        BenchAction::Upload { size_mb, chunk_mb } => {
            super::bench_upload::run(super::bench_upload::UploadBench { size_mb, chunk_mb }).await
        }
        BenchAction::Rekey {
            teachers,
            batch,
            database_url,
        } => {
            super::bench_rekey::run(super::bench_rekey::RekeyBench {
                teachers,
                batch,
                database_url,
            })
            .await
        }
        BenchAction::RekeyMeasure {
            database_url,
            data_dir,
            batch,
        } => super::bench_rekey::measure(&database_url, &data_dir, batch).await,
        BenchAction::Audit {
            entries,
            database_url,
        } => super::bench_audit::run(entries, database_url).await,
        BenchAction::TrainingMeasure {
            database_url,
            data_dir,
            program,
            city,
            runs,
        } => {
            let b = super::bench_training::TrainingBench {
                teachers: 0,
                entries: 0,
                runs,
                city,
                database_url: None,
            };
            super::bench_training::measure_existing(&database_url, &data_dir, program, &b).await
        }
    }
}

/// Peak resident set size of this process so far, in MB (Linux `VmHWM`).
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// `postgres://u@h:5432/test?x=y` with the database renamed.
fn with_database(url: &str, name: &str) -> anyhow::Result<String> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let prefix = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    anyhow::ensure!(prefix.len() > after_scheme, "no host in {url}");
    Ok(format!("{prefix}/{name}{query}"))
}

/// A database to benchmark on: a fresh SQLite file in `dir` by default; for `postgres://…/db` a fresh database
/// `yanxiu_bench_<pid>` on that server, dropped by `drop_fresh_database` afterwards.
pub(crate) async fn fresh_database(
    database_url: Option<&str>,
    dir: &std::path::Path,
) -> anyhow::Result<(String, Option<(String, String)>)> {
    Ok(match database_url {
        Some(base) if base.starts_with("postgres") => {
            let name = format!("yanxiu_bench_{}", std::process::id());
            let admin = Database::connect(base).await?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await?;
            admin.close().await?;
            (with_database(base, &name)?, Some((base.to_string(), name)))
        }
        Some(other) => (other.to_string(), None),
        None => (
            format!("sqlite://{}?mode=rwc", dir.join("bench.db").display()),
            None,
        ),
    })
}

pub(crate) async fn drop_fresh_database(cleanup: Option<(String, String)>) -> anyhow::Result<()> {
    if let Some((base, name)) = cleanup {
        let admin = Database::connect(base.as_str()).await?;
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await?;
        admin.close().await?;
    }
    Ok(())
}

async fn bench_import(
    teachers: u32,
    per_school: u32,
    database_url: Option<String>,
) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (url, cleanup) = fresh_database(database_url.as_deref(), dir.path()).await?;
    let result = async {
        let state = open_state(&url, dir.path()).await?;
        seed_directory(&state, dir.path(), teachers, per_school).await?;
        state.db.close().await?;
        anyhow::Ok(())
    }
    .await;
    drop_fresh_database(cleanup).await?;
    result
}

/// The app on the benchmark database, migrated, with its first province admin.
pub(crate) async fn open_state(url: &str, data_dir: &std::path::Path) -> anyhow::Result<AppState> {
    open_state_with(url, data_dir, |_| {}).await
}

/// `open_state` with the config adjusted first (another suite or key).
pub(crate) async fn open_state_with(
    url: &str,
    data_dir: &std::path::Path,
    configure: impl FnOnce(&mut Config),
) -> anyhow::Result<AppState> {
    let mut config = Config {
        data_dir: data_dir.to_path_buf(),
        database_url: Some(url.to_string()),
        admin_password: Some("Bench#Admin2026".into()),
        security_admin_password: Some("Bench#Security2026".into()),
        import_max_bytes: usize::MAX,
        ..Config::default()
    };
    configure(&mut config);
    let state = AppState::build(config).await?;
    bootstrap::ensure_first_admin(&state).await?;
    Ok(state)
}

pub(crate) fn engine_name(state: &AppState) -> String {
    format!("{:?}", state.db.get_database_backend()).to_lowercase()
}

/// Schools over every county and `teachers` teachers, created through the real import path as the province
/// admin; prints the import rates and the peak memory.
pub(crate) async fn seed_directory(
    state: &AppState,
    data_dir: &std::path::Path,
    teachers: u32,
    per_school: u32,
) -> anyhow::Result<()> {
    let admin = import::principal_by_username(state, "admin").await?;
    let engine = engine_name(state);

    // Schools spread over every county of the province, a few per county, created through the schools import.
    let counties: Vec<_> = state
        .regions
        .all()
        .filter(|r| r.level == "county")
        .cloned()
        .collect();
    anyhow::ensure!(!counties.is_empty(), "no counties loaded");
    let school_count = teachers.div_ceil(per_school) as usize;
    let mut schools = Vec::with_capacity(school_count);
    for i in 0..school_count {
        let county = &counties[i % counties.len()];
        let (stage, category) = [("小学", "21"), ("初中", "31"), ("高中", "34")][i % 3];
        schools.push((
            format!("{category}51{:06}", i + 1),
            county.code.clone(),
            stage,
            format!("{}第{}学校", county.name, i / counties.len() + 1),
        ));
    }
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(import::SCHOOL_COLUMNS.iter().map(|c| c.zh))?;
    for (i, (code, county, stage, name)) in schools.iter().enumerate() {
        let urban_rural = ["城区", "镇区", "乡村"][i % 3];
        csv.write_record([code, name, county, *stage, urban_rural, "否", ""])?;
    }
    let bytes = csv.into_inner()?;
    let started = Instant::now();
    let report = import::import_bytes(state, &admin, DirectoryKind::Schools, bytes, false)
        .await
        .map_err(|e| anyhow::anyhow!("schools import: {e:?}"))?;
    anyhow::ensure!(
        report.committed,
        "schools import failed: {:?}",
        report.errors.first()
    );
    println!(
        "[{engine}] schools: {} rows in {:.2}s",
        report.total_rows,
        started.elapsed().as_secs_f64()
    );

    // The teacher file, written to disk like an upload would be.
    let path = data_dir.join("teachers.csv");
    {
        let file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        let mut csv = csv::Writer::from_writer(file);
        csv.write_record(import::TEACHER_COLUMNS.iter().map(|c| c.zh))?;
        for seed in 1..=teachers {
            let (code, county, stage, _) = &schools[((seed - 1) / per_school) as usize];
            let school = demo::DemoSchool {
                code: code.clone(),
                county_code: county.clone(),
                stage,
                subjects: &["语文", "数学", "英语", "物理", "信息技术"],
                row: Vec::new(),
            };
            let mut row = demo::teacher_row(&school, seed % 7, seed);
            row[3] = format!("13{:09}", seed);
            csv.write_record(&row)?;
        }
        csv.flush()?;
        csv.into_inner()
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .flush()?;
    }
    let size_mb = std::fs::metadata(&path)?.len() as f64 / 1024.0 / 1024.0;

    let started = Instant::now();
    let bytes = std::fs::read(&path)?;
    let report = import::import_bytes(state, &admin, DirectoryKind::Teachers, bytes, false)
        .await
        .map_err(|e| anyhow::anyhow!("teachers import: {e:?}"))?;
    let seconds = started.elapsed().as_secs_f64();
    if !report.committed {
        import::print_report(&ImportReportHead(&report).trimmed());
        anyhow::bail!("teachers import failed");
    }
    println!(
        "[{engine}] teachers: {} rows ({size_mb:.1} MB CSV) in {seconds:.2}s = {:.0} rows/s; created {}, updated {}; peak RSS {:.0} MB",
        report.total_rows,
        report.total_rows as f64 / seconds,
        report.created,
        report.updated,
        peak_rss_mb().unwrap_or(f64::NAN),
    );
    Ok(())
}

/// The first errors of a failed benchmark import (the rest would flood the terminal).
struct ImportReportHead<'a>(&'a crate::platform::tabular::ImportReport);

impl ImportReportHead<'_> {
    fn trimmed(&self) -> crate::platform::tabular::ImportReport {
        let mut report = self.0.clone();
        report.errors.truncate(20);
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_name_is_swapped() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "b").expect("url"),
            "postgres://postgres@127.0.0.1:5432/b"
        );
        assert_eq!(
            with_database("postgres://u:p@h/test?sslmode=disable", "b").expect("url"),
            "postgres://u:p@h/b?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h:5432", "b").expect("url"),
            "postgres://h:5432/b"
        );
    }
}
