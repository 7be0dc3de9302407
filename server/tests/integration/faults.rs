//! Faults, with the real server binary: `kill -9` in the middle of a write load and a
//! restart; a graceful shutdown under load; two instances on one PostgreSQL. After
//! each, every acknowledged change is there with exactly one event, no event lacks its
//! change, the audit chain verifies and the database passes its integrity check.
use crate::common;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use app::store::Db;
use common::process::{command, set_cookie, ServerProcess};
use serde_json::json;
use tokio::sync::Mutex;

/// Writers running at once, each on its own subscriptions.
const WRITERS: usize = 6;
const SUBS_PER_WRITER: usize = 3;

/// One subscription's state as the test tracks it.
#[derive(Debug, Clone, Copy)]
struct Tracked {
    id: i64,
    version_at_start: i64,
    seats_at_start: i64,
    /// Changes the server answered 200 for.
    acknowledged: i64,
}

/// A database to run a server on: a SQLite file in `dir`, or a fresh PostgreSQL database.
enum Store {
    Sqlite,
    Postgres(common::TestDb),
}

impl Store {
    async fn open(postgres: bool) -> Option<Store> {
        if postgres {
            common::TestDb::postgres().await.map(Store::Postgres)
        } else {
            Some(Store::Sqlite)
        }
    }

    fn url(&self) -> Option<String> {
        match self {
            Store::Sqlite => None,
            Store::Postgres(t) => Some(t.url.clone()),
        }
    }

    /// A connection of the test's own, to read what the server wrote.
    async fn db(&self, dir: &std::path::Path) -> Db {
        let url = match self.url() {
            Some(u) => u,
            None => format!("sqlite:{}", dir.join("console.db").display()),
        };
        app::store::connect(&url, 2).await.expect("open the server's database")
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap()
}

fn token(dir: &std::path::Path, url: Option<&str>, email: &str) -> String {
    let out = command(dir, url).args(["token", "create", "--email", email]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

async fn active_subscriptions(db: &Db, n: usize) -> Vec<Tracked> {
    // Active for a while yet, and not already below its namespaces' seats in use.
    let rows: Vec<(i64, i64, i64)> = app::on_db!(db, |p| sqlx::query_as(
        "SELECT s.id, s.version, s.seats FROM subscriptions s WHERE s.status = 'active' AND s.end_date > $1
           AND NOT EXISTS (SELECT 1 FROM namespaces n WHERE n.subscription_id = s.id AND n.seats_in_use > s.seats)
         ORDER BY s.id LIMIT $2"
    )
    .bind(chrono::Utc::now().date_naive() + chrono::Duration::days(60))
    .bind(n as i64)
    .fetch_all(p)
    .await)
    .unwrap();
    assert_eq!(rows.len(), n, "enough active subscriptions in the demo data");
    rows.into_iter()
        .map(|(id, version_at_start, seats_at_start)| Tracked {
            id,
            version_at_start,
            seats_at_start,
            acknowledged: 0,
        })
        .collect()
}

/// Writers that edit their own subscriptions as fast as the servers answer, spread over
/// `bases`, until `stop` is set or a server stops answering.
async fn write_load(
    bases: Vec<String>,
    token: String,
    tracked: Arc<Mutex<Vec<Tracked>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) {
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let (bases, token, tracked, stop) =
            (bases.clone(), token.clone(), tracked.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let client = client();
            let mut versions: HashMap<i64, i64> = HashMap::new();
            let mine: Vec<Tracked> =
                tracked.lock().await[w * SUBS_PER_WRITER..(w + 1) * SUBS_PER_WRITER].to_vec();
            let mut start_seats: HashMap<i64, i64> = HashMap::new();
            for t in &mine {
                versions.insert(t.id, t.version_at_start);
                start_seats.insert(t.id, t.seats_at_start);
            }
            let mut n = 0usize;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let sub = mine[n % mine.len()].id;
                let base = &bases[n % bases.len()];
                n += 1;
                let version = versions[&sub];
                let seats = start_seats[&sub] + 1 + (version % 7);
                let sent = client
                    .patch(format!("{base}/api/v1/subscriptions/{sub}"))
                    .bearer_auth(&token)
                    .json(&json!({"version": version, "seats": seats, "reason": "fault test load"}))
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == 200 => {
                        versions.insert(sub, version + 1);
                        let mut all = tracked.lock().await;
                        all.iter_mut().find(|t| t.id == sub).unwrap().acknowledged += 1;
                    }
                    Ok(r) => panic!(
                        "an edit answered {}: {}",
                        r.status(),
                        r.text().await.unwrap_or_default()
                    ),
                    Err(_) => return, // the server went away
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
}

/// The invariants after a fault. `exact`: every change that happened was acknowledged
/// (a graceful stop); otherwise a change may have committed without its answer arriving.
async fn check_invariants(
    db: &Db,
    dir: &std::path::Path,
    url: Option<&str>,
    tracked: &[Tracked],
    exact: bool,
) {
    for t in tracked {
        let version: i64 = app::on_db!(db, |p| sqlx::query_scalar(
            "SELECT version FROM subscriptions WHERE id = $1"
        )
        .bind(t.id)
        .fetch_one(p)
        .await)
        .unwrap();
        let events: i64 = app::on_db!(db, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM activity_events WHERE target_type = 'subscription' AND target_id = $1 AND action = 'subscription.edit' AND reason = 'fault test load'"
        ).bind(t.id).fetch_one(p).await).unwrap();
        let changes = version - t.version_at_start;
        assert_eq!(
            changes, events,
            "subscription {}: every change has exactly one event and every event its change",
            t.id
        );
        assert!(
            changes >= t.acknowledged,
            "subscription {}: {} acknowledged changes, {} stored",
            t.id,
            t.acknowledged,
            changes
        );
        if exact {
            assert_eq!(
                changes, t.acknowledged,
                "subscription {}: nothing changed without an answer",
                t.id
            );
        }
    }
    let verify = command(dir, url).args(["audit", "verify"]).output().unwrap();
    assert!(
        verify.status.success(),
        "the audit chain verifies: {}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
    match db {
        Db::Sqlite(p) => {
            let result: String =
                sqlx::query_scalar("PRAGMA integrity_check").fetch_one(p).await.unwrap();
            assert_eq!(result, "ok");
            let fk: Vec<(String,)> =
                sqlx::query_as("PRAGMA foreign_key_check").fetch_all(p).await.unwrap_or_default();
            assert!(fk.is_empty(), "{fk:?}");
        }
        Db::Postgres(p) => {
            sqlx::query("CREATE EXTENSION IF NOT EXISTS amcheck").execute(p).await.unwrap();
            let checked: i64 = sqlx::query_scalar(
                "SELECT COUNT(bt_index_check(c.oid, true)::text) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                 JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE a.amname = 'btree' AND n.nspname = 'public' AND c.relkind = 'i'"
            ).fetch_one(p).await.unwrap();
            assert!(checked > 10, "every B-tree index of the schema checked ({checked})");
        }
    }
}

/// A server over a fresh store with the write load running against it.
struct Running {
    _store: Store,
    dir: tempfile::TempDir,
    url: Option<String>,
    server: ServerProcess,
    db: Db,
    token: String,
    tracked: Arc<Mutex<Vec<Tracked>>>,
    load: tokio::task::JoinHandle<()>,
}

/// Starts a server (on PostgreSQL or SQLite) and the write load, and waits until 60
/// changes were acknowledged. `None` when PostgreSQL is wanted but unreachable.
async fn start_under_load(postgres: bool) -> Option<Running> {
    let store = Store::open(postgres).await?;
    let dir = tempfile::tempdir().unwrap();
    let url = store.url();
    let server = ServerProcess::start(dir.path(), url.as_deref(), &[]);
    let db = store.db(dir.path()).await;
    let token = token(dir.path(), url.as_deref(), "lead@example.com");
    let tracked = Arc::new(Mutex::new(active_subscriptions(&db, WRITERS * SUBS_PER_WRITER).await));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load =
        tokio::spawn(write_load(vec![server.base.clone()], token.clone(), tracked.clone(), stop));
    wait_for_changes(&tracked, 60).await;
    Some(Running { _store: store, dir, url, server, db, token, tracked, load })
}

async fn killed_mid_write_then_restarted(postgres: bool) {
    let Some(Running { _store, dir, url, server, db, token, tracked, load }) =
        start_under_load(postgres).await
    else {
        return;
    };
    // Pull the plug while writes are in flight.
    server.kill();
    load.await.unwrap();
    let done: Vec<Tracked> = tracked.lock().await.clone();
    let acknowledged: i64 = done.iter().map(|t| t.acknowledged).sum();
    assert!(acknowledged >= 60, "the load was running when the server was killed ({acknowledged})");

    // Restart on the same database: it comes up, and everything holds.
    let server = ServerProcess::start(dir.path(), url.as_deref(), &[]);
    let ready = client().get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    check_invariants(&db, dir.path(), url.as_deref(), &done, false).await;
    // And it takes new changes on top.
    let t = done[0];
    let version: i64 =
        app::on_db!(&db, |p| sqlx::query_scalar("SELECT version FROM subscriptions WHERE id = $1")
            .bind(t.id)
            .fetch_one(p)
            .await)
        .unwrap();
    let r = client().patch(server.url(&format!("/api/v1/subscriptions/{}", t.id))).bearer_auth(&token)
        .json(&json!({"version": version, "seats": t.seats_at_start + 10, "reason": "after the restart"})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    server.terminate();
    db.close().await;
}

async fn wait_for_changes(tracked: &Arc<Mutex<Vec<Tracked>>>, at_least: i64) {
    for _ in 0..600 {
        if tracked.lock().await.iter().map(|t| t.acknowledged).sum::<i64>() >= at_least {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the write load made no progress");
}

async fn graceful_shutdown_under_load_loses_nothing(postgres: bool) {
    let Some(Running { _store, dir, url, server, db, tracked, load, .. }) =
        start_under_load(postgres).await
    else {
        return;
    };
    let log = tokio::task::spawn_blocking(move || server.terminate()).await.unwrap();
    load.await.unwrap();
    assert!(log.contains("stopped cleanly") && log.contains("unfinished=0"), "{log}");
    let done: Vec<Tracked> = tracked.lock().await.clone();
    // Every request the server accepted was answered: nothing changed without an answer.
    check_invariants(&db, dir.path(), url.as_deref(), &done, true).await;
    db.close().await;
}

/// Two instances on one PostgreSQL, requests spread over both: a session started on one
/// works on the other, concurrent edits through both keep every invariant.
async fn two_instances_share_one_database() {
    let Some(store) = Store::open(true).await else { return };
    let dir_a = tempfile::tempdir().unwrap();
    let dir_b = tempfile::tempdir().unwrap();
    let url = store.url();
    let a = ServerProcess::start(dir_a.path(), url.as_deref(), &[]);
    let b = ServerProcess::start(dir_b.path(), url.as_deref(), &[]);
    let db = store.db(dir_a.path()).await;

    // Sign in on A; use the session on B (the cookie and CSRF token are the same there).
    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let signed_in = client
        .post(a.url("/api/login"))
        .form(&[("email", "lead@example.com"), ("password", "demo-password")])
        .send()
        .await
        .unwrap();
    let value = |name: &str| set_cookie(&signed_in, name);
    let cookie = format!("fc_session={}; fc_csrf={}", value("fc_session"), value("fc_csrf"));
    let me = client.get(b.url("/api/v1/me")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(me.status(), 200, "a session from instance A works on instance B");
    // Sign out on B; the session is gone on A too.
    let out = client
        .post(b.url(<app::auth::Logout as leptos::server_fn::ServerFn>::PATH))
        .header("cookie", &cookie)
        .header("x-csrf-token", value("fc_csrf"))
        .send()
        .await
        .unwrap();
    assert!(out.status().is_success() || out.status().is_redirection(), "{}", out.status());
    assert_eq!(
        client.get(a.url("/api/v1/me")).header("cookie", &cookie).send().await.unwrap().status(),
        401
    );

    let token = token(dir_a.path(), url.as_deref(), "lead@example.com");
    let tracked = Arc::new(Mutex::new(active_subscriptions(&db, WRITERS * SUBS_PER_WRITER).await));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load = tokio::spawn(write_load(
        vec![a.base.clone(), b.base.clone()],
        token.clone(),
        tracked.clone(),
        stop.clone(),
    ));
    wait_for_changes(&tracked, 120).await;
    // Both instances also race for the same record: one wins per version.
    let t = tracked.lock().await[0];
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    load.await.unwrap();
    let version: i64 =
        app::on_db!(&db, |p| sqlx::query_scalar("SELECT version FROM subscriptions WHERE id = $1")
            .bind(t.id)
            .fetch_one(p)
            .await)
        .unwrap();
    let mut racers = Vec::new();
    for (i, base) in
        [a.base.clone(), b.base.clone(), a.base.clone(), b.base.clone()].into_iter().enumerate()
    {
        let token = token.clone();
        racers.push(tokio::spawn(async move {
            client_status(&base, &token, t.id, version, t.seats_at_start + 10 + i as i64).await
        }));
    }
    let mut statuses = Vec::new();
    for r in racers {
        statuses.push(r.await.unwrap());
    }
    statuses.sort();
    assert_eq!(statuses, [200, 409, 409, 409], "one change per version across instances");
    let mut done: Vec<Tracked> = tracked.lock().await.clone();
    done[0].acknowledged += 1;
    check_invariants(&db, dir_a.path(), url.as_deref(), &done, true).await;
    a.terminate();
    b.terminate();
    db.close().await;
}

async fn client_status(base: &str, token: &str, sub: i64, version: i64, seats: i64) -> u16 {
    client()
        .patch(format!("{base}/api/v1/subscriptions/{sub}"))
        .bearer_auth(token)
        .json(&json!({"version": version, "seats": seats, "reason": "fault test load"}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_killed_mid_write_then_restarted() {
    killed_mid_write_then_restarted(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_killed_mid_write_then_restarted() {
    killed_mid_write_then_restarted(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_graceful_shutdown_under_load_loses_nothing() {
    graceful_shutdown_under_load_loses_nothing(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_graceful_shutdown_under_load_loses_nothing() {
    graceful_shutdown_under_load_loses_nothing(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_two_instances_share_one_database() {
    two_instances_share_one_database().await;
}
