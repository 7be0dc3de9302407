//! `server billing …`: link the records to the billing provider, deliver the outbox,
//! reconcile.
use app::billing::server::{deliver, link};
use app::store::today;

use crate::settings::Global;
use crate::startup::{open, CmdResult};

fn stripe(global: &Global) -> Result<app::billing::server::Stripe, String> {
    global.stripe()?.ok_or_else(|| "no billing provider: pass --billing stripe".to_string())
}

/// `server billing link`: creates what is not linked yet, with a progress bar, then
/// sweeps (recording the invoices the provider issued for it).
pub async fn link(global: &Global) -> CmdResult {
    let stripe = stripe(global)?;
    let db = open(global).await?;
    let test_mode = global.stripe_api_key.as_deref().is_some_and(|k| k.starts_with("sk_test_"));
    let bar = crate::seed::progress_bar(0, false);
    let started = std::time::Instant::now();
    let linked = link::run(&db, &stripe, test_mode, today(), |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .await
    .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    let made = linked.customers + linked.subscriptions;
    println!(
        "linked {} customers and {} subscriptions ({} linked before) in {secs:.1} s ({:.0} records/s)",
        linked.customers,
        linked.subscriptions,
        linked.already,
        made as f64 / secs.max(0.001)
    );
    // The provider billed what was just created: a sweep records its invoices, linked.
    sweep(global).await
}

/// `server billing deliver`: delivers every change waiting in the outbox.
pub async fn deliver(global: &Global) -> CmdResult {
    let stripe = stripe(global)?;
    let db = open(global).await?;
    let started = std::time::Instant::now();
    let done = deliver::drain(&db, &stripe, today()).await.map_err(|e| e.to_string())?;
    let secs = started.elapsed().as_secs_f64();
    let waiting = app::billing::server::outbox::waiting(&db).await.map_err(|e| e.to_string())?;
    println!(
        "delivered {}, failed {}, {waiting} waiting, in {secs:.2} s ({:.0} deliveries/s)",
        done.delivered,
        done.failed,
        done.delivered as f64 / secs.max(0.001)
    );
    Ok(())
}

/// `server billing sweep`: one reconciliation sweep, with what it found and its rate.
pub async fn sweep(global: &Global) -> CmdResult {
    let billing = global
        .billing_connection()?
        .ok_or_else(|| "no billing provider: pass --billing stripe".to_string())?;
    let db = open(global).await?;
    let key = crate::startup::load_key(global)?;
    let r = app::drift::server::Reconciler { db: &db, key: &key, billing: &billing };
    let Some(s) = app::drift::server::sweep::run(&r, today()).await.map_err(|e| e.to_string())?
    else {
        println!("another sweep is running; nothing done");
        return Ok(());
    };
    let i = s.invoices;
    println!(
        "compared {} subscriptions: {} agree, {} applied from the provider, {} drift, {} waiting for delivery",
        s.compared, s.agreed, s.applied, s.drift, s.waiting
    );
    println!(
        "compared {} invoices: {} agree, {} recorded, {} applied from the provider, {} drift",
        i.compared, i.agreed, i.recorded, i.applied, i.drift
    );
    let records = s.compared + i.compared;
    println!("in {:.2} s ({:.0} records/s)", s.seconds, records as f64 / s.seconds.max(0.001));
    Ok(())
}
