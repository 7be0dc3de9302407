//! From ticket to reply, and what the next person should know: a ticket's view gathers
//! its changes and approvals across customers with a reply in the customer's words;
//! notes are written, pinned, resolved (never deleted), each an event.
use crate::common;

use app::domain::when::written;
use app::domain::Role;
use chrono::Duration;
use common::fixture::{self, *};
use common::{TestApp, TestDb};
use serde_json::{json, Value};

const TICKET: &str = "https://support.example.com/tickets/4242";
const OTHER_TICKET: &str = "https://support.example.com/tickets/9999";

fn asked(ticket: &str, requester: &str, fields: Value) -> Value {
    let mut body = json!({"reason": "internal: customer is a reseller", "ticket_url": ticket, "requester": requester});
    for (k, v) in fields.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn ticket(app: &TestApp, token: &str, url: &str) -> Value {
    let path = format!("/tickets?url={}", app::url::percent_encode(url, app::url::COMPONENT));
    let (status, view) = app.call("GET", &path, token, None).await;
    assert_eq!(status, 200, "{view}");
    view
}

async fn a_ticket_gathers_its_changes_approvals_and_a_reply(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = TestApp::spawn(t).await;
    let (_, support) = fixture::staff_token(&t.db, Role::Support).await;
    let (_, lead) = fixture::staff_token(&t.db, Role::Lead).await;

    // Nothing yet: empty lists, no reply. A missing or malformed URL names the field.
    let empty = ticket(&app, &support, TICKET).await;
    assert_eq!((empty["events"].as_array().unwrap().len(), empty["reply"].as_str()), (0, Some("")));
    for bad in ["/tickets", "/tickets?url=ticket-4242"] {
        let (status, answer) = app.call("GET", bad, &support, None).await;
        assert_eq!(status, 422, "{bad}: {answer}");
        assert!(answer["error"]["fields"]["url"].is_string(), "{answer}");
    }

    // Under the ticket: a grant asked by a contact (applied), a trial extension asked by
    // a stranger (waits for a lead). Under another ticket: a grant on another customer.
    let minutes = format!("/namespaces/{NS_MAIN}/compute_minutes");
    let (status, out) = app
        .call(
            "POST",
            &minutes,
            &support,
            Some(asked(TICKET, BILLING_CONTACT, json!({"delta": 2500, "kind": "permanent"}))),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    let extend = format!("/namespaces/{NS_TRIAL}/trial/extend");
    let (status, out) = app
        .call(
            "POST",
            &extend,
            &support,
            Some(asked(TICKET, "someone@elsewhere.example", json!({"days": 5}))),
        )
        .await;
    assert_eq!(status, 202, "{out}");
    let approval = out["approval_id"].as_i64().unwrap();
    let (status, out) = app
        .call(
            "POST",
            "/namespaces/7/storage",
            &support,
            Some(asked(OTHER_TICKET, "it@other.example", json!({"delta_mib": 1024}))),
        )
        .await;
    assert_eq!(status, 200, "{out}");

    let view = ticket(&app, &support, TICKET).await;
    assert_eq!(view["ticket_url"], TICKET);
    let actions: Vec<&str> =
        view["events"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["approval.request", "namespace.compute_minutes"], "{view}");
    assert_eq!(view["approvals"][0]["id"], approval);
    assert_eq!(view["approvals"][0]["status"], "pending");
    assert_eq!(view["customers"], json!([{"id": CUSTOMER, "name": "Acme Corp"}]));
    let reply = view["reply"].as_str().unwrap();
    assert_eq!(
        reply.lines().collect::<Vec<_>>(),
        [
            "2,500 additional compute minutes were added to group acme.",
            "Your request (extend trial on group acme-trial) is awaiting approval; we will confirm once it is done.",
        ],
        "{reply}"
    );
    // No staff, no reasons, no internal ids.
    for secret in ["support@example.com", "reseller", &format!("#{approval}")] {
        assert!(!reply.contains(secret), "{secret} in {reply}");
    }

    // Approved: the extension is done and the reply says how it stands now.
    let (status, decided) = app
        .call("POST", &format!("/approvals/{approval}/approve"), &lead, Some(json!({"note": "ok"})))
        .await;
    assert_eq!(status, 200, "{decided}");
    let view = ticket(&app, &support, TICKET).await;
    let ends = written(fixture::today() + Duration::days(25));
    let reply = view["reply"].as_str().unwrap();
    assert_eq!(
        reply.lines().collect::<Vec<_>>(),
        [
            "2,500 additional compute minutes were added to group acme.".to_string(),
            format!("The trial of Ultimate on group acme-trial was extended by 5 days; it now ends on {ends}."),
        ],
        "{reply}"
    );
    assert_eq!(view["approvals"][0]["status"], "executed");

    // The timeline narrows to the ticket the same way.
    let path =
        format!("/activity?ticket={}", app::url::percent_encode(TICKET, app::url::COMPONENT));
    let (status, page) = app.call("GET", &path, &support, None).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["events"], view["events"]);
    let other = ticket(&app, &support, OTHER_TICKET).await;
    assert_eq!(other["customers"], json!([{"id": 2, "name": "Other Ltd"}]));
    assert_eq!(other["reply"], "1 GiB of additional storage was added to group other-co.");
}

async fn notes_are_written_pinned_resolved_and_never_lost(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = TestApp::spawn(t).await;
    let (_, sales) = fixture::staff_token(&t.db, Role::Sales).await;
    let notes = format!("/customers/{CUSTOMER}/notes");

    // Empty, blank and over-long bodies are refused by field; nothing is written.
    for body in [json!({}), json!({"body": "   "}), json!({"body": "x".repeat(2001)})] {
        let (status, answer) = app.call("POST", &notes, &sales, Some(body)).await;
        assert_eq!(status, 422, "{answer}");
        assert!(answer["error"]["fields"]["body"].is_string(), "{answer}");
    }
    let (status, _) =
        app.call("POST", "/customers/999/notes", &sales, Some(json!({"body": "hello"}))).await;
    assert_eq!(status, 404);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM customer_notes").await, 0);

    let text = "Renewal is with procurement until January: do not extend again without sales.";
    let (status, note) =
        app.call("POST", &notes, &sales, Some(json!({"body": format!("  {text}\n")}))).await;
    assert_eq!(status, 201, "{note}");
    assert_eq!((note["body"].as_str(), note["pinned"].as_bool()), (Some(text), Some(false)));
    let id = note["id"].as_i64().unwrap();

    // Pinned: in the customer's view and badged in search.
    let (status, pinned) = app.call("POST", &format!("/notes/{id}/pin"), &sales, None).await;
    assert_eq!((status, pinned["pinned"].as_bool()), (200, Some(true)), "{pinned}");
    let (_, customer) = app.call("GET", &format!("/customers/{CUSTOMER}"), &sales, None).await;
    assert_eq!(customer["notes"][0]["id"], id, "{customer}");
    let (_, found) = app.call("GET", "/search?q=acme%20corp", &sales, None).await;
    let hit =
        found["results"].as_array().unwrap().iter().find(|h| h["kind"] == "customer").cloned();
    assert!(
        hit.as_ref().is_some_and(|h| h["badges"].as_array().unwrap().contains(&json!("note"))),
        "{found}"
    );
    let (_, other) = app.call("GET", "/search?q=other%20ltd", &sales, None).await;
    assert!(!other.to_string().contains("\"note\""), "{other}");

    // Pinning twice changes nothing; resolving keeps the note, unpinned; a resolved note
    // cannot be pinned again. An unknown action is a 404.
    app.call("POST", &format!("/notes/{id}/pin"), &sales, None).await;
    let (status, resolved) = app.call("POST", &format!("/notes/{id}/resolve"), &sales, None).await;
    assert_eq!(status, 200, "{resolved}");
    assert!(resolved["resolved_at"].is_string() && resolved["resolved_by"] == "sales@example.com");
    assert_eq!(resolved["pinned"], false);
    let (status, _) = app.call("POST", &format!("/notes/{id}/pin"), &sales, None).await;
    assert_eq!(status, 409);
    let (status, _) = app.call("POST", &format!("/notes/{id}/delete"), &sales, None).await;
    assert_eq!(status, 404);
    let (_, list) = app.call("GET", &notes, &sales, None).await;
    assert_eq!(list["notes"].as_array().unwrap().len(), 1, "{list}");

    // Each change is one event on the customer's timeline, labelled with the note.
    let (_, page) = app.call("GET", "/activity?target_type=note", &sales, None).await;
    let actions: Vec<&str> =
        page["events"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["note.resolve", "note.pin", "note.add"], "{page}");
    assert_eq!(page["events"][2]["customer_name"], "Acme Corp");
    assert!(page["events"][2]["target_label"].as_str().unwrap().starts_with("Renewal is with"));
    let report = app::audit::chain::verify(&t.db).await.unwrap();
    assert_eq!(report.first_broken, None);
}

on_both_backends!(
    a_ticket_gathers_its_changes_approvals_and_a_reply,
    notes_are_written_pinned_resolved_and_never_lost,
);
