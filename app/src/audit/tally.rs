//! Counts of the last [`WINDOW_DAYS`] days of events, kept in memory and brought up to
//! date from the events written since: the dashboard and the repeat interventions read
//! them without grouping a month of events on every request.
//!
//! Exact, not cached: events are only ever appended, their ids follow commit order (the
//! chain's writers are serialised), and time never runs backwards along them. So the
//! counts for ids below `high` never change, and a request adds what lies between
//! `high` and the newest id (usually nothing, or a handful). The whole window is counted
//! again when the day changes. A background task (`serve`) keeps it warm.
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use tokio::sync::Mutex;

use crate::audit::{query, ActivityFilter};
use crate::domain::Action;
use crate::store::Db;
use crate::{on_db, AppError};

/// Days counted, today included.
pub const WINDOW_DAYS: i64 = 30;

/// The window's counts.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub today: NaiveDate,
    pub from: NaiveDate,
    /// The window's first event id; events with ids in `[low, high)` are counted.
    pub low: i64,
    pub high: i64,
    pub per_day: BTreeMap<NaiveDate, i64>,
    pub by_action: HashMap<String, i64>,
    pub by_actor: HashMap<String, i64>,
    /// Changes to each customer's data ([`Action::changes_commercial_state`]) by action, for the
    /// customers with at least [`REPEAT_FLOOR`] of them.
    pub per_customer: HashMap<i64, BTreeMap<String, i64>>,
}

/// The counts, shared by every request of one server.
#[derive(Clone, Default)]
pub struct Tally(Arc<Mutex<Option<Arc<Counts>>>>);

impl Tally {
    /// The counts for the window ending `today`, up to the newest event.
    pub async fn current(&self, db: &Db, today: NaiveDate) -> Result<Arc<Counts>, AppError> {
        let mut held = self.0.lock().await;
        let newest = newest_id(db).await?;
        let counts = match held.as_ref() {
            Some(c) if c.today == today && c.high > newest => return Ok(c.clone()),
            Some(c) if c.today == today && newest + 1 - c.high <= MAX_DELTA => {
                let mut c = Counts::clone(c);
                c.add(db, newest + 1).await?;
                c
            }
            _ => Counts::count(db, today, WINDOW_DAYS, newest).await?,
        };
        let counts = Arc::new(counts);
        *held = Some(counts.clone());
        Ok(counts)
    }
}

async fn newest_id(db: &Db) -> Result<i64, AppError> {
    Ok(on_db!(db, |p| sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM activity_events")
        .fetch_one(p)
        .await)?)
}

#[derive(sqlx::FromRow)]
struct Group {
    day: String,
    action: String,
    actor_email: String,
    n: i64,
}

#[derive(sqlx::FromRow)]
struct CustomerGroup {
    customer_id: i64,
    action: String,
    n: i64,
}

/// Fewest changes in the window for a customer to be kept (and listed as a repeat).
pub const REPEAT_FLOOR: i64 = 2;
/// More new events than this are counted by counting the window again.
const MAX_DELTA: i64 = 20_000;

impl Counts {
    /// Counts the `days` ending `today`, up to event `newest` (the newest when `None`).
    pub async fn count(
        db: &Db,
        today: NaiveDate,
        days: i64,
        newest: impl Into<Option<i64>>,
    ) -> Result<Counts, AppError> {
        let newest = match newest.into() {
            Some(n) => n,
            None => newest_id(db).await?,
        };
        let from = today - Duration::days(days - 1);
        let window = ActivityFilter { from: Some(from), to: Some(today), ..Default::default() };
        let low = query::id_bounds(db, &window).await?.map_or(newest + 1, |(low, _)| low);
        let mut counts = Counts {
            today,
            from,
            low,
            high: low,
            per_day: (0..days).map(|d| (from + Duration::days(d), 0)).collect(),
            ..Default::default()
        };
        counts.add(db, newest + 1).await?;
        Ok(counts)
    }

    /// Adds the events with ids in `[self.high, high)`.
    async fn add(&mut self, db: &Db, high: i64) -> Result<(), AppError> {
        let low = self.high;
        if high <= low {
            return Ok(());
        }
        let day = db.utc_day("occurred_at");
        let sql = format!(
            "SELECT {day} AS day, action, actor_email, COUNT(*) AS n FROM activity_events
             WHERE id >= $1 AND id < $2 GROUP BY 1, 2, 3"
        );
        let groups: Vec<Group> = on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(low)
            .bind(high)
            .fetch_all(p)
            .await)?;
        for g in groups {
            if let Some(n) = NaiveDate::parse_from_str(&g.day, "%Y-%m-%d")
                .ok()
                .and_then(|d| self.per_day.get_mut(&d))
            {
                *n += g.n;
            }
            *self.by_action.entry(g.action).or_default() += g.n;
            *self.by_actor.entry(g.actor_email).or_default() += g.n;
        }
        self.recount_customers(db, low, high).await?;
        self.high = high;
        Ok(())
    }

    /// Brings the per-customer counts up to `high`: the customers the events
    /// `[low, high)` changed are counted again over the window (all of them, when
    /// counting from the window's start).
    async fn recount_customers(&mut self, db: &Db, low: i64, high: i64) -> Result<(), AppError> {
        let changes = Action::commercial().map(|a| format!("'{a}'")).collect::<Vec<_>>().join(", ");
        let (sql, touched) = if low == self.low {
            self.per_customer.clear();
            let sql = format!(
                "SELECT customer_id, action, COUNT(*) AS n FROM activity_events
                 WHERE id >= $1 AND id < $2 AND action IN ({changes}) AND customer_id IN (
                    SELECT customer_id FROM activity_events WHERE id >= $1 AND id < $2
                      AND customer_id IS NOT NULL AND action IN ({changes})
                    GROUP BY customer_id HAVING COUNT(*) >= {REPEAT_FLOOR})
                 GROUP BY customer_id, action"
            );
            (sql, Vec::new())
        } else {
            let sql = format!(
                "SELECT DISTINCT customer_id FROM activity_events
                 WHERE id >= $1 AND id < $2 AND customer_id IS NOT NULL AND action IN ({changes})"
            );
            let touched: Vec<i64> = on_db!(db, |p| sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(low)
                .bind(high)
                .fetch_all(p)
                .await)?;
            if touched.is_empty() {
                return Ok(());
            }
            let list = crate::store::dialect::placeholders(3, touched.len());
            let sql = format!(
                "SELECT customer_id, action, COUNT(*) AS n FROM activity_events
                 WHERE id >= $1 AND id < $2 AND action IN ({changes}) AND customer_id IN ({list})
                 GROUP BY customer_id, action"
            );
            for id in &touched {
                self.per_customer.remove(id);
            }
            (sql, touched)
        };
        let rows: Vec<CustomerGroup> = on_db!(db, |p| {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(self.low).bind(high);
            for id in &touched {
                q = q.bind(*id);
            }
            q.fetch_all(p).await
        })?;
        let mut fresh: HashMap<i64, BTreeMap<String, i64>> = HashMap::new();
        for r in rows {
            *fresh.entry(r.customer_id).or_default().entry(r.action).or_default() += r.n;
        }
        fresh.retain(|_, actions| actions.values().sum::<i64>() >= REPEAT_FLOOR);
        self.per_customer.extend(fresh);
        Ok(())
    }

    /// Customers with at least `min` changes in the window (`min` ≥ [`REPEAT_FLOOR`]),
    /// most first (ties by id).
    pub fn repeats(&self, min: i64) -> Vec<(i64, i64, &BTreeMap<String, i64>)> {
        let mut out: Vec<(i64, i64, &BTreeMap<String, i64>)> = self
            .per_customer
            .iter()
            .map(|(id, actions)| (*id, actions.values().sum::<i64>(), actions))
            .filter(|(_, n, _)| *n >= min.max(REPEAT_FLOOR))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}
