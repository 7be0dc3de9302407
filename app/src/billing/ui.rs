//! How a linked record shows its place at the billing provider: the provider's id and
//! whether the console's changes have reached it.
use leptos::prelude::*;

use crate::domain::billing::{BillingLink, SyncState};

/// `Stripe sub_… · synced` (or pending, or failed with the error and the next retry).
#[component]
pub fn BillingBadge(link: BillingLink) -> impl IntoView {
    let (class, state) = match link.sync {
        SyncState::Synced => ("badge", "synced"),
        SyncState::Pending => ("badge warn", "syncing"),
        SyncState::Failed => ("badge danger", "sync failed"),
    };
    let when = crate::domain::when::minute_utc;
    let title = match link.sync {
        SyncState::Synced => {
            link.synced_at.map(|t| format!("Confirmed by the billing system {}", when(t)))
        }
        SyncState::Pending => Some("The change is on its way to the billing system".to_string()),
        SyncState::Failed => Some(format!(
            "{}; next try {}",
            link.error.clone().unwrap_or_default(),
            link.next_retry_at.map(when).unwrap_or_default()
        )),
    };
    let provider = link.provider.label();
    view! {
        <span class="billing-link" data-testid="billing-link" data-sync=link.sync.as_str()>
            <small class="muted">{provider} " "<code>{link.id.clone()}</code></small>
            " " <span class=class title=title>{state}</span>
        </span>
    }
}
