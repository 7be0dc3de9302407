//! The demo staff: one user per role, `ROLE@example.com`, with the README's password.
use app::auth::server::password;
use app::domain::Role;
use app::store::{now, Db};
use app::{on_db, AppError};

use super::rng::Rng;

/// Password of every demo staff user (listed in README.md).
pub const DEMO_PASSWORD: &str = "demo-password";

/// Demo staff ids and emails by role, for attributing generated events.
pub struct StaffIds(pub Vec<(i64, String, &'static str)>);

impl StaffIds {
    /// An actor for a generated event: support does most of the work.
    pub fn pick(&self, r: &mut Rng) -> (i64, &str, &'static str) {
        let weights = [("support", 50), ("billing", 20), ("sales", 20), ("lead", 7), ("admin", 3)];
        let mut roll = r.below(100);
        let mut role = "support";
        for (name, w) in weights {
            if roll < w {
                role = name;
                break;
            }
            roll -= w;
        }
        let (id, email, role) = self.0.iter().find(|(_, _, r)| *r == role).unwrap_or(&self.0[0]);
        (*id, email.as_str(), role)
    }
}

/// Creates the demo staff users that do not exist yet; returns all five.
pub async fn ensure(db: &Db) -> Result<StaffIds, AppError> {
    let mut ids = Vec::new();
    for role in Role::ALL {
        let email = format!("{}@example.com", role.as_str());
        let name = format!("Demo {}", role.label());
        let existing: Option<i64> =
            on_db!(db, |p| sqlx::query_scalar("SELECT id FROM staff_users WHERE email = $1")
                .bind(&email)
                .fetch_optional(p)
                .await)?;
        let id = match existing {
            Some(id) => id,
            None => {
                let hash = password::hash(DEMO_PASSWORD.to_string()).await?;
                on_db!(db, |p| {
                    sqlx::query_scalar(
                "INSERT INTO staff_users (email, name, role, password_hash, active, created_at) VALUES ($1, $2, $3, $4, TRUE, $5) RETURNING id"
            )
            .bind(&email)
            .bind(&name)
            .bind(role.as_str())
            .bind(&hash)
            .bind(now())
            .fetch_one(p)
            .await
                })?
            }
        };
        ids.push((id, email, role.as_str()));
    }
    Ok(StaffIds(ids))
}
