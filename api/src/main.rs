//! The `yanxiu` command line: parses arguments and hands over to the library.
// `main`'s future holds the whole HTTP service type (every API of the spec): its layout outgrows the
// compiler's default query depth, as the library's does.
#![recursion_limit = "256"]
use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    yanxiu::install_crypto_provider();
    let cli = yanxiu::cli::Cli::parse();
    yanxiu::cli::init_tracing();
    yanxiu::cli::run(cli).await
}
