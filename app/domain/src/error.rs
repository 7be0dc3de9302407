//! The one error type of the application. It crosses the wire (server functions and
//! API) and never carries internals: the server logs those and gives the client a
//! reference it can quote.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
#[cfg(feature = "server-fn")]
use server_fn_error::*;

/// Field name → message, in a stable order.
pub type FieldErrors = BTreeMap<String, String>;

/// Everything that can go wrong in a request, as the client may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    #[error("Please sign in.")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} was not found.")]
    NotFound(String),
    #[error("{message}")]
    Validation { message: String, fields: FieldErrors },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("Could not reach the server: {0}")]
    Network(String),
    /// A system the console depends on (the billing provider) did not answer.
    #[error("{0}")]
    Unavailable(String),
    #[error("Something went wrong on our side (reference {0}). Please try again.")]
    Internal(String),
}

impl AppError {
    /// A validation failure for a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut fields = FieldErrors::new();
        fields.insert(field.to_string(), message.clone());
        AppError::Validation { message, fields }
    }

    /// A refusal by a business rule, about the request as a whole rather than one field.
    pub fn rule(message: impl Into<String>) -> Self {
        AppError::Validation { message: message.into(), fields: Default::default() }
    }

    /// A validation failure for several fields; `None` when there are none.
    pub fn from_fields(fields: FieldErrors) -> Option<Self> {
        if fields.is_empty() {
            return None;
        }
        let message = if fields.len() == 1 {
            fields.values().next().cloned().unwrap_or_default()
        } else {
            "Some fields need attention.".to_string()
        };
        Some(AppError::Validation { message, fields })
    }

    /// The message for one field, if this is a validation error naming it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Validation { fields, .. } => fields.get(field).cloned(),
            _ => None,
        }
    }

    /// Machine-readable code used in the API's JSON error body.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Validation { .. } => "validation_failed",
            AppError::Conflict(_) => "conflict",
            AppError::BadRequest(_) => "bad_request",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::TooLarge(_) => "payload_too_large",
            AppError::Unavailable(_) => "unavailable",
            AppError::Network(_) => "network",
            AppError::Internal(_) => "internal",
        }
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Validation { .. } => 422,
            AppError::Conflict(_) => 409,
            AppError::BadRequest(_) => 400,
            AppError::TooManyRequests(_) => 429,
            AppError::TooLarge(_) => 413,
            AppError::Unavailable(_) => 503,
            AppError::Network(_) => 503,
            AppError::Internal(_) => 500,
        }
    }
}

#[cfg(feature = "server-fn")]
mod server_fn_error {
    pub use server_fn::codec::JsonEncoding;
    pub use server_fn::error::{FromServerFnError, ServerFnErrorErr};
}

#[cfg(feature = "server-fn")]
impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(e) => AppError::Network(e),
            ServerFnErrorErr::Args(e)
            | ServerFnErrorErr::MissingArg(e)
            | ServerFnErrorErr::Deserialization(e) => {
                AppError::BadRequest(format!("The request was malformed: {e}"))
            }
            other => AppError::Internal(short_reference(&other.to_string())),
        }
    }
}

/// A short, stable reference for an error message, so support can match a report to a log line.
pub fn short_reference(text: &str) -> String {
    let mut h: u32 = 2166136261;
    for b in text.bytes() {
        h = (h ^ b as u32).wrapping_mul(16777619);
    }
    format!("E{h:08x}")
}

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;

    impl From<sqlx::Error> for AppError {
        fn from(e: sqlx::Error) -> Self {
            AppError::internal(e)
        }
    }

    impl AppError {
        /// Logs an internal failure with a fresh reference and returns the opaque error.
        pub fn internal(e: impl std::fmt::Display) -> Self {
            let reference = format!("E{:08x}", rand::random::<u32>());
            tracing::error!(reference = %reference, error = %e, "internal error");
            AppError::Internal(reference)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_crosses_the_wire() {
        let all = [
            AppError::Unauthorized,
            AppError::Forbidden("no".into()),
            AppError::NotFound("Customer 4".into()),
            AppError::field("email", "bad"),
            AppError::Conflict("moved on".into()),
            AppError::BadRequest("bad".into()),
            AppError::TooManyRequests("slow down".into()),
            AppError::TooLarge("too big".into()),
            AppError::Network("down".into()),
            AppError::Internal("E1".into()),
        ];
        for e in all {
            let text = serde_json::to_string(&e).unwrap();
            assert_eq!(serde_json::from_str::<AppError>(&text).unwrap(), e);
        }
    }
}
