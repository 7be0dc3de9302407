//! The two cookies of a browser session.
use cookie::time::Duration;
use cookie::{Cookie, CookieBuilder, SameSite};
use http::HeaderMap;

/// HttpOnly cookie holding the session token.
pub const SESSION_COOKIE: &str = "fc_session";
/// Script-readable cookie holding the CSRF token that mutations echo in a header.
pub const CSRF_COOKIE: &str = "fc_csrf";
/// The header that must carry the CSRF token on every mutation made with a session.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Reads one cookie from the request headers.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// `Set-Cookie` values that start a session.
pub fn session_cookies(token: &str, csrf: &str, max_age_secs: i64, secure: bool) -> [String; 2] {
    let age = Duration::seconds(max_age_secs);
    [
        cookie(SESSION_COOKIE, token, true).max_age(age).secure(secure).to_string(),
        cookie(CSRF_COOKIE, csrf, false).max_age(age).secure(secure).to_string(),
    ]
}

/// `Set-Cookie` values that end a session in the browser.
pub fn clearing_cookies() -> [String; 2] {
    [
        cookie(SESSION_COOKIE, "", true).max_age(Duration::ZERO).to_string(),
        cookie(CSRF_COOKIE, "", false).max_age(Duration::ZERO).to_string(),
    ]
}

/// One of the session's cookies: the whole site's, never sent from another site.
fn cookie(name: &'static str, value: &str, http_only: bool) -> CookieBuilder<'static> {
    Cookie::build((name, value.to_string()))
        .path("/")
        .http_only(http_only)
        .same_site(SameSite::Strict)
}
