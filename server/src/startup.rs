//! What every command starts from: the database, opened and migrated, and the license
//! signing key.
use std::error::Error;
use std::path::Path;

use app::state::LicenseKey;
use app::store::{self, Db};

use crate::settings::Global;

/// What a command returns: nothing, or an error to print.
pub type CmdResult = Result<(), Box<dyn Error + Send + Sync>>;

/// Connects to the configured database and brings its schema up to date. Both steps
/// fail loudly, naming the database (without its password) and the cause.
pub async fn open(global: &Global) -> Result<Db, Box<dyn Error + Send + Sync>> {
    let url = global.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&global.data_dir).map_err(|e| {
            format!("cannot create data directory {}: {e}", global.data_dir.display())
        })?;
    }
    let shown = store::connect::redact(&url);
    let db = store::connect(&url, global.db_max_connections)
        .await
        .map_err(|e| format!("cannot open database {shown}: {e}"))?;
    store::migrate(&db)
        .await
        .map_err(|e| format!("migrating database {shown} failed: {e}. The schema was left as it was before the failing migration."))?;
    Ok(db)
}

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
