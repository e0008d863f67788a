//! sea-orm entities, one file per table. No web types and no business rules here.
pub mod account;
pub mod account_role;
pub mod audit_log;
pub mod certificate;
pub mod enrollment;
pub mod enrollment_decision;
pub mod hour_entry;
pub mod job;
pub mod login_attempt;
pub mod password_reset;
pub mod program;
pub mod program_quota;
pub mod refresh_token;
pub mod region;
pub mod school;
pub mod teacher;
