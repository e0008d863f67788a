//! An administrator's figures for one year: the area's cards and one row per child node for the chart.
//!
//! Everything comes from maintained numbers updated in the event's own transaction (`training::stats`,
//! `competency::stats`): per node a handful of rows by exact path, whatever the size of the province. Lesson
//! counts are one indexed range count on the lessons' path.
use std::collections::HashMap;

use entity::lesson::LessonStatus;
use entity::{competency_node_stat, node_stat};
use poem_openapi::Object;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement, Value};

use crate::{
    AppState,
    access::{NodeLevel, NodeRef, Permission},
    auth::Principal,
    directory::service::{node_in_area, node_name},
    platform::{
        db::{placeholders, under_path},
        error::AppResult,
    },
    training::{report::child_nodes, stats::HOUR_COLUMNS},
};

/// The figures of one node (the area itself, or one of its children) for the year.
#[derive(Debug, Clone, Default, PartialEq, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct NodeFigures {
    /// Region code or school code.
    pub code: String,
    pub name: String,
    /// Active teachers under the node.
    pub teachers: i64,
    /// Approved enrolments in the year's programs (参训人次: a teacher in two programs counts twice).
    pub enrolments: i64,
    /// enrolments ÷ teachers (参训率, per enrolment).
    pub participation_rate: f64,
    /// Enrolments completed (结业).
    pub completed: i64,
    /// completed ÷ enrolments (完成率).
    pub completion_rate: f64,
    /// Approved hours per enrolment, all categories together.
    pub average_hours: f64,
    /// 能力点: teachers with a submission in the year.
    pub competency_submitted: i64,
    /// 能力点: teachers who meet their school's plan.
    pub competency_passed: i64,
    /// competency_passed ÷ competency_submitted.
    pub competency_pass_rate: f64,
}

/// The area's cards and its children, for one year.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AreaFigures {
    pub year: i32,
    pub level: NodeLevel,
    pub total: NodeFigures,
    /// 一师一优课 lessons of the year's activity submitted to the school (晒课) under the area.
    pub lessons_submitted: i64,
    /// Distinct lessons of the year's activity holding an award at any level under the area.
    pub lessons_awarded: i64,
    /// One row per child region, or per school of a county; empty for a school.
    pub children: Vec<NodeFigures>,
}

/// The maintained sums of one node, before the ratios.
#[derive(Debug, Clone, Default)]
struct Counters {
    teachers: i64,
    enrolments: i64,
    completed: i64,
    half_hours: i64,
    competency_submitted: i64,
    competency_passed: i64,
}

fn ratio(a: i64, b: i64) -> f64 {
    if b == 0 {
        0.0
    } else {
        (a as f64 / b as f64 * 10_000.0).round() / 10_000.0
    }
}

impl Counters {
    fn figures(&self, code: String, name: String) -> NodeFigures {
        NodeFigures {
            code,
            name,
            teachers: self.teachers,
            enrolments: self.enrolments,
            participation_rate: ratio(self.enrolments, self.teachers),
            completed: self.completed,
            completion_rate: ratio(self.completed, self.enrolments),
            average_hours: if self.enrolments == 0 {
                0.0
            } else {
                (self.half_hours as f64 / 2.0 / self.enrolments as f64 * 100.0).round() / 100.0
            },
            competency_submitted: self.competency_submitted,
            competency_passed: self.competency_passed,
            competency_pass_rate: ratio(self.competency_passed, self.competency_submitted),
        }
    }
}

/// Paths per statement, well under either engine's bind limit.
const CHUNK: usize = 500;

/// The maintained counters of `paths` for `year`: program sums over the year's programs, active teachers and
/// the 能力点 totals (code `''`), each by exact node path.
async fn counters(
    db: &impl ConnectionTrait,
    year: i32,
    paths: &[String],
) -> AppResult<HashMap<String, Counters>> {
    let backend = db.get_database_backend();
    let mut out: HashMap<String, Counters> = HashMap::new();
    for chunk in paths.chunks(CHUNK) {
        let marks = placeholders(backend, chunk.len() + 1);
        // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back so both engines answer an integer.
        let sql = format!(
            "SELECT s.node_path, CAST(SUM(s.enrolled) AS BIGINT) AS enrolled, \
             CAST(SUM(s.completed) AS BIGINT) AS completed, CAST(SUM({}) AS BIGINT) AS half_hours \
             FROM program_node_stats s JOIN programs p ON p.id = s.program_id \
             WHERE p.year = {} AND s.node_path IN ({}) GROUP BY s.node_path",
            HOUR_COLUMNS.map(|c| format!("s.{c}")).join(" + "),
            marks[0],
            marks[1..].join(", ")
        );
        let mut values: Vec<Value> = vec![year.into()];
        values.extend(chunk.iter().map(|p| Value::from(p.clone())));
        for row in db
            .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?
        {
            let c = out.entry(row.try_get("", "node_path")?).or_default();
            c.enrolments = row.try_get("", "enrolled")?;
            c.completed = row.try_get("", "completed")?;
            c.half_hours = row.try_get("", "half_hours")?;
        }
        for n in node_stat::Entity::find()
            .filter(node_stat::Column::NodePath.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            out.entry(n.node_path).or_default().teachers = n.teachers;
        }
        for s in competency_node_stat::Entity::find()
            .filter(competency_node_stat::Column::NodePath.is_in(chunk.iter().cloned()))
            .filter(competency_node_stat::Column::Year.eq(year))
            .filter(competency_node_stat::Column::Code.eq(""))
            .all(db)
            .await?
        {
            let c = out.entry(s.node_path).or_default();
            c.competency_submitted = s.submitted;
            c.competency_passed = s.passed;
        }
    }
    Ok(out)
}

/// Counts the rows of `select` (a query over activities `a` ending in its WHERE conditions) of the year's
/// activity whose `path_column` lies under `path`: a range on the indexed path.
async fn count_under(
    db: &impl ConnectionTrait,
    select: &str,
    path_column: &str,
    year: i32,
    path: &str,
) -> AppResult<i64> {
    let backend = db.get_database_backend();
    let marks = placeholders(backend, 3);
    let (under, path_values) = under_path(path_column, path, &marks[1..]);
    let sql = format!("{select} AND a.year = {} AND {under}", marks[0]);
    let mut values: Vec<Value> = vec![year.into()];
    values.extend(path_values);
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(match row {
        Some(r) => r.try_get_by_index::<i64>(0)?,
        None => 0,
    })
}

/// The figures of the caller's area (or of `node` inside it, to drill down) for `year`. 404 outside the area,
/// 403 for whoever manages no programs anywhere.
pub async fn area(
    state: &AppState,
    principal: &Principal,
    node: Option<String>,
    year: i32,
) -> AppResult<AreaFigures> {
    let NodeRef { code, level, path } =
        node_in_area(state, principal, node, Permission::ProgramManage).await?;
    let name = node_name(state, &code).await?;
    let children = if level == NodeLevel::School {
        Vec::new()
    } else {
        child_nodes(state, level, &code).await?
    };
    let db = state.reads();
    let mut paths: Vec<String> = children.iter().map(|(_, _, p)| p.clone()).collect();
    paths.push(path.clone());
    let mut numbers = counters(db, year, &paths).await?;
    let total = numbers
        .remove(&path)
        .unwrap_or_default()
        .figures(code, name);
    let submitted = format!(
        "SELECT COUNT(*) FROM lessons l JOIN lesson_activities a ON a.id = l.activity_id \
         WHERE l.status IN ('{}', '{}')",
        LessonStatus::Submitted.as_str(),
        LessonStatus::Checked.as_str()
    );
    let awarded = "SELECT COUNT(DISTINCT w.lesson_id) FROM lesson_awards w \
                   JOIN lesson_activities a ON a.id = w.activity_id WHERE 1 = 1";
    Ok(AreaFigures {
        year,
        level,
        total,
        lessons_submitted: count_under(db, &submitted, "l.path", year, &path).await?,
        lessons_awarded: count_under(db, awarded, "w.path", year, &path).await?,
        children: children
            .into_iter()
            .map(|(code, name, child)| {
                numbers
                    .remove(&child)
                    .unwrap_or_default()
                    .figures(code, name)
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_and_average_hours() {
        let c = Counters {
            teachers: 4,
            enrolments: 3,
            completed: 1,
            half_hours: 33,
            competency_submitted: 2,
            competency_passed: 1,
        };
        let f = c.figures("510104".into(), "锦江区".into());
        assert_eq!(f.participation_rate, 0.75);
        assert_eq!(f.completion_rate, 0.3333);
        assert_eq!(f.average_hours, 5.5);
        assert_eq!(f.competency_pass_rate, 0.5);
        let empty = Counters::default().figures(String::new(), String::new());
        assert_eq!((empty.completion_rate, empty.average_hours), (0.0, 0.0));
    }
}
