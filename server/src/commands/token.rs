use app::auth::server::token;
use app::store::Db;

use crate::startup::CmdResult;

/// `server token create --email E`: prints a new token; it is not shown again.
pub async fn create(db: &Db, email: &str, label: &str) -> CmdResult {
    let token = token::create(db, email, label).await.map_err(|e| e.to_string())?;
    println!("{token}");
    Ok(())
}
