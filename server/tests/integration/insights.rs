//! What keeps coming back, for team leads: customers changed again and again (from the
//! counts kept in memory, and on request for another period), and integrity findings
//! that came back after they were resolved.
use crate::common;

use app::audit::tally::Tally;
use app::dashboard::server::dashboard;
use app::domain::{OpRequest, Operation, Role};
use app::ops::server::execute;
use common::fixture::{self, *};
use common::{TestApp, TestDb};
use serde_json::{json, Value};

async fn grant(app: &TestApp, token: &str, delta: i64) {
    let (status, out) = app
        .call(
            "POST",
            &format!("/namespaces/{NS_MAIN}/compute_minutes"),
            token,
            Some(json!({"reason": "runner outage credit", "delta": delta, "kind": "permanent"})),
        )
        .await;
    assert_eq!(status, 200, "{out}");
}

async fn repeats(app: &TestApp, token: &str, query: &str) -> Value {
    let (status, body) = app.call("GET", &format!("/insights/repeats{query}"), token, None).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn repeat_interventions_are_counted_as_changes_arrive(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = TestApp::spawn(t).await;
    let (_, lead) = fixture::staff_token(&t.db, Role::Lead).await;
    let (_, support) = fixture::staff_token(&t.db, Role::Support).await;
    let tally = Tally::default();

    // Two changes: not yet a repeat, in the API or on the dashboard.
    grant(&app, &lead, 100).await;
    grant(&app, &lead, 200).await;
    assert_eq!(repeats(&app, &lead, "").await, json!({"customers": []}));
    assert!(dashboard(&t.db, &tally, today()).await.unwrap().repeats.is_empty());

    // A note and an approval request are not changes; a third grant is.
    let (status, _) = app
        .call(
            "POST",
            &format!("/customers/{CUSTOMER}/notes"),
            &lead,
            Some(json!({"body": "watch this one"})),
        )
        .await;
    assert_eq!(status, 201);
    grant(&app, &lead, 300).await;
    let d = dashboard(&t.db, &tally, today()).await.unwrap();
    assert_eq!(d.repeats.len(), 1, "{:?}", d.repeats);
    assert_eq!(
        (d.repeats[0].customer_id, d.repeats[0].customer_name.as_str(), d.repeats[0].count),
        (CUSTOMER, "Acme Corp", 3)
    );
    let expected = json!({"customers": [{
        "customer_id": CUSTOMER, "customer_name": "Acme Corp", "count": 3,
        "actions": [{"key": "namespace.compute_minutes", "count": 3}],
    }]});
    assert_eq!(repeats(&app, &lead, "?days=30&min=3").await, expected);
    assert_eq!(
        repeats(&app, &lead, "?days=7").await,
        expected,
        "another period, counted on request"
    );
    assert_eq!(repeats(&app, &lead, "?min=4").await, json!({"customers": []}));

    // New changes after the counts were made are added to them.
    let (status, _) = app
        .call(
            "PATCH",
            &format!("/subscriptions/{SUB_MAIN}"),
            &support,
            Some(json!({"version": 1, "seats": 12, "reason": "growing team", "ticket_url": "https://support.example.com/tickets/3", "requester": OWNER_CONTACT})),
        )
        .await;
    assert_eq!(status, 200);
    let d = dashboard(&t.db, &tally, today()).await.unwrap();
    assert_eq!(d.repeats[0].count, 4);
    assert_eq!(d.repeats[0].actions.len(), 2);
    assert_eq!(d.total, 5, "four changes and a note");

    // Bad periods and thresholds name their parameter; only leads and admins see it.
    for bad in ["?days=0", "?days=91", "?min=1", "?days=x"] {
        let (status, body) = app.call("GET", &format!("/insights/repeats{bad}"), &lead, None).await;
        assert_eq!(status, 422, "{bad}: {body}");
    }
    let (status, _) = app.call("GET", "/insights/repeats", &support, None).await;
    assert_eq!(status, 403);
}

async fn a_finding_that_comes_back_is_listed(t: &TestDb) {
    fixture::load(&t.db).await;
    let actor = fixture::staff_actor(&t.db, Role::Support).await;
    let key = app::state::LicenseKey::generate();
    let open =
        "SELECT id FROM integrity_findings WHERE rule = 'plan_mismatch' AND resolved_at IS NULL";
    app::checks::scan::run(&t.db, today(), "test").await.unwrap();
    let first = t.scalar(open).await;
    let fix = OpRequest::fix(
        Operation::UpdatePlan { namespace_id: NS_MISMATCH, version: None },
        first,
        "plan did not follow the subscription".into(),
        Some("https://support.example.com/tickets/8".into()),
    );
    execute(&t.db, &key, &actor, &fix, today()).await.unwrap();
    let tally = Tally::default();
    assert!(dashboard(&t.db, &tally, today()).await.unwrap().came_back.is_empty());

    // A side script sets the plan back; the next scan finds the mismatch again.
    t.db.execute(sqlx::AssertSqlSafe(format!(
        "UPDATE namespaces SET plan = 'premium' WHERE id = {NS_MISMATCH}"
    )))
    .await
    .unwrap();
    app::checks::scan::run(&t.db, today(), "test").await.unwrap();
    let again = t.scalar(open).await;
    assert_ne!(again, first);
    let came_back = dashboard(&t.db, &tally, today()).await.unwrap().came_back;
    assert_eq!(came_back.len(), 1, "{came_back:?}");
    assert_eq!(
        (came_back[0].id, came_back[0].rule.as_str(), came_back[0].record.as_str()),
        (again, "plan_mismatch", "acme-labs")
    );
    assert_eq!(
        (came_back[0].customer_name.as_str(), came_back[0].times_resolved),
        ("Acme Corp", 1)
    );
}

on_both_backends!(
    repeat_interventions_are_counted_as_changes_arrive,
    a_finding_that_comes_back_is_listed,
);
