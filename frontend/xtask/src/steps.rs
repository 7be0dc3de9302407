//! The front end's build, step by step, each timed on the terminal.
use std::path::Path;
use std::time::Instant;

use crate::config::Site;
use crate::{compress, names, tools, wasm, Build, Context, Result};

pub fn front(build: &Build) -> Result<()> {
    let site = Site::read()?;
    let tools = tools::Tools::new(&site);

    step("fresh site directory", || {
        if site.site_root.exists() {
            std::fs::remove_dir_all(&site.site_root)
                .context(|| format!("removing {}", site.site_root.display()))?;
        }
        std::fs::create_dir_all(&site.pkg_dir).context(|| format!("{}", site.pkg_dir.display()))
    })?;
    let module = step("cargo build (wasm32)", || wasm::compile(&site, build))?;
    let main = step("split per page", || wasm::split(&site, &module))?;
    step("wasm-bindgen", || wasm::bindgen(&site, &main))?;
    if build.release {
        step("wasm-opt", || tools.optimise_all(&site))?;
    }
    step("stylesheet and assets", || {
        let css = site.pkg_dir.join(format!("{}.css", site.output_name));
        if build.release {
            tools.minify(&site.style_file, &css)?;
            let js = site.pkg_dir.join(format!("{}.js", site.output_name));
            tools.minify(&js, &js)?;
        } else {
            copy(&site.style_file, &css)?;
        }
        copy_dir(&site.assets_dir, &site.site_root)
    })?;
    step("content-hashed names", || names::apply(&site))?;
    if build.release {
        step("brotli and gzip copies", || compress::all(&site.site_root))?;
    }
    Ok(())
}

fn step<T>(what: &str, run: impl FnOnce() -> Result<T>) -> Result<T> {
    let started = Instant::now();
    let out = run().map_err(|e| format!("{what}: {e}"))?;
    eprintln!("  {what:<28} {:>7.1} s", started.elapsed().as_secs_f64());
    Ok(out)
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .context(|| format!("copying {} to {}", from.display(), to.display()))?;
    Ok(())
}

/// Copies a directory's files (and sub-directories) into another.
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from).context(|| format!("{}", from.display()))? {
        let entry = entry.context(|| format!("{}", from.display()))?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).context(|| format!("{}", target.display()))?;
            copy_dir(&entry.path(), &target)?;
        } else {
            copy(&entry.path(), &target)?;
        }
    }
    Ok(())
}
