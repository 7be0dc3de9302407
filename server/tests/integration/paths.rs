//! Every path a change can take reaches the same engine: each operation run through the
//! JSON API and through the UI's server function, the approval that executes what it
//! filed, and the undo of what it applied, for each of the five roles.
//!
//! For each role, two copies of the fixture run the same script, one only through the
//! REST API, the other only through server functions: each operation as the role; a
//! lead's approval of whatever it filed (which executes it as the requester); the undo
//! of whatever it applied, as the role, then as a lead where the role was refused, so
//! the next step starts from the same records. Every step must write the same events
//! and approval requests in both copies (or be refused with the same status), a refusal
//! for permission must be exactly what the role's permissions say, an undo must be
//! allowed exactly when the domain's undo rule allows it, and both copies must end with
//! the same records.
use crate::common;

use app::domain::drift::BillingField;
use app::domain::{undo_policy, Action, OpRequest, Operation, Role};
use app::ops::RunOperation;
use app::store::Db;
use common::fixture::{self, *};
use common::{FnBody, Session, TestApp, TestDb};
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};

const REASON: &str = "paths matrix";
const TICKET: &str = "https://tickets.example/paths";

/// How a copy of the fixture is driven.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Door {
    Rest,
    Function,
}

/// A staff member of one copy, with both credentials.
struct Member {
    token: String,
    session: Session,
}

/// One copy of the fixture, its server, the role under test and an approving lead.
struct World {
    t: TestDb,
    app: TestApp,
    door: Door,
    member: Member,
    lead: Member,
}

/// What one step did: refused with a status, or what it wrote.
#[derive(Debug, PartialEq)]
struct Step {
    what: String,
    status: u16,
    events: Vec<Value>,
    approvals: Vec<Value>,
}

/// An invoice the billing system keeps: no one but the provider changes it.
const INVOICE_LINKED: i64 = 2;

/// The operations of the script, in order: reversible ones first, then those that are
/// not undone (a link replaced, an extension, a license).
fn script() -> Vec<Operation> {
    // An edit of the main subscription, based on its version when the step runs.
    let edit = |seats, auto_renew, status: Option<&str>| Operation::EditSubscription {
        subscription_id: SUB_MAIN,
        version: 0,
        seats,
        end_date: None,
        auto_renew,
        status: status.map(str::to_string),
    };
    vec![
        edit(Some(12), None, None),
        edit(None, Some(false), None),
        edit(None, None, Some("cancelled")),
        Operation::UpdatePlan { namespace_id: NS_MISMATCH, version: None },
        Operation::ClearSubscription { namespace_id: NS_STALE, version: None },
        Operation::ExtendTrial { namespace_id: NS_TRIAL, days: 10, version: None },
        Operation::ExtendTrial { namespace_id: NS_TRIAL, days: 31, version: None },
        Operation::ChangeTrialPlan {
            namespace_id: NS_TRIAL,
            plan: "premium".into(),
            version: None,
        },
        Operation::EndTrial { namespace_id: NS_TRIAL, version: None },
        Operation::ReactivateTrial { namespace_id: NS_OLD_TRIAL, plan: None, version: None },
        Operation::ComputeMinutes {
            namespace_id: NS_MAIN,
            delta: 100,
            kind: "permanent".into(),
            version: None,
        },
        Operation::Storage { namespace_id: NS_MAIN, delta_mib: 1024, version: None },
        Operation::ResetMaxSeats { namespace_id: NS_MAIN, version: None },
        Operation::ReplaceLink {
            namespace_id: NS_FREE,
            subscription_id: SUB_ORPHAN,
            version: None,
        },
        Operation::TemporaryExtension {
            subscription_id: SUB_ULTIMATE,
            days: 14,
            users_count: 20,
            opportunity_id: "OPP-PATHS".into(),
        },
        Operation::TemporaryExtension {
            subscription_id: SUB_ULTIMATE,
            days: 30,
            users_count: 20,
            opportunity_id: "OPP-PATHS".into(),
        },
        Operation::IssueLicense { subscription_id: SUB_SELF_MANAGED, version: None },
        Operation::SendToBilling { subscription_id: SUB_ULTIMATE, field: BillingField::Seats },
        Operation::EditInvoice {
            invoice_id: INVOICE_OPEN,
            status: None,
            amount_cents: Some(45_000),
        },
        Operation::EditInvoice {
            invoice_id: INVOICE_OPEN,
            status: Some("paid".into()),
            amount_cents: None,
        },
        Operation::EditInvoice {
            invoice_id: INVOICE_LINKED,
            status: Some("paid".into()),
            amount_cents: None,
        },
        Operation::RecordInvoice {
            billing_account_id: 1,
            number: "INV-PATHS".into(),
            amount_cents: 12_000,
            currency: "USD".into(),
            status: "open".into(),
            issued_on: fixture::today(),
            due_on: fixture::today() + chrono::Duration::days(30),
            provider_id: None,
        },
    ]
}

/// The REST request that makes `op`: one arm per operation, so a new operation does not
/// compile until it has its route here. `finding` is the integrity finding a fix fixes.
fn rest_request(op: &Operation, finding: Option<i64>) -> (&'static str, String, Value) {
    let asked = |mut body: Value| {
        body["reason"] = json!(REASON);
        body["ticket_url"] = json!(TICKET);
        body["requester"] = json!(OWNER_CONTACT);
        body
    };
    let ns = |id: &i64, path: &str, body: Value| {
        ("POST", format!("/namespaces/{id}/{path}"), asked(body))
    };
    match op {
        Operation::EditSubscription {
            subscription_id,
            version,
            seats,
            end_date,
            auto_renew,
            status,
        } => (
            "PATCH",
            format!("/subscriptions/{subscription_id}"),
            asked(
                json!({"version": version, "seats": seats, "end_date": end_date, "auto_renew": auto_renew, "status": status}),
            ),
        ),
        Operation::UpdatePlan { namespace_id, version } => {
            ns(namespace_id, "update_plan", json!({"version": version}))
        }
        Operation::ReplaceLink { namespace_id, subscription_id, version } => ns(
            namespace_id,
            "replace_link",
            json!({"subscription_id": subscription_id, "version": version}),
        ),
        Operation::ClearSubscription { namespace_id, version } => {
            ns(namespace_id, "clear_subscription", json!({"version": version}))
        }
        Operation::ExtendTrial { namespace_id, days, version } => {
            ns(namespace_id, "trial/extend", json!({"days": days, "version": version}))
        }
        Operation::ReactivateTrial { namespace_id, plan, version } => {
            ns(namespace_id, "trial/reactivate", json!({"plan": plan, "version": version}))
        }
        Operation::ChangeTrialPlan { namespace_id, plan, version } => {
            ns(namespace_id, "trial/change_plan", json!({"plan": plan, "version": version}))
        }
        Operation::EndTrial { namespace_id, version } => {
            ns(namespace_id, "trial/end", json!({"version": version}))
        }
        Operation::ComputeMinutes { namespace_id, delta, kind, version } => ns(
            namespace_id,
            "compute_minutes",
            json!({"delta": delta, "kind": kind, "version": version}),
        ),
        Operation::Storage { namespace_id, delta_mib, version } => {
            ns(namespace_id, "storage", json!({"delta_mib": delta_mib, "version": version}))
        }
        Operation::ResetMaxSeats { namespace_id, version } => {
            ns(namespace_id, "reset_max_seats", json!({"version": version}))
        }
        Operation::TemporaryExtension { subscription_id, days, users_count, opportunity_id } => (
            "POST",
            "/extensions".into(),
            asked(json!({"subscription_id": subscription_id, "days": days,
                "users_count": users_count, "opportunity_id": opportunity_id})),
        ),
        Operation::IssueLicense { .. } => (
            "POST",
            "/integrity/fix".into(),
            json!({"finding_id": finding, "reason": REASON, "ticket_url": TICKET}),
        ),
        Operation::SendToBilling { subscription_id, field } => (
            "POST",
            format!("/subscriptions/{subscription_id}/send_to_billing"),
            asked(json!({"field": field})),
        ),
        Operation::EditInvoice { invoice_id, status, amount_cents } => (
            "PATCH",
            format!("/invoices/{invoice_id}"),
            asked(json!({"status": status, "amount_cents": amount_cents})),
        ),
        Operation::RecordInvoice {
            billing_account_id,
            number,
            amount_cents,
            currency,
            status,
            issued_on,
            due_on,
            ..
        } => (
            "POST",
            "/invoices".into(),
            asked(json!({"billing_account_id": billing_account_id, "number": number,
                "amount_cents": amount_cents, "currency": currency, "status": status,
                "issued_on": issued_on, "due_on": due_on})),
        ),
        Operation::Undo { event_id } => {
            ("POST", format!("/activity/{event_id}/undo"), asked(json!({})))
        }
    }
}

/// The request the server function takes for `op`.
fn function_request(op: &Operation, finding: Option<i64>) -> OpRequest {
    match finding {
        Some(id) => OpRequest::fix(op.clone(), id, REASON.into(), Some(TICKET.into())),
        None => OpRequest::asked(
            op.clone(),
            REASON.into(),
            Some(TICKET.into()),
            Some(OWNER_CONTACT.into()),
        ),
    }
}

async fn rows(db: &Db, sql: String) -> Vec<Value> {
    let sql = sqlx::AssertSqlSafe(sql);
    let rows: Vec<(String,)> = app::on_db!(db, |p| sqlx::query_as(sql).fetch_all(p).await).unwrap();
    rows.into_iter().map(|(r,)| Value::String(without_license_key(r))).collect()
}

/// A row with the (random) key of a license it issued left out.
fn without_license_key(row: String) -> String {
    const KEY: &str = r#""license.key":[null,""#;
    let Some(start) = row.find(KEY).map(|i| i + KEY.len()) else { return row };
    let end = row[start..].find('"').map_or(row.len(), |i| start + i);
    format!("{}…{}", &row[..start], &row[end..])
}

async fn newest(db: &Db, table: &str) -> i64 {
    let sql = sqlx::AssertSqlSafe(format!("SELECT COALESCE(MAX(id), 0) FROM {table}"));
    app::on_db!(db, |p| sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await).unwrap()
}

/// One row as text, the same on both backends: `a|b|c`.
fn joined(columns: &[&str]) -> String {
    columns
        .iter()
        .map(|c| format!("COALESCE(CAST({c} AS TEXT), '-')"))
        .collect::<Vec<_>>()
        .join(" || '|' || ")
}

impl World {
    async fn new(t: TestDb, door: Door, role: Role) -> World {
        fixture::load(&t.db).await;
        let soon = (fixture::today() + chrono::Duration::days(10)).to_string();
        t.db.execute(sqlx::AssertSqlSafe(format!(
            "UPDATE subscriptions SET end_date = '{soon}' WHERE id = {SUB_ULTIMATE}"
        )))
        .await
        .unwrap();
        app::checks::scan::run(&t.db, fixture::today(), "test").await.unwrap();
        // SUB_ULTIMATE is linked to a billing provider that holds other seats.
        for sql in [
            format!("INSERT INTO billing_links (record_type, record_id, provider, provider_id, linked_at) VALUES ('subscription', {SUB_ULTIMATE}, 'stripe', 'sub_paths', '2026-01-01T00:00:00Z')"),
            format!("INSERT INTO invoices (id, number, billing_account_id, customer_id, amount_cents, currency, status, issued_on, due_on) VALUES ({INVOICE_LINKED}, 'INV-0002', 1, {CUSTOMER}, 9900, 'USD', 'open', '2026-01-01', '2026-01-31')"),
            format!("INSERT INTO billing_links (record_type, record_id, provider, provider_id, linked_at) VALUES ('invoice', {INVOICE_LINKED}, 'stripe', 'in_paths', '2026-01-01T00:00:00Z')"),
            format!("INSERT INTO billing_drift (provider, record_type, record_id, provider_id, customer_id, field, kind, console_value, provider_value, first_seen, last_seen) VALUES ('stripe', 'subscription', {SUB_ULTIMATE}, 'sub_paths', {CUSTOMER}, 'seats', 'rules_refuse', '5', '3', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"),
        ] {
            t.db.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
        }
        let app = TestApp::spawn(&t).await;
        let (id, token) = staff_token_named(&t.db, role, &format!("paths-{}", role.as_str())).await;
        let (lead_id, lead_token) = staff_token_named(&t.db, Role::Lead, "paths-approver").await;
        let member = Member { token, session: app.session_of(id).await };
        let lead = Member { token: lead_token, session: app.session_of(lead_id).await };
        World { t, app, door, member, lead }
    }

    /// `op` with the current version of the subscription it edits.
    async fn current(&self, op: &Operation) -> Operation {
        match op {
            Operation::EditSubscription { subscription_id, .. } => {
                let version = self
                    .t
                    .scalar(&format!(
                        "SELECT version FROM subscriptions WHERE id = {subscription_id}"
                    ))
                    .await;
                let mut op = op.clone();
                if let Operation::EditSubscription { version: v, .. } = &mut op {
                    *v = version;
                }
                op
            }
            other => other.clone(),
        }
    }

    /// The open finding an integrity fix of `op` fixes.
    async fn finding(&self, op: &Operation) -> Option<i64> {
        let Operation::IssueLicense { subscription_id, .. } = op else { return None };
        Some(
            self.t
                .scalar(&format!(
                    "SELECT id FROM integrity_findings WHERE rule = 'missing_license' AND target_id = {subscription_id} AND resolved_at IS NULL"
                ))
                .await,
        )
    }

    /// Runs `op` as `who` through this world's door; the status.
    async fn run(&self, who: &Member, op: &Operation) -> u16 {
        let op = self.current(op).await;
        let finding = self.finding(&op).await;
        match self.door {
            Door::Rest => {
                let (method, path, body) = rest_request(&op, finding);
                self.app.call(method, &path, &who.token, Some(body)).await.0
            }
            Door::Function => {
                let request = function_request(&op, finding);
                let body = FnBody::Json(serde_json::to_value(RunOperation { request }).unwrap());
                self.app.server_fn_json(&who.session, RunOperation::PATH, &body).await.0
            }
        }
    }

    /// A lead approves request `id` through this world's door; the status.
    async fn approve(&self, id: i64) -> u16 {
        match self.door {
            Door::Rest => {
                let path = format!("/approvals/{id}/approve");
                self.app
                    .call("POST", &path, &self.lead.token, Some(json!({"note": REASON})))
                    .await
                    .0
            }
            Door::Function => {
                let form = format!("id={id}&approve=true&note=paths%20matrix");
                let path = app::approvals::DecideApproval::PATH;
                self.app.server_fn(Some(&self.lead.session), path, &FnBody::Form(form)).await.0
            }
        }
    }

    /// Does `act` and records what it wrote.
    async fn step(&self, what: String, act: impl std::future::Future<Output = u16>) -> Step {
        let (events, approvals) = (
            newest(&self.t.db, "activity_events").await,
            newest(&self.t.db, "approval_requests").await,
        );
        let status = act.await;
        let event_columns = joined(&[
            "action",
            "target_type",
            "target_id",
            "customer_id",
            "actor_email",
            "reason",
            "changes",
            "requester",
            "requester_verdict",
            "CASE WHEN approval_id IS NULL THEN 'direct' ELSE 'approved' END",
        ]);
        let approval_columns = joined(&["action", "target_type", "target_id", "status", "preview"]);
        Step {
            what,
            // The API answers 201 or 202 where a server function answers 200.
            status: if (200..300).contains(&status) { 200 } else { status },
            events: rows(&self.t.db, format!("SELECT {event_columns} FROM activity_events WHERE id > {events} ORDER BY id")).await,
            approvals: rows(&self.t.db, format!("SELECT {approval_columns} FROM approval_requests WHERE id > {approvals} ORDER BY id")).await,
        }
    }

    /// The newest event of a change to commercial state written since `after`.
    async fn applied_since(&self, after: i64) -> Option<(i64, Action)> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT id, action FROM activity_events WHERE id > {after} ORDER BY id DESC"
        ));
        let found: Vec<(i64, Action)> =
            app::on_db!(&self.t.db, |p| sqlx::query_as(sql).fetch_all(p).await).unwrap();
        found.into_iter().find(|(_, a)| a.changes_commercial_state())
    }

    /// The request filed since `after`, if any is still pending.
    async fn pending_since(&self, after: i64) -> Option<i64> {
        let id = self
            .t
            .scalar(&format!(
                "SELECT COALESCE(MAX(id), 0) FROM approval_requests WHERE id > {after} AND status = 'pending'"
            ))
            .await;
        (id > 0).then_some(id)
    }

    /// `act` as a step, then a lead's approval of what it filed.
    async fn with_approval(
        &self,
        trace: &mut Vec<Step>,
        what: String,
        act: impl std::future::Future<Output = u16>,
    ) -> Option<(i64, Action)> {
        let (events, approvals) = (
            newest(&self.t.db, "activity_events").await,
            newest(&self.t.db, "approval_requests").await,
        );
        trace.push(self.step(what.clone(), act).await);
        if let Some(id) = self.pending_since(approvals).await {
            trace.push(self.step(format!("{what}: a lead approves #{id}"), self.approve(id)).await);
        }
        self.applied_since(events).await
    }

    /// The records both copies must end with.
    async fn records(&self) -> Vec<Value> {
        let mut out = rows(
            &self.t.db,
            format!(
                "SELECT {} FROM subscriptions ORDER BY id",
                joined(&["id", "seats", "end_date", "auto_renew", "status", "version"])
            ),
        )
        .await;
        out.extend(
            rows(
                &self.t.db,
                format!(
                    "SELECT {} FROM namespaces ORDER BY id",
                    joined(&[
                        "id",
                        "plan",
                        "subscription_id",
                        "trial_plan",
                        "trial_ends_on",
                        "compute_minutes_extra",
                        "storage_extra_mib",
                        "max_seats_used",
                        "trial_extensions_used",
                        "version"
                    ])
                ),
            )
            .await,
        );
        out.extend(
            rows(
                &self.t.db,
                format!(
                    "SELECT {} FROM licenses ORDER BY id",
                    joined(&["subscription_id", "kind", "users", "starts_on", "expires_on"])
                ),
            )
            .await,
        );
        out
    }
}

/// The changes event `id` recorded.
async fn changes_of(db: &Db, id: i64) -> app::audit::FieldChanges {
    let sql = sqlx::AssertSqlSafe(format!("SELECT changes FROM activity_events WHERE id = {id}"));
    let text: String = app::on_db!(db, |p| sqlx::query_scalar(sql).fetch_one(p).await).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// What the role may do as a direct change, by the domain's rules.
fn may(role: Role, op: &Operation) -> bool {
    role.can(op.permission()) && op.extra_permission().is_none_or(|(p, _)| role.can(p))
}

/// The script for one role in one world: its trace, and counts of what ran.
async fn drive(w: &World, role: Role, totals: &mut [usize; 3]) -> Vec<Step> {
    let mut trace = Vec::new();
    for op in script() {
        let name = format!("{} as {}", op.title(), role.as_str());
        let applied = w.with_approval(&mut trace, name.clone(), w.run(&w.member, &op)).await;
        let status = trace.iter().rev().find(|s| s.what == name).unwrap().status;
        assert_eq!(status == 403, !may(role, &op), "{name}: {status} ({:?})", w.door);
        totals[0] += usize::from(applied.is_some());
        let Some((event, action)) = applied else { continue };
        if undo_policy(action).is_none() {
            continue;
        }
        let changes = changes_of(&w.t.db, event).await;
        let undo = Operation::Undo { event_id: event };
        let what = format!("undo {} (event {event}) as {}", action, role.as_str());
        let undone = w.with_approval(&mut trace, what.clone(), w.run(&w.member, &undo)).await;
        let status = trace.iter().rev().find(|s| s.what == what).unwrap().status;
        let allowed = app::domain::may_undo(role, action, &changes);
        // The rule the timeline's Undo button follows: refused for permission only where
        // it says so, and never applied where it says no.
        assert!(status != 403 || !allowed, "{what}: {status} ({:?})", w.door);
        assert!(allowed || status >= 400, "{what}: {status} ({:?}) {changes:?}", w.door);
        totals[1] += usize::from(undone.is_some());
        if undone.is_none() {
            let what = format!("undo {} (event {event}) as the lead", action);
            w.with_approval(&mut trace, what, w.run(&w.lead, &undo)).await;
        }
    }
    totals[2] += trace
        .iter()
        .filter(|s| s.events.iter().any(|e| e.as_str().is_some_and(|e| e.ends_with("|approved"))))
        .count();
    trace
}

async fn every_path_changes_alike_for_every_role(t: &TestDb) {
    let mut totals = [0; 3];
    for role in Role::ALL {
        let rest = World::new(t.sibling().await, Door::Rest, *role).await;
        let function = World::new(t.sibling().await, Door::Function, *role).await;
        let by_rest = drive(&rest, *role, &mut totals).await;
        let by_function = drive(&function, *role, &mut totals).await;
        for (a, b) in by_rest.iter().zip(&by_function) {
            assert_eq!(a, b, "the REST API and the server function differ");
        }
        assert_eq!(by_rest.len(), by_function.len(), "{role:?}: the scripts ran alike");
        assert!(by_rest.iter().all(|s| s.status < 500), "{by_rest:#?}");
        assert_eq!(rest.records().await, function.records().await, "{role:?}: the records agree");
    }
    // [applied, undone by the role, executed by an approval] over both doors.
    assert!(totals[0] >= 80, "the matrix makes real changes: {totals:?}");
    assert!(totals[1] >= 40, "and undoes them: {totals:?}");
    assert!(totals[2] >= 20, "and executes approvals: {totals:?}");
}

on_both_backends!(every_path_changes_alike_for_every_role);
