//! Invoices: recording one issued elsewhere, editing its status or amount. The billing
//! system owns a linked invoice: the plan says so ([`Planned::held_by_provider`]) and
//! only the provider's own values, applied by reconciliation, may change it; only the
//! billing system records an invoice linked to its own.
use super::rows::{self, RowChange};
use super::Planned;
use crate::auth::CurrentUser;
use crate::domain::billing::LinkedRecord;
use crate::domain::{ops_policy, Change, InvoiceStatus, Operation, TargetType};
use crate::store::Tx;
use crate::{on_tx, AppError};

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

/// An invoice to record with a change, and the provider's invoice it is, when the
/// billing system issued it.
#[derive(Debug, Clone)]
pub struct NewInvoice {
    pub invoice: crate::domain::Invoice,
    pub provider_id: Option<String>,
}

pub async fn record(tx: &mut Tx, user: &CurrentUser, op: &Operation) -> Result<Planned, AppError> {
    let Operation::RecordInvoice {
        billing_account_id,
        number,
        amount_cents,
        currency,
        status,
        issued_on,
        due_on,
        provider_id,
    } = op
    else {
        unreachable!("planned as an invoice to record")
    };
    let customer: Option<i64> = on_tx!(tx, |c| {
        sqlx::query_scalar("SELECT customer_id FROM billing_accounts WHERE id = $1")
            .bind(billing_account_id)
            .fetch_optional(c)
            .await
    })?;
    let Some(customer_id) = customer else {
        return Err(AppError::field("billing_account_id", "No billing account has this id."));
    };
    let taken: Option<i64> = on_tx!(tx, |c| {
        sqlx::query_scalar("SELECT id FROM invoices WHERE number = $1")
            .bind(number)
            .fetch_optional(c)
            .await
    })?;
    if taken.is_some() {
        return Err(AppError::field("number", format!("Invoice {number} is already recorded.")));
    }
    let invoice = crate::domain::Invoice {
        id: 0,
        customer_id,
        billing_account_id: *billing_account_id,
        number: number.clone(),
        amount_cents: *amount_cents,
        currency: currency.clone(),
        status: ops_policy::invoice_status(status).map_err(|m| AppError::field("status", m))?,
        issued_on: *issued_on,
        due_on: *due_on,
        billing: None,
    };
    const SKIP: [&str; 3] = ["id", "customer_id", "billing_account_id"];
    let serde_json::Value::Object(fields) =
        serde_json::to_value(&invoice).map_err(AppError::internal)?
    else {
        unreachable!("an invoice is a JSON object")
    };
    let changes = fields
        .into_iter()
        .filter(|(field, _)| !SKIP.contains(&field.as_str()))
        .map(|(field, after)| Change {
            record: number.clone(),
            field,
            before: serde_json::Value::Null,
            after,
        })
        .collect();
    let approval = ops_policy::invoice_edit_approval(user.role, true, false);
    let target = (TargetType::BillingAccount, *billing_account_id, customer_id);
    let mut planned = Planned::issuing(op, target, changes, approval);
    if provider_id.is_some() {
        planned.held_by_provider = Some((
            "provider_id",
            "Only the billing system links an invoice to its own.".to_string(),
        ));
    }
    planned.invoice = Some(NewInvoice { invoice, provider_id: provider_id.clone() });
    Ok(planned)
}

/// Writes `new` (and its link to the provider's invoice, made by `provider`).
pub async fn write(
    tx: &mut Tx,
    new: &NewInvoice,
    provider: Option<crate::domain::billing::Provider>,
) -> Result<i64, AppError> {
    let i = &new.invoice;
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO invoices (number, billing_account_id, customer_id, amount_cents, currency, status, issued_on, due_on)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&i.number)
        .bind(i.billing_account_id)
        .bind(i.customer_id)
        .bind(i.amount_cents)
        .bind(&i.currency)
        .bind(i.status)
        .bind(i.issued_on)
        .bind(i.due_on)
        .fetch_one(c)
        .await
    })?;
    if let (Some(provider), Some(provider_id)) = (provider, &new.provider_id) {
        crate::billing::server::links::insert_in(
            tx,
            LinkedRecord::Invoice,
            id,
            provider,
            provider_id,
        )
        .await?;
    }
    Ok(id)
}
