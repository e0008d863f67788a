//! Assessments (考核): the question bank, quizzes and exams with timed attempts, and what they add to a
//! program's completion rule.
pub mod attempts;
pub mod bank;
pub mod grading;
pub mod key_review;
pub mod quizzes;
pub mod routes;
