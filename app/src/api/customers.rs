use axum::extract::{Path, State};
use axum::Json;

use crate::auth::server::Caller;
use crate::customer::{server, CustomerView};
use crate::domain::Permission;
use crate::state::AppState;
use crate::status::ErrorResponse;
use crate::AppError;

/// One customer with their billing accounts, subscriptions, namespaces, licenses,
/// invoices, integrity findings and recent activity.
#[utoipa::path(
    get, path = "/api/v1/customers/{id}", tag = "customers",
    params(("id" = i64, Path, description = "Customer id")),
    responses(
        (status = 200, description = "The customer", body = CustomerView),
        (status = 400, description = "The id is not a number", body = crate::status::ErrorBody),
        (status = 401, description = "No valid session or token", body = crate::status::ErrorBody),
        (status = 404, description = "No such customer", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn customer(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CustomerView>, ErrorResponse> {
    caller.require(Permission::ViewAll, "view customers")?;
    let id: i64 =
        id.parse().map_err(|_| AppError::BadRequest("A customer id is a number.".into()))?;
    Ok(Json(server::load(&state.db, id, crate::store::today()).await?))
}
