//! The `yanxiu` command line: parses arguments and hands over to the library.
// The demo year's future is laid out here too (see the library's limit); its notices add a few levels.
#![recursion_limit = "512"]
use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    yanxiu::install_crypto_provider();
    let cli = yanxiu::cli::Cli::parse();
    yanxiu::cli::init_tracing();
    yanxiu::cli::run(cli).await
}
