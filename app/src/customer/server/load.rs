use chrono::NaiveDate;

use crate::audit::ActivityFilter;
use crate::customer::CustomerView;
use crate::domain::{
    BillingAccount, Contact, Customer, Invoice, License, Namespace, NamespaceOwner,
    PendingApproval, Subscription, NAMESPACE_COLUMNS, SUBSCRIPTION_COLUMNS,
};
use crate::store::Db;
use crate::{on_db, AppError};

/// Events shown on the customer page.
pub const RECENT_EVENTS: i64 = 25;

/// One customer with all their records (11 queries, whatever their number).
pub async fn load(db: &Db, id: i64, today: NaiveDate) -> Result<CustomerView, AppError> {
    let customer: Option<Customer> = on_db!(db, |p| sqlx::query_as(
        "SELECT id, name, email, company, country, crm_account_id FROM customers WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(p)
    .await)?;
    let customer = customer.ok_or_else(|| AppError::NotFound(format!("Customer {id}")))?;

    let billing_accounts: Vec<BillingAccount> = on_db!(db, |p| {
        sqlx::query_as(
        "SELECT id, customer_id, number, currency, payment_terms FROM billing_accounts WHERE customer_id = $1 ORDER BY id"
    ).bind(id).fetch_all(p).await
    })?;
    let sql = format!(
        "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE customer_id = $1 ORDER BY status = 'active' DESC, end_date DESC, id"
    );
    let subscriptions: Vec<Subscription> =
        on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(p).await)?;
    let sql =
        format!("SELECT {NAMESPACE_COLUMNS} FROM namespaces WHERE customer_id = $1 ORDER BY id");
    let mut namespaces: Vec<Namespace> =
        on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(p).await)?;
    let owners: Vec<NamespaceOwner> = on_db!(db, |p| {
        sqlx::query_as(
        "SELECT namespace_id, username, email FROM namespace_owners WHERE customer_id = $1 ORDER BY id"
    )
    .bind(id)
    .fetch_all(p)
    .await
    })?;
    for owner in owners {
        if let Some(n) = namespaces.iter_mut().find(|n| n.id == owner.namespace_id) {
            n.owners.push(owner);
        }
    }
    let contacts: Vec<Contact> = on_db!(db, |p| sqlx::query_as(
        "SELECT id, customer_id, name, email, role FROM contacts WHERE customer_id = $1
         ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'billing' THEN 1 ELSE 2 END, id"
    )
    .bind(id)
    .fetch_all(p)
    .await)?;
    let licenses: Vec<License> = on_db!(db, |p| {
        sqlx::query_as(
        "SELECT id, customer_id, subscription_id, kind, users, starts_on, expires_on, key, revoked_at IS NOT NULL AS revoked,
            certificate IS NOT NULL AS signed
         FROM licenses WHERE customer_id = $1 ORDER BY expires_on DESC, id"
    ).bind(id).fetch_all(p).await
    })?;
    let invoices: Vec<Invoice> = on_db!(db, |p| {
        sqlx::query_as(
        "SELECT id, customer_id, billing_account_id, number, amount_cents, currency, status, issued_on, due_on
         FROM invoices WHERE customer_id = $1 ORDER BY issued_on DESC, id DESC"
    ).bind(id).fetch_all(p).await
    })?;
    let filter = ActivityFilter { customer_id: Some(id), ..Default::default() };
    let events = crate::audit::query::page(db, &filter, None, Some(RECENT_EVENTS)).await?;

    let pending_approvals: Vec<PendingApproval> = on_db!(db, |p| {
        sqlx::query_as(
        "SELECT a.id, a.action, a.reason, r.email AS requested_by_email, a.requested_at, a.expires_at
         FROM approval_requests a JOIN staff_users r ON r.id = a.requested_by
         WHERE a.customer_id = $1 AND a.status = 'pending' AND a.expires_at > $2 ORDER BY a.id DESC"
    ).bind(id).bind(crate::store::now()).fetch_all(p).await
    })?;

    let view = CustomerView {
        customer,
        today,
        contacts,
        billing_accounts,
        subscriptions,
        namespaces,
        licenses,
        invoices,
        findings: crate::checks::for_customer(db, id, today).await?,
        activity: events.events,
        activity_cursor: events.next_cursor,
        pending_approvals,
        notes: crate::notes::server::list(db, id).await?,
    };
    Ok(view)
}
