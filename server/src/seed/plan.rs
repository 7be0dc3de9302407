//! How much each size generates, and how many of each integrity anomaly it plants.
use crate::settings::Size;

/// Integrity rules (docs/PRODUCT.md "Integrity rules"), in a fixed order, with the
/// number planted per 200 customers (scaled up for larger sizes). Billing drift needs a
/// billing provider's values: the demo data plants none.
pub const RULES: [(&str, u64); 9] = [
    ("plan_mismatch", 3),
    ("orphan_subscription", 2),
    ("stale_paid_plan", 3),
    ("double_link", 2),
    ("expired_trial", 4),
    ("missing_license", 2),
    ("seat_overage", 3),
    ("trial_on_paid", 2),
    ("billing_drift", 0),
];

/// What one `seed` run generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub customers: u64,
    pub events: u64,
    /// Planted anomalies per rule are `RULES[i].1 * scale`.
    pub scale: u64,
}

impl Plan {
    pub fn for_size(size: Size) -> Plan {
        match size {
            Size::Small => Plan { customers: 200, events: 1_000, scale: 1 },
            Size::Demo => Plan { customers: 5_000, events: 25_000, scale: 10 },
            Size::Large => Plan { customers: 1_000_000, events: 5_000_000, scale: 200 },
        }
    }

    /// `(rule, count)` planted by this plan: what an integrity scan must find.
    pub fn planted(&self) -> Vec<(&'static str, u64)> {
        RULES.iter().map(|(rule, n)| (*rule, n * self.scale)).collect()
    }

    /// Number of customers that carry an anomaly (one each).
    pub fn anomalous_customers(&self) -> u64 {
        RULES.iter().map(|(_, n)| n * self.scale).sum()
    }

    /// The anomaly planted on customer `id`, if any. Anomalous customers are spread
    /// evenly through the id range, one rule each.
    pub fn anomaly_of(&self, id: u64) -> Option<&'static str> {
        let total = self.anomalous_customers();
        let stride = self.customers / total;
        if stride == 0 || (id - 1) % stride != stride / 2 {
            return None;
        }
        let mut slot = (id - 1) / stride;
        if slot >= total {
            return None;
        }
        for (rule, n) in RULES {
            let count = n * self.scale;
            if slot < count {
                return Some(rule);
            }
            slot -= count;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_planted_anomaly_has_a_customer() {
        for size in [Size::Small, Size::Demo] {
            let plan = Plan::for_size(size);
            for (rule, count) in plan.planted() {
                let found = (1..=plan.customers)
                    .filter(|id| plan.anomaly_of(*id) == Some(rule))
                    .count() as u64;
                assert_eq!(found, count, "{rule} in {size:?}");
            }
        }
    }
}
