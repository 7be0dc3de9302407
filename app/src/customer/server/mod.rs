//! Loading a customer: one query per kind of record, all by customer id.
mod load;

pub use load::load;

use super::CustomerView;
use crate::auth::server::caller;
use crate::domain::Permission;
use crate::{state, AppError};

/// The server function's body: any signed-in staff member may view.
pub async fn load_for_caller(id: i64) -> Result<CustomerView, AppError> {
    caller::require(Permission::ViewAll, "view customers")?;
    let state = state::from_context()?;
    load(&state.db, id, crate::store::today()).await
}
