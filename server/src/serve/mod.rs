//! The HTTP application: Leptos pages and server functions, the JSON API, operations
//! endpoints, and the middleware around them.
mod assets;
mod headers;
mod metrics;
mod ops;
mod refusals;
mod router;
mod shutdown;

pub use metrics::Metrics;
pub use router::build_router;

use std::net::SocketAddr;
use std::sync::Arc;

use app::state::{AppConfig, AppState, LicenseKey};
use app::store::Db;
use leptos::prelude::LeptosOptions;
use tokio::net::TcpListener;

use crate::settings::{Global, SeedArgs, ServeArgs};
use crate::startup::CmdResult;

/// A bound, ready-to-run server. Tests build it on port 0 and read `addr`.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    metrics: Metrics,
    limits: shutdown::Limits,
    pub addr: SocketAddr,
    pub state: AppState,
}

impl Application {
    /// Binds the listener and builds the router over `db`.
    pub async fn build(
        db: Db,
        args: &ServeArgs,
        license_key: LicenseKey,
        checkpoint_file: Option<std::path::PathBuf>,
    ) -> std::io::Result<Application> {
        let listener = TcpListener::bind(args.listen).await?;
        let addr = listener.local_addr()?;
        let (hash_files, hash_file) = hashed_assets(&args.site_root);
        let leptos_options = LeptosOptions::builder()
            .output_name("console")
            .site_root(args.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .hash_files(hash_files)
            .hash_file(hash_file.into())
            .build();
        let config = AppConfig {
            session_ttl: chrono::Duration::hours(args.session_ttl_hours.max(1)),
            session_idle: chrono::Duration::minutes(args.session_idle_minutes.max(1)),
            secure_cookies: args.secure_cookies,
            license_key,
            checkpoint_file,
            client_ip_header: args.client_ip_header.clone(),
            scim_token: args.sso.scim_token.clone().filter(|t| !t.is_empty()),
        };
        let state = AppState {
            db,
            config: Arc::new(config),
            chain: Default::default(),
            tally: Default::default(),
            billing: args.billing.clone(),
            sso: args.sso_provider.clone(),
            leptos_options,
        };
        let metrics = Metrics::spawn();
        let router = build_router(state.clone(), metrics.clone(), args.metrics_token.clone());
        let limits = shutdown::Limits {
            max_connections: args.max_connections,
            header_timeout: std::time::Duration::from_secs(args.header_timeout_secs.max(1)),
        };
        Ok(Application { listener, router, metrics, limits, addr, state })
    }

    /// Serves until `signal` resolves, then lets in-flight requests finish (up to
    /// `grace`). Returns how many requests were answered, and how many accepted ones
    /// were still unanswered when it stopped (0 unless the grace period ran out).
    pub async fn run_until(
        self,
        signal: impl std::future::Future<Output = ()> + Send + 'static,
        grace: std::time::Duration,
    ) -> std::io::Result<(u64, u64)> {
        shutdown::serve(self.listener, self.router, signal, grace, self.limits).await?;
        Ok(self.metrics.answered_and_in_flight())
    }
}

/// Whether the built front end has content-hashed file names, and the file that lists
/// the hashes. The build writes `hash.txt` at the site root (cargo-leptos
/// `hash-file-name`); passed as an absolute path, Leptos reads it there rather than
/// beside the running executable, so every binary serving this site (release, test
/// builds) finds the same names.
fn hashed_assets(site_root: &str) -> (bool, String) {
    let root = std::path::Path::new(site_root);
    let root = if root.is_absolute() {
        root.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(root)
    };
    let file = root.join("hash.txt");
    (file.is_file(), file.to_string_lossy().into_owned())
}

/// `server serve`: migrate, seed the demo at first start, then serve until SIGTERM.
pub async fn run(global: &Global, mut args: ServeArgs) -> CmdResult {
    args.billing = global.billing_connection()?;
    if let Some(settings) = args.sso.settings()? {
        let issuer = settings.issuer.clone();
        let sso = app::identity::Sso::discover(settings)
            .await
            .map_err(|e| format!("single sign-on: {e}"))?;
        tracing::info!(%issuer, "single sign-on through the identity provider");
        args.sso_provider = Some(std::sync::Arc::new(sso));
    }
    let db = crate::startup::open(global).await?;
    let license_key = crate::startup::load_key(global)?;
    if args.demo_seed && crate::seed::is_empty(&db).await? {
        tracing::info!(size = ?args.demo_size, "empty database: seeding demo data and demo staff");
        let seed =
            SeedArgs { size: args.demo_size, seed: 1, today: None, force: false, quiet: true };
        crate::seed::run(&db, &seed).await?;
    }
    spawn_session_purge(db.clone());
    spawn_approval_expiry(db.clone());
    spawn_integrity_scan(db.clone(), args.integrity_scan_secs);
    let grace = std::time::Duration::from_secs(args.shutdown_grace_secs);
    let checkpoints = (args.audit_checkpoint_secs > 0).then(|| global.checkpoint_file());
    let app = Application::build(db.clone(), &args, license_key, checkpoints)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    spawn_tally(app.state.clone());
    spawn_checkpoints(app.state.clone(), args.audit_checkpoint_secs);
    if let Some(billing) = &args.billing {
        let stripe = billing.stripe.clone().patience(std::time::Duration::from_secs(5), 1);
        spawn_billing_delivery(db.clone(), stripe);
        spawn_billing_sweep(app.state.clone(), args.billing_sweep_secs);
    }
    tracing::info!("Fulfillment Console listening on http://{}", app.addr);
    let (answered, unfinished) = app.run_until(shutdown::signal(), grace).await?;
    db.close().await;
    tracing::info!(answered, unfinished, "stopped cleanly");
    Ok(())
}

/// Takes the outbox's changes to the billing provider: every second, the due entries
/// (each retried with backoff while the provider fails).
fn spawn_billing_delivery(db: Db, stripe: app::billing::server::Stripe) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) =
                app::billing::server::deliver::round(&db, &stripe, app::store::today(), 50).await
            {
                tracing::warn!(error = %e, "billing delivery round failed");
            }
        }
    });
}

/// Keeps the last 30 days' counts (dashboard, repeat interventions) warm: counted at
/// start, brought up to date every 30 seconds and counted again when the day changes,
/// so a request finds at most a few new events to add.
/// Reconciles the console with the billing provider every `secs` seconds (the first
/// sweep at start); instances sharing one PostgreSQL take turns.
fn spawn_billing_sweep(state: AppState, secs: u64) {
    let Some(billing) = state.billing.clone().filter(|_| secs > 0) else { return };
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(secs));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let r = app::drift::server::Reconciler {
                db: &state.db,
                key: &state.config.license_key,
                billing: &billing,
            };
            match app::drift::server::sweep::run(&r, app::store::today()).await {
                Ok(Some(s)) => tracing::info!(
                    compared = s.compared,
                    applied = s.applied,
                    drift = s.drift,
                    waiting = s.waiting,
                    invoices = s.invoices.compared,
                    invoices_recorded = s.invoices.recorded,
                    invoices_applied = s.invoices.applied,
                    seconds = s.seconds,
                    "billing sweep"
                ),
                Ok(None) => tracing::debug!("billing sweep already running elsewhere"),
                Err(e) => tracing::warn!(error = %e, "billing sweep failed"),
            }
        }
    });
}

fn spawn_tally(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tick.tick().await;
            if let Err(e) = state.tally.current(&state.db, app::store::today()).await {
                tracing::warn!(error = %e, "counting the last 30 days failed");
            }
        }
    });
}

/// Signs the activity chain's head into the checkpoint file every `secs` seconds (the
/// first at start) when new events arrived; none when 0.
fn spawn_checkpoints(state: AppState, secs: u64) {
    let Some(file) = state.config.checkpoint_file.clone().filter(|_| secs > 0) else { return };
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(secs));
        loop {
            tick.tick().await;
            let key = &state.config.license_key;
            if let Err(e) = app::audit::checkpoint::write(&state.db, &state.chain, &file, key).await
            {
                tracing::error!(error = %e, "audit checkpoint not written");
            }
        }
    });
}

/// Expires approval requests past their 72 hours, every minute (each with its event).
fn spawn_approval_expiry(db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            match app::ops::server::approvals::expire_due(&db).await {
                Ok(n) if n > 0 => tracing::info!(expired = n, "expired approval requests"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "approval expiry failed"),
            }
        }
    });
}

/// Scans for integrity findings every `secs` seconds (none when 0).
fn spawn_integrity_scan(db: Db, secs: u64) {
    if secs == 0 {
        return;
    }
    let instance = format!(
        "{}:{}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "server".into()),
        std::process::id()
    );
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(secs));
        loop {
            tick.tick().await;
            match app::checks::scan::run(&db, app::store::today(), &instance).await {
                Ok(Some(s)) => {
                    tracing::info!(
                        found = s.found,
                        opened = s.opened,
                        resolved = s.resolved,
                        ms = s.duration_ms,
                        "integrity scan"
                    );
                    // SQLite plans with statistics it gathers only when asked: refresh
                    // those gone stale (PostgreSQL's autovacuum does this by itself).
                    if matches!(db, Db::Sqlite(_)) {
                        if let Err(e) = db.execute("PRAGMA optimize").await {
                            tracing::warn!(error = %e, "PRAGMA optimize failed");
                        }
                    }
                }
                Ok(None) => tracing::info!("integrity scan skipped: another instance is scanning"),
                Err(e) => tracing::warn!(error = %e, "integrity scan failed"),
            }
        }
    });
}

/// Removes expired sessions and old sign-in failures every hour.
fn spawn_session_purge(db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match app::auth::server::session::purge_expired(&db).await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "purged expired sessions"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "session purge failed"),
            }
            if let Err(e) = app::auth::server::throttle::purge(&db).await {
                tracing::warn!(error = %e, "sign-in failure purge failed");
            }
        }
    });
}
