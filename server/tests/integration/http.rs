//! The real HTTP stack on port 0: operations endpoints, sign-in, sessions, CSRF,
//! bearer tokens, the API's error shape, OpenAPI, and staff administration.
use crate::common;

use app::domain::Role;
use app::staff::{SetStaffActive, SetStaffRole};
use common::{TestApp, TestDb};
use leptos::server_fn::ServerFn;
use serde_json::Value;

const PASSWORD: &str = "a-long-test-password";

async fn operations_endpoints_answer(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(health.headers().contains_key("x-request-id"));
    assert_eq!(
        app.client.get(app.url("/readyz")).send().await.unwrap().text().await.unwrap(),
        "ready"
    );
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(common::METRICS_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("http_request_duration_seconds_bucket"));
    let robots = app.client.get(app.url("/robots.txt")).send().await.unwrap();
    assert_eq!(robots.status(), 200, "answered, not sent to sign in");
    assert!(robots.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    assert_eq!(robots.text().await.unwrap(), "User-agent: *\nDisallow: /\n");
}

async fn the_api_refuses_strangers_with_json(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    let response = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
    let wrong = app.client.get(app.url("/api/v1/me")).bearer_auth("fct_nope").send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    // Pages send strangers to sign-in, remembering where they were going.
    let page = app.client.get(app.url("/activity?x=1")).send().await.unwrap();
    assert_eq!(page.status(), 303);
    assert_eq!(page.headers()["location"], "/login?next=/activity%3Fx%3D1");
    assert_eq!(app.client.get(app.url("/login")).send().await.unwrap().status(), 200);
}

async fn signing_in_sets_safe_cookies_and_identifies_the_caller(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    app.staff("billing.person@example.com", Role::Billing, PASSWORD).await;

    let wrong = app
        .client
        .post(app.url("/api/login"))
        .header("accept", "application/json")
        .form(&[("email", "billing.person@example.com"), ("password", "wrong-password")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);
    let text = wrong.text().await.unwrap();
    assert!(text.contains("Wrong email or password."), "{text}");
    assert!(!text.contains("argon2"), "no internals in {text}");

    let session = app.login("Billing.Person@example.com", PASSWORD).await;
    let session_cookie = session.set_cookie.iter().find(|c| c.starts_with("fc_session=")).unwrap();
    assert!(
        session_cookie.contains("HttpOnly") && session_cookie.contains("SameSite=Strict"),
        "{session_cookie}"
    );

    let me: Value = app
        .client
        .get(app.url("/api/v1/me"))
        .header("cookie", session.cookie())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "billing.person@example.com");
    assert_eq!(me["role"], "billing");
    assert!(me.get("password_hash").is_none());

    let page =
        app.client.get(app.url("/")).header("cookie", session.cookie()).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Fulfillment Console"));
}

async fn mutations_need_the_csrf_token_and_logout_ends_the_session(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    app.staff("lead.person@example.com", Role::Lead, PASSWORD).await;
    let session = app.login("lead.person@example.com", PASSWORD).await;
    let logout = |csrf: Option<&str>| {
        let mut req =
            app.client.post(app.url(app::auth::Logout::PATH)).header("cookie", session.cookie());
        if let Some(c) = csrf {
            req = req.header("x-csrf-token", c);
        }
        req.send()
    };
    let refused = logout(None).await.unwrap();
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "forbidden");
    assert_eq!(logout(Some("forged")).await.unwrap().status(), 403);
    let accepted = logout(Some(&session.csrf)).await.unwrap();
    assert!(
        accepted.status().is_success() || accepted.status().is_redirection(),
        "{}",
        accepted.status()
    );
    let me = |session: &common::Session| {
        app.client.get(app.url("/api/v1/me")).header("cookie", session.cookie()).send()
    };
    assert_eq!(me(&session).await.unwrap().status(), 401, "the session is gone on the server");

    // A sign-out form posted before the page hydrates carries no token: the browser's
    // word that it comes from this site stands for it, for sign-out only.
    let session = app.login("lead.person@example.com", PASSWORD).await;
    let post_from = |path: &str, site: &str| {
        app.client
            .post(app.url(path))
            .header("cookie", session.cookie())
            .header("sec-fetch-site", site)
            .header("accept", "text/html")
            .form(&[("", "")])
            .send()
    };
    let logout_path = app::auth::Logout::PATH;
    assert_eq!(post_from(logout_path, "cross-site").await.unwrap().status(), 403);
    assert_eq!(post_from(logout_path, "same-site").await.unwrap().status(), 403);
    let other_change = post_from(SetStaffActive::PATH, "same-origin").await.unwrap();
    assert_eq!(other_change.status(), 403, "only sign-out goes without its token");
    let signed_out = post_from(logout_path, "same-origin").await.unwrap();
    assert!(signed_out.status().is_redirection(), "{}", signed_out.status());
    assert_eq!(signed_out.headers()["location"], "/login");
    assert_eq!(me(&session).await.unwrap().status(), 401, "the second session is gone too");
}

async fn bearer_tokens_identify_automation(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    app.staff("robot@example.com", Role::Support, PASSWORD).await;
    let token = app.token("robot@example.com").await;
    let me: Value = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "support");
    let missing =
        app.client.get(app.url("/api/v1/no-such-route")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

async fn the_openapi_document_describes_the_api(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    let doc: Value =
        app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/v1/me"]["get"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

async fn admins_manage_staff_and_every_change_is_an_event(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    app.staff("boss@example.com", Role::Admin, PASSWORD).await;
    let agent_id = app.staff("agent@example.com", Role::Support, PASSWORD).await;
    let admin = app.login("boss@example.com", PASSWORD).await;
    let agent = app.login("agent@example.com", PASSWORD).await;
    let call =
        |session: &common::Session, path: &'static str, form: Vec<(&'static str, String)>| {
            app.client
                .post(app.url(path))
                .header("cookie", session.cookie())
                .header("x-csrf-token", session.csrf.clone())
                .header("accept", "application/json")
                .form(&form)
                .send()
        };
    // A support user may not change roles, not even their own.
    let refused = call(
        &agent,
        SetStaffRole::PATH,
        vec![("id", agent_id.to_string()), ("role", "admin".into())],
    )
    .await
    .unwrap();
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("may not manage staff users"));

    let ok = call(
        &admin,
        SetStaffRole::PATH,
        vec![("id", agent_id.to_string()), ("role", "lead".into())],
    )
    .await
    .unwrap();
    assert!(ok.status().is_success(), "{}", ok.text().await.unwrap());
    let me: Value = app
        .client
        .get(app.url("/api/v1/me"))
        .header("cookie", agent.cookie())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "lead");

    let ok = call(
        &admin,
        SetStaffActive::PATH,
        vec![("id", agent_id.to_string()), ("active", "false".into())],
    )
    .await
    .unwrap();
    assert!(ok.status().is_success());
    let gone = app
        .client
        .get(app.url("/api/v1/me"))
        .header("cookie", agent.cookie())
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 401, "a deactivated user's session stops at once");

    let actions: Vec<String> = app::on_db!(&app.db, |p| sqlx::query_scalar(
        "SELECT action FROM activity_events ORDER BY id"
    )
    .fetch_all(p)
    .await
    .unwrap());
    assert_eq!(actions, ["staff.role_change", "staff.deactivate"]);
    assert_eq!(app::audit::chain::verify(&app.db).await.unwrap().first_broken, None);
}

/// A built front end as the release build leaves it: hashed names, each file with its
/// brotli and gzip copies, and the list of hashes at the site root.
fn release_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(pkg.join("snippets")).unwrap();
    let files = [
        ("console.J5Hx0v9aZ2k1Qm8RtY3uWg.wasm", "wasm module"),
        ("console.Kq2Lw7Xc0Pz4Nv6Bs1Dh9A.js", "js glue"),
        ("console.Cs5Ty8Uo1Ip3As6Df9Gh2J.css", "body{}"),
    ];
    for (name, body) in files {
        std::fs::write(pkg.join(name), body).unwrap();
        std::fs::write(pkg.join(format!("{name}.br")), format!("br:{body}")).unwrap();
        std::fs::write(pkg.join(format!("{name}.gz")), format!("gz:{body}")).unwrap();
    }
    std::fs::write(pkg.join("snippets/inline0.js"), "snippet").unwrap();
    std::fs::write(
        site.path().join("hash.txt"),
        "js: Kq2Lw7Xc0Pz4Nv6Bs1Dh9A\nwasm: J5Hx0v9aZ2k1Qm8RtY3uWg\ncss: Cs5Ty8Uo1Ip3As6Df9Gh2J\n",
    )
    .unwrap();
    site
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_front_end_is_served_precompressed_and_cached_for_good() {
    let t = TestDb::sqlite().await;
    let site = release_site();
    let app = TestApp::spawn_with_site(&t, site.path().to_str().unwrap()).await;
    let get = |path: &str, accept: &str| {
        app.client.get(app.url(path)).header("accept-encoding", accept).send()
    };
    let wasm = "/pkg/console.J5Hx0v9aZ2k1Qm8RtY3uWg.wasm";
    for (accept, encoding, body) in [
        ("br, gzip", Some("br"), "br:wasm module"),
        ("gzip", Some("gzip"), "gz:wasm module"),
        ("identity", None, "wasm module"),
    ] {
        let r = get(wasm, accept).await.unwrap();
        assert_eq!(r.status(), 200, "{accept}");
        assert_eq!(
            r.headers().get("content-encoding").map(|v| v.to_str().unwrap()),
            encoding,
            "{accept}"
        );
        assert_eq!(r.headers()["content-type"], "application/wasm");
        assert_eq!(r.headers()["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(r.headers()["vary"], "accept-encoding");
        // Only what a script or module needs: a page fetches a hundred of these.
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        for unneeded in [
            "content-security-policy",
            "x-frame-options",
            "permissions-policy",
            "last-modified",
            "accept-ranges",
            "x-request-id",
        ] {
            assert!(r.headers().get(unneeded).is_none(), "{unneeded} on {wasm}");
        }
        assert_eq!(r.text().await.unwrap(), body, "the stored file as it is, not compressed again");
    }
    // A file without a hash in its name is revalidated; a missing one is not cached.
    let snippet = get("/pkg/snippets/inline0.js", "br").await.unwrap();
    assert_eq!(snippet.headers()["cache-control"], "no-cache");
    let missing = get("/pkg/console.AAAAAAAAAAAAAAAAAAAAAA.wasm", "br").await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()["cache-control"], "no-store");
    // Pages name the hashed files and are never stored; neither are API answers.
    let page = get("/login", "identity").await.unwrap();
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    for name in [
        "console.Kq2Lw7Xc0Pz4Nv6Bs1Dh9A.js",
        "console.J5Hx0v9aZ2k1Qm8RtY3uWg.wasm",
        "console.Cs5Ty8Uo1Ip3As6Df9Gh2J.css",
    ] {
        assert!(html.contains(&format!("/pkg/{name}")), "{name} in {html}");
    }
    let api = get("/api/v1/me", "identity").await.unwrap();
    assert_eq!(api.status(), 401);
    assert_eq!(api.headers()["cache-control"], "no-store");
}

on_both_backends!(
    operations_endpoints_answer,
    the_api_refuses_strangers_with_json,
    signing_in_sets_safe_cookies_and_identifies_the_caller,
    mutations_need_the_csrf_token_and_logout_ends_the_session,
    bearer_tokens_identify_automation,
    the_openapi_document_describes_the_api,
    admins_manage_staff_and_every_change_is_an_event,
);

/// Pages opened directly by several people at once all render: none stalls the server.
/// The ticket page once embedded a timeline inside its own streamed Transition, and a
/// few concurrent loads deadlocked the reactive graph and with it every request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_opened_at_once_all_render() {
    let t = TestDb::sqlite().await;
    common::fixture::load(&t.db).await;
    let site = release_site();
    let app = TestApp::spawn_with_site(&t, site.path().to_str().unwrap()).await;
    app.staff("lead-pages@example.com", Role::Lead, "a long enough password").await;
    let session = app.login("lead-pages@example.com", "a long enough password").await;
    let ticket = "https://support.example.com/tickets/77";
    let (_, token) = common::fixture::staff_token(&t.db, Role::Lead).await;
    let (status, _) = app
        .call(
            "POST",
            &format!("/namespaces/{}/compute_minutes", common::fixture::NS_MAIN),
            &token,
            Some(serde_json::json!({"reason": "outage credit", "ticket_url": ticket, "delta": 100, "kind": "permanent"})),
        )
        .await;
    assert_eq!(status, 200);
    let pages = [
        format!("/tickets?url={}", app::url::percent_encode(ticket, app::url::COMPONENT)),
        "/dashboard".to_string(),
        "/activity".to_string(),
        "/customers/1".to_string(),
        "/integrity".to_string(),
        "/approvals".to_string(),
    ];
    for page in pages {
        let mut loads = tokio::task::JoinSet::new();
        for _ in 0..24 {
            let request = app.client.get(app.url(&page)).header("cookie", session.cookie());
            loads.spawn(async move {
                let answer =
                    tokio::time::timeout(std::time::Duration::from_secs(20), request.send()).await;
                match answer {
                    Ok(Ok(r)) => {
                        let status = r.status().as_u16();
                        (status, r.text().await.unwrap_or_default())
                    }
                    _ => (0, String::new()),
                }
            });
        }
        while let Some(done) = loads.join_next().await {
            let (status, html) = done.unwrap();
            assert_eq!(status, 200, "{page} did not render in time");
            // Rendered whole: the layout resolved (who is signed in) and the page in it,
            // not the layout's loading state left for the browser.
            assert!(html.contains("data-testid=\"current-user\""), "{page} rendered no layout");
            assert!(!html.contains(">Loading…<"), "{page} rendered its loading state");
        }
    }
}

/// Pages render whole while other servers start in the same process. Finding a
/// router's page routes holds back data loading process-wide (Leptos), so each start
/// once left the pages whose data began loading meanwhile unfinished.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_while_other_servers_start() {
    let t = TestDb::sqlite().await;
    common::fixture::load(&t.db).await;
    let app = TestApp::spawn(&t).await;
    app.staff("lead-starts@example.com", Role::Lead, "a long enough password").await;
    let session = app.login("lead-starts@example.com", "a long enough password").await;
    let other = TestDb::sqlite().await;
    let starts = tokio::spawn(async move {
        for _ in 0..20 {
            TestApp::spawn(&other).await;
        }
    });
    let pages = ["/dashboard", "/customers/1", "/approvals", "/activity"];
    let mut rounds = 0;
    while rounds == 0 || !starts.is_finished() {
        let mut loads = tokio::task::JoinSet::new();
        for n in 0..16 {
            let page = pages[n % pages.len()];
            let request = app.client.get(app.url(page)).header("cookie", session.cookie());
            loads.spawn(async move {
                let answer = tokio::time::timeout(std::time::Duration::from_secs(10), async {
                    request.send().await?.text().await
                })
                .await;
                (page, answer)
            });
        }
        while let Some(done) = loads.join_next().await {
            let (page, answer) = done.unwrap();
            let html = answer
                .unwrap_or_else(|_| panic!("{page} stalled in round {rounds}"))
                .unwrap_or_else(|e| panic!("{page} failed in round {rounds}: {e}"));
            assert!(html.contains("data-testid=\"current-user\""), "{page} rendered no layout");
            assert!(!html.contains(">Loading…<"), "{page} rendered its loading state");
        }
        rounds += 1;
    }
    starts.await.unwrap();
}
