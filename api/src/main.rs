//! The `yanxiu` command line: parses arguments and hands over to the library.
// The demo year's future (it drives the whole HTTP app in process) is laid out again where this binary instantiates
// it, so the binary needs the library's deeper recursion limit too.
#![recursion_limit = "256"]
use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    yanxiu::install_crypto_provider();
    let cli = yanxiu::cli::Cli::parse();
    yanxiu::cli::init_tracing();
    yanxiu::cli::run(cli).await
}
