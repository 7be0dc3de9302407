//! What every request handler can reach: the database, the settings that shape
//! request handling (with the key that signs licenses), and the audit chain's cache. Handed to axum as router state and to Leptos as context.
mod license;

pub use license::{key_text, LicenseKey};

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::{use_context, LeptosOptions};

use crate::store::Db;
use crate::AppError;

/// Settings that request handling needs (the rest stay in the server crate).
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// How long a browser session lasts after sign-in.
    pub session_ttl: chrono::Duration,
    /// How long a browser session lasts unused.
    pub session_idle: chrono::Duration,
    /// Mark cookies `Secure` (serve over HTTPS).
    pub secure_cookies: bool,
    /// Signs temporary licenses and the audit chain's checkpoints.
    pub license_key: LicenseKey,
    /// The append-only file of signed checkpoints of the audit chain (`None`: off).
    pub checkpoint_file: Option<std::path::PathBuf>,
    /// The header a trusted reverse proxy puts the client's address in (`None`: the
    /// connection's peer is the client).
    pub client_ip_header: Option<String>,
    /// The bearer token the identity provider's provisioning presents (`/scim/v2`).
    pub scim_token: Option<String>,
}

impl AppConfig {
    /// Defaults, signing with `license_key`.
    pub fn new(license_key: LicenseKey) -> Self {
        AppConfig {
            session_ttl: chrono::Duration::hours(12),
            session_idle: chrono::Duration::minutes(60),
            secure_cookies: false,
            license_key,
            checkpoint_file: None,
            client_ip_header: None,
            scim_token: None,
        }
    }
}

/// Shared state of the server.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<AppConfig>,
    /// The last walk of the activity chain, for the timeline's badge.
    pub chain: crate::audit::chain::ChainCache,
    /// The last 30 days' event counts (dashboard, repeat interventions).
    pub tally: crate::audit::tally::Tally,
    /// The billing provider, when the console is connected to one.
    pub billing: Option<crate::billing::server::Connection>,
    /// The identity provider staff sign in through, when single sign-on is on.
    pub sso: Option<Arc<crate::identity::Sso>>,
    pub leptos_options: LeptosOptions,
}

impl AppState {
    /// Whether the activity chain holds, checked at most `max_age` ago (incrementally,
    /// one walk shared by every caller), compared with the newest signed checkpoint.
    pub async fn chain_report(
        &self,
        max_age: chrono::Duration,
    ) -> Result<crate::audit::ChainReport, AppError> {
        let mut report = self.chain.report(&self.db, max_age).await?;
        if let Some(file) = &self.config.checkpoint_file {
            // An unreadable checkpoint file is logged, not an error of the chain's report
            // (`server audit verify` fails on it).
            let key = &self.config.license_key;
            report.checkpoint = match crate::audit::checkpoint::check(&self.db, file, key).await {
                Ok(status) => status,
                Err(e) => {
                    tracing::error!(error = %e, "the audit checkpoint file cannot be read");
                    None
                }
            };
        }
        Ok(report)
    }
}

/// The state inside a server function or page render.
pub fn from_context() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}
