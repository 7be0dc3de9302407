//! Temporary extensions on the server: eligibility, issuing (through the operations
//! engine, so approvals, events, refusals and conflicts work as for every change), the
//! renewal watchlist, and verifying licenses.
mod watchlist;

pub use watchlist::watchlist;

use chrono::NaiveDate;

use crate::auth::server::caller;
use crate::domain::extension_policy as policy;
use crate::domain::{
    Eligibility, ExtensionOutcome, ExtensionRequest, IssuedLicense, LicenseFields,
};
use crate::domain::{OpRequest, Operation, Outcome, Permission};
use crate::ops::server::extension::facts;
use crate::ops::server::{execute, Actor};
use crate::state::LicenseKey;
use crate::store::Db;
use crate::{on_db, AppError};

/// The rules for subscription `id` on `on`, for a caller who may use the wizard.
pub async fn eligibility(
    db: &Db,
    actor: &Actor,
    id: i64,
    on: NaiveDate,
) -> Result<Eligibility, AppError> {
    caller::check(&actor.user, Permission::ExtensionWizard, "issue temporary extensions")?;
    let mut tx = db.begin_read().await?;
    let facts = facts::load(&mut tx, id, on).await?;
    tx.rollback().await?;
    Ok(policy::eligibility(facts, on))
}

fn operation(request: &ExtensionRequest) -> OpRequest {
    OpRequest {
        op: Operation::TemporaryExtension {
            subscription_id: request.subscription_id,
            days: request.days,
            users_count: request.users_count,
            opportunity_id: request.opportunity_id.clone(),
        },
        reason: request.reason.clone(),
        ticket_url: request.ticket_url.clone(),
        requester: request.requester.clone(),
        finding_id: None,
        drift_id: None,
    }
}

/// The exact changes `request` would make today, and whether it needs approval.
pub async fn preview(
    db: &Db,
    actor: &Actor,
    request: &ExtensionRequest,
    today: NaiveDate,
) -> Result<crate::domain::Preview, AppError> {
    crate::ops::server::preview(db, actor, &operation(request), today).await
}

/// Issues `request` (or files it for a lead's approval); a refusal by policy is on the
/// timeline (see [`crate::ops::server::execute`]).
pub async fn submit(
    db: &Db,
    key: &LicenseKey,
    actor: &Actor,
    request: &ExtensionRequest,
    today: NaiveDate,
) -> Result<ExtensionOutcome, AppError> {
    match execute(db, key, actor, &operation(request), today).await? {
        Outcome::Applied { event_id, preview } => {
            let (new_end, license) = issued_for(db, request.subscription_id).await?;
            Ok(ExtensionOutcome::Issued {
                event_id,
                subscription_id: request.subscription_id,
                new_end,
                license,
                preview,
            })
        }
        Outcome::PendingApproval { approval_id, preview } => {
            Ok(ExtensionOutcome::PendingApproval { approval_id, preview })
        }
    }
}

/// What the extension just issued for a subscription left: its new end, and its
/// signed license for self-managed (read from the extension's own row).
async fn issued_for(
    db: &Db,
    subscription_id: i64,
) -> Result<(NaiveDate, Option<IssuedLicense>), AppError> {
    let (new_end, license_id): (NaiveDate, Option<i64>) = on_db!(db, |p| {
        sqlx::query_as(
        "SELECT new_end, license_id FROM temporary_extensions WHERE subscription_id = $1 ORDER BY id DESC LIMIT 1"
    )
    .bind(subscription_id)
    .fetch_one(p)
    .await
    })?;
    let license = match license_id {
        Some(id) => Some(issued_license(db, id).await?),
        None => None,
    };
    Ok((new_end, license))
}

/// A signed license by id, for anyone who may view customers.
pub async fn issued_license(db: &Db, id: i64) -> Result<IssuedLicense, AppError> {
    let sql =
        "SELECT id, subscription_id, customer_id, users, starts_on, expires_on, key, certificate
               FROM licenses WHERE id = $1 AND certificate IS NOT NULL";
    let row: Option<IssuedLicense> =
        on_db!(db, |p| sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    row.ok_or_else(|| AppError::NotFound(format!("Signed license {id}")))
}

/// Checks a license file: the signature against the server's key, then the license's
/// record on `today` (not revoked, started, not expired). Its signed fields, or a 422
/// saying why not.
pub async fn verify(
    db: &Db,
    key: &LicenseKey,
    text: &str,
    today: NaiveDate,
) -> Result<LicenseFields, AppError> {
    let invalid =
        |why: String| AppError::field("license", format!("This license is not valid: {why}."));
    let fields = key.verify(text).map_err(invalid)?;
    let revoked: Option<Option<chrono::DateTime<chrono::Utc>>> = on_db!(db, |p| {
        sqlx::query_scalar("SELECT revoked_at FROM licenses WHERE id = $1")
            .bind(fields.license_id)
            .fetch_optional(p)
            .await
    })?;
    match revoked {
        None => Err(invalid(format!("license {} is not on record here", fields.license_id))),
        Some(Some(at)) => Err(invalid(format!("it was revoked on {}", at.format("%Y-%m-%d")))),
        Some(None) if fields.expires_on < today => {
            Err(invalid(format!("it expired on {}", fields.expires_on)))
        }
        Some(None) if fields.starts_on > today => {
            Err(invalid(format!("it starts on {}", fields.starts_on)))
        }
        Some(None) => Ok(fields),
    }
}
