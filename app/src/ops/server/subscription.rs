//! Inline subscription edit: seats, end date, auto-renew, status.
use chrono::NaiveDate;

use super::rows::{self, RowChange};
use super::Planned;
use crate::domain::SubscriptionStatus;
use crate::ops::{policy, Operation};
use crate::store::Tx;
use crate::{AppError, FieldErrors};

pub async fn edit(tx: &mut Tx, op: &Operation, today: NaiveDate) -> Result<Planned, AppError> {
    let Operation::EditSubscription { subscription_id, version, seats, end_date, auto_renew, status } = op else {
        unreachable!("planned as a subscription edit")
    };
    let before = rows::subscription(tx, *subscription_id).await?;
    rows::expect_version(&format!("Subscription {}", before.number), before.version, Some(*version))?;
    let mut after = before.clone();
    let mut errors = FieldErrors::new();
    if let Some(seats) = seats {
        after.seats = *seats;
    }
    if let Some(end) = end_date {
        match policy::end_date(before.start_date, *end) {
            Ok(end) => after.end_date = end,
            Err(m) => drop(errors.insert("end_date".into(), m)),
        }
    }
    if let Some(renew) = auto_renew {
        after.auto_renew = *renew;
    }
    let from = SubscriptionStatus::parse(&before.status).unwrap_or(SubscriptionStatus::Active);
    let mut to = from;
    if let Some(raw) = status {
        match policy::status(raw).and_then(|s| policy::status_transition(from, s).map(|_| s)) {
            Ok(s) => to = s,
            Err(m) => drop(errors.insert("status".into(), m)),
        }
        after.status = to.as_str().to_string();
    }
    if errors.is_empty() && (end_date.is_some() || to != from) {
        if let Err(m) = policy::active_until(to, after.end_date, today) {
            errors.insert(if end_date.is_some() { "end_date" } else { "status" }.into(), m);
        }
    }
    if let Some(e) = AppError::from_fields(errors) {
        return Err(e);
    }
    let target = ("subscription", before.id, before.customer_id);
    Planned::new(op, target, vec![RowChange::Subscription(before, after)], None)
}
