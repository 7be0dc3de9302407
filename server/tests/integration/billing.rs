//! The billing provider, against a real Stripe-compatible server (localstripe): linking
//! the records, writing console changes through the outbox, and nothing lost or applied
//! twice while the provider is down or two servers deliver.
use crate::common;

use app::billing::server::{deliver, link, outbox};
use common::fixture::{self, *};
use common::process::ServerProcess;
use common::stripe::{provider_id, LocalStripe};
use common::{TestApp, TestDb};
use serde_json::{json, Value};

const TICKET: &str = "https://tickets.example/billing";

/// Changes of seats the provider applied to subscription `id` of `customer`: each
/// leaves a proration item ("Unused time") behind; setting the seats a subscription
/// already has leaves none.
async fn seat_changes(stripe: &LocalStripe, customer: &str, id: &str) -> usize {
    let items = stripe.get(&format!("/v1/invoiceitems?customer={customer}&limit=100")).await;
    items["data"].as_array().unwrap().iter().filter(|i| i["subscription"] == id).count()
}

/// A lead's `PATCH` of subscription `id`.
async fn edit(app: &TestApp, token: &str, id: i64, fields: Value) -> Value {
    let (_, current) = app.call("GET", &format!("/customers/{CUSTOMER}"), token, None).await;
    let version =
        current["subscriptions"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap()
            ["version"]
            .clone();
    let mut body = json!({"version": version, "reason": "billing test", "ticket_url": TICKET, "requester": OWNER_CONTACT});
    body.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
    let (status, answer) =
        app.call("PATCH", &format!("/subscriptions/{id}"), token, Some(body)).await;
    assert_eq!(status, 200, "{answer}");
    answer
}

/// The `billing` of subscription `id` on the customer's page.
async fn billing_of(app: &TestApp, token: &str, id: i64) -> Value {
    let (_, view) = app.call("GET", &format!("/customers/{CUSTOMER}"), token, None).await;
    view["subscriptions"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap()["billing"]
        .clone()
}

async fn linked_changes_reach_the_provider(t: &TestDb) {
    let Some(stripe) = LocalStripe::start().await else { return };
    fixture::load(&t.db).await;
    let client = stripe.client();
    let today = fixture::today();
    let first = link::run(&t.db, &client, true, today, |_, _| {}).await.unwrap();
    assert_eq!((first.customers, first.subscriptions, first.already), (2, 6, 0));
    let again = link::run(&t.db, &client, true, today, |_, _| {}).await.unwrap();
    assert_eq!((again.customers, again.subscriptions, again.already), (0, 0, 8), "resumable");

    // Linked with the console's terms.
    let main = provider_id(t, SUB_MAIN).await;
    let at_provider = stripe.get(&format!("/v1/subscriptions/{main}")).await;
    assert_eq!(at_provider["status"], "active", "{at_provider}");
    assert_eq!(at_provider["quantity"], 10);
    assert_eq!(at_provider["cancel_at_period_end"], false);
    assert_eq!(at_provider["items"]["data"][0]["plan"]["id"], "fc-premium-saas");
    let end =
        app::billing::server::stripe::date_of(at_provider["current_period_end"].as_i64().unwrap());
    assert_eq!(end, today + chrono::Duration::days(200), "the period ends on the end date");
    let expired =
        stripe.get(&format!("/v1/subscriptions/{}", provider_id(t, SUB_EXPIRED).await)).await;
    assert_eq!(expired["status"], "canceled");

    // A console edit is pending until delivered, then at the provider and synced.
    let app = TestApp::spawn(t).await;
    let (_, lead) = staff_token(&t.db, app::domain::Role::Lead).await;
    assert_eq!(billing_of(&app, &lead, SUB_MAIN).await["sync"], "synced");
    edit(&app, &lead, SUB_MAIN, json!({"seats": 12, "auto_renew": false})).await;
    let billing = billing_of(&app, &lead, SUB_MAIN).await;
    assert_eq!(
        (billing["sync"].as_str(), billing["id"].as_str()),
        (Some("pending"), Some(main.as_str()))
    );
    let done = deliver::drain(&t.db, &client, today).await.unwrap();
    assert_eq!((done.delivered, done.failed), (1, 0));
    let at_provider = stripe.get(&format!("/v1/subscriptions/{main}")).await;
    assert_eq!(
        (at_provider["quantity"].as_i64(), at_provider["cancel_at_period_end"].as_bool()),
        (Some(12), Some(true))
    );
    assert_eq!(billing_of(&app, &lead, SUB_MAIN).await["sync"], "synced");

    // An undo is a change like any other; a console-owned change sends nothing.
    let event =
        t.scalar("SELECT MAX(id) FROM activity_events WHERE action = 'subscription.edit'").await;
    let (status, undone) = app
        .call(
            "POST",
            &format!("/activity/{event}/undo"),
            &lead,
            Some(json!({"reason": "undo", "ticket_url": TICKET, "requester": OWNER_CONTACT})),
        )
        .await;
    assert_eq!(status, 200, "{undone}");
    let (status, _) = app
        .call("POST", &format!("/namespaces/{NS_MAIN}/storage"), &lead, Some(json!({"delta_mib": 1024, "reason": "storage", "ticket_url": TICKET, "requester": OWNER_CONTACT})))
        .await;
    assert_eq!(status, 200);
    assert_eq!(deliver::drain(&t.db, &client, today).await.unwrap().delivered, 1);
    let at_provider = stripe.get(&format!("/v1/subscriptions/{main}")).await;
    assert_eq!(
        (at_provider["quantity"].as_i64(), at_provider["cancel_at_period_end"].as_bool()),
        (Some(10), Some(false))
    );

    // A SaaS extension's later end is a trial end that pushes the next billing date.
    edit(&app, &lead, SUB_MAIN, json!({"end_date": today + chrono::Duration::days(230)})).await;
    deliver::drain(&t.db, &client, today).await.unwrap();
    let at_provider = stripe.get(&format!("/v1/subscriptions/{main}")).await;
    let trial_end =
        app::billing::server::stripe::date_of(at_provider["trial_end"].as_i64().unwrap());
    assert_eq!(trial_end, today + chrono::Duration::days(230));

    // Cancelling cancels at the provider.
    edit(&app, &lead, SUB_MAIN, json!({"status": "cancelled"})).await;
    deliver::drain(&t.db, &client, today).await.unwrap();
    assert_eq!(stripe.get(&format!("/v1/subscriptions/{main}")).await["status"], "canceled");
    assert_eq!(outbox::waiting(&t.db).await.unwrap(), 0);
}

async fn nothing_is_lost_or_doubled_while_the_provider_is_down(t: &TestDb) {
    let Some(stripe) = LocalStripe::start().await else { return };
    fixture::load(&t.db).await;
    let client = stripe.client();
    let today = fixture::today();
    link::run(&t.db, &client, true, today, |_, _| {}).await.unwrap();
    let app = TestApp::spawn(t).await;
    let (_, lead) = staff_token(&t.db, app::domain::Role::Lead).await;
    let orphan = provider_id(t, SUB_ORPHAN).await;

    stripe.pause(true);
    for seats in 11..=60 {
        edit(&app, &lead, SUB_ORPHAN, json!({"seats": seats})).await;
    }
    let down = deliver::round(&t.db, &client, today, 100).await.unwrap();
    assert_eq!((down.delivered, down.failed), (0, 1), "the oldest entry waits for the provider");
    let billing = billing_of(&app, &lead, SUB_ORPHAN).await;
    assert_eq!(billing["sync"], "pending", "the newest change is waiting: {billing}");
    assert_eq!(outbox::waiting(&t.db).await.unwrap(), 50);
    stripe.pause(false);

    // Back up: two servers deliver the same outbox; each change reaches it once.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let other = stripe.client();
    let (a, b) =
        tokio::join!(deliver::drain(&t.db, &client, today), deliver::drain(&t.db, &other, today));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.delivered + b.delivered, 50, "{a:?} {b:?}");
    assert_eq!(outbox::waiting(&t.db).await.unwrap(), 0);
    let at_provider = stripe.get(&format!("/v1/subscriptions/{orphan}")).await;
    assert_eq!(at_provider["quantity"], 60);
    let customer = at_provider["customer"].as_str().unwrap().to_string();
    assert_eq!(seat_changes(&stripe, &customer, &orphan).await, 50, "each change applied once");
    assert_eq!(billing_of(&app, &lead, SUB_ORPHAN).await["sync"], "synced");
}

/// The server binary connected to the provider at `api_base`, over `t`'s database.
fn billing_server(t: &TestDb, dir: &std::path::Path, api_base: &str) -> ServerProcess {
    ServerProcess::start(
        dir,
        Some(&t.url),
        &[
            ("FC_BILLING", "stripe"),
            ("FC_STRIPE_API_BASE", api_base),
            ("FC_STRIPE_API_KEY", common::stripe::KEY),
            ("FC_BILLING_SWEEP_SECS", "0"),
            ("FC_DEMO_SEED", "false"),
        ],
    )
}

async fn a_change_committed_before_a_kill_is_delivered_after_it(t: &TestDb) {
    let Some(stripe) = LocalStripe::start().await else { return };
    fixture::load(&t.db).await;
    let today = fixture::today();
    link::run(&t.db, &stripe.client(), true, today, |_, _| {}).await.unwrap();
    let (_, lead) = staff_token(&t.db, app::domain::Role::Lead).await;
    let orphan = provider_id(t, SUB_ORPHAN).await;
    let dir = tempfile::tempdir().unwrap();

    // The provider is down (nothing listens): the edit commits with its outbox entry,
    // the worker's attempt fails, and the server is killed before any delivery.
    let down = billing_server(t, dir.path(), "http://127.0.0.1:9");
    let client = reqwest::Client::new();
    let (_, view) =
        app_call(&client, &down.base, "GET", &format!("/customers/{CUSTOMER}"), &lead, None).await;
    let version =
        view["subscriptions"].as_array().unwrap().iter().find(|s| s["id"] == SUB_ORPHAN).unwrap()
            ["version"]
            .clone();
    let body = json!({"version": version, "seats": 42, "reason": "before the crash", "ticket_url": TICKET, "requester": OWNER_CONTACT});
    let (status, answer) = app_call(
        &client,
        &down.base,
        "PATCH",
        &format!("/subscriptions/{SUB_ORPHAN}"),
        &lead,
        Some(body),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let tried = "SELECT COUNT(*) FROM billing_outbox WHERE attempts >= 1 AND claimed_until IS NULL AND delivered_at IS NULL";
    for _ in 0..100 {
        if t.scalar(tried).await == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(t.scalar(tried).await, 1, "the worker tried and failed");
    down.kill();
    assert_eq!(outbox::waiting(&t.db).await.unwrap(), 1, "the change survived the kill");

    // Restarted with the provider up: delivered once, synced.
    let up = billing_server(t, dir.path(), &stripe.base);
    let mut sync = Value::Null;
    for _ in 0..100 {
        let (_, view) =
            app_call(&client, &up.base, "GET", &format!("/customers/{CUSTOMER}"), &lead, None)
                .await;
        sync = view["subscriptions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == SUB_ORPHAN)
            .unwrap()["billing"]["sync"]
            .clone();
        if sync == "synced" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(sync, "synced");
    let at_provider = stripe.get(&format!("/v1/subscriptions/{orphan}")).await;
    assert_eq!(at_provider["quantity"], 42);
    let customer = at_provider["customer"].as_str().unwrap().to_string();
    assert_eq!(seat_changes(&stripe, &customer, &orphan).await, 1, "applied once");
    up.terminate();
}

/// Calls the JSON API of the server at `base`.
async fn app_call(
    client: &reqwest::Client,
    base: &str,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = client.request(method, format!("{base}/api/v1{path}")).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let response = req.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

on_both_backends!(
    linked_changes_reach_the_provider,
    nothing_is_lost_or_doubled_while_the_provider_is_down,
    a_change_committed_before_a_kill_is_delivered_after_it
);
