//! Temporary extensions (docs/PRODUCT.md "Operations" 8): the sales wizard that unblocks a
//! customer at renewal inside policy, the renewal watchlist, and signed licenses.
//! Issuing runs through the operations engine (`extension.issue`), so approvals,
//! conflicts and the activity timeline work as for every other change.
#[cfg(feature = "ssr")]
pub mod server;
mod watchlist_page;
pub mod wizard;

pub use watchlist_page::WatchlistPage;
pub use wizard::WizardPage;

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::client::CsrfClient;
use crate::domain::{
    Eligibility, ExtensionOutcome, ExtensionRequest, IssuedLicense, Preview, Watchlist,
};
use crate::AppError;

#[cfg(feature = "ssr")]
fn signed_in() -> Result<(crate::ops::server::Actor, crate::state::AppState), AppError> {
    let caller = crate::auth::server::caller::require_signed_in()?;
    Ok((crate::ops::server::Actor::from(&caller), crate::state::from_context()?))
}

/// The eligibility rules for one subscription, today.
#[server(client = CsrfClient, endpoint = "extensions/eligibility")]
pub async fn extension_eligibility(subscription_id: i64) -> Result<Eligibility, AppError> {
    let (actor, state) = signed_in()?;
    server::eligibility(&state.db, &actor, subscription_id, crate::store::today()).await
}

/// What the extension would issue, and whether it needs approval. Nothing is written.
#[server(client = CsrfClient, endpoint = "extensions/preview", input = Json)]
pub async fn preview_extension(request: ExtensionRequest) -> Result<Preview, AppError> {
    let (actor, state) = signed_in()?;
    server::preview(&state.db, &actor, &request, crate::store::today()).await
}

/// Issues the extension, or files it for a lead's approval.
#[server(client = CsrfClient, endpoint = "extensions/submit", input = Json)]
pub async fn submit_extension(request: ExtensionRequest) -> Result<ExtensionOutcome, AppError> {
    let (actor, state) = signed_in()?;
    server::submit(&state.db, &state.config.license_key, &actor, &request, crate::store::today())
        .await
}

/// A signed license, to show and download again.
#[server(client = CsrfClient, endpoint = "extensions/license")]
pub async fn signed_license(id: i64) -> Result<IssuedLicense, AppError> {
    let (_, state) = signed_in()?;
    server::issued_license(&state.db, id).await
}

/// The renewal watchlist.
#[server(client = CsrfClient, endpoint = "extensions/watchlist")]
pub async fn renewal_watchlist(
    within_days: Option<i64>,
    sort: Option<String>,
) -> Result<Watchlist, AppError> {
    let (actor, state) = signed_in()?;
    server::watchlist(&state.db, &actor.user, within_days, sort.as_deref(), crate::store::today())
        .await
}
