//! The wizard's state, kept whole in its URL: each step has its own address, and
//! back, forward and reload find what was entered.
use crate::url::{percent_encode, COMPONENT};

/// The steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Customer,
    Subscription,
    Eligibility,
    Details,
    Justify,
    Review,
    Result,
}

pub const STEPS: [Step; 7] = [
    Step::Customer,
    Step::Subscription,
    Step::Eligibility,
    Step::Details,
    Step::Justify,
    Step::Review,
    Step::Result,
];

impl Step {
    pub fn slug(self) -> &'static str {
        match self {
            Step::Customer => "customer",
            Step::Subscription => "subscription",
            Step::Eligibility => "eligibility",
            Step::Details => "details",
            Step::Justify => "reason",
            Step::Review => "review",
            Step::Result => "result",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Step::Customer => "Customer",
            Step::Subscription => "Subscription",
            Step::Eligibility => "Eligibility",
            Step::Details => "Days and users",
            Step::Justify => "Reason",
            Step::Review => "Review",
            Step::Result => "Result",
        }
    }

    pub fn parse(slug: &str) -> Step {
        STEPS.iter().copied().find(|s| s.slug() == slug).unwrap_or(Step::Customer)
    }

    pub fn index(self) -> usize {
        STEPS.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// What has been entered so far. Numbers stay text until they are checked, so a
/// half-typed value survives a reload as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub q: String,
    pub customer: Option<i64>,
    pub subscription: Option<i64>,
    pub days: String,
    pub users: String,
    pub reason: String,
    pub opportunity: String,
    /// Email of the person at the customer who asked (optional for sales).
    pub requester: String,
    /// The result: a license, an approval request, or a SaaS end date.
    pub license: Option<i64>,
    pub approval: Option<i64>,
    pub until: String,
}

const KEYS: [&str; 11] = [
    "q",
    "customer",
    "subscription",
    "days",
    "users",
    "reason",
    "opportunity",
    "requester",
    "license",
    "approval",
    "until",
];

impl Draft {
    /// Reads the draft from its URL's query parameters (`get` returns a key's value).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Draft {
        let text = |k: &str| get(k).unwrap_or_default();
        let id = |k: &str| get(k).and_then(|v| v.parse().ok());
        Draft {
            q: text("q"),
            customer: id("customer"),
            subscription: id("subscription"),
            days: text("days"),
            users: text("users"),
            reason: text("reason"),
            opportunity: text("opportunity"),
            requester: text("requester"),
            license: id("license"),
            approval: id("approval"),
            until: text("until"),
        }
    }

    fn value(&self, key: &str) -> String {
        let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        match key {
            "q" => self.q.clone(),
            "customer" => id(self.customer),
            "subscription" => id(self.subscription),
            "days" => self.days.clone(),
            "users" => self.users.clone(),
            "reason" => self.reason.clone(),
            "opportunity" => self.opportunity.clone(),
            "requester" => self.requester.clone(),
            "license" => id(self.license),
            "approval" => id(self.approval),
            _ => self.until.clone(),
        }
    }

    /// The address of `step` with this draft.
    pub fn url(&self, step: Step) -> String {
        let mut out = format!("/extensions/new?step={}", step.slug());
        for key in KEYS {
            let v = self.value(key);
            if !v.is_empty() {
                out.push_str(&format!("&{key}={}", percent_encode(&v, COMPONENT)));
            }
        }
        out
    }

    /// The furthest step this draft can be on: later steps need what earlier ones set.
    pub fn reachable(&self, wanted: Step) -> Step {
        let needed = if self.customer.is_none() && self.subscription.is_none() {
            Step::Customer
        } else if self.subscription.is_none() {
            Step::Subscription
        } else {
            Step::Result
        };
        if wanted.index() <= needed.index() {
            wanted
        } else {
            needed
        }
    }

    /// The wizard at the eligibility of one subscription.
    pub fn eligibility_href(customer_id: i64, subscription_id: i64) -> String {
        Draft {
            customer: Some(customer_id),
            subscription: Some(subscription_id),
            ..Draft::default()
        }
        .url(Step::Eligibility)
    }

    /// Forgets the result (for a new request after going back).
    pub fn without_result(mut self) -> Draft {
        self.license = None;
        self.approval = None;
        self.until.clear();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_survives_its_url() {
        let draft = Draft {
            q: "acme & co".into(),
            customer: Some(17),
            subscription: Some(42),
            days: "14".into(),
            users: "6x".into(),
            reason: "Renewal PO stuck in procurement: 2 weeks".into(),
            opportunity: "006Dn00000AbCdE".into(),
            requester: "buyer@acme.example".into(),
            ..Draft::default()
        };
        let url = draft.url(Step::Justify);
        let query = url.split_once('?').unwrap().1;
        let map: std::collections::HashMap<String, String> = query
            .split('&')
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap();
                (k.to_string(), crate::url::percent_decode(v).unwrap())
            })
            .collect();
        assert_eq!(Step::parse(&map["step"]), Step::Justify);
        assert_eq!(Draft::from_query(|k| map.get(k).cloned()), draft);
    }

    #[test]
    fn steps_wait_for_what_they_need() {
        let empty = Draft::default();
        assert_eq!(empty.reachable(Step::Review), Step::Customer);
        let customer = Draft { customer: Some(1), ..Draft::default() };
        assert_eq!(customer.reachable(Step::Eligibility), Step::Subscription);
        let sub = Draft { subscription: Some(5), ..Draft::default() };
        assert_eq!(sub.reachable(Step::Review), Step::Review);
    }
}
