//! Each integrity rule counted set-based in SQL over the whole database (one query per
//! rule, no query per row), on both backends.
use chrono::NaiveDate;

use crate::store::Db;
use crate::{on_db, AppError};

/// `(rule, query counting its findings)`, in DESIGN.md's order; `$1`, where a rule
/// uses it, is the day.
pub const RULES: [(&str, &str); 8] = [
    ("plan_mismatch", "SELECT COUNT(*) FROM namespaces n JOIN subscriptions s ON s.id = n.subscription_id
        WHERE s.status = 'active' AND n.plan <> s.product AND n.trial_plan IS NULL"),
    ("orphan_subscription", "SELECT COUNT(*) FROM subscriptions s WHERE s.status = 'active' AND s.deployment = 'saas'
        AND NOT EXISTS (SELECT 1 FROM namespaces n WHERE n.subscription_id = s.id)"),
    ("stale_paid_plan", "SELECT COUNT(*) FROM namespaces n JOIN subscriptions s ON s.id = n.subscription_id
        WHERE s.status <> 'active' AND n.plan <> 'free'"),
    ("double_link", "SELECT COUNT(*) FROM (SELECT subscription_id FROM namespaces WHERE subscription_id IS NOT NULL
        GROUP BY subscription_id HAVING COUNT(*) > 1) d"),
    ("expired_trial", "SELECT COUNT(*) FROM namespaces WHERE trial_ends_on < $1 AND plan = trial_plan"),
    ("missing_license", "SELECT COUNT(*) FROM subscriptions s WHERE s.status = 'active' AND s.deployment = 'self_managed'
        AND NOT EXISTS (SELECT 1 FROM licenses l WHERE l.subscription_id = s.id AND l.revoked_at IS NULL
            AND l.starts_on <= $1 AND l.expires_on >= $1)"),
    ("seat_overage", "SELECT COUNT(*) FROM namespaces n JOIN subscriptions s ON s.id = n.subscription_id
        WHERE s.status = 'active' AND n.seats_in_use > s.seats"),
    ("trial_on_paid", "SELECT COUNT(*) FROM namespaces n JOIN subscriptions s ON s.id = n.subscription_id
        WHERE s.status = 'active' AND n.trial_ends_on >= $1"),
];

/// Findings per rule on `today`, in [`RULES`] order.
pub async fn count_by_rule(db: &Db, today: NaiveDate) -> Result<Vec<(&'static str, i64)>, AppError> {
    let mut out = Vec::with_capacity(RULES.len());
    for (rule, sql) in RULES {
        let n: i64 = if sql.contains("$1") {
            on_db!(db, |p| sqlx::query_scalar(sql).bind(today).fetch_one(p).await)?
        } else {
            on_db!(db, |p| sqlx::query_scalar(sql).fetch_one(p).await)?
        };
        out.push((rule, n));
    }
    Ok(out)
}
