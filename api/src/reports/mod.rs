//! Reports across the domains: the annual report of all programs of a year (全员培训年度报表) and a teacher's
//! training record (教师培训档案). They read training, 能力点 and 优课 numbers through those domains' tables and
//! maintained counters and change nothing but the audit log.
pub mod annual;
pub mod files;
pub mod record;
pub mod routes;
