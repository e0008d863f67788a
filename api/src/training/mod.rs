//! Training programs, quotas, enrolment and the hours ledger (issue #4). So far: the pure rules that the
//! services will apply — hour arithmetic, what counts under a program's hour rule, completion, quota cascade and
//! the 5-year cycle.
pub mod attendance;
pub mod certificate_pdf;
pub mod certificates;
pub mod classes;
pub mod completion;
pub mod coursework;
pub mod coursework_routes;
pub mod enrollments;
pub mod hours;
pub mod programs;
pub mod quotas;
pub mod report;
pub mod results;
pub mod results_routes;
pub mod routes;
pub mod rules;
pub mod stats;
pub mod year_stats;
