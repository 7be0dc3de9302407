//! One policy on every path: the same change refused or allowed alike whether it comes
//! through the JSON API, the UI's server function, an undo, or an approved request run
//! later. Each test made the change through a second door on the earlier code.
use crate::common;

use app::domain::{OpRequest, Operation, Role};
use common::fixture::{self, *};
use common::{FnBody, TestApp, TestDb};
use serde_json::{json, Value};

const TICKET: &str = "https://support.example.com/tickets/28";

fn body(fields: Value) -> Value {
    let mut b = json!({"reason": "customer asked on the phone", "ticket_url": TICKET, "requester": OWNER_CONTACT});
    for (k, v) in fields.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

fn asked(op: Operation) -> OpRequest {
    OpRequest::asked(
        op,
        "customer asked on the phone".into(),
        Some(TICKET.into()),
        Some(OWNER_CONTACT.into()),
    )
}

/// Calls the UI's server function `run_operation` as staff member `id`, with a fresh
/// session and its CSRF token; the status and JSON body. `request` is raw JSON, so a
/// test can send what the browser's types would not.
async fn run_fn(app: &TestApp, id: i64, request: Value) -> (u16, Value) {
    let body = FnBody::Json(json!({ "request": request }));
    app.server_fn_json(&app.session_of(id).await, "/api/ops/run", &body).await
}

async fn text(t: &TestDb, sql: &str) -> Option<String> {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    app::on_db!(&t.db, |p| sqlx::query_scalar::<_, Option<String>>(sql).fetch_one(p).await).unwrap()
}

async fn end_of(t: &TestDb, sub: i64) -> String {
    text(t, &format!("SELECT CAST(end_date AS TEXT) FROM subscriptions WHERE id = {sub}"))
        .await
        .unwrap()
}

/// The wizard's server function once took the day the extension counts from from its
/// caller: a SaaS subscription ending in 200 days, "asked for" five days before its end,
/// was extended at once. The day is the server's now: the wire type cannot carry it.
async fn the_day_an_extension_counts_from_is_the_servers(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = TestApp::spawn(t).await;
    let (sales, token) = staff_token(&t.db, Role::Sales).await;
    let end_before = end_of(t, SUB_MAIN).await;
    let five_days_before_end =
        (end_before.parse::<chrono::NaiveDate>().unwrap() - chrono::Duration::days(5)).to_string();
    let op = json!({"action": "extension.issue", "subscription_id": SUB_MAIN, "days": 21,
        "users_count": 10, "opportunity_id": "OPP-28", "requested_on": five_days_before_end});
    let request = json!({"op": op, "reason": "blocked at renewal", "ticket_url": TICKET});
    let (status, answer) = run_fn(&app, sales, request).await;
    assert_eq!(status, 422, "{answer}");
    let (status, answer) = app
        .call(
            "POST",
            "/extensions",
            &token,
            Some(json!({"subscription_id": SUB_MAIN, "days": 21,
            "users_count": 10, "reason": "blocked at renewal", "opportunity_id": "OPP-28"})),
        )
        .await;
    assert_eq!(status, 422, "the API refuses it alike: {answer}");
    assert_eq!(end_of(t, SUB_MAIN).await, end_before);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM temporary_extensions").await, 0);
}

/// Billing may not change auto-renew directly, so it may not by undoing a lead's change
/// either, through the API or the server function; support may.
async fn undo_needs_the_permission_of_the_change_it_makes(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = TestApp::spawn(t).await;
    let (_, lead) = staff_token(&t.db, Role::Lead).await;
    let (billing_id, billing) = staff_token(&t.db, Role::Billing).await;
    let (_, support) = staff_token(&t.db, Role::Support).await;
    let (status, edited) = app
        .call(
            "PATCH",
            &format!("/subscriptions/{SUB_MAIN}"),
            &lead,
            Some(body(json!({"version": 1, "auto_renew": false}))),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    let event = t.scalar("SELECT MAX(id) FROM activity_events").await;
    let undo = format!("/activity/{event}/undo");

    let (status, refused) = app.call("POST", &undo, &billing, Some(body(json!({})))).await;
    assert_eq!(status, 403, "{refused}");
    assert!(refused["error"]["message"].as_str().unwrap().contains("auto-renew"), "{refused}");
    let (status, refused) = run_fn(
        &app,
        billing_id,
        serde_json::to_value(asked(Operation::Undo { event_id: event })).unwrap(),
    )
    .await;
    assert_eq!(status, 403, "the server function refuses it alike: {refused}");
    let renews = "SELECT COUNT(*) FROM subscriptions WHERE id = 1 AND auto_renew";
    assert_eq!(t.scalar(renews).await, 0, "nothing was undone");

    let (status, done) = app.call("POST", &undo, &support, Some(body(json!({})))).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(t.scalar(renews).await, 1);
}

/// An undo meets the rules a direct change meets: a cancelled subscription cannot be
/// made active again by an edit, so not by undoing its cancellation either.
async fn undo_meets_the_rules_of_the_change_it_makes(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = TestApp::spawn(t).await;
    let (_, lead) = staff_token(&t.db, Role::Lead).await;
    let (status, direct) = app
        .call(
            "PATCH",
            &format!("/subscriptions/{SUB_ORPHAN}"),
            &lead,
            Some(body(json!({"version": 1, "status": "cancelled"}))),
        )
        .await;
    assert_eq!(status, 200, "{direct}");
    let event = t.scalar("SELECT MAX(id) FROM activity_events").await;
    let (status, again) = app
        .call(
            "PATCH",
            &format!("/subscriptions/{SUB_ORPHAN}"),
            &lead,
            Some(body(json!({"version": 2, "status": "active"}))),
        )
        .await;
    assert_eq!(status, 422, "a direct edit may not: {again}");
    let (status, undone) =
        app.call("POST", &format!("/activity/{event}/undo"), &lead, Some(body(json!({})))).await;
    assert_eq!(status, 422, "nor may its undo: {undone}");
    assert!(undone["error"]["fields"]["status"].is_string(), "{undone}");
    let cancelled = format!(
        "SELECT COUNT(*) FROM subscriptions WHERE id = {SUB_ORPHAN} AND status = 'cancelled'"
    );
    assert_eq!(t.scalar(&cancelled).await, 1);
}

/// What the trial policy counts survives an end and a reactivation: a trial extended
/// twice cannot be reactivated and extended twice more without a lead.
async fn reactivation_keeps_the_trial_counted(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = TestApp::spawn(t).await;
    let (_, support) = staff_token(&t.db, Role::Support).await;
    let (_, lead) = staff_token(&t.db, Role::Lead).await;
    let trial = |op: &str| format!("/namespaces/{NS_TRIAL}/trial/{op}");
    for _ in 0..2 {
        let (status, out) =
            app.call("POST", &trial("extend"), &support, Some(body(json!({"days": 10})))).await;
        assert_eq!(status, 200, "{out}");
    }
    let (status, out) = app.call("POST", &trial("end"), &support, Some(body(json!({})))).await;
    assert_eq!(status, 200, "{out}");
    let (status, filed) =
        app.call("POST", &trial("reactivate"), &support, Some(body(json!({})))).await;
    assert_eq!(status, 202, "a trial extended before needs a lead to run again: {filed}");
    assert!(filed["preview"]["approval"].as_str().unwrap().contains("extended before"), "{filed}");
    let approval = filed["approval_id"].as_i64().unwrap();
    let (status, decided) = app
        .call(
            "POST",
            &format!("/approvals/{approval}/approve"),
            &lead,
            Some(json!({"note": "one more run"})),
        )
        .await;
    assert_eq!(status, 200, "{decided}");
    let counted = format!("SELECT trial_extensions_used * 1000 + trial_extra_days * 10 + trial_reactivations FROM namespaces WHERE id = {NS_TRIAL}");
    assert_eq!(
        t.scalar(&counted).await,
        2 * 1000 + 20 * 10 + 1,
        "extensions, extra days, reactivations"
    );
    let (status, filed) =
        app.call("POST", &trial("extend"), &support, Some(body(json!({"days": 1})))).await;
    assert_eq!(status, 202, "a third extension still needs a lead: {filed}");
    // A trial reactivated before (and never extended) needs a lead to run again too.
    let ended = format!(
        "UPDATE namespaces SET plan = 'free', trial_starts_on = '{}', trial_ends_on = '{}', trial_extensions_used = 0, trial_extra_days = 0
         WHERE id = {NS_OLD_TRIAL}",
        fixture::today() - chrono::Duration::days(40),
        fixture::today() - chrono::Duration::days(10),
    );
    t.db.execute(sqlx::AssertSqlSafe(ended)).await.unwrap();
    let again = format!("/namespaces/{NS_OLD_TRIAL}/trial/reactivate");
    let (status, out) = app.call("POST", &again, &support, Some(body(json!({})))).await;
    assert_eq!(status, 200, "the first reactivation goes through: {out}");
    let (status, out) = app
        .call(
            "POST",
            &format!("/namespaces/{NS_OLD_TRIAL}/trial/end"),
            &support,
            Some(body(json!({}))),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    let back = format!(
        "UPDATE namespaces SET plan = 'free', trial_plan = 'premium', trial_starts_on = '{}', trial_ends_on = '{}' WHERE id = {NS_OLD_TRIAL}",
        fixture::today() - chrono::Duration::days(40),
        fixture::today() - chrono::Duration::days(10),
    );
    t.db.execute(sqlx::AssertSqlSafe(back)).await.unwrap();
    let (status, filed) = app.call("POST", &again, &support, Some(body(json!({})))).await;
    assert_eq!(status, 202, "{filed}");
    assert!(
        filed["preview"]["approval"].as_str().unwrap().contains("reactivated before"),
        "{filed}"
    );
}

/// An approved request runs as its requester only while they are active and their role
/// may still ask for it; the request then stays pending for someone to reject.
async fn an_approval_runs_only_while_its_requester_may_ask(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = TestApp::spawn(t).await;
    let (support_id, support) = staff_token(&t.db, Role::Support).await;
    let (sales_id, sales) = staff_token(&t.db, Role::Sales).await;
    let (_, lead) = staff_token(&t.db, Role::Lead).await;
    let extend = format!("/namespaces/{NS_TRIAL}/trial/extend");
    for _ in 0..2 {
        let (status, out) =
            app.call("POST", &extend, &support, Some(body(json!({"days": 3})))).await;
        assert_eq!(status, 200, "{out}");
    }
    let (status, by_support) =
        app.call("POST", &extend, &support, Some(body(json!({"days": 3})))).await;
    assert_eq!(status, 202, "{by_support}");
    let (status, by_sales) =
        app.call("POST", &extend, &sales, Some(body(json!({"days": 4})))).await;
    assert_eq!(status, 202, "{by_sales}");
    let ends = format!("SELECT CAST(trial_ends_on AS TEXT) FROM namespaces WHERE id = {NS_TRIAL}");
    let ends_before = text(t, &ends).await;

    let leave = format!("UPDATE staff_users SET active = FALSE WHERE id = {support_id}");
    t.db.execute(sqlx::AssertSqlSafe(leave)).await.unwrap();
    let approve = |id: &Value| format!("/approvals/{}/approve", id.as_i64().unwrap());
    let (status, refused) = app
        .call("POST", &approve(&by_support["approval_id"]), &lead, Some(json!({"note": "fine"})))
        .await;
    assert_eq!(status, 409, "{refused}");
    assert!(
        refused["error"]["message"].as_str().unwrap().contains("no longer an active"),
        "{refused}"
    );

    let moved = format!("UPDATE staff_users SET role = 'billing' WHERE id = {sales_id}");
    t.db.execute(sqlx::AssertSqlSafe(moved)).await.unwrap();
    let (status, refused) = app
        .call("POST", &approve(&by_sales["approval_id"]), &lead, Some(json!({"note": "fine"})))
        .await;
    assert_eq!(status, 409, "{refused}");
    assert!(
        refused["error"]["message"].as_str().unwrap().contains("may no longer ask"),
        "{refused}"
    );

    assert_eq!(text(t, &ends).await, ends_before, "neither request ran");
    let pending = "SELECT COUNT(*) FROM approval_requests WHERE status = 'pending'";
    assert_eq!(t.scalar(pending).await, 2);
}

on_both_backends!(
    the_day_an_extension_counts_from_is_the_servers,
    undo_needs_the_permission_of_the_change_it_makes,
    undo_meets_the_rules_of_the_change_it_makes,
    reactivation_keeps_the_trial_counted,
    an_approval_runs_only_while_its_requester_may_ask,
);
