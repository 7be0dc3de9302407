//! The same operation through every door answers the same, for every role: each
//! namespace and trial operation and an undo, previewed through the JSON API
//! (`?preview=true`) and through the UI's server function (`preview_operation`), as
//! each of the five roles. Permission, validation, state rules and approval policy all
//! run in a preview, so any door with checks of its own shows up as a disagreement.
use crate::common;

use app::domain::{OpRequest, Operation, Role};
use app::ops::PreviewOperation;
use common::fixture::{self, *};
use common::{FnBody, TestApp, TestDb};
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};

struct Case {
    name: &'static str,
    /// `POST /api/v1{path}?preview=true` with this body (reason and ticket added).
    path: String,
    body: Value,
    /// The same operation as the server function takes it.
    op: Operation,
}

fn cases(undo_event: i64) -> Vec<Case> {
    let ns = |name: &'static str, id: i64, op: &str, body: Value, operation: Operation| Case {
        name,
        path: format!("/namespaces/{id}/{op}"),
        body,
        op: operation,
    };
    vec![
        ns(
            "update plan",
            NS_MISMATCH,
            "update_plan",
            json!({}),
            Operation::UpdatePlan { namespace_id: NS_MISMATCH, version: None },
        ),
        ns(
            "replace link",
            NS_FREE,
            "replace_link",
            json!({"subscription_id": SUB_ORPHAN}),
            Operation::ReplaceLink {
                namespace_id: NS_FREE,
                subscription_id: SUB_ORPHAN,
                version: None,
            },
        ),
        ns(
            "clear subscription",
            NS_STALE,
            "clear_subscription",
            json!({}),
            Operation::ClearSubscription { namespace_id: NS_STALE, version: None },
        ),
        ns(
            "extend trial",
            NS_TRIAL,
            "trial/extend",
            json!({"days": 10}),
            Operation::ExtendTrial { namespace_id: NS_TRIAL, days: 10, version: None },
        ),
        ns(
            "extend trial too far",
            NS_TRIAL,
            "trial/extend",
            json!({"days": 31}),
            Operation::ExtendTrial { namespace_id: NS_TRIAL, days: 31, version: None },
        ),
        ns(
            "reactivate trial",
            NS_OLD_TRIAL,
            "trial/reactivate",
            json!({}),
            Operation::ReactivateTrial { namespace_id: NS_OLD_TRIAL, plan: None, version: None },
        ),
        ns(
            "change trial plan",
            NS_TRIAL,
            "trial/change_plan",
            json!({"plan": "premium"}),
            Operation::ChangeTrialPlan {
                namespace_id: NS_TRIAL,
                plan: "premium".into(),
                version: None,
            },
        ),
        ns(
            "end trial",
            NS_TRIAL,
            "trial/end",
            json!({}),
            Operation::EndTrial { namespace_id: NS_TRIAL, version: None },
        ),
        ns(
            "compute minutes",
            NS_MAIN,
            "compute_minutes",
            json!({"delta": 100, "kind": "permanent"}),
            Operation::ComputeMinutes {
                namespace_id: NS_MAIN,
                delta: 100,
                kind: "permanent".into(),
                version: None,
            },
        ),
        ns(
            "storage",
            NS_MAIN,
            "storage",
            json!({"delta_mib": 1024}),
            Operation::Storage { namespace_id: NS_MAIN, delta_mib: 1024, version: None },
        ),
        ns(
            "reset max seats (needs approval)",
            NS_MAIN,
            "reset_max_seats",
            json!({}),
            Operation::ResetMaxSeats { namespace_id: NS_MAIN, version: None },
        ),
        ns(
            "reset max seats, stale version",
            NS_MISMATCH,
            "reset_max_seats",
            json!({"version": 99}),
            Operation::ResetMaxSeats { namespace_id: NS_MISMATCH, version: Some(99) },
        ),
        Case {
            name: "undo an auto-renew change",
            path: format!("/activity/{undo_event}/undo"),
            body: json!({}),
            op: Operation::Undo { event_id: undo_event },
        },
    ]
}

/// Status and body of a preview through the JSON API.
async fn by_api(app: &TestApp, token: &str, case: &Case) -> (u16, Value) {
    let mut body = case.body.clone();
    body["reason"] = json!("doors matrix");
    body["ticket_url"] = json!("https://tickets.example/doors");
    body["requester"] = json!(OWNER_CONTACT);
    app.call("POST", &format!("{}?preview=true", case.path), token, Some(body)).await
}

/// Status and body of the same preview through the server function.
async fn by_function(app: &TestApp, staff: i64, case: &Case) -> (u16, Value) {
    let request = OpRequest::asked(
        case.op.clone(),
        "doors matrix".into(),
        Some("https://tickets.example/doors".into()),
        Some(OWNER_CONTACT.into()),
    );
    let body = FnBody::Json(serde_json::to_value(PreviewOperation { request }).unwrap());
    app.server_fn_json(&app.session_of(staff).await, PreviewOperation::PATH, &body).await
}

/// What must agree: the status, and for a preview its changes and approval reason.
fn outcome(status: u16, body: &Value) -> (u16, Value) {
    if status == 200 {
        (status, json!({"changes": body["changes"], "approval": body["approval"]}))
    } else {
        (status, Value::Null)
    }
}

async fn every_door_answers_alike_for_every_role(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = TestApp::spawn(t).await;
    let (_, lead) = staff_token(&t.db, Role::Lead).await;
    let (status, edited) = app
        .call("PATCH", &format!("/subscriptions/{SUB_MAIN}"), &lead, Some(json!({"version": 1,
            "reason": "renewal off", "ticket_url": "https://tickets.example/doors", "requester": OWNER_CONTACT, "auto_renew": false})))
        .await;
    assert_eq!(status, 200, "{edited}");
    let undo_event = t.scalar("SELECT MAX(id) FROM activity_events").await;
    let events = t.scalar("SELECT COUNT(*) FROM activity_events").await;
    let mut staff = Vec::new();
    for role in Role::ALL {
        let (id, token) =
            staff_token_named(&t.db, *role, &format!("doors-{}", role.as_str())).await;
        staff.push((*role, id, token));
    }
    let mut disagreements = Vec::new();
    let mut allowed = 0;
    for case in cases(undo_event) {
        for (role, id, token) in &staff {
            let (s1, b1) = by_api(&app, token, &case).await;
            let (s2, b2) = by_function(&app, *id, &case).await;
            if outcome(s1, &b1) != outcome(s2, &b2) || s1 >= 500 {
                disagreements.push(format!(
                    "{} as {}: API {s1} {b1} / function {s2} {b2}",
                    case.name,
                    role.as_str()
                ));
            }
            allowed += usize::from(s1 == 200);
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert!(allowed > 20, "the matrix previews real changes ({allowed} allowed)");
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM activity_events").await,
        events,
        "previews write nothing"
    );
}

on_both_backends!(every_door_answers_alike_for_every_role);
