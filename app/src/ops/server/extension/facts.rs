//! The records the eligibility rules look at, read inside the caller's transaction.
use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{CurrentLicense, Deployment, ExtensionFacts, PriorExtension};
use crate::ops::server::rows;
use crate::store::Tx;
use crate::{on_tx, AppError};

pub async fn load(
    tx: &mut Tx,
    subscription_id: i64,
    on: NaiveDate,
) -> Result<ExtensionFacts, AppError> {
    let subscription = rows::subscription(tx, subscription_id).await?;
    let customer_name: String =
        on_tx!(tx, |c| sqlx::query_scalar("SELECT name FROM customers WHERE id = $1")
            .bind(subscription.customer_id)
            .fetch_one(c)
            .await)?;
    let license: Option<CurrentLicense> = on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT id, kind, users, starts_on, expires_on FROM licenses
         WHERE subscription_id = $1 AND revoked_at IS NULL ORDER BY expires_on DESC, id DESC LIMIT 1"
    )
    .bind(subscription_id)
    .fetch_optional(c)
    .await
    })?;
    let saas = subscription.deployment == Deployment::Saas;
    let trial_namespace: Option<String> = if saas {
        on_tx!(tx, |c| {
            sqlx::query_scalar(
            "SELECT path FROM namespaces WHERE subscription_id = $1 AND trial_ends_on >= $2 ORDER BY id LIMIT 1"
        )
        .bind(subscription_id)
        .bind(on)
        .fetch_optional(c)
        .await
        })?
    } else {
        None
    };
    let seats_in_use: Option<i64> = if saas {
        Some(on_tx!(tx, |c| {
            sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(seats_in_use), 0) AS BIGINT) FROM namespaces WHERE subscription_id = $1"
        )
        .bind(subscription_id)
        .fetch_one(c)
        .await
        })?)
    } else {
        None
    };
    let prior: Option<(DateTime<Utc>, NaiveDate)> = on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT issued_at, new_end FROM temporary_extensions WHERE subscription_id = $1 AND term_start = $2 ORDER BY id DESC LIMIT 1"
    )
    .bind(subscription_id)
    .bind(subscription.start_date)
    .fetch_optional(c)
    .await
    })?;
    let prior = prior.map(|(at, new_end)| PriorExtension { issued_on: at.date_naive(), new_end });
    Ok(ExtensionFacts {
        customer_name,
        subscription,
        license,
        trial_namespace,
        seats_in_use,
        prior,
    })
}
