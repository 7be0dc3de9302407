//! Send to the billing system: where the console and the provider disagree on a field
//! the provider owns (an open drift record), the console's value is sent: the
//! subscription's terms are written to the outbox with the change's event, and the
//! worker delivers them. It changes nothing in the console.
use serde_json::Value;

use super::rows;
use super::Planned;
use crate::auth::CurrentUser;
use crate::domain::billing::LinkedRecord;
use crate::domain::{ops_policy, Change, Operation, TargetType};
use crate::store::Tx;
use crate::{on_tx, AppError};

pub async fn plan(tx: &mut Tx, user: &CurrentUser, op: &Operation) -> Result<Planned, AppError> {
    let Operation::SendToBilling { subscription_id, field } = op else {
        unreachable!("planned as a send to the billing system")
    };
    let sub = match rows::subscription(tx, *subscription_id).await {
        Err(AppError::NotFound(_)) => {
            return Err(AppError::field("subscription_id", "No subscription has this id."))
        }
        other => other?,
    };
    let Some(provider_id) =
        crate::billing::server::links::provider_id(tx, LinkedRecord::Subscription, sub.id).await?
    else {
        return Err(AppError::field(
            "subscription_id",
            format!("Subscription {} is not linked to the billing system.", sub.number),
        ));
    };
    let theirs: Option<Option<String>> = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "SELECT provider_value FROM billing_drift WHERE provider_id = $1 AND field = $2 AND cleared_at IS NULL",
        )
        .bind(&provider_id)
        .bind(*field)
        .fetch_optional(c)
        .await
    })?;
    let Some(theirs) = theirs else {
        return Err(AppError::field(
            "field",
            format!(
                "The billing system agrees with the console on the {} of {}: nothing to send.",
                field.label().to_lowercase(),
                sub.number
            ),
        ));
    };
    let change = Change {
        record: format!("{} at the billing system", sub.number),
        field: field.as_str().into(),
        before: theirs.map_or(Value::Null, Value::String),
        after: Value::String(
            crate::billing::server::outbox::terms(&sub).value(*field).unwrap_or_default(),
        ),
    };
    let approval = ops_policy::send_to_billing_approval(user.role, *field);
    let target = (TargetType::Subscription, sub.id, sub.customer_id);
    let mut planned = Planned::issuing(op, target, vec![change], approval);
    planned.send = Some(sub);
    Ok(planned)
}
