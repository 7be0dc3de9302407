//! Every operation end to end over the JSON API, on both backends: the happy path,
//! validation and state rules, roles, conflicts, approvals and undo. Each refusal is
//! checked to have written nothing.
use crate::common;

use app::domain::Role;
use common::fixture::{self, *};
use common::{TestApp, TestDb};
use serde_json::{json, Value};

async fn scalar(t: &TestDb, sql: &str) -> i64 {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    app::on_db!(&t.db, |p| sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await).unwrap()
}

async fn text(t: &TestDb, sql: &str) -> Option<String> {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    app::on_db!(&t.db, |p| sqlx::query_scalar::<_, Option<String>>(sql).fetch_one(p).await).unwrap()
}

async fn events(t: &TestDb) -> i64 {
    scalar(t, "SELECT COUNT(*) FROM activity_events").await
}

async fn last_event(app: &TestApp, token: &str) -> Value {
    let (_, view) = app.call("GET", &format!("/customers/{CUSTOMER}"), token, None).await;
    view["activity"][0].clone()
}

async fn setup(t: &TestDb) -> TestApp {
    fixture::load(&t.db).await;
    TestApp::spawn(t).await
}

const TICKET: &str = "https://support.example.com/tickets/42";

fn edit(version: i64, fields: Value) -> Value {
    let mut body = json!({"version": version, "reason": "customer asked on the phone", "ticket_url": TICKET, "requester": OWNER_CONTACT});
    for (k, v) in fields.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

fn reasoned(fields: Value) -> Value {
    let mut body = json!({"reason": "customer asked on the phone", "ticket_url": TICKET, "requester": OWNER_CONTACT});
    for (k, v) in fields.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn chain_holds(t: &TestDb) {
    let report = app::audit::chain::verify(&t.db).await.unwrap();
    assert_eq!(report.first_broken, None);
    assert_eq!(report.checked as i64, events(t).await);
}

async fn inline_edit_applies_with_one_event(t: &TestDb) {
    let app = setup(t).await;
    let (_, support) = fixture::staff_token(&t.db, Role::Support).await;
    let (_, billing) = fixture::staff_token(&t.db, Role::Billing).await;
    let (status, body) =
        app.call("PATCH", "/subscriptions/1", &support, Some(edit(1, json!({"seats": 12})))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["seats"].as_i64(), body["version"].as_i64()), (Some(12), Some(2)));
    assert_eq!(events(t).await, 1);
    let e = last_event(&app, &support).await;
    assert_eq!(e["action"], "subscription.edit");
    assert_eq!(
        (e["target_type"].as_str(), e["target_id"].as_i64(), e["customer_id"].as_i64()),
        (Some("subscription"), Some(1), Some(1))
    );
    assert_eq!(e["changes"], json!({"seats": [10, 12]}));
    assert_eq!((e["source"].as_str(), e["ticket_url"].as_str()), (Some("api"), Some(TICKET)));
    assert_eq!(e["reason"], "customer asked on the phone");
    assert_eq!(e["actor_email"], "support@example.com");

    // Billing edits seats and dates, and needs no ticket.
    let end = (fixture::today() + chrono::Duration::days(400)).to_string();
    let body = json!({"version": 2, "reason": "renewal moved", "end_date": end});
    let (status, body) = app.call("PATCH", "/subscriptions/1", &billing, Some(body)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["end_date"], json!(end));
    let (status, _) = app
        .call(
            "PATCH",
            "/subscriptions/1",
            &support,
            Some(edit(3, json!({"auto_renew": false, "status": "cancelled"}))),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(events(t).await, 3);
    chain_holds(t).await;
}

async fn inline_edit_refuses_bad_input_naming_the_field(t: &TestDb) {
    let app = setup(t).await;
    let (_, support) = fixture::staff_token(&t.db, Role::Support).await;
    let cases: Vec<(Value, u16, &str)> = vec![
        (edit(1, json!({"seats": 0})), 422, "seats"),
        (edit(1, json!({"seats": 100_001})), 422, "seats"),
        (edit(1, json!({"seats": "ten"})), 422, "seats"),
        (
            edit(
                1,
                json!({"end_date": (fixture::today() - chrono::Duration::days(200)).to_string()}),
            ),
            422,
            "end_date",
        ),
        (
            edit(
                1,
                json!({"end_date": (fixture::today() - chrono::Duration::days(5)).to_string()}),
            ),
            422,
            "end_date",
        ),
        (edit(1, json!({"status": "paused"})), 422, "status"),
        (edit(1, json!({"seats": 12, "reason": " "})), 422, "reason"),
        (edit(1, json!({"seats": 12, "ticket_url": ""})), 422, "ticket_url"),
        (edit(1, json!({"seats": 12, "ticket_url": "javascript:alert(1)"})), 422, "ticket_url"),
        (json!({"reason": "no version given", "seats": 12, "ticket_url": TICKET}), 422, "version"),
        (edit(1, json!({})), 422, "seats"),
    ];
    for (body, expected, field) in cases {
        let (status, answer) =
            app.call("PATCH", "/subscriptions/1", &support, Some(body.clone())).await;
        assert_eq!(status, expected, "{body} → {answer}");
        assert!(
            answer["error"]["fields"][field].is_string(),
            "{body} should name {field}: {answer}"
        );
    }
    let (status, answer) =
        app.call("PATCH", "/subscriptions/1", &support, Some(edit(1, json!({"seats": 10})))).await;
    assert_eq!(status, 422, "no-op edit: {answer}");
    let raw = app
        .client
        .patch(app.url("/api/v1/subscriptions/1"))
        .bearer_auth(&support)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let (status, _) = app
        .call("PATCH", "/subscriptions/999", &support, Some(edit(1, json!({"seats": 12}))))
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .call("PATCH", "/subscriptions/abc", &support, Some(edit(1, json!({"seats": 12}))))
        .await;
    assert_eq!(status, 400);
    // A cancellation is final.
    assert_eq!(
        app.call(
            "PATCH",
            "/subscriptions/1",
            &support,
            Some(edit(1, json!({"status": "cancelled"})))
        )
        .await
        .0,
        200
    );
    let (status, answer) = app
        .call("PATCH", "/subscriptions/1", &support, Some(edit(2, json!({"status": "active"}))))
        .await;
    assert_eq!(status, 422);
    assert!(answer["error"]["fields"]["status"].as_str().unwrap().contains("cancelled"));
    assert_eq!(scalar(t, "SELECT seats FROM subscriptions WHERE id = 1").await, 10);
    assert_eq!(events(t).await, 1, "only the cancellation was recorded");
}

async fn inline_edit_enforces_roles(t: &TestDb) {
    let app = setup(t).await;
    let (_, sales) = fixture::staff_token(&t.db, Role::Sales).await;
    let (_, billing) = fixture::staff_token(&t.db, Role::Billing).await;
    let (status, body) =
        app.call("PATCH", "/subscriptions/1", &sales, Some(edit(1, json!({"seats": 12})))).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["code"], "forbidden");
    assert_eq!(
        app.call(
            "PATCH",
            "/subscriptions/1",
            &billing,
            Some(edit(1, json!({"auto_renew": false})))
        )
        .await
        .0,
        403
    );
    assert_eq!(
        app.call(
            "PATCH",
            "/subscriptions/1",
            &billing,
            Some(edit(1, json!({"status": "cancelled"})))
        )
        .await
        .0,
        403
    );
    assert_eq!(events(t).await, 0);
    assert_eq!(
        app.call("PATCH", "/subscriptions/1", &billing, Some(edit(1, json!({"seats": 11}))))
            .await
            .0,
        200
    );
    let (status, _) = app
        .client
        .patch(app.url("/api/v1/subscriptions/1"))
        .json(&edit(2, json!({"seats": 12})))
        .send()
        .await
        .map(|r| (r.status().as_u16(), ()))
        .unwrap();
    assert_eq!(status, 401);
}

async fn stale_versions_conflict_and_concurrent_saves_have_one_winner(t: &TestDb) {
    let app = setup(t).await;
    let (_, support) = fixture::staff_token(&t.db, Role::Support).await;
    assert_eq!(
        app.call("PATCH", "/subscriptions/1", &support, Some(edit(1, json!({"seats": 12}))))
            .await
            .0,
        200
    );
    let (status, body) =
        app.call("PATCH", "/subscriptions/1", &support, Some(edit(1, json!({"seats": 15})))).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "conflict");
    assert_eq!(scalar(t, "SELECT seats FROM subscriptions WHERE id = 1").await, 12);

    let attempts = (0..8).map(|i| {
        let app = &app;
        let support = support.clone();
        async move {
            app.call("PATCH", "/subscriptions/1", &support, Some(edit(2, json!({"seats": 20 + i}))))
                .await
                .0
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 7, "{statuses:?}");
    assert_eq!(events(t).await, 2, "one event per change");
    assert_eq!(scalar(t, "SELECT version FROM subscriptions WHERE id = 1").await, 3);
    chain_holds(t).await;
}

async fn namespace_controls_preview_and_apply(t: &TestDb) {
    let app = setup(t).await;
    let (_, support) = fixture::staff_token(&t.db, Role::Support).await;
    let (_, billing) = fixture::staff_token(&t.db, Role::Billing).await;

    // A preview names the exact changes and writes nothing.
    let (status, preview) = app
        .call(
            "POST",
            "/namespaces/1/compute_minutes?preview=true",
            &support,
            Some(reasoned(json!({"delta": 1000}))),
        )
        .await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(
        preview["changes"],
        json!([{"record": "acme", "field": "compute_minutes_extra", "before": 500, "after": 1500}])
    );
    assert_eq!(events(t).await, 0);

    let (status, out) = app
        .call(
            "POST",
            "/namespaces/1/compute_minutes",
            &support,
            Some(reasoned(json!({"delta": 1000}))),
        )
        .await;
    assert_eq!((status, out["status"].as_str()), (200, Some("applied")), "{out}");
    assert_eq!(scalar(t, "SELECT compute_minutes_extra FROM namespaces WHERE id = 1").await, 1500);
    assert_eq!(scalar(t, "SELECT CAST(SUM(quantity) AS BIGINT) FROM add_on_grants WHERE namespace_id = 1 AND source = 'support_grant'").await, 1000);

    let (status, out) =
        app.call("POST", "/namespaces/2/update_plan", &support, Some(reasoned(json!({})))).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(
        text(t, "SELECT plan FROM namespaces WHERE id = 2").await.as_deref(),
        Some("ultimate")
    );

    let (status, out) = app
        .call("POST", "/namespaces/5/clear_subscription", &support, Some(reasoned(json!({}))))
        .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(text(t, "SELECT plan FROM namespaces WHERE id = 5").await.as_deref(), Some("free"));
    assert_eq!(
        scalar(t, "SELECT COUNT(*) FROM namespaces WHERE id = 5 AND subscription_id IS NULL").await,
        1
    );

    let (status, out) = app
        .call("POST", "/namespaces/1/storage", &support, Some(reasoned(json!({"delta_mib": 1024}))))
        .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["preview"]["changes"][0]["after"], 3072);

    let (status, out) = app
        .call(
            "POST",
            "/namespaces/2/reset_max_seats",
            &billing,
            Some(json!({"reason": "seats waived after audit"})),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(scalar(t, "SELECT max_seats_used FROM namespaces WHERE id = 2").await, 7);
    assert_eq!(events(t).await, 5);

    // Refusals, each naming the problem, none writing anything.
    let refusals: Vec<(&str, Value, &str)> = vec![
        ("/namespaces/1/storage", json!({"delta_mib": -4096}), "delta_mib"),
        ("/namespaces/1/storage", json!({"delta_mib": 0}), "delta_mib"),
        ("/namespaces/6/compute_minutes", json!({"delta": 100, "kind": "trial_only"}), "kind"),
        ("/namespaces/1/compute_minutes", json!({"delta": 100, "kind": "forever"}), "kind"),
        ("/namespaces/1/compute_minutes", json!({}), "delta"),
        ("/namespaces/6/update_plan", json!({}), ""),
        ("/namespaces/6/clear_subscription", json!({}), ""),
        ("/namespaces/2/update_plan", json!({}), ""),
    ];
    for (path, body, field) in refusals {
        let (status, answer) = app.call("POST", path, &support, Some(reasoned(body.clone()))).await;
        assert_eq!(status, 422, "{path} {body} → {answer}");
        if !field.is_empty() {
            assert!(
                answer["error"]["fields"][field].is_string(),
                "{path} {body} should name {field}: {answer}"
            );
        }
    }
    assert_eq!(
        app.call("POST", "/namespaces/999/update_plan", &support, Some(reasoned(json!({}))))
            .await
            .0,
        404
    );
    assert_eq!(
        app.call("POST", "/namespaces/1/levitate", &support, Some(reasoned(json!({})))).await.0,
        404
    );
    let stale = reasoned(json!({"delta": 10, "version": 1}));
    assert_eq!(
        app.call("POST", "/namespaces/1/compute_minutes", &support, Some(stale)).await.0,
        409
    );
    assert_eq!(events(t).await, 5);
    chain_holds(t).await;
}

async fn trial_controls_follow_policy(t: &TestDb) {
    let app = setup(t).await;
    let (_, support) = fixture::staff_token(&t.db, Role::Support).await;
    let (_, sales) = fixture::staff_token(&t.db, Role::Sales).await;
    for days in [0, 31] {
        let (status, answer) = app
            .call(
                "POST",
                "/namespaces/3/trial/extend",
                &support,
                Some(reasoned(json!({"days": days}))),
            )
            .await;
        assert_eq!(status, 422);
        assert!(answer["error"]["fields"]["days"].is_string(), "{answer}");
    }
    let end = |offset: i64| (fixture::today() + chrono::Duration::days(offset)).to_string();
    let (status, out) = app
        .call("POST", "/namespaces/3/trial/extend", &support, Some(reasoned(json!({"days": 10}))))
        .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(
        text(t, "SELECT CAST(trial_ends_on AS TEXT) FROM namespaces WHERE id = 3").await,
        Some(end(30))
    );
    // Sales may extend trials too (no ticket needed).
    let (status, out) = app
        .call(
            "POST",
            "/namespaces/3/trial/extend",
            &sales,
            Some(json!({"reason": "prospect evaluating", "days": 10})),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    // The third extension needs approval.
    let (status, out) = app
        .call("POST", "/namespaces/3/trial/extend", &support, Some(reasoned(json!({"days": 5}))))
        .await;
    assert_eq!((status, out["status"].as_str()), (202, Some("pending_approval")), "{out}");
    assert!(out["approval_id"].as_i64().is_some());
    assert_eq!(scalar(t, "SELECT trial_extensions_used FROM namespaces WHERE id = 3").await, 2);

    let (status, out) = app
        .call(
            "POST",
            "/namespaces/3/trial/change_plan",
            &support,
            Some(reasoned(json!({"plan": "premium"}))),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(
        text(t, "SELECT plan FROM namespaces WHERE id = 3").await.as_deref(),
        Some("premium")
    );
    let (status, _) = app
        .call(
            "POST",
            "/namespaces/3/trial/change_plan",
            &support,
            Some(reasoned(json!({"plan": "gold"}))),
        )
        .await;
    assert_eq!(status, 422);
    let (status, out) =
        app.call("POST", "/namespaces/3/trial/end", &support, Some(reasoned(json!({})))).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(text(t, "SELECT plan FROM namespaces WHERE id = 3").await.as_deref(), Some("free"));
    assert_eq!(
        text(t, "SELECT CAST(trial_ends_on AS TEXT) FROM namespaces WHERE id = 3").await,
        Some(end(-1))
    );

    let (status, out) = app
        .call("POST", "/namespaces/4/trial/reactivate", &support, Some(reasoned(json!({}))))
        .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(
        text(t, "SELECT plan FROM namespaces WHERE id = 4").await.as_deref(),
        Some("premium")
    );
    assert_eq!(
        text(t, "SELECT CAST(trial_starts_on AS TEXT) FROM namespaces WHERE id = 4").await,
        Some(end(0))
    );

    // State rules: no trial to extend; never on top of a paid plan; never had one.
    let (status, answer) = app
        .call("POST", "/namespaces/6/trial/extend", &support, Some(reasoned(json!({"days": 5}))))
        .await;
    assert_eq!(status, 422, "{answer}");
    let (status, answer) = app
        .call("POST", "/namespaces/1/trial/reactivate", &support, Some(reasoned(json!({}))))
        .await;
    assert_eq!(status, 422);
    assert!(answer["error"]["message"].as_str().unwrap().contains("paid"), "{answer}");
    let (status, _) = app
        .call("POST", "/namespaces/6/trial/reactivate", &support, Some(reasoned(json!({}))))
        .await;
    assert_eq!(status, 422);
    // Sales may not use the other trial controls.
    assert_eq!(
        app.call("POST", "/namespaces/4/trial/end", &sales, Some(reasoned(json!({})))).await.0,
        403
    );
    assert_eq!(events(t).await, 6, "five changes and one approval request");
    chain_holds(t).await;
}

async fn roles_are_enforced_for_namespace_operations(t: &TestDb) {
    let app = setup(t).await;
    let (_, support) = fixture::staff_token(&t.db, Role::Support).await;
    let (_, sales) = fixture::staff_token(&t.db, Role::Sales).await;
    let (_, billing) = fixture::staff_token(&t.db, Role::Billing).await;
    let refused = [
        ("/namespaces/5/clear_subscription", &sales, json!({})),
        ("/namespaces/2/update_plan", &billing, json!({})),
        ("/namespaces/2/reset_max_seats", &support, json!({})),
        ("/namespaces/1/compute_minutes", &billing, json!({"delta": 5})),
        ("/namespaces/1/storage", &sales, json!({"delta_mib": 5})),
        ("/namespaces/6/replace_link", &sales, json!({"subscription_id": 4})),
        ("/namespaces/3/trial/extend", &billing, json!({"days": 5})),
        ("/namespaces/3/trial/change_plan", &sales, json!({"plan": "premium"})),
        ("/namespaces/4/trial/reactivate", &billing, json!({})),
        ("/namespaces/3/trial/end", &billing, json!({})),
    ];
    for (path, token, body) in refused {
        let (status, answer) = app.call("POST", path, token, Some(reasoned(body))).await;
        assert_eq!(status, 403, "{path}: {answer}");
    }
    assert_eq!(events(t).await, 0);
    assert_eq!(scalar(t, "SELECT COUNT(*) FROM approval_requests").await, 0);
}

async fn concurrent_namespace_changes_and_approvals_have_one_winner(t: &TestDb) {
    let app = setup(t).await;
    let (_, support) = fixture::staff_token(&t.db, Role::Support).await;
    let (_, lead) = fixture::staff_token(&t.db, Role::Lead).await;
    let (_, lead2) = fixture::staff_token_named(&t.db, Role::Lead, "lead2").await;
    let attempts = (1..=6).map(|i| {
        let (app, support) = (&app, support.clone());
        async move {
            let body = reasoned(json!({"delta": 100 * i, "version": 1}));
            app.call("POST", "/namespaces/1/compute_minutes", &support, Some(body)).await.0
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 5, "{statuses:?}");
    assert_eq!(events(t).await, 1);
    assert_eq!(
        scalar(t, "SELECT COUNT(*) FROM add_on_grants WHERE source = 'support_grant'").await,
        1,
        "no grant without its change"
    );

    let (_, out) = app
        .call(
            "POST",
            "/namespaces/6/replace_link",
            &support,
            Some(reasoned(json!({"subscription_id": SUB_ORPHAN}))),
        )
        .await;
    let id = out["approval_id"].as_i64().unwrap();
    let decide = |token: String| {
        let app = &app;
        async move {
            app.call(
                "POST",
                &format!("/approvals/{id}/approve"),
                &token,
                Some(json!({"note": "ok"})),
            )
            .await
            .0
        }
    };
    let statuses = futures::future::join_all([
        decide(lead.clone()),
        decide(lead2.clone()),
        decide(lead.clone()),
    ])
    .await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(
        scalar(t, "SELECT COUNT(*) FROM activity_events WHERE action = 'namespace.replace_link'")
            .await,
        1,
        "ran exactly once"
    );
    chain_holds(t).await;
}

async fn replace_link_runs_once_after_another_leads_approval(t: &TestDb) {
    let app = setup(t).await;
    let (_, support) = fixture::staff_token(&t.db, Role::Support).await;
    let (lead_id, lead) = fixture::staff_token(&t.db, Role::Lead).await;
    let (_, lead2) = fixture::staff_token_named(&t.db, Role::Lead, "lead2").await;
    let (_, admin) = fixture::staff_token(&t.db, Role::Admin).await;

    for (sub, field) in [
        (SUB_OTHER_CUSTOMER, "subscription_id"),
        (SUB_SELF_MANAGED, "subscription_id"),
        (SUB_EXPIRED, "subscription_id"),
    ] {
        let (status, answer) = app
            .call(
                "POST",
                "/namespaces/6/replace_link",
                &support,
                Some(reasoned(json!({"subscription_id": sub}))),
            )
            .await;
        assert_eq!(status, 422, "{answer}");
        assert!(answer["error"]["fields"][field].is_string(), "{answer}");
    }
    let (status, answer) = app
        .call(
            "POST",
            "/namespaces/3/replace_link",
            &support,
            Some(reasoned(json!({"subscription_id": SUB_ORPHAN}))),
        )
        .await;
    assert_eq!(status, 422, "a running trial blocks a paid link: {answer}");

    let (status, out) = app
        .call(
            "POST",
            "/namespaces/6/replace_link",
            &lead,
            Some(reasoned(json!({"subscription_id": SUB_MAIN}))),
        )
        .await;
    assert_eq!(status, 202, "{out}");
    let id = out["approval_id"].as_i64().unwrap();
    assert_eq!(
        scalar(t, "SELECT COUNT(*) FROM namespaces WHERE id = 1 AND subscription_id = 1").await,
        1,
        "nothing moved yet"
    );
    let (_, view) = app.call("GET", "/customers/1", &lead, None).await;
    assert_eq!(
        view["pending_approvals"][0]["id"].as_i64(),
        Some(id),
        "the customer shows the waiting request"
    );
    let changes: Vec<String> = out["preview"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{}.{}: {} → {}",
                c["record"].as_str().unwrap(),
                c["field"].as_str().unwrap(),
                c["before"],
                c["after"]
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            "acme.plan: \"premium\" → \"free\"",
            "acme.subscription_id: 1 → null",
            "acme-new.plan: \"free\" → \"premium\"",
            "acme-new.subscription_id: null → 1",
        ]
    );

    let (status, list) = app.call("GET", "/approvals?status=pending", &lead2, None).await;
    assert_eq!(status, 200);
    let listed = &list["approvals"][0];
    assert_eq!((listed["id"].as_i64(), listed["requested_by"].as_i64()), (Some(id), Some(lead_id)));
    assert_eq!(listed["preview"]["changes"], out["preview"]["changes"]);
    assert_eq!(app.call("GET", "/approvals", &support, None).await.0, 403);

    let (status, answer) = app
        .call("POST", &format!("/approvals/{id}/approve"), &lead, Some(json!({"note": "mine"})))
        .await;
    assert_eq!(status, 403, "nobody approves their own request: {answer}");
    assert_eq!(
        app.call("POST", &format!("/approvals/{id}/approve"), &support, Some(json!({}))).await.0,
        403
    );

    let (status, decided) = app
        .call(
            "POST",
            &format!("/approvals/{id}/approve"),
            &lead2,
            Some(json!({"note": "checked the contract"})),
        )
        .await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(decided["status"], "executed");
    assert_eq!(decided["decided_by_email"], "lead2@example.com");
    assert_eq!(scalar(t, "SELECT COUNT(*) FROM namespaces WHERE id = 6 AND subscription_id = 1 AND plan = 'premium'").await, 1);
    assert_eq!(scalar(t, "SELECT COUNT(*) FROM namespaces WHERE id = 1 AND subscription_id IS NULL AND plan = 'free'").await, 1);

    let (status, _) =
        app.call("POST", &format!("/approvals/{id}/approve"), &admin, Some(json!({}))).await;
    assert_eq!(status, 409, "runs exactly once");
    let (_, view) = app.call("GET", "/customers/1", &lead, None).await;
    assert_eq!(view["pending_approvals"], json!([]));
    let actions: Vec<String> = {
        let (_, view) = app.call("GET", "/customers/1", &lead, None).await;
        view["activity"]
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .map(|e| e["action"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(actions, ["approval.request", "approval.approve", "namespace.replace_link"]);
    let (_, view) = app.call("GET", "/customers/1", &lead, None).await;
    let executed = &view["activity"][0];
    assert_eq!(
        (executed["approval_id"].as_i64(), executed["actor_email"].as_str()),
        (Some(id), Some("lead@example.com"))
    );
    chain_holds(t).await;
}

async fn approvals_reject_expire_and_refuse_a_moved_state(t: &TestDb) {
    let app = setup(t).await;
    let (_, billing) = fixture::staff_token(&t.db, Role::Billing).await;
    let (_, lead) = fixture::staff_token(&t.db, Role::Lead).await;
    let reset = || Some(json!({"reason": "seats were a migration artefact"}));

    let (status, out) = app.call("POST", "/namespaces/1/reset_max_seats", &billing, reset()).await;
    assert_eq!(status, 202, "17 seats waived needs approval: {out}");
    let first = out["approval_id"].as_i64().unwrap();
    let (status, answer) = app
        .call("POST", &format!("/approvals/{first}/reject"), &lead, Some(json!({"note": ""})))
        .await;
    assert_eq!(status, 422);
    assert!(answer["error"]["fields"]["note"].is_string());
    let (status, decided) = app
        .call(
            "POST",
            &format!("/approvals/{first}/reject"),
            &lead,
            Some(json!({"note": "ask the customer first"})),
        )
        .await;
    assert_eq!((status, decided["status"].as_str()), (200, Some("rejected")), "{decided}");
    assert_eq!(scalar(t, "SELECT max_seats_used FROM namespaces WHERE id = 1").await, 25);

    // Expired: 72 hours passed.
    let (_, out) = app.call("POST", "/namespaces/1/reset_max_seats", &billing, reset()).await;
    let second = out["approval_id"].as_i64().unwrap();
    let past = (chrono::Utc::now() - chrono::Duration::hours(1))
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string();
    t.db.execute(sqlx::AssertSqlSafe(format!(
        "UPDATE approval_requests SET expires_at = '{past}' WHERE id = {second}"
    )))
    .await
    .unwrap();
    let (status, answer) =
        app.call("POST", &format!("/approvals/{second}/approve"), &lead, Some(json!({}))).await;
    assert_eq!(status, 409, "{answer}");
    assert!(answer["error"]["message"].as_str().unwrap().contains("expired"));
    assert_eq!(
        text(t, &format!("SELECT status FROM approval_requests WHERE id = {second}"))
            .await
            .as_deref(),
        Some("expired")
    );
    assert_eq!(scalar(t, "SELECT max_seats_used FROM namespaces WHERE id = 1").await, 25);

    // The state moved on: the frozen changes no longer hold.
    let (_, out) = app.call("POST", "/namespaces/1/reset_max_seats", &billing, reset()).await;
    let third = out["approval_id"].as_i64().unwrap();
    t.db.execute("UPDATE namespaces SET max_seats_used = 30 WHERE id = 1").await.unwrap();
    let (status, answer) =
        app.call("POST", &format!("/approvals/{third}/approve"), &lead, Some(json!({}))).await;
    assert_eq!(status, 409, "{answer}");
    assert!(answer["error"]["message"].as_str().unwrap().contains("changed"), "{answer}");
    assert_eq!(scalar(t, "SELECT max_seats_used FROM namespaces WHERE id = 1").await, 30);
    assert_eq!(
        text(t, &format!("SELECT status FROM approval_requests WHERE id = {third}"))
            .await
            .as_deref(),
        Some("pending")
    );

    let (status, list) = app.call("GET", "/approvals?status=expired", &lead, None).await;
    assert_eq!((status, list["approvals"].as_array().map(Vec::len)), (200, Some(1)));
    assert_eq!(app.call("GET", "/approvals?status=bogus", &lead, None).await.0, 422);
    let actions = scalar(t, "SELECT COUNT(*) FROM activity_events WHERE action IN ('approval.request', 'approval.reject', 'approval.expire')").await;
    assert_eq!(actions, 5, "three requests, one rejection, one expiry");
    assert_eq!(
        scalar(
            t,
            "SELECT COUNT(*) FROM activity_events WHERE action = 'namespace.reset_max_seats'"
        )
        .await,
        0
    );
    chain_holds(t).await;
}

async fn undo_reverts_as_a_new_compensating_change(t: &TestDb) {
    let app = setup(t).await;
    let (_, support) = fixture::staff_token(&t.db, Role::Support).await;
    let (_, sales) = fixture::staff_token(&t.db, Role::Sales).await;
    let (_, lead) = fixture::staff_token(&t.db, Role::Lead).await;
    let undo = |id: i64| (format!("/activity/{id}/undo"), Some(reasoned(json!({}))));

    app.call("PATCH", "/subscriptions/1", &support, Some(edit(1, json!({"seats": 12})))).await;
    let e1 = last_event(&app, &support).await["id"].as_i64().unwrap();
    let (path, body) = undo(e1);
    let (status, out) = app.call("POST", &path, &support, body.clone()).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(scalar(t, "SELECT seats FROM subscriptions WHERE id = 1").await, 10);
    let e = last_event(&app, &support).await;
    assert_eq!(
        (e["action"].as_str(), e["target_type"].as_str(), e["target_id"].as_i64()),
        (Some("undo"), Some("activity_event"), Some(e1))
    );
    assert_eq!(e["changes"], json!({"seats": [12, 10]}));
    let (status, answer) = app.call("POST", &path, &support, body).await;
    assert_eq!(status, 422, "already undone: {answer}");

    app.call(
        "POST",
        "/namespaces/1/compute_minutes",
        &support,
        Some(reasoned(json!({"delta": 1000}))),
    )
    .await;
    let e2 = last_event(&app, &support).await["id"].as_i64().unwrap();
    app.call(
        "POST",
        "/namespaces/1/compute_minutes",
        &support,
        Some(reasoned(json!({"delta": 500}))),
    )
    .await;
    let e3 = last_event(&app, &support).await["id"].as_i64().unwrap();
    let (path, body) = undo(e2);
    let (status, answer) = app.call("POST", &path, &support, body).await;
    assert_eq!(status, 409, "the value moved on: {answer}");
    let (path, body) = undo(e3);
    assert_eq!(
        app.call("POST", &path, &sales, body.clone()).await.0,
        403,
        "sales cannot grant minutes, so cannot undo a grant"
    );
    assert_eq!(app.call("POST", &path, &support, body).await.0, 200);
    assert_eq!(scalar(t, "SELECT compute_minutes_extra FROM namespaces WHERE id = 1").await, 1500);
    assert_eq!(scalar(t, "SELECT CAST(SUM(quantity) AS BIGINT) FROM add_on_grants WHERE source = 'support_grant'").await, 1000);

    // Not reversible: a replace link (it went through an approval), or an unknown event.
    let (_, out) = app
        .call(
            "POST",
            "/namespaces/6/replace_link",
            &support,
            Some(reasoned(json!({"subscription_id": SUB_ORPHAN}))),
        )
        .await;
    let request_event = last_event(&app, &support).await["id"].as_i64().unwrap();
    assert!(out["approval_id"].is_i64());
    let (path, body) = undo(request_event);
    assert_eq!(app.call("POST", &path, &lead, body).await.0, 422);
    let (path, body) = undo(99_999);
    assert_eq!(app.call("POST", &path, &support, body).await.0, 404);
    chain_holds(t).await;
}

async fn the_openapi_document_lists_the_operations(t: &TestDb) {
    let app = setup(t).await;
    let doc: Value =
        app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    for path in [
        "/api/v1/subscriptions/{id}",
        "/api/v1/namespaces/{id}/{operation}",
        "/api/v1/activity/{id}/undo",
        "/api/v1/approvals",
        "/api/v1/approvals/{id}/{decision}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing from OpenAPI");
    }
}

on_both_backends!(
    inline_edit_applies_with_one_event,
    inline_edit_refuses_bad_input_naming_the_field,
    inline_edit_enforces_roles,
    stale_versions_conflict_and_concurrent_saves_have_one_winner,
    namespace_controls_preview_and_apply,
    trial_controls_follow_policy,
    roles_are_enforced_for_namespace_operations,
    concurrent_namespace_changes_and_approvals_have_one_winner,
    replace_link_runs_once_after_another_leads_approval,
    approvals_reject_expire_and_refuse_a_moved_state,
    undo_reverts_as_a_new_compensating_change,
    the_openapi_document_lists_the_operations,
);
