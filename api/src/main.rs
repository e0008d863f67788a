//! The `yanxiu` command line: parses arguments and hands over to the library.
// The demo year's future (see lib.rs) is laid out where this binary instantiates it, with the annual counters'
// upserts inside every credit and enrolment it drives: the binary needs the library's deeper limit too.
#![recursion_limit = "256"]
use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    yanxiu::install_crypto_provider();
    let cli = yanxiu::cli::Cli::parse();
    yanxiu::cli::init_tracing();
    yanxiu::cli::run(cli).await
}
