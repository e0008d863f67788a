//! Moving a school to another county moves everything that sits under it in the tree.
//!
//! Scope is a path prefix, so every row that carries the school's path (its teachers, their enrolments, hours,
//! lessons, files, roles bound to the school…) must carry the new path, or it would stay visible to the old
//! county and vanish for the new one. [`PATH_COLUMNS`] lists every path column of every table and how a move
//! treats it; a unit test reads the entity sources and fails when a table with a path column is missing, so a
//! new table cannot be forgotten here.
use entity::{competency_node_stat, node_stat, node_year_stat, program_node_stat};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};

use crate::{
    platform::{
        db::{placeholders, under_path},
        error::AppResult,
    },
    training::stats::{HOUR_COLUMNS, ancestors, upsert_add},
};

/// How a move treats one path column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnMove {
    /// Rows at or below the school's old path get the new path.
    Repath,
    /// A maintained counter: the school's own row is re-pathed, and its numbers leave the old county's ancestors
    /// and arrive at the new ones, so reports agree with a rebuild.
    Counter,
    /// Left as it is, for the reason given.
    Kept(&'static str),
}

/// Every (table, path column) of the schema and what a school move does to it.
pub const PATH_COLUMNS: &[(&str, &str, OnMove)] = &[
    ("schools", "path", OnMove::Repath),
    ("teachers", "path", OnMove::Repath),
    ("account_roles", "scope_path", OnMove::Repath),
    // A school's own announcements follow it, so its teachers keep seeing them.
    ("announcements", "path", OnMove::Repath),
    ("assignments", "path", OnMove::Repath),
    ("competency_plans", "path", OnMove::Repath),
    ("competency_spot_checks", "path", OnMove::Repath),
    ("competency_submissions", "path", OnMove::Repath),
    ("enrollments", "path", OnMove::Repath),
    ("files", "path", OnMove::Repath),
    ("hour_entries", "path", OnMove::Repath),
    ("lessons", "path", OnMove::Repath),
    ("lesson_awards", "path", OnMove::Repath),
    ("lesson_reviewers", "path", OnMove::Repath),
    ("lesson_rounds", "path", OnMove::Repath),
    ("lesson_round_entries", "path", OnMove::Repath),
    ("lesson_rubrics", "path", OnMove::Repath),
    ("lesson_teacher_verifications", "path", OnMove::Repath),
    ("programs", "owner_path", OnMove::Repath),
    ("program_quotas", "node_path", OnMove::Repath),
    ("questions", "owner_path", OnMove::Repath),
    ("quizzes", "path", OnMove::Repath),
    ("quiz_attempts", "path", OnMove::Repath),
    ("result_batches", "node_path", OnMove::Repath),
    ("training_classes", "path", OnMove::Repath),
    ("uploads", "path", OnMove::Repath),
    ("node_stats", "node_path", OnMove::Counter),
    ("program_node_stats", "node_path", OnMove::Counter),
    ("competency_node_stats", "node_path", OnMove::Counter),
    ("node_year_stats", "node_path", OnMove::Counter),
    (
        "audit_log",
        "target_path",
        OnMove::Kept(
            "append-only and hash-chained: an entry records where its target was when it happened",
        ),
    ),
    (
        "regions",
        "path",
        OnMove::Kept("regions sit above schools; the county a school moves to already exists"),
    ),
];

/// Re-paths every row of the school at `old` to `new` in the caller's transaction, counters included.
pub async fn repath_school(db: &impl ConnectionTrait, old: &str, new: &str) -> AppResult<()> {
    if old == new {
        return Ok(());
    }
    move_counters(db, old, new).await?;
    let backend = db.get_database_backend();
    let start = i32::try_from(old.len() + 1).unwrap_or(i32::MAX);
    for (table, column, on_move) in PATH_COLUMNS {
        if matches!(on_move, OnMove::Kept(_)) {
            continue;
        }
        let marks = placeholders(backend, 4);
        let (condition, condition_values) = under_path(column, old, &marks[2..]);
        let mut values: Vec<sea_orm::Value> = vec![new.into(), start.into()];
        values.extend(condition_values);
        let sql = format!(
            "UPDATE {table} SET {column} = {} || SUBSTR({column}, {}) WHERE {condition}",
            marks[0], marks[1]
        );
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

/// The ancestors of a school path without the school itself: the regions whose counters include it.
fn regions_above(path: &str) -> Vec<&str> {
    let mut nodes = ancestors(path);
    nodes.pop();
    nodes
}

/// Each counter row at the school node holds the school's whole contribution (every event adds its delta to the
/// school and each ancestor), so moving that contribution from the old regions to the new is exact.
async fn move_counters(db: &impl ConnectionTrait, old: &str, new: &str) -> AppResult<()> {
    let (leaving, arriving) = (regions_above(old), regions_above(new));
    for row in node_stat::Entity::find()
        .filter(node_stat::Column::NodePath.eq(old))
        .all(db)
        .await?
    {
        for (nodes, sign) in [(&leaving, -1), (&arriving, 1)] {
            for node in nodes {
                upsert_add(
                    db,
                    "node_stats",
                    &[("node_path", (*node).into())],
                    &[("teachers", sign * row.teachers)],
                )
                .await?;
            }
        }
    }
    for row in program_node_stat::Entity::find()
        .filter(program_node_stat::Column::NodePath.eq(old))
        .all(db)
        .await?
    {
        let hours = [
            row.hours_centralized,
            row.hours_online,
            row.hours_ict,
            row.hours_regional,
            row.hours_school_based,
            row.hours_practice,
        ];
        for (nodes, sign) in [(&leaving, -1), (&arriving, 1)] {
            let mut counters = vec![
                ("enrolled", sign * row.enrolled),
                ("completed", sign * row.completed),
            ];
            counters.extend(HOUR_COLUMNS.iter().copied().zip(hours.map(|h| sign * h)));
            for node in nodes {
                upsert_add(
                    db,
                    "program_node_stats",
                    &[
                        ("program_id", row.program_id.into()),
                        ("node_path", (*node).into()),
                    ],
                    &counters,
                )
                .await?;
            }
        }
    }
    for row in competency_node_stat::Entity::find()
        .filter(competency_node_stat::Column::NodePath.eq(old))
        .all(db)
        .await?
    {
        for (nodes, sign) in [(&leaving, -1), (&arriving, 1)] {
            for node in nodes {
                upsert_add(
                    db,
                    "competency_node_stats",
                    &[
                        ("node_path", (*node).into()),
                        ("year", row.year.into()),
                        ("code", row.code.clone().into()),
                    ],
                    &[
                        ("submitted", sign * row.submitted),
                        ("passed", sign * row.passed),
                        ("excellent", sign * row.excellent),
                    ],
                )
                .await?;
            }
        }
    }
    for row in node_year_stat::Entity::find()
        .filter(node_year_stat::Column::NodePath.eq(old))
        .all(db)
        .await?
    {
        let numbers = [
            ("participants", row.participants),
            ("met_minimum", row.met_minimum),
            ("cycle_complete", row.cycle_complete),
            ("hours_supplement", row.hours_supplement),
            ("hours_centralized", row.hours_centralized),
            ("hours_online", row.hours_online),
            ("hours_ict", row.hours_ict),
            ("hours_regional", row.hours_regional),
            ("hours_school_based", row.hours_school_based),
            ("hours_practice", row.hours_practice),
        ];
        for (nodes, sign) in [(&leaving, -1), (&arriving, 1)] {
            let counters: Vec<(&str, i64)> = numbers.iter().map(|(c, n)| (*c, sign * n)).collect();
            for node in nodes {
                upsert_add(
                    db,
                    "node_year_stats",
                    &[("node_path", (*node).into()), ("year", row.year.into())],
                    &counters,
                )
                .await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `table_name` in entity/src whose model has a field named `path` or ending in `_path`.
    fn path_columns_of_the_schema() -> Vec<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../entity/src");
        let mut found = Vec::new();
        for file in std::fs::read_dir(dir).expect("entity sources") {
            let text = std::fs::read_to_string(file.expect("entry").path()).expect("readable");
            let Some(table) = text
                .split("table_name = \"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
            else {
                continue;
            };
            for line in text.lines() {
                let Some(field) = line.trim().strip_prefix("pub ") else {
                    continue;
                };
                let Some((name, _)) = field.split_once(':') else {
                    continue;
                };
                if name == "path" || name.ends_with("_path") {
                    found.push((table.to_string(), name.to_string()));
                }
            }
        }
        found.sort();
        found
    }

    #[test]
    fn every_path_column_of_the_schema_is_listed() {
        let schema = path_columns_of_the_schema();
        assert!(schema.len() >= 29, "entity sources not found: {schema:?}");
        let mut listed: Vec<(String, String)> = PATH_COLUMNS
            .iter()
            .map(|(t, c, _)| (t.to_string(), c.to_string()))
            .collect();
        listed.sort();
        assert_eq!(
            listed, schema,
            "a school move must say what happens to every path column"
        );
    }

    #[test]
    fn counters_move_between_the_regions_above_the_school() {
        assert_eq!(
            regions_above("/510000/510100/510104/2151000001/"),
            vec!["/510000/", "/510000/510100/", "/510000/510100/510104/"]
        );
    }
}
