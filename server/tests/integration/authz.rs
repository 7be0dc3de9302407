//! The authorization matrix: every JSON API endpoint and every server function the UI
//! calls, for every role and for a stranger, from one table of who may call what
//! (docs/PRODUCT.md "Roles"). A refused caller gets 403 (401 when signed out) and nothing
//! happens; an allowed one gets anything but those. Then: nobody approves their own
//! request, through either door.
use crate::common;

use app::domain::{OpRequest, Operation, Role};
use common::fixture::{self, CUSTOMER, NS_MAIN, SUB_MAIN};
use common::{FnBody, TestApp, TestDb};
use leptos::server_fn::ServerFn;
use serde::Serialize;
use serde_json::{json, Value};

/// Who may make a call.
#[derive(Clone, Copy)]
enum Who {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in staff member.
    SignedIn,
    /// Only these roles.
    Only(&'static [Role]),
}

use Role::{Admin, Billing, Lead, Sales, Support};

const EVERY_ROLE: &[Role] = &[Support, Sales, Billing, Lead, Admin];
const SUBSCRIPTION_EDITORS: &[Role] = &[Support, Billing, Lead, Admin];
const SUBSCRIPTION_FIELDS: &[Role] = &[Support, Lead, Admin];
const NAMESPACE_CONTROLS: &[Role] = &[Support, Lead, Admin];
const TRIAL_CONTROLS: &[Role] = &[Support, Lead, Admin];
const TRIAL_EXTENDERS: &[Role] = &[Support, Sales, Lead, Admin];
const GRANTS: &[Role] = &[Support, Lead, Admin];
const SEAT_WAIVERS: &[Role] = &[Billing, Lead, Admin];
const EXTENSIONS: &[Role] = &[Sales, Lead, Admin];
const INTEGRITY: &[Role] = &[Support, Billing, Lead, Admin];
const APPROVERS: &[Role] = &[Lead, Admin];
const DASHBOARDS: &[Role] = &[Lead, Admin];
const STAFF_ADMIN: &[Role] = &[Admin];

/// How a call is made.
enum Door {
    /// `/api/v1{path}` with a bearer token.
    Api { method: &'static str, path: String, body: Option<Value> },
    /// A server function with the session cookie and CSRF token.
    Fn { path: &'static str, body: FnBody },
}

struct Case {
    name: &'static str,
    door: Door,
    who: Who,
}

const MISSING: i64 = 999_999;

fn api(method: &'static str, path: impl Into<String>, body: Option<Value>) -> Door {
    Door::Api { method, path: path.into(), body }
}

fn json_fn<T: ServerFn + Serialize>(args: T) -> Door {
    Door::Fn { path: T::PATH, body: FnBody::Json(serde_json::to_value(args).unwrap()) }
}

fn form_fn<T: ServerFn + Serialize>(args: T) -> Door {
    Door::Fn { path: T::PATH, body: FnBody::Form(serde_qs::to_string(&args).unwrap()) }
}

fn op(op: Operation) -> OpRequest {
    OpRequest::asked(
        op,
        "authorization matrix".into(),
        Some("https://tickets.example/1".into()),
        Some("ops@acme.example".into()),
    )
}

fn ns_op(name: &str) -> Door {
    let body = json!({"reason": "authorization matrix", "ticket_url": "https://tickets.example/1", "requester": "ops@acme.example", "version": 1,
        "subscription_id": SUB_MAIN, "days": 5, "plan": "premium", "delta": 10, "kind": "permanent", "delta_mib": 10});
    api("POST", format!("/namespaces/{MISSING}/{name}"), Some(body))
}

/// The one table. `undo_event` is a real, reversible event (its permission is that of
/// the undone change: grants).
fn table(undo_event: i64) -> Vec<Case> {
    use app::activity::*;
    use app::approvals::*;
    use app::audit::ActivityFilter;
    use app::auth::*;
    use app::customer::*;
    use app::dashboard::*;
    use app::domain::ExtensionRequest;
    use app::extensions::*;
    use app::integrity::*;
    use app::notes::*;
    use app::ops::*;
    use app::search::*;
    use app::staff::*;
    use app::tickets::*;
    let edit = |seats: Option<i64>, auto_renew: Option<bool>| Operation::EditSubscription {
        subscription_id: MISSING,
        version: 1,
        seats,
        end_date: None,
        auto_renew,
        status: None,
    };
    let extension = ExtensionRequest {
        subscription_id: MISSING,
        days: 14,
        users_count: 10,
        reason: "authorization matrix".into(),
        opportunity_id: "OPP-1".into(),
        ticket_url: None,
        requester: None,
    };
    let fix = json!({"finding_id": MISSING, "reason": "authorization matrix", "ticket_url": "https://tickets.example/1"});
    let case = |name, door, who| Case { name, door, who };
    vec![
        // JSON API
        case("GET openapi.json", api("GET", "/openapi.json", None), Who::Public),
        case("GET me", api("GET", "/me", None), Who::SignedIn),
        case("GET search", api("GET", "/search?q=acme", None), Who::Only(EVERY_ROLE)),
        case("GET customers/{id}", api("GET", format!("/customers/{CUSTOMER}"), None), Who::Only(EVERY_ROLE)),
        case("PATCH subscriptions/{id} seats", api("PATCH", format!("/subscriptions/{MISSING}"),
            Some(json!({"version": 1, "reason": "authorization matrix", "ticket_url": "https://tickets.example/1", "requester": "ops@acme.example", "seats": 11}))),
            Who::Only(SUBSCRIPTION_EDITORS)),
        case("PATCH subscriptions/{id} auto_renew", api("PATCH", format!("/subscriptions/{MISSING}"),
            Some(json!({"version": 1, "reason": "authorization matrix", "ticket_url": "https://tickets.example/1", "requester": "ops@acme.example", "auto_renew": false}))),
            Who::Only(SUBSCRIPTION_FIELDS)),
        case("POST namespaces update_plan", ns_op("update_plan"), Who::Only(NAMESPACE_CONTROLS)),
        case("POST namespaces replace_link", ns_op("replace_link"), Who::Only(NAMESPACE_CONTROLS)),
        case("POST namespaces clear_subscription", ns_op("clear_subscription"), Who::Only(NAMESPACE_CONTROLS)),
        case("POST namespaces trial/extend", ns_op("trial/extend"), Who::Only(TRIAL_EXTENDERS)),
        case("POST namespaces trial/reactivate", ns_op("trial/reactivate"), Who::Only(TRIAL_CONTROLS)),
        case("POST namespaces trial/change_plan", ns_op("trial/change_plan"), Who::Only(TRIAL_CONTROLS)),
        case("POST namespaces trial/end", ns_op("trial/end"), Who::Only(TRIAL_CONTROLS)),
        case("POST namespaces compute_minutes", ns_op("compute_minutes"), Who::Only(GRANTS)),
        case("POST namespaces storage", ns_op("storage"), Who::Only(GRANTS)),
        case("POST namespaces reset_max_seats", ns_op("reset_max_seats"), Who::Only(SEAT_WAIVERS)),
        case("GET activity", api("GET", "/activity", None), Who::Only(EVERY_ROLE)),
        case("GET activity.csv", api("GET", "/activity.csv", None), Who::Only(EVERY_ROLE)),
        case("GET activity/verify", api("GET", "/activity/verify", None), Who::Only(EVERY_ROLE)),
        case("GET activity/state", api("GET", format!("/activity/state?target_type=subscription&target_id={SUB_MAIN}&at=2026-01-01T00:00:00Z"), None),
            Who::Only(EVERY_ROLE)),
        case("POST activity/{id}/undo", api("POST", format!("/activity/{undo_event}/undo"),
            Some(json!({"reason": "authorization matrix", "ticket_url": "https://tickets.example/1", "requester": "ops@acme.example"}))), Who::Only(GRANTS)),
        case("GET approvals", api("GET", "/approvals", None), Who::Only(APPROVERS)),
        case("POST approvals/{id}/approve", api("POST", format!("/approvals/{MISSING}/approve"), Some(json!({"note": "ok"}))),
            Who::Only(APPROVERS)),
        case("POST approvals/{id}/reject", api("POST", format!("/approvals/{MISSING}/reject"), Some(json!({"note": "no"}))),
            Who::Only(APPROVERS)),
        case("POST extensions", api("POST", "/extensions", Some(serde_json::to_value(&extension).unwrap())), Who::Only(EXTENSIONS)),
        case("GET renewals", api("GET", "/renewals", None), Who::Only(EXTENSIONS)),
        case("POST licenses/verify", api("POST", "/licenses/verify", Some(json!({"license": "not a license"}))), Who::Only(EVERY_ROLE)),
        case("GET licenses/{id}/file", api("GET", format!("/licenses/{MISSING}/file"), None), Who::Only(EVERY_ROLE)),
        case("GET integrity", api("GET", "/integrity", None), Who::Only(INTEGRITY)),
        case("POST integrity/fix", api("POST", "/integrity/fix", Some(fix.clone())), Who::Only(INTEGRITY)),
        case("POST integrity/fix/bulk", api("POST", "/integrity/fix/bulk", Some(json!({"finding_ids": [MISSING]}))), Who::Only(INTEGRITY)),
        case("POST integrity/flag", api("POST", "/integrity/flag", Some(fix)), Who::Only(INTEGRITY)),
        case("GET tickets", api("GET", "/tickets?url=https%3A%2F%2Ftickets.example%2F1", None), Who::Only(EVERY_ROLE)),
        case("GET customers/{id}/notes", api("GET", format!("/customers/{CUSTOMER}/notes"), None), Who::Only(EVERY_ROLE)),
        case("POST customers/{id}/notes", api("POST", format!("/customers/{MISSING}/notes"), Some(json!({"body": "authorization matrix"}))),
            Who::Only(EVERY_ROLE)),
        case("POST notes/{id}/pin", api("POST", format!("/notes/{MISSING}/pin"), None), Who::Only(EVERY_ROLE)),
        case("GET insights/repeats", api("GET", "/insights/repeats", None), Who::Only(DASHBOARDS)),
        // Server functions of the UI
        case("fn login", form_fn(Login { email: "nobody@example.com".into(), password: "wrong".into(), next: None }), Who::Public),
        case("fn get_current_user", form_fn(GetCurrentUser {}), Who::Public),
        case("fn logout", form_fn(Logout {}), Who::Public),
        case("fn search", form_fn(Search { q: "acme".into(), limit: None }), Who::Only(EVERY_ROLE)),
        case("fn get_customer", form_fn(GetCustomer { id: CUSTOMER }), Who::Only(EVERY_ROLE)),
        case("fn current_subscription", form_fn(CurrentSubscription { id: SUB_MAIN }), Who::Only(EVERY_ROLE)),
        case("fn preview_operation seats", json_fn(PreviewOperation { request: op(edit(Some(11), None)) }), Who::Only(SUBSCRIPTION_EDITORS)),
        case("fn run_operation seats", json_fn(RunOperation { request: op(edit(Some(11), None)) }), Who::Only(SUBSCRIPTION_EDITORS)),
        case("fn run_operation auto_renew", json_fn(RunOperation { request: op(edit(None, Some(false))) }), Who::Only(SUBSCRIPTION_FIELDS)),
        case("fn run_operation update_plan", json_fn(RunOperation { request: op(Operation::UpdatePlan { namespace_id: MISSING, version: None }) }),
            Who::Only(NAMESPACE_CONTROLS)),
        case("fn run_operation trial.extend",
            json_fn(RunOperation { request: op(Operation::ExtendTrial { namespace_id: MISSING, days: 5, version: None }) }),
            Who::Only(TRIAL_EXTENDERS)),
        case("fn run_operation trial.end", json_fn(RunOperation { request: op(Operation::EndTrial { namespace_id: MISSING, version: None }) }),
            Who::Only(TRIAL_CONTROLS)),
        case("fn run_operation compute_minutes", json_fn(RunOperation { request: op(Operation::ComputeMinutes {
            namespace_id: MISSING, delta: 10, kind: "permanent".into(), version: None }) }), Who::Only(GRANTS)),
        case("fn run_operation reset_max_seats",
            json_fn(RunOperation { request: op(Operation::ResetMaxSeats { namespace_id: MISSING, version: None }) }),
            Who::Only(SEAT_WAIVERS)),
        case("fn run_operation undo", json_fn(RunOperation { request: op(Operation::Undo { event_id: undo_event }) }), Who::Only(GRANTS)),
        case("fn load_activity", json_fn(LoadActivity { filter: ActivityFilter::default(), cursor: None }), Who::Only(EVERY_ROLE)),
        case("fn activity_since", json_fn(ActivitySince { filter: ActivityFilter::default(), after: 0 }), Who::Only(EVERY_ROLE)),
        case("fn chain_status", form_fn(ChainStatus {}), Who::Only(EVERY_ROLE)),
        case("fn activity_actors", form_fn(ActivityActors {}), Who::Only(EVERY_ROLE)),
        case("fn record_as_of", form_fn(RecordAsOf { target_type: "subscription".into(), target_id: SUB_MAIN, at: "2026-01-01T00:00:00Z".into() }),
            Who::Only(EVERY_ROLE)),
        case("fn extension_eligibility", form_fn(ExtensionEligibility { subscription_id: SUB_MAIN }), Who::Only(EXTENSIONS)),
        case("fn preview_extension", json_fn(PreviewExtension { request: extension.clone() }), Who::Only(EXTENSIONS)),
        case("fn submit_extension", json_fn(SubmitExtension { request: extension }), Who::Only(EXTENSIONS)),
        case("fn signed_license", form_fn(SignedLicense { id: MISSING }), Who::Only(EVERY_ROLE)),
        case("fn renewal_watchlist", form_fn(RenewalWatchlist { within_days: None, sort: None }), Who::Only(EXTENSIONS)),
        case("fn list_approvals", form_fn(ListApprovals { status: None }), Who::Only(APPROVERS)),
        case("fn decide_approval", form_fn(DecideApproval { id: MISSING, approve: true, note: "ok".into() }), Who::Only(APPROVERS)),
        case("fn load_integrity", json_fn(LoadIntegrity { filter: IntegrityFilter::default(), cursor: None }), Who::Only(INTEGRITY)),
        case("fn bulk_fix", json_fn(BulkFix { request: BulkFixRequest { finding_ids: vec![MISSING], reason: String::new(), ticket_url: None, confirm: None } }),
            Who::Only(INTEGRITY)),
        case("fn flag_to_sales", json_fn(FlagToSales { finding_id: MISSING, reason: "authorization matrix".into() }), Who::Only(INTEGRITY)),
        case("fn load_findings", form_fn(LoadFindings {}), Who::Only(DASHBOARDS)),
        case("fn load_ticket", form_fn(LoadTicket { url: "https://tickets.example/1".into() }), Who::Only(EVERY_ROLE)),
        case("fn add_note", form_fn(AddNote { customer_id: MISSING, body: "authorization matrix".into() }), Who::Only(EVERY_ROLE)),
        case("fn change_note", form_fn(ChangeNote { id: MISSING, action: app::domain::NoteAction::Pin }), Who::Only(EVERY_ROLE)),
        case("fn load_dashboard", form_fn(LoadDashboard {}), Who::Only(DASHBOARDS)),
        case("fn list_staff", form_fn(ListStaff {}), Who::Only(STAFF_ADMIN)),
        case("fn create_staff", form_fn(CreateStaff { form: NewStaffForm {
            email: "x".into(), name: String::new(), role: "nobody".into(), password: String::new() } }), Who::Only(STAFF_ADMIN)),
        case("fn set_staff_role", form_fn(SetStaffRole { id: MISSING, role: "support".into() }), Who::Only(STAFF_ADMIN)),
        case("fn set_staff_active", form_fn(SetStaffActive { id: MISSING, active: false }), Who::Only(STAFF_ADMIN)),
        case("fn set_staff_break_glass", form_fn(SetStaffBreakGlass { id: MISSING, on: true }), Who::Only(STAFF_ADMIN)),
        case("fn list_tokens", form_fn(ListTokens {}), Who::Only(STAFF_ADMIN)),
        case("fn revoke_token", form_fn(RevokeToken { id: MISSING }), Who::Only(STAFF_ADMIN)),
        case("fn reset_password", form_fn(ResetPassword { id: MISSING, password: "a long enough password".into() }), Who::Only(STAFF_ADMIN)),
        case("fn change_password", form_fn(ChangePassword { current: "not the password".into(), new: "a long enough password".into() }), Who::SignedIn),
    ]
}

/// One staff member of each role, with an API token.
struct Staff {
    role: Role,
    id: i64,
    token: String,
}

/// Makes `door`'s request as `caller` (`None`: signed out); returns the status and body.
async fn call(app: &TestApp, door: &Door, caller: Option<&Staff>) -> (u16, String) {
    let request = match door {
        Door::Api { method, path, body } => {
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let mut req = app.client.request(method, app.url(&format!("/api/v1{path}")));
            if let Some(s) = caller {
                req = req.bearer_auth(&s.token);
            }
            if let Some(b) = body {
                req = req.json(b);
            }
            req
        }
        Door::Fn { path, body } => {
            // A fresh session per call, so a sign-out in the table ends only its own.
            let session = match caller {
                Some(s) => Some(app.session_of(s.id).await),
                None => None,
            };
            return app.server_fn(session.as_ref(), path, body).await;
        }
    };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn every_call_is_allowed_or_refused_as_the_roles_say(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = TestApp::spawn(t).await;
    let mut staff = Vec::new();
    for role in EVERY_ROLE {
        let (id, token) = fixture::staff_token(&t.db, *role).await;
        staff.push(Staff { role: *role, id, token });
    }
    // A real reversible change to undo: a grant of compute minutes.
    let admin = staff.iter().find(|s| s.role == Admin).unwrap();
    let (status, granted) = app.call("POST", &format!("/namespaces/{NS_MAIN}/compute_minutes"), &admin.token,
        Some(json!({"reason": "to undo", "ticket_url": "https://tickets.example/1", "requester": "ops@acme.example", "delta": 100, "kind": "permanent"}))).await;
    assert_eq!(status, 200, "{granted}");
    let undo_event = granted["event_id"].as_i64().unwrap();
    let events_before = t.scalar("SELECT COUNT(*) FROM activity_events").await;

    let mut wrong = Vec::new();
    let mut calls = 0;
    for case in table(undo_event) {
        let (status, body) = call(&app, &case.door, None).await;
        calls += 1;
        let stranger_ok = matches!(case.who, Who::Public);
        if stranger_ok == (status == 401) || status == 403 || status >= 500 {
            wrong.push(format!("{} signed out: {status} {body}", case.name));
        }
        for s in &staff {
            let allowed = match case.who {
                Who::Public | Who::SignedIn => true,
                Who::Only(roles) => roles.contains(&s.role),
            };
            let (status, body) = call(&app, &case.door, Some(s)).await;
            calls += 1;
            let refused = status == 403 || status == 401;
            if allowed == refused || status >= 500 {
                wrong.push(format!("{} as {}: {status} {body}", case.name, s.role.as_str()));
            }
            if refused
                && case.name.starts_with("GET ")
                    | case.name.starts_with("POST ")
                    | case.name.starts_with("PATCH ")
            {
                let error: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                if error["error"]["code"] != "forbidden" {
                    wrong.push(format!(
                        "{} as {}: refusal is not a JSON forbidden error: {body}",
                        case.name,
                        s.role.as_str()
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {calls} calls answered against the table:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    // The only change the allowed callers could make was the one undo (the rest aimed
    // at records that do not exist, or were refused); a sign-in failure is no event.
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM activity_events").await,
        events_before + 1,
        "exactly one undo ran"
    );
}

/// Nobody approves their own request: not a lead, not an admin, not through the API
/// and not through the UI's server function. Another lead may.
async fn nobody_approves_their_own_request(t: &TestDb) {
    fixture::load(&t.db).await;
    let app = TestApp::spawn(t).await;
    for role in [Lead, Admin] {
        let (id, token) =
            fixture::staff_token_named(&t.db, role, &format!("requester-{}", role.as_str())).await;
        // Replacing a link always needs a lead's approval, whoever asks.
        let (status, pending) = app.call("POST", &format!("/namespaces/{}/replace_link", fixture::NS_FREE), &token,
            Some(json!({"reason": "move the subscription", "ticket_url": "https://tickets.example/9", "requester": "ops@acme.example", "subscription_id": fixture::SUB_ORPHAN}))).await;
        assert_eq!(status, 202, "{pending}");
        let approval = pending["approval_id"].as_i64().unwrap();
        let (status, answer) = app
            .call(
                "POST",
                &format!("/approvals/{approval}/approve"),
                &token,
                Some(json!({"note": "mine"})),
            )
            .await;
        assert_eq!(
            status,
            403,
            "{} approving its own request through the API: {answer}",
            role.as_str()
        );
        assert!(answer["error"]["message"].as_str().unwrap().contains("own"), "{answer}");
        let me = Staff { role, id, token: token.clone() };
        let door = form_fn(app::approvals::DecideApproval {
            id: approval,
            approve: true,
            note: "mine".into(),
        });
        let (status, body) = call(&app, &door, Some(&me)).await;
        assert_eq!(status, 403, "{} approving its own request in the UI: {body}", role.as_str());
        // Still pending: the refusals changed nothing. A different lead decides it
        // (rejects the first, so the second round starts from the same records).
        let (_, other) =
            fixture::staff_token_named(&t.db, Lead, &format!("other-lead-{}", role.as_str())).await;
        let decision = if role == Lead { "reject" } else { "approve" };
        let (status, decided) = app
            .call(
                "POST",
                &format!("/approvals/{approval}/{decision}"),
                &other,
                Some(json!({"note": "fine"})),
            )
            .await;
        assert_eq!(status, 200, "{decided}");
        assert_eq!(
            decided["status"],
            if role == Lead { "rejected" } else { "executed" },
            "{decided}"
        );
    }
}

on_both_backends!(
    every_call_is_allowed_or_refused_as_the_roles_say,
    nobody_approves_their_own_request
);
