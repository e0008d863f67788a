//! What every benchmark shares: a fresh database on either engine, the app on it with its first admin, a seeded
//! directory imported through the real import path, and the peak memory of the process.
use std::{io::Write, time::Instant};

use sea_orm::{ConnectionTrait, Database};
use yanxiu::{
    AppState,
    cli::{bootstrap, demo},
    directory::{
        import::{self, DirectoryKind},
        labels::{Stage, UrbanRural},
    },
    platform::{config::Config, tabular::ImportReport},
};

/// Peak resident set size of this process so far, in MB (Linux `VmHWM`).
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// `postgres://u@h:5432/test?x=y` with the database renamed.
pub fn with_database(url: &str, name: &str) -> anyhow::Result<String> {
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
pub async fn fresh_database(
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

pub async fn drop_fresh_database(cleanup: Option<(String, String)>) -> anyhow::Result<()> {
    if let Some((base, name)) = cleanup {
        let admin = Database::connect(base.as_str()).await?;
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await?;
        admin.close().await?;
    }
    Ok(())
}

/// The app on the benchmark database, migrated, with its first province admin.
pub async fn open_state(url: &str, data_dir: &std::path::Path) -> anyhow::Result<AppState> {
    open_state_with(url, data_dir, |_| {}).await
}

/// `open_state` with the config adjusted first (another suite or key).
pub async fn open_state_with(
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

pub fn engine_name(state: &AppState) -> String {
    format!("{:?}", state.db.get_database_backend()).to_lowercase()
}

/// Schools over every county and `teachers` teachers, created through the real import path as the province
/// admin; prints the import rates and the peak memory.
pub async fn seed_directory(
    state: &AppState,
    data_dir: &std::path::Path,
    teachers: u32,
    per_school: u32,
) -> anyhow::Result<()> {
    let admin = import::principal_by_username(&state.db, "admin").await?;
    let engine = engine_name(state);

    // Schools spread over every county of the province, a few per county, created through the schools import.
    let counties: Vec<_> = state
        .regions
        .all()
        .filter(|r| r.level == entity::region::NodeLevel::County)
        .cloned()
        .collect();
    anyhow::ensure!(!counties.is_empty(), "no counties loaded");
    let school_count = teachers.div_ceil(per_school) as usize;
    let mut schools = Vec::with_capacity(school_count);
    for i in 0..school_count {
        let county = &counties[i % counties.len()];
        let (stage, category) = [
            (Stage::Primary, "21"),
            (Stage::JuniorSecondary, "31"),
            (Stage::SeniorSecondary, "34"),
        ][i % 3];
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
        let urban_rural = UrbanRural::ALL[i % 3];
        csv.write_record([
            code,
            name,
            county,
            stage.as_str(),
            urban_rural.as_str(),
            "否",
            "",
        ])?;
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
                stage: *stage,
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
struct ImportReportHead<'a>(&'a ImportReport);

impl ImportReportHead<'_> {
    fn trimmed(&self) -> ImportReport {
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
