//! Many people changing the same record at once, through the real HTTP stack: exactly
//! one change per version, the rest get a conflict, one event per change and no lost
//! update; a request approved by several leads at once runs once.
use crate::common;

use app::domain::Role;
use common::fixture::{self, NS_FREE, SUB_MAIN, SUB_ORPHAN};
use common::{TestApp, TestDb};
use serde_json::{json, Value};

const WRITERS: usize = 50;

async fn subscription(t: &TestDb) -> (i64, i64) {
    let version =
        t.scalar(&format!("SELECT version FROM subscriptions WHERE id = {SUB_MAIN}")).await;
    let seats = t.scalar(&format!("SELECT seats FROM subscriptions WHERE id = {SUB_MAIN}")).await;
    (version, seats)
}

async fn edit(app: &TestApp, token: &str, version: i64, seats: i64) -> (u16, Value) {
    app.call(
        "PATCH",
        &format!("/subscriptions/{SUB_MAIN}"),
        token,
        Some(json!({"version": version, "seats": seats, "reason": "concurrency test"})),
    )
    .await
}

async fn events(t: &TestDb) -> i64 {
    t.scalar("SELECT COUNT(*) FROM activity_events WHERE action = 'subscription.edit'").await
}

async fn fifty_edits_of_one_version_make_one_change(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = std::sync::Arc::new(TestApp::spawn(t).await);
    let (_, token) = fixture::staff_token(&t.db, Role::Lead).await;
    let (version, seats) = subscription(t).await;

    // Everyone read the same version and sends a different seat count.
    let mut tasks = Vec::new();
    for i in 0..WRITERS as i64 {
        let (app, token) = (app.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            (seats + 1 + i, edit(&app, &token, version, seats + 1 + i).await)
        }));
    }
    let mut winners = Vec::new();
    let mut conflicts = 0;
    for task in tasks {
        let (asked, (status, body)) = task.await.unwrap();
        match status {
            200 => winners.push(asked),
            409 => {
                conflicts += 1;
                assert_eq!(body["error"]["code"], "conflict", "{body}");
            }
            other => panic!("an edit answered {other}: {body}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one edit of version {version} wins");
    assert_eq!(conflicts, WRITERS - 1);
    let (now_version, now_seats) = subscription(t).await;
    assert_eq!(now_version, version + 1);
    assert_eq!(now_seats, winners[0], "the stored seats are the winner's");
    assert_eq!(events(t).await, 1, "one event for the one change");
}

/// Fifty people each add one seat, re-reading and retrying on a conflict: every one of
/// them lands, once, in order.
async fn fifty_read_modify_writes_lose_nothing(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = std::sync::Arc::new(TestApp::spawn(t).await);
    let (_, token) = fixture::staff_token(&t.db, Role::Billing).await;
    let (start_version, start_seats) = subscription(t).await;
    let db = std::sync::Arc::new(t.db.clone());
    let mut tasks = Vec::new();
    for _ in 0..WRITERS {
        let (app, token, db) = (app.clone(), token.clone(), db.clone());
        tasks.push(tokio::spawn(async move {
            let mut conflicts = 0;
            loop {
                let (version, seats): (i64, i64) = app::on_db!(&*db, |p| sqlx::query_as(
                    "SELECT version, seats FROM subscriptions WHERE id = $1"
                )
                .bind(SUB_MAIN)
                .fetch_one(p)
                .await)
                .unwrap();
                let (status, body) = edit(&app, &token, version, seats + 1).await;
                match status {
                    200 => return conflicts,
                    409 => conflicts += 1,
                    other => panic!("an edit answered {other}: {body}"),
                }
            }
        }));
    }
    let mut conflicts = 0;
    for task in tasks {
        conflicts += task.await.unwrap();
    }
    let (version, seats) = subscription(t).await;
    assert_eq!(
        seats,
        start_seats + WRITERS as i64,
        "no lost update ({conflicts} conflicts retried)"
    );
    assert_eq!(version, start_version + WRITERS as i64);
    assert_eq!(events(t).await, WRITERS as i64, "one event per change");
    // Each event moved the seats by exactly one, from the value the previous one left.
    let changes: Vec<String> = app::on_db!(&t.db, |p| sqlx::query_scalar(
        "SELECT changes FROM activity_events WHERE action = 'subscription.edit' ORDER BY id"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    for (i, text) in changes.iter().enumerate() {
        let change: Value = serde_json::from_str(text).unwrap();
        let expected = json!([start_seats + i as i64, start_seats + i as i64 + 1]);
        assert_eq!(change["seats"], expected, "event {i} of the chain of edits");
    }
}

/// Several leads approve the same request at the same moment: it runs once.
async fn concurrent_approvals_execute_once(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = std::sync::Arc::new(TestApp::spawn(t).await);
    let (_, support) = fixture::staff_token(&t.db, Role::Support).await;
    let (status, pending) = app.call("POST", &format!("/namespaces/{NS_FREE}/replace_link"), &support,
        Some(json!({"reason": "customer moved groups", "ticket_url": "https://tickets.example/7", "requester": "ops@acme.example", "subscription_id": SUB_ORPHAN}))).await;
    assert_eq!(status, 202, "{pending}");
    let approval = pending["approval_id"].as_i64().unwrap();
    let before = t.scalar("SELECT COUNT(*) FROM activity_events").await;

    let mut leads = Vec::new();
    for i in 0..5 {
        leads.push(
            fixture::staff_token_named(
                &t.db,
                if i % 2 == 0 { Role::Lead } else { Role::Admin },
                &format!("approver{i}"),
            )
            .await
            .1,
        );
    }
    let mut tasks = Vec::new();
    for i in 0..20 {
        let (app, token) = (app.clone(), leads[i % leads.len()].clone());
        tasks.push(tokio::spawn(async move {
            app.call(
                "POST",
                &format!("/approvals/{approval}/approve"),
                &token,
                Some(json!({"note": "go ahead"})),
            )
            .await
        }));
    }
    let mut executed = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        match status {
            200 => {
                executed += 1;
                assert_eq!(body["status"], "executed", "{body}");
            }
            409 => assert_eq!(body["error"]["code"], "conflict", "{body}"),
            other => panic!("an approval answered {other}: {body}"),
        }
    }
    assert_eq!(executed, 1, "the request ran exactly once");
    let linked = t
        .scalar(&format!("SELECT COUNT(*) FROM namespaces WHERE subscription_id = {SUB_ORPHAN}"))
        .await;
    assert_eq!(linked, 1);
    // The decision and the change it ran: two events, whatever the number of approvers.
    assert_eq!(t.scalar("SELECT COUNT(*) FROM activity_events").await, before + 2);
    let change_events = t
        .scalar("SELECT COUNT(*) FROM activity_events WHERE action = 'namespace.replace_link'")
        .await;
    assert_eq!(change_events, 1);
}

on_both_backends!(
    fifty_edits_of_one_version_make_one_change,
    fifty_read_modify_writes_lose_nothing,
    concurrent_approvals_execute_once
);
