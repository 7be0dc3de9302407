//! One customer's records: a clean, consistent account, or one of the planted
//! anomalies (docs/PRODUCT.md "Integrity rules"), each shaped to trip exactly one rule.
use chrono::{DateTime, Duration, NaiveDate, Utc};

use app::domain::{HitKind, SubscriptionStatus};
use app::store::documents;

use super::bulk::Value;
use super::people::People;
use super::rng::Rng;
use super::tables::*;
use super::words::*;
use super::Ctx;

/// What the event generator needs to know about a customer: the current values of the
/// fields its history changes, on its first subscription and first namespace, so that
/// the history ends where the records are.
#[derive(Clone, Copy, Default)]
pub struct Summary {
    pub sub: SubNow,
    pub ns: Option<NsNow>,
}

/// Namespace plans, as [`NsNow::plan`] indexes them.
pub const PLANS: [&str; 3] = ["free", "premium", "ultimate"];

/// The first subscription as generated (its id is `child_id(c, SUB_PER, 0)`).
#[derive(Clone, Copy, Default)]
pub struct SubNow {
    pub seats: i32,
    pub end: NaiveDate,
    pub auto_renew: bool,
    pub saas: bool,
}

/// The first namespace as generated (its id is `child_id(c, NS_PER, 0)`); kept small,
/// as there is one per customer in memory while events are generated.
#[derive(Clone, Copy)]
pub struct NsNow {
    /// Index in [`PLANS`].
    pub plan: u8,
    pub extra: i32,
    pub max_seats_used: i32,
    pub trial_end: Option<NaiveDate>,
}

struct Builder<'a> {
    ctx: &'a Ctx,
    c: u64,
    r: Rng,
    out: &'a mut Chunk,
    people: People,
    slug: String,
    currency: &'static str,
    subs: u64,
    namespaces: u64,
    licenses: u64,
    invoices: u64,
    grants: u64,
    summary: Summary,
}

/// A subscription as generated, for its dependents.
#[derive(Clone, Copy)]
struct Sub {
    id: i64,
    product: &'static str,
    seats: i64,
    start: NaiveDate,
    end: NaiveDate,
    active: bool,
}

/// A namespace's plan, link and trial.
struct Ns<'s> {
    plan: &'static str,
    sub: Option<&'s Sub>,
    trial: Option<(&'static str, NaiveDate, NaiveDate)>,
    seats_in_use: i64,
}

/// Generates customer `c` into `out`.
pub fn generate(ctx: &Ctx, c: u64, out: &mut Chunk) -> Summary {
    let mut b = Builder::new(ctx, c, out);
    let ba = b.billing_account(0);
    match ctx.plan.anomaly_of(c) {
        None => b.clean(ba),
        Some(rule) => b.anomaly(rule, ba),
    }
    b.summary
}

impl<'a> Builder<'a> {
    fn new(ctx: &'a Ctx, c: u64, out: &'a mut Chunk) -> Builder<'a> {
        let mut r = Rng::for_item(ctx.seed, 1, c);
        let first = *r.pick(FIRST_NAMES);
        let last = *r.pick(LAST_NAMES);
        let head = *r.pick(COMPANY_HEADS);
        let tail = *r.pick(COMPANY_TAILS);
        let (country, currency) = *r.pick(COUNTRIES);
        let company = format!("{head} {tail}");
        let slug = ascii_slug(&company);
        let domain = format!("{}.{}", slug, r.pick(DOMAIN_ENDINGS));
        let email = format!("{}.{}{}@{}", ascii_slug(first), ascii_slug(last), c, domain);
        let crm = r.chance(90).then(|| format!("001A{c:011}"));
        let created = ctx.at(-r.range(30, 2000), r.below(86_400) as i64);
        let name = format!("{first} {last}");
        let mut people = People::new(ctx, c, &domain);
        let contacts = people.contacts(&mut out.contacts, &name, &email);
        let text = documents::customer_text(&name, &email, &company, &contacts);
        push_document(out, HitKind::Customer, c as i64, c, text);
        out.customers.push([
            (c as i64).into(),
            name.into(),
            email.into(),
            company.into(),
            country.into(),
            crm.into(),
            created.into(),
        ]);
        Builder {
            ctx,
            c,
            r,
            out,
            people,
            slug,
            currency,
            subs: 0,
            namespaces: 0,
            licenses: 0,
            invoices: 0,
            grants: 0,
            summary: Summary::default(),
        }
    }

    fn clean(&mut self, first_ba: i64) {
        let mut accounts = vec![first_ba];
        if self.r.chance(20) {
            accounts.push(self.billing_account(1));
        }
        let mut saas_subs = Vec::new();
        for ba in accounts.clone() {
            let n = if self.r.chance(30) { 2 } else { 1 };
            for _ in 0..n {
                let product = if self.r.chance(65) { "premium" } else { "ultimate" };
                let saas = self.r.chance(60);
                let seats =
                    *self.r.pick(&[5, 10, 15, 20, 25, 50, 75, 100, 150, 200, 250, 500, 1000, 2500]);
                let mut days_left = self.r.range(-300, 365);
                if days_left == 0 {
                    days_left = 1;
                }
                let sub = self.subscription(ba, product, saas, seats, days_left, None);
                if saas {
                    saas_subs.push(sub);
                } else {
                    self.standard_license(&sub);
                }
            }
        }
        for sub in &saas_subs {
            let plan = if sub.active { sub.product } else { "free" };
            let in_use = self.r.range(1, sub.seats);
            self.namespace(Ns { plan, sub: Some(sub), trial: None, seats_in_use: in_use });
        }
        if self.namespaces < NS_PER && self.r.chance(35) {
            let trial = self.r.chance(40).then(|| {
                let plan = if self.r.chance(80) { "ultimate" } else { "premium" };
                let start = self.ctx.day(-self.r.range(0, 40));
                (plan, start, start + Duration::days(30))
            });
            let plan = match trial {
                Some((p, _, end)) if end >= self.ctx.today => p,
                _ => "free",
            };
            let in_use = self.r.range(1, 5);
            self.namespace(Ns { plan, sub: None, trial, seats_in_use: in_use });
        }
        for ba in accounts {
            let n = self.r.range(1, 4);
            for i in 0..n {
                self.invoice(ba, i);
            }
        }
    }

    /// Records that trip exactly `rule`. Their subscriptions are active by design (the
    /// random status of a clean account would turn one anomaly into another).
    fn anomaly(&mut self, rule: &str, ba: i64) {
        const ACTIVE: Option<SubscriptionStatus> = Some(SubscriptionStatus::Active);
        let today = self.ctx.today;
        match rule {
            "plan_mismatch" => {
                let sub = self.subscription(ba, "premium", true, 20, 120, ACTIVE);
                self.namespace(Ns {
                    plan: "ultimate",
                    sub: Some(&sub),
                    trial: None,
                    seats_in_use: 10,
                });
            }
            "orphan_subscription" => {
                self.subscription(ba, "ultimate", true, 25, 200, ACTIVE);
                self.namespace(Ns { plan: "free", sub: None, trial: None, seats_in_use: 3 });
            }
            "stale_paid_plan" => {
                let sub = self.subscription(
                    ba,
                    "premium",
                    true,
                    30,
                    -20,
                    Some(SubscriptionStatus::Expired),
                );
                self.namespace(Ns {
                    plan: "premium",
                    sub: Some(&sub),
                    trial: None,
                    seats_in_use: 12,
                });
            }
            "double_link" => {
                let sub = self.subscription(ba, "ultimate", true, 50, 90, ACTIVE);
                self.namespace(Ns {
                    plan: "ultimate",
                    sub: Some(&sub),
                    trial: None,
                    seats_in_use: 20,
                });
                self.namespace(Ns {
                    plan: "ultimate",
                    sub: Some(&sub),
                    trial: None,
                    seats_in_use: 8,
                });
            }
            "expired_trial" => {
                let sub = self.subscription(ba, "premium", false, 15, 150, ACTIVE);
                self.standard_license(&sub);
                let start = today - Duration::days(40);
                let trial = Some(("ultimate", start, start + Duration::days(30)));
                self.namespace(Ns { plan: "ultimate", sub: None, trial, seats_in_use: 4 });
            }
            "missing_license" => {
                self.subscription(ba, "ultimate", false, 100, 180, ACTIVE);
            }
            "seat_overage" => {
                let sub = self.subscription(ba, "premium", true, 10, 60, ACTIVE);
                self.namespace(Ns {
                    plan: "premium",
                    sub: Some(&sub),
                    trial: None,
                    seats_in_use: 14,
                });
            }
            "trial_on_paid" => {
                let sub = self.subscription(ba, "premium", true, 40, 100, ACTIVE);
                let start = today - Duration::days(5);
                let trial = Some(("ultimate", start, start + Duration::days(30)));
                self.namespace(Ns { plan: "premium", sub: Some(&sub), trial, seats_in_use: 22 });
            }
            other => unreachable!("no generator for anomaly {other}"),
        }
        self.invoice(ba, 0);
    }

    fn billing_account(&mut self, slot: u64) -> i64 {
        let id = child_id(self.c, BA_PER, slot);
        let terms = self.r.pick(PAYMENT_TERMS).0;
        self.out.billing_accounts.push([
            id.into(),
            format!("A{id:08}").into(),
            (self.c as i64).into(),
            self.currency.into(),
            terms.into(),
        ]);
        id
    }

    /// A one-year subscription ending `days_left` days from today.
    fn subscription(
        &mut self,
        ba: i64,
        product: &'static str,
        saas: bool,
        seats: i64,
        days_left: i64,
        status: Option<SubscriptionStatus>,
    ) -> Sub {
        let id = child_id(self.c, SUB_PER, self.subs);
        self.subs += 1;
        let end = self.ctx.day(days_left);
        let start = end - Duration::days(365);
        let status = status.unwrap_or_else(|| {
            if days_left > 0 {
                if self.r.chance(4) {
                    SubscriptionStatus::Cancelled
                } else {
                    SubscriptionStatus::Active
                }
            } else if self.r.chance(25) {
                SubscriptionStatus::Cancelled
            } else {
                SubscriptionStatus::Expired
            }
        });
        let active = status == SubscriptionStatus::Active;
        let auto_renew = active && self.r.chance(75);
        if self.subs == 1 {
            self.summary.sub = SubNow { seats: seats as i32, end, auto_renew, saas };
        }
        self.out.subscriptions.push([
            id.into(),
            format!("A-S{id:08}").into(),
            ba.into(),
            (self.c as i64).into(),
            product.into(),
            (if saas { "saas" } else { "self_managed" }).into(),
            seats.into(),
            start.into(),
            end.into(),
            status.as_str().into(),
            auto_renew.into(),
            1i64.into(),
        ]);
        Sub { id, product, seats, start, end, active }
    }

    fn namespace(&mut self, ns: Ns<'_>) {
        let slot = self.namespaces;
        let id = child_id(self.c, NS_PER, slot);
        self.namespaces += 1;
        let path = if slot == 0 {
            format!("{}-{}", self.slug, self.c)
        } else {
            format!("{}-{}-{}", self.slug, self.c, slot + 1)
        };
        let name = if slot == 0 {
            self.slug.replace('-', " ")
        } else {
            format!("{} {}", self.slug.replace('-', " "), slot + 1)
        };
        let effective = ns.trial.filter(|t| t.2 >= self.ctx.today).map(|t| t.0).unwrap_or(ns.plan);
        let quota = match effective {
            "ultimate" => 50_000,
            "premium" => 10_000,
            _ => 400,
        };
        let used = self.r.range(0, quota);
        let mut extra = 0;
        if self.r.chance(5) {
            extra = 1_000 * self.r.range(1, 10);
            let gid = child_id(self.c, GRANT_PER, self.grants);
            self.grants += 1;
            self.out.grants.push([
                gid.into(),
                id.into(),
                "compute_minutes".into(),
                extra.into(),
                Some(self.ctx.day(365)).into(),
                "purchase".into(),
                self.ctx.at(-self.r.range(1, 200), 36_000).into(),
            ]);
        }
        let max_used = match ns.sub {
            Some(s) if ns.seats_in_use <= s.seats => self.r.range(ns.seats_in_use, s.seats),
            _ => ns.seats_in_use,
        };
        if slot == 0 {
            self.summary.ns = Some(NsNow {
                plan: PLANS.iter().position(|p| *p == ns.plan).unwrap_or(0) as u8,
                extra: extra as i32,
                max_seats_used: max_used as i32,
                trial_end: ns.trial.map(|t| t.2),
            });
        }
        let owners = self.people.owners(&mut self.out.owners, id);
        push_document(
            self.out,
            HitKind::Namespace,
            id,
            self.c,
            documents::namespace_text(&path, &name, &owners),
        );
        self.out.namespaces.push([
            id.into(),
            path.into(),
            name.into(),
            (self.c as i64).into(),
            ns.plan.into(),
            ns.sub.map(|s| s.id).into(),
            ns.trial.map(|t| t.0).into(),
            ns.trial.map(|t| t.1).into(),
            ns.trial.map(|t| t.2).into(),
            (if ns.trial.is_some() && self.r.chance(20) { 1i64 } else { 0 }).into(),
            ns.seats_in_use.into(),
            max_used.into(),
            quota.into(),
            used.into(),
            extra.into(),
            0i64.into(),
            self.r.range(10, 50_000).into(),
            (if self.r.chance(5) { 10_240i64 } else { 0 }).into(),
            1i64.into(),
        ]);
    }

    fn standard_license(&mut self, sub: &Sub) {
        let id = child_id(self.c, LICENSE_PER, self.licenses);
        self.licenses += 1;
        let key = app::state::key_text(|n| self.r.below(n as u64) as usize);
        push_document(self.out, HitKind::License, id, self.c, documents::license_text(&key));
        let issued: DateTime<Utc> =
            sub.start.and_hms_opt(9, 0, 0).map(|t| t.and_utc()).unwrap_or_default();
        self.out.licenses.push([
            id.into(),
            sub.id.into(),
            (self.c as i64).into(),
            "standard".into(),
            sub.seats.into(),
            sub.start.into(),
            sub.end.into(),
            key.into(),
            Value::Null,
            issued.into(),
            Value::Null,
        ]);
    }

    fn invoice(&mut self, ba: i64, months_ago: i64) {
        let id = child_id(self.c, INVOICE_PER, self.invoices);
        self.invoices += 1;
        let issued = self.ctx.day(-(months_ago * 30 + self.r.range(0, 29)));
        let due = issued + Duration::days(*self.r.pick(&[0, 15, 30, 30, 60]));
        let status = if due < self.ctx.today {
            match self.r.below(100) {
                0..=89 => "paid",
                90..=96 => "overdue",
                _ => "void",
            }
        } else if self.r.chance(70) {
            "open"
        } else {
            "paid"
        };
        self.out.invoices.push([
            id.into(),
            format!("INV-{id:09}").into(),
            ba.into(),
            (self.c as i64).into(),
            (self.r.range(50, 50_000) * 100).into(),
            self.currency.into(),
            status.into(),
            issued.into(),
            due.into(),
        ]);
    }
}

fn push_document(out: &mut Chunk, kind: HitKind, ref_id: i64, customer: u64, text: String) {
    out.documents.push([
        documents::doc_id(kind, ref_id).into(),
        text.into(),
        kind.as_str().into(),
        ref_id.into(),
        (customer as i64).into(),
    ]);
}

/// Lower-case ASCII words joined by dashes ("Björn Müller" → "bjorn-muller").
pub fn ascii_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        let mapped = match ch {
            'á' | 'à' | 'ä' | 'â' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'õ' | 'ø' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => '-',
        };
        if mapped == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(mapped);
    }
    out.trim_end_matches('-').to_string()
}
