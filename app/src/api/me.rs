use axum::Json;

use crate::auth::server::Caller;
use crate::auth::CurrentUser;

/// The caller's identity and role.
#[utoipa::path(
    get, path = "/api/v1/me", tag = "auth",
    responses(
        (status = 200, description = "The caller", body = CurrentUser),
        (status = 401, description = "No valid session or token", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn me(caller: Caller) -> Json<CurrentUser> {
    Json(caller.user)
}
