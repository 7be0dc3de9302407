//! The SCIM User resource as the console keeps it: what a provider's create or replace
//! sends ([`UserInput`], read leniently: Okta and Entra ID send more than the console
//! keeps) and what the console answers ([`Provisioned::resource`]).
use serde::Deserialize;
use serde_json::{json, Value};

use super::error::ScimError;
use crate::validate;

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Name {
    pub formatted: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Email {
    pub value: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub primary: Boolish,
}

/// A boolean as providers send it: `true`, or Entra ID's `"True"`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Boolish(pub bool);

impl<'de> Deserialize<'de> for Boolish {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Bool(b) => Ok(Boolish(b)),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(Boolish(true)),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(Boolish(false)),
            other => Err(serde::de::Error::custom(format!("expected a boolean, got {other}"))),
        }
    }
}

/// A create or replace request's body.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInput {
    pub user_name: Option<String>,
    pub external_id: Option<String>,
    #[serde(default)]
    pub name: Name,
    pub display_name: Option<String>,
    #[serde(default)]
    pub emails: Vec<Email>,
    pub active: Option<Boolish>,
}

/// A person as the console keeps them: checked user name, email and display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub user_name: String,
    pub external_id: Option<String>,
    pub email: String,
    pub name: String,
    pub active: bool,
}

impl UserInput {
    /// Checks the request: a user name; an email (the primary or work one, else the user
    /// name when it is one); a name (display name, formatted, or given and family names,
    /// else the email).
    pub fn person(&self) -> Result<Person, ScimError> {
        let user_name = self
            .user_name
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty() && u.chars().count() <= 320)
            .ok_or_else(|| ScimError::value("userName is required (1–320 characters)"))?
            .to_string();
        let listed = self
            .emails
            .iter()
            .find(|e| e.primary.0)
            .or_else(|| self.emails.iter().find(|e| e.kind.as_deref() == Some("work")))
            .or(self.emails.first())
            .and_then(|e| e.value.clone());
        let email = match listed {
            Some(e) => validate::email(&e).map_err(|m| ScimError::value(format!("emails: {m}")))?,
            None => validate::email(&user_name).map_err(|_| {
                ScimError::value("emails: give an email address (the user name is not one)")
            })?,
        };
        let joined = [&self.name.given_name, &self.name.family_name]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let name = [self.display_name.clone(), self.name.formatted.clone(), Some(joined)]
            .into_iter()
            .flatten()
            .map(|n| n.trim().to_string())
            .find(|n| !n.is_empty())
            .unwrap_or_else(|| email.clone());
        let name =
            validate::person_name(&name).map_err(|m| ScimError::value(format!("name: {m}")))?;
        let external_id = self.external_id.clone().filter(|e| !e.trim().is_empty());
        Ok(Person { user_name, external_id, email, name, active: self.active.is_none_or(|a| a.0) })
    }
}

/// A provisioned staff record as the store reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Provisioned {
    pub id: i64,
    pub scim_user_name: String,
    pub scim_external_id: Option<String>,
    pub email: String,
    pub name: String,
    pub active: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl Provisioned {
    /// The record as a SCIM User resource.
    pub fn resource(&self) -> Value {
        let mut user = json!({
            "schemas": [USER_SCHEMA],
            "id": self.id.to_string(),
            "userName": self.scim_user_name,
            "name": { "formatted": self.name },
            "displayName": self.name,
            "emails": [{ "value": self.email, "type": "work", "primary": true }],
            "active": self.active,
            "meta": {
                "resourceType": "User",
                "created": self.created_at.to_rfc3339(),
                "location": format!("/scim/v2/Users/{}", self.id),
            },
        });
        if let Some(e) = &self.scim_external_id {
            user["externalId"] = e.clone().into();
        }
        user
    }

    /// The record as a create or replace would send it (for patches to apply to).
    pub fn person(&self) -> Person {
        Person {
            user_name: self.scim_user_name.clone(),
            external_id: self.scim_external_id.clone(),
            email: self.email.clone(),
            name: self.name.clone(),
            active: self.active,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn okta_and_entra_creates_read_the_same() {
        let okta: UserInput = serde_json::from_value(json!({
            "schemas": [USER_SCHEMA], "userName": "ada@corp.example",
            "name": { "givenName": "Ada", "familyName": "Lovelace" },
            "emails": [{ "primary": true, "value": "Ada@Corp.example", "type": "work" }],
            "displayName": "Ada Lovelace", "locale": "en-US", "externalId": "00u1",
            "groups": [], "password": "ignored", "active": true
        }))
        .unwrap();
        let p = okta.person().unwrap();
        assert_eq!(
            (p.email.as_str(), p.name.as_str(), p.active),
            ("ada@corp.example", "Ada Lovelace", true)
        );
        let entra: UserInput = serde_json::from_value(json!({
            "schemas": [USER_SCHEMA, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
            "externalId": "ada", "userName": "ada@corp.example", "active": "True",
            "emails": [{ "primary": "true", "type": "work", "value": "ada@corp.example" }],
            "meta": { "resourceType": "User" },
            "name": { "formatted": "Ada Lovelace", "familyName": "Lovelace", "givenName": "Ada" },
            "roles": []
        }))
        .unwrap();
        assert_eq!(entra.person().unwrap().name, "Ada Lovelace");
    }

    #[test]
    fn a_user_without_an_email_is_refused_by_name() {
        let bad: UserInput = serde_json::from_value(json!({ "userName": "ada" })).unwrap();
        assert!(format!("{:?}", bad.person().unwrap_err()).contains("emails"));
        let none: UserInput = serde_json::from_value(json!({})).unwrap();
        assert!(format!("{:?}", none.person().unwrap_err()).contains("userName"));
    }
}
