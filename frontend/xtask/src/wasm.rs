//! Compiling the front end to WASM, splitting it per page and generating its JS glue.
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::config::Site;
use crate::{Build, Context, Result};

/// What stands for a content hash in file names until the files are named after their
/// content: as long as a hash, so the chunks that import the split loader can be
/// renamed in place (see `names`).
pub const PLACEHOLDER: &str = "______________________";

/// The split loader's file name, for a build's hash (or the placeholder).
pub fn loader(hash: &str) -> String {
    format!("__wasm_split.{hash}.js")
}
/// The profile of a debug build (the root `Cargo.toml` says why it is not `dev`).
const DEV_PROFILE: &str = "front-dev";
/// The list of the files each page's split needs, read by the server.
pub const MANIFEST: &str = "__wasm_split_manifest.json";

/// The compiler's flags for the front end, replacing `.cargo/config.toml`'s: views are
/// type-erased on both sides (the server's build reads the same setting there, and
/// `app` refuses to compile without it), and the linker keeps its relocations, which
/// the splitter reads to move code and data between modules.
const FLAGS: &str = "--cfg erase_components -Clink-args=--emit-relocs";
/// What the nightly build adds: panics abort on the spot (no message formatting code
/// shipped) and carry no source locations, and `Debug` formatting prints nothing (the
/// browser never shows it; what a person reads is formatted with `Display`).
const NIGHTLY_FLAGS: &str =
    "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none";

/// `cargo build` of the front end for wasm32, in a target directory of its own (as
/// `cargo leptos` uses), so the server's build does not rebuild what it shares.
/// Returns the compiled module's path.
pub fn compile(site: &Site, build: &Build) -> Result<PathBuf> {
    let target_dir = site.target_dir.join("front");
    let profile = if build.release { site.release_profile.as_str() } else { DEV_PROFILE };
    let mut cargo = Command::new("cargo");
    cargo
        .current_dir(&site.root)
        .args(["build", "--lib", "--target=wasm32-unknown-unknown", "--no-default-features"])
        .arg(format!("--package={}", site.lib_package))
        .arg(format!("--profile={profile}"))
        .arg("--target-dir")
        .arg(&target_dir)
        // The toolchain that runs this task is not necessarily the one to build with.
        .env_remove("RUSTC")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env("RUSTFLAGS", FLAGS);
    if let Some(nightly) = &build.nightly {
        cargo
            .env("RUSTUP_TOOLCHAIN", nightly)
            .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
            .env("RUSTFLAGS", format!("{FLAGS} {NIGHTLY_FLAGS}"));
    }
    let status = cargo.status().context(|| "running cargo".into())?;
    if !status.success() {
        return Err(format!("cargo build failed ({status})"));
    }
    let dir = if build.release { site.release_profile.as_str() } else { DEV_PROFILE };
    Ok(target_dir
        .join("wasm32-unknown-unknown")
        .join(dir)
        .join(format!("{}.wasm", site.lib_package.replace('-', "_"))))
}

/// Splits the module: every lazy route's code (and the code only some routes share)
/// goes into chunk files in `pkg/`, with the loader that fetches them and the manifest
/// of what each page needs. Returns the main module's path, for wasm-bindgen.
pub fn split(site: &Site, module: &Path) -> Result<PathBuf> {
    let input = std::fs::read(module).context(|| format!("{}", module.display()))?;
    let main = module.with_file_name(format!(
        "{}_split.wasm",
        module.file_stem().unwrap_or_default().to_string_lossy()
    ));
    let main_module = format!("./{}.js", site.output_name);
    let link_name = format!("./{}", loader(PLACEHOLDER));
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = &site.pkg_dir;
    options.main_out_path = &main;
    options.main_module = &main_module;
    options.link_name = &link_name;
    // `RUST_LOG=wasm_split_cli_support=trace` lists every function each split holds,
    // with its size: where to look when a page's download grows.
    options.verbose =
        tracing::event_enabled!(target: "wasm_split_cli_support", tracing::Level::TRACE);
    let split = wasm_split_cli_support::transform(options).map_err(|e| format!("{e:#}"))?;
    let manifest = serde_json::to_string_pretty(&split.prefetch_map)
        .context(|| "the split manifest".into())?;
    let path = site.pkg_dir.join(MANIFEST);
    std::fs::write(&path, manifest).context(|| format!("{}", path.display()))?;
    Ok(main)
}

/// wasm-bindgen on the main module: its JS glue (`<name>.js`) and the module it
/// instantiates (`<name>.wasm`) in `pkg/`. The split keeps the linker's exports the
/// chunks import, so they are neither removed nor renamed.
pub fn bindgen(site: &Site, main: &Path) -> Result<()> {
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(main)
        .out_name(&site.output_name)
        .web(true)
        .map_err(|e| format!("{e:#}"))?
        .typescript(false)
        .keep_lld_exports(true)
        .demangle(false)
        .generate(&site.pkg_dir)
        .map_err(|e| format!("{e:#}"))?;
    let from = site.pkg_dir.join(format!("{}_bg.wasm", site.output_name));
    let to = site.pkg_dir.join(format!("{}.wasm", site.output_name));
    // Leptos's hydration script loads `<name>.wasm`.
    std::fs::rename(&from, &to).context(|| format!("renaming {}", from.display()))
}
