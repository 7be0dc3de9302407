//! Request metrics by route: a counter per (method, route, status) and a latency
//! histogram per (method, route), rendered in Prometheus text format.
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use metrics::{counter, gauge, histogram, with_local_recorder, Recorder, SharedString};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusRecorder};

const BUCKETS: [f64; 12] =
    [0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];
const REQUESTS: &str = "http_requests_total";
const DURATION: &str = "http_request_duration_seconds";
const IN_FLIGHT: &str = "http_requests_in_flight";
const ABANDONED: &str = "http_requests_abandoned_total";

struct Inner {
    /// This server's own registry (not the process-wide one: tests run many servers).
    recorder: PrometheusRecorder,
    /// Requests that reached the router; those answered; those whose client went away
    /// before the answer. The rest are in flight.
    started: AtomicU64,
    answered: AtomicU64,
    abandoned: AtomicU64,
}

impl Inner {
    fn in_flight(&self) -> u64 {
        let done = self.answered.load(Relaxed) + self.abandoned.load(Relaxed);
        self.started.load(Relaxed).saturating_sub(done)
    }
}

/// The server's metrics registry.
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

impl Metrics {
    /// A registry, and the task that folds its latency samples into their buckets every
    /// few seconds (so they do not pile up between scrapes, or without a scraper).
    pub fn spawn() -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(DURATION.into()), &BUCKETS)
            .expect("the latency buckets are not empty")
            .build_recorder();
        for (name, help) in [
            (IN_FLIGHT, "Requests accepted and not yet answered."),
            (ABANDONED, "Requests whose client went away before the answer."),
            (REQUESTS, "HTTP requests by method, route and status."),
            (DURATION, "Time to answer, by method and route."),
        ] {
            recorder.describe_counter(name.into(), None, help.into());
        }
        let inner = Arc::new(Inner {
            recorder,
            started: AtomicU64::new(0),
            answered: AtomicU64::new(0),
            abandoned: AtomicU64::new(0),
        });
        tokio::spawn(upkeep(Arc::downgrade(&inner)));
        Metrics(inner)
    }

    fn start(&self) -> Pending<'_> {
        self.0.started.fetch_add(1, Relaxed);
        Pending { metrics: self, answered: false }
    }

    fn observe(&self, method: SharedString, route: SharedString, status: u16, seconds: f64) {
        self.0.answered.fetch_add(1, Relaxed);
        with_local_recorder(&self.0.recorder, || {
            let status = status.to_string();
            counter!(REQUESTS, "method" => method.clone(), "route" => route.clone(), "status" => status)
                .increment(1);
            histogram!(DURATION, "method" => method, "route" => route).record(seconds);
        });
    }

    /// Requests answered so far, and requests accepted and not yet answered (their
    /// clients still waiting).
    pub fn answered_and_in_flight(&self) -> (u64, u64) {
        (self.0.answered.load(Relaxed), self.0.in_flight())
    }

    /// The registry in Prometheus text exposition format.
    pub fn render(&self) -> String {
        with_local_recorder(&self.0.recorder, || {
            gauge!(IN_FLIGHT).set(self.0.in_flight() as f64);
            counter!(ABANDONED).absolute(self.0.abandoned.load(Relaxed));
        });
        self.0.recorder.handle().render()
    }
}

/// Folds the latency samples in every few seconds, until the registry is gone.
async fn upkeep(inner: Weak<Inner>) {
    let mut every = tokio::time::interval(Duration::from_secs(5));
    loop {
        every.tick().await;
        match inner.upgrade() {
            Some(inner) => inner.recorder.handle().run_upkeep(),
            None => return,
        }
    }
}

/// Middleware recording every request under its route pattern (never the raw path, so
/// ids in URLs do not explode the label set).
pub async fn track(State(metrics): State<Metrics>, req: Request, next: Next) -> Response {
    let method = method_label(req.method());
    // Shared by the two series it labels, not copied into each.
    let route = match req.extensions().get::<MatchedPath>() {
        Some(route) => SharedString::from(Arc::<str>::from(route.as_str())),
        None => SharedString::from("unmatched"),
    };
    let started = Instant::now();
    let mut pending = metrics.start();
    let response = next.run(req).await;
    pending.answered = true;
    metrics.observe(method, route, response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}

/// The method as a label; the standard ones are not copied.
fn method_label(method: &Method) -> SharedString {
    const STANDARD: [&str; 9] =
        ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE"];
    match STANDARD.iter().find(|m| **m == method.as_str()) {
        Some(m) => SharedString::from(*m),
        None => SharedString::from(method.as_str().to_owned()),
    }
}

/// A request under way: dropped before it is answered (its client closed the
/// connection, so the server stopped working on it), it counts as abandoned.
struct Pending<'a> {
    metrics: &'a Metrics,
    answered: bool,
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        if !self.answered {
            self.metrics.0.abandoned.fetch_add(1, Relaxed);
        }
    }
}
