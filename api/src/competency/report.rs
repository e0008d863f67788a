//! Pass rates of a node and year: per point (teachers who submitted, passed, 优秀, rate) and per child region
//! (or per school of a county): teachers with a submission, those who meet their school's plan, those with an 优秀,
//! and the rate. Read from the maintained counters ([`super::stats`]); [`recount`] computes the same numbers from
//! the latest submissions. Scoped by `competency.read`.
use crate::platform::i18n::{catalogue::competency as m, t};

use std::collections::HashMap;

use entity::{
    competency_node_stat as stat, competency_point as point, competency_submission as submission,
    school,
};
use poem_openapi::Object;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Query,
};

use super::stats::{self, Counts, Tallies};
use crate::{
    AppState,
    access::{NodeLevel, NodeRef, Permission},
    auth::Principal,
    directory::service::{node_in_area, resolve_node},
    platform::{
        error::{AppError, AppResult},
        tabular::{FileFormat, Sink},
    },
};
#[derive(Debug, Clone, Object, Default)]
#[oai(skip_serializing_if_is_none)]
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
#[oai(skip_serializing_if_is_none)]
pub struct CompetencyReport {
    pub node_code: String,
    pub node_name: String,
    pub year: i32,
    pub total: RateRow,
    /// One row per child region, or per school of a county (empty for a school).
    pub regions: Vec<RateRow>,
    pub points: Vec<RateRow>,
}

fn rate_row(code: String, name: String, c: Counts) -> RateRow {
    RateRow {
        code,
        name,
        submitted: c.submitted,
        passed: c.passed,
        excellent: c.excellent,
        rate: if c.submitted == 0 {
            0.0
        } else {
            (c.passed as f64 / c.submitted as f64 * 10_000.0).round() / 10_000.0
        },
    }
}

/// Children of the node: regions below it, or the schools of a county (code, name, path), the schools read on `db`.
async fn children(
    state: &AppState,
    db: &impl ConnectionTrait,
    node: &NodeRef,
) -> AppResult<Vec<(String, String, String)>> {
    Ok(match node.level {
        NodeLevel::School => vec![],
        NodeLevel::County => school::Entity::find()
            .filter(school::Column::CountyCode.eq(node.code.as_str()))
            .order_by_asc(school::Column::Code)
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.code, s.name, s.path))
            .collect(),
        _ => state
            .regions
            .all()
            .filter(|r| r.parent_code.as_deref() == Some(node.code.as_str()))
            .map(|r| (r.code.clone(), r.name.clone(), r.path.clone()))
            .collect(),
    })
}

/// Catalogue position and name of each code: the card of the published catalogue, else of the newest version.
async fn labels(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> AppResult<HashMap<String, (i32, String)>> {
    let current = super::catalogue::current(db).await?.map(|c| c.id);
    let mut out: HashMap<String, (i64, i32, String)> = HashMap::new();
    for p in point::Entity::find()
        .filter(point::Column::Code.is_in(codes.iter().map(String::as_str)))
        .order_by_asc(point::Column::CatalogId)
        .all(db)
        .await?
    {
        let settled = out
            .get(&p.code)
            .is_some_and(|(catalog, _, _)| Some(*catalog) == current);
        if !settled {
            out.insert(p.code, (p.catalog_id, p.position, p.name));
        }
    }
    Ok(out
        .into_iter()
        .map(|(code, (_, position, name))| (code, (position, name)))
        .collect())
}

/// The report from counter rows of the node's year: the node's rows and its children's totals rows; the points'
/// names read on `db`.
async fn assemble(
    state: &AppState,
    db: &impl ConnectionTrait,
    node: NodeRef,
    year: i32,
    children: Vec<(String, String, String)>,
    rows: &Tallies,
) -> AppResult<CompetencyReport> {
    let node_name = crate::directory::service::node_name(state, &node.code).await?;
    let at = |path: &str, code: &str| {
        rows.get(&(path.to_string(), year, code.to_string()))
            .copied()
            .unwrap_or_default()
    };
    let codes: Vec<String> = rows
        .iter()
        .filter(|((p, y, c), n)| *p == node.path && *y == year && !c.is_empty() && n.submitted > 0)
        .map(|((_, _, c), _)| c.clone())
        .collect();
    let labels = labels(db, &codes).await?;
    let mut points: Vec<(i32, String, String)> = codes
        .into_iter()
        .map(|c| {
            let (position, name) = labels.get(&c).cloned().unwrap_or_default();
            (position, c, name)
        })
        .collect();
    points.sort();
    Ok(CompetencyReport {
        total: rate_row(node.code.clone(), node_name.clone(), at(&node.path, "")),
        regions: children
            .into_iter()
            .map(|(c, n, p)| rate_row(c, n, at(&p, "")))
            .collect(),
        points: points
            .into_iter()
            .map(|(_, c, n)| {
                let counts = at(&node.path, &c);
                rate_row(c, n, counts)
            })
            .collect(),
        node_code: node.code,
        node_name,
        year,
    })
}

/// The report of a node in the caller's area, read from the maintained counters.
pub async fn report(
    state: &AppState,
    principal: &Principal,
    node: Option<String>,
    year: i32,
) -> AppResult<CompetencyReport> {
    let _timer = crate::platform::metrics::report_timer("competency");
    let node = node_in_area(state, principal, node, Permission::CompetencyRead).await?;
    // Pass rates may be a few seconds old: counters, schools and names come from the replica when there is one.
    let db = state.reads();
    let children = children(state, db, &node).await?;
    let child_paths: Vec<&str> = children.iter().map(|(_, _, p)| p.as_str()).collect();
    let rows: Tallies = stat::Entity::find()
        .filter(stat::Column::Year.eq(year))
        .filter(
            Condition::any()
                .add(stat::Column::NodePath.eq(node.path.as_str()))
                .add(
                    Condition::all()
                        .add(stat::Column::Code.eq(""))
                        .add(stat::Column::NodePath.is_in(child_paths)),
                ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|r| {
            let counts = Counts {
                submitted: r.submitted,
                passed: r.passed,
                excellent: r.excellent,
            };
            ((r.node_path, r.year, r.code), counts)
        })
        .collect();
    assemble(state, db, node, year, children, &rows).await
}

/// The same report computed from the latest submissions of every teacher with one below the node (no scope
/// check): what the counters must agree with.
pub async fn recount(state: &AppState, node_code: &str, year: i32) -> AppResult<CompetencyReport> {
    let node = resolve_node(state, node_code)
        .await?
        .ok_or(AppError::NotFound)?;
    let below = Query::select()
        .column(submission::Column::TeacherId)
        .from(submission::Entity)
        .cond_where(crate::access::under(
            sea_orm::IntoSimpleExpr::into_simple_expr(submission::Column::Path),
            &node.path,
        ))
        .and_where(submission::Column::Year.eq(year))
        .and_where(submission::Column::Latest.eq(true))
        .to_owned();
    let standings = stats::standings(
        &state.db,
        Condition::all()
            .add(submission::Column::Year.eq(year))
            .add(submission::Column::TeacherId.in_subquery(below)),
    )
    .await?;
    let rows = stats::tally(&standings);
    let children = children(state, &state.db, &node).await?;
    assemble(state, &state.db, node, year, children, &rows).await
}

/// The report as a spreadsheet: the regions, the total, then the points.
pub fn to_file(report: &CompetencyReport, format: FileFormat) -> AppResult<Vec<u8>> {
    let names = [
        t(m::ReportKind),
        t(m::ReportCode),
        t(m::ReportName),
        t(m::ReportSubmitted),
        t(m::ReportPassed),
        t(m::ReportExcellent),
        t(m::ReportRate),
    ];
    let widths = [10.0, 14.0, 28.0, 12.0, 12.0, 12.0, 12.0];
    let headers: Vec<(&str, f64)> = names.iter().map(String::as_str).zip(widths).collect();
    let mut sink = Sink::new(format, &t(m::ReportSheet), &headers)?;
    let (region, total_label, point) = (t(m::ReportRegion), t(m::ReportTotal), t(m::ReportPoint));
    let regions = report.regions.iter().map(|r| (region.as_str(), r));
    let total = std::iter::once((total_label.as_str(), &report.total));
    let points = report.points.iter().map(|r| (point.as_str(), r));
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
