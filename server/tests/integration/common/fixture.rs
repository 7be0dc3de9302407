//! One small customer whose records cover every operation's cases, and staff with API
//! tokens for each role. Dates are relative to today.
use app::domain::Role;
use app::store::Db;
use chrono::{Duration, NaiveDate, Utc};

pub const CUSTOMER: i64 = 1;
/// SaaS premium, active, 10 seats; linked to [`NS_MAIN`].
pub const SUB_MAIN: i64 = 1;
/// SaaS ultimate, active; linked to [`NS_MISMATCH`], which is on premium.
pub const SUB_ULTIMATE: i64 = 2;
/// SaaS premium, expired; [`NS_STALE`] still links it on premium.
pub const SUB_EXPIRED: i64 = 3;
/// SaaS premium, active, linked to nothing.
pub const SUB_ORPHAN: i64 = 4;
/// Self-managed ultimate, active.
pub const SUB_SELF_MANAGED: i64 = 5;
/// Another customer's active SaaS subscription.
pub const SUB_OTHER_CUSTOMER: i64 = 6;

/// premium via [`SUB_MAIN`]; 8 seats in use, max 25 (a reset waives 17); a trial ended long ago.
pub const NS_MAIN: i64 = 1;
/// premium via [`SUB_ULTIMATE`] (plan mismatch); 7 in use, max 12 (a reset waives 5).
pub const NS_MISMATCH: i64 = 2;
/// A running ultimate trial: started 10 days ago, ends in 20, no extensions yet.
pub const NS_TRIAL: i64 = 3;
/// A premium trial that ended 30 days ago; back on free.
pub const NS_OLD_TRIAL: i64 = 4;
/// Still premium, linked to the expired [`SUB_EXPIRED`].
pub const NS_STALE: i64 = 5;
/// Free, nothing linked, no trial.
pub const NS_FREE: i64 = 6;

/// The fixture customer's owner contact (also the account's email).
pub const OWNER_CONTACT: &str = "ops@acme.example";
/// Its billing contact.
pub const BILLING_CONTACT: &str = "pay@acme.example";
/// Its technical contact.
pub const TECH_CONTACT: &str = "dev@acme.example";
/// An open invoice of [`CUSTOMER`], 500.00 USD.
pub const INVOICE_OPEN: i64 = 1;

/// An owner of [`NS_MAIN`] (username `rita`) who is not a contact.
pub const NS_MAIN_OWNER: &str = "rita@contractor.example";

pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn day(offset: i64) -> String {
    (today() + Duration::days(offset)).to_string()
}

/// Inserts the fixture customer (and a second customer) with all their records.
pub async fn load(db: &Db) {
    let d = day;
    let statements = vec![
        "INSERT INTO customers (id, name, email, company, country, created_at) VALUES (1, 'Acme Corp', 'ops@acme.example', 'Acme', 'US', '2026-01-01T00:00:00Z')".to_string(),
        "INSERT INTO customers (id, name, email, company, country, created_at) VALUES (2, 'Other Ltd', 'it@other.example', 'Other', 'GB', '2026-01-01T00:00:00Z')".to_string(),
        "INSERT INTO billing_accounts (id, number, customer_id, currency, payment_terms) VALUES (1, 'A00000001', 1, 'USD', 'net_30')".to_string(),
        "INSERT INTO billing_accounts (id, number, customer_id, currency, payment_terms) VALUES (2, 'A00000002', 2, 'GBP', 'net_30')".to_string(),
        format!("INSERT INTO invoices (id, number, billing_account_id, customer_id, amount_cents, currency, status, issued_on, due_on) VALUES ({INVOICE_OPEN}, 'INV-0001', 1, 1, 50000, 'USD', 'open', '{}', '{}')", d(-10), d(20)),
        sub(SUB_MAIN, 1, 1, "premium", "saas", 10, &d(-100), &d(200), "active"),
        sub(SUB_ULTIMATE, 1, 1, "ultimate", "saas", 20, &d(-50), &d(300), "active"),
        sub(SUB_EXPIRED, 1, 1, "premium", "saas", 5, &d(-400), &d(-35), "expired"),
        sub(SUB_ORPHAN, 1, 1, "premium", "saas", 5, &d(-10), &d(355), "active"),
        sub(SUB_SELF_MANAGED, 1, 1, "ultimate", "self_managed", 50, &d(-10), &d(355), "active"),
        sub(SUB_OTHER_CUSTOMER, 2, 2, "premium", "saas", 5, &d(-10), &d(355), "active"),
        ns(NS_MAIN, "acme", "premium", Some(SUB_MAIN), Some(("ultimate", d(-300), d(-270))), 8, 25),
        ns(NS_MISMATCH, "acme-labs", "premium", Some(SUB_ULTIMATE), None, 7, 12),
        ns(NS_TRIAL, "acme-trial", "ultimate", None, Some(("ultimate", d(-10), d(20))), 3, 3),
        ns(NS_OLD_TRIAL, "acme-old-trial", "free", None, Some(("premium", d(-60), d(-30))), 2, 2),
        ns(NS_STALE, "acme-stale", "premium", Some(SUB_EXPIRED), None, 4, 4),
        ns(NS_FREE, "acme-new", "free", None, None, 1, 1),
        "INSERT INTO namespaces (id, path, name, customer_id, plan) VALUES (7, 'other-co', 'Other', 2, 'free')".to_string(),
        format!("INSERT INTO contacts (id, customer_id, name, email, role) VALUES
            (1, 1, 'Olga Ops', '{OWNER_CONTACT}', 'owner'), (2, 1, 'Paul Pay', '{BILLING_CONTACT}', 'billing'),
            (3, 1, 'Dana Dev', '{TECH_CONTACT}', 'technical'), (4, 2, 'Ian It', 'it@other.example', 'owner')"),
        format!("INSERT INTO namespace_owners (id, namespace_id, customer_id, username, email) VALUES
            (1, {NS_MAIN}, 1, 'rita', '{NS_MAIN_OWNER}'), (2, {NS_TRIAL}, 1, 'dana', '{TECH_CONTACT}')"),
    ];
    for sql in statements {
        db.execute(sqlx::AssertSqlSafe(sql)).await.expect("fixture insert");
    }
    // Records the console makes itself take ids after the fixture's explicit ones.
    if let Db::Postgres(_) = db {
        db.execute(sqlx::AssertSqlSafe(
            "SELECT setval(pg_get_serial_sequence('invoices', 'id'), 100)".to_string(),
        ))
        .await
        .expect("invoice ids");
    }
}

#[allow(clippy::too_many_arguments)]
fn sub(
    id: i64,
    customer: i64,
    account: i64,
    product: &str,
    deployment: &str,
    seats: i64,
    start: &str,
    end: &str,
    status: &str,
) -> String {
    format!(
        "INSERT INTO subscriptions (id, number, billing_account_id, customer_id, product, deployment, seats, start_date, end_date, status, auto_renew)
         VALUES ({id}, 'A-S{id:08}', {account}, {customer}, '{product}', '{deployment}', {seats}, '{start}', '{end}', '{status}', TRUE)"
    )
}

fn ns(
    id: i64,
    path: &str,
    plan: &str,
    sub: Option<i64>,
    trial: Option<(&str, String, String)>,
    in_use: i64,
    max: i64,
) -> String {
    let sub = sub.map(|s| s.to_string()).unwrap_or("NULL".into());
    let (tp, ts, te) = match trial {
        Some((p, s, e)) => (format!("'{p}'"), format!("'{s}'"), format!("'{e}'")),
        None => ("NULL".into(), "NULL".into(), "NULL".into()),
    };
    format!(
        "INSERT INTO namespaces (id, path, name, customer_id, plan, subscription_id, trial_plan, trial_starts_on, trial_ends_on,
            seats_in_use, max_seats_used, compute_minutes_quota, compute_minutes_extra, storage_extra_mib)
         VALUES ({id}, '{path}', '{path}', 1, '{plan}', {sub}, {tp}, {ts}, {te}, {in_use}, {max}, 10000, 500, 2048)"
    )
}

/// A staff member of `role` (email `role@example.com`) and a personal API token.
pub async fn staff_token(db: &Db, role: Role) -> (i64, String) {
    staff_token_named(db, role, role.as_str()).await
}

/// Like [`staff_token`], for a second person of the same role (`name@example.com`).
pub async fn staff_token_named(db: &Db, role: Role, name: &str) -> (i64, String) {
    let email = format!("{name}@example.com");
    let mut tx = db.begin().await.unwrap();
    let id = app::auth::server::staff::insert_staff(
        &mut tx,
        &email,
        "Test Person",
        role,
        "not-a-login-hash",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (id, setup_token(db, id).await)
}

/// A token for staff member `id` inserted as setup data (no `token.create` event, like
/// the fixture's other rows), valid for a day.
pub async fn setup_token(db: &Db, id: i64) -> String {
    let token = format!("{}{}", app::auth::server::token::TOKEN_PREFIX, rand::random::<u64>());
    let sql = format!(
        "INSERT INTO api_tokens (staff_user_id, token_hash, label, created_at, expires_at) VALUES ({id}, '{}', 'tests', '{}', '{}')",
        app::auth::server::secret::digest(&token),
        app::store::now().to_rfc3339(),
        (app::store::now() + Duration::days(1)).to_rfc3339(),
    );
    db.execute(sqlx::AssertSqlSafe(sql)).await.expect("fixture token");
    token
}

/// An event written by the scheduler (no staff actor): tests adjust the fields they
/// care about with `EventBody { …, ..system_event(…) }`.
pub fn system_event(
    action: app::domain::Action,
    target_type: app::domain::TargetType,
    target_id: i64,
) -> app::audit::EventBody {
    app::audit::EventBody {
        actor_id: None,
        actor_email: "system".into(),
        action,
        target_type,
        target_id,
        customer_id: None,
        reason: "test".into(),
        ticket_url: None,
        changes: Default::default(),
        source: app::domain::EventSource::Scheduled,
        approval_id: None,
        requester: None,
        requester_verdict: None,
    }
}

/// A new staff member of `role` (`role@example.com`) acting through the API, for
/// calling the engine directly.
pub async fn staff_actor(db: &Db, role: Role) -> app::ops::server::Actor {
    let (id, _) = staff_token(db, role).await;
    app::ops::server::Actor {
        user: app::auth::CurrentUser {
            id,
            email: format!("{}@example.com", role.as_str()),
            name: "Test Person".into(),
            role,
            single_sign_on: false,
        },
        source: app::domain::EventSource::Api,
    }
}
