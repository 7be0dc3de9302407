//! The built front end under `/pkg`, and how long a browser may keep each response.
//!
//! The release build names every JS, WASM and CSS file after its content hash and
//! writes brotli and gzip copies beside it; they are served as they are (no
//! compression per request), with the encoding the browser accepts, and cached for a
//! year: a new release has new names. Pages and API answers hold staff and customer
//! data, so browsers do not store them.
use axum::extract::Request;
use axum::middleware::{from_fn, Next};
use axum::response::Response;
use axum::Router;
use http::header::{self, HeaderValue};
use http::StatusCode;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Files whose name holds a content hash: never change under that name.
const FOREVER: &str = "public, max-age=31536000, immutable";
/// Files served under a fixed name (the icon, unhashed debug builds): ask each time.
const REVALIDATE: &str = "no-cache";
/// Pages, data and refusals.
const NEVER: &str = "no-store";

/// `/pkg/*` from `<site_root>/pkg`, choosing a precompressed copy when there is one, and
/// the icon. No session, body limit or document headers: a page's first visit fetches a
/// hundred of these, each paying for its headers; `nosniff` is all a script or module
/// needs. Each request's id would only serve the log, so they carry none.
pub fn files<S: Clone + Send + Sync + 'static>(site_root: &str) -> Router<S> {
    let root = std::path::Path::new(site_root);
    // Rooted at the site, so the routed path (`/pkg/…`) is the file's own.
    let pkg = ServeDir::new(root).precompressed_br().precompressed_gzip();
    Router::new()
        .route_service("/pkg/{*file}", pkg)
        .route_service("/favicon.svg", ServeFile::new(root.join("favicon.svg")))
        .layer(from_fn(cache_files))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}

/// The files' middleware: hashed names are kept for good, others revalidated, a
/// missing file not kept. Hashed names never change, so nothing is revalidated or
/// fetched in ranges.
async fn cache_files(req: Request, next: Next) -> Response {
    let hashed = is_hashed(req.uri().path());
    let mut response = next.run(req).await;
    let status = response.status();
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.remove(header::LAST_MODIFIED);
    headers.remove(header::ACCEPT_RANGES);
    let policy = match (status.is_success() || status == StatusCode::NOT_MODIFIED, hashed) {
        (false, _) => NEVER,
        (true, true) => FOREVER,
        (true, false) => REVALIDATE,
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// The middleware of everything else (pages, server functions, the API, probes): they
/// hold staff and customer data, so browsers do not store them, unless the handler
/// chose otherwise.
pub async fn no_store(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(NEVER));
    }
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
