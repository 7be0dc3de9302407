//! Abuse, bad input and slow clients over the real HTTP stack: crafted dates, the
//! redirect after sign-in, sign-in throttling under parallel load and from other
//! addresses, a client that never finishes its request line, `/metrics`, and licenses
//! that are signed but no longer in force.
use std::time::Duration;

use crate::common;

use app::domain::{LicenseFields, Role};
use common::fixture::{self, staff_token, SUB_SELF_MANAGED};
use common::{TestApp, TestDb};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PASSWORD: &str = "a-long-test-password";

/// Dates far outside any real range answered the request with a dropped connection (a
/// panic in date arithmetic); now they are a 422 naming the field.
async fn extreme_dates_are_refused_by_name(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = TestApp::spawn(t).await;
    let (_, token) = staff_token(&t.db, Role::Lead).await;
    for (query, field) in [("to=%2B262142-12-31", "to"), ("from=-0001-01-01", "from")] {
        let (status, body) = app.call("GET", &format!("/activity?{query}"), &token, None).await;
        assert_eq!(status, 422, "{query}: {body}");
        assert!(body["error"]["fields"][field].as_str().unwrap().contains("between"), "{body}");
    }
    let csv = app
        .client
        .get(app.url("/api/v1/activity.csv?to=%2B262142-12-31"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 422);
    let (status, body) = app
        .call(
            "PATCH",
            &format!("/subscriptions/{}", fixture::SUB_MAIN),
            &token,
            Some(json!({"version": 1, "reason": "far future", "end_date": "+262142-12-31"})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("end_date"), "{body}");
    let page = app.client.get(app.url("/activity?to=%2B262142-12-31")).send().await.unwrap();
    assert!(page.status().as_u16() < 500, "the page answers: {}", page.status());
}

/// Signs in through the server function (as the browser's client does); the status and
/// the `Location` it sends the browser to.
async fn sign_in(
    client: &reqwest::Client,
    app: &TestApp,
    email: &str,
    password: &str,
    next: &str,
) -> (u16, String) {
    let response = client
        .post(app.url("/api/login"))
        .header("accept", "application/json")
        .form(&[("email", email), ("password", password), ("next", next)])
        .send()
        .await
        .unwrap();
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (response.status().as_u16(), location)
}

/// After sign-in only a path of this site is followed: a tab, a line break or a
/// backslash that a browser would drop or turn into `//` leads home instead.
async fn sign_in_goes_only_to_a_path_of_this_site(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    app.staff("ada@example.com", Role::Support, PASSWORD).await;
    for (next, expected) in [
        ("/customers/1?tab=activity", "/customers/1?tab=activity"),
        ("/\t/evil.example/", "/"),
        ("/\n/evil.example/", "/"),
        ("/x\r\nSet-Cookie: a=b", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
    ] {
        let (status, location) =
            sign_in(&app.client, &app, "ada@example.com", PASSWORD, next).await;
        assert!(status < 400, "{next:?}: {status}");
        assert_eq!(location, expected, "{next:?}");
    }
}

/// However many wrong passwords for one account arrive at once, at most five are
/// checked; the rest are refused unchecked. A stranger failing from another address
/// does not lock the account's owner out.
async fn sign_in_checks_at_most_five_passwords_at_once(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    app.staff("victim@example.com", Role::Admin, PASSWORD).await;
    let attacker = app.client.clone();
    let attempts = (0..48).map(|_| {
        let client = attacker.clone();
        let url = app.url("/api/login");
        tokio::spawn(async move {
            client
                .post(url)
                .header("accept", "application/json")
                .form(&[
                    ("email", "victim@example.com"),
                    ("password", "wrong-password-guess"),
                    ("next", "/"),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    });
    let mut statuses = Vec::new();
    for a in attempts {
        statuses.push(a.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == 422).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(checked + refused, 48, "{statuses:?}");
    assert_eq!(checked, 5, "passwords checked: {statuses:?}");
    let rows =
        t.scalar("SELECT COUNT(*) FROM login_failures WHERE email = 'victim@example.com'").await;
    assert_eq!(rows as usize, checked, "refused attempts leave no row");

    // From the attacker's address even the right password waits out the window…
    let (status, _) = sign_in(&attacker, &app, "victim@example.com", PASSWORD, "/").await;
    assert_eq!(status, 429);
    // …but the owner, signing in from elsewhere, is not locked out.
    let owner = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let (status, location) =
        sign_in(&owner, &app, "victim@example.com", PASSWORD, "/dashboard").await;
    assert!(status < 400, "{status}");
    assert_eq!(location, "/dashboard");
}

/// A connection that sends half a request line and then nothing is closed once the
/// header deadline passes (2 s for the test server), instead of staying open forever.
async fn a_half_sent_request_is_cut_off(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    stream.write_all(b"GET /healthz HT").await.unwrap();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "the connection was still open after 20 s");
    // An idle kept-alive connection is closed the same way.
    let mut idle = tokio::net::TcpStream::connect(&addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(20), idle.read_to_end(&mut answer)).await;
    assert!(closed.is_ok(), "an idle connection was still open after 20 s");
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));
}

/// `/metrics` answers only the scraper holding its token.
async fn metrics_need_their_token(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    let plain = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(plain.status(), 401);
    let wrong = app.client.get(app.url("/metrics")).bearer_auth("guess").send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    let scraped = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(common::METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(scraped.status(), 200);
    assert!(scraped.text().await.unwrap().contains("http_requests_total"));
}

/// A license whose signature holds is valid only while it is in force: revoked or
/// expired ones are reported as not valid, saying which.
async fn licenses_verify_says_revoked_or_expired(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = TestApp::spawn(t).await;
    let (_, token) = staff_token(&t.db, Role::Support).await;
    let today = fixture::today();
    let license = |id: i64, from: i64, to: i64| LicenseFields {
        license_id: id,
        key: format!("TEST{id}-AAAAA-BBBBB-CCCCC-DDDDD"),
        kind: "standard".into(),
        customer_id: fixture::CUSTOMER,
        customer: "Acme Corp".into(),
        subscription: format!("A-S{SUB_SELF_MANAGED:08}"),
        product: "ultimate".into(),
        users: 50,
        starts_on: today + chrono::Duration::days(from),
        expires_on: today + chrono::Duration::days(to),
        issued_at: chrono::Utc::now(),
        issued_by: "support@example.com".into(),
    };
    for (id, from, to) in [(71, -10, 100), (72, -100, -1), (73, -10, 100)] {
        let f = license(id, from, to);
        let sql = format!(
            "INSERT INTO licenses (id, subscription_id, customer_id, kind, users, starts_on, expires_on, key, issued_at)
             VALUES ({id}, {SUB_SELF_MANAGED}, 1, 'standard', 50, '{}', '{}', '{}', '2026-01-01T00:00:00Z')",
            f.starts_on, f.expires_on, f.key
        );
        t.db.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
    }
    t.db.execute("UPDATE licenses SET revoked_at = '2026-11-30T10:00:00Z' WHERE id = 73")
        .await
        .unwrap();
    let check = |id: i64, from: i64, to: i64| {
        let text = app.key.sign(&license(id, from, to));
        let app = &app;
        let token = token.clone();
        async move {
            app.call("POST", "/licenses/verify", &token, Some(json!({ "license": text }))).await
        }
    };
    let (status, fields) = check(71, -10, 100).await;
    assert_eq!((status, fields["license_id"].as_i64()), (200, Some(71)), "{fields}");
    let (status, refused) = check(72, -100, -1).await;
    assert_eq!(status, 422);
    assert!(message(&refused).contains("expired on"), "{refused}");
    let (status, refused) = check(73, -10, 100).await;
    assert_eq!(status, 422);
    assert!(message(&refused).contains("revoked on 2026-11-30"), "{refused}");
}

fn message(error: &Value) -> String {
    error["error"]["fields"]["license"].as_str().unwrap_or_default().to_string()
}

on_both_backends!(
    extreme_dates_are_refused_by_name,
    sign_in_goes_only_to_a_path_of_this_site,
    sign_in_checks_at_most_five_passwords_at_once,
    a_half_sent_request_is_cut_off,
    metrics_need_their_token,
    licenses_verify_says_revoked_or_expired,
);
