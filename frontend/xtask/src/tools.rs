//! The prebuilt tools a release build runs, pinned in `frontend/xtask/package.json` and
//! installed by `npm ci` there (scripts/setup.sh): wasm-opt (binaryen) and esbuild.
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::config::Site;
use crate::{Context, Result};

pub struct Tools {
    bin: PathBuf,
}

impl Tools {
    pub fn new(site: &Site) -> Tools {
        Tools { bin: site.root.join("frontend/xtask/node_modules/.bin") }
    }

    fn tool(&self, name: &str) -> Result<Command> {
        let path = self.bin.join(name);
        if !path.exists() {
            return Err(format!(
                "{} is missing: run `npm ci` in frontend/xtask (scripts/setup.sh does)",
                path.display()
            ));
        }
        Ok(Command::new(path))
    }

    /// wasm-opt over every module in `pkg/`, two at a time (the machines have 2 cores).
    pub fn optimise_all(&self, site: &Site) -> Result<()> {
        let mut modules: Vec<PathBuf> = std::fs::read_dir(&site.pkg_dir)
            .context(|| format!("{}", site.pkg_dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
            .collect();
        // The largest first, so the two workers finish together.
        modules.sort_by_key(|p| std::cmp::Reverse(p.metadata().map(|m| m.len()).unwrap_or(0)));
        let next = std::sync::Mutex::new(modules.into_iter());
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..2)
                .map(|_| {
                    scope.spawn(|| -> Result<()> {
                        loop {
                            let Some(module) = next.lock().expect("not poisoned").next() else {
                                return Ok(());
                            };
                            self.optimise(site, &module)?;
                        }
                    })
                })
                .collect();
            workers.into_iter().try_for_each(|w| w.join().expect("a worker panicked"))
        })
    }

    fn optimise(&self, site: &Site, module: &Path) -> Result<()> {
        let mut wasm_opt = self.tool("wasm-opt")?;
        wasm_opt.args(&site.wasm_opt_args).arg(module).arg("-o").arg(module);
        run(wasm_opt, &format!("wasm-opt {}", module.display()))
    }

    /// Minifies a JS or CSS file (by its extension).
    pub fn minify(&self, from: &Path, to: &Path) -> Result<()> {
        let mut esbuild = self.tool("esbuild")?;
        esbuild
            .arg(from)
            .arg("--minify")
            .arg("--log-level=warning")
            .arg(format!("--outfile={}", to.display()))
            .arg("--allow-overwrite");
        run(esbuild, &format!("esbuild {}", from.display()))
    }
}

fn run(mut command: Command, what: &str) -> Result<()> {
    let output = command.output().context(|| what.to_owned())?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed: {}", String::from_utf8_lossy(&output.stderr).trim()))
    }
}
