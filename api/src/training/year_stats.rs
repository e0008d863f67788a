//! The maintained numbers of the annual report across programs (ARCHITECTURE.md "Reports read maintained
//! numbers"), kept in the transaction of every event that changes them:
//! - per teacher and year (`teacher_years`): approved enrolments in that year's programs and approved half-hours
//!   dated in the year; with `teacher_cycles`, the teacher's standing;
//! - per node and year (`node_year_stats`): half-hours per category (and 补录 apart) under the node where they
//!   were earned, like the program counters; and the *teachers* who took part in a program, reached the yearly
//!   minimum or (on the row of the cycle's first year) 360 hours in the cycle. Those three count each active
//!   teacher once, at their current school: a standing moves with the teacher and leaves with deactivation, so
//!   the rates divide like by like (the teachers counted in `node_stats`).
//!
//! A standing changes only when a teacher's total crosses a threshold; the total's row is locked by the upsert
//! that returns it, so concurrent events cannot both see the crossing.
use chrono::Datelike;
use entity::hour_entry::{HourSource, HourStatus};
use entity::{enrollment, hour_entry, teacher, teacher_cycle, teacher_year};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement};

use super::{
    rules::{CYCLE_REQUIRED_HALF_HOURS, HourCategory, cycle_start},
    stats::{self, HOUR_COLUMNS, ancestors, upsert_add, upsert_add_returning},
};
use crate::platform::error::AppResult;

/// 360 hours over five years is 72 a year: the yearly minimum follows from the cycle's rule.
pub const YEARLY_MINIMUM_HALF_HOURS: i64 = CYCLE_REQUIRED_HALF_HOURS / 5;

/// The standings a teacher can hold, as columns of `node_year_stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Participant,
    MetMinimum,
    CycleComplete,
}

impl Standing {
    fn column(self) -> &'static str {
        match self {
            Standing::Participant => "participants",
            Standing::MetMinimum => "met_minimum",
            Standing::CycleComplete => "cycle_complete",
        }
    }
}

/// +1 when `after` reaches `threshold` and `before` did not, −1 the other way round, else 0.
fn crossing(before: i64, after: i64, threshold: i64) -> i64 {
    i64::from(after >= threshold) - i64::from(before >= threshold)
}

/// The school path a teacher's standing counts under: theirs while active, nowhere otherwise.
async fn standing_path(db: &impl ConnectionTrait, teacher_id: i64) -> AppResult<Option<String>> {
    Ok(teacher::Entity::find_by_id(teacher_id)
        .one(db)
        .await?
        .filter(|t| t.active)
        .map(|t| t.path))
}

async fn add_standing(
    db: &impl ConnectionTrait,
    path: &str,
    year: i32,
    standing: Standing,
    delta: i64,
) -> AppResult<()> {
    if delta == 0 {
        return Ok(());
    }
    for node in ancestors(path) {
        upsert_add(
            db,
            "node_year_stats",
            &[("node_path", node.into()), ("year", year.into())],
            &[(standing.column(), delta)],
        )
        .await?;
    }
    Ok(())
}

/// Applies a crossing to the teacher's current school and its regions.
async fn settle_crossing(
    db: &impl ConnectionTrait,
    teacher_id: i64,
    year: i32,
    standing: Standing,
    delta: i64,
) -> AppResult<()> {
    if delta == 0 {
        return Ok(());
    }
    if let Some(path) = standing_path(db, teacher_id).await? {
        add_standing(db, &path, year, standing, delta).await?;
    }
    Ok(())
}

/// An approved hour entry (`delta` > 0) or its voiding (< 0): the node's hours of the entry's year, the teacher's
/// year and cycle totals, and the standings they cross.
pub async fn hours_applied(
    db: &impl ConnectionTrait,
    cycle_anchor: i32,
    e: &hour_entry::Model,
    delta: i64,
) -> AppResult<()> {
    let year = e.occurred_on.year();
    let mut counters = vec![(category_column(e.category), delta)];
    if e.source == HourSource::Supplement {
        counters.push(("hours_supplement", delta));
    }
    for node in ancestors(&e.path) {
        upsert_add(
            db,
            "node_year_stats",
            &[("node_path", node.into()), ("year", year.into())],
            &counters,
        )
        .await?;
    }
    let year_total = upsert_add_returning(
        db,
        "teacher_years",
        &[("teacher_id", e.teacher_id.into()), ("year", year.into())],
        &[("half_hours", delta)],
        "half_hours",
    )
    .await?;
    let met = crossing(year_total - delta, year_total, YEARLY_MINIMUM_HALF_HOURS);
    settle_crossing(db, e.teacher_id, year, Standing::MetMinimum, met).await?;
    let cycle = cycle_start(year, cycle_anchor);
    let cycle_total = upsert_add_returning(
        db,
        "teacher_cycles",
        &[
            ("teacher_id", e.teacher_id.into()),
            ("cycle_start", cycle.into()),
        ],
        &[("half_hours", delta)],
        "half_hours",
    )
    .await?;
    let complete = crossing(cycle_total - delta, cycle_total, CYCLE_REQUIRED_HALF_HOURS);
    settle_crossing(db, e.teacher_id, cycle, Standing::CycleComplete, complete).await
}

fn category_column(category: HourCategory) -> &'static str {
    let i = HourCategory::ALL
        .iter()
        .position(|c| *c == category)
        .unwrap_or_default();
    HOUR_COLUMNS[i]
}

/// An enrolment became approved (`sign` +1) or stopped being so (−1): its program's counters, and the teacher's
/// count of programs that year (taking part is having at least one).
pub async fn enrolment_counted(
    db: &impl ConnectionTrait,
    e: &enrollment::Model,
    sign: i64,
) -> AppResult<()> {
    stats::add_to_program(db, e.program_id, &e.path, stats::enrolment_delta(e, sign)).await?;
    let year = entity::program::Entity::find_by_id(e.program_id)
        .one(db)
        .await?
        .map(|p| p.year)
        .ok_or_else(|| crate::platform::error::AppError::internal("enrolment without program"))?;
    let programs = upsert_add_returning(
        db,
        "teacher_years",
        &[("teacher_id", e.teacher_id.into()), ("year", year.into())],
        &[("programs", sign)],
        "programs",
    )
    .await?;
    let joined = crossing(programs - sign, programs, 1);
    settle_crossing(db, e.teacher_id, year, Standing::Participant, joined).await
}

/// A teacher's standings leave `from` and arrive at `to` (their school path before and after a change; `None`
/// when inactive on that side).
pub async fn standings_moved(
    db: &impl ConnectionTrait,
    teacher_id: i64,
    from: Option<&str>,
    to: Option<&str>,
) -> AppResult<()> {
    if from == to {
        return Ok(());
    }
    let mut held: Vec<(i32, Standing)> = Vec::new();
    for y in teacher_year::Entity::find()
        .filter(teacher_year::Column::TeacherId.eq(teacher_id))
        .all(db)
        .await?
    {
        if y.programs > 0 {
            held.push((y.year, Standing::Participant));
        }
        if y.half_hours >= YEARLY_MINIMUM_HALF_HOURS {
            held.push((y.year, Standing::MetMinimum));
        }
    }
    for c in teacher_cycle::Entity::find()
        .filter(teacher_cycle::Column::TeacherId.eq(teacher_id))
        .filter(teacher_cycle::Column::HalfHours.gte(CYCLE_REQUIRED_HALF_HOURS))
        .all(db)
        .await?
    {
        held.push((c.cycle_start, Standing::CycleComplete));
    }
    for (year, standing) in held {
        if let Some(path) = from {
            add_standing(db, path, year, standing, -1).await?;
        }
        if let Some(path) = to {
            add_standing(db, path, year, standing, 1).await?;
        }
    }
    Ok(())
}

/// Recomputes `teacher_years` and `node_year_stats` from the ledger, the enrolments and the (already rebuilt)
/// cycle totals; returns how many rows it wrote. Run it inside the rebuild's write transaction.
pub async fn rebuild(db: &impl ConnectionTrait) -> AppResult<(u64, u64)> {
    let backend = db.get_database_backend();
    let approved = HourStatus::Approved.as_str();
    let voiding = HourStatus::Voiding.as_str();
    let signed = format!(
        "CASE h.status WHEN '{approved}' THEN h.half_hours WHEN '{voiding}' THEN -h.half_hours ELSE 0 END"
    );
    let year = stats::year_of(backend, "h.occurred_on");
    let enrolled = entity::enrollment::ReviewStatus::Approved.as_str();
    let truth = if backend == DbBackend::Postgres {
        "TRUE"
    } else {
        "1"
    };
    exec(db, "DELETE FROM teacher_years".into()).await?;
    exec(db, "DELETE FROM node_year_stats".into()).await?;
    let teacher_rows = exec(
        db,
        format!(
            "INSERT INTO teacher_years (teacher_id, year, programs, half_hours) \
             SELECT teacher_id, y, SUM(p), SUM(hh) FROM ( \
               SELECT h.teacher_id, {year} AS y, 0 AS p, {signed} AS hh FROM hour_entries h \
               WHERE h.status IN ('{approved}', '{voiding}') \
               UNION ALL \
               SELECT e.teacher_id, pr.year AS y, 1 AS p, 0 AS hh FROM enrollments e \
               JOIN programs pr ON pr.id = e.program_id WHERE e.review_status = '{enrolled}' \
             ) x GROUP BY teacher_id, y"
        ),
    )
    .await?;
    let supplement = HourSource::Supplement.as_str();
    let per_category: Vec<String> = HourCategory::ALL
        .iter()
        .map(|c| {
            format!(
                "CASE WHEN h.category = '{}' THEN {signed} ELSE 0 END",
                c.as_str()
            )
        })
        .collect();
    let zeros = vec!["0"; HOUR_COLUMNS.len()].join(", ");
    let sums = HOUR_COLUMNS.map(|c| format!("SUM({c})")).join(", ");
    let mut node_rows = 0;
    // Region paths are `/` + 6 digits + `/` per level: province 8, city 15, county 22 characters; a school's
    // node is the whole path.
    for level in [Some(8), Some(15), Some(22), None] {
        let key = |column: &str| match level {
            Some(n) => format!("SUBSTR({column}, 1, {n})"),
            None => column.to_string(),
        };
        node_rows += exec(
            db,
            format!(
                "INSERT INTO node_year_stats (node_path, year, participants, met_minimum, cycle_complete, \
                 hours_supplement, {columns}) \
                 SELECT node, y, SUM(pa), SUM(mm), SUM(cc), SUM(hours_supplement), {sums} FROM ( \
                   SELECT {hp} AS node, {year} AS y, 0 AS pa, 0 AS mm, 0 AS cc, \
                   CASE WHEN h.source = '{supplement}' THEN {signed} ELSE 0 END AS hours_supplement, {cats} \
                   FROM hour_entries h WHERE h.status IN ('{approved}', '{voiding}') \
                   UNION ALL \
                   SELECT {tp}, ty.year, CASE WHEN ty.programs > 0 THEN 1 ELSE 0 END, \
                   CASE WHEN ty.half_hours >= {minimum} THEN 1 ELSE 0 END, 0, 0, {zeros} \
                   FROM teacher_years ty JOIN teachers t ON t.id = ty.teacher_id WHERE t.active = {truth} \
                   UNION ALL \
                   SELECT {tp}, c.cycle_start, 0, 0, 1, 0, {zeros} \
                   FROM teacher_cycles c JOIN teachers t ON t.id = c.teacher_id \
                   WHERE t.active = {truth} AND c.half_hours >= {cycle} \
                 ) x GROUP BY node, y",
                columns = HOUR_COLUMNS.join(", "),
                hp = key("h.path"),
                tp = key("t.path"),
                cats = per_category
                    .iter()
                    .zip(HOUR_COLUMNS)
                    .map(|(expr, c)| format!("{expr} AS {c}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                minimum = YEARLY_MINIMUM_HALF_HOURS,
                cycle = CYCLE_REQUIRED_HALF_HOURS,
            ),
        )
        .await?;
    }
    Ok((teacher_rows, node_rows))
}

async fn exec(db: &impl ConnectionTrait, sql: String) -> AppResult<u64> {
    let backend = db.get_database_backend();
    Ok(db
        .execute_raw(Statement::from_string(backend, sql))
        .await?
        .rows_affected())
}

/// Fingerprints of the maintained rows, for the rebuild's count of rows that disagreed.
pub fn snapshot_queries() -> [String; 2] {
    let hours = HOUR_COLUMNS.join(" || ',' || ");
    [
        "SELECT 't' || teacher_id || ':' || year || ',' || programs || ',' || half_hours AS f FROM teacher_years \
         WHERE programs <> 0 OR half_hours <> 0"
            .into(),
        format!(
            "SELECT 'y' || node_path || ':' || year || ',' || participants || ',' || met_minimum || ',' || \
             cycle_complete || ',' || hours_supplement || ',' || {hours} AS f FROM node_year_stats \
             WHERE participants <> 0 OR met_minimum <> 0 OR cycle_complete <> 0 OR hours_supplement <> 0 OR {}",
            HOUR_COLUMNS.map(|c| format!("{c} <> 0")).join(" OR ")
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossings_count_once_each_way() {
        assert_eq!(crossing(140, 150, YEARLY_MINIMUM_HALF_HOURS), 1);
        assert_eq!(crossing(150, 140, YEARLY_MINIMUM_HALF_HOURS), -1);
        assert_eq!(crossing(150, 160, YEARLY_MINIMUM_HALF_HOURS), 0);
        assert_eq!(crossing(0, 1, 1), 1);
        assert_eq!(crossing(1, 0, 1), -1);
        assert_eq!(YEARLY_MINIMUM_HALF_HOURS, 144);
    }
}
