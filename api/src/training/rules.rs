//! Rules of the hours ledger and quotas, free of I/O so they can be tested exhaustively.
//!
//! Hours are kept as integer half-hours: every credited amount is a multiple of 0.5 h, and integers add up the
//! same on SQLite and PostgreSQL and in a rebuild from the ledger.
use std::collections::BTreeMap;

pub use entity::states::HourCategory;

/// How hour categories read in spreadsheets and exports.
pub trait HourCategoryText: Sized {
    /// The Chinese label, which spreadsheets carry and the imports read.
    fn label_zh(self) -> &'static str;
    /// The name in the current request's language: the Chinese label, or the code in English.
    fn label(self) -> &'static str;
    /// Accepts the code or the Chinese label (spreadsheets use the label).
    fn parse(s: &str) -> Option<Self>;
}

impl HourCategoryText for HourCategory {
    fn label_zh(self) -> &'static str {
        match self {
            HourCategory::Centralized => "集中",
            HourCategory::Online => "网络",
            HourCategory::Ict => "信息技术",
            HourCategory::Regional => "区域特色",
            HourCategory::SchoolBased => "校本",
            HourCategory::Practice => "实践应用",
        }
    }

    fn label(self) -> &'static str {
        match crate::platform::i18n::current_lang() {
            crate::platform::i18n::Lang::Zh => self.label_zh(),
            crate::platform::i18n::Lang::En => self.as_str(),
        }
    }

    fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.into_iter().find(|c| {
            c.as_str() == s || c.label_zh() == s || (s == "线上" && *c == HourCategory::Online)
        })
    }
}

/// Parses "2", "1.5", "0.5" into half-hours; anything not a positive multiple of 0.5 h is refused.
pub fn parse_half_hours(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let invalid = || {
        crate::platform::i18n::t(
            crate::platform::i18n::catalogue::training::HoursNotPositiveHalf {
                value: format!("{t:?}"),
            },
        )
    };
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || whole.len() > 4 {
        return Err(invalid());
    }
    let whole: i64 = whole.parse().map_err(|_| invalid())?;
    let half = match frac.trim_end_matches('0') {
        "" => 0,
        "5" => 1,
        _ => return Err(invalid()),
    };
    let value = whole * 2 + half;
    if value == 0 {
        Err(invalid())
    } else {
        Ok(value)
    }
}

/// Formats half-hours for people: 3 → "1.5", 4 → "2".
pub fn format_half_hours(half_hours: i64) -> String {
    if half_hours % 2 == 0 {
        (half_hours / 2).to_string()
    } else {
        format!("{}.5", half_hours / 2)
    }
}

/// What a program credits: everything (累计), or up to a target per category with the excess ignored (指定).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HourRule {
    Cumulative,
    Designated(BTreeMap<HourCategory, i64>),
}

/// Approved half-hours per category for one enrolment.
pub type CategoryTotals = BTreeMap<HourCategory, i64>;

/// The half-hours that count towards completion under `rule`.
pub fn counted(rule: &HourRule, totals: &CategoryTotals) -> i64 {
    match rule {
        HourRule::Cumulative => totals.values().sum(),
        HourRule::Designated(caps) => caps
            .iter()
            .map(|(category, cap)| totals.get(category).copied().unwrap_or(0).min(*cap))
            .sum(),
    }
}

/// A program's completion rule: a total, plus minimums per category (ICT 2.0 in Sichuan: ≥20 h online and
/// ≥30 h practice within 50 h).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CompletionRule {
    pub required_total: i64,
    pub minimums: BTreeMap<HourCategory, i64>,
    /// Micro-competencies (能力点) the teacher must have passed in the program's year; 0 when not required.
    /// Quizzes marked as counting for completion are required as well; they live with the quizzes.
    pub competencies: i64,
}

pub fn is_complete(rule: &CompletionRule, hour_rule: &HourRule, totals: &CategoryTotals) -> bool {
    counted(hour_rule, totals) >= rule.required_total
        && rule
            .minimums
            .iter()
            .all(|(c, min)| totals.get(c).copied().unwrap_or(0) >= *min)
}

/// Why a quota cannot be handed down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuotaError {
    Negative,
    /// More than the giver still has: `available` seats remain.
    Exceeds {
        available: i64,
    },
    /// Less than the receiver has already handed on or used.
    BelowCommitted {
        committed: i64,
    },
}

/// Checks giving `requested` seats to one child that currently holds `current`, when the giver received
/// `received` and has given `allocated` in all (the child's `current` included). The child has already
/// committed `child_committed` seats (given further down, or used by enrolments).
pub fn check_allocation(
    received: i64,
    allocated: i64,
    current: i64,
    requested: i64,
    child_committed: i64,
) -> Result<(), QuotaError> {
    if requested < 0 {
        return Err(QuotaError::Negative);
    }
    let available = received - (allocated - current);
    if requested > available {
        return Err(QuotaError::Exceeds { available });
    }
    if requested < child_committed {
        return Err(QuotaError::BelowCommitted {
            committed: child_committed,
        });
    }
    Ok(())
}

/// Teachers must reach 360 hours per 5-year cycle; cycles start in years congruent to `anchor` mod 5.
pub fn cycle_start(year: i32, anchor: i32) -> i32 {
    year - (year - anchor).rem_euclid(5)
}

pub const CYCLE_REQUIRED_HALF_HOURS: i64 = 720;

#[cfg(test)]
mod tests {
    use super::*;

    fn totals(pairs: &[(HourCategory, i64)]) -> CategoryTotals {
        pairs.iter().copied().collect()
    }

    #[test]
    fn half_hours_parse_and_format() {
        assert_eq!(parse_half_hours("2"), Ok(4));
        assert_eq!(parse_half_hours("1.5"), Ok(3));
        assert_eq!(parse_half_hours("0.50"), Ok(1));
        for bad in ["0", "1.25", "-1", "abc", "", ".5", "99999"] {
            assert!(parse_half_hours(bad).is_err(), "{bad}");
        }
        assert_eq!(format_half_hours(3), "1.5");
        assert_eq!(format_half_hours(4), "2");
    }

    #[test]
    fn designated_rule_caps_each_category() {
        use HourCategory::*;
        let t = totals(&[(Online, 60), (Practice, 50), (Centralized, 30)]);
        assert_eq!(counted(&HourRule::Cumulative, &t), 140);
        let rule = HourRule::Designated([(Online, 40), (Practice, 60)].into_iter().collect());
        // Online capped at 40, practice all 50 counts, centralized is not designated.
        assert_eq!(counted(&rule, &t), 90);
    }

    #[test]
    fn completion_needs_total_and_minimums() {
        use HourCategory::*;
        let ict = CompletionRule {
            competencies: 0,
            required_total: 100,
            minimums: [(Online, 40), (Practice, 60)].into_iter().collect(),
        };
        assert!(is_complete(
            &ict,
            &HourRule::Cumulative,
            &totals(&[(Online, 40), (Practice, 60)])
        ));
        assert!(!is_complete(
            &ict,
            &HourRule::Cumulative,
            &totals(&[(Online, 100)])
        ));
        assert!(!is_complete(
            &ict,
            &HourRule::Cumulative,
            &totals(&[(Online, 40), (Practice, 58)])
        ));
    }

    #[test]
    fn quota_cannot_exceed_what_was_received() {
        // City received 100, gave 70 in all, 30 of them to this county.
        assert_eq!(check_allocation(100, 70, 30, 60, 0), Ok(()));
        assert_eq!(
            check_allocation(100, 70, 30, 61, 0),
            Err(QuotaError::Exceeds { available: 60 })
        );
        assert_eq!(
            check_allocation(100, 70, 30, 10, 12),
            Err(QuotaError::BelowCommitted { committed: 12 })
        );
        assert_eq!(
            check_allocation(100, 0, 0, -1, 0),
            Err(QuotaError::Negative)
        );
    }

    #[test]
    fn five_year_cycles() {
        assert_eq!(cycle_start(2026, 2021), 2026);
        assert_eq!(cycle_start(2030, 2021), 2026);
        assert_eq!(cycle_start(2025, 2021), 2021);
        assert_eq!(cycle_start(2020, 2021), 2016);
    }

    #[test]
    fn categories_parse_from_labels() {
        assert_eq!(
            HourCategory::parse("实践应用"),
            Some(HourCategory::Practice)
        );
        assert_eq!(HourCategory::parse("线上"), Some(HourCategory::Online));
        assert_eq!(
            HourCategory::parse("school_based"),
            Some(HourCategory::SchoolBased)
        );
        assert_eq!(HourCategory::parse("其他"), None);
    }
}
