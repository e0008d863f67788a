//! Reviewer assignment for a review round: every lesson entry gets `per_entry` reviewers from the round's pool,
//! no reviewer judges a lesson they must stay away from (回避), and the work is spread as evenly as the conflicts
//! allow. The same inputs in any order give the same assignment, so a re-run after a failed save changes nothing.
use std::collections::{HashMap, HashSet};

/// A member of the round's reviewer pool.
#[derive(Debug, Clone)]
pub struct PoolReviewer {
    pub id: i64,
    pub school_id: Option<i64>,
    pub county_code: Option<String>,
    /// assignments already held in this round (kept, counted for balance)
    pub load: u32,
}

/// A lesson competing in the round, with where it comes from (what the conflicts are checked against).
#[derive(Debug, Clone)]
pub struct RoundEntry {
    pub id: i64,
    pub school_id: i64,
    pub county_code: String,
    /// reviewers already assigned to this entry (kept; count toward per_entry)
    pub assigned: Vec<i64>,
}

/// The round's 回避 settings.
#[derive(Debug, Clone, Default)]
pub struct ConflictRules {
    /// a reviewer never reviews a lesson of their own school: always on, not a setting
    pub same_county: bool,
    /// declared conflicts: (reviewer_id, entry_id) pairs
    pub declared: HashSet<(i64, i64)>,
}

/// An entry the pool cannot cover: it still needs `needed` reviewers but only `eligible` may review it.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortfall {
    pub entry_id: i64,
    pub needed: u32,
    pub eligible: u32,
}

/// Whether `reviewer` must not review `entry`: same school (always), same county (when the round says so), or a
/// conflict someone declared.
pub fn conflicts(reviewer: &PoolReviewer, entry: &RoundEntry, rules: &ConflictRules) -> bool {
    reviewer.school_id == Some(entry.school_id)
        || (rules.same_county
            && reviewer.county_code.as_deref() == Some(entry.county_code.as_str()))
        || rules.declared.contains(&(reviewer.id, entry.id))
}

/// New (entry_id, reviewer_id) pairs so that every entry has `per_entry` reviewers, or Err(shortfalls) listing
/// every entry the pool cannot cover (nothing assigned then).
///
/// Pairs come sorted by entry id, then reviewer id. Entries are filled most-constrained first (fewest spare
/// eligible reviewers), each taking the reviewers with the lowest load so far; single seats then move from heavy
/// to light reviewers while that narrows the gap.
pub fn assign(
    entries: &[RoundEntry],
    pool: &[PoolReviewer],
    per_entry: u32,
    rules: &ConflictRules,
) -> Result<Vec<(i64, i64)>, Vec<Shortfall>> {
    let pool = Pool::new(pool, rules.same_county);
    let entries = Demand::of_round(entries, per_entry, &pool, rules);

    let shortfalls: Vec<Shortfall> = entries.iter().filter_map(Demand::shortfall).collect();
    if !shortfalls.is_empty() {
        return Err(shortfalls);
    }

    let mut loads: Vec<u32> = pool.reviewers.iter().map(|r| r.load).collect();
    let open = most_constrained_first(&entries);
    let mut seats = Vec::with_capacity(open.len());
    let mut failed = Vec::new();
    for demand in &open {
        let chosen = least_loaded(demand, &pool, &loads);
        if chosen.len() < demand.needed as usize {
            // Cannot happen while eligibility is fixed and reviewers have no capacity limit; reported rather than
            // half-assigned should a future rule (a cap per reviewer) make it possible.
            failed.push(Shortfall {
                entry_id: demand.entry_id,
                needed: demand.needed,
                eligible: chosen.len() as u32,
            });
        }
        for &index in &chosen {
            loads[index] += 1;
        }
        seats.push(chosen);
    }
    if !failed.is_empty() {
        failed.sort_by_key(|s| s.entry_id);
        return Err(failed);
    }
    rebalance(&open, &mut seats, &pool, &mut loads);

    let mut pairs: Vec<(i64, i64)> = open
        .iter()
        .zip(&seats)
        .flat_map(|(demand, chosen)| {
            chosen
                .iter()
                .map(|&index| (demand.entry_id, pool.reviewers[index].id))
        })
        .collect();
    pairs.sort_unstable();
    Ok(pairs)
}

/// The pool sorted by id (so input order cannot change the outcome), with county codes turned into small numbers
/// so the entries × pool conflict scan compares integers, not strings.
struct Pool<'a> {
    reviewers: Vec<&'a PoolReviewer>,
    counties: Vec<Option<u32>>,
    county_numbers: HashMap<&'a str, u32>,
}

impl<'a> Pool<'a> {
    fn new(pool: &'a [PoolReviewer], same_county: bool) -> Self {
        let mut reviewers: Vec<&PoolReviewer> = pool.iter().collect();
        reviewers.sort_by_key(|r| r.id);
        // A reviewer listed twice is one reviewer: taking both copies could seat them twice on one entry.
        reviewers.dedup_by_key(|r| r.id);
        let mut county_numbers = HashMap::new();
        let counties = reviewers
            .iter()
            .map(|r| {
                let code = r.county_code.as_deref().filter(|_| same_county)?;
                let next = county_numbers.len() as u32;
                Some(*county_numbers.entry(code).or_insert(next))
            })
            .collect();
        Pool {
            reviewers,
            counties,
            county_numbers,
        }
    }

    /// Pool indexes of the reviewers who may be added to `entry`, in id order.
    fn eligible<'p>(
        &'p self,
        entry: &'p RoundEntry,
        blocked: &'p [i64],
    ) -> impl Iterator<Item = usize> + 'p {
        // A county no pool member comes from conflicts with nobody; `None` never equals a reviewer's `Some`.
        let county = self.county_numbers.get(entry.county_code.as_str()).copied();
        (0..self.reviewers.len()).filter(move |&i| {
            let reviewer = self.reviewers[i];
            reviewer.school_id != Some(entry.school_id)
                && (county.is_none() || self.counties[i] != county)
                && blocked.binary_search(&reviewer.id).is_err()
        })
    }
}

/// What one entry still needs, and how many reviewers could give it.
struct Demand<'a> {
    entry_id: i64,
    entry: &'a RoundEntry,
    /// Reviewers who may not be added: those already on the entry and those with a declared conflict. Sorted.
    blocked: Vec<i64>,
    needed: u32,
    eligible: u32,
}

impl<'a> Demand<'a> {
    fn of_round(
        entries: &'a [RoundEntry],
        per_entry: u32,
        pool: &Pool,
        rules: &ConflictRules,
    ) -> Vec<Self> {
        let declared = declared_by_entry(rules);
        let mut sorted: Vec<&RoundEntry> = entries.iter().collect();
        sorted.sort_by_key(|e| e.id);
        sorted.dedup_by_key(|e| e.id);
        sorted
            .into_iter()
            .map(|entry| {
                let mut kept = entry.assigned.clone();
                kept.sort_unstable();
                kept.dedup();
                let needed = per_entry.saturating_sub(kept.len() as u32);
                let mut blocked = kept;
                blocked.extend(declared.get(&entry.id).into_iter().flatten());
                blocked.sort_unstable();
                blocked.dedup();
                let mut demand = Demand {
                    entry_id: entry.id,
                    entry,
                    blocked,
                    needed,
                    eligible: 0,
                };
                // Entries that need nobody skip the pool scan: after a partial re-run most are full already.
                if needed > 0 {
                    demand.eligible = pool.eligible(entry, &demand.blocked).count() as u32;
                }
                demand
            })
            .collect()
    }

    fn shortfall(&self) -> Option<Shortfall> {
        (self.eligible < self.needed).then_some(Shortfall {
            entry_id: self.entry_id,
            needed: self.needed,
            eligible: self.eligible,
        })
    }
}

/// Declared conflicts grouped by entry, so each entry looks up its few pairs instead of hashing every reviewer.
fn declared_by_entry(rules: &ConflictRules) -> HashMap<i64, Vec<i64>> {
    let mut by_entry: HashMap<i64, Vec<i64>> = HashMap::new();
    for &(reviewer_id, entry_id) in &rules.declared {
        by_entry.entry(entry_id).or_default().push(reviewer_id);
    }
    by_entry
}

/// The entries that still need reviewers, those with the least choice first: filling them while every reviewer
/// is still lightly loaded keeps the scarce reviewers from being used up by entries that had alternatives.
fn most_constrained_first<'d, 'a>(entries: &'d [Demand<'a>]) -> Vec<&'d Demand<'a>> {
    let mut open: Vec<&Demand> = entries.iter().filter(|d| d.needed > 0).collect();
    open.sort_by_key(|d| (d.eligible.saturating_sub(d.needed), d.entry_id));
    open
}

/// The `demand.needed` eligible reviewers with the lowest load (pool indexes). Equal loads are split by a hash of
/// (entry, reviewer) rather than by id, so the lowest ids are not picked for every entry at the start.
fn least_loaded(demand: &Demand, pool: &Pool, loads: &[u32]) -> Vec<usize> {
    let wanted = demand.needed as usize;
    // Kept sorted and at most `wanted` long (a handful): cheaper than sorting the whole eligible list.
    let mut best: Vec<((u32, u64, i64), usize)> = Vec::with_capacity(wanted + 1);
    for index in pool.eligible(demand.entry, &demand.blocked) {
        let reviewer_id = pool.reviewers[index].id;
        let key = (
            loads[index],
            tie_break(demand.entry_id, reviewer_id),
            reviewer_id,
        );
        if best.len() == wanted && best.last().is_some_and(|(worst, _)| key >= *worst) {
            continue;
        }
        let at = best.partition_point(|(k, _)| *k < key);
        best.insert(at, (key, index));
        best.truncate(wanted);
    }
    best.into_iter().map(|(_, index)| index).collect()
}

/// The greedy pass can end uneven when the last entries all come from counties whose reviewers are the least
/// loaded (they may not review them). Moving single new seats from a reviewer to one at least two lighter, until no
/// such move exists, evens that out; every move lowers the sum of squared loads, so it ends. Seats that were kept
/// from before are never moved.
fn rebalance(open: &[&Demand], seats: &mut [Vec<usize>], pool: &Pool, loads: &mut [u32]) {
    let mut held: Vec<Vec<usize>> = vec![Vec::new(); loads.len()];
    for (seat, chosen) in seats.iter().enumerate() {
        for &reviewer in chosen {
            held[reviewer].push(seat);
        }
    }
    while let Some(step) = improving_move(open, seats, pool, loads, &held) {
        for reviewer in seats[step.seat].iter_mut().filter(|r| **r == step.from) {
            *reviewer = step.to;
        }
        held[step.from].retain(|&seat| seat != step.seat);
        held[step.to].push(step.seat);
        loads[step.from] -= 1;
        loads[step.to] += 1;
    }
}

/// A seat of open entry `seat` handed from reviewer `from` to reviewer `to` (pool indexes).
struct Move {
    seat: usize,
    from: usize,
    to: usize,
}

/// The first move found from the most loaded reviewers down, to the lightest eligible reviewer.
fn improving_move(
    open: &[&Demand],
    seats: &[Vec<usize>],
    pool: &Pool,
    loads: &[u32],
    held: &[Vec<usize>],
) -> Option<Move> {
    let lightest = loads.iter().copied().min()?;
    let mut donors: Vec<usize> = (0..loads.len())
        .filter(|&r| loads[r] >= lightest + 2)
        .collect();
    donors.sort_by_key(|&r| (std::cmp::Reverse(loads[r]), r));
    for from in donors {
        for &seat in &held[from] {
            let demand = open[seat];
            let to = pool
                .eligible(demand.entry, &demand.blocked)
                .filter(|&r| loads[r] + 2 <= loads[from] && !seats[seat].contains(&r))
                .min_by_key(|&r| {
                    let reviewer_id = pool.reviewers[r].id;
                    (
                        loads[r],
                        tie_break(demand.entry_id, reviewer_id),
                        reviewer_id,
                    )
                });
            if let Some(to) = to {
                return Some(Move { seat, from, to });
            }
        }
    }
    None
}

/// A well-mixed, fixed (not randomly seeded) hash of the pair: splitmix64's finaliser.
fn tie_break(entry_id: i64, reviewer_id: i64) -> u64 {
    let mut x = (entry_id as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(reviewer_id as u64);
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reviewer(id: i64, school_id: Option<i64>, county: Option<&str>) -> PoolReviewer {
        PoolReviewer {
            id,
            school_id,
            county_code: county.map(str::to_string),
            load: 0,
        }
    }

    fn entry(id: i64, school_id: i64, county: &str) -> RoundEntry {
        RoundEntry {
            id,
            school_id,
            county_code: county.to_string(),
            assigned: vec![],
        }
    }

    fn county_rules() -> ConflictRules {
        ConflictRules {
            same_county: true,
            declared: HashSet::new(),
        }
    }

    /// Reviewer loads after the new pairs, by reviewer id.
    fn final_loads(pool: &[PoolReviewer], pairs: &[(i64, i64)]) -> HashMap<i64, u32> {
        let mut loads: HashMap<i64, u32> = pool.iter().map(|r| (r.id, r.load)).collect();
        for (_, reviewer_id) in pairs {
            *loads.get_mut(reviewer_id).expect("reviewer from the pool") += 1;
        }
        loads
    }

    /// 12 schools over 4 counties; reviewers from every school; entries spread evenly.
    fn district(entries: i64, reviewers: i64) -> (Vec<RoundEntry>, Vec<PoolReviewer>) {
        let county = |school: i64| format!("5101{:02}", school % 4);
        let entries = (1..=entries)
            .map(|id| entry(id, id % 12, &county(id % 12)))
            .collect();
        let pool = (1..=reviewers)
            .map(|id| reviewer(100 + id, Some(id % 12), Some(&county(id % 12))))
            .collect();
        (entries, pool)
    }

    #[test]
    fn same_school_always_conflicts() {
        let e = entry(1, 7, "510104");
        let rules = ConflictRules::default();
        assert!(conflicts(&reviewer(1, Some(7), Some("510199")), &e, &rules));
        assert!(!conflicts(
            &reviewer(2, Some(8), Some("510104")),
            &e,
            &rules
        ));
        assert!(!conflicts(&reviewer(3, None, None), &e, &rules));
    }

    #[test]
    fn same_county_conflicts_only_when_the_round_says_so() {
        let e = entry(1, 7, "510104");
        let colleague = reviewer(2, Some(8), Some("510104"));
        assert!(conflicts(&colleague, &e, &county_rules()));
        assert!(!conflicts(&colleague, &e, &ConflictRules::default()));
        assert!(!conflicts(
            &reviewer(3, Some(9), Some("510105")),
            &e,
            &county_rules()
        ));
        // A reviewer without a county (e.g. from the city's 教研室) is nobody's county colleague.
        assert!(!conflicts(&reviewer(4, None, None), &e, &county_rules()));
    }

    #[test]
    fn declared_conflicts_hold_for_their_pair_only() {
        let rules = ConflictRules {
            same_county: false,
            declared: HashSet::from([(5, 1)]),
        };
        let r = reviewer(5, Some(8), Some("510105"));
        assert!(conflicts(&r, &entry(1, 7, "510104"), &rules));
        assert!(!conflicts(&r, &entry(2, 7, "510104"), &rules));
        assert!(!conflicts(
            &reviewer(6, Some(8), None),
            &entry(1, 7, "510104"),
            &rules
        ));
    }

    #[test]
    fn every_entry_gets_distinct_reviewers_without_conflicts() {
        let (entries, pool) = district(60, 24);
        let mut rules = county_rules();
        rules.declared.insert((101, 2));
        let pairs = assign(&entries, &pool, 3, &rules).expect("coverable");
        assert_eq!(pairs.len(), 180);
        for e in &entries {
            let mut mine: Vec<i64> = pairs
                .iter()
                .filter(|(entry_id, _)| *entry_id == e.id)
                .map(|(_, r)| *r)
                .collect();
            mine.dedup();
            assert_eq!(mine.len(), 3, "entry {}", e.id);
            for reviewer_id in mine {
                let r = pool
                    .iter()
                    .find(|r| r.id == reviewer_id)
                    .expect("from the pool");
                assert!(!conflicts(r, e, &rules), "entry {} ← {}", e.id, r.id);
            }
        }
    }

    #[test]
    fn the_same_round_in_any_order_gives_the_same_assignment() {
        let (entries, pool) = district(50, 20);
        let expected = assign(&entries, &pool, 3, &county_rules()).expect("coverable");
        let mut entries_rev = entries.clone();
        entries_rev.reverse();
        let mut pool_shuffled = pool.clone();
        // A fixed permutation that is neither sorted nor reversed.
        pool_shuffled.sort_by_key(|r| tie_break(7, r.id));
        let got = assign(&entries_rev, &pool_shuffled, 3, &county_rules()).expect("coverable");
        assert_eq!(got, expected);
        // ...and the order is the documented one.
        let mut sorted = got.clone();
        sorted.sort();
        assert_eq!(got, sorted);
    }

    #[test]
    fn loads_are_balanced_on_a_uniform_round() {
        // No conflicts apply (reviewers from outside the district): 100 × 3 assignments over 7 reviewers.
        let entries: Vec<RoundEntry> = (1..=100).map(|id| entry(id, 1, "510104")).collect();
        let pool: Vec<PoolReviewer> = (1..=7)
            .map(|id| reviewer(id, Some(99), Some("510199")))
            .collect();
        let pairs = assign(&entries, &pool, 3, &county_rules()).expect("coverable");
        let loads = final_loads(&pool, &pairs);
        let (max, min) = (loads.values().max(), loads.values().min());
        assert_eq!(loads.values().sum::<u32>(), 300);
        assert_eq!((max, min), (Some(&43), Some(&42)));
    }

    #[test]
    fn loads_stay_within_one_with_school_and_county_conflicts() {
        let (entries, pool) = district(240, 24);
        let pairs = assign(&entries, &pool, 3, &county_rules()).expect("coverable");
        let loads = final_loads(&pool, &pairs);
        let max = loads.values().max().copied().unwrap_or_default();
        let min = loads.values().min().copied().unwrap_or_default();
        assert_eq!(pairs.len(), 720);
        assert!(max - min <= 1, "loads {min}..{max}");
    }

    #[test]
    fn a_reviewer_who_may_review_nothing_does_not_stall_the_balancing() {
        let entries: Vec<RoundEntry> = (1..=20).map(|id| entry(id, 1, "A")).collect();
        let mut pool: Vec<PoolReviewer> = (1..=4).map(|id| reviewer(id, Some(2), None)).collect();
        pool.push(reviewer(5, Some(1), None));
        let pairs = assign(&entries, &pool, 2, &county_rules()).expect("coverable");
        let loads = final_loads(&pool, &pairs);
        assert_eq!(loads[&5], 0);
        assert!((1..=4).all(|id| loads[&id] == 10), "{loads:?}");
    }

    #[test]
    fn existing_assignments_are_kept_and_counted() {
        let mut entries = vec![entry(1, 1, "A"), entry(2, 1, "A")];
        entries[0].assigned = vec![10, 11];
        entries[1].assigned = vec![10, 11, 12];
        let mut pool: Vec<PoolReviewer> = (10..=14).map(|id| reviewer(id, Some(2), None)).collect();
        // Reviewers 10 and 11 already carry work in this round, so the new seat goes to a lighter one.
        pool[0].load = 2;
        pool[1].load = 2;
        pool[2].load = 1;
        pool[3].load = 5;
        let pairs = assign(&entries, &pool, 3, &county_rules()).expect("coverable");
        assert_eq!(pairs, vec![(1, 14)]);
        // The entry that is already full needs nothing, even when per_entry shrank.
        assert_eq!(assign(&entries, &pool, 2, &county_rules()), Ok(vec![]));
    }

    #[test]
    fn already_assigned_reviewers_are_never_seated_twice() {
        let mut e = entry(1, 1, "A");
        e.assigned = vec![10];
        let pool = vec![
            reviewer(10, Some(2), None),
            reviewer(11, Some(2), None),
            reviewer(12, Some(2), None),
        ];
        let pairs = assign(&[e], &pool, 3, &county_rules()).expect("coverable");
        assert_eq!(pairs, vec![(1, 11), (1, 12)]);
    }

    #[test]
    fn an_impossible_pool_lists_every_short_entry_and_assigns_nothing() {
        let mut entries = vec![
            entry(3, 1, "A"), // 20 same school, 21 same county, 23 declared: only 22
            entry(1, 2, "B"), // anyone: covered
            entry(2, 3, "C"), // 22 same county, 20 and 21 declared: only 23
            entry(4, 1, "A"), // has 22 already, so needs one more; 23 declared: nobody left
        ];
        entries[3].assigned = vec![22];
        let pool = vec![
            reviewer(20, Some(1), Some("A")),
            reviewer(21, Some(5), Some("A")),
            reviewer(22, Some(6), Some("C")),
            reviewer(23, None, None),
        ];
        let rules = ConflictRules {
            same_county: true,
            declared: HashSet::from([(23, 3), (20, 2), (21, 2), (23, 4)]),
        };
        let short = assign(&entries, &pool, 2, &rules).expect_err("not coverable");
        let expected = |entry_id, needed, eligible| Shortfall {
            entry_id,
            needed,
            eligible,
        };
        assert_eq!(
            short,
            vec![expected(2, 2, 1), expected(3, 2, 1), expected(4, 1, 0)]
        );
        // With one seat each the same pool covers the round, and entry 4 (which has its one) gets nobody new.
        let pairs = assign(&entries, &pool, 1, &rules).expect("coverable");
        assert_eq!(pairs.len(), 3);
        assert!(pairs.contains(&(2, 23)) && pairs.contains(&(3, 22)));
        assert!(pairs.iter().all(|(entry_id, _)| *entry_id != 4));
    }

    #[test]
    fn an_empty_pool_is_a_shortfall_for_every_entry() {
        let entries = vec![entry(1, 1, "A"), entry(2, 1, "A")];
        let short = assign(&entries, &[], 1, &ConflictRules::default()).expect_err("no pool");
        assert_eq!(short.iter().map(|s| s.entry_id).collect::<Vec<_>>(), [1, 2]);
    }

    #[test]
    fn the_fast_eligibility_scan_agrees_with_conflicts() {
        let (entries, pool) = district(30, 15);
        let mut rules = county_rules();
        rules.declared.extend([(101, 1), (105, 7), (110, 30)]);
        for same_county in [false, true] {
            rules.same_county = same_county;
            let compiled = Pool::new(&pool, same_county);
            for e in &entries {
                let blocked = declared_by_entry(&rules).remove(&e.id).unwrap_or_default();
                let fast: Vec<i64> = compiled
                    .eligible(e, &blocked)
                    .map(|i| compiled.reviewers[i].id)
                    .collect();
                let slow: Vec<i64> = pool
                    .iter()
                    .filter(|r| !conflicts(r, e, &rules))
                    .map(|r| r.id)
                    .collect();
                assert_eq!(fast, slow, "entry {} same_county {same_county}", e.id);
            }
        }
    }

    #[test]
    fn ties_are_not_all_won_by_the_lowest_ids() {
        // One seat per entry, nine equal reviewers: a plain id tie-break would give entry after entry to
        // reviewer 1 first; the hash spreads first picks over several reviewers.
        let entries: Vec<RoundEntry> = (1..=9).map(|id| entry(id, 1, "A")).collect();
        let pool: Vec<PoolReviewer> = (1..=9).map(|id| reviewer(id, Some(2), None)).collect();
        let pairs = assign(&entries, &pool, 1, &ConflictRules::default()).expect("coverable");
        let by_entry_order: Vec<i64> = pairs.iter().map(|(_, r)| *r).collect();
        assert_ne!(by_entry_order, (1..=9).collect::<Vec<_>>());
        let loads = final_loads(&pool, &pairs);
        assert!(loads.values().all(|&l| l == 1));
    }
}
