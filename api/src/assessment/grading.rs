//! Question kinds, answer keys, responses and automatic grading: pure functions, no database.
//!
//! Choice options are identified by their position in the bank question (`key`), whatever order an attempt shows
//! them in, so a response never depends on the shuffle and the shuffle never reveals the key.
use poem_openapi::Object;
use serde::{Deserialize, Serialize};

use crate::platform::i18n::{Text, catalogue::assessment as m};

pub use entity::question::QuestionKind;

/// How question kinds read in spreadsheets.
pub trait QuestionKindText: Sized {
    fn label_zh(self) -> &'static str;
    /// From the stored code or the Chinese label (spreadsheets use either).
    fn parse(s: &str) -> Option<Self>;
}

impl QuestionKindText for QuestionKind {
    fn label_zh(self) -> &'static str {
        match self {
            QuestionKind::Single => "单选",
            QuestionKind::Multiple => "多选",
            QuestionKind::TrueFalse => "判断",
            QuestionKind::Blank => "填空",
            QuestionKind::Short => "简答",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.label_zh() == s)
    }
}

/// The answer key (and a response has the same shape): which field is used depends on the kind.
#[derive(Debug, Clone, Default, PartialEq, Object, Serialize, Deserialize)]
#[oai(skip_serializing_if_is_none)]
pub struct AnswerKey {
    /// single: the key of the correct option (0-based position in the bank question).
    #[oai(skip_serializing_if_is_none)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<i32>,
    /// multiple: the keys of every correct option.
    #[oai(skip_serializing_if_is_none)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<i32>>,
    /// true_false
    #[oai(skip_serializing_if_is_none)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<bool>,
    /// blank: one entry per blank; in a key, alternatives accepted for a blank are separated by `|`.
    #[oai(skip_serializing_if_is_none)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blanks: Option<Vec<String>>,
    /// short: in a key, the reference answer shown after closing; in a response, the teacher's text.
    #[oai(skip_serializing_if_is_none)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

pub type Response = AnswerKey;

/// Why a key or response does not fit its question.
pub fn check_shape(
    kind: QuestionKind,
    options: usize,
    value: &AnswerKey,
    is_key: bool,
) -> Result<(), Text> {
    let in_range = |k: i32| k >= 0 && (k as usize) < options;
    match kind {
        QuestionKind::Single => match value.choice {
            Some(k) if in_range(k) => Ok(()),
            Some(_) => Err(m::NoSuchOption.into()),
            None => Err(m::ChooseOneOption.into()),
        },
        QuestionKind::Multiple => match &value.choices {
            Some(ks) if ks.iter().all(|k| in_range(*k)) => {
                if is_key && ks.len() < 2 {
                    Err(m::MultipleKeyTooFew.into())
                } else {
                    Ok(())
                }
            }
            Some(_) => Err(m::NoSuchOption.into()),
            None => Err(m::ChooseOptions.into()),
        },
        QuestionKind::TrueFalse => value
            .value
            .map(|_| ())
            .ok_or_else(|| m::AnswerTrueOrFalse.into()),
        QuestionKind::Blank => match &value.blanks {
            Some(b) if !b.is_empty() && (!is_key || b.iter().all(|s| !s.trim().is_empty())) => {
                Ok(())
            }
            _ => Err(m::FillEveryBlank.into()),
        },
        QuestionKind::Short => match &value.text {
            Some(t) if t.chars().count() <= 20_000 => Ok(()),
            Some(_) => Err(m::AnswerTooLong.into()),
            None => Err(m::WriteAnAnswer.into()),
        },
    }
}

fn normalise(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The automatic score of a response worth `points`, or None when a tutor must grade it (short answers).
/// Multiple choice is all or nothing; blanks earn their share each (case and spacing ignored).
pub fn auto_grade(
    kind: QuestionKind,
    key: &AnswerKey,
    response: &Response,
    points: f64,
) -> Option<f64> {
    let earned = match kind {
        QuestionKind::Single => f64::from(u8::from(
            key.choice.is_some() && key.choice == response.choice,
        )),
        QuestionKind::Multiple => {
            let set = |v: &Option<Vec<i32>>| {
                v.clone()
                    .unwrap_or_default()
                    .into_iter()
                    .collect::<std::collections::BTreeSet<_>>()
            };
            f64::from(u8::from(
                !set(&key.choices).is_empty() && set(&key.choices) == set(&response.choices),
            ))
        }
        QuestionKind::TrueFalse => {
            f64::from(u8::from(key.value.is_some() && key.value == response.value))
        }
        QuestionKind::Blank => {
            let keys = key.blanks.clone().unwrap_or_default();
            let given = response.blanks.clone().unwrap_or_default();
            if keys.is_empty() {
                return Some(0.0);
            }
            let right = keys
                .iter()
                .enumerate()
                .filter(|(i, k)| {
                    given.get(*i).is_some_and(|g| {
                        k.split('|')
                            .any(|alt| normalise(alt) == normalise(g) && !g.trim().is_empty())
                    })
                })
                .count();
            right as f64 / keys.len() as f64
        }
        QuestionKind::Short => return None,
    };
    Some(round_score(earned * points))
}

/// Scores are kept to one decimal.
pub fn round_score(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(f: impl FnOnce(&mut AnswerKey)) -> AnswerKey {
        let mut k = AnswerKey::default();
        f(&mut k);
        k
    }

    #[test]
    fn single_and_true_false_are_right_or_wrong() {
        let k = key(|k| k.choice = Some(2));
        assert_eq!(
            auto_grade(QuestionKind::Single, &k, &key(|r| r.choice = Some(2)), 2.0),
            Some(2.0)
        );
        assert_eq!(
            auto_grade(QuestionKind::Single, &k, &key(|r| r.choice = Some(1)), 2.0),
            Some(0.0)
        );
        assert_eq!(
            auto_grade(QuestionKind::Single, &k, &AnswerKey::default(), 2.0),
            Some(0.0)
        );
        let k = key(|k| k.value = Some(false));
        assert_eq!(
            auto_grade(
                QuestionKind::TrueFalse,
                &k,
                &key(|r| r.value = Some(false)),
                1.0
            ),
            Some(1.0)
        );
        assert_eq!(
            auto_grade(
                QuestionKind::TrueFalse,
                &k,
                &key(|r| r.value = Some(true)),
                1.0
            ),
            Some(0.0)
        );
    }

    #[test]
    fn multiple_choice_needs_exactly_the_key_in_any_order() {
        let k = key(|k| k.choices = Some(vec![0, 2]));
        let r = |v: Vec<i32>| key(|r| r.choices = Some(v));
        assert_eq!(
            auto_grade(QuestionKind::Multiple, &k, &r(vec![2, 0]), 3.0),
            Some(3.0)
        );
        assert_eq!(
            auto_grade(QuestionKind::Multiple, &k, &r(vec![0]), 3.0),
            Some(0.0)
        );
        assert_eq!(
            auto_grade(QuestionKind::Multiple, &k, &r(vec![0, 1, 2]), 3.0),
            Some(0.0)
        );
    }

    #[test]
    fn blanks_earn_their_share_and_accept_alternatives() {
        let k = key(|k| k.blanks = Some(vec!["TCP/IP|tcp-ip".into(), "HTTP".into()]));
        let r = |v: &[&str]| key(|r| r.blanks = Some(v.iter().map(|s| s.to_string()).collect()));
        assert_eq!(
            auto_grade(QuestionKind::Blank, &k, &r(&[" tcp-ip ", "http"]), 4.0),
            Some(4.0)
        );
        assert_eq!(
            auto_grade(QuestionKind::Blank, &k, &r(&["udp", "HTTP"]), 4.0),
            Some(2.0)
        );
        assert_eq!(auto_grade(QuestionKind::Blank, &k, &r(&[]), 4.0), Some(0.0));
    }

    #[test]
    fn short_answers_wait_for_a_tutor() {
        let k = key(|k| k.text = Some("参考".into()));
        assert_eq!(
            auto_grade(
                QuestionKind::Short,
                &k,
                &key(|r| r.text = Some("x".into())),
                5.0
            ),
            None
        );
    }

    #[test]
    fn shapes_are_checked_against_the_question() {
        assert!(check_shape(QuestionKind::Single, 4, &key(|k| k.choice = Some(3)), true).is_ok());
        assert!(check_shape(QuestionKind::Single, 4, &key(|k| k.choice = Some(4)), true).is_err());
        assert!(
            check_shape(
                QuestionKind::Multiple,
                4,
                &key(|k| k.choices = Some(vec![1])),
                true
            )
            .is_err()
        );
        assert!(
            check_shape(
                QuestionKind::Multiple,
                4,
                &key(|k| k.choices = Some(vec![1])),
                false
            )
            .is_ok()
        );
        assert!(
            check_shape(
                QuestionKind::Blank,
                0,
                &key(|k| k.blanks = Some(vec![" ".into()])),
                true
            )
            .is_err()
        );
        assert!(check_shape(QuestionKind::TrueFalse, 0, &AnswerKey::default(), false).is_err());
        assert_eq!(QuestionKind::parse("判断"), Some(QuestionKind::TrueFalse));
    }
}
