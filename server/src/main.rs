//! `server`: serves Fulfillment Console and runs its maintenance commands.
use clap::Parser;

/// Stack of each runtime worker thread.
const STACK_BYTES: usize = 16 * 1024 * 1024;

fn main() -> std::process::ExitCode {
    let cli = server::settings::Cli::parse();
    server::telemetry::init(&cli.global.log_format);
    // Rendering deep view trees takes more stack than tokio's 2 MiB default in debug
    // builds; the reservation is virtual, so only what is used counts toward memory.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .thread_stack_size(STACK_BYTES)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(server::commands::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
