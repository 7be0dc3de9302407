//! Issue license: the standard license an active self-managed subscription lacks —
//! its seats, from today until the subscription ends.
use chrono::NaiveDate;
use serde_json::{json, Value};

use super::rows;
use super::Planned;
use crate::domain::{Change, Deployment, Operation, SubscriptionStatus, TargetType};
use crate::ops::server::extension::new_license::NewLicense;
use crate::store::Tx;
use crate::{on_tx, AppError};

pub async fn plan(tx: &mut Tx, op: &Operation, today: NaiveDate) -> Result<Planned, AppError> {
    let Operation::IssueLicense { subscription_id, version } = op else {
        unreachable!("planned as a license issue")
    };
    let sub = match rows::subscription(tx, *subscription_id).await {
        Err(AppError::NotFound(_)) => {
            return Err(AppError::field("subscription_id", "No subscription has this id."))
        }
        other => other?,
    };
    rows::expect_version(&format!("Subscription {}", sub.number), sub.version, *version)?;
    if sub.deployment != Deployment::SelfManaged {
        return Err(AppError::field(
            "subscription_id",
            format!(
                "Subscription {} is SaaS; licenses are for self-managed subscriptions.",
                sub.number
            ),
        ));
    }
    if sub.status != SubscriptionStatus::Active || sub.end_date < today {
        return Err(AppError::rule(format!(
            "Subscription {} is not active; only an active subscription gets a license.",
            sub.number
        )));
    }
    let current: Option<String> = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT key FROM licenses WHERE subscription_id = $1 AND revoked_at IS NULL AND starts_on <= $2 AND expires_on >= $2 LIMIT 1"
    )
    .bind(sub.id)
    .bind(today)
    .fetch_optional(c)
    .await
    })?;
    if let Some(key) = current {
        return Err(AppError::rule(format!(
            "Subscription {} already has a current license ({key}).",
            sub.number
        )));
    }
    let customer_name: String =
        on_tx!(tx, |c| sqlx::query_scalar("SELECT name FROM customers WHERE id = $1")
            .bind(sub.customer_id)
            .fetch_one(c)
            .await)?;
    let license = NewLicense {
        subscription_id: sub.id,
        customer_id: sub.customer_id,
        customer_name,
        number: sub.number.clone(),
        product: sub.product.as_str().to_string(),
        kind: "standard",
        users: sub.seats,
        starts_on: today,
        expires_on: sub.end_date,
    };
    let change = |field: &str, after: Value| Change {
        record: "license".into(),
        field: field.into(),
        before: Value::Null,
        after,
    };
    let changes = vec![
        change("kind", json!("standard")),
        change("users", json!(sub.seats)),
        change("starts_on", json!(today)),
        change("expires_on", json!(sub.end_date)),
    ];
    let target = (TargetType::Subscription, sub.id, sub.customer_id);
    Ok(Planned { license: Some(license), ..Planned::issuing(op, target, changes, None) })
}
