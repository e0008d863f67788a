//! Cross-cutting parts every domain uses: configuration, database, errors, crypto, audit, jobs and mail.
pub mod audit;
pub mod config;
pub mod crypto;
pub mod db;
pub mod error;
pub mod jobs;
pub mod mail;
pub mod paging;
pub mod rate_limit;
