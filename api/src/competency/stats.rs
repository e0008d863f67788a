//! The maintained 能力点 numbers (ARCHITECTURE.md "Reports read maintained numbers"): per node, year and point
//! code, the teachers who submitted, passed and reached 优秀; per node and year (code `''`), the teachers with a
//! submission, those who meet their school's plan and those with any 优秀.
//!
//! A teacher's [`Standing`] for a year follows from their latest submissions and their school's plan. Every
//! transaction that changes either takes the standings [`before`] the change and [`settle`]s after it: the
//! difference goes to the school and each region above it. [`rebuild`] recomputes everything from the submissions.
use std::collections::{BTreeMap, HashMap, HashSet};

use entity::{
    competency_node_stat as stat, competency_plan as plan, competency_plan_point as plan_point,
    competency_point as point, competency_submission as submission,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::{
    Dimension, Grade,
    grading::{self, Requirement},
};
use crate::{
    platform::error::AppResult,
    training::stats::{ancestors, upsert_add},
};

/// Teachers who submitted, passed and reached 优秀 (a teacher's own flags are 0 or 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub submitted: i64,
    pub passed: i64,
    pub excellent: i64,
}

impl Counts {
    fn flags(submitted: bool, passed: bool, excellent: bool) -> Self {
        Counts {
            submitted: submitted.into(),
            passed: passed.into(),
            excellent: excellent.into(),
        }
    }

    fn add(&mut self, other: Counts, sign: i64) {
        self.submitted += sign * other.submitted;
        self.passed += sign * other.passed;
        self.excellent += sign * other.excellent;
    }

    pub fn is_zero(&self) -> bool {
        *self == Counts::default()
    }
}

/// A teacher's year: the school path it counts under (that of their newest latest submission), the totals
/// (submitted any, meets the plan, any 优秀) and the flags per point code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Standing {
    pub path: String,
    pub totals: Counts,
    pub points: BTreeMap<String, Counts>,
}

/// Standings by (teacher, year).
pub type Standings = HashMap<(i64, i32), Standing>;

/// Counter rows by (node path, year, code).
pub type Tallies = HashMap<(String, i32, String), Counts>;

/// Points passed, with their dimension.
type Passes = Vec<(String, Option<Dimension>)>;

/// Ids in slices small enough for any engine's bind limit.
const CHUNK: usize = 1000;

async fn plans_of(
    db: &impl ConnectionTrait,
    ids: &HashSet<i64>,
) -> AppResult<(HashMap<i64, plan::Model>, Vec<plan_point::Model>)> {
    let ids: Vec<i64> = ids.iter().copied().collect();
    let mut plans = HashMap::new();
    let mut chosen = Vec::new();
    for part in ids.chunks(CHUNK) {
        for p in plan::Entity::find()
            .filter(plan::Column::Id.is_in(part.iter().copied()))
            .all(db)
            .await?
        {
            plans.insert(p.id, p);
        }
        chosen.extend(
            plan_point::Entity::find()
                .filter(plan_point::Column::PlanId.is_in(part.iter().copied()))
                .all(db)
                .await?,
        );
    }
    Ok((plans, chosen))
}

/// The standing of every teacher and year with a latest submission matching `condition` (which should select
/// whole teacher-years: all or none of a teacher's latest submissions of a year).
pub async fn standings(db: &impl ConnectionTrait, condition: Condition) -> AppResult<Standings> {
    let rows = submission::Entity::find()
        .filter(submission::Column::Latest.eq(true))
        .filter(condition)
        .order_by_asc(submission::Column::Id)
        .all(db)
        .await?;
    let plan_ids: HashSet<i64> = rows.iter().map(|r| r.plan_id).collect();
    let (plans, chosen) = plans_of(db, &plan_ids).await?;
    let point_ids: HashSet<i64> = rows.iter().map(|r| r.point_id).collect();
    let dimensions: HashMap<i64, Option<Dimension>> = point::Entity::find()
        .filter(point::Column::Id.is_in(point_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.dimension))
        .collect();
    // Per teacher-year: the plan of the newest row, the points passed (with dimension), any 优秀.
    let mut years: HashMap<(i64, i32), (i64, Standing, Passes)> = HashMap::new();
    for r in &rows {
        let grade = r.final_grade;
        let passed = grade.is_some_and(Grade::passed);
        let excellent = grade == Some(Grade::Excellent);
        let (plan_id, s, passes) = years.entry((r.teacher_id, r.year)).or_default();
        (*plan_id, s.path) = (r.plan_id, r.path.clone());
        s.points
            .insert(r.code.clone(), Counts::flags(true, passed, excellent));
        s.totals.submitted = 1;
        s.totals.excellent |= i64::from(excellent);
        if passed {
            let dimension = dimensions.get(&r.point_id).copied().flatten();
            passes.push((r.code.clone(), dimension));
        }
    }
    Ok(years
        .into_iter()
        .map(|(key, (plan_id, mut s, passes))| {
            let met = plans.get(&plan_id).is_some_and(|p| {
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
                    &passes,
                )
            });
            s.totals.passed = met.into();
            (key, s)
        })
        .collect())
}

/// The counter rows the standings make: each teacher counted at their school and every region above it.
pub fn tally<'a>(all: impl IntoIterator<Item = (&'a (i64, i32), &'a Standing)>) -> Tallies {
    let mut out = Tallies::new();
    for ((_, year), s) in all {
        for node in ancestors(&s.path) {
            out.entry((node.to_string(), *year, String::new()))
                .or_default()
                .add(s.totals, 1);
            for (code, c) in &s.points {
                out.entry((node.to_string(), *year, code.clone()))
                    .or_default()
                    .add(*c, 1);
            }
        }
    }
    out
}

/// One teacher's year.
pub fn of_teacher(teacher_id: i64, year: i32) -> Condition {
    Condition::all()
        .add(submission::Column::TeacherId.eq(teacher_id))
        .add(submission::Column::Year.eq(year))
}

/// The years of every teacher with a latest submission under a plan (whose plan-met flag the plan decides).
pub async fn of_plan(db: &impl ConnectionTrait, p: &plan::Model) -> AppResult<Condition> {
    let teachers: Vec<i64> = submission::Entity::find()
        .select_only()
        .column(submission::Column::TeacherId)
        .distinct()
        .filter(submission::Column::PlanId.eq(p.id))
        .filter(submission::Column::Latest.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    Ok(Condition::all()
        .add(submission::Column::Year.eq(p.year))
        .add(submission::Column::TeacherId.is_in(teachers)))
}

/// The standings an event is about to change; pass them to [`settle`] once it has.
pub async fn before(db: &impl ConnectionTrait, scope: &Condition) -> AppResult<Standings> {
    standings(db, scope.clone()).await
}

/// Recomputes the standings of `scope` after the change and adds the difference to the counters, in the caller's
/// transaction.
pub async fn settle(
    db: &impl ConnectionTrait,
    scope: &Condition,
    before: Standings,
) -> AppResult<()> {
    let after = standings(db, scope.clone()).await?;
    let mut deltas: BTreeMap<(String, i32, String), Counts> = BTreeMap::new();
    for (side, sign) in [(&before, -1), (&after, 1)] {
        for ((_, year), s) in side {
            let rows = std::iter::once((String::new(), s.totals))
                .chain(s.points.iter().map(|(c, n)| (c.clone(), *n)));
            for (code, n) in rows {
                deltas
                    .entry((s.path.clone(), *year, code))
                    .or_default()
                    .add(n, sign);
            }
        }
    }
    for ((path, year, code), d) in deltas.into_iter().filter(|(_, d)| !d.is_zero()) {
        for node in ancestors(&path) {
            upsert_add(
                db,
                "competency_node_stats",
                &[
                    ("node_path", node.into()),
                    ("year", year.into()),
                    ("code", code.as_str().into()),
                ],
                &[
                    ("submitted", d.submitted),
                    ("passed", d.passed),
                    ("excellent", d.excellent),
                ],
            )
            .await?;
        }
    }
    Ok(())
}

/// Recomputes every counter row from the latest submissions and the plans, fixing the rows that disagree; returns
/// how many did (0 when all was well). Run it inside a write transaction.
pub async fn rebuild(db: &impl ConnectionTrait) -> AppResult<u64> {
    let mut expected = tally(&standings(db, Condition::all()).await?);
    let mut differing = 0;
    for row in stat::Entity::find().all(db).await? {
        let want = expected
            .remove(&(row.node_path.clone(), row.year, row.code.clone()))
            .unwrap_or_default();
        let have = Counts {
            submitted: row.submitted,
            passed: row.passed,
            excellent: row.excellent,
        };
        if want != have {
            differing += 1;
            let mut active: stat::ActiveModel = row.into();
            active.submitted = Set(want.submitted);
            active.passed = Set(want.passed);
            active.excellent = Set(want.excellent);
            active.update(db).await?;
        }
    }
    for ((node_path, year, code), want) in expected.into_iter().filter(|(_, c)| !c.is_zero()) {
        differing += 1;
        stat::ActiveModel {
            node_path: Set(node_path),
            year: Set(year),
            code: Set(code),
            submitted: Set(want.submitted),
            passed: Set(want.passed),
            excellent: Set(want.excellent),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(differing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_a_teacher_at_every_ancestor() {
        let s = Standing {
            path: "/510000/510100/510104/2151990001/".into(),
            totals: Counts::flags(true, false, true),
            points: BTreeMap::from([("A1".to_string(), Counts::flags(true, true, true))]),
        };
        let all = HashMap::from([((7, 2026), s)]);
        let t = tally(&all);
        assert_eq!(t.len(), 8, "4 nodes × (totals + A1)");
        assert_eq!(
            t[&("/510000/".to_string(), 2026, String::new())],
            Counts::flags(true, false, true)
        );
        assert_eq!(
            t[&("/510000/510100/".to_string(), 2026, "A1".to_string())],
            Counts::flags(true, true, true)
        );
    }
}
