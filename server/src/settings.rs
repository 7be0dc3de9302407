//! Settings from flags and environment, with documented defaults (`server --help`).
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Fulfillment Console: find any customer instantly and change their commercial state
/// safely. With no arguments it serves the SQLite demo on http://127.0.0.1:3000.
#[derive(Debug, Parser)]
#[command(name = "server", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(flatten)]
    pub serve: ServeArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Settings every command shares.
#[derive(Debug, Args, Clone)]
pub struct Global {
    /// Database URL: `sqlite:PATH` or `postgres://USER@HOST/DB`. Default: the SQLite
    /// file `console.db` in the data directory.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Directory for the default SQLite database and the license signing key.
    #[arg(long, env = "FC_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// The Ed25519 key that signs temporary licenses. Default: `license-signing.key` in
    /// the data directory, generated (a demo key) when it does not exist yet. Servers
    /// behind one load balancer must share one key file.
    #[arg(long, env = "FC_LICENSE_KEY_FILE", global = true)]
    pub license_key_file: Option<PathBuf>,

    /// The append-only file of signed checkpoints of the activity chain (each the newest
    /// event's id and hash, signed with the server's key). Default:
    /// `audit-checkpoints.jsonl` in the data directory. Keep it outside the database's
    /// reach (and ship it with the logs): `audit verify` compares the two.
    #[arg(long, env = "FC_AUDIT_CHECKPOINT_FILE", global = true)]
    pub audit_checkpoint_file: Option<PathBuf>,

    /// Maximum database connections in the pool.
    #[arg(long, env = "FC_DB_MAX_CONNECTIONS", default_value_t = 16, global = true)]
    pub db_max_connections: u32,

    /// Log format: `text` for people, `json` for log collectors.
    #[arg(long, env = "FC_LOG_FORMAT", default_value = "text", global = true)]
    pub log_format: String,

    /// The billing provider the console is connected to: `none` (every billing fact
    /// lives only in the console) or `stripe` (a server speaking Stripe's API).
    #[arg(long, env = "FC_BILLING", value_enum, default_value_t = BillingMode::None, global = true)]
    pub billing: BillingMode,

    /// Base URL of the Stripe-compatible API.
    #[arg(long, env = "FC_STRIPE_API_BASE", default_value = app::billing::server::stripe::DEFAULT_BASE, global = true)]
    pub stripe_api_base: String,

    /// Secret API key for the Stripe-compatible API (`sk_…`; a `sk_test_` key also
    /// gives linked demo customers Stripe's test card).
    #[arg(long, env = "FC_STRIPE_API_KEY", global = true, hide_env_values = true)]
    pub stripe_api_key: Option<String>,

    /// Secret the provider signs webhooks with (`whsec_…`); several, comma-separated,
    /// while one is rolled. Unset: `POST /webhooks/stripe` refuses every event.
    #[arg(long, env = "FC_STRIPE_WEBHOOK_SECRET", global = true, hide_env_values = true)]
    pub stripe_webhook_secret: Option<String>,
}

/// A billing provider, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BillingMode {
    None,
    Stripe,
}

impl Global {
    /// The billing provider's client, when one is configured.
    pub fn stripe(&self) -> Result<Option<app::billing::server::Stripe>, String> {
        match self.billing {
            BillingMode::None => Ok(None),
            BillingMode::Stripe => {
                let key = self.stripe_api_key.as_deref().filter(|k| !k.is_empty()).ok_or(
                    "--billing stripe needs an API key (--stripe-api-key or FC_STRIPE_API_KEY)",
                )?;
                Ok(Some(app::billing::server::Stripe::new(&self.stripe_api_base, key)))
            }
        }
    }

    /// The connection to the billing provider, when one is configured.
    pub fn billing_connection(&self) -> Result<Option<app::billing::server::Connection>, String> {
        let secrets = self
            .stripe_webhook_secret
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        Ok(self.stripe()?.map(|stripe| {
            app::billing::server::Connection::new(
                app::domain::billing::Provider::Stripe,
                stripe,
                secrets,
            )
        }))
    }

    /// The checkpoint file in force.
    pub fn checkpoint_file(&self) -> PathBuf {
        self.audit_checkpoint_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("audit-checkpoints.jsonl"))
    }

    /// The database URL in force.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite:{}", self.data_dir.join("console.db").display()))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the console (the default; takes the serve settings above).
    Serve,
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Fill the database with deterministic demo data and demo staff users.
    Seed(SeedArgs),
    /// Personal API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The activity timeline's tamper-evident chain.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Signed licenses.
    #[command(subcommand)]
    License(LicenseCommand),
    /// The billing provider (`--billing stripe`).
    #[command(subcommand)]
    Billing(BillingCommand),
    /// Latency benchmarks against the configured database (see docs/benchmarks.md).
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Replay a fixed query mix through search and the customer page; print percentiles.
    Search {
        /// Records sampled to build the query mix (about 13 queries each).
        #[arg(long, default_value_t = 100)]
        samples: i64,
        /// Timed passes over the mix (after one warm-up pass).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// Run inline subscription edits (each with its activity event); print percentiles.
    /// Changes data: use a benchmark database.
    Edit {
        /// Active subscriptions edited, spread over the data set.
        #[arg(long, default_value_t = 500)]
        samples: i64,
        /// Timed passes over them (after one warm-up pass).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// Time the renewal watchlist, eligibility checks and issuing extensions; print
    /// percentiles. Issues extensions: use a benchmark database.
    Extensions {
        /// Subscriptions ending within 13 days that are checked (and, if eligible, extended).
        #[arg(long, default_value_t = 300)]
        samples: i64,
        /// Timed passes over the checks (the watchlist runs ten times as many).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// Time timeline pages under every kind of filter, the dashboard, the CSV export
    /// and the chain walk; print percentiles. Reads only.
    Activity {
        /// Values sampled per filter combination.
        #[arg(long, default_value_t = 40)]
        samples: i64,
        /// Timed passes (after one warm-up pass).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// Time each integrity rule, the full scan (which stores findings), one customer's
    /// check and the integrity page; print percentiles. Writes findings like a scan.
    Integrity {
        /// Customers whose one-customer check is timed.
        #[arg(long, default_value_t = 200)]
        samples: i64,
        /// Timed passes (after one warm-up pass).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// Change seats at the billing provider and time each webhook from its arrival to
    /// the console's commit; print percentiles. Changes data at both ends: use a linked
    /// benchmark database (`--billing stripe`).
    Webhooks {
        /// Changes made (and webhooks handled).
        #[arg(long, default_value_t = 200)]
        samples: usize,
    },
}

/// Settings of `serve`.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Serve options")]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, global = true, env = "FC_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Directory holding the built front end (`pkg/`, favicon).
    #[arg(long, global = true, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,

    /// Seed demo data and demo staff when the database has no customers yet.
    #[arg(long, global = true, env = "FC_DEMO_SEED", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo_seed: bool,

    /// Size of the demo data seeded at first start.
    #[arg(long, global = true, env = "FC_DEMO_SIZE", value_enum, default_value_t = Size::Demo)]
    pub demo_size: Size,

    /// Hours a browser session lasts after sign-in.
    #[arg(long, global = true, env = "FC_SESSION_TTL_HOURS", default_value_t = 12)]
    pub session_ttl_hours: i64,

    /// Minutes a browser session may go unused before it ends (sign in again).
    #[arg(long, global = true, env = "FC_SESSION_IDLE_MINUTES", default_value_t = 60)]
    pub session_idle_minutes: i64,

    /// Mark cookies `Secure` (when served over HTTPS).
    #[arg(long, global = true, env = "FC_SECURE_COOKIES", default_value_t = false, action = clap::ArgAction::Set)]
    pub secure_cookies: bool,

    /// Seconds to let in-flight requests finish after SIGTERM or Ctrl-C.
    #[arg(long, global = true, env = "FC_SHUTDOWN_GRACE_SECS", default_value_t = 20)]
    pub shutdown_grace_secs: u64,

    /// Seconds between integrity scans (the first runs at start); 0 turns them off.
    /// Instances sharing one PostgreSQL take turns: one scans at a time.
    #[arg(long, global = true, env = "FC_INTEGRITY_SCAN_SECS", default_value_t = 900)]
    pub integrity_scan_secs: u64,

    /// Seconds between signed checkpoints of the activity chain (written when new events
    /// arrived; the first at start); 0 turns them off.
    #[arg(long, global = true, env = "FC_AUDIT_CHECKPOINT_SECS", default_value_t = 300)]
    pub audit_checkpoint_secs: u64,

    /// Bearer token `/metrics` requires (`Authorization: Bearer …`). Unset: `/metrics`
    /// answers 404, so nothing about the traffic is public.
    #[arg(long, global = true, env = "FC_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// Most connections served at once; further ones wait to be accepted.
    #[arg(long, global = true, env = "FC_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,

    /// Seconds a connection may take to send a request's headers, and may stay idle
    /// between requests, before it is closed.
    #[arg(long, global = true, env = "FC_HEADER_TIMEOUT_SECS", default_value_t = 10)]
    pub header_timeout_secs: u64,

    /// Take the client's address from this header (set by a trusted reverse proxy, e.g.
    /// `x-forwarded-for`: its last entry) instead of the connection's peer. Sign-in
    /// throttling counts per address.
    #[arg(long, global = true, env = "FC_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,

    /// Seconds between reconciliation sweeps against the billing provider (the first
    /// runs at start); 0 turns them off. One instance sweeps at a time.
    #[arg(long, global = true, env = "FC_BILLING_SWEEP_SECS", default_value_t = 3600)]
    pub billing_sweep_secs: u64,

    /// The billing provider, set from the global settings when the server starts.
    #[arg(skip)]
    pub billing: Option<app::billing::server::Connection>,

    #[command(flatten)]
    pub sso: SsoArgs,

    /// The identity provider, discovered from `sso` when the server starts.
    #[arg(skip)]
    pub sso_provider: Option<std::sync::Arc<app::identity::Sso>>,
}

/// Single sign-on through the company's identity provider (OpenID Connect). Off unless
/// `FC_OIDC_ISSUER` is set; then the client id, secret, public URL and role map are
/// required too.
#[derive(Debug, Args, Clone, Default)]
pub struct SsoArgs {
    /// The provider's issuer URL (its discovery document is under it), exactly as the
    /// provider writes it in its tokens.
    #[arg(long, global = true, env = "FC_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,

    /// The console's client id at the provider.
    #[arg(long, global = true, env = "FC_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,

    /// The console's client secret at the provider.
    #[arg(long, global = true, env = "FC_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,

    /// The console's address as browsers reach it (the provider sends people back to
    /// `<this>/auth/oidc/callback`), e.g. `https://console.example.com`.
    #[arg(long, global = true, env = "FC_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Which provider group gives which role: `fc-admins=admin,fc-leads=lead,…`. Several
    /// groups give the role that may do most; none gives no access.
    #[arg(long, global = true, env = "FC_OIDC_ROLE_MAP")]
    pub oidc_role_map: Option<String>,

    /// The claim (ID token or user info) that lists a person's groups.
    #[arg(long, global = true, env = "FC_OIDC_ROLE_CLAIM", default_value = "groups")]
    pub oidc_role_claim: String,

    /// How the sign-in page names the provider: "Sign in with <this>".
    #[arg(long, global = true, env = "FC_OIDC_PROVIDER_NAME", default_value = "SSO")]
    pub oidc_provider_name: String,

    /// The bearer token the provider's provisioning (SCIM, `/scim/v2`) presents. Unset,
    /// `/scim/v2` answers 404.
    #[arg(long, global = true, env = "FC_SCIM_TOKEN", hide_env_values = true)]
    pub scim_token: Option<String>,
}

impl SsoArgs {
    /// The settings of single sign-on, `None` when it is off; a missing or malformed
    /// setting names itself.
    pub fn settings(&self) -> Result<Option<app::identity::SsoSettings>, String> {
        let Some(issuer) = self.oidc_issuer.clone() else { return Ok(None) };
        let need = |v: &Option<String>, name: &str| {
            v.clone()
                .filter(|s| !s.trim().is_empty())
                .ok_or_else(|| format!("FC_OIDC_ISSUER is set, so {name} is required too"))
        };
        let role_map =
            app::domain::sso::RoleMap::parse(&need(&self.oidc_role_map, "FC_OIDC_ROLE_MAP")?)
                .map_err(|e| format!("FC_OIDC_ROLE_MAP: {e}"))?;
        Ok(Some(app::identity::SsoSettings {
            issuer,
            client_id: need(&self.oidc_client_id, "FC_OIDC_CLIENT_ID")?,
            client_secret: need(&self.oidc_client_secret, "FC_OIDC_CLIENT_SECRET")?,
            public_url: need(&self.public_url, "FC_PUBLIC_URL")?,
            role_map,
            role_claim: self.oidc_role_claim.clone(),
            provider_name: self.oidc_provider_name.clone(),
        }))
    }
}

/// Named sizes of demo data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Size {
    /// 200 customers: for tests.
    Small,
    /// 5 000 customers: for trying the console.
    Demo,
    /// 1 000 000 customers and 5 000 000 events: for benchmarks.
    Large,
}

#[derive(Debug, Args, Clone)]
pub struct SeedArgs {
    /// How much data to generate.
    #[arg(long, value_enum, default_value_t = Size::Demo)]
    pub size: Size,
    /// Seed of the generator: the same seed and day give the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The day the data is built around (YYYY-MM-DD). Default: today (UTC).
    #[arg(long)]
    pub today: Option<chrono::NaiveDate>,
    /// Replace existing data instead of refusing.
    #[arg(long, default_value_t = false)]
    pub force: bool,
    /// Hide the progress bar.
    #[arg(long, default_value_t = false)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum BillingCommand {
    /// Create every customer and subscription not linked yet at the provider (with its
    /// plans) and record the links; resumable.
    Link,
    /// Deliver every change waiting in the outbox now, then exit.
    Deliver,
    /// Reconcile every subscription with the provider now (what the scheduled sweep
    /// does), print what it found, then exit.
    Sweep,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Print a new personal API token for a staff user (shown once; stored hashed).
    Create {
        /// The staff user's email.
        #[arg(long)]
        email: String,
        /// A label to recognise the token by.
        #[arg(long, default_value = "cli")]
        label: String,
        /// Days until it expires (1–366).
        #[arg(long, default_value_t = 90)]
        days: i64,
    },
    /// List tokens (newest first): id, owner, label, created, expires, state.
    List {
        /// Only this staff user's tokens.
        #[arg(long)]
        email: Option<String>,
    },
    /// Revoke one token by its id (from `token list`).
    Revoke {
        /// The token's id.
        #[arg(long)]
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum LicenseCommand {
    /// Check a license file's signature against this server's key and print its fields.
    /// Exits with status 1 when the license is not valid.
    Verify {
        /// The license file (`-` for standard input).
        file: PathBuf,
    },
    /// Print the public key that verifies this server's licenses.
    PublicKey,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check that no stored activity event was edited, deleted or reordered, and that the
    /// history still holds the newest signed checkpoint (nothing cut short or rewritten).
    Verify,
    /// Sign the chain's head into the checkpoint file now (when it moved).
    Checkpoint,
}
