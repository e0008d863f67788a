//! The `yanxiu` command line: parses arguments and hands over to the library.
// The library's command future (the demo year among its commands) is laid out here too: the same limit as lib.rs.
#![recursion_limit = "256"]
use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    yanxiu::install_crypto_provider();
    let cli = yanxiu::cli::Cli::parse();
    yanxiu::cli::init_tracing();
    yanxiu::cli::run(cli).await
}
