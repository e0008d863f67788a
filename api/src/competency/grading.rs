//! The pure rules of 能力点 grading: the grade a checklist earns, and whether a teacher's passed points meet the
//! school's plan. No database here.
use std::collections::HashSet;

use super::{Dimension, Grade};

/// A reviewer's checklist: one tick per 优秀 criterion and one per 合格 criterion of the card, in order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checks {
    pub excellent: Vec<bool>,
    pub pass: Vec<bool>,
}

/// The grade a checklist earns: 优秀 only when every 优秀 criterion holds (and, being the higher grade, every 合格
/// one too); 合格 when every 合格 criterion holds; otherwise 不合格. A card without criteria of a grade cannot
/// award it (a published card always has both).
pub fn derive(checks: &Checks) -> Grade {
    let all = |v: &[bool]| !v.is_empty() && v.iter().all(|b| *b);
    if all(&checks.pass) && all(&checks.excellent) {
        Grade::Excellent
    } else if all(&checks.pass) {
        Grade::Pass
    } else {
        Grade::Fail
    }
}

/// What a teacher's plan asks: how many points to pass, which are compulsory, and whether the passed points must
/// cover different dimensions.
pub struct Requirement<'a> {
    pub required: usize,
    pub distinct_dimensions: bool,
    pub compulsory: &'a [String],
}

/// Whether the passed points (code, dimension) satisfy the plan: enough of them, every compulsory one among
/// them, and — when asked — as many different dimensions as required (at most the four there are).
pub fn plan_met(req: &Requirement<'_>, passed: &[(String, Option<Dimension>)]) -> bool {
    let codes: HashSet<&str> = passed.iter().map(|(c, _)| c.as_str()).collect();
    if codes.len() < req.required {
        return false;
    }
    if !req.compulsory.iter().all(|c| codes.contains(c.as_str())) {
        return false;
    }
    if req.distinct_dimensions {
        let dims: HashSet<Dimension> = passed.iter().filter_map(|(_, d)| *d).collect();
        if dims.len() < req.required.min(Dimension::ALL.len()) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checks(excellent: &[bool], pass: &[bool]) -> Checks {
        Checks {
            excellent: excellent.to_vec(),
            pass: pass.to_vec(),
        }
    }

    #[test]
    fn grade_follows_every_criterion_of_its_level() {
        assert_eq!(
            derive(&checks(&[true, true], &[true, true])),
            Grade::Excellent
        );
        assert_eq!(derive(&checks(&[true, false], &[true, true])), Grade::Pass);
        assert_eq!(derive(&checks(&[false, false], &[true, true])), Grade::Pass);
        assert_eq!(derive(&checks(&[true, true], &[true, false])), Grade::Fail);
        assert_eq!(derive(&checks(&[false], &[false])), Grade::Fail);
    }

    #[test]
    fn empty_criteria_award_nothing() {
        assert_eq!(derive(&checks(&[], &[true])), Grade::Pass);
        assert_eq!(derive(&checks(&[true], &[])), Grade::Fail);
    }

    #[test]
    fn plan_needs_count_compulsory_and_dimensions() {
        let compulsory = vec!["A1".to_string()];
        let req = Requirement {
            required: 2,
            distinct_dimensions: false,
            compulsory: &compulsory,
        };
        let a1 = ("A1".to_string(), Some(Dimension::Analysis));
        let a3 = ("A3".to_string(), Some(Dimension::Analysis));
        let b3 = ("B3".to_string(), Some(Dimension::Design));
        assert!(plan_met(&req, &[a1.clone(), a3.clone()]));
        assert!(!plan_met(&req, std::slice::from_ref(&a1)));
        assert!(
            !plan_met(&req, &[a3.clone(), b3.clone()]),
            "A1 is compulsory"
        );
        let distinct = Requirement {
            distinct_dimensions: true,
            ..req
        };
        assert!(!plan_met(&distinct, &[a1.clone(), a3]));
        assert!(plan_met(&distinct, &[a1, b3]));
    }
}
