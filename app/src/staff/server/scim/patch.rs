//! PATCH requests (RFC 7644 §3.5.2) applied to a person, in both dialects providers
//! speak: Okta's `{"op":"replace","value":{"active":false}}` and Entra ID's
//! `{"op":"Replace","path":"active","value":"False"}`. Attributes the console does not
//! keep (locale, titles, the enterprise extension) are skipped, as SCIM allows.
use serde::Deserialize;
use serde_json::Value;

use super::error::ScimError;
use super::user::{Boolish, Person, UserInput};
use crate::validate;

#[derive(Debug, Deserialize)]
pub struct PatchRequest {
    #[serde(rename = "Operations")]
    pub operations: Vec<Operation>,
}

#[derive(Debug, Deserialize)]
pub struct Operation {
    pub op: String,
    pub path: Option<String>,
    #[serde(default)]
    pub value: Value,
}

/// The given and family names a request sets, combined once every operation is read.
#[derive(Default)]
struct NameParts {
    given: Option<String>,
    family: Option<String>,
}

impl PatchRequest {
    /// `person` with every operation applied in order.
    pub fn apply(&self, mut person: Person) -> Result<Person, ScimError> {
        let mut parts = NameParts::default();
        for op in &self.operations {
            let remove = match op.op.to_ascii_lowercase().as_str() {
                "add" | "replace" => false,
                "remove" => true,
                other => return Err(ScimError::syntax(format!("Unknown patch op {other:?}"))),
            };
            match (&op.path, remove) {
                (Some(path), false) => set(&mut person, &mut parts, path, &op.value)?,
                (None, false) => {
                    let Value::Object(values) = &op.value else {
                        return Err(ScimError::syntax(
                            "A patch without a path needs an object value",
                        ));
                    };
                    for (path, value) in values {
                        set(&mut person, &mut parts, path, value)?;
                    }
                }
                (Some(path), true) if path.eq_ignore_ascii_case("externalId") => {
                    person.external_id = None;
                }
                (Some(path), true) => {
                    tracing::debug!(%path, "scim: a removal of an attribute the console keeps no copy of");
                }
                (None, true) => {
                    return Err(ScimError::new(
                        http::StatusCode::BAD_REQUEST,
                        Some("noTarget"),
                        "A remove operation needs a path",
                    ))
                }
            }
        }
        if parts.given.is_some() || parts.family.is_some() {
            let (given, family) = person.name.split_once(' ').unwrap_or((&person.name, ""));
            let given = parts.given.unwrap_or_else(|| given.to_string());
            let family = parts.family.unwrap_or_else(|| family.to_string());
            let joined = format!("{given} {family}");
            person.name = validate::person_name(joined.trim())
                .map_err(|m| ScimError::value(format!("name: {m}")))?;
        }
        Ok(person)
    }
}

fn text(path: &str, value: &Value) -> Result<String, ScimError> {
    value
        .as_str()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ScimError::value(format!("{path}: expected a non-empty string")))
}

/// Sets the attribute `path` names to `value`.
fn set(
    person: &mut Person,
    parts: &mut NameParts,
    path: &str,
    value: &Value,
) -> Result<(), ScimError> {
    let lower = path.to_ascii_lowercase();
    match lower.as_str() {
        "active" => {
            person.active = serde_json::from_value::<Boolish>(value.clone())
                .map_err(|e| ScimError::value(format!("active: {e}")))?
                .0;
        }
        "username" => person.user_name = text(path, value)?,
        "externalid" => person.external_id = Some(text(path, value)?),
        "displayname" | "name.formatted" => {
            person.name = validate::person_name(&text(path, value)?)
                .map_err(|m| ScimError::value(format!("{path}: {m}")))?;
        }
        "name.givenname" => parts.given = Some(text(path, value)?),
        "name.familyname" => parts.family = Some(text(path, value)?),
        "name" => {
            let name: super::user::Name = serde_json::from_value(value.clone())
                .map_err(|e| ScimError::value(format!("name: {e}")))?;
            if let Some(f) = name.formatted {
                person.name = validate::person_name(&f)
                    .map_err(|m| ScimError::value(format!("name: {m}")))?;
            }
            parts.given = name.given_name.or(parts.given.take());
            parts.family = name.family_name.or(parts.family.take());
        }
        "emails" => {
            let input: UserInput = serde_json::from_value(serde_json::json!({
                "userName": person.user_name, "emails": value,
            }))
            .map_err(|e| ScimError::value(format!("emails: {e}")))?;
            person.email = input.person()?.email;
        }
        p if p.starts_with("emails[") && p.ends_with("].value") => {
            person.email = validate::email(&text(path, value)?)
                .map_err(|m| ScimError::value(format!("{path}: {m}")))?;
        }
        _ => tracing::debug!(%path, "scim: an attribute the console keeps no copy of"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    fn ada() -> Person {
        Person {
            user_name: "ada@corp.example".into(),
            external_id: Some("00u1".into()),
            email: "ada@corp.example".into(),
            name: "Ada Lovelace".into(),
            active: true,
        }
    }

    fn patch(body: Value) -> Result<Person, ScimError> {
        serde_json::from_value::<PatchRequest>(body).unwrap().apply(ada())
    }

    #[test]
    fn okta_deactivates_with_a_value_object() {
        let p = patch(
            json!({ "schemas": [PATCH_SCHEMA], "Operations": [{ "op": "replace", "value": { "active": false } }] }),
        );
        assert!(!p.unwrap().active);
    }

    #[test]
    fn entra_deactivates_with_a_path_and_a_string() {
        let p = patch(
            json!({ "schemas": [PATCH_SCHEMA], "Operations": [{ "op": "Replace", "path": "active", "value": "False" }] }),
        );
        assert!(!p.unwrap().active);
    }

    #[test]
    fn entra_updates_email_and_family_name() {
        let p = patch(json!({ "schemas": [PATCH_SCHEMA], "Operations": [
            { "op": "Replace", "path": "emails[type eq \"work\"].value", "value": "ada.l@corp.example" },
            { "op": "Replace", "path": "name.familyName", "value": "King" },
            { "op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Sales" }
        ] }))
        .unwrap();
        assert_eq!((p.email.as_str(), p.name.as_str()), ("ada.l@corp.example", "Ada King"));
    }

    #[test]
    fn bad_values_are_named() {
        let e = patch(
            json!({ "Operations": [{ "op": "replace", "path": "active", "value": "maybe" }] }),
        );
        assert!(format!("{:?}", e.unwrap_err()).contains("active"));
        let e = patch(json!({ "Operations": [{ "op": "move", "path": "active", "value": true }] }));
        assert!(e.is_err());
    }
}
