//! A year of activity history, in time order, chained exactly as the live console
//! chains events (same canonical hash), and adding up: every record's changes chain
//! (each change starts from the value the previous one left) and end at the record's
//! current value; reasons fit their actions; weekdays are busier than weekends.
//!
//! How it stays deterministic and streamable: events go round the customers, each round
//! in an order of its own (an affine permutation), so the events of one customer are
//! known from its number alone (one per round). An event's values are then worked out
//! backwards from the record's current value over that customer's later events.
use app::audit::chain::{timestamp_text, Canonical, GENESIS};
use app::domain::{Action, TargetType};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use serde_json::{json, Value as Json};

use super::bulk::{Rows, Value};
use super::customers::{Summary, PLANS};
use super::rng::Rng;
use super::tables::{child_id, NS_PER, SUB_PER};
use super::words::reasons_for;
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
    let history = History::new(ctx, staff, summaries);
    for k in from..to {
        let e = history.event(k);
        let id = (k + 1) as i64;
        let changes = e.changes.to_string();
        let hash = Canonical {
            id,
            occurred_at: timestamp_text(e.at),
            actor_id: Some(e.actor_id),
            actor_email: e.actor_email,
            action: e.action.as_str(),
            target_type: e.target_type.as_str(),
            target_id: e.target_id,
            customer_id: Some(e.customer),
            reason: e.reason,
            ticket_url: e.ticket.as_deref(),
            changes: &changes,
            source: e.source,
            approval_id: None,
            prev_hash: &prev,
            requester: None,
            requester_verdict: None,
        }
        .hash();
        out.push([
            id.into(),
            e.at.into(),
            e.actor_id.into(),
            e.actor_email.into(),
            e.action.as_str().into(),
            e.target_type.as_str().into(),
            e.target_id.into(),
            e.customer.into(),
            e.reason.into(),
            e.ticket.into(),
            changes.into(),
            e.source.into(),
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

/// One generated event.
pub struct Event<'a> {
    pub at: DateTime<Utc>,
    pub customer: i64,
    pub actor_id: i64,
    pub actor_email: &'a str,
    pub action: Action,
    pub target_type: TargetType,
    pub target_id: i64,
    pub reason: &'static str,
    pub ticket: Option<String>,
    pub source: &'static str,
    pub changes: Json,
}

/// The field an event changes, on the customer's first subscription or namespace.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    Seats,
    AutoRenew,
    /// A temporary extension moving the subscription's end.
    Extension,
    Plan,
    Minutes,
    MaxSeats,
    TrialEnd,
}

impl Field {
    fn action(self) -> Action {
        match self {
            Field::Seats | Field::AutoRenew => Action::EditSubscription,
            Field::Extension => Action::IssueExtension,
            Field::Plan => Action::UpdatePlan,
            Field::Minutes => Action::ComputeMinutes,
            Field::MaxSeats => Action::ResetMaxSeats,
            Field::TrialEnd => Action::ExtendTrial,
        }
    }

    fn on_namespace(self) -> bool {
        matches!(self, Field::Plan | Field::Minutes | Field::MaxSeats | Field::TrialEnd)
    }
}

/// A field's value: a number, a date, a flag or a plan.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Val {
    Int(i64),
    Day(NaiveDate),
    Flag(bool),
    Plan(u8),
}

impl Val {
    fn json(self) -> Json {
        match self {
            Val::Int(n) => json!(n),
            Val::Day(d) => json!(d),
            Val::Flag(b) => json!(b),
            Val::Plan(p) => json!(PLANS[p as usize]),
        }
    }
}

const SEATS: [i64; 10] = [5, 10, 15, 20, 25, 50, 75, 100, 150, 250];

/// Everything one event needs, and the rules that place events and chain their values.
pub struct History<'a> {
    ctx: &'a Ctx,
    staff: &'a StaffIds,
    summaries: &'a [Summary],
    calendar: Calendar,
}

impl<'a> History<'a> {
    pub fn new(ctx: &'a Ctx, staff: &'a StaffIds, summaries: &'a [Summary]) -> History<'a> {
        History { ctx, staff, summaries, calendar: Calendar::new(ctx) }
    }

    fn customers(&self) -> u64 {
        self.summaries.len().max(1) as u64
    }

    /// The order of round `round`: `i ↦ (a·i + b) mod C`, with `a` coprime to `C`.
    fn round(&self, round: u64) -> (u64, u64) {
        let c = self.customers();
        let mut r = Rng::for_item(self.ctx.seed, 11, round);
        let b = r.below(c);
        loop {
            let a = r.below(c).max(1);
            if gcd(a, c) == 1 {
                return (a, b);
            }
        }
    }

    /// The customer (0-based) of event `k`, and its round.
    fn customer_of(&self, k: u64) -> (u64, u64) {
        let c = self.customers();
        let round = k / c;
        let (a, b) = self.round(round);
        (((a as u128 * (k % c) as u128 + b as u128) % c as u128) as u64, round)
    }

    /// The event of customer `c0` in `round`, if there is one.
    fn event_of(&self, c0: u64, round: u64) -> Option<u64> {
        let c = self.customers();
        let (a, b) = self.round(round);
        let inverse = mod_inverse(a, c);
        let i = ((c0 + c - b) % c) as u128 * inverse as u128 % c as u128;
        Some(round * c + i as u64).filter(|k| *k < self.ctx.plan.events)
    }

    /// Who makes event `k` and which field it changes.
    fn draw(&self, k: u64, s: &Summary) -> (i64, &'a str, &'static str, Field, Rng) {
        let mut r = Rng::for_item(self.ctx.seed, 9, k);
        let (id, email, role) = self.staff.pick(&mut r);
        let trial = s.ns.is_some_and(|n| n.trial_end.is_some());
        let field = match (role, s.ns.is_some(), r.below(4)) {
            ("support", true, 0) => Field::Plan,
            ("support", true, 1) => Field::Minutes,
            ("support" | "sales", true, 2) if trial => Field::TrialEnd,
            ("billing", true, 3) => Field::MaxSeats,
            ("sales", _, _) if s.sub.saas => Field::Extension,
            (_, _, 0) => Field::AutoRenew,
            _ => Field::Seats,
        };
        (id, email, role, field, r)
    }

    /// The field's value now, on the customer's records.
    fn current(s: &Summary, field: Field) -> Val {
        let ns = s.ns;
        match field {
            Field::Seats => Val::Int(s.sub.seats as i64),
            Field::AutoRenew => Val::Flag(s.sub.auto_renew),
            Field::Extension => Val::Day(s.sub.end),
            Field::Plan => Val::Plan(ns.map_or(0, |n| n.plan)),
            Field::Minutes => Val::Int(ns.map_or(0, |n| n.extra) as i64),
            Field::MaxSeats => Val::Int(ns.map_or(0, |n| n.max_seats_used) as i64),
            Field::TrialEnd => Val::Day(ns.and_then(|n| n.trial_end).unwrap_or(s.sub.end)),
        }
    }

    /// The value event `k` started from, given the value it left.
    fn before(&self, k: u64, field: Field, after: Val) -> Val {
        let mut r = Rng::for_item(self.ctx.seed, 12, k);
        match (field, after) {
            (Field::Seats, Val::Int(n)) => {
                let others: Vec<i64> = SEATS.iter().copied().filter(|s| *s != n).collect();
                Val::Int(*r.pick(&others))
            }
            (Field::AutoRenew, Val::Flag(b)) => Val::Flag(!b),
            (Field::Extension, Val::Day(d)) => Val::Day(d - Duration::days(*r.pick(&[7, 14, 30]))),
            (Field::TrialEnd, Val::Day(d)) => Val::Day(d - Duration::days(*r.pick(&[7, 14]))),
            (Field::Plan, Val::Plan(p)) => Val::Plan((p + 1 + r.below(2) as u8) % 3),
            (Field::Minutes, Val::Int(n)) if n >= 1_000 => {
                Val::Int(n - 1_000 * r.range(1, n / 1_000))
            }
            (Field::Minutes, Val::Int(n)) => Val::Int(n + 1_000 * r.range(1, 5)),
            (Field::MaxSeats, Val::Int(n)) => Val::Int(n + r.range(1, 20)),
            (_, v) => v,
        }
    }

    /// Event `k` in full.
    pub fn event(&self, k: u64) -> Event<'a> {
        let (c0, round) = self.customer_of(k);
        let s = &self.summaries[c0 as usize];
        let (actor_id, actor_email, role, field, mut r) = self.draw(k, s);
        // Walk back from the current value over this customer's later events that
        // change the same field: what they started from is what this one left.
        let rounds = self.ctx.plan.events.div_ceil(self.customers());
        let mut after = Self::current(s, field);
        for later in (round + 1..rounds).rev() {
            let Some(j) = self.event_of(c0, later) else { continue };
            if self.draw(j, s).3 == field {
                after = self.before(j, field, after);
            }
        }
        let before = self.before(k, field, after);
        let c = c0 + 1;
        let (target_type, target_id) = if field.on_namespace() {
            (TargetType::Namespace, child_id(c, NS_PER, 0))
        } else {
            (TargetType::Subscription, child_id(c, SUB_PER, 0))
        };
        let key = match field {
            Field::Seats => "seats",
            Field::AutoRenew => "auto_renew",
            Field::Extension => "subscription.end_date",
            Field::Plan => "plan",
            Field::Minutes => "compute_minutes_extra",
            Field::MaxSeats => "max_seats_used",
            Field::TrialEnd => "trial_ends_on",
        };
        let mut changes = serde_json::Map::new();
        changes.insert(key.into(), json!([before.json(), after.json()]));
        if let (Field::Extension, Val::Day(old), Val::Day(new)) = (field, before, after) {
            changes.insert("extension.days".into(), json!([null, (new - old).num_days()]));
        }
        let growing = match (before, after) {
            (Val::Int(a), Val::Int(b)) => b > a,
            (Val::Flag(_), Val::Flag(b)) => b,
            _ => true,
        };
        let reason = *r.pick(reasons_for(field.action(), key, growing));
        Event {
            at: self.calendar.at(k, self.ctx.plan.events),
            customer: c as i64,
            actor_id,
            actor_email,
            action: field.action(),
            target_type,
            target_id,
            reason,
            ticket: (role == "support")
                .then(|| format!("https://support.example.com/tickets/{}", 100_000 + k)),
            source: if r.chance(85) { "console" } else { "api" },
            changes: Json::Object(changes),
        }
    }
}

/// The year's working days: weekdays weigh four times a weekend day, and each day
/// varies a little; events fill the days in proportion, in working hours (UTC).
struct Calendar {
    first: DateTime<Utc>,
    /// Cumulative share of the year's events at the end of each day.
    ends: Vec<f64>,
}

impl Calendar {
    const DAYS: i64 = 365;

    fn new(ctx: &Ctx) -> Calendar {
        let weights: Vec<f64> = (0..Self::DAYS)
            .map(|d| {
                let day = ctx.day(d - Self::DAYS);
                let base = match day.weekday() {
                    Weekday::Sat | Weekday::Sun => 0.25,
                    _ => 1.0,
                };
                base * (0.75 + Rng::for_item(ctx.seed, 13, d as u64).below(50) as f64 / 100.0)
            })
            .collect();
        let total: f64 = weights.iter().sum();
        let mut sum = 0.0;
        let ends = weights
            .iter()
            .map(|w| {
                sum += w / total;
                sum
            })
            .collect();
        Calendar { first: ctx.at(-Self::DAYS, 0), ends }
    }

    /// When event `k` of `total` happened: never before event `k - 1`.
    fn at(&self, k: u64, total: u64) -> DateTime<Utc> {
        let share = (k as f64 + 0.5) / total.max(1) as f64;
        let day = self.ends.partition_point(|end| *end < share).min(self.ends.len() - 1);
        let start = if day == 0 { 0.0 } else { self.ends[day - 1] };
        let within = ((share - start) / (self.ends[day] - start)).clamp(0.0, 1.0);
        // 07:00 to 18:00 UTC.
        let micros = 7 * 3_600_000_000 + (within * 11.0 * 3_600_000_000.0) as i64;
        self.first + Duration::days(day as i64) + Duration::microseconds(micros)
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `a⁻¹ mod m` (`a` coprime to `m`).
fn mod_inverse(a: u64, m: u64) -> u64 {
    if m == 1 {
        return 0;
    }
    let (mut old_r, mut r) = (a as i128, m as i128);
    let (mut old_s, mut s) = (1i128, 0i128);
    while r != 0 {
        let q = old_r / r;
        (old_r, r) = (r, old_r - q * r);
        (old_s, s) = (s, old_s - q * s);
    }
    old_s.rem_euclid(m as i128) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverses_undo_the_rounds_order() {
        for m in [1u64, 2, 7, 200, 5_000, 1_000_000] {
            for a in [1u64, 3, 7, 999_983] {
                if gcd(a % m.max(1), m) == 1 && a % m != 0 {
                    assert_eq!(a % m * mod_inverse(a % m, m) % m, 1 % m, "{a} mod {m}");
                }
            }
        }
    }
}
