//! Browser and session security over the real HTTP stack: security headers and a
//! Content Security Policy carrying the page's script nonce, sign-in throttling,
//! server-side session expiry, refused bad bodies, and no secrets in responses, the
//! database or the server's logs.
use crate::common;

use app::domain::Role;
use common::{fixture, TestApp, TestDb};
use serde_json::{json, Value};

const PASSWORD: &str = "a-long-test-password";

async fn pages_and_api_carry_security_headers(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    let page = app.client.get(app.url("/login")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let headers = page.headers().clone();
    let csp = headers["content-security-policy"].to_str().unwrap().to_string();
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert!(
        csp.contains("frame-ancestors 'none'")
            && csp.contains("object-src 'none'")
            && csp.contains("'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(
        !csp.contains("'unsafe-eval'") && !csp.contains("script-src 'self' 'unsafe-inline'"),
        "{csp}"
    );
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("a script nonce")
        .to_string();
    assert!(nonce.len() >= 16, "{nonce}");
    let html = page.text().await.unwrap();
    // Every inline script of the page carries this response's nonce.
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(!scripts.is_empty());
    for s in scripts {
        let tag = s.split('>').next().unwrap();
        assert!(
            tag.contains("src=") || tag.contains(&format!("nonce=\"{nonce}\"")),
            "script without the nonce: <script{tag}>"
        );
    }
    let second = app.client.get(app.url("/login")).send().await.unwrap();
    assert!(
        !second.headers()["content-security-policy"].to_str().unwrap().contains(&nonce),
        "a fresh nonce per page"
    );

    let api = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(api.status(), 401);
    assert_eq!(
        api.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
    assert_eq!(api.headers()["x-content-type-options"], "nosniff");
}

async fn repeated_wrong_passwords_lock_the_sign_in_for_a_while(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    app.staff("target@example.com", Role::Lead, PASSWORD).await;
    app.staff("bystander@example.com", Role::Lead, PASSWORD).await;
    let attempt = |email: &'static str, password: &'static str| {
        app.client
            .post(app.url("/api/login"))
            .header("accept", "application/json")
            .form(&[("email", email), ("password", password)])
            .send()
    };
    for _ in 0..app::auth::server::throttle::MAX_FAILURES {
        let r = attempt("target@example.com", "wrong-password").await.unwrap();
        assert_eq!(r.status(), 422);
    }
    // Locked now, even with the right password, and the refusal says for how long.
    let locked = attempt("Target@Example.com", PASSWORD).await.unwrap();
    assert_eq!(locked.status(), 429);
    let text = locked.text().await.unwrap();
    assert!(
        text.contains("Too many failed sign-ins for this email")
            && text.contains("Try again in 15 minutes"),
        "{text}"
    );
    assert!(!app
        .client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .headers()
        .contains_key("set-cookie"));
    // Another account is not affected.
    let other = attempt("bystander@example.com", PASSWORD).await.unwrap();
    assert!(other.status().is_redirection() || other.status().is_success(), "{}", other.status());
    // Once the failures are older than the window, the right password works and clears them.
    let past = chrono::Utc::now() - chrono::Duration::minutes(16);
    app::on_db!(&t.db, |p| sqlx::query("UPDATE login_failures SET failed_at = $1")
        .bind(past)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))
    .unwrap();
    let session = app.login("target@example.com", PASSWORD).await;
    assert!(!session.token.is_empty());
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM login_failures WHERE email = 'target@example.com'").await,
        0
    );
}

async fn an_expired_session_is_refused_by_the_server(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    app.staff("expiring@example.com", Role::Support, PASSWORD).await;
    let session = app.login("expiring@example.com", PASSWORD).await;
    let me = || app.client.get(app.url("/api/v1/me")).header("cookie", session.cookie()).send();
    assert_eq!(me().await.unwrap().status(), 200);
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    app::on_db!(&t.db, |p| sqlx::query("UPDATE sessions SET expires_at = $1")
        .bind(past)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))
    .unwrap();
    assert_eq!(me().await.unwrap().status(), 401, "the cookie outlived its session");
    let page =
        app.client.get(app.url("/")).header("cookie", session.cookie()).send().await.unwrap();
    assert_eq!(page.status(), 303, "pages send the holder of an expired session to sign in");
    // Sessions and API tokens are stored as digests only.
    let stored = t
        .scalar(&format!("SELECT COUNT(*) FROM sessions WHERE id_hash = '{}'", session.token))
        .await;
    assert_eq!(stored, 0, "the session token itself is not stored");
}

async fn bad_bodies_are_refused_with_json_errors(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = TestApp::spawn(t).await;
    let (_, token) = fixture::staff_token(&t.db, Role::Lead).await;
    // The oversized body goes over a connection of its own: the server closes it after
    // refusing (it does not read 2 MiB it will not use), and a pooled connection reused
    // afterwards would fail the next request.
    let unpooled = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let send = |body: Vec<u8>, content_type: &'static str| {
        let client = if body.len() > 1024 * 1024 { &unpooled } else { &app.client };
        client
            .patch(app.url(&format!("/api/v1/subscriptions/{}", fixture::SUB_MAIN)))
            .bearer_auth(&token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let cases: Vec<(Vec<u8>, &str, u16, &str)> = vec![
        (b"{not json".to_vec(), "application/json", 400, "bad_request"),
        (b"".to_vec(), "application/json", 400, "bad_request"),
        (b"[1,2,3]".to_vec(), "application/json", 422, "validation_failed"),
        (
            br#"{"version": "one", "reason": "x"}"#.to_vec(),
            "application/json",
            422,
            "validation_failed",
        ),
        (br#"{"reason": "a reason"}"#.to_vec(), "application/json", 422, "validation_failed"),
        (
            br#"{"version": 1, "reason": "a reason", "seats": 1e99}"#.to_vec(),
            "application/json",
            422,
            "validation_failed",
        ),
        (br#"{"version": 1}"#.to_vec(), "text/plain", 400, "bad_request"),
        (vec![0xff, 0xfe, 0x00], "application/json", 400, "bad_request"),
        (
            format!("{{\"version\": 1, \"reason\": \"{}\"}}", "x".repeat(2 * 1024 * 1024))
                .into_bytes(),
            "application/json",
            413,
            "payload_too_large",
        ),
    ];
    for (body, content_type, status, code) in cases {
        let shown = String::from_utf8_lossy(&body[..body.len().min(60)]).to_string();
        // The 2 MiB body is refused from its Content-Length, before it is read: the server
        // may answer and close while the client is still writing (a broken pipe for the
        // client). Try again until the answer is read; it must come within a few tries.
        let mut tries = 0;
        let response = loop {
            tries += 1;
            match send(body.clone(), content_type).await {
                Ok(r) => break r,
                Err(e) if status == 413 && tries < 5 => eprintln!("try {tries}: {e}"),
                Err(e) => panic!("{shown}: {e}"),
            }
        };
        assert_eq!(response.status().as_u16(), status, "{shown}");
        let error: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(error["error"]["code"], code, "{shown}: {error}");
        assert!(!error["error"]["message"].as_str().unwrap_or("").is_empty());
    }
    // A missing field is named.
    let (status, body) = app
        .call(
            "PATCH",
            &format!("/subscriptions/{}", fixture::SUB_MAIN),
            &token,
            Some(json!({"reason": "a reason"})),
        )
        .await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["version"].is_string(), "{body}");
    // A server function with a malformed body: 400, not 500.
    let session = crate::common::new_session(&t.db, 1, chrono::Duration::hours(1)).await.ok();
    let mut req = app
        .client
        .post(app.url("/api/ops/run"))
        .header("content-type", "application/json")
        .body("{\"request\": 5}");
    if let Some(s) = &session {
        req = req
            .header("cookie", format!("fc_session={}; fc_csrf={}", s.token, s.csrf_token))
            .header("x-csrf-token", s.csrf_token.clone());
    }
    let response = req.send().await.unwrap();
    assert_eq!(response.status(), 400);
    let error: app::AppError = response.json().await.unwrap();
    assert!(error.to_string().contains("malformed"), "{error}");
    // Nothing was changed by any of it.
    assert_eq!(t.scalar("SELECT COUNT(*) FROM activity_events").await, 0);
}

async fn responses_and_the_database_hold_no_secrets(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    let id = app.staff("admin.person@example.com", Role::Admin, PASSWORD).await;
    let session = app.login("admin.person@example.com", PASSWORD).await;
    let token = app.token("admin.person@example.com").await;
    let mut seen = String::new();
    for path in ["/api/v1/me", "/api/v1/activity", "/api/v1/activity.csv", "/"] {
        seen += &app
            .client
            .get(app.url(path))
            .header("cookie", session.cookie())
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
    }
    seen += &app
        .client
        .post(app.url(<app::staff::ListStaff as leptos::server_fn::ServerFn>::PATH))
        .header("cookie", session.cookie())
        .header("x-csrf-token", &session.csrf)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(seen.contains("admin.person@example.com"));
    for secret in ["$argon2", "password_hash", PASSWORD, &token, &session.token] {
        assert!(!seen.contains(secret), "a response shows {secret}");
    }
    let hash: String = app::on_db!(&t.db, |p| sqlx::query_scalar(
        "SELECT password_hash FROM staff_users WHERE id = $1"
    )
    .bind(id)
    .fetch_one(p)
    .await)
    .unwrap();
    assert!(hash.starts_with("$argon2id$"), "passwords are stored as argon2id hashes");
    let plain_tokens =
        t.scalar(&format!("SELECT COUNT(*) FROM api_tokens WHERE token_hash = '{token}'")).await;
    assert_eq!(plain_tokens, 0, "API tokens are stored as digests");
}

on_both_backends!(
    pages_and_api_carry_security_headers,
    repeated_wrong_passwords_lock_the_sign_in_for_a_while,
    an_expired_session_is_refused_by_the_server,
    bad_bodies_are_refused_with_json_errors,
    responses_and_the_database_hold_no_secrets,
);

/// The real server binary, logging at debug level, through a sign-in, a wrong
/// password, a token's use and a change: its output never shows a password, a token,
/// a session or a hash.
#[test]
fn the_server_logs_no_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::process::ServerProcess::start(dir.path(), None, &[("RUST_LOG", "debug")]);
    let token_out = common::process::command(dir.path(), None)
        .args(["token", "create", "--email", "admin@example.com"])
        .output()
        .unwrap();
    let token = String::from_utf8(token_out.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("fct_"), "{token}");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (session, csrf) = rt.block_on(async {
        let client =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        client
            .post(server.url("/api/login"))
            .form(&[("email", "lead@example.com"), ("password", "not-the-password")])
            .send()
            .await
            .unwrap();
        let ok = client
            .post(server.url("/api/login"))
            .form(&[("email", "lead@example.com"), ("password", "demo-password")])
            .send()
            .await
            .unwrap();
        let value = |name: &str| common::process::set_cookie(&ok, name);
        let (session, csrf) = (value("fc_session"), value("fc_csrf"));
        let me = client.get(server.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(me.status(), 200);
        client
            .get(server.url("/api/v1/search?q=a"))
            .header("cookie", format!("fc_session={session}"))
            .send()
            .await
            .unwrap();
        (session, csrf)
    });
    // The demo's published password is announced once when the demo is seeded; no
    // other line may show it.
    let text: String = server
        .terminate()
        .lines()
        .filter(|l| !l.starts_with("demo staff:"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("signed in"), "the log shows the sign-in happened:\n{text}");
    for secret in [
        "demo-password",
        "not-the-password",
        "$argon2",
        token.as_str(),
        session.as_str(),
        csrf.as_str(),
    ] {
        assert!(!text.contains(secret), "the server log shows {secret}");
    }
}
