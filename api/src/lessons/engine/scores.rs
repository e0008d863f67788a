//! From reviewers' totals to a round's recommendations: one score per lesson, a ranking, and the quota walk that
//! keeps at most one lesson per catalogue slot and per teacher, with lessons on never-awarded nodes first on ties.
use std::collections::HashSet;

pub use entity::lesson_round_entry::NotRecommended;

pub use entity::lesson_round::Aggregation;

/// None when there are no scores; DropHighLow drops one highest and one lowest when there are ≥ 3 scores, else
/// it is the mean. Rounded to 2 decimals.
pub fn aggregate(totals: &[f64], method: Aggregation) -> Option<f64> {
    if totals.is_empty() {
        return None;
    }
    let sum: f64 = totals.iter().sum();
    let mean = match method {
        Aggregation::DropHighLow if totals.len() >= 3 => {
            (sum - highest(totals) - lowest(totals)) / (totals.len() - 2) as f64
        }
        // With two scores dropping both would leave nothing: the mean is the only fair answer.
        Aggregation::Mean | Aggregation::DropHighLow => sum / totals.len() as f64,
    };
    Some(round2(mean))
}

/// max − min (0 for fewer than 2 scores). Rounded to 2 decimals like the scores, so that float noise
/// (90.4 − 80.3 = 10.100000000000009) cannot push a spread over a disagreement threshold it only meets.
pub fn spread(totals: &[f64]) -> f64 {
    if totals.len() < 2 {
        return 0.0;
    }
    round2(highest(totals) - lowest(totals))
}

fn highest(totals: &[f64]) -> f64 {
    totals.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

fn lowest(totals: &[f64]) -> f64 {
    totals.iter().copied().fold(f64::INFINITY, f64::min)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A lesson as the quota walk sees it.
#[derive(Debug, Clone)]
pub struct Scored {
    pub entry_id: i64,
    /// final score: an override when the admin recorded one, else the aggregate; None = not yet scored
    pub score: Option<f64>,
    pub teacher_id: i64,
    /// 年级 × 学科 × 版本 × 知识节点, as one key
    pub slot: String,
    /// the catalogue node has no earlier 部级优课 (ministry-level award)
    pub priority: bool,
    /// may be recommended (false e.g. while a disagreement flag is unresolved or an objection upheld)
    pub eligible: bool,
}

/// How many lessons a round may pass on: a share of its lessons, or a fixed number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Quota {
    Percent(u32),
    Fixed(u32),
}

/// One line of the round's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub entry_id: i64,
    pub score: Option<f64>,
    /// 1-based, equal scores share a rank (1,2,2,4); unscored entries rank last with rank None
    pub rank: Option<u32>,
    pub recommended: bool,
    /// why not recommended, when it is not
    pub reason: Option<NotRecommended>,
}

/// How many the quota admits out of `population` entries: Percent → floor(population × p / 100), Fixed →
/// min(n, population).
pub fn quota_size(quota: Quota, population: usize) -> usize {
    let admitted = match quota {
        Quota::Percent(p) => (population as u128 * u128::from(p) / 100) as usize,
        Quota::Fixed(n) => n as usize,
    };
    // A percentage above 100 cannot admit more lessons than there are.
    admitted.min(population)
}

/// Ranks by score desc (ties: priority first, then entry id asc — deterministic), then walks the ranking
/// proposing entries until the quota is full, skipping ineligible/unscored ones, a second lesson for an
/// already-taken slot, and a second lesson of an already-taken teacher.
///
/// The result is in ranking order. The quota is counted over every entry of the round, scored or not (a county
/// passes ≤ 30 % of the lessons it recorded). A lesson that is out for its own reason (slot or teacher taken)
/// says so even once the quota is full, since more room would not have helped it.
pub fn rank_and_select(entries: &[Scored], quota: Quota) -> Vec<Ranked> {
    let mut order: Vec<&Scored> = entries.iter().collect();
    order.sort_by(|a, b| ranking_order(a, b));

    let admitted = quota_size(quota, entries.len());
    let mut recommended = 0usize;
    let mut slots_taken: HashSet<&str> = HashSet::new();
    let mut teachers_taken: HashSet<i64> = HashSet::new();
    let mut ranks = Ranks::default();

    order
        .into_iter()
        .map(|entry| {
            let score = usable_score(entry);
            let reason = if score.is_none() {
                Some(NotRecommended::Unscored)
            } else if !entry.eligible {
                Some(NotRecommended::Ineligible)
            } else if slots_taken.contains(entry.slot.as_str()) {
                Some(NotRecommended::SlotTaken)
            } else if teachers_taken.contains(&entry.teacher_id) {
                Some(NotRecommended::TeacherTaken)
            } else if recommended >= admitted {
                Some(NotRecommended::QuotaFull)
            } else {
                None
            };
            if reason.is_none() {
                recommended += 1;
                slots_taken.insert(entry.slot.as_str());
                teachers_taken.insert(entry.teacher_id);
            }
            Ranked {
                entry_id: entry.entry_id,
                score: entry.score,
                rank: score.map(|s| ranks.next(s)),
                recommended: reason.is_none(),
                reason,
            }
        })
        .collect()
}

/// A score that can be ranked: a NaN (a broken override) is treated as no score rather than sorting above 100.
fn usable_score(entry: &Scored) -> Option<f64> {
    entry.score.filter(|s| !s.is_nan())
}

fn ranking_order(a: &Scored, b: &Scored) -> std::cmp::Ordering {
    match (usable_score(a), usable_score(b)) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
    .then(b.priority.cmp(&a.priority))
    .then(a.entry_id.cmp(&b.entry_id))
}

/// Competition ranking ("1224") over scores arriving in descending order.
#[derive(Default)]
struct Ranks {
    seen: u32,
    last: Option<(f64, u32)>,
}

impl Ranks {
    fn next(&mut self, score: f64) -> u32 {
        self.seen += 1;
        let rank = match self.last {
            Some((last_score, last_rank)) if last_score == score => last_rank,
            _ => self.seen,
        };
        self.last = Some((score, rank));
        rank
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(entry_id: i64, score: Option<f64>, teacher_id: i64, slot: &str) -> Scored {
        Scored {
            entry_id,
            score,
            teacher_id,
            slot: slot.to_string(),
            priority: false,
            eligible: true,
        }
    }

    fn summary(ranked: &[Ranked]) -> Vec<(i64, Option<u32>, Option<NotRecommended>)> {
        ranked
            .iter()
            .map(|r| (r.entry_id, r.rank, r.reason))
            .collect()
    }

    #[test]
    fn mean_of_the_totals_rounded_to_two_decimals() {
        assert_eq!(
            aggregate(&[80.0, 85.0, 91.0], Aggregation::Mean),
            Some(85.33)
        );
        assert_eq!(aggregate(&[90.0, 85.0], Aggregation::Mean), Some(87.5));
        assert_eq!(aggregate(&[77.5], Aggregation::Mean), Some(77.5));
        assert_eq!(aggregate(&[], Aggregation::Mean), None);
    }

    #[test]
    fn drop_high_low_removes_one_of_each_from_three_or_more() {
        assert_eq!(
            aggregate(&[60.0, 85.0, 99.0], Aggregation::DropHighLow),
            Some(85.0)
        );
        // Only one of the two equal highest is dropped.
        assert_eq!(
            aggregate(&[90.0, 70.0, 90.0, 80.0], Aggregation::DropHighLow),
            Some(85.0)
        );
        assert_eq!(
            aggregate(&[91.0, 80.0, 70.0, 85.0, 60.0], Aggregation::DropHighLow),
            Some(78.33)
        );
    }

    #[test]
    fn drop_high_low_with_fewer_than_three_is_the_mean() {
        assert_eq!(
            aggregate(&[90.0, 81.0], Aggregation::DropHighLow),
            Some(85.5)
        );
        assert_eq!(aggregate(&[72.0], Aggregation::DropHighLow), Some(72.0));
        assert_eq!(aggregate(&[], Aggregation::DropHighLow), None);
    }

    #[test]
    fn spread_is_highest_minus_lowest() {
        assert_eq!(spread(&[80.0, 95.5, 88.0]), 15.5);
        assert_eq!(spread(&[90.4, 80.3]), 10.1);
        assert_eq!(spread(&[88.0]), 0.0);
        assert_eq!(spread(&[]), 0.0);
    }

    #[test]
    fn quota_sizes() {
        assert_eq!(quota_size(Quota::Percent(30), 3225), 967);
        assert_eq!(quota_size(Quota::Percent(30), 9), 2);
        assert_eq!(quota_size(Quota::Percent(0), 100), 0);
        assert_eq!(quota_size(Quota::Percent(150), 10), 10);
        assert_eq!(quota_size(Quota::Fixed(800), 3225), 800);
        assert_eq!(quota_size(Quota::Fixed(800), 17), 17);
    }

    #[test]
    fn equal_scores_share_a_rank_and_unscored_rank_last() {
        let entries = vec![
            scored(1, Some(80.0), 1, "a"),
            scored(2, None, 2, "b"),
            scored(3, Some(90.0), 3, "c"),
            scored(4, Some(80.0), 4, "d"),
            scored(5, Some(70.0), 5, "e"),
        ];
        let ranked = rank_and_select(&entries, Quota::Fixed(10));
        assert_eq!(
            summary(&ranked),
            vec![
                (3, Some(1), None),
                (1, Some(2), None),
                (4, Some(2), None),
                (5, Some(4), None),
                (2, None, Some(NotRecommended::Unscored)),
            ]
        );
        assert_eq!(ranked[0].score, Some(90.0));
        assert!(!ranked[4].recommended);
    }

    #[test]
    fn a_percent_quota_passes_the_best_share() {
        let entries: Vec<Scored> = (1..=10)
            .map(|i| scored(i, Some(50.0 + i as f64), i, &format!("slot{i}")))
            .collect();
        let ranked = rank_and_select(&entries, Quota::Percent(30));
        let passed: Vec<i64> = ranked
            .iter()
            .filter(|r| r.recommended)
            .map(|r| r.entry_id)
            .collect();
        assert_eq!(passed, vec![10, 9, 8]);
        assert_eq!(ranked[3].reason, Some(NotRecommended::QuotaFull));
        assert_eq!(ranked[9].reason, Some(NotRecommended::QuotaFull));
    }

    #[test]
    fn a_fixed_quota_counts_only_recommended_lessons() {
        let mut entries = vec![
            scored(1, Some(95.0), 1, "a"),
            scored(2, Some(90.0), 2, "b"),
            scored(3, Some(85.0), 3, "c"),
            scored(4, Some(80.0), 4, "d"),
        ];
        entries[1].eligible = false;
        let ranked = rank_and_select(&entries, Quota::Fixed(2));
        assert_eq!(
            summary(&ranked),
            vec![
                (1, Some(1), None),
                (2, Some(2), Some(NotRecommended::Ineligible)),
                (3, Some(3), None),
                (4, Some(4), Some(NotRecommended::QuotaFull)),
            ]
        );
    }

    #[test]
    fn one_lesson_per_slot_and_one_per_teacher() {
        let entries = vec![
            scored(1, Some(95.0), 7, "三年级|数学|人教版|分数的初步认识"),
            scored(2, Some(94.0), 8, "三年级|数学|人教版|分数的初步认识"),
            scored(3, Some(93.0), 7, "四年级|数学|人教版|小数"),
            scored(4, Some(92.0), 9, "四年级|数学|人教版|小数"),
        ];
        let ranked = rank_and_select(&entries, Quota::Fixed(10));
        assert_eq!(
            summary(&ranked),
            vec![
                (1, Some(1), None),
                (2, Some(2), Some(NotRecommended::SlotTaken)),
                (3, Some(3), Some(NotRecommended::TeacherTaken)),
                // The slot is still free because the teacher's second lesson did not take it.
                (4, Some(4), None),
            ]
        );
    }

    #[test]
    fn priority_wins_ties_then_the_lower_entry_id() {
        let mut entries = vec![
            scored(5, Some(88.0), 1, "a"),
            scored(6, Some(88.0), 2, "b"),
            scored(2, Some(88.0), 3, "c"),
            scored(9, Some(88.0), 4, "d"),
        ];
        entries[1].priority = true;
        entries[3].priority = true;
        let ranked = rank_and_select(&entries, Quota::Fixed(3));
        assert_eq!(
            summary(&ranked),
            vec![
                (6, Some(1), None),
                (9, Some(1), None),
                (2, Some(1), None),
                (5, Some(1), Some(NotRecommended::QuotaFull)),
            ]
        );
    }

    #[test]
    fn the_ranking_does_not_depend_on_input_order() {
        let entries: Vec<Scored> = (1..=40)
            .map(|i| {
                let mut s = scored(i, Some(f64::from((i * 7 % 13) as u8)), i % 9, "x");
                s.slot = format!("slot{}", i % 11);
                s.priority = i % 3 == 0;
                s.eligible = i % 5 != 0;
                s
            })
            .collect();
        let mut reversed = entries.clone();
        reversed.reverse();
        assert_eq!(
            rank_and_select(&entries, Quota::Percent(30)),
            rank_and_select(&reversed, Quota::Percent(30))
        );
    }
}
