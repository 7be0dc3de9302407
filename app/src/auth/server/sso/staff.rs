//! The staff member a sign-in through the provider is for: found by the provider's
//! issuer and subject, created at their first sign-in, their role set from the groups
//! the provider lists at every sign-in. Each of those changes is an activity event in
//! the transaction that makes it.
use crate::audit::record;
use crate::auth::server::staff::{
    change_role, created_changes, insert_staff, link_identity, AccountActor,
};
use crate::domain::{Action, EventSource, Role};
use crate::identity::{Identity, Sso};
use crate::store::{Db, Tx};
use crate::{on_tx, validate, AppError};

/// How a sign-in through the provider ended.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in as staff member `staff_user_id`; the browser goes to `next`. The
    /// provider's `id_token` goes with the session (sign-out hands it back).
    Admitted { staff_user_id: i64, next: String, id_token: String },
    /// The provider vouched for them, but none of their groups gives a role here.
    NoRole { email: Option<String>, groups_to_ask: Vec<String> },
    /// Their account here is deactivated.
    Deactivated,
}

#[derive(sqlx::FromRow)]
struct Linked {
    id: i64,
    role: String,
    active: bool,
}

/// Who makes the changes a sign-in brings: the provider, through its groups.
fn provider() -> AccountActor {
    AccountActor::identity_provider(EventSource::Console)
}

pub async fn sign_in(db: &Db, sso: &Sso, who: Identity, next: String) -> Result<SignIn, AppError> {
    let Some(role) = sso.settings.role_map.role_for(who.groups.iter().map(String::as_str)) else {
        tracing::info!(subject = %who.subject, "single sign-on: no group gives a role");
        return Ok(SignIn::NoRole {
            email: who.email,
            groups_to_ask: sso
                .settings
                .role_map
                .groups_giving(Role::Support)
                .map(str::to_string)
                .collect(),
        });
    };
    let mut tx = db.begin().await?;
    let linked: Option<Linked> = on_tx!(&mut tx, |c| sqlx::query_as(
        "SELECT id, role, active FROM staff_users WHERE idp_issuer = $1 AND idp_subject = $2"
    )
    .bind(&who.issuer)
    .bind(&who.subject)
    .fetch_optional(c)
    .await)?;
    let linked = match linked {
        Some(found) => Some(found),
        None => provisioned(&mut tx, &who).await?,
    };
    let staff_user_id = match linked {
        Some(found) if !found.active => return Ok(SignIn::Deactivated),
        Some(found) => {
            if found.role != role.as_str() {
                let reason = "Groups at the identity provider".to_string();
                change_role(&mut tx, found.id, &found.role, role, &provider(), reason).await?;
            }
            found.id
        }
        None => create(&mut tx, &who, role).await?,
    };
    tx.commit().await?;
    Ok(SignIn::Admitted { staff_user_id, next, id_token: who.id_token })
}

/// The record the provider provisioned for this person (SCIM), not yet linked: the
/// same provider names them by the external id it gave (its subject) or their email.
/// Linked here, it is known by issuer and subject from then on.
async fn provisioned(tx: &mut Tx, who: &Identity) -> Result<Option<Linked>, AppError> {
    let email = who.email.as_deref().and_then(|e| validate::email(e).ok());
    let found: Option<Linked> = on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT id, role, active FROM staff_users
         WHERE idp_subject IS NULL AND scim_user_name IS NOT NULL AND (scim_external_id = $1 OR email = $2)
         ORDER BY id LIMIT 1"
    )
    .bind(&who.subject)
    .bind(&email)
    .fetch_optional(c)
    .await
    })?;
    if let Some(found) = &found {
        link_identity(tx, found.id, &who.issuer, &who.subject).await?;
    }
    Ok(found)
}

/// The staff record of a first sign-in: no password (an empty hash matches none; they
/// sign in through the provider), name and email from the provider's claims.
async fn create(tx: &mut Tx, who: &Identity, role: Role) -> Result<i64, AppError> {
    let email = who
        .email
        .as_deref()
        .ok_or_else(|| AppError::field("email", "The identity provider gave no email address."))
        .and_then(|e| validate::email(e).map_err(|m| AppError::field("email", m)))?;
    let name = who.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| email.clone());
    // A password account with this email stays as it is: people are known by their
    // subject, never linked by an email the provider vouches for.
    let id = insert_staff(tx, &email, &name, role, "").await.map_err(|e| match e.field_message("email") {
        Some(_) => AppError::Conflict(
            "A staff account with this email exists but signs in with a password; an admin can link it.".into(),
        ),
        None => e,
    })?;
    link_identity(tx, id, &who.issuer, &who.subject).await?;
    let changes = created_changes(&email, &name, role);
    let reason = "First sign-in through the identity provider".to_string();
    record(tx, provider().event(Action::CreateStaff, id, reason, changes)).await?;
    Ok(id)
}
