//! Cross-cutting parts every domain uses: configuration, database, errors, crypto, audit, jobs, mail and the
//! object store.
pub mod audit;
pub mod browser_headers;
pub mod config;
pub mod crypto;
pub mod db;
pub mod error;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod paging;
pub mod rate_limit;
pub mod rekey;
pub mod request_guard;
pub mod sheet;
pub mod storage;
