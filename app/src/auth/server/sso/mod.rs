//! Single sign-on through the company's identity provider (OpenID Connect): the flow's
//! two requests, the staff member it signs in (created at their first sign-in, known by
//! the provider's issuer and subject), and their role, recomputed from the provider's
//! groups at every sign-in.
mod pending;
pub mod routes;
mod staff;

pub use pending::MAX_PENDING;
pub use staff::{sign_in, SignIn};

use crate::identity::Sso;
use crate::store::Db;
use crate::AppError;

/// Starts a sign-in: the provider's address to send the browser to. `next` is where the
/// person lands afterwards (a same-site path; anything else lands on search).
pub async fn begin(db: &Db, sso: &Sso, next: &str) -> Result<String, AppError> {
    let (url, flow) = sso.start();
    pending::keep(db, &flow, &crate::validate::next_path(next)).await?;
    Ok(url)
}

/// Finishes a sign-in coming back with `code` and `state`: the pending flow `state`
/// names is used up (once, within minutes), the provider's answer checked, and the staff
/// member signed in. A `state` the console did not hand out, or handed out and already
/// used, is refused before the provider is asked anything.
pub async fn complete(db: &Db, sso: &Sso, code: String, state: &str) -> Result<SignIn, AppError> {
    let Some((flow, next)) = pending::take(db, state).await? else {
        tracing::warn!("single sign-on refused: the callback's state is unknown, used or expired");
        return Err(AppError::Unauthorized);
    };
    let identity = sso.finish(code, &flow).await?;
    staff::sign_in(db, sso, identity, next).await
}
