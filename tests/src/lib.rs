//! Test harness for the black-box API suite in `tests/tests/*.rs`.
//!
//! Every test gets a brand-new application: a fresh temp data dir and SQLite file ([`TestApp::sqlite`]) or a fresh
//! PostgreSQL database on the server of `YANXIU_TEST_PG_URL` ([`TestApp::postgres`]), migrated, with the first
//! province admin bootstrapped, wrapped in `poem::test::TestClient`. [`both_engines!`] writes a test body once and
//! runs it on both engines. PostgreSQL being unreachable is a failure, never a skip.
#![allow(clippy::unwrap_used)]

pub mod app;
pub mod fixtures;
pub mod hostile;
pub mod s3;
pub mod server;
pub mod smtp;
pub mod support;

pub use app::*;
pub use fixtures::*;
pub use server::ServeProcess;
pub use support::*;

pub use sea_orm;
pub use serde_json;
pub use yanxiu;

/// The first province admin's password in every test app.
pub const ADMIN_PASSWORD: &str = "Admin#Pass2024";
/// The first security administrator `security`'s password in every test app.
pub const SECURITY_PASSWORD: &str = "Security#Pass2024";
/// The password given to every account the helpers create.
pub const PASSWORD: &str = "Test#Pass2024";
pub const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Runs one test body on SQLite and on PostgreSQL: `both_engines!(name, |app| async move { … })` makes the tests
/// `name::sqlite` and `name::postgres`. With `config = |c| …` first, the config is adjusted before the app is built.
#[macro_export]
macro_rules! both_engines {
    ($name:ident, config = $cfg:expr, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::TestApp::start($crate::Engine::Sqlite, $cfg).await;
                ($body)(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::TestApp::start($crate::Engine::Postgres, $cfg).await;
                ($body)(app).await;
            }
        }
    };
    ($name:ident, $body:expr) => {
        $crate::both_engines!(
            $name,
            config = |_: &mut $crate::yanxiu::platform::config::Config| {},
            $body
        );
    };
}
