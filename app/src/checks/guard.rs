//! Prevention: every operation checks its customer's records against every rule
//! before and after its change, inside its transaction, and is refused when the change
//! would leave a finding that was not there before. What it leaves is stored, so a fix
//! resolves its finding with the fix's event.
use chrono::{DateTime, NaiveDate, Utc};

use super::{rules, store};
use crate::domain::Finding;
use crate::store::{now, Tx};
use crate::AppError;

/// The customer's findings before a change.
pub struct Before {
    customer: i64,
    today: NaiveDate,
    started: DateTime<Utc>,
    findings: Vec<Finding>,
}

/// Checks the customer's records before a change (inside the change's transaction).
pub async fn before(tx: &mut Tx, customer: i64, today: NaiveDate) -> Result<Before, AppError> {
    let started = now();
    let findings = rules::find(tx, Some(customer), today).await?;
    Ok(Before { customer, today, started, findings })
}

impl Before {
    /// After the change is written: refuses it when it left a new finding.
    pub async fn refuse_new(&self, tx: &mut Tx) -> Result<Vec<Finding>, AppError> {
        let after = rules::find(tx, Some(self.customer), self.today).await?;
        let new: Vec<&str> = after
            .iter()
            .filter(|f| !self.findings.iter().any(|b| store::same(b, f)))
            .map(|f| f.message.as_str())
            .collect();
        if new.is_empty() {
            Ok(after)
        } else {
            Err(AppError::rule(format!(
                "Refused: this would leave the account in an unexpected state — {} Nothing was changed.",
                new.join(" ")
            )))
        }
    }

    /// Stores what the change left (`after`, from [`Before::refuse_new`]): findings it
    /// cleared are resolved by `event`.
    pub async fn store(&self, tx: &mut Tx, after: &[Finding], event: i64) -> Result<(), AppError> {
        store::reconcile(tx, after, Some(self.customer), Some(event), self.started, now()).await?;
        Ok(())
    }
}
