//! The console's build task: `cargo xtask front [--release] [--nightly <toolchain>]`
//! compiles the WASM front end and writes the site the server serves (`target/site`):
//! the module split per page, its JS glue, the stylesheet and the public assets, every
//! file named after its content, and in a release build optimised, minified and
//! precompressed.
//!
//! It drives the libraries `cargo leptos` drives (wasm-bindgen's and the splitter's) with
//! the settings of `[workspace.metadata.leptos]` in the root `Cargo.toml`, so the site
//! has the same layout either way; `cargo leptos watch` stays the development loop. The
//! server is built by plain `cargo build -p server`: it reads the site at run time.
mod compress;
mod config;
mod names;
mod steps;
mod tools;
mod wasm;

use std::process::ExitCode;
use std::time::Instant;

/// What to build, from the command line.
pub struct Build {
    /// Optimised for size, minified and precompressed.
    pub release: bool,
    /// A nightly toolchain that rebuilds the standard library for size (release only).
    pub nightly: Option<String>,
}

const USAGE: &str = "usage: cargo xtask front [--release] [--nightly <toolchain>]";

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "warn,wasm_split_cli_support=info".into()),
        )
        .without_time()
        .with_target(false)
        .init();
    let build = match parse(std::env::args().skip(1)) {
        Ok(build) => build,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    match steps::front(&build) {
        Ok(()) => {
            eprintln!("front end built in {:.1} s", started.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Build> {
    match args.next().as_deref() {
        Some("front") => {}
        Some(other) => return Err(format!("unknown task `{other}`")),
        None => return Err("which task?".into()),
    }
    let mut build = Build { release: false, nightly: None };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--release" => build.release = true,
            "--nightly" => {
                build.nightly = Some(args.next().ok_or("--nightly needs a toolchain name")?)
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if build.nightly.is_some() && !build.release {
        return Err("--nightly applies to release builds only".into());
    }
    Ok(build)
}

/// A failed step, told in one line.
pub type Result<T> = std::result::Result<T, String>;

/// Adds what was being done to an error.
pub trait Context<T> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T, E: std::fmt::Display> Context<T> for std::result::Result<T, E> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| format!("{}: {e}", what()))
    }
}
