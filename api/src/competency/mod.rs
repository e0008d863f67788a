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

use poem_openapi::Enum;

pub use evidence::passed_points;

/// 优秀 / 合格 / 不合格.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[oai(rename_all = "snake_case")]
pub enum Grade {
    Excellent,
    Pass,
    Fail,
}

impl Grade {
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Excellent => "excellent",
            Grade::Pass => "pass",
            Grade::Fail => "fail",
        }
    }

    pub fn parse(s: &str) -> Option<Grade> {
        [Grade::Excellent, Grade::Pass, Grade::Fail]
            .into_iter()
            .find(|g| g.as_str() == s)
    }

    /// The grade's name in the current language.
    pub fn label(self) -> String {
        use crate::platform::i18n::{catalogue::competency as m, t};
        match self {
            Grade::Excellent => t(m::GradeExcellent),
            Grade::Pass => t(m::GradePass),
            Grade::Fail => t(m::GradeFail),
        }
    }

    pub fn passed(self) -> bool {
        self != Grade::Fail
    }
}

/// The four dimensions: 学情分析, 教学设计, 学法指导, 学业评价.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[oai(rename_all = "snake_case")]
pub enum Dimension {
    Analysis,
    Design,
    Guidance,
    Assessment,
}

impl Dimension {
    pub const ALL: [Dimension; 4] = [
        Dimension::Analysis,
        Dimension::Design,
        Dimension::Guidance,
        Dimension::Assessment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Analysis => "analysis",
            Dimension::Design => "design",
            Dimension::Guidance => "guidance",
            Dimension::Assessment => "assessment",
        }
    }

    pub fn parse(s: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// The three environments: A 多媒体教学环境, B 混合学习环境, C 智慧学习环境.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
pub enum Environment {
    A,
    B,
    C,
}

impl Environment {
    pub fn parse(s: &str) -> Environment {
        match s {
            "B" => Environment::B,
            "C" => Environment::C,
            _ => Environment::A,
        }
    }
}
