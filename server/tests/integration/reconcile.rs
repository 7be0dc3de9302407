//! The billing provider as a source, against a real Stripe-compatible server
//! (localstripe): signed webhooks taken as hints, the sweep finding what no webhook
//! said, drift noted where the console cannot take the provider's value, and fixing it.
use crate::common;

use app::billing::server::signature::sign;
use app::billing::server::{deliver, link, outbox, Connection};
use app::domain::billing::Provider;
use app::domain::{OpRequest, Operation};
use app::drift::server::{sweep, Reconciler};
use app::ops::RunOperation;
use common::fixture::{self, *};
use common::stripe::{provider_id, LocalStripe};
use common::{FnBody, TestApp, TestDb};
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};

const SECRET: &str = "whsec_console_test";
const OLD_SECRET: &str = "whsec_console_old";
const TICKET: &str = "https://tickets.example/drift";

/// Links the fixture at a fresh localstripe and serves the console connected to it.
async fn connected(t: &TestDb) -> Option<(LocalStripe, Connection, TestApp)> {
    let stripe = LocalStripe::start().await?;
    fixture::load(&t.db).await;
    link::run(&t.db, &stripe.client(), true, fixture::today(), |_, _| {}).await.unwrap();
    let billing =
        Connection::new(Provider::Stripe, stripe.client(), vec![SECRET.into(), OLD_SECRET.into()]);
    let app = TestApp::spawn_with_billing(t, billing.clone()).await;
    Some((stripe, billing, app))
}

/// A provider event about subscription `object`, as the provider sends it.
fn event(id: &str, object: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": id, "object": "event", "type": "customer.subscription.updated",
        "data": {"object": {"id": object, "object": "subscription", "quantity": 999}},
    }))
    .unwrap()
}

/// A provider event of `kind` about invoice `object`, signed.
async fn invoice_event(app: &TestApp, id: &str, kind: &str, object: &str) -> (u16, Value) {
    let body = serde_json::to_vec(&json!({
        "id": id, "object": "event", "type": kind,
        "data": {"object": {"id": object, "object": "invoice", "status": "forged"}},
    }))
    .unwrap();
    post(app, &body, Some(sign(&body, SECRET, now()))).await
}

/// Posts `body` to the webhook with `signature`; the status and the answer.
async fn post(app: &TestApp, body: &[u8], signature: Option<String>) -> (u16, Value) {
    let mut request = app.client.post(app.url("/webhooks/stripe")).body(body.to_vec());
    if let Some(s) = signature {
        request = request.header("Stripe-Signature", s);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn seats(t: &TestDb, id: i64) -> i64 {
    t.scalar(&format!("SELECT seats FROM subscriptions WHERE id = {id}")).await
}

async fn webhooks_are_verified_stored_once_and_converge(t: &TestDb) {
    let Some((stripe, billing, app)) = connected(t).await else { return };
    let main = provider_id(t, SUB_MAIN).await;
    stripe.set_seats(&main, 14).await;

    // Missing, forged and stale signatures: 400, counted, nothing stored or changed.
    let body = event("evt_1", &main);
    let forged = sign(&body, "whsec_someone_else", now());
    let stale = sign(&body, SECRET, now() - 600);
    for signature in [None, Some(forged), Some(stale), Some("t=1,v1=zz".into())] {
        let (status, answer) = post(&app, &body, signature).await;
        assert_eq!(status, 400, "{answer}");
        assert!(answer["error"]["message"].as_str().unwrap().starts_with("Webhook refused"));
    }
    assert_eq!(billing.rejected(), 4);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM billing_events").await, 0);
    assert_eq!(seats(t, SUB_MAIN).await, 10);

    // Signed: the provider's current state is fetched (not the event's body) and
    // applied by billing:stripe, without sending it back.
    let (status, answer) = post(&app, &body, Some(sign(&body, SECRET, now()))).await;
    assert_eq!((status, answer["outcome"].as_str()), (200, Some("applied")), "{answer}");
    assert_eq!(seats(t, SUB_MAIN).await, 14);
    let by_provider = "SELECT COUNT(*) FROM activity_events WHERE actor_email = 'billing:stripe' \
         AND source = 'billing' AND actor_id IS NULL AND action = 'subscription.edit'";
    assert_eq!(t.scalar(by_provider).await, 1);
    assert_eq!(outbox::waiting(&t.db).await.unwrap(), 0, "nothing to send back");

    // The same event again: stored once, nothing done twice.
    let (status, answer) = post(&app, &body, Some(sign(&body, SECRET, now()))).await;
    assert_eq!((status, answer["outcome"].as_str()), (200, Some("duplicate")));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM billing_events").await, 1);
    assert_eq!(t.scalar(by_provider).await, 1);

    // Out of order: the later event first, then the earlier one arrives late. Both
    // fetch the current state, so the console ends where the provider is.
    stripe.set_seats(&main, 15).await;
    stripe.set_seats(&main, 16).await;
    let (late, early) = (event("evt_3", &main), event("evt_2", &main));
    // Signed with the secret being rolled out and the old one (either of ours matches).
    let both = |body: &[u8]| {
        let old = sign(body, OLD_SECRET, now());
        format!(
            "{},v1={}",
            sign(body, "whsec_new_unknown", now()),
            old.split("v1=").nth(1).unwrap()
        )
    };
    let (_, answer) = post(&app, &late, Some(both(&late))).await;
    assert_eq!(answer["outcome"], "applied", "{answer}");
    let (_, answer) = post(&app, &early, Some(both(&early))).await;
    assert_eq!(answer["outcome"], "agreed", "{answer}");
    assert_eq!(seats(t, SUB_MAIN).await, 16);
    assert_eq!(t.scalar(by_provider).await, 2);

    // The timeline names the provider as the actor.
    let (_, lead) = staff_token(&t.db, app::domain::Role::Lead).await;
    let (status, page) = app.call("GET", "/activity?actor=billing:stripe", &lead, None).await;
    assert_eq!(status, 200, "{page}");
    let events = page["events"].as_array().unwrap();
    assert_eq!(events.len(), 2, "{page}");
    assert_eq!(events[0]["source"], "billing");
    assert!(events[0]["changes"]["seats"].to_string().contains("16"), "{page}");

    // Without a provider there is no webhook to take.
    let plain = TestApp::spawn(t).await;
    let (status, _) = post(&plain, &body, Some(sign(&body, SECRET, now()))).await;
    assert_eq!(status, 404);
}

async fn the_sweep_settles_what_no_webhook_said_and_notes_the_rest(t: &TestDb) {
    let Some((stripe, billing, app)) = connected(t).await else { return };
    let today = fixture::today();
    let key = app.key.clone();
    let r = Reconciler { db: &t.db, key: &key, billing: &billing };
    let main = provider_id(t, SUB_MAIN).await;
    let ultimate = provider_id(t, SUB_ULTIMATE).await;

    // Everything agrees after linking.
    let first = sweep::run(&r, today).await.unwrap().expect("not running elsewhere");
    assert_eq!((first.applied, first.drift, first.waiting), (0, 0, 0), "{first:?}");
    assert_eq!(first.compared, 6);

    // A change at the provider that sent no webhook is applied; one the console's rules
    // refuse (fewer seats than NS_MAIN uses) is drift.
    stripe.set_seats(&ultimate, 7).await;
    stripe.set_seats(&main, 3).await;
    // A subscription the console does not know.
    let customer = stripe.get(&format!("/v1/subscriptions/{main}")).await["customer"].clone();
    let fields = [
        ("customer", customer.as_str().unwrap().to_string()),
        ("items[0][plan]", "fc-premium-saas".to_string()),
        ("items[0][quantity]", "2".to_string()),
    ];
    let stranger =
        stripe.post("/v1/subscriptions", &fields).await["id"].as_str().unwrap().to_string();
    let swept = sweep::run(&r, today).await.unwrap().unwrap();
    assert_eq!((swept.applied, swept.drift), (1, 2), "{swept:?}");
    assert_eq!(seats(t, SUB_ULTIMATE).await, 7);
    assert_eq!(seats(t, SUB_MAIN).await, 10, "the console keeps a value its rules allow");

    let (_, support) = staff_token(&t.db, app::domain::Role::Support).await;
    let (status, page) = app.call("GET", "/drift", &support, None).await;
    assert_eq!(status, 200, "{page}");
    let drift = page["drift"].as_array().unwrap();
    assert_eq!(drift.len(), 2, "{page}");
    let seats_drift = &drift[0];
    assert_eq!(
        (seats_drift["field"].as_str(), seats_drift["kind"].as_str()),
        (Some("seats"), Some("rules_refuse"))
    );
    assert_eq!(
        (seats_drift["console_value"].as_str(), seats_drift["provider_value"].as_str()),
        (Some("10"), Some("3"))
    );
    assert_eq!(seats_drift["customer_id"], CUSTOMER);
    assert!(seats_drift["customer_name"].is_string() && seats_drift["record"].is_string());
    assert!(seats_drift["detail"].as_str().unwrap().contains("seats"), "{seats_drift}");
    assert_eq!(
        (drift[1]["kind"].as_str(), drift[1]["provider_id"].as_str()),
        (Some("only_at_provider"), Some(stranger.as_str()))
    );
    assert_eq!(page["counts"].as_array().unwrap().len(), 2);
    let (status, narrowed) = app.call("GET", "/drift?field=seats", &support, None).await;
    assert_eq!((status, narrowed["drift"].as_array().unwrap().len()), (200, 1));
    let (status, bad) = app.call("GET", "/drift?kind=bogus", &support, None).await;
    assert_eq!(status, 422);
    assert!(bad["error"]["fields"]["kind"].is_string(), "{bad}");
    let (_, sales) = staff_token(&t.db, app::domain::Role::Sales).await;
    assert_eq!(app.call("GET", "/drift", &sales, None).await.0, 403);

    // Taking a value the rules refuse is refused the same way, naming the field.
    let id = seats_drift["id"].as_i64().unwrap();
    let ask = json!({"take": "provider", "reason": "provider is right", "ticket_url": TICKET, "requester": OWNER_CONTACT});
    let (status, refused) =
        app.call("POST", &format!("/drift/{id}/resolve"), &support, Some(ask.clone())).await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused["error"]["fields"]["seats"].is_string(), "{refused}");

    // The Drift page's panels name the drift they settle: a change that is not about
    // it is refused, naming the drift.
    let (panel_id, _) = staff_token_named(&t.db, app::domain::Role::Support, "panel").await;
    let session = app.session_of(panel_id).await;
    let version =
        t.scalar(&format!("SELECT version FROM subscriptions WHERE id = {SUB_MAIN}")).await;
    let unrelated = Operation::EditSubscription {
        subscription_id: SUB_MAIN,
        version,
        seats: None,
        end_date: None,
        auto_renew: Some(false),
        status: None,
    };
    let request =
        OpRequest::asked(unrelated, "tidy".into(), Some(TICKET.into()), Some(OWNER_CONTACT.into()))
            .settling(Some(id));
    let body = FnBody::Json(serde_json::to_value(RunOperation { request }).unwrap());
    let (status, refused) = app.server_fn_json(&session, RunOperation::PATH, &body).await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused.to_string().contains("drift_id"), "{refused}");

    // Or the console's value is sent: support's waits for a lead (it changes what the
    // customer pays); a lead's is written through, and the drift is cleared.
    let send = json!({"take": "console", "reason": "the console is right", "ticket_url": TICKET, "requester": OWNER_CONTACT});
    let (status, filed) =
        app.call("POST", &format!("/drift/{id}/resolve"), &support, Some(send.clone())).await;
    assert_eq!((status, filed["status"].as_str()), (202, Some("pending_approval")), "{filed}");
    let (_, lead) = staff_token(&t.db, app::domain::Role::Lead).await;
    let (status, sent) =
        app.call("POST", &format!("/drift/{id}/resolve"), &lead, Some(send.clone())).await;
    assert_eq!((status, sent["status"].as_str()), (200, Some("applied")), "{sent}");
    assert_eq!(sent["preview"]["action"], "subscription.send_to_billing");
    let done = deliver::drain(&t.db, &stripe.client(), today).await.unwrap();
    assert_eq!((done.delivered, done.failed), (1, 0));
    assert_eq!(stripe.get(&format!("/v1/subscriptions/{main}")).await["quantity"], 10);
    let (_, page) = app.call("GET", "/drift?field=seats", &support, None).await;
    assert!(page["drift"].as_array().unwrap().is_empty(), "{page}");
    let record = drift[1]["id"].as_i64().unwrap();
    let (status, refused) =
        app.call("POST", &format!("/drift/{record}/resolve"), &lead, Some(send)).await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused["error"]["fields"]["take"].is_string(), "{refused}");

    // When the provider holds a value the console allows, the sweep applies it.
    stripe.set_seats(&main, 9).await;
    let swept = sweep::run(&r, today).await.unwrap().unwrap();
    assert_eq!((swept.applied, swept.drift), (1, 1), "{swept:?}");
    assert_eq!(seats(t, SUB_MAIN).await, 9);
    let cleared = t
        .scalar(&format!(
            "SELECT COUNT(*) FROM billing_drift WHERE id = {id} AND cleared_by_event IS NOT NULL"
        ))
        .await;
    assert_eq!(cleared, 1);
}

async fn a_change_the_provider_refuses_is_drift_and_taking_its_value_fixes_it(t: &TestDb) {
    let Some((stripe, billing, app)) = connected(t).await else { return };
    let today = fixture::today();
    let key = app.key.clone();
    let r = Reconciler { db: &t.db, key: &key, billing: &billing };
    let (_, support) = staff_token(&t.db, app::domain::Role::Support).await;
    let period_end = today + chrono::Duration::days(200);

    // An end date before the provider's period ends cannot be expressed there: the
    // provider refuses the delivery, and a change waiting for delivery is never
    // overwritten by the provider's older value.
    let (_, view) = app.call("GET", &format!("/customers/{CUSTOMER}"), &support, None).await;
    let version = view["subscriptions"][0]["version"].clone();
    let earlier = today + chrono::Duration::days(100);
    let body = json!({"version": version, "end_date": earlier, "reason": "shorter term", "ticket_url": TICKET, "requester": OWNER_CONTACT});
    let (status, edited) =
        app.call("PATCH", &format!("/subscriptions/{SUB_MAIN}"), &support, Some(body)).await;
    assert_eq!(status, 200, "{edited}");
    let round = deliver::round(&t.db, &stripe.client(), today, 10).await.unwrap();
    assert_eq!((round.delivered, round.failed), (0, 1));
    // A later change of the record, by any path, carries the whole terms: the refused
    // entry, which would hold it back forever, is dropped.
    let version =
        t.scalar(&format!("SELECT version FROM subscriptions WHERE id = {SUB_MAIN}")).await;
    let body = json!({"version": version, "auto_renew": false, "reason": "customer opts out", "ticket_url": TICKET, "requester": OWNER_CONTACT});
    let (status, edited) =
        app.call("PATCH", &format!("/subscriptions/{SUB_MAIN}"), &support, Some(body)).await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(outbox::waiting(&t.db).await.unwrap(), 1);
    let round = deliver::round(&t.db, &stripe.client(), today, 10).await.unwrap();
    assert_eq!((round.delivered, round.failed), (0, 1), "the end date is still earlier");
    // The timeline shows the change as failed at the provider, with why and when next.
    let event = newest(&app, &support).await;
    assert_eq!(event["billing"]["sync"], "failed", "{event}");
    assert!(event["billing"]["error"].as_str().unwrap().contains("earlier end date"), "{event}");
    assert!(event["billing"]["next_retry_at"].is_string());
    let swept = sweep::run(&r, today).await.unwrap().unwrap();
    assert_eq!((swept.applied, swept.waiting), (0, 1), "{swept:?}");
    let (_, page) = app.call("GET", "/drift", &support, None).await;
    let drift = &page["drift"][0];
    assert_eq!(
        (drift["field"].as_str(), drift["kind"].as_str()),
        (Some("end_date"), Some("delivery_failing")),
        "{page}"
    );
    assert_eq!(drift["console_value"], earlier.to_string());
    assert_eq!(drift["provider_value"], period_end.to_string());
    assert!(!drift["detail"].as_str().unwrap().is_empty());
    // Drift is an integrity rule: the sweep's re-check lists it with the others.
    let finding = billing_finding(&app, &support).await;
    assert_eq!(finding["target_id"], SUB_MAIN, "{finding}");
    assert!(finding["message"].as_str().unwrap().contains("on end date"), "{finding}");

    // Support takes the provider's value: an audited edit by them; the refused change
    // is superseded, and the two sides agree again.
    let id = drift["id"].as_i64().unwrap();
    let (status, missing) = app
        .call(
            "POST",
            &format!("/drift/{id}/resolve"),
            &support,
            Some(json!({"take": "provider", "reason": "keep billing's term"})),
        )
        .await;
    assert_eq!(status, 422, "support needs a ticket and requester: {missing}");
    assert!(missing["error"]["fields"]["ticket_url"].is_string());
    let ask = json!({"take": "provider", "reason": "keep billing's term", "ticket_url": TICKET, "requester": OWNER_CONTACT});
    let (status, outcome) =
        app.call("POST", &format!("/drift/{id}/resolve"), &support, Some(ask.clone())).await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["status"], "applied", "{outcome}");
    let end: String = app::on_db!(&t.db, |p| sqlx::query_scalar::<_, String>(
        "SELECT CAST(end_date AS TEXT) FROM subscriptions WHERE id = 1"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(end, period_end.to_string());
    assert_eq!(newest(&app, &support).await["billing"]["sync"], "pending");
    let done = deliver::drain(&t.db, &stripe.client(), today).await.unwrap();
    assert_eq!((done.delivered, done.failed), (1, 0));
    let fix = newest(&app, &support).await;
    assert_eq!(
        (fix["reason"].as_str(), fix["billing"]["sync"].as_str()),
        (Some("keep billing's term"), Some("synced"))
    );
    let swept = sweep::run(&r, today).await.unwrap().unwrap();
    assert_eq!((swept.applied, swept.drift, swept.waiting), (0, 0, 0), "{swept:?}");
    let (_, page) = app.call("GET", "/drift", &support, None).await;
    assert!(page["drift"].as_array().unwrap().is_empty(), "{page}");
    assert!(billing_finding(&app, &support).await.is_null(), "re-checked and resolved");
    let (status, again) =
        app.call("POST", &format!("/drift/{id}/resolve"), &support, Some(ask)).await;
    assert_eq!(status, 409, "{again}");
}

async fn the_billing_systems_invoices_are_recorded_and_followed(t: &TestDb) {
    let Some((stripe, billing, app)) = connected(t).await else { return };
    let today = fixture::today();
    let key = app.key.clone();
    let r = Reconciler { db: &t.db, key: &key, billing: &billing };
    let links =
        |kind: &str| format!("SELECT COUNT(*) FROM billing_links WHERE record_type = '{kind}'");

    // The provider billed the subscriptions it was given: the sweep records each of
    // those invoices, linked, by billing:stripe; the console's own stay as they are.
    let theirs = stripe.get("/v1/invoices?limit=100").await["data"].as_array().unwrap().len();
    assert!(theirs > 0);
    let swept = sweep::run(&r, today).await.unwrap().unwrap();
    assert_eq!((swept.invoices.compared, swept.invoices.recorded), (theirs, theirs), "{swept:?}");
    assert_eq!(t.scalar(&links("invoice")).await as usize, theirs);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM invoices").await as usize, theirs + 1);
    let recorded = t
        .scalar("SELECT COUNT(*) FROM activity_events WHERE action = 'invoice.record' AND actor_email = 'billing:stripe' AND source = 'billing'")
        .await;
    assert_eq!(recorded as usize, theirs);
    let again = sweep::run(&r, today).await.unwrap().unwrap();
    assert_eq!((again.invoices.agreed, again.invoices.recorded), (theirs, 0), "{again:?}");

    // A new invoice at the provider: its webhook is a hint, the invoice is fetched and
    // recorded; paid there, the console follows.
    let main = provider_id(t, SUB_MAIN).await;
    let customer = stripe.get(&format!("/v1/subscriptions/{main}")).await["customer"]
        .as_str()
        .unwrap()
        .to_string();
    let item =
        [("customer", customer.clone()), ("amount", "5000".into()), ("currency", "usd".into())];
    stripe.post("/v1/invoiceitems", &item).await;
    let draft = stripe.post("/v1/invoices", &[("customer", customer.clone())]).await;
    let id = draft["id"].as_str().unwrap().to_string();
    let total = draft["total"].as_i64().unwrap();
    let (status, answer) = invoice_event(&app, "evt_inv_1", "invoice.created", &id).await;
    assert_eq!((status, answer["outcome"].as_str()), (200, Some("recorded")), "{answer}");
    let ours =
        t.scalar(&format!("SELECT record_id FROM billing_links WHERE provider_id = '{id}'")).await;
    let row = |field: &str| format!("SELECT CAST({field} AS TEXT) FROM invoices WHERE id = {ours}");
    let text = |sql: String| async move {
        let sql = sqlx::AssertSqlSafe(sql);
        app::on_db!(&t.db, |p| sqlx::query_scalar::<_, String>(sql).fetch_one(p).await).unwrap()
    };
    assert_eq!(text(row("status")).await, "open");
    assert_eq!(text(row("amount_cents")).await, total.to_string());
    assert_eq!(text(row("currency")).await, "USD");
    stripe.post(&format!("/v1/invoices/{id}/pay"), &[]).await;
    let (status, answer) = invoice_event(&app, "evt_inv_2", "invoice.paid", &id).await;
    assert_eq!((status, answer["outcome"].as_str()), (200, Some("applied")), "{answer}");
    assert_eq!(text(row("status")).await, "paid");
    let (status, answer) = invoice_event(&app, "evt_inv_2", "invoice.paid", &id).await;
    assert_eq!((status, answer["outcome"].as_str()), (200, Some("duplicate")), "{answer}");
    let (_, lead) = staff_token(&t.db, app::domain::Role::Lead).await;
    let (_, page) =
        app.call("GET", &format!("/activity?customer_id={CUSTOMER}"), &lead, None).await;
    let paid = &page["events"][0];
    assert_eq!(
        (paid["action"].as_str(), paid["actor_email"].as_str(), paid["source"].as_str()),
        (Some("invoice.edit"), Some("billing:stripe"), Some("billing")),
        "{paid}"
    );
    assert_eq!(paid["changes"]["status"], json!(["open", "paid"]));

    // The customer page shows where each lives; staff do not change them here.
    let (_, view) = app.call("GET", &format!("/customers/{CUSTOMER}"), &lead, None).await;
    let shown = view["invoices"].as_array().unwrap().iter().find(|i| i["id"] == ours).cloned();
    assert_eq!(shown.unwrap()["billing"]["id"], id.as_str(), "{}", view["invoices"]);
    let side = view["billing_system"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["record_type"] == "invoice" && s["record_id"] == ours)
        .cloned()
        .unwrap_or_else(|| panic!("no side of invoice {ours}: {}", view["billing_system"]));
    assert_eq!(
        side["fields"][0],
        json!({"field": "status", "console": "paid", "provider": "paid", "drift": null})
    );
    assert_eq!(side["fields"][1]["console"], side["fields"][1]["provider"], "{side}");
    let void = json!({"status": "void", "reason": "customer disputes it"});
    let (status, refused) =
        app.call("PATCH", &format!("/invoices/{ours}"), &lead, Some(void)).await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused["error"]["fields"]["invoice_id"].is_string(), "{refused}");

    // A linked invoice deleted at the provider is drift.
    stripe.post("/v1/invoiceitems", &item).await;
    let gone = stripe.post("/v1/invoices", &[("customer", customer)]).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let swept = sweep::run(&r, today).await.unwrap().unwrap();
    assert_eq!(swept.invoices.recorded, 1, "{swept:?}");
    stripe.delete(&format!("/v1/invoices/{gone}")).await;
    let swept = sweep::run(&r, today).await.unwrap().unwrap();
    assert_eq!(swept.invoices.drift, 1, "{swept:?}");
    let (_, page) = app.call("GET", "/drift", &lead, None).await;
    let missing = &page["drift"][0];
    assert_eq!(
        (
            missing["record_type"].as_str(),
            missing["kind"].as_str(),
            missing["provider_id"].as_str()
        ),
        (Some("invoice"), Some("missing_at_provider"), Some(gone.as_str())),
        "{page}"
    );
}

/// The open `billing_drift` integrity finding (null when there is none).
async fn billing_finding(app: &TestApp, token: &str) -> Value {
    let (status, report) = app.call("GET", "/integrity?rule=billing_drift", token, None).await;
    assert_eq!(status, 200, "{report}");
    let count = report["counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == "billing_drift")
        .map_or(0, |c| c["count"].as_i64().unwrap());
    assert_eq!(count as usize, report["findings"].as_array().unwrap().len(), "{report}");
    report["findings"][0].clone()
}

/// The newest event on the customer's timeline, as the API gives it.
async fn newest(app: &TestApp, token: &str) -> Value {
    let (_, page) =
        app.call("GET", &format!("/activity?customer_id={CUSTOMER}"), token, None).await;
    page["events"][0].clone()
}

on_both_backends!(
    webhooks_are_verified_stored_once_and_converge,
    the_sweep_settles_what_no_webhook_said_and_notes_the_rest,
    a_change_the_provider_refuses_is_drift_and_taking_its_value_fixes_it,
    the_billing_systems_invoices_are_recorded_and_followed
);
