//! `yanxiu-bench lessons`: the review engine on a province-round-sized field, no database. Generates `lessons`
//! entries over 21 counties × 400 schools and a pool of `reviewers` (most from a school, some from a county's
//! 教研室), times reviewer assignment with same-school and same-county 回避, proves the result (every lesson has
//! exactly `per_lesson` distinct reviewers, none in conflict), then times aggregation of three totals per lesson,
//! ranking and a 30 % quota walk. Exits non-zero when a target is missed.
use std::{
    collections::{HashMap, HashSet},
    time::Instant,
};

use rand::{Rng, SeedableRng, rngs::StdRng};

use yanxiu::lessons::engine::{
    Aggregation, ConflictRules, PoolReviewer, Quota, RoundEntry, Scored, aggregate, assign,
    conflicts, quota_size, rank_and_select,
};

const COUNTIES: usize = 21;
const SCHOOLS: usize = 400;
const ASSIGN_TARGET_MS: f64 = 1000.0;
const SELECT_TARGET_MS: f64 = 200.0;
const QUOTA: Quota = Quota::Percent(30);

pub struct LessonsBench {
    pub lessons: u32,
    pub reviewers: u32,
    pub per_lesson: u32,
    pub seed: u64,
    pub assign_runs: usize,
    pub select_runs: usize,
}

pub fn run(b: LessonsBench) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(b.seed);
    let field = Field::generate(&mut rng, b.lessons, b.reviewers);
    println!(
        "bench lessons: {} lessons, {} reviewers, {} per lesson, {COUNTIES} counties × {SCHOOLS} schools, seed {}",
        b.lessons, b.reviewers, b.per_lesson, b.seed
    );

    let rules = ConflictRules {
        same_county: true,
        declared: HashSet::new(),
    };
    let (assign_times, pairs) = time_runs(b.assign_runs, || {
        assign(&field.entries, &field.pool, b.per_lesson, &rules)
    });
    let pairs = pairs.map_err(|short| {
        anyhow::anyhow!(
            "the pool cannot cover {} lessons (first: {:?})",
            short.len(),
            short.first()
        )
    })?;
    let (min_load, max_load) = verify_assignment(&field, &pairs, b.per_lesson, &rules)?;

    let totals = field.reviewer_totals(&mut rng, b.per_lesson);
    let (select_times, ranked) = time_runs(b.select_runs, || {
        let scored = field.score(&totals);
        rank_and_select(&scored, QUOTA)
    });
    let outcome = verify_selection(&field, &ranked)?;

    let assign_row = Timing::of(&assign_times, ASSIGN_TARGET_MS);
    let select_row = Timing::of(&select_times, SELECT_TARGET_MS);
    println!();
    println!(
        "{:<44} {:>5} {:>9} {:>9} {:>9}  result",
        "step", "runs", "min ms", "median ms", "target ms"
    );
    assign_row.print("assign (回避 same school + same county)");
    select_row.print("aggregate (drop high/low) + rank + quota 30%");
    println!();
    println!(
        "assignments: {} new; reviewer load min {min_load}, max {max_load} (mean {:.1})",
        pairs.len(),
        pairs.len() as f64 / field.pool.len().max(1) as f64
    );
    println!(
        "selection: {} recommended of a quota of {}; not recommended: {}",
        outcome.recommended,
        quota_size(QUOTA, field.entries.len()),
        outcome.reasons_line()
    );
    anyhow::ensure!(assign_row.met() && select_row.met(), "a target was missed");
    Ok(())
}

/// The generated round: entries, the pool, and what the scoring side knows of each entry.
struct Field {
    entries: Vec<RoundEntry>,
    pool: Vec<PoolReviewer>,
    lessons: Vec<LessonFacts>,
}

struct LessonFacts {
    teacher_id: i64,
    slot: String,
    priority: bool,
    eligible: bool,
}

impl Field {
    fn generate(rng: &mut StdRng, lessons: u32, reviewers: u32) -> Self {
        let county_of_school: Vec<String> = (0..SCHOOLS)
            .map(|_| county_code(rng.random_range(0..COUNTIES)))
            .collect();
        let school_id = |index: usize| 1000 + index as i64;
        let entries = (1..=i64::from(lessons))
            .map(|id| {
                let school = rng.random_range(0..SCHOOLS);
                RoundEntry {
                    id,
                    school_id: school_id(school),
                    county_code: county_of_school[school].clone(),
                    assigned: vec![],
                }
            })
            .collect();
        let pool = (1..=i64::from(reviewers))
            .map(|i| {
                let school = rng.random_range(0..SCHOOLS);
                // One in ten reviewers is a county 教研员: a county but no school.
                let (school_id, county) = if rng.random_ratio(1, 10) {
                    (None, county_code(rng.random_range(0..COUNTIES)))
                } else {
                    (Some(school_id(school)), county_of_school[school].clone())
                };
                PoolReviewer {
                    id: 100_000 + i,
                    school_id,
                    county_code: Some(county),
                    load: 0,
                }
            })
            .collect();
        // Every eighth lesson is a second one of the teacher before it; slots (≈ 14,400) collide now and then.
        let lessons = (0..i64::from(lessons))
            .map(|i| LessonFacts {
                teacher_id: 1 + i - i / 8,
                slot: format!(
                    "{}年级|{}|{}|节点{}",
                    rng.random_range(1..=12),
                    [
                        "语文",
                        "数学",
                        "英语",
                        "物理",
                        "化学",
                        "生物",
                        "历史",
                        "地理",
                        "道德与法治",
                        "信息技术"
                    ][rng.random_range(0..10)],
                    ["人教版", "北师大版", "苏教版"][rng.random_range(0..3)],
                    rng.random_range(1..=40)
                ),
                priority: rng.random_ratio(3, 5),
                eligible: !rng.random_ratio(1, 30),
            })
            .collect();
        Field {
            entries,
            pool,
            lessons,
        }
    }

    /// `per_lesson` reviewer totals (0–100, in half points) for every lesson.
    fn reviewer_totals(&self, rng: &mut StdRng, per_lesson: u32) -> Vec<Vec<f64>> {
        self.entries
            .iter()
            .map(|_| {
                (0..per_lesson)
                    .map(|_| f64::from(rng.random_range(0..=200u32)) / 2.0)
                    .collect()
            })
            .collect()
    }

    /// What the service layer would hand to `rank_and_select`, slot strings included (part of the timed work).
    fn score(&self, totals: &[Vec<f64>]) -> Vec<Scored> {
        self.entries
            .iter()
            .zip(&self.lessons)
            .zip(totals)
            .map(|((entry, facts), totals)| Scored {
                entry_id: entry.id,
                score: aggregate(totals, Aggregation::DropHighLow),
                teacher_id: facts.teacher_id,
                slot: facts.slot.clone(),
                priority: facts.priority,
                eligible: facts.eligible,
            })
            .collect()
    }
}

fn county_code(index: usize) -> String {
    format!("5101{:02}", index + 4)
}

/// Runs `work` `runs` times; the milliseconds of each run and the last result.
fn time_runs<T>(runs: usize, mut work: impl FnMut() -> T) -> (Vec<f64>, T) {
    let mut times = Vec::with_capacity(runs.max(1));
    let mut result = None;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let out = work();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        // Dropped outside the timing: freeing the result is not part of the work measured.
        drop(result.replace(out));
    }
    let result = result.unwrap_or_else(|| unreachable!("at least one run"));
    (times, result)
}

/// Every lesson has exactly `per_lesson` distinct reviewers from the pool, none in conflict. Returns the
/// lowest and highest reviewer load.
fn verify_assignment(
    field: &Field,
    pairs: &[(i64, i64)],
    per_lesson: u32,
    rules: &ConflictRules,
) -> anyhow::Result<(u32, u32)> {
    let reviewers: HashMap<i64, &PoolReviewer> = field.pool.iter().map(|r| (r.id, r)).collect();
    let mut by_entry: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut loads: HashMap<i64, u32> = field.pool.iter().map(|r| (r.id, r.load)).collect();
    for &(entry_id, reviewer_id) in pairs {
        by_entry.entry(entry_id).or_default().push(reviewer_id);
        *loads
            .get_mut(&reviewer_id)
            .ok_or_else(|| anyhow::anyhow!("reviewer {reviewer_id} is not in the pool"))? += 1;
    }
    for entry in &field.entries {
        let mut mine = by_entry.remove(&entry.id).unwrap_or_default();
        mine.sort_unstable();
        mine.dedup();
        anyhow::ensure!(
            mine.len() == per_lesson as usize,
            "lesson {} has {} distinct reviewers, not {per_lesson}",
            entry.id,
            mine.len()
        );
        for reviewer_id in mine {
            anyhow::ensure!(
                !conflicts(reviewers[&reviewer_id], entry, rules),
                "lesson {} was given reviewer {reviewer_id}, who must stay away from it",
                entry.id
            );
        }
    }
    anyhow::ensure!(
        by_entry.is_empty(),
        "pairs for lessons that are not in the round"
    );
    let min = loads.values().min().copied().unwrap_or_default();
    let max = loads.values().max().copied().unwrap_or_default();
    Ok((min, max))
}

#[derive(Default)]
struct SelectionOutcome {
    recommended: usize,
    reasons: HashMap<&'static str, usize>,
}

impl SelectionOutcome {
    fn reasons_line(&self) -> String {
        let mut reasons: Vec<_> = self.reasons.iter().collect();
        reasons.sort();
        reasons
            .iter()
            .map(|(reason, n)| format!("{reason} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The quota holds and no slot or teacher is recommended twice.
fn verify_selection(
    field: &Field,
    ranked: &[yanxiu::lessons::engine::Ranked],
) -> anyhow::Result<SelectionOutcome> {
    let facts: HashMap<i64, &LessonFacts> = field
        .entries
        .iter()
        .zip(&field.lessons)
        .map(|(e, f)| (e.id, f))
        .collect();
    anyhow::ensure!(
        ranked.len() == field.entries.len(),
        "entries lost in ranking"
    );
    let mut outcome = SelectionOutcome::default();
    let (mut slots, mut teachers) = (HashSet::new(), HashSet::new());
    for r in ranked {
        match r.reason {
            Some(reason) => *outcome.reasons.entry(reason.as_str()).or_default() += 1,
            None => {
                outcome.recommended += 1;
                let lesson = facts[&r.entry_id];
                anyhow::ensure!(
                    lesson.eligible,
                    "ineligible lesson {} recommended",
                    r.entry_id
                );
                anyhow::ensure!(slots.insert(&lesson.slot), "slot {} twice", lesson.slot);
                anyhow::ensure!(teachers.insert(lesson.teacher_id), "a teacher twice");
            }
        }
    }
    anyhow::ensure!(
        outcome.recommended <= quota_size(QUOTA, field.entries.len()),
        "more recommended than the quota"
    );
    Ok(outcome)
}

/// One row of the figures table.
struct Timing {
    runs: usize,
    min: f64,
    median: f64,
    target: f64,
}

impl Timing {
    fn of(samples: &[f64], target: f64) -> Self {
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        Timing {
            runs: sorted.len(),
            min: sorted.first().copied().unwrap_or(f64::NAN),
            median: sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN),
            target,
        }
    }

    /// The median is what is held against the target: one lucky run proves little.
    fn met(&self) -> bool {
        self.median <= self.target
    }

    fn print(&self, step: &str) {
        // Pad by characters as a terminal shows them: CJK takes two columns.
        let width: usize = step.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
        println!(
            "{step}{} {:>5} {:>9.2} {:>9.2} {:>9.0}  {}",
            " ".repeat(44usize.saturating_sub(width)),
            self.runs,
            self.min,
            self.median,
            self.target,
            if self.met() { "ok" } else { "MISSED" }
        );
    }
}
