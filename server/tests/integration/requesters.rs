//! Who asked for a change: support must say, the server classifies the requester
//! against the customer's contacts and the namespace's owners, an unverified requester's
//! change waits for a lead, and the timeline records and filters by requester. Integrity
//! fixes are exempt (proactive), but only for a real open finding's own fix.
use crate::common;

use app::domain::{Action, OpRequest, Operation, Role, TargetType, Verdict};
use app::ops::server::execute;
use common::fixture::{self, *};
use common::{TestApp, TestDb};
use serde_json::{json, Value};

const TICKET: &str = "https://support.example.com/tickets/77";

fn asked_by(requester: &str, fields: Value) -> Value {
    let mut body =
        json!({"reason": "customer wrote in", "ticket_url": TICKET, "requester": requester});
    for (k, v) in fields.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn count(t: &TestDb, sql: &str) -> i64 {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    app::on_db!(&t.db, |p| sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await).unwrap()
}

async fn newest(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let (status, page) = app.call("GET", &format!("/activity?{query}"), token, None).await;
    assert_eq!(status, 200, "{page}");
    page["events"].as_array().unwrap().clone()
}

async fn requesters_are_required_classified_and_recorded(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = TestApp::spawn(t).await;
    let (_, support) = fixture::staff_token(&t.db, Role::Support).await;
    let (_, lead) = fixture::staff_token(&t.db, Role::Lead).await;
    let minutes = format!("/namespaces/{NS_MAIN}/compute_minutes");
    let grant = json!({"delta": 100, "kind": "permanent"});

    // Support must say who asked, as an email; nothing is written otherwise.
    let before = count(t, "SELECT COUNT(*) FROM activity_events").await;
    let mut missing = asked_by("", grant.clone());
    missing.as_object_mut().unwrap().remove("requester");
    for body in [missing, asked_by("", grant.clone()), asked_by("not an email", grant.clone())] {
        let (status, answer) = app.call("POST", &minutes, &support, Some(body)).await;
        assert_eq!(status, 422, "{answer}");
        assert!(answer["error"]["fields"]["requester"].is_string(), "{answer}");
    }
    assert_eq!(count(t, "SELECT COUNT(*) FROM activity_events").await, before);

    // Contacts by role, and the namespace's own owner, go straight through.
    for (who, verdict) in [
        (BILLING_CONTACT, "billing"),
        (" Dev@Acme.Example ", "technical"),
        (NS_MAIN_OWNER, "namespace_owner"),
    ] {
        let (status, out) =
            app.call("POST", &minutes, &support, Some(asked_by(who, grant.clone()))).await;
        assert_eq!((status, out["status"].as_str()), (200, Some("applied")), "{who}: {out}");
        let event = &newest(&app, &support, "limit=1").await[0];
        assert_eq!(event["requester"], who.trim().to_lowercase());
        assert_eq!(event["requester_verdict"], verdict, "{event}");
        // Names, not ids: the customer's name and the namespace's path.
        assert_eq!(
            (event["customer_name"].as_str(), event["target_label"].as_str()),
            (Some("Acme Corp"), Some("acme"))
        );
    }

    // The owner of one namespace is nobody to another: the change waits for a lead,
    // and the request shows who asked and the verdict.
    let extend = format!("/namespaces/{NS_TRIAL}/trial/extend");
    let (status, out) = app
        .call("POST", &extend, &support, Some(asked_by(NS_MAIN_OWNER, json!({"days": 5}))))
        .await;
    assert_eq!((status, out["status"].as_str()), (202, Some("pending_approval")), "{out}");
    assert!(out["preview"]["approval"].as_str().unwrap().contains(NS_MAIN_OWNER), "{out}");
    let approval = out["approval_id"].as_i64().unwrap();
    let (_, queue) = app.call("GET", "/approvals?status=pending", &lead, None).await;
    let filed = queue["approvals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == approval)
        .cloned()
        .unwrap_or_else(|| panic!("approval {approval} in {queue}"));
    assert_eq!(
        (filed["requester"].as_str(), filed["requester_verdict"].as_str()),
        (Some(NS_MAIN_OWNER), Some("unverified"))
    );
    let ends = "SELECT COUNT(*) FROM namespaces WHERE id = 3 AND trial_extensions_used = 0";
    assert_eq!(count(t, ends).await, 1, "nothing changed before the decision");

    let (status, decided) = app
        .call(
            "POST",
            &format!("/approvals/{approval}/approve"),
            &lead,
            Some(json!({"note": "confirmed by phone"})),
        )
        .await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(count(t, ends).await, 0);
    let applied = &newest(&app, &lead, "action=trial.extend").await[0];
    assert_eq!(
        (applied["requester"].as_str(), applied["requester_verdict"].as_str()),
        (Some(NS_MAIN_OWNER), Some("unverified"))
    );
    assert_eq!(applied["approval_id"], approval);

    // The timeline narrows to one requester: their grant, the filed request and the
    // approved extension; a malformed requester is a field error.
    let theirs = newest(&app, &lead, &format!("requester={}", NS_MAIN_OWNER.to_uppercase())).await;
    let actions: Vec<&str> = theirs.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions,
        ["trial.extend", "approval.request", "namespace.compute_minutes"],
        "{theirs:?}"
    );
    let (status, bad) = app.call("GET", "/activity?requester=nobody", &lead, None).await;
    assert_eq!(status, 422);
    assert!(bad["error"]["fields"]["requester"].is_string(), "{bad}");

    // A subscription edit asked for by a stranger waits too: 202, the seats unchanged.
    let (status, out) = app
        .call(
            "PATCH",
            &format!("/subscriptions/{SUB_MAIN}"),
            &support,
            Some(asked_by("stranger@elsewhere.example", json!({"version": 1, "seats": 14}))),
        )
        .await;
    assert_eq!((status, out["status"].as_str()), (202, Some("pending_approval")), "{out}");
    assert_eq!(count(t, "SELECT seats FROM subscriptions WHERE id = 1").await, 10);

    // A lead needs no requester; given one, it is classified the same way.
    let (status, out) = app
        .call(
            "POST",
            &minutes,
            &lead,
            Some(json!({"reason": "goodwill", "delta": 10, "kind": "permanent"})),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    let event = &newest(&app, &lead, "limit=1").await[0];
    assert!(event["requester"].is_null() && event["requester_verdict"].is_null(), "{event}");

    // A page of events about staff alone is labelled too (the staff branch comes first).
    let (status, page) = app.call("GET", "/activity?target_type=staff_user", &lead, None).await;
    assert_eq!(status, 200, "{page}");
    let mut tx = t.db.begin().await.unwrap();
    app::audit::record(
        &mut tx,
        app::audit::EventBody {
            reason: "role changed".into(),
            ..fixture::system_event(Action::ChangeRole, TargetType::StaffUser, 1)
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let staff = newest(&app, &lead, "target_type=staff_user").await;
    assert_eq!(staff[0]["target_label"], "support@example.com", "{staff:?}");
    assert!(staff[0]["customer_name"].is_null());

    // Undoing a namespace's change checks the requester against that namespace's owners.
    let goodwill = newest(&app, &lead, "action=namespace.compute_minutes&limit=1").await[0]["id"]
        .as_i64()
        .unwrap();
    let revert = json!({"reason": "customer asked to revert", "ticket_url": TICKET, "requester": NS_MAIN_OWNER});
    let (status, out) =
        app.call("POST", &format!("/activity/{goodwill}/undo"), &support, Some(revert)).await;
    assert_eq!((status, out["status"].as_str()), (200, Some("applied")), "{out}");
    let undo = &newest(&app, &support, "action=undo").await[0];
    assert_eq!(undo["requester_verdict"], "namespace_owner", "{undo}");

    let report = app::audit::chain::verify(&t.db).await.unwrap();
    assert_eq!(report.first_broken, None);
}

/// An integrity fix needs no requester and is recorded as proactive; claiming to fix a
/// finding with some other change is refused.
async fn only_a_findings_own_fix_goes_without_a_requester(t: &TestDb) {
    fixture::load(&t.db).await;
    let today = fixture::today();
    let scan = app::checks::scan::run(&t.db, today, "test").await.unwrap();
    assert!(scan.is_some());
    let actor = fixture::staff_actor(&t.db, Role::Support).await;
    let finding: i64 = count(
        t,
        &format!("SELECT id FROM integrity_findings WHERE rule = 'plan_mismatch' AND target_id = {NS_MISMATCH} AND resolved_at IS NULL"),
    )
    .await;
    let key = app::state::LicenseKey::generate();
    let wrong = OpRequest::fix(
        Operation::Storage { namespace_id: NS_MISMATCH, delta_mib: 1024, version: None },
        finding,
        "not a fix".into(),
        Some(TICKET.into()),
    );
    let refused = execute(&t.db, &key, &actor, &wrong, today).await;
    assert!(
        matches!(&refused, Err(app::AppError::Validation { fields, .. }) if fields.contains_key("finding_id")),
        "{refused:?}"
    );
    let fix = OpRequest::fix(
        Operation::UpdatePlan { namespace_id: NS_MISMATCH, version: None },
        finding,
        "plan did not follow the subscription".into(),
        Some(TICKET.into()),
    );
    execute(&t.db, &key, &actor, &fix, today).await.unwrap();
    let verdict = app::on_db!(&t.db, |p| sqlx::query_scalar::<_, Option<String>>(
        "SELECT requester_verdict FROM activity_events WHERE action = 'namespace.update_plan'"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(verdict.as_deref(), Some(Verdict::Proactive.as_str()));
}

on_both_backends!(
    requesters_are_required_classified_and_recorded,
    only_a_findings_own_fix_goes_without_a_requester,
);
