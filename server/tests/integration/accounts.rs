//! Staff credentials: API tokens expire and are revoked one by one (the command line and
//! the admin page's server functions), staff change their own password, and an admin's
//! reset ends the person's sessions and makes them choose their own before anything
//! else. Every one of these is an activity event.
use crate::common;

use app::auth::server::staff::AccountActor;
use app::auth::server::token;
use app::domain::Role;
use app::staff::{ChangePassword, ListTokens, ResetPassword, RevokeToken};
use common::process::command;
use common::{FnBody, Session, TestApp, TestDb};
use leptos::server_fn::ServerFn;
use serde_json::Value;

const PASSWORD: &str = "a-long-test-password";

/// Calls a server function with `session`'s cookie and CSRF token; status and JSON body.
async fn call_fn<T: ServerFn + serde::Serialize>(
    app: &TestApp,
    session: &Session,
    args: T,
) -> (u16, Value) {
    let body = FnBody::Form(serde_qs::to_string(&args).unwrap());
    app.server_fn_json(session, T::PATH, &body).await
}

async fn me(app: &TestApp, bearer: Option<&str>, session: Option<&Session>) -> u16 {
    let mut req = app.client.get(app.url("/api/v1/me"));
    if let Some(t) = bearer {
        req = req.bearer_auth(t);
    }
    if let Some(s) = session {
        req = req.header("cookie", s.cookie());
    }
    req.send().await.unwrap().status().as_u16()
}

async fn events(t: &TestDb, action: &str) -> i64 {
    t.scalar(&format!("SELECT COUNT(*) FROM activity_events WHERE action = '{action}'")).await
}

async fn tokens_expire_and_are_revoked_one_by_one(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    let bot = app.staff("bot@example.com", Role::Lead, PASSWORD).await;
    app.staff("root@example.com", Role::Admin, PASSWORD).await;
    let cli = AccountActor::command_line();
    let (a, made) = token::create(&t.db, "bot@example.com", "deploys", 90, &cli).await.unwrap();
    let (b, _) = token::create(&t.db, "bot@example.com", "reports", 90, &cli).await.unwrap();
    let (c, short) = token::create(&t.db, "bot@example.com", "one day", 1, &cli).await.unwrap();
    let in_days = (made.expires_at.unwrap() - made.created_at).num_days();
    assert_eq!((in_days, made.state.as_str(), made.staff_user_id), (90, "active", bot));
    assert!(token::create(&t.db, "bot@example.com", "forever", 5000, &cli).await.is_err());
    for tok in [&a, &b, &c] {
        assert_eq!(me(&app, Some(tok), None).await, 200);
    }
    assert_eq!(events(t, "token.create").await, 3);

    // An admin revokes one on the admin page: only that one stops working.
    let admin = app.login("root@example.com", PASSWORD).await;
    let (status, revoked) = call_fn(&app, &admin, RevokeToken { id: made.id }).await;
    assert_eq!((status, revoked["state"].as_str()), (200, Some("revoked")), "{revoked}");
    assert_eq!(me(&app, Some(&a), None).await, 401);
    assert_eq!(me(&app, Some(&b), None).await, 200);
    assert_eq!(events(t, "token.revoke").await, 1);
    // A token past its expiry is refused.
    let past = format!(
        "UPDATE api_tokens SET expires_at = '2026-01-01T00:00:00+00:00' WHERE id = {}",
        short.id
    );
    t.db.execute(sqlx::AssertSqlSafe(past)).await.unwrap();
    assert_eq!(me(&app, Some(&c), None).await, 401);
    let (status, listed) = call_fn(&app, &admin, ListTokens {}).await;
    assert_eq!(status, 200);
    let states: Vec<&str> =
        listed.as_array().unwrap().iter().map(|t| t["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["expired", "active", "revoked"], "{listed}");
    assert!(!listed.to_string().contains(&b), "a list never holds a token's text");
    // Only admins list or revoke them.
    let lead = app.login("bot@example.com", PASSWORD).await;
    assert_eq!(call_fn(&app, &lead, ListTokens {}).await.0, 403);

    // The command line lists and revokes them too, each revocation an event.
    let dir = tempfile::tempdir().unwrap();
    let listed = command(dir.path(), Some(&t.url))
        .args(["token", "list", "--email", "bot@example.com"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&listed.stdout).to_string();
    assert_eq!(text.lines().count(), 3, "{text}");
    let id_of_b = text
        .lines()
        .find(|l| l.contains("reports"))
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_string();
    let revoked = command(dir.path(), Some(&t.url))
        .args(["token", "revoke", "--id", &id_of_b])
        .output()
        .unwrap();
    assert!(revoked.status.success(), "{}", String::from_utf8_lossy(&revoked.stderr));
    assert_eq!(me(&app, Some(&b), None).await, 401);
    assert_eq!(events(t, "token.revoke").await, 2);
}

async fn staff_change_their_password_and_a_reset_forces_a_change(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    let ada = app.staff("ada@example.com", Role::Support, PASSWORD).await;
    app.staff("root@example.com", Role::Admin, PASSWORD).await;
    let first = app.login("ada@example.com", PASSWORD).await;
    let second = app.login("ada@example.com", PASSWORD).await;
    let change =
        |current: &str, new: &str| ChangePassword { current: current.into(), new: new.into() };

    let (status, wrong) = call_fn(&app, &first, change("not it", "a new long password")).await;
    assert_eq!(status, 422);
    assert!(wrong.to_string().contains("not your current password"), "{wrong}");
    let (status, short) = call_fn(&app, &first, change(PASSWORD, "short")).await;
    assert_eq!(status, 422, "{short}");
    let (status, done) = call_fn(&app, &first, change(PASSWORD, "a new long password")).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(me(&app, None, Some(&first)).await, 200, "the session that changed it stays");
    assert_eq!(me(&app, None, Some(&second)).await, 401, "every other session ended");
    assert_eq!(events(t, "staff.password_change").await, 1);

    // An admin resets it: Ada's sessions end, and her next sign-in reaches only /account.
    let admin = app.login("root@example.com", PASSWORD).await;
    let (status, reset) =
        call_fn(&app, &admin, ResetPassword { id: ada, password: "set by the admin".into() }).await;
    assert_eq!(status, 200, "{reset}");
    assert_eq!(me(&app, None, Some(&first)).await, 401);
    assert_eq!(events(t, "staff.password_reset").await, 1);
    let signed_in = app
        .client
        .post(app.url("/api/login"))
        .header("accept", "application/json")
        .form(&[
            ("email", "ada@example.com"),
            ("password", "set by the admin"),
            ("next", "/activity"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.headers()["location"], "/account?forced=1");
    let forced = app.login("ada@example.com", "set by the admin").await;
    assert_eq!(me(&app, None, Some(&forced)).await, 403);
    let activity = || app.client.get(app.url("/activity")).header("cookie", forced.cookie()).send();
    let page = activity().await.unwrap();
    assert_eq!(page.headers()["location"], "/account?forced=1");
    let (status, _) =
        call_fn(&app, &forced, change("set by the admin", "ada's own long password")).await;
    assert_eq!(status, 200);
    assert_eq!(me(&app, None, Some(&forced)).await, 200, "free again");
    assert_eq!(activity().await.unwrap().status(), 200);
}

on_both_backends!(
    tokens_expire_and_are_revoked_one_by_one,
    staff_change_their_password_and_a_reset_forces_a_change,
);
