//! The completion report of a program, drilling down province → city → county → school → teacher. Region and
//! county rows read the maintained counters (`stats`): a handful of rows by exact path, never a scan of the
//! enrolments or the ledger. A school's rows are its teachers with their enrolment's maintained progress.
use std::collections::HashMap;

use entity::enrollment::{ReviewStatus, TrainingStatus};
use entity::{enrollment, node_stat, program, program_node_stat, school, teacher};
use futures_util::StreamExt;
use poem_openapi::Object;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Statement, StreamTrait,
};

use super::{
    programs::find_visible,
    rules::{HourCategory, HourCategoryText},
};
use crate::{
    AppState,
    access::{NodeLevel, NodeRef, Permission},
    auth::Principal,
    directory::service::node_in_area,
    platform::{
        error::AppResult,
        i18n::{
            catalogue::{
                tabular::{FlagNo, FlagYes},
                training as tm,
            },
            t,
        },
        tabular::{Cell, FileFormat, PipedSink, Sink, headers_in_current_language},
    },
};

#[derive(Debug, Clone, Object, Default)]
#[oai(skip_serializing_if_is_none)]
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
#[oai(skip_serializing_if_is_none)]
pub struct CategoryAverage {
    pub category: HourCategory,
    pub hours: f64,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
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

/// The maintained numbers of the given nodes (children of the report's node, and the node itself): two indexed
/// reads by exact path, whatever the size of the province.
async fn tallies(
    db: &impl ConnectionTrait,
    program_id: i64,
    paths: &[String],
) -> AppResult<HashMap<String, Tally>> {
    let mut out: HashMap<String, Tally> = HashMap::new();
    for chunk in paths.chunks(500) {
        for s in program_node_stat::Entity::find()
            .filter(program_node_stat::Column::ProgramId.eq(program_id))
            .filter(program_node_stat::Column::NodePath.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            let t = out.entry(s.node_path.clone()).or_default();
            t.enrolled = s.enrolled;
            t.completed = s.completed;
            t.half_hours = [
                s.hours_centralized,
                s.hours_online,
                s.hours_ict,
                s.hours_regional,
                s.hours_school_based,
                s.hours_practice,
            ];
        }
        for n in node_stat::Entity::find()
            .filter(node_stat::Column::NodePath.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            out.entry(n.node_path).or_default().teachers = n.teachers;
        }
    }
    Ok(out)
}

async fn report_node(
    state: &AppState,
    principal: &Principal,
    node: Option<String>,
) -> AppResult<NodeRef> {
    node_in_area(state, principal, node, Permission::ProgramManage).await
}

pub async fn report(
    state: &AppState,
    principal: &Principal,
    program_id: i64,
    node: Option<String>,
) -> AppResult<CompletionReport> {
    let _timer = crate::platform::metrics::report_timer("completion");
    let p = find_visible(&state.db, principal, program_id).await?;
    let NodeRef { code, level, path } = report_node(state, principal, node).await?;
    let node_name = crate::directory::service::node_name(state, &code).await?;
    let teacher_rows = level == NodeLevel::School;
    // The numbers may be a few seconds old (the replica); who may see which program and node was decided above on
    // the database.
    let db = state.reads();
    let rows = if teacher_rows {
        school_teacher_rows(db, &p, &path).await?
    } else {
        node_rows(state, &p, level, &code).await?
    };
    // The node's own maintained row; a school's report sums its teachers (who are the rows).
    let total = if teacher_rows {
        rows.iter().fold(Tally::default(), |mut acc, (_, _, t)| {
            acc.add(t);
            acc
        })
    } else {
        tallies(db, p.id, std::slice::from_ref(&path))
            .await?
            .remove(&path)
            .unwrap_or_default()
    };
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

/// The nodes one level below a region as (code, name, path): its child regions, or a county's active schools.
pub(crate) async fn child_nodes(
    state: &AppState,
    level: NodeLevel,
    code: &str,
) -> AppResult<Vec<(String, String, String)>> {
    Ok(if level == NodeLevel::County {
        school::Entity::find()
            .filter(school::Column::CountyCode.eq(code))
            .filter(school::Column::Active.eq(true))
            .order_by_asc(school::Column::Code)
            .all(state.reads())
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
    })
}

/// One row per child region (or per school of a county), including those with nobody enrolled.
async fn node_rows(
    state: &AppState,
    p: &program::Model,
    level: NodeLevel,
    code: &str,
) -> AppResult<Vec<(String, String, Tally)>> {
    let children = child_nodes(state, level, code).await?;
    let paths: Vec<String> = children.iter().map(|(_, _, p)| p.clone()).collect();
    let mut numbers = tallies(state.reads(), p.id, &paths).await?;
    Ok(children
        .into_iter()
        .map(|(c, name, child_path)| {
            let t = numbers.remove(&child_path).unwrap_or_default();
            (c, name, t)
        })
        .collect())
}

/// A school's report: each active teacher with their enrolment's progress (if enrolled and approved).
async fn school_teacher_rows(
    db: &impl ConnectionTrait,
    p: &program::Model,
    path: &str,
) -> AppResult<Vec<(String, String, Tally)>> {
    let teachers = teacher::Entity::find()
        .filter(teacher::Column::Path.eq(path))
        .filter(teacher::Column::Active.eq(true))
        .order_by_asc(teacher::Column::Name)
        .all(db)
        .await?;
    let enrolments: HashMap<i64, enrollment::Model> = enrollment::Entity::find()
        .filter(enrollment::Column::ProgramId.eq(p.id))
        .filter(enrollment::Column::Path.eq(path))
        .filter(enrollment::Column::ReviewStatus.eq(ReviewStatus::Approved))
        .all(db)
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
                tally.completed = i64::from(e.training_status == TrainingStatus::Completed);
                let totals = super::completion::totals_of(e);
                for (slot, c) in tally.half_hours.iter_mut().zip(HourCategory::ALL) {
                    *slot = totals.get(&c).copied().unwrap_or(0);
                }
            }
            (t.id.to_string(), t.name, tally)
        })
        .collect())
}

/// Teacher-level export of a node (e.g. one city): every active teacher below it with their enrolment's
/// progress, ID numbers masked. Rows stream from the database into the spreadsheet writer (constant memory), so a
/// city of 50,000 teachers never sits in memory as records.
pub async fn teacher_detail(
    state: &AppState,
    principal: &Principal,
    program_id: i64,
    node: Option<String>,
    format: FileFormat,
) -> AppResult<(String, Vec<u8>, u64)> {
    let _timer = crate::platform::metrics::export_timer("program_teachers");
    let p = find_visible(&state.db, principal, program_id).await?;
    let NodeRef { code, path, .. } = report_node(state, principal, node).await?;
    let db = state.reads();
    let backend = db.get_database_backend();
    let marks = crate::platform::db::placeholders(backend, 4);
    let sql = format!(
        "SELECT t.name, t.id_card_masked, t.subject, s.code AS school_code, s.name AS school_name, \
         e.id AS enrollment_id, e.training_status, e.counted_hours, {} \
         FROM teachers t JOIN schools s ON s.id = t.school_id \
         LEFT JOIN enrollments e ON e.teacher_id = t.id AND e.program_id = {} AND e.review_status = '{approved}' \
         WHERE t.active = {} AND {{UNDER_PATH}} ORDER BY t.path, t.id",
        super::stats::HOUR_COLUMNS
            .map(|c| format!("e.{c}"))
            .join(", "),
        marks[0],
        marks[1],
        approved = ReviewStatus::Approved.as_str(),
    );
    let mut headers = headers_in_current_language(&[
        (&tm::DetailSchoolCode, 14.0),
        (&tm::DetailSchool, 24.0),
        (&tm::DetailName, 12.0),
        (&tm::DetailIdCard, 22.0),
        (&tm::DetailSubject, 10.0),
        (&tm::DetailEnrolled, 8.0),
        (&tm::DetailStatus, 10.0),
        (&tm::DetailCountedHours, 12.0),
    ]);
    headers.extend(HourCategory::ALL.iter().map(|c| {
        let name = c.label().to_string();
        (t(tm::CategoryHours { name }), 12.0)
    }));
    let mut sink = PipedSink::spawn(format, &t(tm::DetailSheet), &headers);
    let (condition, path_values) = crate::platform::db::under_path("t.path", &path, &marks[2..]);
    let sql = sql.replace("{UNDER_PATH}", &condition);
    let mut values: Vec<sea_orm::Value> = vec![p.id.into(), true.into()];
    values.extend(path_values);
    let mut stream = db
        .stream_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    let mut rows = 0u64;
    while let Some(r) = stream.next().await {
        sink.row(teacher_detail_cells(&r?)?).await?;
        rows += 1;
    }
    drop(stream);
    Ok((code, sink.finish().await?, rows))
}

/// One spreadsheet line of the teacher-level export, read by column position (the SELECT's order) because
/// looking columns up by name costs more than the rest of the row on a city of 100,000 teachers.
fn teacher_detail_cells(r: &sea_orm::QueryResult) -> AppResult<Vec<Cell>> {
    let text = |i: usize| -> AppResult<Cell> {
        Ok(Cell::Text(
            r.try_get_by_index::<Option<String>>(i)?.unwrap_or_default(),
        ))
    };
    let hours = |i: usize| -> AppResult<Cell> {
        Ok(r.try_get_by_index::<Option<i32>>(i)?
            .map_or(Cell::Empty, |h| Cell::Number(f64::from(h) / 2.0)))
    };
    let enrolled = r.try_get_by_index::<Option<i64>>(5)?.is_some();
    let status = r.try_get_by_index::<Option<TrainingStatus>>(6)?;
    let mut cells = Vec::with_capacity(8 + super::stats::HOUR_COLUMNS.len());
    cells.extend([text(3)?, text(4)?, text(0)?, text(1)?, text(2)?]);
    cells.push(Cell::Text(if enrolled { t(FlagYes) } else { t(FlagNo) }));
    cells.push(Cell::Text(status_label(status)));
    cells.push(hours(7)?);
    for i in 0..super::stats::HOUR_COLUMNS.len() {
        cells.push(hours(8 + i)?);
    }
    Ok(cells)
}

fn status_label(status: Option<TrainingStatus>) -> String {
    match status {
        Some(TrainingStatus::Completed) => t(tm::StatusCompleted),
        Some(TrainingStatus::Reported) => t(tm::StatusReported),
        Some(TrainingStatus::NotReported) => t(tm::StatusNotReported),
        Some(TrainingStatus::NotCompleted) => t(tm::StatusNotCompleted),
        None => String::new(),
    }
}

/// The report as a spreadsheet: one line per row, then the total.
pub fn to_file(report: &CompletionReport, format: FileFormat) -> AppResult<Vec<u8>> {
    let mut headers = headers_in_current_language(&[
        (&tm::ReportCode, 14.0),
        (&tm::ReportName, 24.0),
        (&tm::ReportTeachers, 10.0),
        (&tm::ReportEnrolled, 10.0),
        (&tm::ReportParticipation, 12.0),
        (&tm::ReportCompleted, 10.0),
        (&tm::ReportCompletion, 12.0),
    ]);
    headers.extend(HourCategory::ALL.iter().map(|c| {
        let name = c.label().to_string();
        (t(tm::ReportAverageHours { name }), 14.0)
    }));
    let mut sink = Sink::new(format, &t(tm::ReportSheet), &headers)?;
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
