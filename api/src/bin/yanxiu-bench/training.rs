//! `yanxiu-bench training`: a province-scale data set — teachers through the real import, one program with an
//! approved enrolment per teacher and a ledger of `entries` hour records (some voided) — then, on that engine:
//! the province-by-city completion report from the maintained numbers (median of repeated runs), the same
//! report recomputed from the ledger with plain SQL (its time, and the proof that every number is equal), and
//! the teacher-level XLSX export of one city (rows/s and peak memory of the export alone).
//!
//! Enrolments and ledger rows are written by generated multi-row INSERTs with literal values (bulk loading,
//! not the product's write path); the maintained numbers are then produced by the product's own `rebuild`.
use std::{collections::HashMap, time::Instant};

use poem_openapi::types::ParseFromJSON;
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, QuerySelect, Statement};

use crate::harness::{
    drop_fresh_database, engine_name, fresh_database, open_state, peak_rss_mb, seed_directory,
};
use yanxiu::{
    AppState,
    directory::import,
    platform::tabular::FileFormat,
    training::{programs, report, rules::HourCategory, stats},
};

pub struct TrainingBench {
    pub teachers: u32,
    pub entries: u64,
    pub runs: usize,
    pub city: String,
    pub database_url: Option<String>,
}

pub async fn run(b: TrainingBench) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (url, cleanup) = fresh_database(b.database_url.as_deref(), dir.path()).await?;
    let result = async {
        let state = open_state(&url, dir.path()).await?;
        seed_directory(&state, dir.path(), b.teachers, 40).await?;
        let program = create_program(&state).await?;
        load_enrolments_and_ledger(&state, program, b.entries).await?;
        state.db.close().await?;
        measure_in_fresh_process(&url, dir.path(), program, &b)
    }
    .await;
    drop_fresh_database(cleanup).await?;
    result
}

/// The measurements run in a new process on the generated database, so its peak memory is the report's and
/// the export's own, not the generator's.
fn measure_in_fresh_process(
    url: &str,
    data_dir: &std::path::Path,
    program: i64,
    b: &TrainingBench,
) -> anyhow::Result<()> {
    let status = std::process::Command::new(std::env::current_exe()?)
        .args(["training-measure", "--database-url", url, "--data-dir"])
        .arg(data_dir)
        .args(["--program", &program.to_string(), "--city", &b.city])
        .args(["--runs", &b.runs.to_string()])
        .status()?;
    anyhow::ensure!(status.success(), "measurement failed: {status}");
    Ok(())
}

/// `yanxiu-bench training-measure`: the measuring half of `yanxiu-bench training`, on an existing benchmark database.
pub async fn measure_existing(
    url: &str,
    data_dir: &std::path::Path,
    program: i64,
    b: &TrainingBench,
) -> anyhow::Result<()> {
    let state = open_state(url, data_dir).await?;
    let result = measure(&state, program, b).await;
    state.db.close().await?;
    result
}

/// A province program under the cumulative rule: 50 hours complete it.
pub(super) async fn create_program(state: &AppState) -> anyhow::Result<i64> {
    let admin = import::principal_by_username(&state.db, "admin").await?;
    let body = serde_json::json!({
        "name": "2026年全省教师信息技术应用能力提升培训（基准）",
        "level": "provincial", "kind": "信息技术应用能力提升", "year": 2026,
        "enrolment_mode": "assigned",
        "hour_rule": { "kind": "cumulative" },
        "completion": { "required_hours": 50 },
        "owner_code": "510000", "seats": 2_000_000,
    });
    let input = programs::ProgramInput::parse_from_json(Some(body))
        .map_err(|e| anyhow::anyhow!("program body: {}", e.into_message()))?;
    let p = programs::create(state, &admin, input)
        .await
        .map_err(|e| anyhow::anyhow!("create program: {e:?}"))?;
    Ok(p.id)
}

/// The category codes in the order of the counters' hour columns (the rules module's order).
fn hour_categories() -> [&'static str; 6] {
    HourCategory::ALL.map(|c| c.as_str())
}

/// Sends one multi-row INSERT once `rows` reach the batch size (and at the end).
pub(super) struct BulkInsert<'a, C: ConnectionTrait> {
    db: &'a C,
    head: String,
    rows: Vec<String>,
    batch: usize,
}

impl<'a, C: ConnectionTrait> BulkInsert<'a, C> {
    pub(super) fn new(db: &'a C, head: &str, batch: usize) -> Self {
        Self {
            db,
            head: head.to_string(),
            rows: Vec::with_capacity(batch),
            batch,
        }
    }

    pub(super) async fn push(&mut self, row: String) -> anyhow::Result<()> {
        self.rows.push(row);
        if self.rows.len() >= self.batch {
            self.flush().await?;
        }
        Ok(())
    }

    pub(super) async fn flush(&mut self) -> anyhow::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let sql = format!("{} VALUES {}", self.head, self.rows.join(","));
        self.rows.clear();
        self.db
            .execute_raw(Statement::from_string(self.db.get_database_backend(), sql))
            .await?;
        Ok(())
    }
}

/// One approved enrolment per teacher and `entries` ledger rows spread over them (about 2% voided by a voiding
/// row), then the maintained numbers from the product's `rebuild`.
pub(super) async fn load_enrolments_and_ledger(
    state: &AppState,
    program: i64,
    entries: u64,
) -> anyhow::Result<()> {
    let engine = engine_name(state);
    let started = Instant::now();
    let teachers: Vec<(i64, String)> = entity::teacher::Entity::find()
        .select_only()
        .column(entity::teacher::Column::Id)
        .column(entity::teacher::Column::Path)
        .order_by_asc(entity::teacher::Column::Id)
        .into_tuple()
        .all(&state.db)
        .await?;
    anyhow::ensure!(!teachers.is_empty(), "no teachers");
    let per_teacher = entries / teachers.len() as u64;
    let mut extra = entries % teachers.len() as u64;
    let now = "'2026-11-01 00:00:00+00:00'";
    let mut rng = StdRng::seed_from_u64(2026);
    let txn = yanxiu::platform::db::begin_write(&state.db).await?;
    let mut enrolments = BulkInsert::new(
        &txn,
        "INSERT INTO enrollments (id, program_id, teacher_id, path, quota_id, review_status, training_status, \
         hours_centralized, hours_online, hours_ict, hours_regional, hours_school_based, hours_practice, \
         counted_hours, created_at, updated_at)",
        2000,
    );
    let mut ledger = BulkInsert::new(
        &txn,
        "INSERT INTO hour_entries (id, teacher_id, enrollment_id, path, category, half_hours, occurred_on, \
         source, source_ref, status, voids_entry_id, note, evidence, created_by, created_at)",
        2000,
    );
    let mut entry_id: i64 = 0;
    for (i, (teacher_id, path)) in teachers.iter().enumerate() {
        let enrollment_id = i as i64 + 1;
        let mut sums = [0i64; 6];
        let n = per_teacher + u64::from(extra > 0);
        extra = extra.saturating_sub(1);
        for _ in 0..n {
            entry_id += 1;
            let c = rng.random_range(0..6);
            let category = hour_categories()[c];
            let half: i64 = rng.random_range(1..=16);
            let day = rng.random_range(1..=28);
            let month = rng.random_range(1..=10);
            let on = format!("'2026-{month:02}-{day:02}'");
            ledger
                .push(format!(
                    "({entry_id},{teacher_id},{enrollment_id},'{path}','{category}',{half},{on},\
                     'course',NULL,'approved',NULL,NULL,'[]',1,{now})"
                ))
                .await?;
            sums[c] += half;
            if rng.random_ratio(1, 50) {
                let voided = entry_id;
                entry_id += 1;
                ledger
                    .push(format!(
                        "({entry_id},{teacher_id},{enrollment_id},'{path}','{category}',{half},{on},\
                         'course','{voided}','voiding',{voided},'bench','[]',1,{now})"
                    ))
                    .await?;
                sums[c] -= half;
            }
        }
        // The progress `credit` would have maintained: cumulative rule, 50 h (100 half-hours) complete.
        let counted: i64 = sums.iter().sum();
        let status = if counted >= 100 {
            "completed"
        } else {
            "reported"
        };
        let [h0, h1, h2, h3, h4, h5] = sums;
        enrolments
            .push(format!(
                "({enrollment_id},{program},{teacher_id},'{path}',NULL,'approved','{status}',\
                 {h0},{h1},{h2},{h3},{h4},{h5},{counted},{now},{now})"
            ))
            .await?;
    }
    enrolments.flush().await?;
    ledger.flush().await?;
    txn.commit().await?;
    println!(
        "[{engine}] generated {} enrolments and {entry_id} ledger rows in {:.1}s",
        teachers.len(),
        started.elapsed().as_secs_f64()
    );
    drop(teachers);
    if state.db.get_database_backend() == sea_orm::DbBackend::Postgres {
        // Explicit ids were inserted: move the sequences past them, as the product's own inserts need.
        for table in ["enrollments", "hour_entries"] {
            state
                .db
                .execute_unprepared(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                ))
                .await?;
            state
                .db
                .execute_unprepared(&format!("ANALYZE {table}"))
                .await?;
        }
    }

    // Per-enrolment progress and every counter, by the product's rebuild from the ledger.
    let started = Instant::now();
    let txn = yanxiu::platform::db::begin_write(&state.db).await?;
    let summary = stats::rebuild(&txn, state.config.cycle_anchor_year).await?;
    txn.commit().await?;
    println!(
        "[{engine}] rebuild from the ledger: {:.1}s ({} program rows, {} node rows, {} cycle rows); enrolment \
         progress written by the generator that disagreed with the ledger: {}; node teacher counts maintained by \
         the import that disagreed with a recount: {}",
        started.elapsed().as_secs_f64(),
        summary.program_rows,
        summary.node_rows,
        summary.cycle_rows,
        summary.differing_enrolments,
        summary.differing_node_rows
    );
    anyhow::ensure!(
        summary.differing_enrolments == 0 && summary.differing_node_rows == 0,
        "maintained numbers disagree with the recount"
    );
    Ok(())
}

/// Per city: teachers, enrolled, completed and half-hours per category.
type CityNumbers = HashMap<String, [i64; 9]>;

/// The province-by-city report computed from scratch: the ledger grouped per enrolment (approved rows minus
/// voiding rows), joined to the enrolments, grouped by city; teachers counted from the directory.
async fn recount_from_ledger(state: &AppState, program: i64) -> anyhow::Result<CityNumbers> {
    let backend = state.db.get_database_backend();
    let per_category = hour_categories()
        .iter()
        .map(|c| {
            format!(
                "SUM(CASE WHEN category = '{c}' THEN CASE status WHEN 'approved' THEN half_hours ELSE -half_hours END ELSE 0 END) AS {c}"
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let city_sums = hour_categories()
        .iter()
        // PostgreSQL sums BIGINT into NUMERIC: cast back so both engines return 64-bit integers.
        .map(|c| format!("CAST(COALESCE(SUM(l.{c}), 0) AS BIGINT) AS {c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let total = hour_categories()
        .iter()
        .map(|c| format!("COALESCE(l.{c}, 0)"))
        .collect::<Vec<_>>()
        .join(" + ");
    let sql = format!(
        "WITH l AS (SELECT enrollment_id, {per_category} FROM hour_entries \
         WHERE status IN ('approved', 'voiding') GROUP BY enrollment_id) \
         SELECT SUBSTR(e.path, 1, 15) AS city, COUNT(*) AS enrolled, \
         CAST(SUM(CASE WHEN {total} >= 100 THEN 1 ELSE 0 END) AS BIGINT) AS completed, {city_sums} \
         FROM enrollments e LEFT JOIN l ON l.enrollment_id = e.id \
         WHERE e.program_id = {program} AND e.review_status = 'approved' GROUP BY SUBSTR(e.path, 1, 15)"
    );
    let mut out: CityNumbers = HashMap::new();
    for r in state
        .db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?
    {
        let mut n = [0i64; 9];
        n[1] = r.try_get::<i64>("", "enrolled")?;
        n[2] = r.try_get::<Option<i64>>("", "completed")?.unwrap_or(0);
        for (i, c) in hour_categories().iter().enumerate() {
            n[3 + i] = r.try_get::<Option<i64>>("", c)?.unwrap_or(0);
        }
        out.insert(r.try_get::<String>("", "city")?, n);
    }
    let active = if backend == sea_orm::DbBackend::Postgres {
        "TRUE"
    } else {
        "1"
    };
    for r in state
        .db
        .query_all_raw(Statement::from_string(
            backend,
            format!(
                "SELECT SUBSTR(path, 1, 15) AS city, COUNT(*) AS n FROM teachers WHERE active = {active} \
                 GROUP BY SUBSTR(path, 1, 15)"
            ),
        ))
        .await?
    {
        out.entry(r.try_get::<String>("", "city")?).or_default()[0] = r.try_get::<i64>("", "n")?;
    }
    Ok(out)
}

fn median_ms(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

async fn measure(state: &AppState, program: i64, b: &TrainingBench) -> anyhow::Result<()> {
    let engine = engine_name(state);
    let admin = import::principal_by_username(&state.db, "admin").await?;
    let mut times = Vec::with_capacity(b.runs);
    let mut last = None;
    for _ in 0..b.runs.max(1) {
        let started = Instant::now();
        let r = report::report(state, &admin, program, None)
            .await
            .map_err(|e| anyhow::anyhow!("report: {e:?}"))?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        last = Some(r);
    }
    let maintained = last.ok_or_else(|| anyhow::anyhow!("no report"))?;
    println!(
        "[{engine}] province-by-city report (maintained numbers): median {:.2} ms over {} runs (target ≤ 50 ms)",
        median_ms(times),
        b.runs.max(1)
    );

    let started = Instant::now();
    let recount = recount_from_ledger(state, program).await?;
    println!(
        "[{engine}] same report recomputed from the ledger with plain SQL: {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let mut compared = 0;
    for row in &maintained.rows {
        let path = state
            .regions
            .get(&row.node_code)
            .map(|r| r.path.clone())
            .ok_or_else(|| anyhow::anyhow!("unknown city {}", row.node_code))?;
        let want = recount.get(&path).copied().unwrap_or_default();
        let mut got = [0i64; 9];
        got[0] = row.teachers;
        got[1] = row.enrolled;
        got[2] = row.completed;
        // The report shows averages; the sums behind them are average × enrolled, in half-hours.
        for (i, a) in row.average_hours.iter().enumerate() {
            got[3 + i] = (a.hours * 2.0 * row.enrolled as f64).round() as i64;
        }
        let exact = got[..3] == want[..3];
        let close = got[3..]
            .iter()
            .zip(&want[3..])
            .all(|(g, w)| (g - w).abs() <= row.enrolled / 100 + 1);
        anyhow::ensure!(
            exact && close,
            "city {}: maintained {got:?} ≠ ledger {want:?}",
            row.node_code
        );
        compared += 1;
    }
    let exact_sums = exact_city_sums(state, program).await?;
    for (path, sums) in &exact_sums {
        let want = recount.get(path).copied().unwrap_or_default();
        anyhow::ensure!(
            sums[..] == want[1..],
            "city {path}: maintained counters {sums:?} ≠ ledger {:?}",
            &want[1..]
        );
    }
    println!(
        "[{engine}] equal: {compared} cities × (teachers, enrolled, completed, hours per category) — maintained \
         counters match the ledger recount exactly"
    );

    let city = b.city.clone();
    drop(recount);
    let started = Instant::now();
    let (_, bytes, rows) =
        report::teacher_detail(state, &admin, program, Some(city.clone()), FileFormat::Xlsx)
            .await
            .map_err(|e| anyhow::anyhow!("export: {e:?}"))?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "[{engine}] teacher-level XLSX export of {city}: {rows} rows, {:.1} MB in {seconds:.2}s = {:.0} rows/s \
         (target ≥ 50,000); peak RSS of the measuring process {:.0} MB (target ≤ 300)",
        bytes.len() as f64 / 1024.0 / 1024.0,
        rows as f64 / seconds,
        peak_rss_mb().unwrap_or(f64::NAN)
    );
    if state.db.get_database_backend() == sea_orm::DbBackend::Postgres {
        print_footprint(state, &engine).await?;
    }
    Ok(())
}

/// The database's size on disk and its largest tables (rows, with indexes and TOAST), after a VACUUM ANALYZE so
/// that the row estimates are current: the per-province footprint in the deployment guide comes from here.
async fn print_footprint(state: &AppState, engine: &str) -> anyhow::Result<()> {
    state.db.execute_unprepared("VACUUM ANALYZE").await?;
    let backend = state.db.get_database_backend();
    let size = state
        .db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT pg_database_size(current_database())::bigint",
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("no size"))?
        .try_get_by_index::<i64>(0)?;
    println!(
        "[{engine}] footprint: database {:.0} MB; largest tables (rows, MB with indexes):",
        size as f64 / 1024.0 / 1024.0
    );
    let rows = state
        .db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT c.relname::text, c.reltuples::bigint, pg_total_relation_size(c.oid)::bigint FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public' \
             ORDER BY 3 DESC LIMIT 12",
        ))
        .await?;
    for r in rows {
        println!(
            "[{engine}]   {:<28} {:>11} rows {:>9.1} MB",
            r.try_get_by_index::<String>(0)?,
            r.try_get_by_index::<i64>(1)?,
            r.try_get_by_index::<i64>(2)? as f64 / 1024.0 / 1024.0
        );
    }
    Ok(())
}

/// The maintained counter rows of each city, exactly (enrolled, completed, half-hours per category).
async fn exact_city_sums(
    state: &AppState,
    program: i64,
) -> anyhow::Result<HashMap<String, [i64; 8]>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let rows = entity::program_node_stat::Entity::find()
        .filter(entity::program_node_stat::Column::ProgramId.eq(program))
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.node_path.len() == 15)
        .map(|r| {
            (
                r.node_path,
                [
                    r.enrolled,
                    r.completed,
                    r.hours_centralized,
                    r.hours_online,
                    r.hours_ict,
                    r.hours_regional,
                    r.hours_school_based,
                    r.hours_practice,
                ],
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn median_of_samples() {
        assert_eq!(super::median_ms(vec![3.0, 1.0, 2.0]), 2.0);
    }
}
