//! Linking: creates our customers and subscriptions at the provider (its plans first)
//! and records the links. Deterministic and resumable: a record already linked is
//! passed over, and each creation carries an idempotency key named after our record.
use chrono::NaiveDate;

use super::links;
use super::stripe::{form, unix_of, Customer, Stripe, Subscription};
use crate::domain::billing::{trial_end_for, LinkedRecord, Provider};
use crate::domain::{Deployment, Product, Subscription as Ours, SUBSCRIPTION_COLUMNS};
use crate::store::Db;
use crate::{on_db, AppError};

/// What a run linked.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Linked {
    pub customers: usize,
    pub subscriptions: usize,
    /// Records linked by an earlier run.
    pub already: usize,
}

/// The provider's plan of a product on a deployment: `fc-premium-saas`, …
pub fn plan_id(product: Product, deployment: Deployment) -> String {
    format!("fc-{}-{}", product.as_str(), deployment.as_str().replace('_', "-"))
}

/// A seat's yearly price, in cents.
fn yearly_cents(product: Product) -> i64 {
    match product {
        Product::Premium => 29 * 12 * 100,
        Product::Ultimate => 99 * 12 * 100,
    }
}

fn failed(e: super::stripe::StripeError) -> AppError {
    AppError::Internal(format!("billing provider: {e}"))
}

/// Makes sure each plan exists at the provider.
pub async fn plans(stripe: &Stripe) -> Result<(), AppError> {
    for product in Product::ALL {
        for deployment in Deployment::ALL {
            let id = plan_id(*product, *deployment);
            match stripe.get::<serde_json::Value>(&format!("/v1/plans/{id}"), &Vec::new()).await {
                Ok(_) => continue,
                Err(super::stripe::StripeError::NotFound) => {}
                Err(e) => return Err(failed(e)),
            }
            let name = format!("{} ({})", product.as_str(), deployment.words());
            let fields = form(&[
                ("id", id.clone()),
                ("amount", yearly_cents(*product).to_string()),
                ("currency", "usd".into()),
                ("interval", "year".into()),
                ("product[name]", name),
            ]);
            stripe
                .post::<serde_json::Value>("/v1/plans", &fields, &format!("fc-plan-{id}"))
                .await
                .map_err(failed)?;
        }
    }
    Ok(())
}

/// Links every customer and subscription not linked yet; `progress(done, total)` after
/// each record.
pub async fn run(
    db: &Db,
    stripe: &Stripe,
    test_mode: bool,
    today: NaiveDate,
    mut progress: impl FnMut(usize, usize),
) -> Result<Linked, AppError> {
    plans(stripe).await?;
    let customers: Vec<(i64, String, String)> = on_db!(db, |p| {
        sqlx::query_as("SELECT id, name, email FROM customers ORDER BY id").fetch_all(p).await
    })?;
    let subscriptions: Vec<Ours> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions ORDER BY id"
        )))
        .fetch_all(p)
        .await
    })?;
    let mut known: std::collections::HashMap<i64, String> =
        links::all(db, LinkedRecord::Customer).await?.into_iter().collect();
    let linked_subs: std::collections::HashSet<i64> =
        links::all(db, LinkedRecord::Subscription).await?.into_iter().map(|(id, _)| id).collect();
    let total = customers.len() + subscriptions.len();
    let mut done = Linked::default();
    let mut step = 0;
    for (id, name, email) in customers {
        step += 1;
        if known.contains_key(&id) {
            done.already += 1;
            progress(step, total);
            continue;
        }
        let mut fields =
            form(&[("name", name), ("email", email), ("metadata[fc_id]", id.to_string())]);
        if test_mode {
            // Stripe's test card pays the demo's invoices.
            fields.push(("invoice_settings[default_payment_method]".into(), "pm_card_visa".into()));
        }
        let created: Customer = stripe
            .post("/v1/customers", &fields, &format!("fc-link-customer-{id}"))
            .await
            .map_err(failed)?;
        links::insert(db, LinkedRecord::Customer, id, Provider::Stripe, &created.id).await?;
        known.insert(id, created.id);
        done.customers += 1;
        progress(step, total);
    }
    for s in subscriptions {
        step += 1;
        if linked_subs.contains(&s.id) {
            done.already += 1;
            progress(step, total);
            continue;
        }
        let customer = known.get(&s.customer_id).ok_or_else(|| {
            AppError::Internal(format!("customer {} is not linked", s.customer_id))
        })?;
        let created = subscription(stripe, customer, &s, today).await.map_err(failed)?;
        links::insert(db, LinkedRecord::Subscription, s.id, Provider::Stripe, &created.id).await?;
        done.subscriptions += 1;
        progress(step, total);
    }
    Ok(done)
}

/// Creates subscription `s` of `customer` at the provider with its terms: seats as the
/// quantity, its current yearly period ending on its end date (started a year before
/// it, or on its start date when that year has not begun yet, the end then pushed by a
/// trial end), auto-renew as not cancelling at the period's end, and canceled when it
/// no longer runs.
async fn subscription(
    stripe: &Stripe,
    customer: &str,
    s: &Ours,
    today: NaiveDate,
) -> Result<Subscription, super::stripe::StripeError> {
    let key = format!("fc-link-subscription-{}", s.id);
    let mut fields = form(&[
        ("customer", customer.to_string()),
        ("items[0][plan]", plan_id(s.product, s.deployment)),
        ("items[0][quantity]", s.seats.to_string()),
        ("metadata[fc_id]", s.id.to_string()),
    ]);
    let period_start = s
        .end_date
        .checked_sub_months(chrono::Months::new(12))
        .filter(|start| *start <= today)
        .or(Some(s.start_date).filter(|start| *start <= today));
    if let Some(start) = period_start {
        fields.push(("backdate_start_date".into(), unix_of(start).to_string()));
    }
    let created: Subscription = stripe.post("/v1/subscriptions", &fields, &key).await?;
    let path = format!("/v1/subscriptions/{}", created.id);
    if !super::outbox::terms(s).billed() {
        return stripe.delete(&path, &format!("{key}-cancel")).await;
    }
    // Set after creation (localstripe takes them only in an update), and only where
    // they differ from what a new subscription has.
    let mut later = Vec::new();
    if !s.auto_renew {
        later.push(("cancel_at_period_end".to_string(), "true".to_string()));
    }
    if let Some(end) = trial_end_for(s.end_date, created.period_end(), today) {
        later.push(("trial_end".to_string(), unix_of(end).to_string()));
    }
    if later.is_empty() {
        return Ok(created);
    }
    stripe.post(&path, &later, &format!("{key}-terms")).await
}
