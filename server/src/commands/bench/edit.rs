//! `server bench edit`: inline subscription edits through the operation code (plan,
//! version-checked update, activity event with its hash, commit), on subscriptions
//! spread over the data set. It changes data: run it on a benchmark database.
use std::time::Instant;

use app::auth::CurrentUser;
use app::domain::{EventSource, OpRequest, Operation, Role};
use app::ops::server::{execute, Actor};
use app::state::LicenseKey;
use app::store::Db;
use app::{on_db, AppError};

use super::percentiles;
use crate::startup::CmdResult;

/// Toggles auto-renew on `samples` active subscriptions, `rounds` times each after
/// one warm-up pass, and prints the latency of each whole operation.
pub async fn edit(db: &Db, key: &LicenseKey, samples: i64, rounds: usize) -> CmdResult {
    let actor = bench_actor(db).await?;
    let max: i64 =
        on_db!(db, |p| sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM subscriptions")
            .fetch_one(p)
            .await)?
        .ok_or_else(|| {
            AppError::BadRequest("the database has no subscriptions: seed it first".into())
        })?;
    let mut ids = Vec::new();
    for i in 0..samples {
        let around = 1 + (i * 7_919 * 131) % max;
        let id: Option<i64> = on_db!(db, |p| {
            sqlx::query_scalar(
            "SELECT id FROM subscriptions WHERE id >= $1 AND status = 'active' ORDER BY id LIMIT 1"
        ).bind(around).fetch_optional(p).await
        })?;
        ids.extend(id);
    }
    let today = app::store::today();
    let mut timings = Vec::new();
    for round in 0..=rounds {
        for id in &ids {
            let (version, auto_renew): (i64, bool) = on_db!(db, |p| sqlx::query_as(
                "SELECT version, auto_renew FROM subscriptions WHERE id = $1"
            )
            .bind(id)
            .fetch_one(p)
            .await)?;
            let op = Operation::EditSubscription {
                subscription_id: *id,
                version,
                seats: None,
                end_date: None,
                auto_renew: Some(!auto_renew),
                status: None,
            };
            let request = OpRequest::asked(op, "benchmark: toggle auto-renew".into(), None, None);
            let started = Instant::now();
            execute(db, key, &actor, &request, today).await?;
            if round > 0 {
                timings.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    let backend = format!("{:?}", db.backend()).to_lowercase();
    println!("inline edit incl. activity event ({backend}): {}", percentiles(timings));
    Ok(())
}

/// The first active admin, acting through the API.
pub(super) async fn bench_actor(db: &Db) -> Result<Actor, AppError> {
    let row: Option<(i64, String, String)> = on_db!(db, |p| {
        sqlx::query_as(
        "SELECT id, email, name FROM staff_users WHERE role = 'admin' AND active ORDER BY id LIMIT 1"
    ).fetch_optional(p).await
    })?;
    let (id, email, name) = row
        .ok_or_else(|| AppError::BadRequest("no active admin: seed the demo staff first".into()))?;
    Ok(Actor {
        user: CurrentUser { id, email, name, role: Role::Admin, single_sign_on: false },
        source: EventSource::Api,
    })
}
