//! `server license …`: the license signing key and license verification.
use std::io::Read;
use std::path::Path;

use crate::settings::Global;
use crate::startup::{load_key, CmdResult};

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
