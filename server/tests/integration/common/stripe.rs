//! A real Stripe-compatible server for the tests: `localstripe` (PyPI), one process per
//! test on a free port, started from scratch and killed when dropped. The test command
//! installs it and names its launcher (`scripts/billing/localstripe`) in
//! `FC_TEST_LOCALSTRIPE`.
use std::process::{Child, Command};
use std::time::Duration;

use app::billing::server::Stripe;

/// The API key the tests use (a test-mode key: linked customers get the test card).
pub const KEY: &str = "sk_test_console";

pub struct LocalStripe {
    child: Child,
    pub base: String,
}

impl LocalStripe {
    /// A fresh server, or `None` (with a visible message) where localstripe is not
    /// installed outside CI. In CI a missing localstripe fails the test.
    pub async fn start() -> Option<LocalStripe> {
        let (child, port) =
            super::third_party::spawn("FC_TEST_LOCALSTRIPE", "localstripe", |port| {
                vec!["--port".into(), port.to_string(), "--from-scratch".into()]
            })?;
        let server = LocalStripe { child, base: format!("http://127.0.0.1:{port}") };
        let client = reqwest::Client::new();
        super::third_party::until_ready("localstripe", || async {
            client
                .get(format!("{}/v1/customers", server.base))
                .bearer_auth(KEY)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
        })
        .await;
        Some(server)
    }

    /// A client of this server that gives up quickly (one second, two attempts).
    pub fn client(&self) -> Stripe {
        Stripe::with_patience(&self.base, KEY, Duration::from_secs(1), 2)
    }

    /// Freezes the server (it accepts connections and answers nothing) or thaws it.
    pub fn pause(&self, paused: bool) {
        let signal = if paused { "-STOP" } else { "-CONT" };
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// `POST path` with form `fields`, as someone working at the provider would: the
    /// change reaches the console only through a webhook or the sweep.
    pub async fn post(&self, path: &str, fields: &[(&str, String)]) -> serde_json::Value {
        let answer: serde_json::Value = reqwest::Client::new()
            .post(format!("{}{path}", self.base))
            .bearer_auth(KEY)
            .form(fields)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(answer.get("error").is_none(), "{path}: {answer}");
        answer
    }

    /// Sets the seats of the provider's subscription `id` at the provider.
    pub async fn set_seats(&self, id: &str, seats: i64) {
        let sub = self.get(&format!("/v1/subscriptions/{id}")).await;
        let item = sub["items"]["data"][0]["id"].as_str().unwrap().to_string();
        let fields = [("items[0][id]", item), ("items[0][quantity]", seats.to_string())];
        self.post(&format!("/v1/subscriptions/{id}"), &fields).await;
    }

    /// `DELETE path`, as someone working at the provider would.
    pub async fn delete(&self, path: &str) -> serde_json::Value {
        let answer: serde_json::Value = reqwest::Client::new()
            .delete(format!("{}{path}", self.base))
            .bearer_auth(KEY)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(answer.get("error").is_none(), "{path}: {answer}");
        answer
    }

    /// `GET path` as JSON.
    pub async fn get(&self, path: &str) -> serde_json::Value {
        reqwest::Client::new()
            .get(format!("{}{path}", self.base))
            .bearer_auth(KEY)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

impl Drop for LocalStripe {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-CONT", &self.child.id().to_string()]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The provider's id of our subscription `id`.
pub async fn provider_id(t: &super::TestDb, id: i64) -> String {
    let sql = format!(
        "SELECT provider_id FROM billing_links WHERE record_type = 'subscription' AND record_id = {id}"
    );
    app::on_db!(&t.db, |p| sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql))
        .fetch_one(p)
        .await)
    .unwrap()
}
