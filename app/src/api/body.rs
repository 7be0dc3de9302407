//! Request bodies and query strings whose problems answer in the API's error shape:
//! malformed JSON is a 400, a body over the limit a 413, a missing or mistyped field (in
//! the body or the query string) a 422 naming the field.
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use http::request::Parts;
use serde::de::DeserializeOwned;

use crate::status::ErrorResponse;
use crate::AppError;

/// `axum::Json`, with our errors.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ErrorResponse;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let result = match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(JsonRejection::JsonDataError(e)) => Err(data_error(&e.body_text())),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(AppError::BadRequest(
                "Send the body as JSON (Content-Type: application/json).".into(),
            )),
            Err(e) if e.status() == http::StatusCode::PAYLOAD_TOO_LARGE => Err(too_large()),
            Err(e) => {
                Err(AppError::BadRequest(format!("The body is not valid JSON: {}", e.body_text())))
            }
        };
        result.map_err(ErrorResponse)
    }
}

/// `axum::extract::Query`, with our errors.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ErrorResponse;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let result = match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(QueryParams(value)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                Err(data_error(&e.body_text()))
            }
            Err(e) => Err(AppError::BadRequest(format!(
                "The query string is not valid: {}",
                e.body_text()
            ))),
        };
        result.map_err(ErrorResponse)
    }
}

/// The refusal of a body over the server's limit.
pub fn too_large() -> AppError {
    AppError::TooLarge("The request body is too large (at most 1 MiB).".into())
}

/// Turns serde's message into a field error where it names a field.
fn data_error(text: &str) -> AppError {
    let detail = text.split(": ").last().unwrap_or(text);
    let named = detail.split('`').nth(1).filter(|_| detail.contains("missing field"));
    let at = text.split(": ").nth(1).filter(|p| !p.contains(' ') && !p.is_empty());
    match (named, at) {
        (Some(field), _) => AppError::field(field, format!("{field} is required.")),
        (None, Some(path)) => {
            AppError::field(path, format!("{path} has the wrong type ({}).", clean(detail)))
        }
        _ => AppError::Validation {
            message: format!("The body does not fit: {}", clean(detail)),
            fields: Default::default(),
        },
    }
}

fn clean(detail: &str) -> String {
    detail.split(" at line ").next().unwrap_or(detail).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_become_field_errors() {
        let e = data_error("Failed to deserialize the JSON body into the target type: missing field `reason` at line 1 column 2");
        assert_eq!(e.field_message("reason").as_deref(), Some("reason is required."));
        let e = data_error("Failed to deserialize the JSON body into the target type: seats: invalid type: string \"x\", expected i64 at line 1 column 12");
        assert!(e.field_message("seats").unwrap().contains("wrong type"));
        let e = data_error("Failed to deserialize query string: missing field `target_type`");
        assert_eq!(e.field_message("target_type").as_deref(), Some("target_type is required."));
        let e = data_error(
            "Failed to deserialize query string: target_id: invalid digit found in string",
        );
        assert!(e.field_message("target_id").unwrap().contains("wrong type"), "{e:?}");
    }
}
