//! `server bench webhooks`: a change made at the billing provider, then its webhook
//! handled as `POST /webhooks/stripe` handles it (the signature checked, the event
//! stored once, the subscription fetched from the provider, its values applied through
//! the operations engine); timed from the event's arrival to the console's commit. It
//! changes data at both ends: run it on a linked benchmark database.
use std::time::Instant;

use app::billing::server::signature::sign;
use app::billing::server::stripe::{form, Subscription};
use app::billing::server::{links, Connection};
use app::domain::billing::LinkedRecord;
use app::drift::server::webhook::{receive, Handled};
use app::drift::server::{Reconciler, Settled};
use app::state::LicenseKey;
use app::store::Db;
use app::AppError;

use super::percentiles;
use crate::startup::CmdResult;

/// Changes the seats of `samples` linked subscriptions at the provider, one at a time,
/// and times the webhook that tells the console of each.
pub async fn webhooks(
    db: &Db,
    key: &LicenseKey,
    billing: &Connection,
    samples: usize,
) -> CmdResult {
    let secret = billing.webhook_secrets.first().cloned().unwrap_or_else(|| "whsec_bench".into());
    let billing = Connection::new(billing.provider, billing.stripe.clone(), vec![secret.clone()]);
    let r = Reconciler { db, key, billing: &billing };
    let linked = links::all(db, LinkedRecord::Subscription).await?;
    let today = app::store::today();
    let mut timings = Vec::new();
    let mut applied = 0;
    let run = format!("{:x}", chrono::Utc::now().timestamp_millis());
    for (n, (_, provider_id)) in linked.iter().cycle().take(samples).enumerate() {
        let path = format!("/v1/subscriptions/{provider_id}");
        let sub: Subscription = billing.stripe.get(&path, &Vec::new()).await.map_err(bad)?;
        let (Some(item), true) = (sub.item(), sub.billed()) else { continue };
        let seats = sub.seats().unwrap_or(1) + 1;
        let fields =
            form(&[("items[0][id]", item.id.clone()), ("items[0][quantity]", seats.to_string())]);
        let _: Subscription =
            billing.stripe.post(&path, &fields, &format!("bench-{run}-{n}")).await.map_err(bad)?;
        let body = serde_json::to_vec(&serde_json::json!({
            "id": format!("evt_bench_{run}_{n}"), "type": "customer.subscription.updated",
            "data": {"object": {"id": provider_id, "object": "subscription"}},
        }))?;
        let now = chrono::Utc::now().timestamp();
        let started = Instant::now();
        let handled = receive(&r, Some(&sign(&body, &secret, now)), &body, now, today).await?;
        timings.push(started.elapsed().as_secs_f64() * 1000.0);
        if matches!(handled, Handled::Reconciled(Settled::Applied(_))) {
            applied += 1;
        }
    }
    println!("webhook → console updated: {} ({applied} applied)", percentiles(timings));
    Ok(())
}

fn bad(e: impl std::fmt::Display) -> AppError {
    AppError::BadRequest(format!("the billing provider: {e}"))
}
