//! 全员培训年度报表: one year across all programs, drilling down province → city → county → school → teacher.
//! Region and school rows read maintained counters by exact path (`node_stats`, `node_year_stats`,
//! `program_node_stats` of the year's programs, `competency_node_stats`); only the 优课 awards, a few thousand a
//! province-year, are counted from their table with one indexed prefix read. A school's rows are its teachers,
//! one page at a time, from their own maintained rows.
use std::collections::HashMap;

use entity::lesson_award::LessonAwardLevel;
use entity::{
    competency_node_stat, node_stat, node_year_stat, school, teacher, teacher_cycle, teacher_year,
};
use poem_openapi::Object;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Statement, Value,
};

use crate::{
    AppState,
    access::{NodeLevel, NodeRef, Permission},
    auth::Principal,
    directory::service::{node_in_area, node_names},
    platform::{
        db::{placeholders, under_path},
        error::AppResult,
    },
    training::{
        rules::{CYCLE_REQUIRED_HALF_HOURS, HourCategory, cycle_start},
        year_stats::YEARLY_MINIMUM_HALF_HOURS,
    },
};

/// Who may read the annual report of a node: whoever manages programs there (as for a program's report).
pub const REPORT_PERMISSION: Permission = Permission::ProgramManage;

pub const DEFAULT_PAGE_SIZE: u64 = 50;

#[derive(Debug, Clone, Object, PartialEq)]
#[oai(skip_serializing_if_is_none)]
pub struct HoursOfCategory {
    pub category: HourCategory,
    pub hours: f64,
}

/// 优课 awards of the year's activity by level.
#[derive(Debug, Clone, Copy, Object, Default, PartialEq, Eq)]
#[oai(skip_serializing_if_is_none)]
pub struct AwardCounts {
    pub county: i64,
    pub city: i64,
    pub province: i64,
    pub ministry: i64,
}

impl AwardCounts {
    fn add(&mut self, level: LessonAwardLevel, n: i64) {
        match level {
            LessonAwardLevel::County => self.county += n,
            LessonAwardLevel::City => self.city += n,
            LessonAwardLevel::Province => self.province += n,
            LessonAwardLevel::Ministry => self.ministry += n,
        }
    }

    fn total(&self) -> i64 {
        self.county + self.city + self.province + self.ministry
    }
}

/// One row of the report: a region, a school or (on a school's report) a teacher.
#[derive(Debug, Clone, Object, PartialEq)]
#[oai(skip_serializing_if_is_none)]
pub struct AnnualRow {
    /// Region code, school code, or the teacher's id on a school's report.
    pub node_code: String,
    pub node_name: String,
    /// Active teachers.
    pub teachers: i64,
    /// Active teachers with at least one approved enrolment in a program of the year (参训教师数).
    pub participants: i64,
    /// participants ÷ teachers (参训率).
    pub participation_rate: f64,
    /// Approved enrolments in the year's programs (参训人次).
    pub enrolments: i64,
    /// Of those, completed (结业).
    pub completed: i64,
    /// completed ÷ enrolments (完成率).
    pub completion_rate: f64,
    /// Approved hours dated in the year, per category.
    pub hours: Vec<HoursOfCategory>,
    /// Of all those hours, the ones from 补录 (outside training).
    pub supplement_hours: f64,
    pub total_hours: f64,
    /// Active teachers with at least the yearly minimum (72 hours) in the year.
    pub met_minimum: i64,
    pub met_minimum_rate: f64,
    /// Active teachers with 360 hours in the 5-year cycle the year belongs to.
    pub cycle_complete: i64,
    pub cycle_rate: f64,
    /// Teachers who submitted 能力点 evidence in the year, and those who met their school's plan.
    pub competency_submitted: i64,
    pub competency_passed: i64,
    /// competency_passed ÷ teachers (能力点合格率 over all teachers).
    pub competency_pass_rate: f64,
    pub awards: AwardCounts,
}

/// One step of the drill-down path, from the top of the caller's area to the report's node.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Crumb {
    pub code: String,
    pub name: String,
    pub level: NodeLevel,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AnnualReport {
    pub year: i32,
    /// The first year of the 5-year cycle the year belongs to.
    pub cycle_start: i32,
    pub node_code: String,
    pub node_name: String,
    pub level: NodeLevel,
    pub breadcrumbs: Vec<Crumb>,
    /// Whether the rows are teachers (a school's report) rather than nodes.
    pub teacher_rows: bool,
    pub total: AnnualRow,
    pub rows: Vec<AnnualRow>,
    /// Rows in all (of the page's list for teachers; after hiding empty rows for nodes).
    pub row_count: u64,
    pub page: u64,
    pub page_size: u64,
}

/// What the report asks for.
#[derive(Debug, Clone, Default)]
pub struct AnnualQuery {
    pub year: i32,
    pub node: Option<String>,
    pub hide_empty: bool,
    /// 1-based page of a school's teachers; `None` for all of them (exports).
    pub page: Option<u64>,
    pub page_size: Option<u64>,
}

/// The numbers of one node or teacher; hours in half-hours.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub teachers: i64,
    pub participants: i64,
    pub enrolments: i64,
    pub completed: i64,
    /// Half-hours per category, in the order of `HourCategory::ALL`.
    pub half_hours: [i64; 6],
    pub supplement: i64,
    pub met_minimum: i64,
    pub cycle_complete: i64,
    pub competency_submitted: i64,
    pub competency_passed: i64,
    pub awards: AwardCounts,
}

fn ratio(a: i64, b: i64) -> f64 {
    if b == 0 {
        0.0
    } else {
        (a as f64 / b as f64 * 10_000.0).round() / 10_000.0
    }
}

impl Tally {
    /// Nothing to show: no teacher and no activity.
    pub fn is_empty(&self) -> bool {
        *self == Tally::default()
    }

    pub fn row(&self, node_code: String, node_name: String) -> AnnualRow {
        let total: i64 = self.half_hours.iter().sum();
        AnnualRow {
            node_code,
            node_name,
            teachers: self.teachers,
            participants: self.participants,
            participation_rate: ratio(self.participants, self.teachers),
            enrolments: self.enrolments,
            completed: self.completed,
            completion_rate: ratio(self.completed, self.enrolments),
            hours: HourCategory::ALL
                .iter()
                .zip(self.half_hours)
                .map(|(c, h)| HoursOfCategory {
                    category: *c,
                    hours: h as f64 / 2.0,
                })
                .collect(),
            supplement_hours: self.supplement as f64 / 2.0,
            total_hours: total as f64 / 2.0,
            met_minimum: self.met_minimum,
            met_minimum_rate: ratio(self.met_minimum, self.teachers),
            cycle_complete: self.cycle_complete,
            cycle_rate: ratio(self.cycle_complete, self.teachers),
            competency_submitted: self.competency_submitted,
            competency_passed: self.competency_passed,
            competency_pass_rate: ratio(self.competency_passed, self.teachers),
            awards: self.awards,
        }
    }
}

/// The maintained numbers of the given node paths for a year: a handful of indexed reads by exact path.
pub async fn node_tallies(
    db: &impl ConnectionTrait,
    year: i32,
    cycle: i32,
    paths: &[String],
) -> AppResult<HashMap<String, Tally>> {
    let mut out: HashMap<String, Tally> = HashMap::new();
    let backend = db.get_database_backend();
    for chunk in paths.chunks(500) {
        for n in node_stat::Entity::find()
            .filter(node_stat::Column::NodePath.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            out.entry(n.node_path).or_default().teachers = n.teachers;
        }
        for s in node_year_stat::Entity::find()
            .filter(node_year_stat::Column::NodePath.is_in(chunk.iter().cloned()))
            .filter(node_year_stat::Column::Year.is_in([year, cycle]))
            .all(db)
            .await?
        {
            let t = out.entry(s.node_path.clone()).or_default();
            if s.year == cycle {
                t.cycle_complete = s.cycle_complete;
            }
            if s.year == year {
                t.participants = s.participants;
                t.met_minimum = s.met_minimum;
                t.supplement = s.hours_supplement;
                t.half_hours = [
                    s.hours_centralized,
                    s.hours_online,
                    s.hours_ict,
                    s.hours_regional,
                    s.hours_school_based,
                    s.hours_practice,
                ];
            }
        }
        for c in competency_node_stat::Entity::find()
            .filter(competency_node_stat::Column::NodePath.is_in(chunk.iter().cloned()))
            .filter(competency_node_stat::Column::Year.eq(year))
            .filter(competency_node_stat::Column::Code.eq(""))
            .all(db)
            .await?
        {
            let t = out.entry(c.node_path).or_default();
            t.competency_submitted = c.submitted;
            t.competency_passed = c.passed;
        }
        // The year's programs' counters, summed per node.
        let marks = placeholders(backend, chunk.len() + 1);
        let sql = format!(
            "SELECT s.node_path, SUM(s.enrolled) AS enrolled, SUM(s.completed) AS completed \
             FROM program_node_stats s JOIN programs p ON p.id = s.program_id \
             WHERE p.year = {} AND s.node_path IN ({}) GROUP BY s.node_path",
            marks[0],
            marks[1..].join(", ")
        );
        let mut values: Vec<Value> = vec![year.into()];
        values.extend(chunk.iter().map(|p| Value::from(p.clone())));
        for r in db
            .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?
        {
            let t = out
                .entry(r.try_get::<String>("", "node_path")?)
                .or_default();
            t.enrolments = sum_of(&r, "enrolled")?;
            t.completed = sum_of(&r, "completed")?;
        }
    }
    Ok(out)
}

/// A SUM read back: PostgreSQL answers `numeric` for sums of bigints, SQLite an integer.
fn sum_of(r: &sea_orm::QueryResult, column: &str) -> AppResult<i64> {
    if let Ok(n) = r.try_get::<i64>("", column) {
        return Ok(n);
    }
    let d: sea_orm::prelude::Decimal = r.try_get("", column)?;
    Ok(i64::try_from(d).unwrap_or_default())
}

/// 优课 awards of the year's activity under `under`, per node whose path is the first `key_len` characters of
/// the award's (all nodes of one level have paths of one length); `None` counts them all under `under`.
pub async fn award_counts(
    db: &impl ConnectionTrait,
    year: i32,
    under: &str,
    key_len: Option<usize>,
) -> AppResult<HashMap<String, AwardCounts>> {
    let backend = db.get_database_backend();
    let marks = placeholders(backend, 2);
    let key = key_len.map(|n| format!("SUBSTR(a.path, 1, {n})"));
    let node_column = key
        .as_deref()
        .map_or(String::new(), |k| format!("{k} AS node, "));
    let group = key.as_deref().map_or(String::new(), |k| format!("{k}, "));
    let (condition, values) = under_path("a.path", under, &marks);
    let sql = format!(
        "SELECT {node_column}a.level AS level, COUNT(*) AS n FROM lesson_awards a \
         JOIN lesson_activities act ON act.id = a.activity_id \
         WHERE act.year = {year} AND {condition} GROUP BY {group}a.level"
    );
    let mut out: HashMap<String, AwardCounts> = HashMap::new();
    for r in db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
    {
        let level: LessonAwardLevel = r.try_get("", "level")?;
        let n = r.try_get::<i64>("", "n")?;
        let node = match key_len {
            Some(_) => r.try_get::<String>("", "node")?,
            None => under.to_string(),
        };
        out.entry(node).or_default().add(level, n);
    }
    Ok(out)
}

/// The child nodes of a region: its child regions, or a county's active schools; (code, name, path).
async fn children(state: &AppState, node: &NodeRef) -> AppResult<Vec<(String, String, String)>> {
    Ok(if node.level == NodeLevel::County {
        school::Entity::find()
            .filter(school::Column::CountyCode.eq(node.code.clone()))
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
            .filter(|r| r.parent_code.as_deref() == Some(node.code.as_str()))
            .map(|r| (r.code.clone(), r.name.clone(), r.path.clone()))
            .collect()
    })
}

/// The drill-down path from the highest node of the caller's area down to the node.
async fn breadcrumbs(
    state: &AppState,
    principal: &Principal,
    node: &NodeRef,
) -> AppResult<Vec<Crumb>> {
    let inside: Vec<&str> = crate::training::stats::ancestors(&node.path)
        .into_iter()
        .filter(|p| principal.can(REPORT_PERMISSION, p))
        .collect();
    let codes: Vec<String> = inside
        .iter()
        .filter_map(|p| {
            p.trim_end_matches('/')
                .rsplit('/')
                .next()
                .map(str::to_string)
        })
        .collect();
    let names = node_names(state, codes.clone()).await?;
    Ok(inside
        .iter()
        .zip(codes)
        .map(|(p, code)| Crumb {
            name: names.get(&code).cloned().unwrap_or_else(|| code.clone()),
            level: NodeLevel::of_path(p).unwrap_or(NodeLevel::School),
            code,
        })
        .collect())
}

pub async fn report(
    state: &AppState,
    principal: &Principal,
    q: AnnualQuery,
) -> AppResult<AnnualReport> {
    let _timer = crate::platform::metrics::report_timer("annual");
    let node = node_in_area(state, principal, q.node.clone(), REPORT_PERMISSION).await?;
    let node_name = crate::directory::service::node_name(state, &node.code).await?;
    let breadcrumbs = breadcrumbs(state, principal, &node).await?;
    let cycle = cycle_start(q.year, state.config.cycle_anchor_year);
    let db = state.reads();
    let mut total = node_tallies(db, q.year, cycle, std::slice::from_ref(&node.path))
        .await?
        .remove(&node.path)
        .unwrap_or_default();
    total.awards = award_counts(db, q.year, &node.path, None)
        .await?
        .remove(&node.path)
        .unwrap_or_default();
    let teacher_rows = node.level == NodeLevel::School;
    let page_size = q.page_size.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, 500);
    let page = q.page.unwrap_or(1).max(1);
    let (rows, row_count) = if teacher_rows {
        let paging = q.page.map(|p| (p.max(1), page_size));
        teacher_rows_of(
            db,
            state.config.cycle_anchor_year,
            q.year,
            &node.path,
            paging,
            q.hide_empty,
        )
        .await?
    } else {
        let rows = node_rows(state, &node, q.year, cycle, q.hide_empty).await?;
        let n = rows.len() as u64;
        (rows, n)
    };
    Ok(AnnualReport {
        year: q.year,
        cycle_start: cycle,
        total: total.row(node.code.clone(), node_name.clone()),
        node_code: node.code,
        node_name,
        level: node.level,
        breadcrumbs,
        teacher_rows,
        rows,
        row_count,
        page,
        page_size,
    })
}

async fn node_rows(
    state: &AppState,
    node: &NodeRef,
    year: i32,
    cycle: i32,
    hide_empty: bool,
) -> AppResult<Vec<AnnualRow>> {
    let children = children(state, node).await?;
    let paths: Vec<String> = children.iter().map(|(_, _, p)| p.clone()).collect();
    let db = state.reads();
    let mut numbers = node_tallies(db, year, cycle, &paths).await?;
    let key_len = paths.first().map(String::len);
    let mut awards = match key_len {
        Some(n) => award_counts(db, year, &node.path, Some(n)).await?,
        None => HashMap::new(),
    };
    Ok(children
        .into_iter()
        .filter_map(|(code, name, path)| {
            let mut t = numbers.remove(&path).unwrap_or_default();
            t.awards = awards.remove(&path).unwrap_or_default();
            (!hide_empty || !t.is_empty()).then(|| t.row(code, name))
        })
        .collect())
}

/// A school's active teachers (a page of them, by name) with their own year: enrolments and completions of the
/// year's programs, hours dated in it, the standings, 能力点 and awards.
async fn teacher_rows_of(
    db: &impl ConnectionTrait,
    cycle_anchor: i32,
    year: i32,
    path: &str,
    paging: Option<(u64, u64)>,
    hide_empty: bool,
) -> AppResult<(Vec<AnnualRow>, u64)> {
    let mut query = teacher::Entity::find()
        .filter(teacher::Column::Path.eq(path))
        .filter(teacher::Column::Active.eq(true));
    if hide_empty {
        // A teacher row is never empty (the teacher counts); "empty" is a teacher with nothing in the year.
        let active_ids = teacher_year::Entity::find()
            .select_only()
            .column(teacher_year::Column::TeacherId)
            .filter(teacher_year::Column::Year.eq(year))
            .filter(
                Condition::any()
                    .add(teacher_year::Column::Programs.ne(0))
                    .add(teacher_year::Column::HalfHours.ne(0)),
            )
            .into_query();
        query = query.filter(teacher::Column::Id.in_subquery(active_ids));
    }
    let query = query
        .order_by_asc(teacher::Column::Name)
        .order_by_asc(teacher::Column::Id);
    let count = query.clone().count(db).await?;
    let teachers = match paging {
        Some((page, size)) => query.paginate(db, size).fetch_page(page - 1).await?,
        None => query.all(db).await?,
    };
    let ids: Vec<i64> = teachers.iter().map(|t| t.id).collect();
    let mut tallies = teacher_tallies(db, cycle_anchor, year, &ids).await?;
    Ok((
        teachers
            .into_iter()
            .map(|t| {
                let tally = tallies.remove(&t.id).unwrap_or_default();
                tally.row(t.id.to_string(), t.name)
            })
            .collect(),
        count,
    ))
}

/// Each teacher's year, from their maintained rows and the (few) rows of their own.
pub async fn teacher_tallies(
    db: &impl ConnectionTrait,
    cycle_anchor: i32,
    year: i32,
    ids: &[i64],
) -> AppResult<HashMap<i64, Tally>> {
    let mut out: HashMap<i64, Tally> = ids
        .iter()
        .map(|id| {
            (
                *id,
                Tally {
                    teachers: 1,
                    ..Default::default()
                },
            )
        })
        .collect();
    if ids.is_empty() {
        return Ok(out);
    }
    for y in teacher_year::Entity::find()
        .filter(teacher_year::Column::TeacherId.is_in(ids.iter().copied()))
        .filter(teacher_year::Column::Year.eq(year))
        .all(db)
        .await?
    {
        if let Some(t) = out.get_mut(&y.teacher_id) {
            t.participants = i64::from(y.programs > 0);
            t.enrolments = y.programs;
            t.met_minimum = i64::from(y.half_hours >= YEARLY_MINIMUM_HALF_HOURS);
        }
    }
    let cycle = cycle_start(year, cycle_anchor);
    for c in teacher_cycle::Entity::find()
        .filter(teacher_cycle::Column::TeacherId.is_in(ids.iter().copied()))
        .filter(teacher_cycle::Column::CycleStart.eq(cycle))
        .all(db)
        .await?
    {
        if let Some(t) = out.get_mut(&c.teacher_id) {
            t.cycle_complete = i64::from(c.half_hours >= CYCLE_REQUIRED_HALF_HOURS);
        }
    }
    let standings = crate::competency::stats::standings(
        db,
        Condition::all()
            .add(entity::competency_submission::Column::TeacherId.is_in(ids.iter().copied()))
            .add(entity::competency_submission::Column::Year.eq(year)),
    )
    .await?;
    for ((teacher_id, _), s) in standings {
        if let Some(t) = out.get_mut(&teacher_id) {
            t.competency_submitted = s.totals.submitted;
            t.competency_passed = s.totals.passed;
        }
    }
    teacher_ledger(db, year, ids, &mut out).await?;
    Ok(out)
}

/// Hours dated in the year, completed enrolments of the year's programs and awards, per teacher of the page.
async fn teacher_ledger(
    db: &impl ConnectionTrait,
    year: i32,
    ids: &[i64],
    out: &mut HashMap<i64, Tally>,
) -> AppResult<()> {
    use entity::hour_entry::{HourSource, HourStatus};
    let backend = db.get_database_backend();
    let list = ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let year_of = crate::training::stats::year_of(backend, "h.occurred_on");
    // Only constant enum values and ids (integers) are spliced in.
    let sql = format!(
        "SELECT h.teacher_id, h.category, h.source, SUM(CASE h.status WHEN '{}' THEN h.half_hours ELSE -h.half_hours END) AS hh \
         FROM hour_entries h WHERE h.teacher_id IN ({list}) AND h.status IN ('{}', '{}') AND {year_of} = {year} \
         GROUP BY h.teacher_id, h.category, h.source",
        HourStatus::Approved.as_str(),
        HourStatus::Approved.as_str(),
        HourStatus::Voiding.as_str(),
    );
    for r in db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?
    {
        let Some(t) = out.get_mut(&r.try_get::<i64>("", "teacher_id")?) else {
            continue;
        };
        let category: HourCategory = r.try_get("", "category")?;
        let source: HourSource = r.try_get("", "source")?;
        let hh = sum_of(&r, "hh")?;
        if let Some(i) = HourCategory::ALL.iter().position(|c| *c == category) {
            t.half_hours[i] += hh;
        }
        if source == HourSource::Supplement {
            t.supplement += hh;
        }
    }
    let sql = format!(
        "SELECT e.teacher_id, COUNT(*) AS n FROM enrollments e JOIN programs p ON p.id = e.program_id \
         WHERE e.teacher_id IN ({list}) AND p.year = {year} AND e.review_status = '{}' AND e.training_status = '{}' \
         GROUP BY e.teacher_id",
        entity::enrollment::ReviewStatus::Approved.as_str(),
        entity::enrollment::TrainingStatus::Completed.as_str(),
    );
    for r in db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?
    {
        if let Some(t) = out.get_mut(&r.try_get::<i64>("", "teacher_id")?) {
            t.completed = r.try_get::<i64>("", "n")?;
        }
    }
    let sql = format!(
        "SELECT l.teacher_id, a.level, COUNT(*) AS n FROM lesson_awards a JOIN lessons l ON l.id = a.lesson_id \
         JOIN lesson_activities act ON act.id = a.activity_id \
         WHERE l.teacher_id IN ({list}) AND act.year = {year} GROUP BY l.teacher_id, a.level"
    );
    for r in db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?
    {
        if let Some(t) = out.get_mut(&r.try_get::<i64>("", "teacher_id")?) {
            let level: LessonAwardLevel = r.try_get("", "level")?;
            t.awards.add(level, r.try_get::<i64>("", "n")?);
        }
    }
    Ok(())
}

impl AnnualRow {
    /// The awards' total, for tables that show one column.
    pub fn awards_total(&self) -> i64 {
        self.awards.total()
    }
}
