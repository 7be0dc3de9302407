//! `server bench …`: commands that print server-side latency percentiles over the
//! configured database (see docs/benchmarks.md).
mod activity;
mod edit;
mod extensions;
mod integrity;
mod search;
mod webhooks;

pub use activity::activity;
pub use edit::edit;
pub use extensions::extensions;
pub use integrity::integrity;
pub use search::search;
pub use webhooks::webhooks;

/// `n`, p50, p95, p99 and max of a set of durations in milliseconds.
fn percentiles(mut ms: Vec<f64>) -> String {
    if ms.is_empty() {
        return "n=0".into();
    }
    ms.sort_by(|a, b| a.total_cmp(b));
    let at = |p: f64| ms[((ms.len() as f64 * p).ceil() as usize).clamp(1, ms.len()) - 1];
    format!(
        "n={} p50={:.2}ms p95={:.2}ms p99={:.2}ms max={:.2}ms",
        ms.len(),
        at(0.50),
        at(0.95),
        at(0.99),
        at(1.0)
    )
}
