//! `server license …`: the license signing key and license verification.
use std::io::Read;
use std::path::Path;

use app::extensions::server::LicenseKey;

use super::CmdResult;
use crate::settings::Global;

/// The file name of the key in the data directory.
pub const DEFAULT_KEY_FILE: &str = "license-signing.key";

/// The signing key in force: the configured file, or the data directory's, which is
/// generated (a demo key) the first time.
pub fn load_key(global: &Global) -> Result<LicenseKey, String> {
    if let Some(path) = &global.license_key_file {
        return read_key(path);
    }
    let path = global.data_dir.join(DEFAULT_KEY_FILE);
    if path.exists() {
        return read_key(&path);
    }
    let key = LicenseKey::generate();
    std::fs::create_dir_all(&global.data_dir)
        .map_err(|e| format!("cannot create data directory {}: {e}", global.data_dir.display()))?;
    write_private(&path, &key.to_file_text())
        .map_err(|e| format!("cannot write the license signing key {}: {e}", path.display()))?;
    tracing::warn!(path = %path.display(), "generated a demo license signing key; set FC_LICENSE_KEY_FILE in production");
    Ok(key)
}

fn read_key(path: &Path) -> Result<LicenseKey, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the license signing key {}: {e}", path.display()))?;
    LicenseKey::from_file_text(&text)
        .map_err(|e| format!("the license signing key {} is unusable: {e}", path.display()))
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file =
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// `server license verify FILE`: prints the signed fields, or fails saying why.
pub fn verify(global: &Global, file: &Path) -> CmdResult {
    let mut text = String::new();
    if file.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    }
    let key = load_key(global)?;
    let fields = key.verify(&text).map_err(|why| format!("INVALID: {why}"))?;
    println!("VALID: signature matches this server's key ({})", key.public_base64());
    let value = serde_json::to_value(&fields)?;
    if let serde_json::Value::Object(map) = value {
        for (name, v) in map {
            let shown = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
            println!("{name:>12}: {shown}");
        }
    }
    Ok(())
}
