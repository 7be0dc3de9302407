//! Single sign-on against a real OpenID provider (`oidc-provider-mock`), with a real
//! HTTP client and cookies, on both backends: each role through its group, a person
//! with no mapped group refused, a role that follows the provider's groups from one
//! sign-in to the next, and a `state` the console did not hand out (or already used)
//! refused.
use crate::common;

use app::domain::Role;
use app::staff::SetStaffBreakGlass;
use common::oidc::Provider;
use common::{FnBody, TestApp, TestDb, SSO_PUBLIC_URL};
use leptos::server_fn::ServerFn;

const PASSWORD: &str = "a-long-test-password";

pub const MAP: &str =
    "fc-admins=admin,fc-leads=lead,fc-support=support,fc-billing=billing,fc-sales=sales";

/// The whole flow as a browser goes through it: the console's start, the provider's
/// page (signed in as `sub`), the console's callback. The provider's address and the
/// callback's answer.
pub async fn sign_in(
    app: &TestApp,
    provider: &Provider,
    sub: &str,
    next: &str,
) -> (String, reqwest::Response) {
    let start =
        app.client.get(app.url(&format!("/auth/oidc/login?next={next}"))).send().await.unwrap();
    assert_eq!(start.status(), 303, "the console sends the browser to the provider");
    let authorize = start.headers()["location"].to_str().unwrap().to_string();
    assert!(authorize.starts_with(&format!("{}/", provider.issuer)), "{authorize}");
    let back = provider.sign_in(&authorize, sub).await;
    let path = back.strip_prefix(SSO_PUBLIC_URL).expect("back to the console").to_string();
    (authorize, app.client.get(app.url(&path)).send().await.unwrap())
}

/// The session cookie a response sets, as a `cookie` header value.
pub fn session_cookie(r: &reqwest::Response) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

pub async fn me(app: &TestApp, cookie: &str) -> serde_json::Value {
    let r = app.client.get(app.url("/api/v1/me")).header("cookie", cookie).send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

async fn each_role_signs_in_through_its_group(t: &TestDb) {
    let Some(provider) = Provider::start().await else { return };
    let app = TestApp::spawn_with_sso(t, &provider, MAP).await;
    for (sub, group, role) in [
        ("ada", "fc-support", "support"),
        ("bo", "fc-sales", "sales"),
        ("cy", "fc-billing", "billing"),
        ("di", "fc-leads", "lead"),
        ("ed", "fc-admins", "admin"),
    ] {
        provider
            .set_user(sub, serde_json::json!({ "email": format!("{sub}@corp.example"), "name": sub, "groups": ["everyone", group] }))
            .await;
        let (authorize, back) = sign_in(&app, &provider, sub, "/customers/1").await;
        for part in
            ["code_challenge_method=S256", "code_challenge=", "nonce=", "state=", "scope=openid"]
        {
            assert!(authorize.contains(part), "{part} in {authorize}");
        }
        assert_eq!(back.status(), 303, "{sub}");
        assert_eq!(back.headers()["location"], "/customers/1", "lands on the page asked for");
        let who = me(&app, &session_cookie(&back)).await;
        assert_eq!(who["email"], format!("{sub}@corp.example"));
        assert_eq!(who["role"], role);
    }
    // Each first sign-in made a staff record, with its event.
    assert_eq!(t.scalar("SELECT COUNT(*) FROM staff_users WHERE idp_subject IS NOT NULL").await, 5);
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM activity_events WHERE action = 'staff.create'").await,
        5
    );
}

async fn no_mapped_group_no_access(t: &TestDb) {
    let Some(provider) = Provider::start().await else { return };
    let app = TestApp::spawn_with_sso(t, &provider, MAP).await;
    provider
        .set_user("zed", serde_json::json!({ "email": "zed@corp.example", "groups": ["everyone"] }))
        .await;
    let (_, back) = sign_in(&app, &provider, "zed", "/").await;
    assert_eq!(back.status(), 403);
    assert!(session_cookie(&back).is_empty(), "no session");
    let page = back.text().await.unwrap();
    assert!(page.contains("No access to the console") && page.contains("fc-support"), "{page}");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM staff_users").await, 0);
}

async fn the_role_follows_the_groups_at_each_sign_in(t: &TestDb) {
    let Some(provider) = Provider::start().await else { return };
    let app = TestApp::spawn_with_sso(t, &provider, MAP).await;
    let claims =
        |groups: &[&str]| serde_json::json!({ "email": "lee@corp.example", "groups": groups });
    provider.set_user("lee", claims(&["fc-support", "fc-leads"])).await;
    let (_, back) = sign_in(&app, &provider, "lee", "/").await;
    assert_eq!(me(&app, &session_cookie(&back)).await["role"], "lead", "the role that may do most");
    provider.set_user("lee", claims(&["fc-support"])).await;
    let (_, back) = sign_in(&app, &provider, "lee", "/").await;
    assert_eq!(me(&app, &session_cookie(&back)).await["role"], "support", "the lead group removed");
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM activity_events WHERE action = 'staff.role_change'").await,
        1
    );
    provider.set_user("lee", claims(&[])).await;
    let (_, back) = sign_in(&app, &provider, "lee", "/").await;
    assert_eq!(back.status(), 403, "no group left: no access");
}

async fn a_state_not_handed_out_or_used_twice_is_refused(t: &TestDb) {
    let Some(provider) = Provider::start().await else { return };
    let app = TestApp::spawn_with_sso(t, &provider, MAP).await;
    provider
        .set_user("mo", serde_json::json!({ "email": "mo@corp.example", "groups": ["fc-support"] }))
        .await;
    let start = app.client.get(app.url("/auth/oidc/login?next=/")).send().await.unwrap();
    let authorize = start.headers()["location"].to_str().unwrap().to_string();
    let back = provider.sign_in(&authorize, "mo").await;
    let path = back.strip_prefix(SSO_PUBLIC_URL).unwrap().to_string();
    // Another state with the provider's real code: refused before the code is used.
    let forged = path.replace("state=", "state=forged");
    let r = app.client.get(app.url(&forged)).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(session_cookie(&r).is_empty());
    // The real one works once; its replay is refused.
    let r = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let r = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), 401, "a used state is gone");
}

async fn a_first_sign_in_does_not_take_over_a_password_account(t: &TestDb) {
    let Some(provider) = Provider::start().await else { return };
    let app = TestApp::spawn_with_sso(t, &provider, MAP).await;
    let id =
        app.staff("pat@corp.example", app::domain::Role::Support, "a-long-test-password").await;
    provider
        .set_user(
            "someone",
            serde_json::json!({ "email": "pat@corp.example", "groups": ["fc-admins"] }),
        )
        .await;
    let (_, back) = sign_in(&app, &provider, "someone", "/").await;
    assert_eq!(back.status(), 403);
    assert!(session_cookie(&back).is_empty(), "no session");
    let linked = t.scalar(&format!("SELECT COUNT(*) FROM staff_users WHERE id = {id} AND idp_subject IS NULL AND role = 'support'")).await;
    assert_eq!(linked, 1, "the password account is unchanged and not linked");
}

/// The cookie value `name` in a `cookie` header value.
fn cookie_value(cookie: &str, name: &str) -> String {
    cookie
        .split("; ")
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} in {cookie}"))
        .to_string()
}

/// Signs out with `cookie`: where the console sends the browser.
async fn sign_out(app: &TestApp, cookie: &str) -> String {
    let r = app
        .client
        .post(app.url(<app::auth::Logout as ServerFn>::PATH))
        .header("accept", "application/json")
        .header("cookie", cookie)
        .header("x-csrf-token", cookie_value(cookie, "fc_csrf"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    r.headers()["location"].to_str().unwrap().to_string()
}

async fn sign_out_ends_the_providers_session_too(t: &TestDb) {
    let Some(provider) = Provider::start().await else { return };
    let app = TestApp::spawn_with_sso(t, &provider, MAP).await;
    provider
        .set_user(
            "noa",
            serde_json::json!({ "email": "noa@corp.example", "groups": ["fc-support"] }),
        )
        .await;
    let (_, back) = sign_in(&app, &provider, "noa", "/").await;
    let cookie = session_cookie(&back);
    me(&app, &cookie).await;
    let to = sign_out(&app, &cookie).await;
    assert!(to.starts_with(&format!("{}/oauth2/end_session?", provider.issuer)), "{to}");
    assert!(to.contains("id_token_hint=ey"), "the ID token goes back as the hint: {to}");
    assert!(to.contains("post_logout_redirect_uri=http%3A%2F%2Fconsole.test%2Flogin"), "{to}");
    let r = app.client.get(app.url("/api/v1/me")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(r.status(), 401, "the console's session ended");
    let page = app.client.get(&to).send().await.unwrap();
    assert_eq!(page.status(), 200, "the provider takes the sign-out");

    // A password session of a break-glass account signs out to the sign-in page.
    let id = app.staff("glass@corp.example", Role::Admin, PASSWORD).await;
    app::on_db!(&app.db, |p| sqlx::query(
        "UPDATE staff_users SET break_glass = TRUE WHERE id = $1"
    )
    .bind(id)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))
    .unwrap();
    let s = app.login("glass@corp.example", PASSWORD).await;
    assert_eq!(sign_out(&app, &s.cookie()).await, "/login");
}

/// With single sign-on on, a password opens the console only for an account an admin
/// marked break-glass; the mark and each such sign-in are activity events.
async fn password_sign_in_is_for_break_glass_accounts_only(t: &TestDb) {
    let Some(provider) = Provider::start().await else { return };
    let app = TestApp::spawn_with_sso(t, &provider, MAP).await;
    let admin = app.staff("root@corp.example", Role::Admin, PASSWORD).await;
    let ops = app.staff("ops@corp.example", Role::Lead, PASSWORD).await;
    let attempt = |email: &'static str| {
        app.client
            .post(app.url("/api/login"))
            .header("accept", "application/json")
            .form(&[("email", email), ("password", PASSWORD), ("next", "/")])
            .send()
    };
    let r = attempt("ops@corp.example").await.unwrap();
    assert_eq!(r.status(), 403, "the right password, but not a break-glass account");
    assert!(r.headers().get("set-cookie").is_none(), "no session");
    let text = r.text().await.unwrap();
    assert!(text.contains("sign in with Corp ID"), "{text}");

    let (status, _) = app
        .server_fn(
            Some(&app.session_of(admin).await),
            SetStaffBreakGlass::PATH,
            &FnBody::Form(serde_qs::to_string(&SetStaffBreakGlass { id: ops, on: true }).unwrap()),
        )
        .await;
    assert_eq!(status, 200);
    let s = app.login("ops@corp.example", PASSWORD).await;
    let r =
        app.client.get(app.url("/api/v1/me")).header("cookie", s.cookie()).send().await.unwrap();
    assert_eq!(r.status(), 200, "a break-glass account signs in with its password");
    for (action, count) in [("staff.break_glass", 1), ("staff.break_glass_sign_in", 1)] {
        let n = t
            .scalar(&format!(
                "SELECT COUNT(*) FROM activity_events WHERE action = '{action}' AND target_id = {ops}"
            ))
            .await;
        assert_eq!(n, count, "{action}");
    }
    // The sign-in page learns how to offer the provider.
    let (status, name) = app
        .server_fn(
            None,
            <app::auth::SignInProvider as ServerFn>::PATH,
            &FnBody::Form(String::new()),
        )
        .await;
    assert_eq!((status, name.as_str()), (200, "\"Corp ID\""));
}

/// Who someone is at the provider decides their role and how they sign in: an admin
/// neither sets the role of a person who signs in through it nor gives them a password.
async fn the_provider_alone_sets_the_role_of_its_people(t: &TestDb) {
    let Some(provider) = Provider::start().await else { return };
    let app = TestApp::spawn_with_sso(t, &provider, MAP).await;
    provider
        .set_user(
            "rui",
            serde_json::json!({ "email": "rui@corp.example", "groups": ["fc-support"] }),
        )
        .await;
    let (_, back) = sign_in(&app, &provider, "rui", "/").await;
    let id = me(&app, &session_cookie(&back)).await["id"].as_i64().unwrap();
    let admin = app.session_of(app.staff("root@corp.example", Role::Admin, PASSWORD).await).await;
    let form = |args: String| FnBody::Form(args);
    let role = app::staff::SetStaffRole { id, role: "admin".into() };
    let (status, text) = app
        .server_fn(
            Some(&admin),
            app::staff::SetStaffRole::PATH,
            &form(serde_qs::to_string(&role).unwrap()),
        )
        .await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("groups at the identity provider"), "{text}");
    let glass = SetStaffBreakGlass { id, on: true };
    let (status, _) = app
        .server_fn(
            Some(&admin),
            SetStaffBreakGlass::PATH,
            &form(serde_qs::to_string(&glass).unwrap()),
        )
        .await;
    assert_eq!(status, 422);
    let unchanged = format!(
        "SELECT COUNT(*) FROM staff_users WHERE id = {id} AND role = 'support' AND NOT break_glass"
    );
    assert_eq!(t.scalar(&unchanged).await, 1);
}

/// Anyone may start a sign-in, and each start is kept for minutes: a flood of starts is
/// refused (429) once as many are under way as the console keeps, and stores nothing.
async fn a_flood_of_starts_is_bounded(t: &TestDb) {
    let Some(provider) = Provider::start().await else { return };
    let app = TestApp::spawn_with_sso(t, &provider, MAP).await;
    let max = app::auth::server::sso::MAX_PENDING;
    let flood = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
        INSERT INTO sso_logins (state_hash, nonce, pkce_verifier, next_path, created_at)
        SELECT 'flood-' || i, 'n', 'v', '/', $2 FROM n";
    app::on_db!(&app.db, |p| sqlx::query(flood)
        .bind(max)
        .bind(chrono::Utc::now())
        .execute(p)
        .await
        .map(|r| r.rows_affected()))
    .unwrap();
    let r = app.client.get(app.url("/auth/oidc/login?next=/")).send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM sso_logins").await, max, "nothing more stored");
}

on_both_backends!(
    a_flood_of_starts_is_bounded,
    the_provider_alone_sets_the_role_of_its_people,
    sign_out_ends_the_providers_session_too,
    password_sign_in_is_for_break_glass_accounts_only,
    a_first_sign_in_does_not_take_over_a_password_account,
    each_role_signs_in_through_its_group,
    no_mapped_group_no_access,
    the_role_follows_the_groups_at_each_sign_in,
    a_state_not_handed_out_or_used_twice_is_refused,
);
