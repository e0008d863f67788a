//! The maintained numbers reports read (ARCHITECTURE.md "Reports read maintained numbers"): per program and node
//! (approved enrolments, completions, approved half-hours per category), per node (active teachers) and per
//! teacher and 5-year cycle (approved half-hours). Every event that changes them adds its delta to the node and
//! each of its ancestors in the event's own transaction; `rebuild` recomputes everything from the ledger.
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use entity::enrollment::{ReviewStatus, TrainingStatus};
use entity::hour_entry::HourStatus;

use super::rules::HourCategory;
use crate::platform::{db::placeholders, error::AppResult};

/// The node path and every ancestor: `/510000/510100/510104/2151990001/` → `/510000/`, `/510000/510100/`, …
pub fn ancestors(path: &str) -> Vec<&str> {
    path.match_indices('/')
        .skip(1)
        .map(|(i, _)| &path[..=i])
        .collect()
}

/// A change to one program's numbers under one node.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProgramDelta {
    pub enrolled: i64,
    pub completed: i64,
    /// Half-hours per category, in the order of `HourCategory::ALL`.
    pub half_hours: [i64; 6],
}

impl ProgramDelta {
    pub fn hours(category: HourCategory, delta: i64) -> Self {
        let mut d = Self::default();
        if let Some(i) = HourCategory::ALL.iter().position(|c| *c == category) {
            d.half_hours[i] = delta;
        }
        d
    }

    pub fn is_zero(&self) -> bool {
        *self == Self::default()
    }
}

/// What an approved enrolment adds to its program's numbers (`sign` +1) or takes away when it leaves (−1).
pub fn enrolment_delta(e: &entity::enrollment::Model, sign: i64) -> ProgramDelta {
    ProgramDelta {
        enrolled: sign,
        completed: sign * i64::from(e.training_status == TrainingStatus::Completed),
        half_hours: [
            e.hours_centralized,
            e.hours_online,
            e.hours_ict,
            e.hours_regional,
            e.hours_school_based,
            e.hours_practice,
        ]
        .map(|h| sign * i64::from(h)),
    }
}

pub const HOUR_COLUMNS: [&str; 6] = [
    "hours_centralized",
    "hours_online",
    "hours_ict",
    "hours_regional",
    "hours_school_based",
    "hours_practice",
];

/// Adds to a counter row, creating it at zero first; both engines know `ON CONFLICT … DO UPDATE` and `excluded`.
pub(crate) async fn upsert_add(
    db: &impl ConnectionTrait,
    table: &str,
    keys: &[(&str, Value)],
    counters: &[(&str, i64)],
) -> AppResult<()> {
    let backend = db.get_database_backend();
    db.execute_raw(upsert_statement(backend, table, keys, counters, None))
        .await?;
    Ok(())
}

/// [`upsert_add`] that answers the counter `returning` after the addition (both engines know `RETURNING`). The
/// row stays locked until the transaction ends, so "after − delta" is exactly the value before.
pub(crate) async fn upsert_add_returning(
    db: &impl ConnectionTrait,
    table: &str,
    keys: &[(&str, Value)],
    counters: &[(&str, i64)],
    returning: &str,
) -> AppResult<i64> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(upsert_statement(
            backend,
            table,
            keys,
            counters,
            Some(returning),
        ))
        .await?
        .ok_or_else(|| crate::platform::error::AppError::internal("upsert returned no row"))?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

fn upsert_statement(
    backend: DbBackend,
    table: &str,
    keys: &[(&str, Value)],
    counters: &[(&str, i64)],
    returning: Option<&str>,
) -> Statement {
    let columns: Vec<&str> = keys
        .iter()
        .map(|(k, _)| *k)
        .chain(counters.iter().map(|(c, _)| *c))
        .collect();
    let marks = placeholders(backend, columns.len());
    let sets: Vec<String> = counters
        .iter()
        .map(|(c, _)| format!("{c} = {table}.{c} + excluded.{c}"))
        .collect();
    let mut sql = format!(
        "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}",
        columns.join(", "),
        marks.join(", "),
        keys.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", "),
        sets.join(", ")
    );
    if let Some(column) = returning {
        sql.push_str(&format!(" RETURNING {column}"));
    }
    let values: Vec<Value> = keys
        .iter()
        .map(|(_, v)| v.clone())
        .chain(counters.iter().map(|(_, n)| Value::from(*n)))
        .collect();
    Statement::from_sql_and_values(backend, sql, values)
}

pub async fn add_to_program(
    db: &impl ConnectionTrait,
    program_id: i64,
    path: &str,
    d: ProgramDelta,
) -> AppResult<()> {
    if d.is_zero() {
        return Ok(());
    }
    let mut counters = vec![("enrolled", d.enrolled), ("completed", d.completed)];
    counters.extend(HOUR_COLUMNS.iter().copied().zip(d.half_hours));
    for node in ancestors(path) {
        upsert_add(
            db,
            "program_node_stats",
            &[
                ("program_id", program_id.into()),
                ("node_path", node.into()),
            ],
            &counters,
        )
        .await?;
    }
    Ok(())
}

/// A teacher joined (+1) or left (−1) the node `path` (their school).
pub async fn add_teachers(db: &impl ConnectionTrait, path: &str, delta: i64) -> AppResult<()> {
    if delta == 0 {
        return Ok(());
    }
    for node in ancestors(path) {
        upsert_add(
            db,
            "node_stats",
            &[("node_path", node.into())],
            &[("teachers", delta)],
        )
        .await?;
    }
    Ok(())
}

/// A teacher was created, edited (perhaps moved to another school) or (de)activated: the node counts follow.
pub async fn teacher_changed(
    db: &impl ConnectionTrait,
    before: Option<&entity::teacher::Model>,
    after: &entity::teacher::Model,
) -> AppResult<()> {
    let unchanged = before.is_some_and(|b| b.path == after.path && b.active == after.active);
    if unchanged {
        return Ok(());
    }
    if let Some(b) = before.filter(|b| b.active) {
        add_teachers(db, &b.path, -1).await?;
    }
    if after.active {
        add_teachers(db, &after.path, 1).await?;
    }
    // A new teacher holds no standings yet.
    if let Some(b) = before {
        let side = |t: &entity::teacher::Model| t.active.then(|| t.path.clone());
        // Boxed so that creating and editing teachers (the demo's deepest path) keeps a shallow future.
        Box::pin(super::year_stats::standings_moved(
            db,
            after.id,
            side(b).as_deref(),
            side(after).as_deref(),
        ))
        .await?;
    }
    Ok(())
}

/// What a rebuild found: how many maintained rows disagreed with the recount (0 when all was well).
#[derive(Debug, Clone, Default)]
pub struct RebuildSummary {
    pub enrolments_corrected: u64,
    pub program_rows: u64,
    pub node_rows: u64,
    pub cycle_rows: u64,
    /// Maintained rows that disagreed with the recount, in all and per kind.
    pub differing_rows: u64,
    pub differing_enrolments: u64,
    pub differing_program_rows: u64,
    pub differing_node_rows: u64,
    pub differing_cycle_rows: u64,
    /// Annual-report rows (`teacher_years`, `node_year_stats`) written and disagreeing.
    pub year_rows: u64,
    pub differing_year_rows: u64,
}

/// The year of a DATE column: engine-specific, so it lives here behind one function.
pub fn year_of(backend: DbBackend, column: &str) -> String {
    if backend == DbBackend::Postgres {
        format!("CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)")
    } else {
        format!("CAST(SUBSTR({column}, 1, 4) AS INTEGER)")
    }
}

async fn exec(db: &impl ConnectionTrait, sql: String) -> AppResult<u64> {
    let backend = db.get_database_backend();
    Ok(db
        .execute_raw(Statement::from_string(backend, sql))
        .await?
        .rows_affected())
}

/// A fingerprint of every maintained row, to tell whether a rebuild changed anything.
async fn snapshot(db: &impl ConnectionTrait) -> AppResult<std::collections::BTreeSet<String>> {
    let backend = db.get_database_backend();
    let mut all = std::collections::BTreeSet::new();
    let hours = HOUR_COLUMNS.join(" || ',' || ");
    for sql in [
        format!(
            "SELECT 'p' || program_id || ':' || node_path || ',' || enrolled || ',' || completed || ',' || {hours} AS f \
             FROM program_node_stats WHERE enrolled <> 0 OR completed <> 0 OR {}",
            HOUR_COLUMNS.map(|c| format!("{c} <> 0")).join(" OR ")
        ),
        "SELECT 'n' || node_path || ',' || teachers AS f FROM node_stats WHERE teachers <> 0".into(),
        "SELECT 'c' || teacher_id || ':' || cycle_start || ',' || half_hours AS f FROM teacher_cycles \
         WHERE half_hours <> 0"
            .into(),
        format!(
            "SELECT 'e' || id || ',' || {hours} AS f FROM enrollments"
        ),
    ]
    .into_iter()
    .chain(super::year_stats::snapshot_queries())
    {
        for row in db
            .query_all_raw(Statement::from_string(backend, sql))
            .await?
        {
            all.insert(row.try_get::<String>("", "f")?);
        }
    }
    Ok(all)
}

/// Recomputes every maintained number from its source: per-enrolment hours from the ledger (approved rows minus
/// voiding rows), program and node counters from enrolments and teachers, cycle totals from the ledger. Run it
/// inside a write transaction; it returns how many rows had to change.
pub async fn rebuild(db: &impl ConnectionTrait, cycle_anchor: i32) -> AppResult<RebuildSummary> {
    let backend = db.get_database_backend();
    let before = snapshot(db).await?;
    // Only constant enum values are spliced into these statements, never input.
    let approved = HourStatus::Approved.as_str();
    let voiding = HourStatus::Voiding.as_str();
    let signed = format!(
        "CASE h.status WHEN '{approved}' THEN h.half_hours WHEN '{voiding}' THEN -h.half_hours ELSE 0 END"
    );
    let completed = TrainingStatus::Completed.as_str();
    let enrolled = ReviewStatus::Approved.as_str();
    let mut summary = RebuildSummary::default();
    // One pass over the ledger per enrolment: all six categories in a single row-value assignment (both engines
    // accept `SET (a, b) = (SELECT …)`).
    let per_category: Vec<String> = HourCategory::ALL
        .iter()
        .map(|c| {
            format!(
                "COALESCE(SUM(CASE WHEN h.category = '{}' THEN {signed} ELSE 0 END), 0)",
                c.as_str()
            )
        })
        .collect();
    summary.enrolments_corrected = exec(
        db,
        format!(
            "UPDATE enrollments SET ({}) = (SELECT {} FROM hour_entries h WHERE h.enrollment_id = enrollments.id)",
            HOUR_COLUMNS.join(", "),
            per_category.join(", ")
        ),
    )
    .await?;
    exec(db, "DELETE FROM program_node_stats".into()).await?;
    exec(db, "DELETE FROM node_stats".into()).await?;
    exec(db, "DELETE FROM teacher_cycles".into()).await?;
    let sums = HOUR_COLUMNS.map(|c| format!("SUM({c})")).join(", ");
    // Region paths are `/` + 6 digits + `/` per level: province 8, city 15, county 22 characters; a school's
    // path is the whole enrolment path.
    for key in [
        "SUBSTR(path, 1, 8)",
        "SUBSTR(path, 1, 15)",
        "SUBSTR(path, 1, 22)",
        "path",
    ] {
        summary.program_rows += exec(
            db,
            format!(
                "INSERT INTO program_node_stats (program_id, node_path, enrolled, completed, {}) \
                 SELECT program_id, {key}, COUNT(*), SUM(CASE WHEN training_status = '{completed}' THEN 1 ELSE 0 END), {sums} \
                 FROM enrollments WHERE review_status = '{enrolled}' GROUP BY program_id, {key}",
                HOUR_COLUMNS.join(", ")
            ),
        )
        .await?;
        summary.node_rows += exec(
            db,
            format!(
                "INSERT INTO node_stats (node_path, teachers) SELECT {key}, COUNT(*) FROM teachers \
                 WHERE active = {} GROUP BY {key}",
                if backend == DbBackend::Postgres {
                    "TRUE"
                } else {
                    "1"
                }
            ),
        )
        .await?;
    }
    let year = year_of(backend, "h.occurred_on");
    let cycle = format!("({year} - (((({year}) - {cycle_anchor}) % 5) + 5) % 5)");
    summary.cycle_rows = exec(
        db,
        format!(
            "INSERT INTO teacher_cycles (teacher_id, cycle_start, half_hours) \
             SELECT h.teacher_id, {cycle}, SUM({signed}) FROM hour_entries h \
             WHERE h.status IN ('{approved}', '{voiding}') GROUP BY h.teacher_id, {cycle}"
        ),
    )
    .await?;
    let (teacher_years, node_years) = super::year_stats::rebuild(db).await?;
    summary.year_rows = teacher_years + node_years;
    let after = snapshot(db).await?;
    // A row that changed appears twice in the symmetric difference (old and new); one that appeared or
    // vanished, once. Count distinct keys per kind.
    let mut keys = std::collections::BTreeSet::new();
    for f in before.symmetric_difference(&after) {
        keys.insert(f.split(',').next().unwrap_or_default().to_string());
    }
    for k in &keys {
        match k.chars().next() {
            Some('e') => summary.differing_enrolments += 1,
            Some('p') => summary.differing_program_rows += 1,
            Some('n') => summary.differing_node_rows += 1,
            Some('t' | 'y') => summary.differing_year_rows += 1,
            _ => summary.differing_cycle_rows += 1,
        }
    }
    summary.differing_rows = keys.len() as u64;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_of_a_school_path() {
        assert_eq!(
            ancestors("/510000/510100/510104/2151990001/"),
            vec![
                "/510000/",
                "/510000/510100/",
                "/510000/510100/510104/",
                "/510000/510100/510104/2151990001/"
            ]
        );
        assert_eq!(ancestors("/510000/"), vec!["/510000/"]);
    }
}
