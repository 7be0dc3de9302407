//! Field validators shared by the browser (as the user types) and the server (before
//! any change). Each returns the cleaned value or a message that names the problem.
use chrono::NaiveDate;

/// The fewest seats (or users) a subscription or license has.
pub const MIN_SEATS: i64 = 1;
/// The most seats (or users) a subscription or license has.
pub const MAX_SEATS: i64 = 100_000;

/// An id typed into a filter: blank is none, anything else a positive whole number.
pub fn positive_id(raw: Option<&str>, label: &str) -> Result<Option<i64>, String> {
    match raw.map(str::trim).filter(|v| !v.is_empty()).map(str::parse::<i64>) {
        None => Ok(None),
        Some(Ok(n)) if n > 0 => Ok(Some(n)),
        Some(_) => Err(format!("{label} must be a positive whole number.")),
    }
}

/// Trims and lower-cases an email address and checks its shape.
pub fn email(raw: &str) -> Result<String, String> {
    let value = raw.trim().to_lowercase();
    if value.is_empty() {
        return Err("Email is required.".into());
    }
    if value.len() > 254 {
        return Err("Email must be at most 254 characters.".into());
    }
    let Some((local, domain)) = value.split_once('@') else {
        return Err("Email must look like name@example.com.".into());
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..");
    if local.is_empty()
        || !domain_ok
        || value.chars().any(|c| c.is_whitespace() || c.is_control())
        || domain.contains('@')
    {
        return Err("Email must look like name@example.com.".into());
    }
    Ok(value)
}

/// A person's display name: 1–200 characters after trimming, no control characters.
pub fn person_name(raw: &str) -> Result<String, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err("Name is required.".into());
    }
    if value.chars().count() > 200 {
        return Err("Name must be at most 200 characters.".into());
    }
    if value.chars().any(char::is_control) {
        return Err("Name must not contain control characters.".into());
    }
    Ok(value.to_string())
}

/// Minimum length of a new staff password.
pub const MIN_PASSWORD_LEN: usize = 12;

/// A new password: long enough, not absurdly long (argon2 input is bounded).
pub fn new_password(raw: &str) -> Result<String, String> {
    let n = raw.chars().count();
    if n < MIN_PASSWORD_LEN {
        return Err(format!("Password must be at least {MIN_PASSWORD_LEN} characters."));
    }
    if raw.len() > 256 {
        return Err("Password must be at most 256 characters.".into());
    }
    Ok(raw.to_string())
}

/// The reason every change must carry: 3–2000 characters after trimming.
pub fn reason(raw: &str) -> Result<String, String> {
    let value = raw.trim();
    if value.chars().count() < 3 {
        return Err("Reason is required (at least 3 characters).".into());
    }
    if value.chars().count() > 2000 {
        return Err("Reason must be at most 2000 characters.".into());
    }
    Ok(value.to_string())
}

/// An optional ticket link: empty means none; otherwise an http(s) URL.
pub fn ticket_url(raw: &str) -> Result<Option<String>, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let ok = (value.starts_with("https://") || value.starts_with("http://"))
        && value.len() <= 2000
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && value.split_once("://").is_some_and(|(_, rest)| !rest.is_empty());
    if ok {
        Ok(Some(value.to_string()))
    } else {
        Err("Ticket URL must start with https:// (or http://).".into())
    }
}

/// The email of the person who asked for a change: empty means none given.
pub fn requester(raw: &str) -> Result<Option<String>, String> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    email(raw).map(Some).map_err(|_| {
        "Requester must be the email of the person who asked, like name@example.com.".into()
    })
}

/// A note's text: trimmed, not empty, at most [`crate::NOTE_MAX`] characters.
pub fn note_body(raw: &str) -> Result<String, String> {
    let body = raw.trim();
    if body.is_empty() {
        return Err("Write the note first.".into());
    }
    let len = body.chars().count();
    if len > crate::NOTE_MAX {
        return Err(format!(
            "A note is at most {} characters (this one has {len}).",
            crate::NOTE_MAX
        ));
    }
    Ok(body.to_string())
}

/// Where to go after signing in: only a path of this site. Every character must be
/// visible ASCII other than `\` (a browser drops tabs and line breaks and reads `\` as
/// `/`, so `/<TAB>/evil.example` would become `//evil.example`), the path starts with
/// one `/`, and never the sign-in page itself.
pub fn next_path(raw: &str) -> String {
    let ok = raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.starts_with("/login")
        && raw.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    if ok {
        raw.to_string()
    } else {
        "/".to_string()
    }
}

/// The first day any date in the console may be.
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};
/// The last day any date in the console may be (date arithmetic never overflows
/// below it).
pub const LATEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// A date within [`EARLIEST_DATE`]..=[`LATEST_DATE`]; `label` names it in the message.
pub fn sane_date(value: NaiveDate, label: &str) -> Result<NaiveDate, String> {
    if (EARLIEST_DATE..=LATEST_DATE).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{label} must be between {EARLIEST_DATE} and {LATEST_DATE}."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(email("  Ada@Example.COM ").unwrap(), "ada@example.com");
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "a@b@c.com",
            "ada@.com",
            "ada@example..com",
        ] {
            assert!(email(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(email(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn names_and_reasons_have_bounds() {
        assert_eq!(person_name("  Ada Lovelace ").unwrap(), "Ada Lovelace");
        assert!(person_name("   ").is_err());
        assert!(person_name(&"x".repeat(201)).is_err());
        assert!(person_name("a\u{0}b").is_err());
        assert!(reason("ok").is_err());
        assert_eq!(reason(" customer asked ").unwrap(), "customer asked");
        assert!(reason(&"r".repeat(2001)).is_err());
    }

    #[test]
    fn passwords_need_length() {
        assert!(new_password("short").is_err());
        assert!(new_password("long enough pass").is_ok());
        assert!(new_password(&"p".repeat(300)).is_err());
    }

    #[test]
    fn ticket_urls_are_links_or_nothing() {
        assert_eq!(ticket_url("  ").unwrap(), None);
        assert!(ticket_url("https://support.example.com/t/1").unwrap().is_some());
        assert!(ticket_url("javascript:alert(1)").is_err());
        assert!(ticket_url("https://").is_err());
    }

    #[test]
    fn next_path_stays_on_site() {
        assert_eq!(next_path("/customers/4"), "/customers/4");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "",
            "/login?next=/",
            "/\t/evil.example/",
            "/\n/evil.example",
            "/a\r\nSet-Cookie: x=1",
            "/ /evil",
            "/caf\u{e9}",
        ] {
            assert_eq!(next_path(bad), "/", "{bad:?}");
        }
    }
}
