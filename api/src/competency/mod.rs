//! ICT 2.0 micro-competencies (能力点, issue #6): the province's versioned catalogue of the 30 points, each
//! school's yearly plan, teachers' evidence, checklist grading by the school's reviewers, the county's
//! reproducible spot-check that can override a grade, and pass-rate reports.
//!
//! Grades are never typed: [`grading::derive`] turns a reviewer's checklist into 优秀 / 合格 / 不合格.
pub mod catalogue;
pub mod evidence;
pub mod grading;
pub mod plans;
pub mod report;
pub mod routes;
pub mod spot_checks;
pub mod stats;

pub use entity::competency_point::{Dimension, Environment};
pub use entity::competency_submission::Grade;

/// How grades read in mail and exports.
pub trait GradeText {
    /// The grade's name in the current language.
    fn label(self) -> String;
}

impl GradeText for Grade {
    fn label(self) -> String {
        use crate::platform::i18n::{catalogue::competency as m, t};
        match self {
            Grade::Excellent => t(m::GradeExcellent),
            Grade::Pass => t(m::GradePass),
            Grade::Fail => t(m::GradeFail),
        }
    }
}
