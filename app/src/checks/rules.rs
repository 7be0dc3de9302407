//! Each rule as one set-based query (no query per row), the same text on SQLite and
//! PostgreSQL. Every query yields the same columns; its rule turns them into words.
//! `{today}` is the day the rule is checked on; `{scope}` is where a one-customer
//! check narrows the query (`AND <column> = <customer>`), empty for the whole database.
use chrono::NaiveDate;

use crate::domain::{Finding, Rule};
use crate::store::Tx;
use crate::{on_tx, AppError};

/// A rule's query, and the column its `{scope}` narrows by customer.
struct RuleSql {
    scope_column: &'static str,
    sql: &'static str,
}

/// The query of each rule.
fn query(rule: Rule) -> RuleSql {
    match rule {
        Rule::PlanMismatch => RuleSql {
            scope_column: "n.customer_id",
            sql: "SELECT n.customer_id, n.id AS target_id, CAST(NULL AS BIGINT) AS related_id, n.version, n.path AS record,
                n.plan AS a, s.number AS b, s.product AS c
            FROM namespaces n JOIN subscriptions s ON s.id = n.subscription_id
            WHERE s.status = 'active' AND n.plan <> s.product AND (n.trial_ends_on IS NULL OR n.trial_ends_on < {today}) {scope}",
        },
        Rule::OrphanSubscription => RuleSql {
            scope_column: "s.customer_id",
            sql: "SELECT s.customer_id, s.id AS target_id,
                (SELECT CASE WHEN COUNT(*) = 1 THEN MIN(u.id) END FROM namespaces u
                    WHERE u.customer_id = s.customer_id AND u.subscription_id IS NULL
                      AND (u.trial_ends_on IS NULL OR u.trial_ends_on < {today})) AS related_id,
                s.version, s.number AS record, s.product AS a, '' AS b, '' AS c
            FROM subscriptions s
            WHERE s.status = 'active' AND s.deployment = 'saas' {scope}
              AND NOT EXISTS (SELECT 1 FROM namespaces n WHERE n.subscription_id = s.id)",
        },
        Rule::StalePaidPlan => RuleSql {
            scope_column: "n.customer_id",
            sql: "SELECT n.customer_id, n.id AS target_id, CAST(NULL AS BIGINT) AS related_id, n.version, n.path AS record,
                n.plan AS a, s.number AS b, s.status AS c
            FROM namespaces n JOIN subscriptions s ON s.id = n.subscription_id
            WHERE s.status <> 'active' AND n.plan <> 'free' {scope}",
        },
        Rule::DoubleLink => RuleSql {
            scope_column: "customer_id",
            sql: "SELECT s.customer_id, s.id AS target_id, d.keep AS related_id, s.version, s.number AS record,
                CAST(d.links AS TEXT) AS a, '' AS b, '' AS c
            FROM (SELECT subscription_id, COUNT(*) AS links, MIN(id) AS keep FROM namespaces
                  WHERE subscription_id IS NOT NULL {scope} GROUP BY subscription_id HAVING COUNT(*) > 1) d
            JOIN subscriptions s ON s.id = d.subscription_id",
        },
        Rule::ExpiredTrial => RuleSql {
            scope_column: "customer_id",
            sql: "SELECT customer_id, id AS target_id, CAST(NULL AS BIGINT) AS related_id, version, path AS record,
                plan AS a, CAST(trial_ends_on AS TEXT) AS b, '' AS c
            FROM namespaces WHERE trial_ends_on < {today} AND plan = trial_plan {scope}",
        },
        Rule::MissingLicense => RuleSql {
            scope_column: "s.customer_id",
            sql: "SELECT s.customer_id, s.id AS target_id, CAST(NULL AS BIGINT) AS related_id, s.version, s.number AS record,
                s.product AS a, '' AS b, '' AS c
            FROM subscriptions s
            WHERE s.status = 'active' AND s.deployment = 'self_managed' {scope}
              AND NOT EXISTS (SELECT 1 FROM licenses l WHERE l.subscription_id = s.id AND l.revoked_at IS NULL
                  AND l.starts_on <= {today} AND l.expires_on >= {today})",
        },
        Rule::SeatOverage => RuleSql {
            scope_column: "n.customer_id",
            sql: "SELECT n.customer_id, n.id AS target_id, s.id AS related_id, n.version, n.path AS record,
                CAST(n.seats_in_use AS TEXT) AS a, s.number AS b, CAST(s.seats AS TEXT) AS c
            FROM namespaces n JOIN subscriptions s ON s.id = n.subscription_id
            WHERE s.status = 'active' AND n.seats_in_use > s.seats {scope}",
        },
        Rule::TrialOnPaid => RuleSql {
            scope_column: "n.customer_id",
            sql: "SELECT n.customer_id, n.id AS target_id, CAST(NULL AS BIGINT) AS related_id, n.version, n.path AS record,
                n.trial_plan AS a, s.number AS b, s.product AS c
            FROM namespaces n JOIN subscriptions s ON s.id = n.subscription_id
            WHERE s.status = 'active' AND n.trial_ends_on >= {today} {scope}",
        },
        // One finding per subscription with open drift, told by its oldest.
        Rule::BillingDrift => RuleSql {
            scope_column: "s.customer_id",
            sql: "SELECT s.customer_id, s.id AS target_id, d.id AS related_id, s.version, s.number AS record,
                d.field AS a, d.console_value AS b, d.provider_value AS c
            FROM billing_drift d JOIN subscriptions s ON s.id = d.record_id
            WHERE d.record_type = 'subscription' AND d.cleared_at IS NULL {scope}
              AND d.id = (SELECT MIN(x.id) FROM billing_drift x WHERE x.record_type = 'subscription'
                  AND x.record_id = d.record_id AND x.cleared_at IS NULL)",
        },
    }
}

/// One row of a rule's query.
#[derive(sqlx::FromRow)]
struct Row {
    customer_id: i64,
    target_id: i64,
    related_id: Option<i64>,
    version: i64,
    record: String,
    a: Option<String>,
    b: Option<String>,
    c: Option<String>,
}

/// The query of `rule` with its placeholders numbered (the day first, where the rule
/// uses it, then the customer), and whether it takes the day.
fn sql_of(q: &RuleSql, customer: bool) -> (String, bool) {
    let dated = q.sql.contains("{today}");
    let customer = customer.then_some(if dated { 2 } else { 1 });
    (filled(q, customer), dated)
}

/// The query of `q` with the day as `$1` and, narrowed to one customer, the customer as
/// placeholder `customer`.
fn filled(q: &RuleSql, customer: Option<usize>) -> String {
    let scope = customer.map(|n| format!("AND {} = ${n}", q.scope_column)).unwrap_or_default();
    q.sql.replace("{today}", "$1").replace("{scope}", &scope)
}

/// Every rule's findings on `today`, for one customer or (`None`) the whole database.
/// A customer's are one query (a change checks its customer twice, inside its
/// transaction: one round trip each, not one per rule); the whole database's, a query
/// per rule.
pub async fn find(
    tx: &mut Tx,
    customer: Option<i64>,
    today: NaiveDate,
) -> Result<Vec<Finding>, AppError> {
    let Some(customer) = customer else {
        let mut out = Vec::new();
        for rule in Rule::ALL {
            out.extend(find_rule(tx, *rule, None, today).await?);
        }
        return Ok(out);
    };
    let rows: Vec<RuledRow> = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(customer_sql()))
            .bind(today)
            .bind(customer)
            .fetch_all(c)
            .await
    })?;
    rows.into_iter()
        .map(|r| {
            let rule = usize::try_from(r.rule_no).ok().and_then(|i| Rule::ALL.get(i));
            let rule = rule.ok_or_else(|| AppError::internal(format!("no rule {}", r.rule_no)))?;
            Ok(finding(*rule, r.row))
        })
        .collect()
}

/// A row of [`customer_sql`]: which rule (its place in `Rule::ALL`) found it.
#[derive(sqlx::FromRow)]
struct RuledRow {
    rule_no: i64,
    #[sqlx(flatten)]
    row: Row,
}

/// Every rule's query for one customer (`$2`) on a day (`$1`), as one.
fn customer_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let parts: Vec<String> = Rule::ALL
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                let sql = filled(&query(*rule), Some(2));
                format!(
                    "SELECT CAST({i} AS BIGINT) AS rule_no, q.customer_id, q.target_id, q.related_id, q.version, \
                     q.record, q.a, q.b, q.c FROM ({sql}) q"
                )
            })
            .collect();
        parts.join("\nUNION ALL\n")
    })
}

/// One rule's findings (see [`find`]).
pub async fn find_rule(
    tx: &mut Tx,
    rule: Rule,
    customer: Option<i64>,
    today: NaiveDate,
) -> Result<Vec<Finding>, AppError> {
    let (sql, dated) = sql_of(&query(rule), customer.is_some());
    let rows: Vec<Row> = on_tx!(tx, |c| {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).persistent(false);
        if dated {
            query = query.bind(today);
        }
        if let Some(id) = customer {
            query = query.bind(id);
        }
        query.fetch_all(c).await
    })?;
    Ok(rows.into_iter().map(|r| finding(rule, r)).collect())
}

/// The finding a rule's row tells.
fn finding(rule: Rule, r: Row) -> Finding {
    let message = words(rule, &r);
    Finding {
        id: None,
        rule,
        target_type: rule.target_type(),
        target_id: r.target_id,
        customer_id: r.customer_id,
        customer_name: None,
        target_label: r.record.clone(),
        record: r.record,
        message,
        first_seen_at: None,
        related_id: r.related_id,
        version: Some(r.version),
        flagged_event: None,
    }
}

/// What is wrong, in plain words.
fn words(rule: Rule, r: &Row) -> String {
    let (rec, a, b, c) = (
        &r.record,
        r.a.as_deref().unwrap_or(""),
        r.b.as_deref().unwrap_or(""),
        r.c.as_deref().unwrap_or(""),
    );
    match rule {
        Rule::PlanMismatch => format!("{rec} is on the {a} plan but its subscription {b} is {c}."),
        Rule::OrphanSubscription => {
            format!("Active SaaS subscription {rec} ({a}) is linked to no namespace.")
        }
        Rule::StalePaidPlan => {
            format!("{rec} is still on {a} although its subscription {b} is {c}.")
        }
        Rule::DoubleLink => format!("Subscription {rec} is linked to {a} namespaces."),
        Rule::ExpiredTrial => format!(
            "{rec}'s trial ended on {} but the namespace is still on {a}.",
            &b[..b.len().min(10)]
        ),
        Rule::MissingLicense => {
            format!("Active self-managed subscription {rec} ({a}) has no current license.")
        }
        Rule::SeatOverage => format!("{rec} uses {a} seats; its subscription {b} has {c}."),
        Rule::TrialOnPaid => {
            format!("{rec} runs a trial of {a} on top of paid subscription {b} ({c}).")
        }
        Rule::BillingDrift => {
            let field = crate::domain::drift::BillingField::parse(a)
                .map_or(a.to_string(), |f| f.label().to_lowercase());
            let side = |v: &str| if v.is_empty() { "none".to_string() } else { v.to_string() };
            format!(
                "Subscription {rec} differs from the billing system on {field}: {} here, {} there.",
                side(b),
                side(c)
            )
        }
    }
}
