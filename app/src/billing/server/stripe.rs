//! A small typed client for the parts of Stripe's API the console uses: customers,
//! plans, subscriptions and invoices. Form-encoded requests with a bearer key; every
//! write carries an `Idempotency-Key`; connection failures, 429 and 5xx are retried
//! with backoff. It speaks to any server with Stripe's API (`localstripe` in tests).
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Stripe's own API.
pub const DEFAULT_BASE: &str = "https://api.stripe.com";

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StripeError {
    /// The provider could not be reached, or answered 429 or 5xx every time: try later.
    #[error("the billing provider is unavailable: {0}")]
    Unavailable(String),
    /// The provider refused the request (a 4xx other than 429): retrying changes nothing.
    #[error("the billing provider refused the request ({status}): {message}")]
    Refused { status: u16, message: String },
    /// No such object at the provider.
    #[error("not found at the billing provider")]
    NotFound,
}

impl StripeError {
    /// Whether a later attempt may succeed.
    pub fn transient(&self) -> bool {
        matches!(self, StripeError::Unavailable(_))
    }
}

/// A connection to one Stripe-compatible API.
#[derive(Clone)]
pub struct Stripe {
    base: String,
    key: String,
    http: reqwest::Client,
    /// How long one attempt waits for an answer.
    timeout: Duration,
    /// Attempts per request, the first included.
    attempts: u32,
}

/// A Stripe list page.
#[derive(Debug, Clone, Deserialize)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub has_more: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Customer {
    pub id: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Item {
    pub id: String,
    pub quantity: Option<i64>,
    pub plan: Option<PlanRef>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PlanRef {
    pub id: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub customer: String,
    pub status: String,
    pub quantity: Option<i64>,
    pub cancel_at_period_end: bool,
    pub current_period_end: i64,
    pub trial_end: Option<i64>,
    pub items: Page<Item>,
    #[serde(default)]
    pub metadata: std::collections::BTreeMap<String, String>,
}

impl Subscription {
    /// The one item's id (the seats live on it).
    pub fn item(&self) -> Option<&Item> {
        self.items.data.first()
    }

    /// Seats: the item's quantity.
    pub fn seats(&self) -> Option<i64> {
        self.item().and_then(|i| i.quantity).or(self.quantity)
    }

    pub fn period_end(&self) -> NaiveDate {
        date_of(self.current_period_end)
    }

    pub fn trial_end_date(&self) -> Option<NaiveDate> {
        self.trial_end.map(date_of)
    }

    /// Whether it still bills.
    pub fn billed(&self) -> bool {
        !matches!(self.status.as_str(), "canceled" | "incomplete_expired")
    }

    /// The subscription in the console's terms.
    pub fn terms(&self) -> crate::domain::drift::ProviderSubscription {
        crate::domain::drift::ProviderSubscription {
            seats: self.seats().unwrap_or(0),
            end_date: crate::domain::billing::provider_end(
                self.period_end(),
                self.trial_end_date(),
            ),
            auto_renew: !self.cancel_at_period_end,
            billed: self.billed(),
            plan: self
                .item()
                .and_then(|i| i.plan.as_ref())
                .map(|p| p.id.clone())
                .unwrap_or_default(),
        }
    }
}

/// An invoice at the provider.
#[derive(Debug, Clone, Deserialize)]
pub struct Invoice {
    pub id: String,
    pub customer: String,
    /// `draft`, `open`, `paid`, `uncollectible` or `void`.
    pub status: String,
    pub total: i64,
    pub currency: String,
    /// Its number, once finalized (a draft has none).
    #[serde(default)]
    pub number: Option<String>,
    pub created: i64,
    #[serde(default)]
    pub due_date: Option<i64>,
}

impl Invoice {
    /// The invoice in the console's terms (`None`: a status the console has no word for).
    pub fn terms(&self) -> Option<crate::domain::drift::invoice::ProviderInvoice> {
        let status = crate::domain::drift::invoice::ProviderInvoice::status_of(&self.status)?;
        Some(crate::domain::drift::invoice::ProviderInvoice { status, amount_cents: self.total })
    }

    /// The number the console records it under: its own, or its id while it has none.
    pub fn console_number(&self) -> String {
        self.number.clone().unwrap_or_else(|| self.id.clone())
    }

    pub fn issued_on(&self) -> NaiveDate {
        date_of(self.created)
    }

    /// Its due date; one charged automatically is due when issued.
    pub fn due_on(&self) -> NaiveDate {
        self.due_date.map(date_of).unwrap_or_else(|| self.issued_on()).max(self.issued_on())
    }
}

/// The UTC day of a Unix time.
pub fn date_of(unix: i64) -> NaiveDate {
    DateTime::<Utc>::from_timestamp(unix, 0).map_or(NaiveDate::MIN, |t| t.date_naive())
}

/// Noon UTC of `day`, as a Unix time (a day's end date is the same day in every zone
/// the console's staff work in).
pub fn unix_of(day: NaiveDate) -> i64 {
    Utc.from_utc_datetime(&day.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default()))
        .timestamp()
}

/// Form fields of a request.
pub type Form = Vec<(String, String)>;

/// `[(key, value)]` from string pairs.
pub fn form(pairs: &[(&str, String)]) -> Form {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    message: String,
}

impl Stripe {
    /// A client that waits up to 20 seconds for an answer and tries four times.
    pub fn new(base: &str, key: &str) -> Stripe {
        Stripe::with_patience(base, key, Duration::from_secs(20), 4)
    }

    /// A client that waits up to `timeout` for each answer, `attempts` times.
    pub fn with_patience(base: &str, key: &str, timeout: Duration, attempts: u32) -> Stripe {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .build()
            .unwrap_or_default();
        Stripe {
            base: base.trim_end_matches('/').to_string(),
            key: key.to_string(),
            http,
            timeout,
            attempts: attempts.max(1),
        }
    }

    /// The same connection with another patience: the outbox's worker tries once and
    /// briefly, as the outbox retries an entry itself, with backoff, and other records'
    /// entries should not wait behind one the provider does not answer.
    pub fn patience(mut self, timeout: Duration, attempts: u32) -> Stripe {
        self.timeout = timeout;
        self.attempts = attempts.max(1);
        self
    }

    /// `GET path` read as `T`.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &Form,
    ) -> Result<T, StripeError> {
        self.send(reqwest::Method::GET, path, query, None).await
    }

    /// `POST path` with `fields`, safe to repeat under `idempotency_key`.
    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        fields: &Form,
        idempotency_key: &str,
    ) -> Result<T, StripeError> {
        self.send(reqwest::Method::POST, path, fields, Some(idempotency_key)).await
    }

    /// `DELETE path`, safe to repeat under `idempotency_key`.
    pub async fn delete<T: DeserializeOwned>(
        &self,
        path: &str,
        idempotency_key: &str,
    ) -> Result<T, StripeError> {
        self.send(reqwest::Method::DELETE, path, &Vec::new(), Some(idempotency_key)).await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        fields: &Form,
        idempotency_key: Option<&str>,
    ) -> Result<T, StripeError> {
        let url = format!("{}{path}", self.base);
        let mut last = String::new();
        for attempt in 0..self.attempts {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(200 * 2u64.pow(attempt))).await;
            }
            let mut request = self
                .http
                .request(method.clone(), &url)
                .bearer_auth(&self.key)
                .timeout(self.timeout);
            request = if method == reqwest::Method::GET {
                request.query(fields)
            } else {
                request.form(fields)
            };
            if let Some(key) = idempotency_key {
                request = request.header("Idempotency-Key", key);
            }
            let response = match request.send().await {
                Ok(r) => r,
                Err(e) => {
                    last = e.to_string();
                    continue;
                }
            };
            let status = response.status().as_u16();
            let body =
                response.bytes().await.map_err(|e| StripeError::Unavailable(e.to_string()))?;
            match status {
                200..=299 => {
                    return serde_json::from_slice(&body).map_err(|e| StripeError::Refused {
                        status,
                        message: format!("unreadable answer: {e}"),
                    })
                }
                404 => return Err(StripeError::NotFound),
                429 | 500..=599 => last = format!("HTTP {status}"),
                _ => {
                    let message = serde_json::from_slice::<ErrorBody>(&body)
                        .map(|b| b.error.message)
                        .unwrap_or_else(|_| {
                            String::from_utf8_lossy(&body).chars().take(200).collect()
                        });
                    return Err(StripeError::Refused { status, message });
                }
            }
        }
        Err(StripeError::Unavailable(last))
    }
}
