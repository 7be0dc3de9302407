//! OpenAPI schema helpers for the domain types.
use utoipa::openapi::schema::{Object, SchemaType};

/// Schema of a value of any JSON type (a field's value before or after a change).
pub fn any_value() -> Object {
    Object::with_type(SchemaType::AnyValue)
}
