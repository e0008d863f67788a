//! Pass rates of a node and year: per point (teachers who submitted, passed, 优秀, rate) and per child region
//! (or per school of a county): teachers with a submission, those who meet their school's plan, those with an 优秀,
//! and the rate. Read from the latest submission of each chain; scoped by `competency.read`.
use std::collections::{BTreeMap, HashMap, HashSet};

use entity::{
    competency_plan as plan, competency_plan_point as plan_point, competency_point as point,
    competency_submission as submission, school,
};
use poem_openapi::Object;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    Dimension, Grade,
    grading::{self, Requirement},
};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    directory::{export::Sink, import::FileFormat},
    platform::error::AppResult,
    training::report::node_in_area,
};

#[derive(Debug, Clone, Object, Default)]
pub struct RateRow {
    /// Point code, or region / school code.
    pub code: String,
    pub name: String,
    /// Teachers with a submission.
    pub submitted: i64,
    /// Per point: teachers whose latest grade is 合格 or 优秀. Per region: teachers who meet their school's plan.
    pub passed: i64,
    pub excellent: i64,
    /// passed ÷ submitted.
    pub rate: f64,
}

#[derive(Debug, Clone, Object)]
pub struct CompetencyReport {
    pub node_code: String,
    pub node_name: String,
    pub year: i32,
    pub total: RateRow,
    /// One row per child region, or per school of a county (empty for a school).
    pub regions: Vec<RateRow>,
    pub points: Vec<RateRow>,
}

#[derive(Default)]
struct Tally {
    submitted: HashSet<i64>,
    passed: HashSet<i64>,
    excellent: HashSet<i64>,
}

impl Tally {
    fn row(&self, code: String, name: String) -> RateRow {
        let submitted = self.submitted.len() as i64;
        let passed = self.passed.len() as i64;
        RateRow {
            code,
            name,
            submitted,
            passed,
            excellent: self.excellent.len() as i64,
            rate: if submitted == 0 {
                0.0
            } else {
                (passed as f64 / submitted as f64 * 10_000.0).round() / 10_000.0
            },
        }
    }
}

/// A teacher's year in the area: their school's path and plan, the points passed (with dimension), any 优秀.
struct TeacherStanding {
    path: String,
    plan_id: i64,
    passed: Vec<(String, Option<Dimension>)>,
    excellent: bool,
}

pub async fn report(
    state: &AppState,
    principal: &Principal,
    node: Option<String>,
    year: i32,
) -> AppResult<CompetencyReport> {
    let (code, level, path) =
        node_in_area(state, principal, node, Permission::CompetencyRead).await?;
    let node_name = crate::directory::service::node_name(state, &code).await?;
    let rows = submission::Entity::find()
        .filter(submission::Column::Path.like(format!("{path}%")))
        .filter(submission::Column::Year.eq(year))
        .filter(submission::Column::Latest.eq(true))
        .all(&state.db)
        .await?;
    // The plans of the schools involved, and the dimension of every point they offer.
    let plan_ids: HashSet<i64> = rows.iter().map(|r| r.plan_id).collect();
    let plans: HashMap<i64, plan::Model> = plan::Entity::find()
        .filter(plan::Column::Id.is_in(plan_ids.iter().copied()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let chosen = plan_point::Entity::find()
        .filter(plan_point::Column::PlanId.is_in(plan_ids.iter().copied()))
        .all(&state.db)
        .await?;
    let point_ids: HashSet<i64> = rows.iter().map(|r| r.point_id).collect();
    let cards: HashMap<i64, point::Model> = point::Entity::find()
        .filter(point::Column::Id.is_in(point_ids.iter().copied()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();

    // Per point (by code, in catalogue order).
    let mut per_point: BTreeMap<(i32, String), (String, Tally)> = BTreeMap::new();
    let mut teachers: HashMap<i64, TeacherStanding> = HashMap::new();
    for r in &rows {
        let card = cards.get(&r.point_id);
        let grade = r.final_grade.as_deref().and_then(Grade::parse);
        let entry = per_point
            .entry((card.map_or(0, |c| c.position), r.code.clone()))
            .or_insert_with(|| {
                (
                    card.map(|c| c.name.clone()).unwrap_or_default(),
                    Tally::default(),
                )
            });
        entry.1.submitted.insert(r.teacher_id);
        let t = teachers
            .entry(r.teacher_id)
            .or_insert_with(|| TeacherStanding {
                path: r.path.clone(),
                plan_id: r.plan_id,
                passed: Vec::new(),
                excellent: false,
            });
        if grade.is_some_and(Grade::passed) {
            entry.1.passed.insert(r.teacher_id);
            t.passed.push((
                r.code.clone(),
                card.and_then(|c| c.dimension.as_deref())
                    .and_then(Dimension::parse),
            ));
        }
        if grade == Some(Grade::Excellent) {
            entry.1.excellent.insert(r.teacher_id);
            t.excellent = true;
        }
    }

    // Children of the node: regions below it, or the schools of a county.
    let children: Vec<(String, String, String)> = match level.as_str() {
        "school" => vec![],
        "county" => school::Entity::find()
            .filter(school::Column::CountyCode.eq(code.as_str()))
            .order_by_asc(school::Column::Code)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|s| (s.code, s.name, s.path))
            .collect(),
        _ => state
            .regions
            .all()
            .filter(|r| r.parent_code.as_deref() == Some(code.as_str()))
            .map(|r| (r.code.clone(), r.name.clone(), r.path.clone()))
            .collect(),
    };
    let mut total = Tally::default();
    let mut per_child: Vec<Tally> = children.iter().map(|_| Tally::default()).collect();
    for (teacher_id, t) in &teachers {
        let met = plans.get(&t.plan_id).is_some_and(|p| {
            let compulsory: Vec<String> = chosen
                .iter()
                .filter(|c| c.plan_id == p.id && c.compulsory)
                .map(|c| c.code.clone())
                .collect();
            grading::plan_met(
                &Requirement {
                    required: p.required_passes as usize,
                    distinct_dimensions: p.distinct_dimensions,
                    compulsory: &compulsory,
                },
                &t.passed,
            )
        });
        let child = children
            .iter()
            .position(|(_, _, p)| t.path.starts_with(p.as_str()))
            .map(|i| &mut per_child[i]);
        for tally in [Some(&mut total), child].into_iter().flatten() {
            tally.submitted.insert(*teacher_id);
            if met {
                tally.passed.insert(*teacher_id);
            }
            if t.excellent {
                tally.excellent.insert(*teacher_id);
            }
        }
    }
    Ok(CompetencyReport {
        total: total.row(code.clone(), node_name.clone()),
        regions: children
            .into_iter()
            .zip(per_child)
            .map(|((c, n, _), t)| t.row(c, n))
            .collect(),
        points: per_point
            .into_iter()
            .map(|((_, c), (n, t))| t.row(c, n))
            .collect(),
        node_code: code,
        node_name,
        year,
    })
}

/// The report as a spreadsheet: the regions, the total, then the points.
pub fn to_file(report: &CompetencyReport, format: FileFormat) -> AppResult<Vec<u8>> {
    let headers: [(&str, f64); 7] = [
        ("类别 Kind", 10.0),
        ("代码 Code", 14.0),
        ("名称 Name", 28.0),
        ("提交人数 Submitted", 12.0),
        ("通过人数 Passed", 12.0),
        ("优秀人数 Excellent", 12.0),
        ("通过率 Rate", 12.0),
    ];
    let mut sink = Sink::new(format, "能力点", &headers)?;
    let regions = report.regions.iter().map(|r| ("地区 Region", r));
    let total = std::iter::once(("合计 Total", &report.total));
    let points = report.points.iter().map(|r| ("能力点 Point", r));
    for (kind, row) in regions.chain(total).chain(points) {
        sink.row(&[
            kind,
            &row.code,
            &row.name,
            &row.submitted.to_string(),
            &row.passed.to_string(),
            &row.excellent.to_string(),
            &format!("{:.2}%", row.rate * 100.0),
        ])?;
    }
    sink.finish()
}
