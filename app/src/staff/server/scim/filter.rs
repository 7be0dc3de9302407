//! The list filters provisioning sends (RFC 7644 §3.4.2.2): one equality on the user
//! name, the external id or the email, e.g. `userName eq "ada@corp.example"`. Anything
//! else is refused as `invalidFilter` rather than answered wrongly.
use http::StatusCode;

use super::error::ScimError;

/// Which attribute a filter compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attribute {
    UserName,
    ExternalId,
    Email,
}

/// `attribute eq "value"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub attribute: Attribute,
    pub value: String,
}

fn invalid(detail: impl Into<String>) -> ScimError {
    ScimError::new(StatusCode::BAD_REQUEST, Some("invalidFilter"), detail)
}

impl Filter {
    pub fn parse(text: &str) -> Result<Filter, ScimError> {
        let text = text.trim();
        let mut parts = text.splitn(3, char::is_whitespace);
        let (Some(attribute), Some(op), Some(value)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid(format!("Filter {text:?} is not `attribute eq \"value\"`")));
        };
        if !op.eq_ignore_ascii_case("eq") {
            return Err(invalid(format!("Only `eq` filters are supported, not {op:?}")));
        }
        let attribute = match attribute.to_ascii_lowercase().as_str() {
            "username" => Attribute::UserName,
            "externalid" => Attribute::ExternalId,
            "emails" | "emails.value" | "emails[type eq \"work\"].value" => Attribute::Email,
            _ => return Err(invalid(format!("Filtering on {attribute:?} is not supported"))),
        };
        let value = value
            .trim()
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .ok_or_else(|| invalid("The filter's value must be a quoted string"))?;
        let value = value.replace("\\\"", "\"").replace("\\\\", "\\");
        Ok(Filter { attribute, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filters_okta_and_entra_send() {
        let f = Filter::parse(r#"userName eq "ada@corp.example""#).unwrap();
        assert_eq!((f.attribute, f.value.as_str()), (Attribute::UserName, "ada@corp.example"));
        let f = Filter::parse(r#"externalId eq "0a21f0f2-8d2a""#).unwrap();
        assert_eq!(f.attribute, Attribute::ExternalId);
        let f = Filter::parse(r#"username EQ "Name With \"quotes\"""#).unwrap();
        assert_eq!(f.value, "Name With \"quotes\"");
    }

    #[test]
    fn other_filters_are_refused() {
        for bad in ["", "userName", r#"userName co "ada""#, r#"title eq "x""#, "userName eq ada"] {
            assert!(Filter::parse(bad).is_err(), "{bad}");
        }
    }
}
