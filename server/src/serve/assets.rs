//! The built front end under `/pkg`, and how long a browser may keep each response.
//!
//! The release build names every JS, WASM and CSS file after its content hash and
//! writes brotli and gzip copies beside it; they are served as they are (no
//! compression per request), with the encoding the browser accepts, and cached for a
//! year: a new release has new names. Pages and API answers hold staff and customer
//! data, so browsers do not store them.
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use http::header::{self, HeaderValue};
use tower_http::services::ServeDir;

use super::headers::REQUEST_ID;

/// Files whose name holds a content hash: never change under that name.
const FOREVER: &str = "public, max-age=31536000, immutable";
/// Files served under a fixed name (the icon, unhashed debug builds): ask each time.
const REVALIDATE: &str = "no-cache";
/// Pages and data.
const NEVER: &str = "no-store";

/// `/pkg/*` from `<site_root>/pkg`, choosing a precompressed copy when there is one.
pub fn pkg<S: Clone + Send + Sync + 'static>(site_root: &str) -> Router<S> {
    let dir = std::path::Path::new(site_root).join("pkg");
    Router::new().nest_service("/pkg", ServeDir::new(dir).precompressed_br().precompressed_gzip())
}

/// The axum middleware: sets `Cache-Control` (and `Vary` for the front end's files)
/// where the handler did not choose one.
pub async fn caching(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut response = next.run(req).await;
    let status = response.status();
    let headers = response.headers_mut();
    if path.starts_with("/pkg/") {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        // Hashed names never change, so nothing is revalidated or fetched in ranges;
        // the request id only serves the log (a page's first visit fetches a hundred files).
        headers.remove(header::LAST_MODIFIED);
        headers.remove(header::ACCEPT_RANGES);
        headers.remove(REQUEST_ID);
    }
    if headers.contains_key(header::CACHE_CONTROL) {
        return response;
    }
    let content_type =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let is_data =
        ["text/html", "application/json", "text/csv"].iter().any(|t| content_type.starts_with(t));
    let policy = if path.starts_with("/pkg/")
        && is_hashed(&path)
        && (status.is_success() || status == http::StatusCode::NOT_MODIFIED)
    {
        FOREVER
    } else if status == http::StatusCode::NOT_MODIFIED
        || (status.is_success() && !is_data && !path.starts_with("/api/"))
    {
        REVALIDATE
    } else {
        NEVER
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// Whether a file name carries a content hash as one of its dot-separated parts: the
/// 22 characters of an unpadded base64url MD5, as the build writes them.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.split('.').any(|part| {
        part.len() == 22
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn hashed_names_are_told_apart() {
        assert!(is_hashed("/pkg/console.Vt2Q0Zx6b1yKmxU8PlVbHw.wasm"));
        assert!(is_hashed("/pkg/__wasm_split.kbTu1c-_3Kq8bWn0tq9N8A.js"));
        assert!(is_hashed("/pkg/Vt2Q0Zx6b1yKmxU8PlVbHw.wasm"));
        assert!(!is_hashed("/pkg/console.wasm"));
        assert!(!is_hashed("/pkg/console_bg.wasm"));
        assert!(!is_hashed("/pkg/snippets/leptos-abc/inline0.js"));
        assert!(!is_hashed("/favicon.svg"));
    }
}
