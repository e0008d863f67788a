//! The `yanxiu` command line: parses arguments and hands over to the library.
// The demo year's future is checked for Send here as well as in the library, so it needs the library's limit.
#![recursion_limit = "256"]
use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    yanxiu::install_crypto_provider();
    let cli = yanxiu::cli::Cli::parse();
    yanxiu::cli::init_tracing();
    yanxiu::cli::run(cli).await
}
