use app::audit::chain;
use app::store::Db;

use crate::startup::CmdResult;

/// `server audit verify`: walks the whole chain; exits non-zero at the first break.
pub async fn verify(db: &Db) -> CmdResult {
    let report = chain::verify(db).await.map_err(|e| e.to_string())?;
    match report.first_broken {
        None => {
            println!("chain holds: {} events verified", report.checked);
            Ok(())
        }
        Some(broken) => Err(format!(
            "chain broken at event {} ({}); {} events before it verified",
            broken.id, broken.problem, report.checked
        )
        .into()),
    }
}
