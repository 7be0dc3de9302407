use chrono::NaiveDate;

use crate::audit::ActivityFilter;
use crate::customer::CustomerView;
use crate::domain::billing::LinkedRecord;
use crate::domain::{
    BillingAccount, Contact, Customer, Invoice, License, Namespace, NamespaceOwner,
    PendingApproval, Subscription, INVOICE_COLUMNS, NAMESPACE_COLUMNS, SUBSCRIPTION_COLUMNS,
};
use crate::store::{Db, IdRow};
use crate::{on_db, AppError};

/// Events shown on the customer page.
pub const RECENT_EVENTS: i64 = 25;

/// The rows of `sql` for customer `id` (`$1`).
async fn rows<T: IdRow>(db: &Db, sql: String, id: i64) -> Result<Vec<T>, AppError> {
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(p).await)?)
}

async fn pending(db: &Db, id: i64) -> Result<Vec<PendingApproval>, AppError> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
        "SELECT a.id, a.action, a.reason, r.email AS requested_by_email, a.requested_at, a.expires_at
         FROM approval_requests a JOIN staff_users r ON r.id = a.requested_by
         WHERE a.customer_id = $1 AND a.status = 'pending' AND a.expires_at > $2 ORDER BY a.id DESC"
    ).bind(id).bind(crate::store::now()).fetch_all(p).await
    })?)
}

/// One customer with all their records: a fixed number of statements, whatever their
/// number of records, run at once on pooled connections (the page waits for the
/// slowest, not for their sum).
pub async fn load(db: &Db, id: i64, today: NaiveDate) -> Result<CustomerView, AppError> {
    let filter = ActivityFilter { customer_id: Some(id), ..Default::default() };
    let (
        mut customer,
        billing_accounts,
        mut subscriptions,
        mut namespaces,
        owners,
        contacts,
        licenses,
        mut invoices,
        events,
        pending_approvals,
        findings,
        notes,
        billing,
    ) = futures::try_join!(
        rows::<Customer>(
            db,
            "SELECT id, name, email, company, country, crm_account_id FROM customers WHERE id = $1".into(),
            id
        ),
        rows::<BillingAccount>(
            db,
            "SELECT id, customer_id, number, currency, payment_terms FROM billing_accounts WHERE customer_id = $1 ORDER BY id".into(),
            id
        ),
        rows::<Subscription>(
            db,
            format!("SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE customer_id = $1 ORDER BY status = 'active' DESC, end_date DESC, id"),
            id
        ),
        rows::<Namespace>(
            db,
            format!("SELECT {NAMESPACE_COLUMNS} FROM namespaces WHERE customer_id = $1 ORDER BY id"),
            id
        ),
        rows::<NamespaceOwner>(
            db,
            "SELECT namespace_id, username, email FROM namespace_owners WHERE customer_id = $1 ORDER BY id".into(),
            id
        ),
        rows::<Contact>(
            db,
            "SELECT id, customer_id, name, email, role FROM contacts WHERE customer_id = $1
             ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'billing' THEN 1 ELSE 2 END, id"
                .into(),
            id
        ),
        rows::<License>(
            db,
            "SELECT id, customer_id, subscription_id, kind, users, starts_on, expires_on, key, revoked_at IS NOT NULL AS revoked,
                certificate IS NOT NULL AS signed
             FROM licenses WHERE customer_id = $1 ORDER BY expires_on DESC, id"
                .into(),
            id
        ),
        rows::<Invoice>(
            db,
            format!(
                "SELECT {INVOICE_COLUMNS} FROM invoices WHERE customer_id = $1 ORDER BY issued_on DESC, id DESC"
            ),
            id
        ),
        crate::audit::query::page(db, &filter, None, Some(RECENT_EVENTS)),
        pending(db, id),
        crate::checks::for_customer(db, id, today),
        crate::notes::server::list(db, id),
        crate::billing::server::links::for_customer(db, id),
    )?;
    for (kind, record, link) in billing {
        match kind {
            LinkedRecord::Customer => {
                customer.iter_mut().for_each(|c| c.billing = Some(link.clone()))
            }
            LinkedRecord::Subscription => {
                if let Some(s) = subscriptions.iter_mut().find(|s| s.id == record) {
                    s.billing = Some(link);
                }
            }
            LinkedRecord::Invoice => {
                if let Some(i) = invoices.iter_mut().find(|i| i.id == record) {
                    i.billing = Some(link);
                }
            }
        }
    }
    let customer =
        customer.into_iter().next().ok_or_else(|| AppError::NotFound(format!("Customer {id}")))?;
    let billing_system =
        crate::drift::server::side::for_customer(db, id, &subscriptions, &invoices).await?;
    let mut events = events;
    if !billing_system.is_empty() {
        crate::billing::server::outbox::annotate(db, &mut events.events).await?;
    }
    for owner in owners {
        if let Some(n) = namespaces.iter_mut().find(|n| n.id == owner.namespace_id) {
            n.owners.push(owner);
        }
    }
    Ok(CustomerView {
        billing_system,
        customer,
        today,
        contacts,
        billing_accounts,
        subscriptions,
        namespaces,
        licenses,
        invoices,
        findings,
        activity: events.events,
        activity_cursor: events.next_cursor,
        pending_approvals,
        notes,
    })
}
