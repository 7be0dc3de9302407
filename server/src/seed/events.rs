//! A year of plausible activity history, in time order, chained exactly as the live
//! console chains events (same canonical hash).
use app::audit::chain::{timestamp_text, Canonical, GENESIS};
use serde_json::json;

use super::bulk::{Rows, Value};
use super::customers::Summary;
use super::rng::Rng;
use super::tables::{child_id, NS_PER, SUB_PER};
use super::words::REASONS;
use super::{Ctx, StaffIds};

/// Streams events `from..to` (0-based) into `out`, continuing the chain from `prev`.
/// Returns the hash of the last event written.
pub fn generate(
    ctx: &Ctx,
    staff: &StaffIds,
    summaries: &[Summary],
    from: u64,
    to: u64,
    mut prev: String,
    out: &mut Rows,
) -> String {
    let total = ctx.plan.events.max(1);
    let span_micros: i64 = 365 * 86_400 * 1_000_000;
    let start = ctx.at(-365, 0);
    for k in from..to {
        let mut r = Rng::for_item(ctx.seed, 9, k);
        let occurred_at = start
            + chrono::Duration::microseconds(
                span_micros / total as i64 * k as i64 + r.below(1_000_000) as i64,
            );
        let c = r.below(summaries.len() as u64) + 1;
        let summary = summaries[(c - 1) as usize];
        let (actor_id, actor_email, role) = staff.pick(&mut r);
        let (action, target_type, target_id, changes) = action_for(&mut r, role, c, summary);
        let id = (k + 1) as i64;
        let reason = *r.pick(REASONS);
        let ticket = (role == "support")
            .then(|| format!("https://support.example.com/tickets/{}", 100_000 + k));
        let source = if r.chance(85) { "console" } else { "api" };
        let changes = changes.to_string();
        let hash = Canonical {
            id,
            occurred_at: timestamp_text(occurred_at),
            actor_id: Some(actor_id),
            actor_email,
            action,
            target_type,
            target_id,
            customer_id: Some(c as i64),
            reason,
            ticket_url: ticket.as_deref(),
            changes: &changes,
            source,
            approval_id: None,
            prev_hash: &prev,
            requester: None,
            requester_verdict: None,
        }
        .hash();
        out.push([
            id.into(),
            occurred_at.into(),
            actor_id.into(),
            actor_email.into(),
            action.into(),
            target_type.into(),
            target_id.into(),
            (c as i64).into(),
            reason.into(),
            ticket.into(),
            changes.into(),
            source.into(),
            Value::Null,
            std::mem::take(&mut prev).into(),
            hash.clone().into(),
        ]);
        prev = hash;
    }
    prev
}

/// The first `prev_hash` of a fresh chain.
pub fn genesis() -> String {
    GENESIS.to_string()
}

fn action_for(
    r: &mut Rng,
    role: &str,
    c: u64,
    s: Summary,
) -> (&'static str, &'static str, i64, serde_json::Value) {
    let sub = child_id(c, SUB_PER, r.below(s.subscriptions.max(1) as u64));
    let ns = (s.namespaces > 0).then(|| child_id(c, NS_PER, r.below(s.namespaces as u64)));
    let seats = *r.pick(&[5i64, 10, 20, 25, 50, 100, 250]);
    match (role, ns, r.below(4)) {
        ("support", Some(ns), 0) => {
            ("namespace.update_plan", "namespace", ns, json!({"plan": ["free", "premium"]}))
        }
        ("support", Some(ns), 1) => {
            let before = r.range(0, 5_000);
            (
                "namespace.compute_minutes",
                "namespace",
                ns,
                json!({"compute_minutes_extra": [before, before + 1_000]}),
            )
        }
        ("support" | "sales", Some(ns), 2) => (
            "trial.extend",
            "namespace",
            ns,
            json!({"trial_ends_on": ["2026-01-10", "2026-01-24"]}),
        ),
        ("billing", Some(ns), 3) => (
            "namespace.reset_max_seats",
            "namespace",
            ns,
            json!({"max_seats_used": [seats + 7, seats]}),
        ),
        ("sales", _, _) => (
            "extension.issue",
            "subscription",
            sub,
            json!({"end_date": ["2026-02-01", "2026-02-15"]}),
        ),
        (_, _, 0) => {
            ("subscription.edit", "subscription", sub, json!({"auto_renew": [true, false]}))
        }
        _ => (
            "subscription.edit",
            "subscription",
            sub,
            json!({"seats": [seats, seats + r.range(1, 20)]}),
        ),
    }
}
