//! The temporary-extension policy (docs/PRODUCT.md "Operations" 8) as plain functions over
//! the facts of one subscription: the browser explains them in the wizard, the server
//! enforces them when issuing.
use chrono::NaiveDate;

use super::{Eligibility, ExtensionFacts, RuleCheck};
use crate::validate::{MAX_SEATS, MIN_SEATS};
use crate::{AppError, FieldErrors};
use crate::{Deployment, LicenseKind, SubscriptionStatus};

/// Days the wizard proposes.
pub const DEFAULT_DAYS: i64 = 14;
/// Longest extension issued at once.
pub const FREE_DAYS: i64 = 21;
/// Longest extension at all (with a lead's approval).
pub const MAX_DAYS: i64 = 30;
/// A self-managed license must expire within this many days.
pub const LICENSE_WINDOW_DAYS: i64 = 15;
/// A SaaS subscription must end within this many days.
pub const SAAS_WINDOW_DAYS: i64 = 13;
/// Ended longer ago than this, it is a lapsed renewal rather than an extension.
pub const LAPSED_DAYS: i64 = 30;

/// Days of an extension. Over [`MAX_DAYS`] is refused outright.
pub fn days(value: i64) -> Result<i64, String> {
    match value {
        v if v < 1 => Err("Days must be at least 1.".into()),
        v if v > MAX_DAYS => Err(format!(
            "Over {MAX_DAYS} days is refused: a longer bridge is a renewal, not an extension."
        )),
        v => Ok(v),
    }
}

/// Users on the temporary license.
pub fn users_count(value: i64) -> Result<i64, String> {
    if (MIN_SEATS..=MAX_SEATS).contains(&value) {
        Ok(value)
    } else {
        Err(format!("Users must be between {MIN_SEATS} and 100 000."))
    }
}

/// A CRM opportunity id: 3–40 letters, digits, `-` or `_`.
pub fn opportunity_id(raw: &str) -> Result<String, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err("Enter the CRM opportunity id of the renewal.".into());
    }
    if !(3..=40).contains(&value.chars().count())
        || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(
            "An opportunity id has 3–40 letters, digits, - or _ (like 006Dn00000AbCdE).".into()
        );
    }
    Ok(value.to_string())
}

/// Why an extension of `days` needs a lead's approval, if it does.
pub fn approval(days: i64) -> Option<String> {
    (days > FREE_DAYS).then(|| {
        format!("Extensions over {FREE_DAYS} days need a lead's approval ({days} requested).")
    })
}

/// Field errors of a request, before any record is read.
pub fn field_errors(days_value: i64, users: i64, opportunity: &str) -> FieldErrors {
    let mut e = FieldErrors::new();
    if let Err(m) = days(days_value) {
        e.insert("days".into(), m);
    }
    if let Err(m) = users_count(users) {
        e.insert("users_count".into(), m);
    }
    if let Err(m) = opportunity_id(opportunity) {
        e.insert("opportunity_id".into(), m);
    }
    e
}

/// The day the subscription's current term ends: the license's expiry for
/// self-managed, the end date for SaaS.
pub fn term_end(facts: &ExtensionFacts) -> Option<NaiveDate> {
    if is_saas(facts) {
        Some(facts.subscription.end_date)
    } else {
        facts.license.as_ref().map(|l| l.expires_on)
    }
}

fn is_saas(facts: &ExtensionFacts) -> bool {
    facts.subscription.deployment == Deployment::Saas
}

fn check(rule: &str, label: &str, result: Result<String, (String, String)>) -> RuleCheck {
    let (passed, detail, instead) = match result {
        Ok(detail) => (true, detail, None),
        Err((detail, instead)) => (false, detail, Some(instead)),
    };
    RuleCheck { rule: rule.into(), label: label.into(), passed, detail, instead }
}

fn plural(n: i64, one: &str) -> String {
    if n.abs() == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// The rules, one by one, for `facts` on `on`.
pub fn eligibility(facts: ExtensionFacts, on: NaiveDate) -> Eligibility {
    let sub = &facts.subscription;
    let saas = is_saas(&facts);
    let mut rules = Vec::new();

    rules.push(check("status", "The subscription is not cancelled", match sub.status {
        SubscriptionStatus::Cancelled => Err((
            format!("{} was cancelled.", sub.number),
            "A cancelled subscription is not renewed: create a new subscription through the order process.".into(),
        )),
        _ => Ok(format!("{} is {}.", sub.number, sub.status)),
    }));

    let trial = if saas {
        match &facts.trial_namespace {
            Some(path) => Err((
                format!("Namespace {path} runs on a trial."),
                format!("Use the trial controls of {path} on the customer page to extend the trial instead."),
            )),
            None => Ok("No linked namespace runs a trial.".into()),
        }
    } else {
        match &facts.license {
            Some(l) if l.kind == LicenseKind::Trial => Err((
                "The current license is a trial license.".into(),
                "Extend the trial instead (trial controls), or convert it through the order process.".into(),
            )),
            _ => Ok("The subscription is paid, not a trial.".into()),
        }
    };
    rules.push(check("not_trial", "It is not a trial", trial));

    let (label, window) = if saas {
        (format!("The subscription ends within {SAAS_WINDOW_DAYS} days"), SAAS_WINDOW_DAYS)
    } else {
        (format!("Its license expires within {LICENSE_WINDOW_DAYS} days"), LICENSE_WINDOW_DAYS)
    };
    let what = if saas { "The subscription ends" } else { "The license expires" };
    let timing = match term_end(&facts) {
        None => Err((
            "The subscription has no current license.".into(),
            "Issue its standard license first (integrity finding “missing license”).".into(),
        )),
        Some(end) => {
            let left = (end - on).num_days();
            if left > window {
                Err((
                    format!("{what} on {end}, in {}.", plural(left, "day")),
                    format!(
                        "Nothing is blocked yet: an extension can be issued from {}.",
                        end - chrono::Duration::days(window)
                    ),
                ))
            } else if left < -LAPSED_DAYS {
                Err((
                    format!("{what} on {end}, {} ago.", plural(-left, "day")),
                    "That is a lapsed renewal, not a bridge: renew the subscription through the order process.".into(),
                ))
            } else if left < 0 {
                Ok(format!("{what} on {end}: ended {} ago.", plural(-left, "day")))
            } else {
                Ok(format!("{what} on {end}, in {}.", plural(left, "day")))
            }
        }
    };
    rules.push(check("window", &label, timing));

    rules.push(check("once_per_term", "No other temporary extension this term", match &facts.prior {
        Some(p) => Err((
            format!("A temporary extension was issued on {} (until {}).", p.issued_on, p.new_end),
            "Only one extension per term: a lead can renew the subscription, or ask the customer's account team.".into(),
        )),
        None => Ok(format!("None since the term started on {}.", sub.start_date)),
    }));

    let eligible = rules.iter().all(|r| r.passed);
    let suggested_users = sub.seats.max(facts.seats_in_use.unwrap_or(0));
    Eligibility { facts, on, rules, eligible, suggested_users }
}

/// What an extension of `days` from `on` issues: the new expiry (self-managed) or
/// end date (SaaS). It continues from the current end, or from `on` if that passed.
pub fn new_end(facts: &ExtensionFacts, days: i64, on: NaiveDate) -> Option<NaiveDate> {
    term_end(facts).map(|end| end.max(on) + chrono::Duration::days(days))
}

impl Eligibility {
    /// The failing rules as a 422: each under `rules.<rule>`.
    pub fn refusal(&self) -> Option<AppError> {
        let failing: Vec<_> = self.rules.iter().filter(|r| !r.passed).collect();
        if failing.is_empty() {
            return None;
        }
        let fields =
            failing.iter().map(|r| (format!("rules.{}", r.rule), r.detail.clone())).collect();
        let names: Vec<_> = failing.iter().map(|r| r.label.to_lowercase()).collect();
        Some(AppError::Validation {
            message: format!(
                "Not eligible for a temporary extension: fails “{}”.",
                names.join("”, “")
            ),
            fields,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CurrentLicense;
    use crate::PriorExtension;
    use crate::{Product, Subscription};
    use chrono::Duration;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const TODAY: &str = "2026-11-25";

    fn facts(deployment: &str, end_in: i64) -> ExtensionFacts {
        let deployment = Deployment::parse(deployment).unwrap();
        let today = d(TODAY);
        let end = today + Duration::days(end_in);
        let subscription = Subscription {
            id: 1,
            customer_id: 1,
            billing_account_id: 1,
            number: "A-S00000001".into(),
            product: Product::Premium,
            deployment,
            seats: 50,
            start_date: d("2025-12-01"),
            end_date: end,
            status: SubscriptionStatus::Active,
            auto_renew: false,
            version: 1,
            billing: None,
        };
        let license = (deployment == Deployment::SelfManaged).then(|| CurrentLicense {
            id: 1,
            kind: LicenseKind::Standard,
            users: 50,
            starts_on: d("2025-12-01"),
            expires_on: end,
        });
        let seats_in_use = (deployment == Deployment::Saas).then_some(62);
        ExtensionFacts {
            customer_name: "Acme".into(),
            subscription,
            license,
            trial_namespace: None,
            seats_in_use,
            prior: None,
        }
    }

    fn failing(f: ExtensionFacts) -> Vec<String> {
        eligibility(f, d(TODAY)).rules.into_iter().filter(|r| !r.passed).map(|r| r.rule).collect()
    }

    #[test]
    fn self_managed_license_must_expire_within_15_days() {
        assert!(failing(facts("self_managed", 15)).is_empty());
        assert_eq!(failing(facts("self_managed", 16)), ["window"]);
        assert!(failing(facts("self_managed", 0)).is_empty());
        assert!(
            failing(facts("self_managed", -30)).is_empty(),
            "just lapsed customers are blocked: eligible"
        );
        assert_eq!(failing(facts("self_managed", -31)), ["window"]);
        let mut none = facts("self_managed", 5);
        none.license = None;
        assert_eq!(failing(none), ["window"]);
    }

    #[test]
    fn saas_subscription_must_end_within_13_days() {
        assert!(failing(facts("saas", 13)).is_empty());
        assert_eq!(failing(facts("saas", 14)), ["window"]);
    }

    #[test]
    fn one_extension_per_term() {
        let mut f = facts("self_managed", 3);
        f.prior = Some(PriorExtension { issued_on: d("2026-11-20"), new_end: d("2026-12-10") });
        let e = eligibility(f, d(TODAY));
        assert!(!e.eligible);
        let rule = e.rules.iter().find(|r| r.rule == "once_per_term").unwrap();
        assert!(rule.detail.contains("2026-11-20") && rule.instead.is_some());
    }

    #[test]
    fn trials_and_cancellations_are_not_extended() {
        let mut f = facts("saas", 5);
        f.trial_namespace = Some("acme-group".into());
        let e = eligibility(f, d(TODAY));
        let rule = e.rules.iter().find(|r| r.rule == "not_trial").unwrap();
        assert!(
            !rule.passed
                && rule.instead.as_deref().unwrap().contains("trial controls of acme-group")
        );
        let mut f = facts("self_managed", 5);
        f.license.as_mut().unwrap().kind = LicenseKind::Trial;
        assert_eq!(failing(f), ["not_trial"]);
        let mut f = facts("saas", 5);
        f.subscription.status = SubscriptionStatus::Cancelled;
        assert_eq!(failing(f), ["status"]);
    }

    #[test]
    fn days_policy_and_review_numbers() {
        assert!(days(0).is_err() && days(31).is_err());
        assert_eq!(days(30), Ok(30));
        assert!(approval(21).is_none() && approval(22).is_some() && approval(30).is_some());
        let f = facts("saas", 5);
        assert_eq!(new_end(&f, 14, d(TODAY)), Some(d(TODAY) + Duration::days(19)));
        let lapsed = facts("self_managed", -3);
        assert_eq!(
            new_end(&lapsed, 14, d(TODAY)),
            Some(d(TODAY) + Duration::days(14)),
            "continues from today once lapsed"
        );
        assert_eq!(
            eligibility(facts("saas", 5), d(TODAY)).suggested_users,
            62,
            "seats in use exceed the 50 licensed"
        );
    }

    #[test]
    fn fields_are_named() {
        let e = field_errors(31, 0, "x");
        assert_eq!(e.keys().collect::<Vec<_>>(), ["days", "opportunity_id", "users_count"]);
        assert!(field_errors(14, 60, "006Dn00000AbCdE").is_empty());
        assert!(opportunity_id("opp 1").is_err());
    }
}
