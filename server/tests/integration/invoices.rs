//! Invoice edits through the operations engine: billing staff settle or void an invoice
//! the console keeps; one the billing system keeps changes only there.
use crate::common;

use app::domain::{OpRequest, Operation, Role};
use app::ops::RunOperation;
use common::fixture::{self, *};
use common::{FnBody, TestApp, TestDb};
use leptos::server_fn::ServerFn;
use serde_json::json;

const TICKET: &str = "https://tickets.example/invoices";

async fn status_of(t: &TestDb, id: i64) -> (String, i64) {
    let sql =
        sqlx::AssertSqlSafe(format!("SELECT status, amount_cents FROM invoices WHERE id = {id}"));
    app::on_db!(&t.db, |p| sqlx::query_as::<_, (String, i64)>(sql).fetch_one(p).await).unwrap()
}

async fn invoices_change_through_the_engine_unless_the_billing_system_keeps_them(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = TestApp::spawn(t).await;
    let (_, billing) = staff_token(&t.db, Role::Billing).await;
    let (_, support) = staff_token(&t.db, Role::Support).await;
    let path = format!("/invoices/{INVOICE_OPEN}");
    let ask = |body: serde_json::Value| {
        let mut body = body;
        body["reason"] = json!("paid by wire transfer");
        body["ticket_url"] = json!(TICKET);
        body
    };

    // Support does not work on invoices; bad values are refused by field.
    let (status, _) =
        app.call("PATCH", &path, &support, Some(ask(json!({"status": "paid"})))).await;
    assert_eq!(status, 403);
    let (status, bad) =
        app.call("PATCH", &path, &billing, Some(ask(json!({"status": "settled"})))).await;
    assert_eq!(status, 422, "{bad}");
    assert!(bad["error"]["fields"]["status"].is_string(), "{bad}");
    let (status, bad) =
        app.call("PATCH", &path, &billing, Some(ask(json!({"amount_cents": -1})))).await;
    assert_eq!(status, 422, "{bad}");
    assert!(bad["error"]["fields"]["amount_cents"].is_string(), "{bad}");
    let (status, bad) = app.call("PATCH", &path, &billing, Some(ask(json!({})))).await;
    assert_eq!(status, 422, "{bad}");
    assert_eq!(status_of(t, INVOICE_OPEN).await, ("open".into(), 50_000));

    // A changed amount waits for a lead; marking it paid is billing's own call.
    let (status, filed) =
        app.call("PATCH", &path, &billing, Some(ask(json!({"amount_cents": 45_000})))).await;
    assert_eq!((status, filed["status"].as_str()), (202, Some("pending_approval")), "{filed}");
    let (status, paid) =
        app.call("PATCH", &path, &billing, Some(ask(json!({"status": "paid"})))).await;
    assert_eq!((status, paid["status"].as_str()), (200, Some("paid")), "{paid}");
    let (_, page) =
        app.call("GET", &format!("/activity?customer_id={CUSTOMER}"), &billing, None).await;
    let event = &page["events"][0];
    assert_eq!(
        (event["action"].as_str(), event["target_type"].as_str(), event["actor_email"].as_str()),
        (Some("invoice.edit"), Some("invoice"), Some("billing@example.com")),
        "{event}"
    );
    assert_eq!(event["changes"]["status"], json!(["open", "paid"]));
    assert_eq!(event["target_label"], "INV-0001", "{event}");

    // Once the billing system keeps the invoice, no one changes it here.
    t.db.execute(sqlx::AssertSqlSafe(format!(
        "INSERT INTO billing_links (record_type, record_id, provider, provider_id, linked_at) VALUES ('invoice', {INVOICE_OPEN}, 'stripe', 'in_kept', '2026-01-01T00:00:00Z')"
    )))
    .await
    .unwrap();
    let (_, lead) = staff_token(&t.db, Role::Lead).await;
    let (status, kept) =
        app.call("PATCH", &path, &lead, Some(ask(json!({"status": "void"})))).await;
    assert_eq!(status, 422, "{kept}");
    assert!(kept["error"]["fields"]["invoice_id"].as_str().unwrap().contains("billing system"));
    assert_eq!(status_of(t, INVOICE_OPEN).await, ("paid".into(), 50_000));
    let (_, view) = app.call("GET", &format!("/customers/{CUSTOMER}"), &lead, None).await;
    assert_eq!(view["invoices"][0]["billing"]["id"], "in_kept", "{}", view["invoices"]);

    // Staff record invoices, but only the billing system links one to its own: a
    // crafted server-function call naming a provider's invoice is refused.
    let (lead_id, _) = staff_token_named(&t.db, Role::Lead, "crafty").await;
    let session = app.session_of(lead_id).await;
    let op = Operation::RecordInvoice {
        billing_account_id: 1,
        number: "INV-0099".into(),
        amount_cents: 100,
        currency: "USD".into(),
        status: "open".into(),
        issued_on: fixture::today(),
        due_on: fixture::today(),
        provider_id: Some("in_someone_elses".into()),
    };
    let request = OpRequest::asked(op, "crafted".into(), Some(TICKET.into()), None);
    let body = FnBody::Json(serde_json::to_value(RunOperation { request }).unwrap());
    let (status, refused) = app.server_fn_json(&session, RunOperation::PATH, &body).await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused.to_string().contains("provider_id"), "{refused}");
    let record = json!({"billing_account_id": 1, "number": "INV-0099", "amount_cents": 100,
        "currency": "USD", "status": "open", "issued_on": fixture::today(), "due_on": fixture::today()});
    let (status, recorded) = app.call("POST", "/invoices", &lead, Some(ask(record))).await;
    assert_eq!((status, recorded["number"].as_str()), (200, Some("INV-0099")), "{recorded}");
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM billing_links WHERE record_type = 'invoice'").await,
        1
    );
}

on_both_backends!(invoices_change_through_the_engine_unless_the_billing_system_keeps_them);
