//! The completion report of a program, drilling down province → city → county → school → teacher. Each row reads
//! the per-enrolment progress that the hours ledger maintains (no ledger scan): one grouped query over the
//! program's enrolments below the node, one over its teachers, grouped by the child node's path prefix.
use std::collections::HashMap;

use entity::{enrollment, program, school, teacher};
use poem_openapi::Object;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, Statement, Value,
};

use super::{programs::find_visible, rules::HourCategory};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    directory::{export::Sink, import::FileFormat, service::resolve_node},
    platform::error::{AppError, AppResult},
};

#[derive(Debug, Clone, Object, Default)]
pub struct ReportRow {
    /// Region code, school code, or the teacher's id on a school's report.
    pub node_code: String,
    pub node_name: String,
    /// Active teachers under the node.
    pub teachers: i64,
    /// Approved enrolments (参训人数).
    pub enrolled: i64,
    /// enrolled ÷ teachers (参训率).
    pub participation_rate: f64,
    pub completed: i64,
    /// completed ÷ enrolled (完成率).
    pub completion_rate: f64,
    /// Average approved hours per enrolled teacher, per category.
    pub average_hours: Vec<CategoryAverage>,
}

#[derive(Debug, Clone, Object)]
pub struct CategoryAverage {
    pub category: HourCategory,
    pub hours: f64,
}

#[derive(Debug, Clone, Object)]
pub struct CompletionReport {
    pub program_id: i64,
    pub program_name: String,
    pub node_code: String,
    pub node_name: String,
    /// Whether the rows are teachers (a school's report) rather than nodes.
    pub teacher_rows: bool,
    pub total: ReportRow,
    pub rows: Vec<ReportRow>,
}

/// Sums for one node, in half-hours per category.
#[derive(Debug, Clone, Default)]
struct Tally {
    teachers: i64,
    enrolled: i64,
    completed: i64,
    half_hours: [i64; 6],
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.teachers += other.teachers;
        self.enrolled += other.enrolled;
        self.completed += other.completed;
        for (a, b) in self.half_hours.iter_mut().zip(other.half_hours) {
            *a += b;
        }
    }

    fn row(&self, code: String, name: String) -> ReportRow {
        let ratio = |a: i64, b: i64| {
            if b == 0 {
                0.0
            } else {
                (a as f64 / b as f64 * 10_000.0).round() / 10_000.0
            }
        };
        ReportRow {
            node_code: code,
            node_name: name,
            teachers: self.teachers,
            enrolled: self.enrolled,
            participation_rate: ratio(self.enrolled, self.teachers),
            completed: self.completed,
            completion_rate: ratio(self.completed, self.enrolled),
            average_hours: HourCategory::ALL
                .iter()
                .zip(self.half_hours)
                .map(|(c, h)| CategoryAverage {
                    category: *c,
                    hours: if self.enrolled == 0 {
                        0.0
                    } else {
                        (h as f64 / 2.0 / self.enrolled as f64 * 100.0).round() / 100.0
                    },
                })
                .collect(),
        }
    }
}

fn placeholders(backend: DbBackend, n: usize) -> Vec<String> {
    (1..=n)
        .map(|i| {
            if backend == DbBackend::Postgres {
                format!("${i}")
            } else {
                "?".into()
            }
        })
        .collect()
}

/// Per child prefix: enrolment counts and hour sums (one grouped query; both engines know SUBSTR).
async fn enrolment_tallies(
    db: &impl ConnectionTrait,
    program_id: i64,
    path: &str,
    key_len: usize,
) -> AppResult<HashMap<String, Tally>> {
    let backend = db.get_database_backend();
    let p = placeholders(backend, 3);
    let sql = format!(
        "SELECT SUBSTR(path, 1, {key_len}) AS k, COUNT(*) AS enrolled, \
         SUM(CASE WHEN training_status = 'completed' THEN 1 ELSE 0 END) AS completed, \
         SUM(hours_centralized) AS h0, SUM(hours_online) AS h1, SUM(hours_ict) AS h2, \
         SUM(hours_regional) AS h3, SUM(hours_school_based) AS h4, SUM(hours_practice) AS h5 \
         FROM enrollments WHERE program_id = {} AND review_status = {} AND path LIKE {} GROUP BY SUBSTR(path, 1, {key_len})",
        p[0], p[1], p[2]
    );
    let values: Vec<Value> = vec![
        program_id.into(),
        "approved".into(),
        format!("{path}%").into(),
    ];
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    let mut out = HashMap::new();
    for r in rows {
        let get = |c: &str| -> AppResult<i64> { Ok(r.try_get::<Option<i64>>("", c)?.unwrap_or(0)) };
        let mut t = Tally {
            enrolled: get("enrolled")?,
            completed: get("completed")?,
            ..Default::default()
        };
        for (i, h) in t.half_hours.iter_mut().enumerate() {
            *h = get(&format!("h{i}"))?;
        }
        out.insert(r.try_get::<String>("", "k")?, t);
    }
    Ok(out)
}

async fn teacher_counts(
    db: &impl ConnectionTrait,
    path: &str,
    key_len: usize,
) -> AppResult<HashMap<String, i64>> {
    let backend = db.get_database_backend();
    let p = placeholders(backend, 2);
    let sql = format!(
        "SELECT SUBSTR(path, 1, {key_len}) AS k, COUNT(*) AS n FROM teachers \
         WHERE active = {} AND path LIKE {} GROUP BY SUBSTR(path, 1, {key_len})",
        p[0], p[1]
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            vec![true.into(), format!("{path}%").into()],
        ))
        .await?;
    let mut out = HashMap::new();
    for r in rows {
        out.insert(r.try_get::<String>("", "k")?, r.try_get::<i64>("", "n")?);
    }
    Ok(out)
}

/// The node the report is about: the one asked for, or the caller's own; it must lie in their area.
async fn report_node(
    state: &AppState,
    principal: &Principal,
    node: Option<String>,
) -> AppResult<(String, String, String)> {
    principal.require_somewhere(Permission::ProgramManage)?;
    let code = match node {
        Some(c) => c,
        None => principal
            .grants
            .iter()
            .find(|g| g.role.has(Permission::ProgramManage))
            .map(|g| g.scope_code.clone())
            .ok_or(AppError::Forbidden)?,
    };
    let (_, level, path) = resolve_node(state, code.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    if !principal.can(Permission::ProgramManage, &path) {
        return Err(AppError::NotFound);
    }
    Ok((code.trim().to_string(), level, path))
}

pub async fn report(
    state: &AppState,
    principal: &Principal,
    program_id: i64,
    node: Option<String>,
) -> AppResult<CompletionReport> {
    let p = find_visible(state, principal, program_id).await?;
    let (code, level, path) = report_node(state, principal, node).await?;
    let node_name = crate::directory::service::node_name(state, &code).await?;
    let (rows, teacher_rows) = if level == "school" {
        (teacher_rows(state, &p, &path).await?, true)
    } else {
        (node_rows(state, &p, &level, &code, &path).await?, false)
    };
    let mut total = Tally::default();
    for (_, _, t) in &rows {
        total.add(t);
    }
    Ok(CompletionReport {
        program_id: p.id,
        program_name: p.name,
        total: total.row(code.clone(), node_name.clone()),
        node_code: code,
        node_name,
        teacher_rows,
        rows: rows.into_iter().map(|(c, n, t)| t.row(c, n)).collect(),
    })
}

/// One row per child region (or per school of a county), including those with nobody enrolled.
async fn node_rows(
    state: &AppState,
    p: &program::Model,
    level: &str,
    code: &str,
    path: &str,
) -> AppResult<Vec<(String, String, Tally)>> {
    let children: Vec<(String, String, String)> = if level == "county" {
        school::Entity::find()
            .filter(school::Column::CountyCode.eq(code))
            .filter(school::Column::Active.eq(true))
            .order_by_asc(school::Column::Code)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|s| (s.code, s.name, s.path))
            .collect()
    } else {
        state
            .regions
            .all()
            .filter(|r| r.parent_code.as_deref() == Some(code))
            .map(|r| (r.code.clone(), r.name.clone(), r.path.clone()))
            .collect()
    };
    // Every child path under one node has the same length: `/code/` of 6 (region) or 10 (school) digits.
    let key_len = path.len() + if level == "county" { 11 } else { 7 };
    let enrolments = enrolment_tallies(&state.db, p.id, path, key_len).await?;
    let teachers = teacher_counts(&state.db, path, key_len).await?;
    Ok(children
        .into_iter()
        .map(|(c, name, child_path)| {
            let mut t = enrolments.get(&child_path).cloned().unwrap_or_default();
            t.teachers = teachers.get(&child_path).copied().unwrap_or(0);
            (c, name, t)
        })
        .collect())
}

/// A school's report: each active teacher with their enrolment's progress (if enrolled and approved).
async fn teacher_rows(
    state: &AppState,
    p: &program::Model,
    path: &str,
) -> AppResult<Vec<(String, String, Tally)>> {
    let teachers = teacher::Entity::find()
        .filter(teacher::Column::Path.eq(path))
        .filter(teacher::Column::Active.eq(true))
        .order_by_asc(teacher::Column::Name)
        .all(&state.db)
        .await?;
    let enrolments: HashMap<i64, enrollment::Model> = enrollment::Entity::find()
        .filter(enrollment::Column::ProgramId.eq(p.id))
        .filter(enrollment::Column::Path.eq(path))
        .filter(enrollment::Column::ReviewStatus.eq("approved"))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|e| (e.teacher_id, e))
        .collect();
    Ok(teachers
        .into_iter()
        .map(|t| {
            let mut tally = Tally {
                teachers: 1,
                ..Default::default()
            };
            if let Some(e) = enrolments.get(&t.id) {
                tally.enrolled = 1;
                tally.completed = i64::from(e.training_status == "completed");
                let totals = super::hours::totals_of(e);
                for (slot, c) in tally.half_hours.iter_mut().zip(HourCategory::ALL) {
                    *slot = totals.get(&c).copied().unwrap_or(0);
                }
            }
            (t.id.to_string(), t.name, tally)
        })
        .collect())
}

/// The report as a spreadsheet: one line per row, then the total.
pub fn to_file(report: &CompletionReport, format: FileFormat) -> AppResult<Vec<u8>> {
    let mut headers: Vec<(&str, f64)> = vec![
        ("代码 Code", 14.0),
        ("名称 Name", 24.0),
        ("教师数 Teachers", 10.0),
        ("参训人数 Enrolled", 10.0),
        ("参训率 Participation", 12.0),
        ("结业人数 Completed", 10.0),
        ("完成率 Completion", 12.0),
    ];
    let labels: Vec<String> = HourCategory::ALL
        .iter()
        .map(|c| format!("平均{}学时 Avg {}", c.label_zh(), c.as_str()))
        .collect();
    headers.extend(labels.iter().map(|l| (l.as_str(), 14.0)));
    let mut sink = Sink::new(format, "完成情况", &headers)?;
    for row in report.rows.iter().chain(std::iter::once(&report.total)) {
        let mut cells = vec![
            row.node_code.clone(),
            row.node_name.clone(),
            row.teachers.to_string(),
            row.enrolled.to_string(),
            format!("{:.2}%", row.participation_rate * 100.0),
            row.completed.to_string(),
            format!("{:.2}%", row.completion_rate * 100.0),
        ];
        cells.extend(row.average_hours.iter().map(|a| format!("{:.2}", a.hours)));
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        sink.row(&refs)?;
    }
    sink.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_averages() {
        let t = Tally {
            teachers: 4,
            enrolled: 3,
            completed: 1,
            half_hours: [0, 30, 0, 0, 0, 3],
        };
        let row = t.row("510104".into(), "锦江区".into());
        assert_eq!(row.participation_rate, 0.75);
        assert_eq!(row.completion_rate, 0.3333);
        assert_eq!(row.average_hours[1].hours, 5.0);
        assert_eq!(row.average_hours[5].hours, 0.5);
        assert_eq!(
            Tally::default()
                .row(String::new(), String::new())
                .completion_rate,
            0.0
        );
    }
}
