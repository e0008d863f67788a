//! The message catalogue, one file per domain so entries can be added side by side. Each file is one
//! [`crate::messages!`] block; list a new file in [`codes`] too.
pub mod access;
pub mod assessment;
pub mod audit;
pub mod auth;
pub mod competency;
pub mod directory;
pub mod exports;
pub mod files;
pub mod inbox;
pub mod lessons;
pub mod operations;
pub mod platform;
pub mod reports;
pub mod tabular;
pub mod training;

/// Every code of the catalogue, for the spec's `ProblemCode` enum.
pub fn codes() -> impl Iterator<Item = &'static str> {
    [
        platform::CODES,
        tabular::CODES,
        access::CODES,
        auth::CODES,
        audit::CODES,
        directory::CODES,
        exports::CODES,
        files::CODES,
        operations::CODES,
        training::CODES,
        assessment::CODES,
        competency::CODES,
        lessons::CODES,
        inbox::CODES,
        reports::CODES,
    ]
    .into_iter()
    .flatten()
    .copied()
}
