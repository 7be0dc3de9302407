//! A real OpenID provider for the sign-in tests: `oidc-provider-mock` (PyPI), one
//! process per test on a free port, killed when dropped. The test command installs it
//! and names its launcher (`scripts/sso/oidc-provider`) in `FC_TEST_OIDC_PROVIDER`.
use std::process::Child;

pub struct Provider {
    child: Child,
    /// Its issuer: the address it is reached at (it names itself after the request's host).
    pub issuer: String,
    http: reqwest::Client,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Provider {
    /// A fresh provider that requires a nonce, or `None` (with a visible message) where
    /// it is not installed outside CI. In CI a missing provider fails the test.
    pub async fn start() -> Option<Provider> {
        let (child, port) =
            super::third_party::spawn("FC_TEST_OIDC_PROVIDER", "oidc-provider-mock", |port| {
                vec!["--port".into(), port.to_string(), "--require-nonce".into(), "true".into()]
            })?;
        let http =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let provider = Provider { child, issuer: format!("http://127.0.0.1:{port}"), http };
        super::third_party::until_ready("the OpenID provider", || async {
            provider
                .http
                .get(format!("{}/.well-known/openid-configuration", provider.issuer))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
        })
        .await;
        Some(provider)
    }

    /// Sets every claim of user `sub` (e.g. `email`, `name`, `groups`).
    pub async fn set_user(&self, sub: &str, claims: serde_json::Value) {
        let r = self
            .http
            .put(format!("{}/users/{sub}", self.issuer))
            .json(&claims)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204, "set user {sub}");
    }

    /// Signs `sub` in on the provider's page the browser was sent to (`authorize`):
    /// the address the provider sends the browser back to.
    pub async fn sign_in(&self, authorize: &str, sub: &str) -> String {
        let r = self.http.post(authorize).form(&[("sub", sub)]).send().await.unwrap();
        assert_eq!(r.status(), 302, "the provider's sign-in form");
        r.headers()["location"].to_str().unwrap().to_string()
    }
}
