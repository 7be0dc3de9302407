//! The HTTP status of what the server renders, taken from an `AppError`, and the JSON
//! error body of the API.
use crate::AppError;

/// Gives the page being rendered on the server the HTTP status of `error` (404 for a
/// missing record, 403 for a page the role may not use); nothing in the browser. Pages
/// call it where they show an error (`ui::ErrorNote`, the forbidden and not-found
/// pages); a server function's error gets its status from the middleware of the server
/// functions' router (`serve::refusals::server_fn_status`), and the JSON API maps
/// errors with the same [`AppError::status`].
pub fn set_response_status(error: &AppError) {
    #[cfg(feature = "ssr")]
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status()) {
            response.set_status(status);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}

#[cfg(feature = "ssr")]
pub use response::{ErrorBody, ErrorDetail, ErrorResponse};

#[cfg(feature = "ssr")]
mod response {
    use axum::response::{IntoResponse, Response};
    use axum::Json;
    use serde::Serialize;
    use utoipa::ToSchema;

    use crate::{AppError, FieldErrors};

    /// The JSON body of every API error: `{"error": {"code", "message", "fields"?}}`.
    #[derive(Serialize, ToSchema)]
    pub struct ErrorBody {
        pub error: ErrorDetail,
    }

    /// What went wrong, for machines (`code`) and people (`message`).
    #[derive(Serialize, ToSchema)]
    pub struct ErrorDetail {
        #[schema(example = "validation_failed")]
        pub code: &'static str,
        pub message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub fields: Option<FieldErrors>,
    }

    /// An error as an HTTP response: its status and the JSON body [`ErrorBody`]. What the
    /// JSON API and the middleware answer with; handlers return it, `?` converts.
    #[derive(Debug)]
    pub struct ErrorResponse(pub AppError);

    impl From<AppError> for ErrorResponse {
        fn from(error: AppError) -> Self {
            ErrorResponse(error)
        }
    }

    impl From<sqlx::Error> for ErrorResponse {
        fn from(error: sqlx::Error) -> Self {
            ErrorResponse(error.into())
        }
    }

    impl IntoResponse for ErrorResponse {
        fn into_response(self) -> Response {
            let ErrorResponse(error) = self;
            let status = http::StatusCode::from_u16(error.status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
            let fields = match &error {
                AppError::Validation { fields, .. } if !fields.is_empty() => Some(fields.clone()),
                _ => None,
            };
            let body = ErrorBody {
                error: ErrorDetail { code: error.code(), message: error.to_string(), fields },
            };
            (status, Json(body)).into_response()
        }
    }
}
