//! Invoice edit: its status, its amount. The billing system owns a linked invoice: the
//! plan says so ([`Planned::held_by_provider`]) and only the provider's own values,
//! applied by reconciliation, may change it.
use super::rows::{self, RowChange};
use super::Planned;
use crate::auth::CurrentUser;
use crate::domain::billing::LinkedRecord;
use crate::domain::{ops_policy, InvoiceStatus, Operation, TargetType};
use crate::store::Tx;
use crate::AppError;

pub async fn edit(tx: &mut Tx, user: &CurrentUser, op: &Operation) -> Result<Planned, AppError> {
    let Operation::EditInvoice { invoice_id, status, amount_cents } = op else {
        unreachable!("planned as an invoice edit")
    };
    let before = match rows::invoice(tx, *invoice_id).await {
        Err(AppError::NotFound(_)) => {
            return Err(AppError::field("invoice_id", "No invoice has this id."))
        }
        other => other?,
    };
    let mut after = before.clone();
    if let Some(raw) = status {
        after.status = ops_policy::invoice_status(raw).map_err(|m| AppError::field("status", m))?;
    }
    if let Some(cents) = amount_cents {
        after.amount_cents = *cents;
    }
    let approval = ops_policy::invoice_edit_approval(
        user.role,
        after.amount_cents != before.amount_cents,
        after.status == InvoiceStatus::Void && before.status != InvoiceStatus::Void,
    );
    let held = crate::billing::server::links::provider_id(tx, LinkedRecord::Invoice, before.id)
        .await?
        .map(|_| {
            let why = format!(
                "Invoice {} is kept by the billing system: change it there, and the console follows.",
                before.number
            );
            ("invoice_id", why)
        });
    let target = (TargetType::Invoice, before.id, before.customer_id);
    let mut planned = Planned::new(op, target, vec![RowChange::invoice(before, after)], approval)?;
    planned.held_by_provider = held;
    Ok(planned)
}
