//! Crafted ID tokens are refused, on both backends: an issuer of the tests' own
//! ([`HostileIssuer`]) answers the console's code exchange with a token from another
//! issuer, for another client, expired, unsigned (`alg: none`), of an earlier flow, or
//! signed with a key it does not publish. Each is refused (401, no session, no staff
//! record); the same issuer's correct token signs the person in, so the refusals are
//! the checks' doing and not a token the console could never read.
use crate::common;

use common::hostile_issuer::{Claims, HostileIssuer};
use common::{TestApp, TestDb};

const MAP: &str =
    "fc-admins=admin,fc-leads=lead,fc-support=support,fc-billing=billing,fc-sales=sales";

/// The test issuer, and the console signing in through it.
async fn console(t: &TestDb) -> (HostileIssuer, TestApp) {
    let issuer = HostileIssuer::start().await;
    let app = TestApp::spawn_with_sso_at(t, &issuer.issuer, MAP).await;
    (issuer, app)
}

/// A flow the console started: its `state` and `nonce`, read from the address it sends
/// the browser to.
struct Flow {
    state: String,
    nonce: String,
}

async fn start(app: &TestApp, issuer: &HostileIssuer) -> Flow {
    let r = app.client.get(app.url("/auth/oidc/login?next=/customers/1")).send().await.unwrap();
    assert_eq!(r.status(), 303, "the console sends the browser to the issuer");
    let authorize = reqwest::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
    assert!(authorize.as_str().starts_with(&format!("{}/authorize?", issuer.issuer)));
    let param = |name: &str| {
        let found = authorize.query_pairs().find(|(k, _)| k == name);
        found.unwrap_or_else(|| panic!("no {name} in {authorize}")).1.into_owned()
    };
    Flow { state: param("state"), nonce: param("nonce") }
}

/// The browser back at the console with a code, for the flow `flow`: the console trades
/// the code for whatever ID token the issuer was told to answer with.
async fn back(app: &TestApp, flow: &Flow) -> reqwest::Response {
    let path = format!("/auth/oidc/callback?code=x&state={}", flow.state);
    app.client.get(app.url(&path)).send().await.unwrap()
}

/// A whole sign-in whose ID token is `mint(issuer, correct claims for the flow)`.
async fn sign_in_with(
    app: &TestApp,
    issuer: &HostileIssuer,
    mint: impl FnOnce(&HostileIssuer, Claims) -> String,
) -> reqwest::Response {
    let flow = start(app, issuer).await;
    issuer.answer(mint(issuer, issuer.claims(&flow.nonce)));
    back(app, &flow).await
}

/// Refused as the console refuses any answer it cannot accept: 401, no cookie, and no
/// staff record or session beyond the `before` of each there already were.
async fn assert_refused(t: &TestDb, r: reqwest::Response, before: i64) {
    assert_eq!(r.status(), 401);
    assert!(r.headers().get("set-cookie").is_none(), "no session cookie");
    assert!(r.text().await.unwrap().contains("Sign-in did not complete"));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM staff_users").await, before, "no staff record");
    assert_eq!(t.scalar("SELECT COUNT(*) FROM sessions").await, before, "no session");
}

/// The positive control: without it the refusals below could all be of a token the
/// console can never read.
async fn a_correct_token_from_the_issuer_is_accepted(t: &TestDb) {
    let (issuer, app) = console(t).await;
    let r = sign_in_with(&app, &issuer, |i, c| i.signed(&c)).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/customers/1");
    assert!(r.headers().get("set-cookie").is_some(), "a session cookie");
    let sql = "SELECT COUNT(*) FROM staff_users WHERE idp_subject = 'sam' AND role = 'support'";
    assert_eq!(t.scalar(sql).await, 1, "signed in as the token's person, role from its groups");
}

async fn a_token_from_another_issuer_is_refused(t: &TestDb) {
    let (issuer, app) = console(t).await;
    let r = sign_in_with(&app, &issuer, |i, c| {
        i.signed(&Claims { issuer: "http://127.0.0.1:1".into(), ..c })
    })
    .await;
    assert_refused(t, r, 0).await;
}

async fn a_token_for_another_client_is_refused(t: &TestDb) {
    let (issuer, app) = console(t).await;
    let r = sign_in_with(&app, &issuer, |i, c| i.signed(&Claims { audience: "other".into(), ..c }))
        .await;
    assert_refused(t, r, 0).await;
}

async fn an_expired_token_is_refused(t: &TestDb) {
    let (issuer, app) = console(t).await;
    let r = sign_in_with(&app, &issuer, |i, c| {
        let hour = chrono::Duration::hours(1);
        i.signed(&Claims { issued: c.issued - hour * 2, expires: c.issued - hour, ..c })
    })
    .await;
    assert_refused(t, r, 0).await;
}

async fn an_unsigned_token_is_refused(t: &TestDb) {
    let (issuer, app) = console(t).await;
    let r = sign_in_with(&app, &issuer, |i, c| i.unsigned(&c)).await;
    assert_refused(t, r, 0).await;
}

async fn a_token_signed_with_another_key_is_refused(t: &TestDb) {
    let (issuer, app) = console(t).await;
    let r = sign_in_with(&app, &issuer, |i, c| i.signed_with_another_key(&c)).await;
    assert_refused(t, r, 0).await;
}

/// A token accepted once, replayed into a later flow: its nonce is the earlier flow's.
async fn a_token_of_an_earlier_flow_is_refused(t: &TestDb) {
    let (issuer, app) = console(t).await;
    let first = start(&app, &issuer).await;
    let token = issuer.signed(&issuer.claims(&first.nonce));
    issuer.answer(token.clone());
    assert_eq!(back(&app, &first).await.status(), 303, "accepted in its own flow");
    let later = start(&app, &issuer).await;
    assert_ne!(later.nonce, first.nonce);
    issuer.answer(token);
    assert_refused(t, back(&app, &later).await, 1).await;
}

/// Providers that keep groups out of the ID token give them at userinfo: the console
/// asks there, and only believes an answer about the token's own subject.
async fn groups_missing_from_the_token_come_from_userinfo(t: &TestDb) {
    let (issuer, app) = console(t).await;
    issuer.userinfo(serde_json::json!({ "sub": "sam", "groups": ["fc-leads"] }));
    let r = sign_in_with(&app, &issuer, |i, c| i.signed(&Claims { groups: None, ..c })).await;
    assert_eq!(r.status(), 303);
    let sql = "SELECT COUNT(*) FROM staff_users WHERE idp_subject = 'sam' AND role = 'lead'";
    assert_eq!(t.scalar(sql).await, 1, "the role from the groups userinfo lists");

    issuer.userinfo(serde_json::json!({ "sub": "someone-else", "groups": ["fc-admins"] }));
    let r = sign_in_with(&app, &issuer, |i, c| i.signed(&Claims { groups: None, ..c })).await;
    assert_refused(t, r, 1).await;
}

on_both_backends!(
    groups_missing_from_the_token_come_from_userinfo,
    a_correct_token_from_the_issuer_is_accepted,
    a_token_from_another_issuer_is_refused,
    a_token_for_another_client_is_refused,
    an_expired_token_is_refused,
    an_unsigned_token_is_refused,
    a_token_signed_with_another_key_is_refused,
    a_token_of_an_earlier_flow_is_refused,
);
