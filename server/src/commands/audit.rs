use std::path::Path;

use app::audit::{chain, checkpoint};
use app::state::LicenseKey;
use app::store::Db;

use crate::startup::CmdResult;

/// `server audit verify`: walks the whole chain, then compares the database with the
/// newest signed checkpoint; exits non-zero at the first break, or when the history no
/// longer holds the checkpointed event (cut short or rewritten).
pub async fn verify(db: &Db, file: &Path, key: &LicenseKey) -> CmdResult {
    let report = chain::verify(db).await.map_err(|e| e.to_string())?;
    if let Some(broken) = report.first_broken {
        return Err(format!(
            "chain broken at event {} ({}); {} events before it verified",
            broken.id, broken.problem, report.checked
        )
        .into());
    }
    println!("chain holds: {} events verified", report.checked);
    match checkpoint::check(db, file, key).await.map_err(|e| e.to_string())? {
        None => println!("no checkpoint yet in {}", file.display()),
        Some(cp) if cp.holds => println!(
            "checkpoint holds: event {} as signed at {}",
            cp.event_id,
            cp.signed_at.format("%Y-%m-%d %H:%M:%S UTC")
        ),
        Some(cp) => {
            return Err(
                format!("checkpoint does not hold: {}", cp.problem.unwrap_or_default()).into()
            )
        }
    }
    Ok(())
}

/// `server audit checkpoint`: signs the chain's head into the checkpoint file now.
pub async fn checkpoint(db: &Db, file: &Path, key: &LicenseKey) -> CmdResult {
    let chain = chain::ChainCache::default();
    match checkpoint::write(db, &chain, file, key).await.map_err(|e| e.to_string())? {
        Some(cp) => println!("checkpoint signed: event {} ({})", cp.event_id, file.display()),
        None => println!("no new events since the newest checkpoint in {}", file.display()),
    }
    Ok(())
}
