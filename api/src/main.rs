//! The `yanxiu` command line: parses arguments and hands over to the library.
// The binary lays out the library's futures too (the demo year's, see lib.rs): the same deeper limit.
#![recursion_limit = "256"]
use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    yanxiu::install_crypto_provider();
    let cli = yanxiu::cli::Cli::parse();
    yanxiu::cli::init_tracing();
    yanxiu::cli::run(cli).await
}
