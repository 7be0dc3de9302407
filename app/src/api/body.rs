//! Request bodies and query strings whose problems answer in the API's error shape:
//! malformed JSON is a 400, a body over the limit a 413, a missing or mistyped field (in
//! the body or the query string) a 422 naming the field.
use axum::extract::{FromRequest, FromRequestParts, Request};
use bytes::Bytes;
use http::request::Parts;
use http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::status::ErrorResponse;
use crate::AppError;

/// `axum::Json`, with our errors.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ErrorResponse;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ErrorResponse(AppError::BadRequest(
                "Send the body as JSON (Content-Type: application/json).".into(),
            )));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            ErrorResponse(match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => too_large(),
                _ => AppError::BadRequest("The body could not be read.".into()),
            })
        })?;
        parse_json(&bytes).map(JsonBody).map_err(ErrorResponse)
    }
}

/// `axum::extract::Query`, with our errors.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ErrorResponse;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query().unwrap_or_default()).map(QueryParams).map_err(ErrorResponse)
    }
}

/// The refusal of a body over the server's limit.
pub fn too_large() -> AppError {
    AppError::TooLarge("The request body is too large (at most 1 MiB).".into())
}

/// Whether the body is declared as JSON (`application/json` or a `+json` type).
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads a JSON body: malformed JSON is a 400, a value that does not fit a 422 naming
/// the field.
fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut json = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut json).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_data() {
            data_error(&path, &inner.to_string())
        } else {
            not_json(&inner)
        }
    })?;
    json.end().map_err(|e| not_json(&e))?;
    Ok(value)
}

fn not_json(e: &serde_json::Error) -> AppError {
    AppError::BadRequest(format!("The body is not valid JSON: {e}"))
}

/// Reads a query string: a missing or mistyped parameter is a 422 naming it.
fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let pairs = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(pairs)
        .map_err(|e| data_error(&e.path().to_string(), &e.inner().to_string()))
}

/// The error for a value that does not fit at `path` (`.` for the whole value).
/// serde names a missing field only in its message.
fn data_error(path: &str, message: &str) -> AppError {
    let message = message.split(" at line ").next().unwrap_or(message);
    let missing = message.strip_prefix("missing field `").and_then(|m| m.split('`').next());
    let within = |field: &str| match path {
        "." => field.to_string(),
        _ => format!("{path}.{field}"),
    };
    match (missing, path) {
        (Some(field), _) => {
            let field = within(field);
            AppError::field(&field, format!("{field} is required."))
        }
        (None, ".") => AppError::Validation {
            message: format!("The body does not fit: {message}"),
            fields: Default::default(),
        },
        (None, path) => AppError::field(path, format!("{path} has the wrong type ({message}).")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Body {
        reason: String,
        seats: i64,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Query {
        target_type: String,
        target_id: i64,
    }

    #[test]
    fn serde_messages_become_field_errors() {
        let e = parse_json::<Body>(br#"{"seats": 1}"#).unwrap_err();
        assert_eq!(e.field_message("reason").as_deref(), Some("reason is required."));
        let e = parse_json::<Body>(br#"{"reason": "r", "seats": "x"}"#).unwrap_err();
        assert!(e.field_message("seats").unwrap().contains("wrong type"));
        let e = parse_query::<Query>("target_id=1").unwrap_err();
        assert_eq!(e.field_message("target_type").as_deref(), Some("target_type is required."));
        let e = parse_query::<Query>("target_type=customer&target_id=x").unwrap_err();
        assert!(e.field_message("target_id").unwrap().contains("wrong type"), "{e:?}");
    }

    #[test]
    fn malformed_json_is_not_a_field_error() {
        let e = parse_json::<Body>(b"{\"reason\": ").unwrap_err();
        assert!(matches!(e, AppError::BadRequest(_)), "{e:?}");
        let e = parse_json::<Body>(br#"{"reason": "r", "seats": 1} x"#).unwrap_err();
        assert!(matches!(e, AppError::BadRequest(_)), "{e:?}");
    }
}
