//! The console's connection to its billing provider, as request handlers and the
//! scheduled jobs reach it.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::Stripe;
use crate::domain::billing::Provider;

/// The provider, its API client and the secrets its webhooks are signed with.
#[derive(Clone)]
pub struct Connection {
    pub provider: Provider,
    pub stripe: Stripe,
    /// Webhook signing secrets in force (more than one while a secret is rolled).
    pub webhook_secrets: Vec<String>,
    rejected: Arc<AtomicU64>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("provider", &self.provider)
            .field("webhook_secrets", &self.webhook_secrets.len())
            .finish()
    }
}

impl Connection {
    pub fn new(provider: Provider, stripe: Stripe, webhook_secrets: Vec<String>) -> Connection {
        Connection { provider, stripe, webhook_secrets, rejected: Default::default() }
    }

    /// Counts a refused webhook; the count so far.
    pub fn reject(&self) -> u64 {
        self.rejected.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Webhooks refused since the server started (bad, missing or stale signatures).
    pub fn rejected(&self) -> u64 {
        self.rejected.load(Ordering::Relaxed)
    }
}
