//! Integrity end to end over the JSON API, on both backends: the scan finds each rule's
//! records exactly, each fix clears its finding with one event, a bulk fix runs only
//! what its dry run showed, operations refuse to create any finding, and only one
//! instance scans at a time.
use crate::common;

use app::checks::scan;
use app::domain::Role;
use common::fixture::{self, *};
use common::{TestApp, TestDb};
use serde_json::{json, Value};

const TICKET: &str = "https://support.example.com/tickets/77";

async fn events(t: &TestDb) -> i64 {
    t.scalar("SELECT COUNT(*) FROM activity_events").await
}

fn day(offset: i64) -> String {
    (fixture::today() + chrono::Duration::days(offset)).to_string()
}

/// Records that trip the rules the fixture customer does not: a doubly linked
/// subscription, an expired trial kept, a seat overage, a trial on a paid plan and
/// billing drift.
async fn plant(t: &TestDb) {
    let ns = |id: i64, path: &str, plan: &str, sub: &str, trial: &str, in_use: i64| {
        let (tp, ts, te) = match trial {
            "ended" => {
                ("'ultimate'".to_string(), format!("'{}'", day(-40)), format!("'{}'", day(-10)))
            }
            "running" => {
                ("'ultimate'".to_string(), format!("'{}'", day(-5)), format!("'{}'", day(25)))
            }
            _ => ("NULL".into(), "NULL".into(), "NULL".into()),
        };
        format!(
            "INSERT INTO namespaces (id, path, name, customer_id, plan, subscription_id, trial_plan, trial_starts_on, trial_ends_on, seats_in_use, max_seats_used)
             VALUES ({id}, '{path}', '{path}', 3, '{plan}', {sub}, {tp}, {ts}, {te}, {in_use}, {in_use})"
        )
    };
    let sub = |id: i64, product: &str, seats: i64| {
        format!(
            "INSERT INTO subscriptions (id, number, billing_account_id, customer_id, product, deployment, seats, start_date, end_date, status, auto_renew)
             VALUES ({id}, 'A-S{id:08}', 3, 3, '{product}', 'saas', {seats}, '{}', '{}', 'active', TRUE)",
            day(-30),
            day(300)
        )
    };
    let drift = |field: &str, console: &str, provider: &str| {
        format!(
            "INSERT INTO billing_drift (provider, record_type, record_id, provider_id, customer_id, field, kind, console_value, provider_value, first_seen, last_seen)
             VALUES ('stripe', 'subscription', 12, 'sub_zed', 3, '{field}', 'delivery_failing', '{console}', '{provider}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
        )
    };
    let statements = [
        "INSERT INTO customers (id, name, email, company, country, created_at) VALUES (3, 'Zed Inc', 'it@zed.example', 'Zed', 'DE', '2026-01-01T00:00:00Z')".to_string(),
        "INSERT INTO billing_accounts (id, number, customer_id, currency, payment_terms) VALUES (3, 'A00000003', 3, 'EUR', 'net_30')".to_string(),
        // The fixture's owner contact looks after Zed's groups too (a consultant).
        format!("INSERT INTO contacts (id, customer_id, name, email, role) VALUES (10, 3, 'Olga Ops', '{OWNER_CONTACT}', 'technical')"),
        sub(10, "ultimate", 20),
        sub(11, "premium", 5),
        sub(12, "premium", 30),
        ns(20, "zed-a", "ultimate", "10", "", 5),
        ns(21, "zed-b", "ultimate", "10", "", 3),
        ns(22, "zed-trial", "ultimate", "NULL", "ended", 2),
        ns(23, "zed-big", "premium", "11", "", 9),
        ns(24, "zed-tp", "premium", "12", "running", 4),
        // The billing system holds other seats and auto-renew for subscription 12.
        "INSERT INTO billing_links (record_type, record_id, provider, provider_id, linked_at) VALUES ('subscription', 12, 'stripe', 'sub_zed', '2026-01-01T00:00:00Z')".to_string(),
        drift("seats", "30", "25"),
        drift("auto_renew", "true", "false"),
    ];
    for sql in statements {
        t.db.execute(sqlx::AssertSqlSafe(sql)).await.expect("plant");
    }
}

/// The fixture, the planted records, a stored scan, and the app.
async fn setup(t: &TestDb) -> TestApp {
    fixture::load(&t.db).await;
    plant(t).await;
    scan::run(&t.db, fixture::today(), "test").await.unwrap().expect("scan ran");
    TestApp::spawn(t).await
}

/// What each rule finds in the fixture and the planted records.
const EXPECTED: [(&str, i64); 9] = [
    ("plan_mismatch", 1),
    ("orphan_subscription", 2),
    ("stale_paid_plan", 1),
    ("double_link", 1),
    ("expired_trial", 1),
    ("missing_license", 1),
    ("seat_overage", 1),
    ("trial_on_paid", 1),
    ("billing_drift", 1),
];

fn counts(report: &Value) -> Vec<(String, i64)> {
    report["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["rule"].as_str().unwrap().to_string(), c["count"].as_i64().unwrap()))
        .collect()
}

fn count_of(report: &Value, rule: &str) -> i64 {
    counts(report).into_iter().find(|(r, _)| r == rule).map(|(_, n)| n).unwrap()
}

/// The open finding of `rule` on record `target_id`.
async fn finding(app: &TestApp, token: &str, rule: &str, target_id: i64) -> Value {
    let (status, report) = app.call("GET", &format!("/integrity?rule={rule}"), token, None).await;
    assert_eq!(status, 200, "{report}");
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target_id"] == target_id)
        .cloned()
        .unwrap_or_else(|| panic!("no {rule} on {target_id}: {report}"))
}

async fn resolved_by(t: &TestDb, id: i64) -> Option<i64> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT resolved_by_event FROM integrity_findings WHERE id = {id}"
    ));
    app::on_db!(&t.db, |p| sqlx::query_scalar::<_, Option<i64>>(sql).fetch_one(p).await).unwrap()
}

async fn chain_holds(t: &TestDb) {
    let report = app::audit::chain::verify(&t.db).await.unwrap();
    assert_eq!(report.first_broken, None);
}

async fn the_scan_finds_each_rule_exactly(t: &TestDb) {
    let app = setup(t).await;
    let (_, support) = fixture::staff_token(&t.db, Role::Support).await;
    let (status, report) = app.call("GET", "/integrity", &support, None).await;
    assert_eq!(status, 200, "{report}");
    let expected: Vec<(String, i64)> = EXPECTED.iter().map(|(r, n)| (r.to_string(), *n)).collect();
    assert_eq!(counts(&report), expected);
    assert_eq!(
        report["findings"].as_array().unwrap().len() as i64,
        EXPECTED.iter().map(|(_, n)| n).sum::<i64>()
    );
    assert!(report["last_scan"]["found"].as_i64() == Some(10), "{report}");
    // Each rule's list holds exactly its records, in words, with first-seen times.
    let targets = [
        ("plan_mismatch", vec![NS_MISMATCH]),
        ("orphan_subscription", vec![SUB_ORPHAN, SUB_OTHER_CUSTOMER]),
        ("stale_paid_plan", vec![NS_STALE]),
        ("double_link", vec![10]),
        ("expired_trial", vec![22]),
        ("missing_license", vec![SUB_SELF_MANAGED]),
        ("seat_overage", vec![23]),
        ("trial_on_paid", vec![24]),
        ("billing_drift", vec![12]),
    ];
    for (rule, mut ids) in targets {
        let (_, page) = app.call("GET", &format!("/integrity?rule={rule}"), &support, None).await;
        let list = page["findings"].as_array().unwrap();
        let mut got: Vec<i64> = list.iter().map(|f| f["target_id"].as_i64().unwrap()).collect();
        got.sort();
        ids.sort();
        assert_eq!(got, ids, "{rule}");
        assert!(list
            .iter()
            .all(|f| f["rule"] == rule && f["first_seen_at"].is_string() && f["id"].is_i64()));
        assert!(list.iter().all(|f| !f["message"].as_str().unwrap().is_empty()));
    }
    let mismatch = finding(&app, &support, "plan_mismatch", NS_MISMATCH).await;
    assert_eq!(
        mismatch["message"],
        "acme-labs is on the premium plan but its subscription A-S00000002 is ultimate."
    );
    // Names, not ids.
    assert_eq!(
        (mismatch["customer_name"].as_str(), mismatch["target_label"].as_str()),
        (Some("Acme Corp"), Some("acme-labs"))
    );
    // One customer's findings; the customer page shows the same ones, with their ids.
    let (_, mine) = app.call("GET", "/integrity?customer_id=3", &support, None).await;
    assert_eq!(mine["findings"].as_array().unwrap().len(), 5);
    let (_, customer) = app.call("GET", "/customers/3", &support, None).await;
    let on_page: Vec<&str> = customer["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        on_page,
        ["double_link", "expired_trial", "seat_overage", "trial_on_paid", "billing_drift"]
    );
    // A customer's own check (one query for every rule, as each change runs it twice)
    // finds exactly what the scan's rule-by-rule queries find for that customer.
    let today = app::store::today();
    let mut tx = t.db.begin().await.unwrap();
    let key = |f: &app::domain::Finding| (f.rule, f.target_id, f.related_id, f.message.clone());
    let everyone = app::checks::rules::find(&mut tx, None, today).await.unwrap();
    let customers: std::collections::BTreeSet<i64> =
        everyone.iter().map(|f| f.customer_id).collect();
    assert!(customers.len() > 1, "{customers:?}");
    for customer in customers {
        let mut own: Vec<_> = app::checks::rules::find(&mut tx, Some(customer), today)
            .await
            .unwrap()
            .iter()
            .map(key)
            .collect();
        let mut scanned: Vec<_> =
            everyone.iter().filter(|f| f.customer_id == customer).map(key).collect();
        own.sort();
        scanned.sort();
        assert_eq!(own, scanned, "customer {customer}");
    }
    tx.rollback().await.unwrap();
    let drift = finding(&app, &support, "billing_drift", 12).await;
    assert_eq!(
        drift["message"],
        "Subscription A-S00000012 differs from the billing system on seats: 30 here, 25 there."
    );
    assert!(customer["findings"].as_array().unwrap().iter().all(|f| f["id"].is_i64()));
    // Bad filters are named; other roles and strangers are refused.
    let (status, body) =
        app.call("GET", "/integrity?rule=nope&customer_id=x", &support, None).await;
    assert_eq!(status, 422);
    assert!(
        body["error"]["fields"]["rule"].is_string()
            && body["error"]["fields"]["customer_id"].is_string(),
        "{body}"
    );
    let (_, sales) = fixture::staff_token(&t.db, Role::Sales).await;
    assert_eq!(app.call("GET", "/integrity", &sales, None).await.0, 403);
    assert_eq!(app.call("GET", "/integrity", "nope", None).await.0, 401);
    // Scanning again changes nothing; a fixed record is resolved by the next scan.
    let again = scan::run(&t.db, fixture::today(), "test").await.unwrap().unwrap();
    assert_eq!((again.found, again.opened, again.resolved), (10, 0, 0));
    t.db.execute(sqlx::AssertSqlSafe(
        "UPDATE namespaces SET seats_in_use = 4 WHERE id = 23".to_string(),
    ))
    .await
    .unwrap();
    let third = scan::run(&t.db, fixture::today(), "test").await.unwrap().unwrap();
    assert_eq!((third.found, third.opened, third.resolved), (9, 0, 1));
    // Drift the billing system and the console settled is resolved by the next scan.
    t.db.execute(sqlx::AssertSqlSafe(
        "UPDATE billing_drift SET cleared_at = '2026-01-02T00:00:00Z'".to_string(),
    ))
    .await
    .unwrap();
    let fourth = scan::run(&t.db, fixture::today(), "test").await.unwrap().unwrap();
    assert_eq!((fourth.found, fourth.opened, fourth.resolved), (8, 0, 1));
}

async fn each_fix_clears_its_finding_with_one_event(t: &TestDb) {
    let app = setup(t).await;
    let (_, support) = fixture::staff_token(&t.db, Role::Support).await;
    let fixes = [
        ("plan_mismatch", NS_MISMATCH, "namespace.update_plan"),
        ("stale_paid_plan", NS_STALE, "namespace.clear_subscription"),
        ("expired_trial", 22, "trial.end"),
        ("missing_license", SUB_SELF_MANAGED, "license.issue"),
        ("trial_on_paid", 24, "trial.end"),
    ];
    for (rule, target, action) in fixes {
        let f = finding(&app, &support, rule, target).await;
        let before = events(t).await;
        let body =
            json!({"finding_id": f["id"], "reason": "integrity sweep", "ticket_url": TICKET});
        let (status, item) = app.call("POST", "/integrity/fix", &support, Some(body.clone())).await;
        assert_eq!(status, 200, "{rule}: {item}");
        assert_eq!(item["status"], "fixed");
        assert_eq!(events(t).await, before + 1, "{rule}: one event");
        let event = item["event_id"].as_i64().unwrap();
        assert_eq!(resolved_by(t, f["id"].as_i64().unwrap()).await, Some(event), "{rule}");
        let (_, report) = app.call("GET", "/integrity", &support, None).await;
        assert_eq!(count_of(&report, rule), 0, "{rule}");
        let (_, timeline) =
            app.call("GET", &format!("/activity?action={action}"), &support, None).await;
        assert_eq!(timeline["events"][0]["id"], event);
        // A second fix of the same finding is refused and writes nothing.
        let (status, _) = app.call("POST", "/integrity/fix", &support, Some(body)).await;
        assert_eq!(status, 409, "{rule}");
        assert_eq!(events(t).await, before + 1);
    }
    let licenses = t.scalar(&format!("SELECT COUNT(*) FROM licenses WHERE subscription_id = {SUB_SELF_MANAGED} AND kind = 'standard' AND users = 50")).await;
    assert_eq!(licenses, 1);

    // A doubly linked subscription keeps one link, after a lead's approval.
    let f = finding(&app, &support, "double_link", 10).await;
    let body = json!({"finding_id": f["id"], "reason": "two groups share one subscription", "ticket_url": TICKET});
    let (status, item) = app.call("POST", "/integrity/fix", &support, Some(body)).await;
    assert_eq!(status, 202, "{item}");
    let (_, lead) = fixture::staff_token(&t.db, Role::Lead).await;
    let before = events(t).await;
    let approval = item["approval_id"].as_i64().unwrap();
    let (status, body) = app
        .call("POST", &format!("/approvals/{approval}/approve"), &lead, Some(json!({"note": "ok"})))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(events(t).await, before + 2, "the approval and the change");
    assert!(resolved_by(t, f["id"].as_i64().unwrap()).await.is_some());
    assert_eq!(t.scalar("SELECT COUNT(*) FROM namespaces WHERE subscription_id = 10").await, 1);

    // A seat overage has no fix to run: it is flagged to sales, once.
    let f = finding(&app, &support, "seat_overage", 23).await;
    let (status, body) = app
        .call(
            "POST",
            "/integrity/fix",
            &support,
            Some(json!({"finding_id": f["id"], "reason": "sweep", "ticket_url": TICKET})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let before = events(t).await;
    let flag = json!({"finding_id": f["id"], "reason": "true-up needed"});
    let (status, body) = app.call("POST", "/integrity/flag", &support, Some(flag.clone())).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(events(t).await, before + 1);
    assert_eq!(app.call("POST", "/integrity/flag", &support, Some(flag)).await.0, 409);
    let (_, report) = app.call("GET", "/integrity?rule=seat_overage", &support, None).await;
    assert_eq!(report["findings"][0]["flagged_event"], body["event_id"]);

    // A role without the fix's own permission is refused; a missing reason is named.
    let f = finding(&app, &support, "orphan_subscription", SUB_OTHER_CUSTOMER).await;
    let (_, billing) = fixture::staff_token(&t.db, Role::Billing).await;
    let (status, _) = app
        .call(
            "POST",
            "/integrity/fix",
            &billing,
            Some(json!({"finding_id": f["id"], "reason": "sweep"})),
        )
        .await;
    assert_eq!(status, 403);
    let (status, body) = app
        .call(
            "POST",
            "/integrity/fix",
            &support,
            Some(json!({"finding_id": f["id"], "reason": "", "ticket_url": TICKET})),
        )
        .await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["reason"].is_string(), "{body}");
    assert_eq!(
        app.call(
            "POST",
            "/integrity/fix",
            &support,
            Some(json!({"finding_id": 999999, "reason": "sweep", "ticket_url": TICKET}))
        )
        .await
        .0,
        404
    );
    chain_holds(t).await;
}

async fn bulk_fix_runs_the_dry_run_and_skips_what_changed(t: &TestDb) {
    let app = setup(t).await;
    let (_, lead) = fixture::staff_token(&t.db, Role::Lead).await;
    let mut ids = Vec::new();
    for (rule, target) in [
        ("plan_mismatch", NS_MISMATCH),
        ("stale_paid_plan", NS_STALE),
        ("expired_trial", 22),
        ("seat_overage", 23),
    ] {
        ids.push(finding(&app, &lead, rule, target).await["id"].clone());
    }
    let before = events(t).await;
    let (status, plan) =
        app.call("POST", "/integrity/fix/bulk", &lead, Some(json!({"finding_ids": ids}))).await;
    assert_eq!(status, 200, "{plan}");
    let items = plan.as_array().unwrap();
    let statuses: Vec<&str> = items.iter().map(|i| i["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["planned", "planned", "planned", "refused"]);
    assert_eq!(items[0]["preview"]["changes"][0]["after"], "ultimate");
    assert_eq!(events(t).await, before, "a dry run writes nothing");
    // Someone changes one of the records after the dry run.
    t.db.execute(sqlx::AssertSqlSafe(format!(
        "UPDATE namespaces SET seats_in_use = 3, version = version + 1 WHERE id = {NS_STALE}"
    )))
    .await
    .unwrap();
    let confirm: serde_json::Map<String, Value> = items
        .iter()
        .filter(|i| i["plan_digest"].is_string())
        .map(|i| (i["finding_id"].to_string(), i["plan_digest"].clone()))
        .collect();
    let planned: Vec<Value> = items
        .iter()
        .filter(|i| i["plan_digest"].is_string())
        .map(|i| i["finding_id"].clone())
        .collect();
    // The reason is required, and only findings of the dry run are taken.
    let (status, body) = app
        .call(
            "POST",
            "/integrity/fix/bulk",
            &lead,
            Some(json!({"finding_ids": planned, "confirm": confirm, "reason": ""})),
        )
        .await;
    assert_eq!((status, body["error"]["fields"]["reason"].is_string()), (422, true), "{body}");
    let (status, _) = app
        .call(
            "POST",
            "/integrity/fix/bulk",
            &lead,
            Some(json!({"finding_ids": ids, "confirm": confirm, "reason": "weekly sweep"})),
        )
        .await;
    assert_eq!(status, 422, "a finding outside the dry run");
    let (status, done) = app
        .call(
            "POST",
            "/integrity/fix/bulk",
            &lead,
            Some(json!({"finding_ids": planned, "confirm": confirm, "reason": "weekly sweep"})),
        )
        .await;
    assert_eq!(status, 200, "{done}");
    let statuses: Vec<&str> =
        done.as_array().unwrap().iter().map(|i| i["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["fixed", "skipped", "fixed"], "{done}");
    assert_eq!(events(t).await, before + 2);
    let (_, report) = app.call("GET", "/integrity", &lead, None).await;
    assert_eq!(
        (
            count_of(&report, "plan_mismatch"),
            count_of(&report, "stale_paid_plan"),
            count_of(&report, "expired_trial")
        ),
        (0, 1, 0)
    );
    assert_eq!(
        t.scalar(&format!(
            "SELECT COUNT(*) FROM namespaces WHERE id = {NS_STALE} AND plan = 'premium'"
        ))
        .await,
        1,
        "the changed record was left alone"
    );
    assert_eq!(
        app.call("POST", "/integrity/fix/bulk", &lead, Some(json!({"finding_ids": []}))).await.0,
        422
    );
    chain_holds(t).await;
}

/// `body` is refused with 422 and a message containing `words`; nothing is written.
async fn refused(
    t: &TestDb,
    app: &TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: Value,
    words: &str,
) {
    let before = events(t).await;
    let (status, reply) = app.call(method, path, token, Some(body)).await;
    assert_eq!(status, 422, "{path}: {reply}");
    assert!(reply.to_string().contains(words), "{path}: expected “{words}” in {reply}");
    assert_eq!(events(t).await, before, "{path}: nothing written");
}

fn reasoned(fields: Value) -> Value {
    let mut body =
        json!({"reason": "customer asked", "ticket_url": TICKET, "requester": OWNER_CONTACT});
    for (k, v) in fields.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn operations_refuse_to_create_findings(t: &TestDb) {
    let app = setup(t).await;
    let (_, support) = fixture::staff_token(&t.db, Role::Support).await;
    let version = |table: &str, id: i64| {
        let sql = format!("SELECT version FROM {table} WHERE id = {id}");
        async move { t.scalar(&sql).await }
    };
    // plan_mismatch: undoing the plan fix would bring the mismatch back.
    let f = finding(&app, &support, "plan_mismatch", NS_MISMATCH).await;
    let (_, item) = app
        .call("POST", "/integrity/fix", &support, Some(reasoned(json!({"finding_id": f["id"]}))))
        .await;
    let event = item["event_id"].as_i64().unwrap();
    refused(
        t,
        &app,
        &support,
        "POST",
        &format!("/activity/{event}/undo"),
        reasoned(json!({})),
        "is on the premium plan but its subscription",
    )
    .await;
    // orphan_subscription: unlinking an active subscription's only namespace.
    refused(
        t,
        &app,
        &support,
        "POST",
        &format!("/namespaces/{NS_MAIN}/clear_subscription"),
        reasoned(json!({})),
        "linked to no namespace",
    )
    .await;
    // stale_paid_plan: undoing the clear of an ended subscription's link is a link of an
    // inactive subscription, which a direct link may not make either.
    let f = finding(&app, &support, "stale_paid_plan", NS_STALE).await;
    let (_, item) = app
        .call("POST", "/integrity/fix", &support, Some(reasoned(json!({"finding_id": f["id"]}))))
        .await;
    let cleared = item["event_id"].as_i64().unwrap();
    refused(
        t,
        &app,
        &support,
        "POST",
        &format!("/activity/{cleared}/undo"),
        reasoned(json!({})),
        "only an active one can be linked",
    )
    .await;
    // double_link: undoing an unlink whose subscription is linked elsewhere meanwhile.
    t.db.execute(sqlx::AssertSqlSafe(format!(
        "UPDATE namespaces SET subscription_id = {SUB_EXPIRED} WHERE id = {NS_FREE}"
    )))
    .await
    .unwrap();
    refused(
        t,
        &app,
        &support,
        "POST",
        &format!("/activity/{cleared}/undo"),
        reasoned(json!({})),
        "link it twice",
    )
    .await;
    // expired_trial: undoing the end of an expired trial.
    let f = finding(&app, &support, "expired_trial", 22).await;
    let (_, item) = app
        .call("POST", "/integrity/fix", &support, Some(reasoned(json!({"finding_id": f["id"]}))))
        .await;
    let ended = item["event_id"].as_i64().unwrap();
    refused(
        t,
        &app,
        &support,
        "POST",
        &format!("/activity/{ended}/undo"),
        reasoned(json!({})),
        "trial ended on",
    )
    .await;
    // missing_license: renewing a self-managed subscription that has no license.
    t.db.execute(sqlx::AssertSqlSafe(format!(
        "INSERT INTO subscriptions (id, number, billing_account_id, customer_id, product, deployment, seats, start_date, end_date, status, auto_renew)
         VALUES (30, 'A-S00000030', 1, 1, 'premium', 'self_managed', 5, '{}', '{}', 'expired', FALSE)", day(-100), day(60)
    ))).await.unwrap();
    let v = version("subscriptions", 30).await;
    refused(
        t,
        &app,
        &support,
        "PATCH",
        "/subscriptions/30",
        reasoned(json!({"version": v, "status": "active"})),
        "has no current license",
    )
    .await;
    // seat_overage: fewer seats than a linked namespace uses.
    let v = version("subscriptions", SUB_MAIN).await;
    refused(
        t,
        &app,
        &support,
        "PATCH",
        &format!("/subscriptions/{SUB_MAIN}"),
        reasoned(json!({"version": v, "seats": 5})),
        "uses 8 seats",
    )
    .await;
    // trial_on_paid: a trial on a namespace with an active paid subscription.
    refused(
        t,
        &app,
        &support,
        "POST",
        &format!("/namespaces/{NS_MAIN}/trial/reactivate"),
        reasoned(json!({})),
        "never runs on top of a paid plan",
    )
    .await;
    // Ending a subscription takes its namespace's paid plan with it, so no stale plan is left.
    let v = version("subscriptions", SUB_ULTIMATE).await;
    let (status, body) = app
        .call(
            "PATCH",
            &format!("/subscriptions/{SUB_ULTIMATE}"),
            &support,
            Some(reasoned(json!({"version": v, "status": "cancelled"}))),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        t.scalar(&format!(
            "SELECT COUNT(*) FROM namespaces WHERE id = {NS_MISMATCH} AND plan = 'free'"
        ))
        .await,
        1
    );
    let (_, report) = app.call("GET", "/integrity", &support, None).await;
    assert_eq!(count_of(&report, "stale_paid_plan"), 0, "{report}");
    chain_holds(t).await;
}

async fn one_instance_scans_at_a_time(t: &TestDb) {
    fixture::load(&t.db).await;
    plant(t).await;
    if let app::store::Db::Postgres(_) = &t.db {
        // Another instance holds the scan's lock: this one skips its turn.
        let other = app::store::connect(&t.url, 2).await.unwrap();
        let mut tx = other.begin().await.unwrap();
        app::on_tx!(&mut tx, |c| sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(app::store::dialect::Lock::IntegrityScan.key())
            .execute(c)
            .await
            .map(|r| r.rows_affected()))
        .unwrap();
        assert!(scan::run(&t.db, fixture::today(), "a").await.unwrap().is_none());
        tx.rollback().await.unwrap();
        other.close().await;
    }
    // Many scans at once from two pools ("instances"): every finding is stored once.
    let second = app::store::connect(&t.url, 4).await.unwrap();
    let runs = futures::future::join_all((0..6).map(|i| {
        let db = if i % 2 == 0 { t.db.clone() } else { second.clone() };
        async move { scan::run(&db, fixture::today(), &format!("instance-{i}")).await.unwrap() }
    }))
    .await;
    let ran = runs.iter().filter(|r| r.is_some()).count() as i64;
    assert!(ran >= 1);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM integrity_scans").await, ran);
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM integrity_findings WHERE resolved_at IS NULL").await,
        10
    );
    assert_eq!(t.scalar("SELECT COUNT(*) FROM integrity_findings").await, 10);
    second.close().await;
}

async fn the_integrity_api_is_described(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    let (status, doc) = app.call("GET", "/openapi.json", "", None).await;
    assert_eq!(status, 200);
    for path in [
        "/api/v1/integrity",
        "/api/v1/integrity/fix",
        "/api/v1/integrity/fix/bulk",
        "/api/v1/integrity/flag",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["components"]["schemas"]["Finding"].is_object());
}

on_both_backends!(
    the_scan_finds_each_rule_exactly,
    each_fix_clears_its_finding_with_one_event,
    bulk_fix_runs_the_dry_run_and_skips_what_changed,
    operations_refuse_to_create_findings,
    one_instance_scans_at_a_time,
    the_integrity_api_is_described,
);
