//! Temporary extensions over the JSON API, on both backends: eligibility rules at their
//! boundaries, the days policy and approvals, one extension per term (also under
//! concurrency), refusals on the timeline, roles, the watchlist, and signed licenses
//! (round trip and tampering, by the API and by `server license verify`).
use crate::common;

use app::domain::Role;
use chrono::Duration;
use common::fixture::{self, staff_token, staff_token_named, today};
use common::{TestApp, TestDb};
use serde_json::{json, Value};

/// Self-managed, license expires in 15 days (the last day of the window).
const SM_DAY_15: i64 = 20;
/// Self-managed, license expires in 16 days (one day outside).
const SM_DAY_16: i64 = 21;
/// SaaS, ends in 13 days (the last day of the window); 48 seats in use of 40.
const SAAS_DAY_13: i64 = 22;
/// SaaS, ends in 14 days.
const SAAS_DAY_14: i64 = 23;
/// Self-managed on a trial license expiring in 5 days.
const SM_TRIAL: i64 = 24;
/// SaaS ending in 5 days whose namespace runs a trial.
const SAAS_TRIAL: i64 = 25;
/// Self-managed whose license lapsed 5 days ago (status expired).
const SM_LAPSED: i64 = 26;

fn day(offset: i64) -> String {
    (today() + Duration::days(offset)).to_string()
}

async fn setup(t: &TestDb) -> TestApp {
    fixture::load(&t.db).await;
    let mut sql = Vec::new();
    let mut sub = |id: i64, deployment: &str, end: i64, status: &str| {
        sql.push(format!(
            "INSERT INTO subscriptions (id, number, billing_account_id, customer_id, product, deployment, seats, start_date, end_date, status, auto_renew)
             VALUES ({id}, 'A-S{id:08}', 1, 1, 'premium', '{deployment}', 40, '{}', '{}', '{status}', FALSE)",
            day(end - 365),
            day(end)
        ));
    };
    sub(SM_DAY_15, "self_managed", 15, "active");
    sub(SM_DAY_16, "self_managed", 16, "active");
    sub(SAAS_DAY_13, "saas", 13, "active");
    sub(SAAS_DAY_14, "saas", 14, "active");
    sub(SM_TRIAL, "self_managed", 5, "active");
    sub(SAAS_TRIAL, "saas", 5, "active");
    sub(SM_LAPSED, "self_managed", -5, "expired");
    let license = |id: i64, kind: &str, end: i64| {
        format!(
            "INSERT INTO licenses (id, subscription_id, customer_id, kind, users, starts_on, expires_on, key, issued_at)
             VALUES ({id}, {id}, 1, '{kind}', 40, '{}', '{}', 'KEY{id}-AAAAA-BBBBB-CCCCC-DDDDD', '2026-01-01T00:00:00Z')",
            day(end - 365),
            day(end)
        )
    };
    sql.push(license(SM_DAY_15, "standard", 15));
    sql.push(license(SM_DAY_16, "standard", 16));
    sql.push(license(SM_TRIAL, "trial", 5));
    sql.push(license(SM_LAPSED, "standard", -5));
    sql.push(format!(
        "INSERT INTO namespaces (id, path, name, customer_id, plan, subscription_id, seats_in_use, max_seats_used)
         VALUES (20, 'acme-renew', 'Acme renew', 1, 'premium', {SAAS_DAY_13}, 48, 48)"
    ));
    sql.push(format!(
        "INSERT INTO namespaces (id, path, name, customer_id, plan, subscription_id, trial_plan, trial_starts_on, trial_ends_on, seats_in_use, max_seats_used)
         VALUES (21, 'acme-trying', 'Acme trying', 1, 'premium', {SAAS_TRIAL}, 'ultimate', '{}', '{}', 3, 3)",
        day(-10),
        day(20)
    ));
    for s in sql {
        t.db.execute(sqlx::AssertSqlSafe(s)).await.expect("extension fixture");
    }
    TestApp::spawn(t).await
}

fn body(subscription: i64, days: i64) -> Value {
    json!({
        "subscription_id": subscription,
        "days": days,
        "users_count": 45,
        "reason": "Renewal PO waits for the customer's procurement",
        "opportunity_id": "006Dn00000AbCdE",
    })
}

async fn refusals(t: &TestDb, subscription: i64) -> i64 {
    t.scalar(&format!("SELECT COUNT(*) FROM activity_events WHERE action = 'extension.refuse' AND target_id = {subscription}")).await
}

async fn chain_holds(t: &TestDb) {
    let report = app::audit::chain::verify(&t.db).await.unwrap();
    assert_eq!(report.first_broken, None);
}

async fn rules_at_their_boundaries(t: &TestDb) {
    let app = setup(t).await;
    let (sales_id, sales) = staff_token(&t.db, Role::Sales).await;

    // Self-managed: day 15 is inside the window, day 16 outside.
    let (status, issued) = app.call("POST", "/extensions", &sales, Some(body(SM_DAY_15, 14))).await;
    assert_eq!(status, 201, "{issued}");
    assert_eq!(issued["status"], "issued");
    let license = &issued["license"];
    assert_eq!(license["users"], 45);
    assert_eq!(license["starts_on"], day(0));
    assert_eq!(license["expires_on"], day(29), "continues from the old expiry");
    let fields = app
        .key
        .verify(license["certificate"].as_str().unwrap())
        .expect("signed by the server's key");
    assert_eq!(
        (fields.users, fields.subscription.as_str(), fields.issued_by.as_str()),
        (45, "A-S00000020", "sales@example.com")
    );
    assert_eq!(t.scalar(&format!("SELECT COUNT(*) FROM licenses WHERE subscription_id = {SM_DAY_15} AND kind = 'temporary_extension' AND issued_by = {sales_id}")).await, 1);
    let event = t.scalar(&format!("SELECT COUNT(*) FROM activity_events WHERE action = 'extension.issue' AND target_id = {SM_DAY_15} AND reason LIKE 'Renewal PO%'")).await;
    assert_eq!(event, 1);

    let (status, refused) =
        app.call("POST", "/extensions", &sales, Some(body(SM_DAY_16, 14))).await;
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused["error"]["fields"]["rules.window"].as_str().unwrap().contains("in 16 days"),
        "{refused}"
    );
    assert_eq!(refusals(t, SM_DAY_16).await, 1, "the refusal is on the timeline");

    // SaaS: day 13 inside, day 14 outside; the end date moves and the true-up shows.
    let (status, saas) = app.call("POST", "/extensions", &sales, Some(body(SAAS_DAY_13, 14))).await;
    assert_eq!(status, 201, "{saas}");
    assert_eq!(saas["new_end"], day(27));
    assert!(saas["license"].is_null());
    let (_, eligibility_after) =
        app.call("GET", &format!("/customers/{}", fixture::CUSTOMER), &sales, None).await;
    let moved = eligibility_after["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == SAAS_DAY_13)
        .unwrap()
        .clone();
    assert_eq!(moved["end_date"], day(27));
    let (status, refused) =
        app.call("POST", "/extensions", &sales, Some(body(SAAS_DAY_14, 14))).await;
    assert_eq!(status, 422);
    assert!(refused["error"]["fields"]["rules.window"].is_string());

    // A second extension in the same term.
    let (status, again) = app.call("POST", "/extensions", &sales, Some(body(SM_DAY_15, 7))).await;
    assert_eq!(status, 422);
    assert!(
        again["error"]["fields"]["rules.once_per_term"].as_str().unwrap().contains(&day(0)),
        "{again}"
    );
    assert_eq!(refusals(t, SM_DAY_15).await, 1);

    // Trials are extended with trial controls, not here.
    for sub in [SM_TRIAL, SAAS_TRIAL] {
        let (status, refused) = app.call("POST", "/extensions", &sales, Some(body(sub, 10))).await;
        assert_eq!(status, 422, "{refused}");
        assert!(refused["error"]["fields"]["rules.not_trial"].is_string(), "{refused}");
    }
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM temporary_extensions").await,
        2,
        "only the two issued ones"
    );
    chain_holds(t).await;
}

async fn days_policy_and_approval(t: &TestDb) {
    let app = setup(t).await;
    let (_, sales) = staff_token(&t.db, Role::Sales).await;
    let (_, lead) = staff_token(&t.db, Role::Lead).await;

    // Bad fields are named; over 30 days is a refusal on the timeline.
    let (status, bad) = app.call("POST", "/extensions", &sales, Some(json!({
        "subscription_id": SM_DAY_15, "days": 31, "users_count": 0, "reason": "x", "opportunity_id": "no spaces",
    }))).await;
    assert_eq!(status, 422);
    let fields = bad["error"]["fields"].as_object().unwrap();
    for f in ["days", "users_count", "opportunity_id"] {
        assert!(fields.contains_key(f), "{bad}");
    }
    assert_eq!(refusals(t, SM_DAY_15).await, 1);
    let (status, _) =
        app.call("POST", "/extensions", &sales, Some(json!({"subscription_id": SM_DAY_15}))).await;
    assert_eq!(status, 422, "missing fields");

    // 22 days: filed for a lead; nothing issued yet.
    let (status, pending) =
        app.call("POST", "/extensions", &sales, Some(body(SM_DAY_15, 22))).await;
    assert_eq!(status, 202, "{pending}");
    let approval = pending["approval_id"].as_i64().unwrap();
    assert_eq!(t.scalar("SELECT COUNT(*) FROM temporary_extensions").await, 0);
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM licenses WHERE kind = 'temporary_extension'").await,
        0
    );
    // The lead approves: the license is issued once, in the requester's name.
    let (status, decided) = app
        .call(
            "POST",
            &format!("/approvals/{approval}/approve"),
            &lead,
            Some(json!({"note": "PO confirmed"})),
        )
        .await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(decided["status"], "executed");
    let issued = t.scalar(&format!(
        "SELECT COUNT(*) FROM licenses l JOIN temporary_extensions x ON x.license_id = l.id
         WHERE l.subscription_id = {SM_DAY_15} AND x.approval_id = {approval} AND l.expires_on = '{}' AND l.certificate IS NOT NULL",
        day(37)
    )).await;
    assert_eq!(issued, 1);
    let event = t.scalar(&format!("SELECT COUNT(*) FROM activity_events WHERE action = 'extension.issue' AND approval_id = {approval} AND actor_email = 'sales@example.com'")).await;
    assert_eq!(event, 1);
    let (status, _) = app
        .call(
            "POST",
            &format!("/approvals/{approval}/approve"),
            &lead,
            Some(json!({"note": "again"})),
        )
        .await;
    assert_eq!(status, 409, "runs once");
    chain_holds(t).await;
}

async fn one_extension_per_term_under_concurrency(t: &TestDb) {
    let app = setup(t).await;
    let (_, sales) = staff_token(&t.db, Role::Sales).await;
    let (_, sales2) = staff_token_named(&t.db, Role::Sales, "sales2").await;
    let calls = (0..4).map(|i| {
        let token = if i % 2 == 0 { sales.clone() } else { sales2.clone() };
        let app = &app;
        async move { app.call("POST", "/extensions", &token, Some(body(SAAS_DAY_13, 10))).await.0 }
    });
    let statuses = futures::future::join_all(calls).await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| [201, 409, 422].contains(s)), "{statuses:?}");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM temporary_extensions").await, 1);
    assert_eq!(
        t.scalar(&format!(
            "SELECT COUNT(*) FROM subscriptions WHERE id = {SAAS_DAY_13} AND end_date = '{}'",
            day(23)
        ))
        .await,
        1
    );
    chain_holds(t).await;
}

async fn roles_and_watchlist(t: &TestDb) {
    let app = setup(t).await;
    let (_, sales) = staff_token(&t.db, Role::Sales).await;
    let (_, support) = staff_token(&t.db, Role::Support).await;
    let (_, billing) = staff_token(&t.db, Role::Billing).await;
    let (_, lead) = staff_token(&t.db, Role::Lead).await;
    for token in [&support, &billing] {
        assert_eq!(app.call("POST", "/extensions", token, Some(body(SM_DAY_15, 14))).await.0, 403);
        assert_eq!(app.call("GET", "/renewals", token, None).await.0, 403);
    }
    assert_eq!(t.scalar("SELECT COUNT(*) FROM activity_events").await, 0, "a 403 writes nothing");

    let (status, list) = app.call("GET", "/renewals", &sales, None).await;
    assert_eq!(status, 200, "{list}");
    let ids = |list: &Value, kind: &str| -> Vec<i64> {
        list["renewals"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["kind"] == kind)
            .map(|r| r["subscription_id"].as_i64().unwrap())
            .collect()
    };
    let ending = ids(&list, "subscription_ending");
    for id in [SM_DAY_15, SAAS_DAY_13, SAAS_DAY_14, SM_TRIAL, SAAS_TRIAL] {
        assert!(ending.contains(&id), "{id} ends within 15 days: {list}");
    }
    assert!(!ending.contains(&SM_DAY_16) || list["within_days"] == 16);
    assert!(
        list["renewals"][0]["days_left"].as_i64() <= list["renewals"][1]["days_left"].as_i64(),
        "soonest first"
    );
    let (_, wide) = app.call("GET", "/renewals?within_days=16&sort=-seats", &lead, None).await;
    assert!(ids(&wide, "subscription_ending").contains(&SM_DAY_16));
    assert_eq!(app.call("GET", "/renewals?within_days=500", &sales, None).await.0, 422);
    assert_eq!(app.call("GET", "/renewals?sort=password", &sales, None).await.0, 422);

    // A lapsed license extended by 3 days runs out within 7: it shows as expiring.
    let (status, issued) = app.call("POST", "/extensions", &lead, Some(body(SM_LAPSED, 3))).await;
    assert_eq!(status, 201, "{issued}");
    assert_eq!(issued["license"]["expires_on"], day(3));
    let (_, list) = app.call("GET", "/renewals", &sales, None).await;
    assert_eq!(ids(&list, "extension_expiring"), [SM_LAPSED]);
}

async fn licenses_verify_and_download(t: &TestDb) {
    let app = setup(t).await;
    let (_, sales) = staff_token(&t.db, Role::Sales).await;
    let (_, support) = staff_token(&t.db, Role::Support).await;
    let (_, issued) = app.call("POST", "/extensions", &sales, Some(body(SM_DAY_15, 10))).await;
    let certificate = issued["license"]["certificate"].as_str().unwrap().to_string();
    let id = issued["license"]["id"].as_i64().unwrap();

    let (status, fields) =
        app.call("POST", "/licenses/verify", &support, Some(json!({"license": certificate}))).await;
    assert_eq!(status, 200, "{fields}");
    assert_eq!(fields["license_id"], id);
    assert_eq!(fields["kind"], "temporary_extension");
    let tampered = certificate.replace("Users: 45", "Users: 450");
    let (status, refused) =
        app.call("POST", "/licenses/verify", &support, Some(json!({"license": tampered}))).await;
    assert_eq!(status, 422);
    assert!(
        refused["error"]["fields"]["license"].as_str().unwrap().contains("not valid"),
        "{refused}"
    );

    let response = app
        .client
        .get(app.url(&format!("/api/v1/licenses/{id}/file")))
        .bearer_auth(&support)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment; filename=\"license-"), "{disposition}");
    assert_eq!(response.text().await.unwrap(), certificate);
    let (status, _) = app.call("GET", "/licenses/999999/file", &support, None).await;
    assert_eq!(status, 404);

    // The same check from the command line, with the server's key file.
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("signing.key");
    std::fs::write(&key_file, app.key.to_file_text()).unwrap();
    let good = dir.path().join("good.txt");
    let bad = dir.path().join("bad.txt");
    std::fs::write(&good, &certificate).unwrap();
    std::fs::write(&bad, &tampered).unwrap();
    let run = |file: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(["license", "verify"])
            .arg(file)
            .arg("--license-key-file")
            .arg(&key_file)
            .output()
            .unwrap()
    };
    let ok = run(&good);
    let out = String::from_utf8_lossy(&ok.stdout);
    assert!(
        ok.status.success() && out.starts_with("VALID") && out.contains("A-S00000020"),
        "{out}"
    );
    let failed = run(&bad);
    assert!(!failed.status.success());
    assert!(
        String::from_utf8_lossy(&failed.stderr).contains("INVALID"),
        "{}",
        String::from_utf8_lossy(&failed.stderr)
    );
}

on_both_backends!(
    rules_at_their_boundaries,
    days_policy_and_approval,
    one_extension_per_term_under_concurrency,
    roles_and_watchlist,
    licenses_verify_and_download,
);

#[tokio::test]
async fn the_api_description_names_the_new_routes() {
    let t = TestDb::sqlite().await;
    let app = TestApp::spawn(&t).await;
    let doc: Value =
        app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    for path in [
        "/api/v1/extensions",
        "/api/v1/renewals",
        "/api/v1/licenses/verify",
        "/api/v1/licenses/{id}/file",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}
