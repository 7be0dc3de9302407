//! The Content Security Policy of a rendered page. Scripts run only from this origin
//! and, inline, with the nonce Leptos puts on its hydration and resource scripts; the
//! WASM module may be compiled; nothing may frame the console; forms post here only (and
//! sign-out, with single sign-on, goes on to the provider's end-session endpoint).

/// The policy for one page response, allowing inline scripts carrying `nonce`,
/// connections to `live_reload` (a websocket source) besides this origin, and forms to
/// lead to `sign_out` (the identity provider's origin, where signing out continues).
fn page_policy(nonce: &str, live_reload: Option<&str>, sign_out: Option<&str>) -> String {
    let connect = live_reload.map(|s| format!(" {s}")).unwrap_or_default();
    let forms = sign_out.map(|s| format!(" {s}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'{connect}; \
         object-src 'none'; base-uri 'none'; form-action 'self'{forms}; frame-ancestors 'none'"
    )
}

/// Under `cargo leptos watch` (which sets `LEPTOS_WATCH`, as leptos' `AutoReload` reads
/// it), the page's live-reload script connects to the watcher's websocket port.
fn live_reload_source(options: &leptos::config::LeptosOptions) -> Option<String> {
    std::env::var_os("LEPTOS_WATCH")?;
    let port = options.reload_external_port.unwrap_or(options.reload_port);
    let scheme = match options.reload_ws_protocol {
        leptos::config::ReloadWSProtocol::WS => "ws",
        leptos::config::ReloadWSProtocol::WSS => "wss",
    };
    Some(format!("{scheme}://*:{port}"))
}

/// Sets the page's policy on the current server response (during server rendering).
pub fn set_page_policy(options: &leptos::config::LeptosOptions) {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    // A sign-out form posted before the page hydrates is redirected to the provider.
    let sign_out = crate::state::from_context()
        .ok()
        .and_then(|state| state.sso.as_ref()?.end_session_origin());
    let policy = page_policy(
        &nonce.to_string(),
        live_reload_source(options).as_deref(),
        sign_out.as_deref(),
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_page_policy_allows_only_this_origin_and_the_nonce() {
        let p = super::page_policy("abc", None, None);
        assert!(p.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        assert!(!p.contains("'unsafe-eval'") && !p.contains("script-src 'self' 'unsafe-inline'"));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(p.contains("connect-src 'self';"));
        assert!(p.contains("form-action 'self';"));
    }

    #[test]
    fn with_single_sign_on_a_form_may_lead_on_to_the_providers_sign_out() {
        let p = super::page_policy("abc", None, Some("https://id.example.com"));
        assert!(p.contains("form-action 'self' https://id.example.com;"));
        assert!(p.contains("connect-src 'self';"));
    }

    #[test]
    fn under_the_watcher_the_page_may_reach_its_live_reload_socket_only() {
        let p = super::page_policy("abc", Some("ws://*:3001"), None);
        assert!(p.contains("connect-src 'self' ws://*:3001;"));
        assert!(p.contains("default-src 'self';"));
    }
}
