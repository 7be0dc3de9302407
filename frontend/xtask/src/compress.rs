//! Brotli and gzip copies beside every file of the site, served as they are
//! (`serve::assets`): the best ratio, paid once at build time.
use std::io::Write;
use std::path::Path;

use crate::{Context, Result};

pub fn all(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).context(|| format!("{}", dir.display()))? {
        let path = entry.context(|| format!("{}", dir.display()))?.path();
        if path.is_dir() {
            all(&path)?;
        } else if !path.extension().is_some_and(|e| e == "br" || e == "gz") {
            one(&path)?;
        }
    }
    Ok(())
}

fn one(path: &Path) -> Result<()> {
    let bytes = std::fs::read(path).context(|| format!("{}", path.display()))?;
    let name = path.display().to_string();

    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&bytes).context(|| format!("gzip {name}"))?;
    let gzipped = gzip.finish().context(|| format!("gzip {name}"))?;
    std::fs::write(format!("{name}.gz"), gzipped).context(|| format!("{name}.gz"))?;

    let mut brotli = Vec::new();
    let params = brotli::enc::BrotliEncoderParams::default(); // quality 11
    brotli::BrotliCompress(&mut bytes.as_slice(), &mut brotli, &params)
        .context(|| format!("brotli {name}"))?;
    std::fs::write(format!("{name}.br"), brotli).context(|| format!("{name}.br"))
}
