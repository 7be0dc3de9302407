//! The two cookies of a browser session.
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
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// `Set-Cookie` values that start a session.
pub fn session_cookies(token: &str, csrf: &str, max_age_secs: i64, secure: bool) -> [String; 2] {
    let secure = if secure { "; Secure" } else { "" };
    [
        format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}"),
        format!("{CSRF_COOKIE}={csrf}; Path=/; SameSite=Strict; Max-Age={max_age_secs}{secure}"),
    ]
}

/// `Set-Cookie` values that end a session in the browser.
pub fn clearing_cookies() -> [String; 2] {
    [
        format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
        format!("{CSRF_COOKIE}=; Path=/; SameSite=Strict; Max-Age=0"),
    ]
}
