//! `yanxiu-bench annual-report`: the data set of `training` (teachers through the real import, one program of
//! 2026 with an approved enrolment per teacher, a ledger of `entries` rows, the counters from the product's
//! `rebuild`), then the 全员培训年度报表 of the province (by city) and of one county (by school) from the
//! maintained numbers, median of repeated runs; and the same figures recounted from the ledger with plain SQL,
//! its time, and the proof that every number is equal.
use std::{collections::HashMap, time::Instant};

use sea_orm::{ConnectionTrait, Statement};

use crate::harness::{
    drop_fresh_database, engine_name, fresh_database, open_state, seed_directory,
};
use yanxiu::{
    AppState,
    directory::import,
    reports::annual::{self, AnnualQuery, AnnualReport},
    training::{
        rules::{CYCLE_REQUIRED_HALF_HOURS, cycle_start},
        stats::year_of,
        year_stats::YEARLY_MINIMUM_HALF_HOURS,
    },
};

const YEAR: i32 = 2026;

pub struct AnnualBench {
    pub teachers: u32,
    pub entries: u64,
    pub runs: usize,
    pub county: String,
    pub database_url: Option<String>,
}

pub async fn run(b: AnnualBench) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (url, cleanup) = fresh_database(b.database_url.as_deref(), dir.path()).await?;
    let result = async {
        let state = open_state(&url, dir.path()).await?;
        seed_directory(&state, dir.path(), b.teachers, 40).await?;
        let program = crate::training::create_program(&state).await?;
        crate::training::load_enrolments_and_ledger(&state, program, b.entries).await?;
        let outcome = measure(&state, &b).await;
        state.db.close().await?;
        outcome
    }
    .await;
    drop_fresh_database(cleanup).await?;
    result
}

/// Per city: participants, met the yearly minimum, 360 in the cycle, then half-hours per category.
type Numbers = HashMap<String, [i64; 9]>;

fn shown(report: &AnnualReport) -> Numbers {
    report
        .rows
        .iter()
        .map(|r| {
            let mut n = [
                r.participants,
                r.met_minimum,
                r.cycle_complete,
                0,
                0,
                0,
                0,
                0,
                0,
            ];
            for (slot, h) in n[3..].iter_mut().zip(&r.hours) {
                *slot = (h.hours * 2.0).round() as i64;
            }
            (r.node_code.clone(), n)
        })
        .filter(|(_, n)| n.iter().any(|v| *v != 0))
        .collect()
}

async fn rows(state: &AppState, sql: String) -> anyhow::Result<Vec<(String, i64, i64)>> {
    let backend = state.db.get_database_backend();
    let mut out = Vec::new();
    for r in state
        .db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?
    {
        let n: i64 = r.try_get::<i64>("", "n").or_else(|_| {
            r.try_get::<sea_orm::prelude::Decimal>("", "n")
                .map(|d| i64::try_from(d).unwrap_or_default())
        })?;
        // Every query casts its key to BIGINT: PostgreSQL answers a bare literal as a 32-bit integer.
        out.push((r.try_get("", "node")?, r.try_get::<i64>("", "k")?, n));
    }
    Ok(out)
}

/// The province-by-city figures from scratch: the ledger and the enrolments grouped by city of the teacher (for
/// the standings) or of the entry (for the hours). Only constants are spliced into the SQL.
async fn recount(state: &AppState) -> anyhow::Result<Numbers> {
    let backend = state.db.get_database_backend();
    let year = year_of(backend, "h.occurred_on");
    let signed = "CASE h.status WHEN 'approved' THEN h.half_hours WHEN 'voiding' THEN -h.half_hours ELSE 0 END";
    let active = if backend == sea_orm::DbBackend::Postgres {
        "TRUE"
    } else {
        "1"
    };
    let cycle = cycle_start(YEAR, state.config.cycle_anchor_year);
    let mut out: Numbers = HashMap::new();
    // `/510000/510100/` → `510100`.
    let city_of = |p: &str| p.get(8..14).map(str::to_string);
    let participants = format!(
        "SELECT SUBSTR(t.path, 1, 15) AS node, CAST(0 AS BIGINT) AS k, COUNT(DISTINCT e.teacher_id) AS n FROM enrollments e \
         JOIN programs p ON p.id = e.program_id JOIN teachers t ON t.id = e.teacher_id \
         WHERE p.year = {YEAR} AND e.review_status = 'approved' AND t.active = {active} GROUP BY SUBSTR(t.path, 1, 15)"
    );
    let over = |k: i64, from: i32, to: i32, threshold: i64| {
        format!(
            "SELECT SUBSTR(t.path, 1, 15) AS node, CAST({k} AS BIGINT) AS k, COUNT(*) AS n FROM ( \
               SELECT h.teacher_id, SUM({signed}) AS s FROM hour_entries h \
               WHERE {year} BETWEEN {from} AND {to} GROUP BY h.teacher_id) x \
             JOIN teachers t ON t.id = x.teacher_id WHERE t.active = {active} AND x.s >= {threshold} \
             GROUP BY SUBSTR(t.path, 1, 15)"
        )
    };
    let categories: Vec<String> = yanxiu::training::rules::HourCategory::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "SELECT SUBSTR(h.path, 1, 15) AS node, CAST({} AS BIGINT) AS k, SUM({signed}) AS n FROM hour_entries h \
                 WHERE {year} = {YEAR} AND h.category = '{}' GROUP BY SUBSTR(h.path, 1, 15)",
                3 + i,
                c.as_str()
            )
        })
        .collect();
    let mut queries = vec![
        participants,
        over(1, YEAR, YEAR, YEARLY_MINIMUM_HALF_HOURS),
        over(2, cycle, cycle + 4, CYCLE_REQUIRED_HALF_HOURS),
    ];
    queries.extend(categories);
    for sql in queries {
        for (path, k, n) in rows(state, sql).await? {
            if let Some(code) = city_of(&path) {
                out.entry(code).or_default()[k as usize] += n;
            }
        }
    }
    out.retain(|_, n| n.iter().any(|v| *v != 0));
    Ok(out)
}

fn median_ms(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

async fn timed_report(
    state: &AppState,
    node: Option<&str>,
    runs: usize,
) -> anyhow::Result<(AnnualReport, f64)> {
    let admin = import::principal_by_username(&state.db, "admin").await?;
    let query = AnnualQuery {
        year: YEAR,
        node: node.map(str::to_string),
        ..Default::default()
    };
    let mut samples = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let report = annual::report(state, &admin, query.clone())
            .await
            .map_err(|e| anyhow::anyhow!("annual report: {e:?}"))?;
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
        last = Some(report);
    }
    Ok((
        last.ok_or_else(|| anyhow::anyhow!("no run"))?,
        median_ms(samples),
    ))
}

async fn measure(state: &AppState, b: &AnnualBench) -> anyhow::Result<()> {
    let engine = engine_name(state);
    let (province, province_ms) = timed_report(state, None, b.runs).await?;
    let (county, county_ms) = timed_report(state, Some(&b.county), b.runs).await?;
    println!(
        "[{engine}] annual report from the maintained numbers (median of {}): province by city {province_ms:.1} ms \
         ({} rows, {} teachers), county {} by school {county_ms:.1} ms ({} rows)",
        b.runs,
        province.rows.len(),
        province.total.teachers,
        b.county,
        county.rows.len()
    );
    let started = Instant::now();
    let recounted = recount(state).await?;
    let recount_ms = started.elapsed().as_secs_f64() * 1000.0;
    let equal = recounted == shown(&province);
    println!(
        "[{engine}] the same figures recounted from the ledger with plain SQL: {recount_ms:.0} ms; every number equal: {equal}"
    );
    anyhow::ensure!(
        equal,
        "report {:?} ≠ recount {recounted:?}",
        shown(&province)
    );
    Ok(())
}
