//! SCIM's error shape (RFC 7644 §3.12): `status` as a string, an optional `scimType`,
//! and a `detail` a person can act on. Every answer is `application/scim+json`.
use axum::response::{IntoResponse, Response};
use http::{header, StatusCode};

use crate::AppError;

pub const CONTENT_TYPE: &str = "application/scim+json";
const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// A refusal, as SCIM clients read it.
#[derive(Debug)]
pub struct ScimError {
    status: StatusCode,
    scim_type: Option<&'static str>,
    detail: String,
}

impl ScimError {
    pub fn new(
        status: StatusCode,
        scim_type: Option<&'static str>,
        detail: impl Into<String>,
    ) -> Self {
        ScimError { status, scim_type, detail: detail.into() }
    }

    /// A request the server cannot read (`invalidSyntax`).
    pub fn syntax(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some("invalidSyntax"), detail)
    }

    /// A value that breaks a rule (`invalidValue`).
    pub fn value(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some("invalidValue"), detail)
    }

    pub fn not_found(id: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, None, format!("User {id} not found"))
    }
}

/// The console's own errors as SCIM errors: field errors are `invalidValue`, a taken
/// user name is `uniqueness`, anything internal stays internal.
impl From<AppError> for ScimError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Validation { .. } | AppError::BadRequest(_) => Self::value(e.to_string()),
            AppError::Conflict(m) => Self::new(StatusCode::CONFLICT, Some("uniqueness"), m),
            AppError::NotFound(m) => {
                Self::new(StatusCode::NOT_FOUND, None, format!("{m} not found"))
            }
            other => {
                tracing::error!(error = %other, "scim: internal error");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, None, "Internal error")
            }
        }
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let Some(t) = self.scim_type {
            body["scimType"] = t.into();
        }
        scim_json(self.status, &body)
    }
}

/// A SCIM answer: `status` with `body`, typed `application/scim+json`.
pub fn scim_json(status: StatusCode, body: &serde_json::Value) -> Response {
    (status, [(header::CONTENT_TYPE, CONTENT_TYPE)], body.to_string()).into_response()
}
