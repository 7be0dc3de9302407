//! Request metrics by route: a counter per (method, route, status) and a latency
//! histogram per (method, route), rendered in Prometheus text format.
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

const BUCKETS: [f64; 12] =
    [0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<(String, String), Histogram>,
    /// Requests that reached the router, and those of them whose client went away
    /// before the answer. Those answered are counted in `requests`; the rest are in flight.
    started: u64,
    abandoned: u64,
}

impl Inner {
    fn answered(&self) -> u64 {
        self.requests.values().sum()
    }

    fn in_flight(&self) -> u64 {
        self.started - self.answered() - self.abandoned
    }
}

/// Shared metrics registry.
#[derive(Clone, Default)]
pub struct Metrics(Arc<Mutex<Inner>>);

impl Metrics {
    fn start(&self) -> Pending<'_> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).started += 1;
        Pending { metrics: self, answered: false }
    }

    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut inner = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *inner.requests.entry((method.into(), route.into(), status)).or_default() += 1;
        let h = inner.latency.entry((method.into(), route.into())).or_default();
        h.count += 1;
        h.sum += seconds;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
    }

    /// Requests answered so far, and requests accepted and not yet answered (their
    /// clients still waiting).
    pub fn answered_and_in_flight(&self) -> (u64, u64) {
        let inner = self.0.lock().unwrap_or_else(|e| e.into_inner());
        (inner.answered(), inner.in_flight())
    }

    /// The registry in Prometheus text exposition format.
    pub fn render(&self) -> String {
        let inner = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = String::new();
        out.push_str("# HELP http_requests_in_flight Requests accepted and not yet answered.\n# TYPE http_requests_in_flight gauge\n");
        let _ = writeln!(out, "http_requests_in_flight {}", inner.in_flight());
        out.push_str("# HELP http_requests_abandoned_total Requests whose client went away before the answer.\n# TYPE http_requests_abandoned_total counter\n");
        let _ = writeln!(out, "http_requests_abandoned_total {}", inner.abandoned);
        out.push_str("# HELP http_requests_total HTTP requests by method, route and status.\n# TYPE http_requests_total counter\n");
        for ((method, route, status), n) in &inner.requests {
            let _ = writeln!(out, "http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}");
        }
        out.push_str("# HELP http_request_duration_seconds Time to answer, by method and route.\n# TYPE http_request_duration_seconds histogram\n");
        for ((method, route), h) in &inner.latency {
            for (i, bound) in BUCKETS.iter().enumerate() {
                let _ = writeln!(out, "http_request_duration_seconds_bucket{{method=\"{method}\",route=\"{route}\",le=\"{bound}\"}} {}", h.counts[i]);
            }
            let _ = writeln!(out, "http_request_duration_seconds_bucket{{method=\"{method}\",route=\"{route}\",le=\"+Inf\"}} {}", h.count);
            let _ = writeln!(
                out,
                "http_request_duration_seconds_sum{{method=\"{method}\",route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "http_request_duration_seconds_count{{method=\"{method}\",route=\"{route}\"}} {}",
                h.count
            );
        }
        out
    }
}

/// Middleware recording every request under its route pattern (never the raw path, so
/// ids in URLs do not explode the label set).
pub async fn track(State(metrics): State<Metrics>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let route =
        req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_else(
            || {
                if req.uri().path().starts_with("/pkg/") {
                    "/pkg/*".into()
                } else {
                    "unmatched".into()
                }
            },
        );
    let started = Instant::now();
    let mut pending = metrics.start();
    let response = next.run(req).await;
    pending.answered = true;
    metrics.observe(&method, &route, response.status().as_u16(), started.elapsed().as_secs_f64());
    response
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
            self.metrics.0.lock().unwrap_or_else(|e| e.into_inner()).abandoned += 1;
        }
    }
}
