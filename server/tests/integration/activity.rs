//! The activity timeline over the JSON API, on both backends: every filter alone and
//! combined, keyset pages without duplicates or gaps while new events arrive, the CSV
//! export equal to the filtered set, tampering (edit, reorder, delete) reported, one
//! valid chain from two server instances writing at once, state as of a past moment,
//! and the dashboard's figures.
use crate::common;

use app::activity::server::csv;
use app::audit::{chain, query, record, ActivityFilter, EventBody};
use app::domain::{Action, EventSource, Role, TargetType};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::fixture::{self, staff_token, today};
use common::{TestApp, TestDb};
use serde_json::{json, Value};

const ACTIONS: [&str; 4] =
    ["subscription.edit", "trial.extend", "namespace.storage", "extension.issue"];
const REASONS: [&str; 4] =
    ["renewal call with finance", "billing fix", "promo 50%_off applied", "He said \"renew, now\""];

/// One generated event, as the test expects to find it.
#[derive(Clone, Debug)]
struct Ev {
    id: i64,
    at: DateTime<Utc>,
    actor: String,
    action: &'static str,
    customer: Option<i64>,
    target: (&'static str, i64),
    reason: &'static str,
}

/// 150 events over the last 30 days from three staff members, inserted as rows.
async fn history(t: &TestDb) -> Vec<Ev> {
    let mut staff = Vec::new();
    for role in [Role::Support, Role::Sales, Role::Lead] {
        staff.push((staff_token(&t.db, role).await.0, format!("{}@example.com", role.as_str())));
    }
    let start = query::start_of(today() - Duration::days(30));
    let mut events = Vec::new();
    for k in 0..150i64 {
        let (actor_id, actor) = staff[(k % 3) as usize].clone();
        let ev = Ev {
            id: k + 1,
            at: start + Duration::minutes(k * 288),
            actor,
            action: ACTIONS[((k / 2) % 4) as usize],
            customer: [Some(1), Some(2), None][(k % 5 % 3) as usize],
            target: if k % 2 == 0 { ("subscription", k % 6 + 1) } else { ("namespace", k % 6 + 1) },
            reason: REASONS[((k / 3) % 4) as usize],
        };
        app::on_db!(&t.db, |p| sqlx::query(
            "INSERT INTO activity_events (id, occurred_at, actor_id, actor_email, action, target_type, target_id, customer_id,
                reason, ticket_url, changes, source, approval_id, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, '{}', 'console', NULL, 'p', 'h')"
        )
        .bind(ev.id).bind(ev.at).bind(actor_id).bind(&ev.actor).bind(ev.action).bind(ev.target.0).bind(ev.target.1)
        .bind(ev.customer).bind(ev.reason)
        .execute(p).await.map(|_| ())).unwrap();
        events.push(ev);
    }
    events
}

fn matches(e: &Ev, f: &ActivityFilter) -> bool {
    let day = e.at.date_naive();
    f.actor.as_ref().is_none_or(|a| *a == e.actor)
        && f.action.as_ref().is_none_or(|a| a == e.action)
        && f.customer_id.is_none_or(|c| Some(c) == e.customer)
        && f.target_type.as_ref().is_none_or(|t| t == e.target.0)
        && f.target_id.is_none_or(|t| t == e.target.1)
        && f.from.is_none_or(|d| day >= d)
        && f.to.is_none_or(|d| day <= d)
        && f.q.as_ref().is_none_or(|q| e.reason.to_lowercase().contains(&q.to_lowercase()))
}

fn expected(events: &[Ev], f: &ActivityFilter) -> Vec<i64> {
    let mut ids: Vec<i64> = events.iter().filter(|e| matches(e, f)).map(|e| e.id).collect();
    ids.reverse();
    ids
}

/// Every page of `filter` through the API, `limit` at a time; the ids in order.
async fn walk(app: &TestApp, token: &str, f: &ActivityFilter, limit: i64) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..500 {
        let mut path = format!("/activity?{}&limit={limit}", f.to_query());
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let (status, page) = app.call("GET", &path, token, None).await;
        assert_eq!(status, 200, "{path}: {page}");
        ids.extend(page["events"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return ids,
        }
    }
    panic!("pagination never ended for {f:?}");
}

fn filters(d: NaiveDate) -> Vec<ActivityFilter> {
    let f = ActivityFilter::default;
    vec![
        f(),
        ActivityFilter { actor: Some("sales@example.com".into()), ..f() },
        ActivityFilter { action: Some("trial.extend".into()), ..f() },
        ActivityFilter { customer_id: Some(1), ..f() },
        ActivityFilter { target_type: Some("namespace".into()), target_id: Some(3), ..f() },
        ActivityFilter { target_type: Some("subscription".into()), ..f() },
        ActivityFilter {
            from: Some(d - Duration::days(20)),
            to: Some(d - Duration::days(12)),
            ..f()
        },
        ActivityFilter { from: Some(d - Duration::days(3)), ..f() },
        ActivityFilter { q: Some("RENEWAL".into()), ..f() },
        ActivityFilter { q: Some("50%_".into()), ..f() },
        ActivityFilter {
            actor: Some("lead@example.com".into()),
            action: Some("extension.issue".into()),
            ..f()
        },
        ActivityFilter {
            customer_id: Some(2),
            from: Some(d - Duration::days(15)),
            q: Some("billing".into()),
            ..f()
        },
        ActivityFilter {
            actor: Some("support@example.com".into()),
            q: Some("renew".into()),
            to: Some(d - Duration::days(10)),
            ..f()
        },
        ActivityFilter { actor: Some("nobody@example.com".into()), ..f() },
        ActivityFilter { from: Some(d + Duration::days(1)), ..f() },
    ]
}

async fn filters_and_pages_match_the_data(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    fixture::load(&t.db).await;
    let events = history(t).await;
    let (_, token) = staff_token(&t.db, Role::Billing).await;
    for f in filters(today()) {
        let want = expected(&events, &f);
        for limit in [7, 50] {
            assert_eq!(walk(&app, &token, &f, limit).await, want, "filter {f:?}, limit {limit}");
        }
    }
    let (status, page) = app.call("GET", "/activity", &token, None).await;
    assert_eq!(
        (status, page["events"].as_array().unwrap().len()),
        (200, 50),
        "50 per page by default"
    );
    assert_eq!(page["events"][0]["id"], 150, "newest first");
}

async fn pages_hold_while_new_events_arrive(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    fixture::load(&t.db).await;
    let events = history(t).await;
    let (_, token) = staff_token(&t.db, Role::Billing).await;
    let f = ActivityFilter { actor: Some("support@example.com".into()), ..Default::default() };
    let want = expected(&events, &f);

    let (_, first) =
        app.call("GET", &format!("/activity?{}&limit=10", f.to_query()), &token, None).await;
    let mut seen: Vec<i64> =
        first["events"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
    let top = seen[0];
    // Three new events by support and one by someone else, between two page loads.
    for (email, id) in [
        ("support@example.com", 1),
        ("lead@example.com", 3),
        ("support@example.com", 1),
        ("support@example.com", 1),
    ] {
        let mut tx = t.db.begin().await.unwrap();
        record(
            &mut tx,
            EventBody {
                actor_id: Some(id),
                actor_email: email.into(),
                customer_id: Some(1),
                reason: "arrived meanwhile".into(),
                source: EventSource::Console,
                ..fixture::system_event(Action::ExtendTrial, TargetType::Namespace, 3)
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let mut cursor = first["next_cursor"].as_str().map(str::to_string);
    while let Some(c) = cursor {
        let (_, page) = app
            .call("GET", &format!("/activity?{}&limit=10&cursor={c}", f.to_query()), &token, None)
            .await;
        seen.extend(page["events"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()));
        cursor = page["next_cursor"].as_str().map(str::to_string);
    }
    assert_eq!(seen, want, "no duplicates and no gaps across pages");
    // What a live timeline fetches next: exactly the new events of its filter.
    let new: Vec<i64> = query::since(&t.db, &f, top).await.unwrap().iter().map(|e| e.id).collect();
    assert_eq!(new, [154, 153, 151]);
    // Time never runs backwards along the chain.
    let times: Vec<DateTime<Utc>> = app::on_db!(&t.db, |p| sqlx::query_scalar(
        "SELECT occurred_at FROM activity_events ORDER BY id"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
}

async fn csv_export_is_the_filtered_set(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    fixture::load(&t.db).await;
    let events = history(t).await;
    let (_, token) = staff_token(&t.db, Role::Billing).await;
    for f in filters(today()) {
        let response = app
            .client
            .get(app.url(&format!("/api/v1/activity.csv?{}", f.to_query())))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        assert!(response.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
        let rows = csv::parse(&response.text().await.unwrap());
        assert_eq!(rows[0].join(","), csv::HEADER.trim_end());
        let ids: Vec<i64> = rows[1..].iter().map(|r| r[0].parse().unwrap()).collect();
        assert_eq!(ids, expected(&events, &f), "export of {f:?}");
        for row in &rows[1..] {
            let e = &events[(row[0].parse::<i64>().unwrap() - 1) as usize];
            assert_eq!(
                (row[2].as_str(), row[3].as_str(), row[7].as_str()),
                (e.actor.as_str(), e.action, e.reason)
            );
        }
    }
    let (status, body) = app.call("GET", "/activity.csv?from=yesterday", &token, None).await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["from"].is_string(), "{body}");
}

async fn bad_requests_name_the_parameter(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    let (_, token) = staff_token(&t.db, Role::Sales).await;
    for (path, field) in [
        ("/activity?customer_id=abc", "customer_id"),
        ("/activity?from=2026-11-27&to=2026-11-01", "to"),
        ("/activity?target_type=planet", "target_type"),
        ("/activity?limit=0", "limit"),
        ("/activity?limit=5000", "limit"),
        ("/activity?cursor=xyz", "cursor"),
        ("/activity?action=DROP%20TABLE", "action"),
    ] {
        let (status, body) = app.call("GET", path, &token, None).await;
        assert_eq!(status, 422, "{path}: {body}");
        assert!(body["error"]["fields"][field].is_string(), "{path}: {body}");
    }
    let (status, _) = app.call("GET", "/activity", "fc_not-a-token", None).await;
    assert_eq!(status, 401);
}

fn event(i: i64) -> EventBody {
    EventBody {
        reason: format!("event {i}"),
        ..fixture::system_event(Action::ExpireApproval, TargetType::ApprovalRequest, i)
    }
}

async fn verify(app: &TestApp, token: &str) -> Value {
    let (status, report) = app.call("GET", "/activity/verify", token, None).await;
    assert_eq!(status, 200);
    report
}

/// The whole chain walked now (what `server audit verify` and the hourly walk do), as JSON.
async fn full_walk(t: &TestDb) -> Value {
    serde_json::to_value(chain::verify(&t.db).await.unwrap()).unwrap()
}

async fn tampering_is_reported(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    let (_, token) = staff_token(&t.db, Role::Lead).await;
    for i in 1..=6 {
        let mut tx = t.db.begin().await.unwrap();
        record(&mut tx, event(i)).await.unwrap();
        tx.commit().await.unwrap();
    }
    let report = verify(&app, &token).await;
    assert_eq!(
        (report["holds"].as_bool(), report["checked"].as_u64()),
        (Some(true), Some(6)),
        "{report}"
    );

    // An edited field.
    common::tamper(&t.db, "UPDATE activity_events SET reason = 'nothing to see' WHERE id = 3")
        .await;
    let report = full_walk(t).await;
    assert_eq!(
        (report["holds"].as_bool(), report["first_broken"]["id"].as_i64()),
        (Some(false), Some(3)),
        "{report}"
    );
    assert_eq!(report["checked"], 2);
    common::tamper(&t.db, "UPDATE activity_events SET reason = 'event 3' WHERE id = 3").await;
    assert_eq!(full_walk(t).await["holds"], true);

    // Two events swapped.
    common::tamper(&t.db, "UPDATE activity_events SET id = 100 WHERE id = 2").await;
    common::tamper(&t.db, "UPDATE activity_events SET id = 2 WHERE id = 4").await;
    common::tamper(&t.db, "UPDATE activity_events SET id = 4 WHERE id = 100").await;
    let report = full_walk(t).await;
    assert_eq!(report["first_broken"]["id"], 2, "{report}");
    common::tamper(&t.db, "UPDATE activity_events SET id = 100 WHERE id = 2").await;
    common::tamper(&t.db, "UPDATE activity_events SET id = 2 WHERE id = 4").await;
    common::tamper(&t.db, "UPDATE activity_events SET id = 4 WHERE id = 100").await;
    assert_eq!(full_walk(t).await["holds"], true);

    // A deleted event in the middle.
    common::tamper(&t.db, "DELETE FROM activity_events WHERE id = 5").await;
    let report = full_walk(t).await;
    assert_eq!(
        (report["first_broken"]["id"].as_i64(), report["checked"].as_u64()),
        (Some(6), Some(4)),
        "{report}"
    );
    assert!(report["first_broken"]["problem"].as_str().unwrap().contains("missing"));

    // The newest event deleted: the API's incremental check finds the head it verified gone.
    common::tamper(&t.db, "DELETE FROM activity_events WHERE id = 6").await;
    let report = verify(&app, &token).await;
    assert_eq!(
        (report["holds"].as_bool(), report["first_broken"]["id"].as_i64()),
        (Some(false), Some(6)),
        "{report}"
    );
    assert!(report["first_broken"]["problem"].as_str().unwrap().contains("deleted"), "{report}");
}

async fn the_badge_checks_new_events_between_full_walks(t: &TestDb) {
    let append = |i: i64| {
        let db = t.db.clone();
        async move {
            let mut tx = db.begin().await.unwrap();
            record(&mut tx, event(i)).await.unwrap();
            tx.commit().await.unwrap();
        }
    };
    for i in 1..=3 {
        append(i).await;
    }
    let cache = chain::ChainCache::default();
    let fresh = Duration::zero();
    assert_eq!(cache.report(&t.db, fresh).await.unwrap().checked, 3);
    append(4).await;
    append(5).await;
    // Within its age the cached report stands; past it, the two new events are checked.
    assert_eq!(cache.report(&t.db, Duration::minutes(1)).await.unwrap().checked, 3);
    assert_eq!(cache.report(&t.db, fresh).await.unwrap().checked, 5);
    // A newly appended event that was tampered with is caught by the next check.
    append(6).await;
    common::tamper(&t.db, "UPDATE activity_events SET reason = 'changed' WHERE id = 6").await;
    let report = cache.report(&t.db, fresh).await.unwrap();
    assert_eq!((report.holds, report.first_broken.map(|b| b.id)), (false, Some(6)));
    // Once broken, every check walks the whole chain again.
    common::tamper(&t.db, "UPDATE activity_events SET reason = 'event 6' WHERE id = 6").await;
    assert!(cache.report(&t.db, fresh).await.unwrap().holds);
}

async fn two_instances_write_one_chain(t: &TestDb) {
    // A second server instance: its own pool on the same database.
    let other = app::store::connect(&t.url, 4).await.unwrap();
    let mut handles = Vec::new();
    for i in 0..30 {
        let db = if i % 2 == 0 { t.db.clone() } else { other.clone() };
        handles.push(tokio::spawn(async move {
            let mut tx = db.begin().await.unwrap();
            record(&mut tx, event(i)).await.unwrap();
            tx.commit().await.unwrap();
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let report = chain::verify(&t.db).await.unwrap();
    assert!(report.holds, "{report:?}");
    assert_eq!(report.checked, 30);
    let times: Vec<DateTime<Utc>> = app::on_db!(&t.db, |p| sqlx::query_scalar(
        "SELECT occurred_at FROM activity_events ORDER BY id"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "time runs forward along the chain");
}

async fn state_as_of_a_past_moment(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    fixture::load(&t.db).await;
    let (_, support) = staff_token(&t.db, Role::Support).await;
    let patch = |version: i64, fields: Value| {
        let mut body = json!({"version": version, "reason": "customer asked", "ticket_url": "https://support.example.com/tickets/1", "requester": "ops@acme.example"});
        for (k, v) in fields.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let (status, _) =
        app.call("PATCH", "/subscriptions/1", &support, Some(patch(1, json!({"seats": 12})))).await;
    assert_eq!(status, 200);
    let (_, page) =
        app.call("GET", "/activity?target_type=subscription&target_id=1", &support, None).await;
    let first_at = page["events"][0]["occurred_at"].as_str().unwrap().to_string();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let (status, _) = app
        .call(
            "PATCH",
            "/subscriptions/1",
            &support,
            Some(patch(2, json!({"seats": 15, "auto_renew": false}))),
        )
        .await;
    assert_eq!(status, 200);

    let state = |at: String| {
        let app = &app;
        let support = support.clone();
        async move {
            let at = app::url::percent_encode(&at, app::url::COMPONENT);
            app.call(
                "GET",
                &format!("/activity/state?target_type=subscription&target_id=1&at={at}"),
                &support,
                None,
            )
            .await
        }
    };
    let field = |s: &Value, name: &str| {
        s["fields"].as_array().unwrap().iter().find(|f| f["name"] == name).cloned().unwrap()
    };
    // Between the two edits: the first applied, the second not yet.
    let (status, between) = state(first_at).await;
    assert_eq!(status, 200, "{between}");
    assert_eq!(
        (field(&between, "seats")["then"].clone(), field(&between, "seats")["now"].clone()),
        (json!(12), json!(15))
    );
    assert_eq!(field(&between, "auto_renew")["then"], json!(true));
    assert_eq!(between["events_after"], 1);
    // Before both.
    let (_, before) = state("2020-01-01T00:00".into()).await;
    assert_eq!(field(&before, "seats")["then"], json!(10));
    assert_eq!(before["events_after"], 2);

    let (status, body) = state("last tuesday".into()).await;
    assert_eq!((status, body["error"]["fields"]["at"].is_string()), (422, true));
    let (status, _) = app
        .call(
            "GET",
            "/activity/state?target_type=subscription&target_id=999&at=2026-01-01T00:00",
            &support,
            None,
        )
        .await;
    assert_eq!(status, 404);
}

async fn dashboard_counts_the_period(t: &TestDb) {
    fixture::load(&t.db).await;
    let events = history(t).await;
    let d = app::dashboard::server::dashboard(&t.db, &Default::default(), today()).await.unwrap();
    let from = today() - Duration::days(29);
    let inside: Vec<&Ev> = events.iter().filter(|e| e.at.date_naive() >= from).collect();
    assert_eq!(d.total, inside.len() as i64);
    assert_eq!(d.per_day.len(), 30);
    for day in &d.per_day {
        assert_eq!(
            day.count,
            inside.iter().filter(|e| e.at.date_naive() == day.day).count() as i64,
            "{}",
            day.day
        );
    }
    for c in &d.by_action {
        assert_eq!(
            c.count,
            inside.iter().filter(|e| e.action == c.key).count() as i64,
            "{}",
            c.key
        );
    }
    assert_eq!(
        d.extensions_issued,
        inside.iter().filter(|e| e.action == "extension.issue").count() as i64
    );
    assert_eq!(d.by_actor.iter().map(|c| c.count).sum::<i64>(), d.total);
    assert_eq!(d.pending_approvals, 0);
}

on_both_backends!(
    filters_and_pages_match_the_data,
    pages_hold_while_new_events_arrive,
    csv_export_is_the_filtered_set,
    bad_requests_name_the_parameter,
    tampering_is_reported,
    the_badge_checks_new_events_between_full_walks,
    two_instances_write_one_chain,
    state_as_of_a_past_moment,
    dashboard_counts_the_period,
);

#[tokio::test]
async fn openapi_lists_the_activity_routes() {
    let doc = serde_json::to_value(app::api::openapi()).unwrap();
    for path in [
        "/api/v1/activity",
        "/api/v1/activity.csv",
        "/api/v1/activity/verify",
        "/api/v1/activity/state",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} missing");
    }
}
