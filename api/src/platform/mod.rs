//! Cross-cutting parts every domain uses: configuration, database, errors, crypto, audit, jobs, mail, the
//! object store and tabular (CSV/XLSX) import and export.
pub mod audit;
pub mod audit_chain;
pub mod audit_key;
pub mod browser_headers;
pub mod bulk;
pub mod config;
pub mod crypto;
pub mod db;
pub mod error;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod metrics;
pub mod paging;
pub mod pdf_document;
pub mod pdf_font;
pub mod rate_limit;
pub mod readiness;
pub mod rekey;
pub mod replica;
pub mod request_guard;
pub mod shutdown;
pub mod storage;
pub mod tabular;
