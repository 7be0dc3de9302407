//! Provisioning (SCIM 2.0) with the requests Okta and Microsoft Entra ID send, over
//! HTTP on both backends: create, find by filter, replace, patch in both dialects,
//! delete; the token, bad bodies and unknown ids refused in SCIM's error shape; and a
//! deactivation that ends a live session and an API token at once.
use serde_json::{json, Value};

use crate::common;
use crate::sso::{me, session_cookie, sign_in, MAP};
use common::oidc::Provider;
use common::{TestApp, TestDb, SCIM_TOKEN};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// A SCIM request with the provisioning token: the status and the JSON answer (null
/// when there is none). Every answer with a body is `application/scim+json`.
async fn scim(app: &TestApp, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    scim_as(app, Some(SCIM_TOKEN), method, path, body).await
}

async fn scim_as(
    app: &TestApp,
    token: Option<&str>,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = app.client.request(method, app.url(&format!("/scim/v2{path}")));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.header("content-type", "application/scim+json").body(b.to_string());
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let typed = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
    let text = r.text().await.unwrap();
    if !text.is_empty() {
        assert_eq!(typed.as_deref(), Some("application/scim+json"), "{text}");
    }
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn okta_user(user_name: &str, external_id: &str) -> Value {
    json!({
        "schemas": [USER], "userName": user_name,
        "name": { "givenName": "Test", "familyName": "User" },
        "emails": [{ "primary": true, "value": user_name, "type": "work" }],
        "displayName": "Test User", "locale": "en-US", "externalId": external_id,
        "groups": [], "password": "1mz050nq", "active": true
    })
}

fn entra_user(user_name: &str, email: &str) -> Value {
    json!({
        "schemas": [USER, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef", "userName": user_name, "active": true,
        "emails": [{ "primary": true, "type": "work", "value": email }],
        "meta": { "resourceType": "User" },
        "name": { "formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName" },
        "roles": []
    })
}

async fn okta_provisions_finds_updates_and_deactivates(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    let filter =
        "/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100";
    let (status, empty) = scim(&app, "GET", filter, None).await;
    assert_eq!(status, 200);
    assert_eq!(empty["totalResults"], 0);
    assert_eq!(empty["Resources"], json!([]), "Resources is present even when empty");

    let (status, made) = scim(
        &app,
        "POST",
        "/Users",
        Some(okta_user("test.user@okta.local", "00ujl29u0le5T6Aj10h7")),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["schemas"], json!([USER]));
    assert_eq!(made["userName"], "test.user@okta.local");
    assert_eq!(made["externalId"], "00ujl29u0le5T6Aj10h7");
    assert_eq!(made["active"], true);
    assert_eq!(made["displayName"], "Test User");
    let id = made["id"].as_str().unwrap().to_string();

    let (_, found) = scim(&app, "GET", filter, None).await;
    assert_eq!(
        (found["totalResults"].clone(), found["itemsPerPage"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(found["Resources"][0]["id"], id.as_str());
    assert_eq!(found["startIndex"], 1);
    let (status, again) =
        scim(&app, "POST", "/Users", Some(okta_user("Test.User@okta.local", "x"))).await;
    assert_eq!((status, again["scimType"].clone()), (409, json!("uniqueness")), "{again}");
    assert_eq!(again["status"], "409", "the status is a string");
    assert_eq!(again["schemas"], json!([ERROR]));

    // Okta sends profile changes as a whole user.
    let mut renamed = okta_user("test.user@okta.local", "00ujl29u0le5T6Aj10h7");
    renamed["displayName"] = "Tess User".into();
    let (status, put) = scim(&app, "PUT", &format!("/Users/{id}"), Some(renamed)).await;
    assert_eq!((status, put["displayName"].clone()), (200, json!("Tess User")));

    let deactivate = json!({ "schemas": [PATCH], "Operations": [{ "op": "replace", "value": { "active": false } }] });
    let (status, off) = scim(&app, "PATCH", &format!("/Users/{id}"), Some(deactivate)).await;
    assert_eq!((status, off["active"].clone()), (200, json!(false)), "{off}");
    let (_, read) = scim(&app, "GET", &format!("/Users/{id}"), None).await;
    assert_eq!(read["active"], false);

    let actions = t
        .scalar(&format!(
            "SELECT COUNT(*) FROM activity_events WHERE target_id = {id} AND actor_email = 'identity provider'
             AND action IN ('staff.create', 'staff.update', 'staff.deactivate')"
        ))
        .await;
    assert_eq!(actions, 3, "created, renamed, deactivated: each an event");
    let role = t.scalar(&format!("SELECT COUNT(*) FROM staff_users WHERE id = {id} AND role = 'sales' AND password_hash = ''")).await;
    assert_eq!(role, 1, "no password, the fewest permissions until a first sign-in");
}

async fn entra_provisions_patches_and_deletes(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    let user_name = "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1";
    let email = "Test_User_fd0ea19b@testuser.com";
    let (status, made) = scim(&app, "POST", "/Users", Some(entra_user(user_name, email))).await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["emails"][0]["value"], email.to_lowercase());
    assert_eq!(made["displayName"], "givenName familyName");
    let id = made["id"].as_str().unwrap().to_string();
    let (_, found) =
        scim(&app, "GET", &format!("/Users?filter=userName+eq+%22{user_name}%22"), None).await;
    assert_eq!(found["totalResults"], 1);

    let update = json!({ "schemas": [PATCH], "Operations": [
        { "op": "Replace", "path": "emails[type eq \"work\"].value", "value": "updatedEmail@microsoft.com" },
        { "op": "Replace", "path": "name.familyName", "value": "updatedFamilyName" },
        { "op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Support" }
    ] });
    let (status, updated) = scim(&app, "PATCH", &format!("/Users/{id}"), Some(update)).await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["emails"][0]["value"], "updatedemail@microsoft.com");
    assert_eq!(updated["displayName"], "givenName updatedFamilyName");

    let off = json!({ "schemas": [PATCH], "Operations": [{ "op": "Replace", "path": "active", "value": "False" }] });
    let (status, patched) = scim(&app, "PATCH", &format!("/Users/{id}"), Some(off)).await;
    assert_eq!((status, patched["active"].clone()), (200, json!(false)));
    let on = json!({ "schemas": [PATCH], "Operations": [{ "op": "Replace", "path": "active", "value": "True" }] });
    let (_, patched) = scim(&app, "PATCH", &format!("/Users/{id}"), Some(on)).await;
    assert_eq!(patched["active"], true);

    let (status, gone) = scim(&app, "DELETE", &format!("/Users/{id}"), None).await;
    assert_eq!((status, gone), (204, Value::Null));
    let (status, err) = scim(&app, "GET", &format!("/Users/{id}"), None).await;
    assert_eq!((status, err["status"].clone()), (404, json!("404")));
    let (_, listed) = scim(&app, "GET", "/Users", None).await;
    assert_eq!(listed["totalResults"], 0, "a deleted user is no longer listed");
    let kept =
        t.scalar(&format!("SELECT COUNT(*) FROM staff_users WHERE id = {id} AND NOT active")).await;
    assert_eq!(kept, 1, "the record stays, deactivated, for its timeline");

    // Assigned again, the same person gets their record back.
    let (status, back) =
        scim(&app, "POST", "/Users", Some(entra_user(user_name, "updatedEmail@microsoft.com")))
            .await;
    assert_eq!((status, back["id"].clone(), back["active"].clone()), (201, json!(id), json!(true)));
}

async fn bad_requests_are_refused_in_scims_shape(t: &TestDb) {
    let app = TestApp::spawn(t).await;
    let (status, e) = scim_as(&app, None, "GET", "/Users", None).await;
    assert_eq!(
        (status, e["status"].clone(), e["schemas"].clone()),
        (401, json!("401"), json!([ERROR]))
    );
    let (status, _) = scim_as(&app, Some("fct_not-it"), "GET", "/Users", None).await;
    assert_eq!(status, 401);
    let (status, e) = scim(&app, "POST", "/Users", Some(json!("not an object"))).await;
    assert_eq!((status, e["scimType"].clone()), (400, json!("invalidSyntax")));
    let (status, e) = scim(&app, "POST", "/Users", Some(json!({ "userName": "no-email" }))).await;
    assert_eq!((status, e["scimType"].clone()), (400, json!("invalidValue")));
    assert!(e["detail"].as_str().unwrap().contains("emails"), "{e}");
    let (status, e) = scim(&app, "GET", "/Users?filter=title%20sw%20%22x%22", None).await;
    assert_eq!((status, e["scimType"].clone()), (400, json!("invalidFilter")));
    for missing in ["/Users/999999", "/Users/not-a-number"] {
        let (status, _) = scim(&app, "GET", missing, None).await;
        assert_eq!(status, 404, "{missing}");
    }
    let bad_patch =
        json!({ "Operations": [{ "op": "replace", "path": "active", "value": "perhaps" }] });
    let (_, made) = scim(&app, "POST", "/Users", Some(okta_user("p@corp.example", "00u9"))).await;
    let (status, e) =
        scim(&app, "PATCH", &format!("/Users/{}", made["id"].as_str().unwrap()), Some(bad_patch))
            .await;
    assert_eq!((status, e["scimType"].clone()), (400, json!("invalidValue")));
    // A password account with the same email is not taken over.
    app.staff("pw@corp.example", app::domain::Role::Support, "a-long-test-password").await;
    let (status, _) =
        scim(&app, "POST", "/Users", Some(okta_user("pw@corp.example", "00u8"))).await;
    assert_eq!(status, 409);
}

/// The provider provisions a person, they sign in (their record, now linked, takes its
/// role from their groups), get an API token; deprovisioning ends both at once.
async fn deactivation_ends_a_live_session_and_a_token(t: &TestDb) {
    let Some(provider) = Provider::start().await else { return };
    let app = TestApp::spawn_with_sso(t, &provider, MAP).await;
    let (_, made) = scim(&app, "POST", "/Users", Some(okta_user("lin@corp.example", "lin"))).await;
    let id = made["id"].as_str().unwrap().to_string();
    provider
        .set_user(
            "lin",
            json!({ "email": "lin@corp.example", "name": "Lin", "groups": ["fc-support"] }),
        )
        .await;
    let (_, back) = sign_in(&app, &provider, "lin", "/").await;
    assert_eq!(back.status(), 303);
    let cookie = session_cookie(&back);
    let who = me(&app, &cookie).await;
    assert_eq!((who["id"].to_string(), who["role"].clone()), (id.clone(), json!("support")));
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM staff_users WHERE email = 'lin@corp.example'").await,
        1,
        "linked, not duplicated"
    );
    let token = app.token("lin@corp.example").await;
    let (status, _) = app.call("GET", "/me", &token, None).await;
    assert_eq!(status, 200);

    let off = json!({ "schemas": [PATCH], "Operations": [{ "op": "replace", "value": { "active": false } }] });
    let (status, _) = scim(&app, "PATCH", &format!("/Users/{id}"), Some(off)).await;
    assert_eq!(status, 200);
    let r = app.client.get(app.url("/api/v1/me")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(r.status(), 401, "the session ended");
    let (status, _) = app.call("GET", "/me", &token, None).await;
    assert_eq!(status, 401, "the token died");
    let left = t
        .scalar(&format!(
            "SELECT (SELECT COUNT(*) FROM sessions WHERE staff_user_id = {id})
                  + (SELECT COUNT(*) FROM api_tokens WHERE staff_user_id = {id} AND revoked_at IS NULL)"
        ))
        .await;
    assert_eq!(left, 0, "sessions deleted and tokens revoked in the same change");
    let (_, again) = sign_in(&app, &provider, "lin", "/").await;
    assert_eq!(again.status(), 403, "a deactivated person cannot sign in again");
}

on_both_backends!(
    okta_provisions_finds_updates_and_deactivates,
    entra_provisions_patches_and_deletes,
    bad_requests_are_refused_in_scims_shape,
    deactivation_ends_a_live_session_and_a_token,
);
