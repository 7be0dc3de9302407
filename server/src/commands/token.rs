use app::auth::server::staff::AccountActor;
use app::auth::server::token;
use app::store::Db;

use crate::startup::CmdResult;

/// `server token create --email E`: prints a new token; it is not shown again.
pub async fn create(db: &Db, email: &str, label: &str, days: i64) -> CmdResult {
    let by = AccountActor::command_line();
    let (text, made) =
        token::create(db, email, label, days, &by).await.map_err(|e| e.to_string())?;
    eprintln!(
        "token {} for {} expires {}",
        made.id,
        made.owner_email,
        made.expires_at.map(|t| t.date_naive().to_string()).unwrap_or_default()
    );
    println!("{text}");
    Ok(())
}

/// `server token list [--email E]`: one line per token.
pub async fn list(db: &Db, email: Option<&str>) -> CmdResult {
    for t in token::list(db).await.map_err(|e| e.to_string())? {
        if email.is_some_and(|e| !t.owner_email.eq_ignore_ascii_case(e.trim())) {
            continue;
        }
        let expires =
            t.expires_at.map(|e| e.date_naive().to_string()).unwrap_or_else(|| "-".into());
        println!(
            "{}\t{}\t{}\tcreated {}\texpires {expires}\t{}",
            t.id,
            t.owner_email,
            t.label,
            t.created_at.date_naive(),
            t.state
        );
    }
    Ok(())
}

/// `server token revoke --id N`.
pub async fn revoke(db: &Db, id: i64) -> CmdResult {
    let t =
        token::revoke(db, id, &AccountActor::command_line()).await.map_err(|e| e.to_string())?;
    println!("token {} of {} revoked", t.id, t.owner_email);
    Ok(())
}
