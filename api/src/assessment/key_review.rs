//! When a teacher may see a quiz's answer keys, explanations and per-question results: the quiz's review policy
//! applied to where the teacher stands. Pure rules, no database.
//!
//! Per-question scores and tutors' comments travel with the keys: a full score on a choice question is the key,
//! so a teacher with attempts left must not learn it from the score either. The attempt's total score and
//! pass/fail are always shown.
use chrono::{DateTime, Utc};

pub use entity::quiz::KeyReview;

/// Where a teacher stands with a quiz when one of their attempts is shown.
#[derive(Debug, Clone, Copy)]
pub struct TakerStanding {
    /// The attempt shown has closed (handed in or timed out).
    pub attempt_closed: bool,
    /// Attempts the teacher has started, the running one included.
    pub attempts_used: i32,
    pub attempts_allowed: i32,
    /// The teacher has an attempt running now.
    pub running: bool,
    pub quiz_closes_at: DateTime<Utc>,
    pub now: DateTime<Utc>,
}

/// Whether the teacher may see keys, explanations and per-question results of the attempt described.
/// A running attempt never shows them, whatever the policy.
pub fn taker_sees_keys(policy: KeyReview, s: &TakerStanding) -> bool {
    if !s.attempt_closed {
        return false;
    }
    let quiz_closed = s.now >= s.quiz_closes_at;
    match policy {
        KeyReview::AfterEachAttempt => true,
        KeyReview::AfterLastAttempt => {
            quiz_closed || (s.attempts_used >= s.attempts_allowed && !s.running)
        }
        KeyReview::AfterClose => quiz_closed,
        KeyReview::Never => false,
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn standing(closed: bool, used: i32, running: bool, quiz_open: bool) -> TakerStanding {
        let now = Utc::now();
        TakerStanding {
            attempt_closed: closed,
            attempts_used: used,
            attempts_allowed: 2,
            running,
            quiz_closes_at: if quiz_open {
                now + Duration::hours(1)
            } else {
                now - Duration::hours(1)
            },
            now,
        }
    }

    #[test]
    fn a_running_attempt_never_shows_keys() {
        for policy in KeyReview::ALL {
            assert!(!taker_sees_keys(policy, &standing(false, 1, true, true)));
            assert!(!taker_sees_keys(policy, &standing(false, 2, true, false)));
        }
    }

    #[test]
    fn each_policy_opens_at_its_moment() {
        use KeyReview::*;
        // After attempt 1 of 2, quiz still open.
        let first = standing(true, 1, false, true);
        assert!(taker_sees_keys(AfterEachAttempt, &first));
        assert!(!taker_sees_keys(AfterLastAttempt, &first));
        assert!(!taker_sees_keys(AfterClose, &first));
        assert!(!taker_sees_keys(Never, &first));
        // Attempt 1 closed while attempt 2 runs: still nothing for the last-attempt policy.
        assert!(!taker_sees_keys(
            AfterLastAttempt,
            &standing(true, 2, true, true)
        ));
        // Both attempts used.
        let last = standing(true, 2, false, true);
        assert!(taker_sees_keys(AfterLastAttempt, &last));
        assert!(!taker_sees_keys(AfterClose, &last));
        // The window has ended.
        let after = standing(true, 1, false, false);
        assert!(taker_sees_keys(AfterLastAttempt, &after));
        assert!(taker_sees_keys(AfterClose, &after));
        assert!(!taker_sees_keys(Never, &after));
    }

    #[test]
    fn stored_values_round_trip_and_unknown_is_refused() {
        for policy in KeyReview::ALL {
            assert_eq!(KeyReview::from_stored(policy.as_str()), Some(policy));
        }
        assert_eq!(KeyReview::from_stored("sometime"), None);
        assert_eq!(KeyReview::default(), KeyReview::AfterClose);
    }
}
