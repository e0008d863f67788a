//! `yanxiu demo-data`: two cities (成都市, 绵阳市) with schools and teachers, an account for every role, and a
//! living year of work on them — programs and quotas, enrolments in every state, hours and 补录, a class with
//! coursework, a quiz, 能力点 evidence, 一师一优课 lessons and review rounds — so every role's pages have something to show.
//!
//! Deterministic and idempotent: the directory is imported only when it is not all there, accounts only when
//! missing, and the year only once. A database holding anything else is refused unless `--force` is given.
pub mod accounts;
mod competency;
mod coursework;
pub mod directory;
mod guard;
mod lessons;
mod quiz;
mod steps;
mod training;
mod year;

pub use directory::{DemoSchool, counties_of, demo_schools, school_code, teacher_row};
pub use guard::{Foreign, foreign};

use crate::AppState;

/// The command's options.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Only the directory and the accounts (the browser tests' fixture).
    pub directory_only: bool,
    /// Add the demo to a database that holds real data.
    pub force: bool,
}

pub async fn fill(state: &AppState, options: Options) -> anyhow::Result<()> {
    let directory = directory::Directory::new(&state.regions);
    guard::check(state, &directory, options.force).await?;
    directory.import(state).await?;
    let accounts = accounts::ensure(state, &directory).await?;
    if options.directory_only {
        println!(
            "directory only: no programs, enrolments, hours or assessments (--directory-only)"
        );
    } else {
        year::build(state, &directory).await?;
    }
    accounts::print(&accounts, &state.config.mfa_required_role_names());
    Ok(())
}
