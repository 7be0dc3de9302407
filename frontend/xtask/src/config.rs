//! The site's settings, read from `[[workspace.metadata.leptos]]` in the root
//! `Cargo.toml` (through `cargo metadata`), the one place `cargo leptos` reads them too.
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::{Context, Result};

pub struct Site {
    /// The workspace root.
    pub root: PathBuf,
    /// Where cargo builds (`CARGO_TARGET_DIR` or `<root>/target`).
    pub target_dir: PathBuf,
    /// The name of the JS, WASM and CSS files (`name`).
    pub output_name: String,
    /// The front end's package (`lib-package`).
    pub lib_package: String,
    /// Its release profile (`lib-profile-release`).
    pub release_profile: String,
    /// What the server serves (`site-root`), holding `pkg/` and the assets.
    pub site_root: PathBuf,
    pub pkg_dir: PathBuf,
    pub style_file: PathBuf,
    pub assets_dir: PathBuf,
    /// wasm-opt's arguments in a release build (`wasm-opt-features`).
    pub wasm_opt_args: Vec<String>,
}

impl Site {
    pub fn read() -> Result<Site> {
        // The workspace around the current directory: the task may be a copy compiled
        // for another checkout (scripts/xtask.sh keeps one per machine).
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["metadata", "--no-deps", "--format-version=1"])
            .output()
            .context(|| "cargo metadata".into())?;
        if !output.status.success() {
            return Err(format!("cargo metadata: {}", String::from_utf8_lossy(&output.stderr)));
        }
        let meta: Value =
            serde_json::from_slice(&output.stdout).context(|| "cargo metadata's output".into())?;
        let leptos = &meta["metadata"]["leptos"][0];
        let text = |key: &str| {
            leptos[key]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("[[workspace.metadata.leptos]] has no `{key}`"))
        };
        let root = PathBuf::from(
            meta["workspace_root"].as_str().ok_or("cargo metadata: no workspace_root")?,
        );
        let target_dir = PathBuf::from(
            meta["target_directory"].as_str().ok_or("cargo metadata: no target_directory")?,
        );
        let site_root = root.join(text("site-root")?);
        let wasm_opt_args = leptos["wasm-opt-features"]
            .as_array()
            .ok_or("[[workspace.metadata.leptos]] has no `wasm-opt-features`")?
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        Ok(Site {
            output_name: text("name")?,
            lib_package: text("lib-package")?,
            release_profile: text("lib-profile-release")?,
            pkg_dir: site_root.join(text("site-pkg-dir")?),
            style_file: root.join(text("style-file")?),
            assets_dir: root.join(text("assets-dir")?),
            site_root,
            target_dir,
            wasm_opt_args,
            root,
        })
    }
}
