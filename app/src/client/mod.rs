//! The browser side of server function calls: the standard fetch client plus the
//! session's CSRF token, which the server requires on every mutation.
use leptos::server_fn::client::{browser::BrowserClient, Client};
use leptos::server_fn::error::FromServerFnError;
use leptos::server_fn::request::browser::BrowserRequest;
use leptos::server_fn::response::browser::BrowserResponse;

/// Name of the script-readable cookie that holds the CSRF token.
pub const CSRF_COOKIE: &str = "fc_csrf";

/// Server function client that adds `X-CSRF-Token` to every request.
pub struct CsrfClient;

impl<E, IS, OS> Client<E, IS, OS> for CsrfClient
where
    E: FromServerFnError,
    IS: FromServerFnError,
    OS: FromServerFnError,
{
    type Request = BrowserRequest;
    type Response = BrowserResponse;

    fn send(
        req: Self::Request,
    ) -> impl std::future::Future<Output = Result<Self::Response, E>> + Send {
        if let Some(token) = csrf_token() {
            req.headers().set("x-csrf-token", &token);
        }
        <BrowserClient as Client<E, IS, OS>>::send(req)
    }

    fn open_websocket(
        path: &str,
    ) -> impl std::future::Future<
        Output = Result<
            (
                impl futures::Stream<Item = Result<bytes::Bytes, bytes::Bytes>> + Send + 'static,
                impl futures::Sink<bytes::Bytes> + Send + 'static,
            ),
            E,
        >,
    > + Send {
        <BrowserClient as Client<E, IS, OS>>::open_websocket(path)
    }

    fn spawn(future: impl std::future::Future<Output = ()> + Send + 'static) {
        <BrowserClient as Client<E, IS, OS>>::spawn(future)
    }
}

/// The CSRF token from the browser's cookie; `None` outside a browser or signed out.
pub fn csrf_token() -> Option<String> {
    read_cookie(CSRF_COOKIE)
}

#[cfg(target_arch = "wasm32")]
fn read_cookie(name: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    let document = web_sys::window()?.document()?.dyn_into::<web_sys::HtmlDocument>().ok()?;
    let cookies = document.cookie().ok()?;
    cookies
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

#[cfg(not(target_arch = "wasm32"))]
fn read_cookie(_name: &str) -> Option<String> {
    None
}

/// The JSON codec of every page resource. It reads the server-rendered value with the
/// same reader (`serde_json::from_slice`) that server function answers go through, so
/// the browser holds one deserializer per type instead of two (`from_str` would build a
/// second copy of each, a large share of every chunk).
pub struct Json;

impl<T: serde::Serialize> leptos::server::codee::Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(val)
    }
}

impl<T: serde::de::DeserializeOwned> leptos::server::codee::Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(val.as_bytes())
    }
}

/// A page's server data: loaded with the page on the server, handed to the browser in
/// the HTML, refetched when `source` changes.
pub type Data<T> = leptos::prelude::Resource<T, Json>;

/// Creates a [`Data`] resource (the one way pages load server data).
#[track_caller]
pub fn data<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Data<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync + Clone + PartialEq + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    Data::new_with_options(source, fetcher, false)
}

mod call;
pub use call::Call;
