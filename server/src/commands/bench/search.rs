//! `server bench search`: replays a fixed query mix (exact identifiers, prefixes,
//! substrings, misses) against the configured database and prints server-side latency
//! percentiles for search and for loading the customer page.
use std::time::Instant;

use app::store::Db;
use app::{on_db, AppError};

use super::percentiles;
use crate::startup::CmdResult;

/// The kinds of query in the mix.
const CLASSES: [&str; 4] = ["exact", "prefix", "substring", "miss"];

async fn one(db: &Db, sql: &'static str, id: i64) -> Result<Option<String>, AppError> {
    Ok(on_db!(db, |p| sqlx::query_scalar::<_, String>(sql).bind(id).fetch_optional(p).await)?)
}

/// Builds the mix from records spread evenly over the data set.
async fn query_mix(db: &Db, samples: i64) -> Result<(Vec<(&'static str, String)>, i64), AppError> {
    let max: i64 =
        on_db!(db, |p| sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM customers")
            .fetch_one(p)
            .await)?
        .ok_or_else(|| {
            AppError::BadRequest("the database has no customers: seed it first".into())
        })?;
    let mut mix = Vec::new();
    for i in 0..samples {
        let id = 1 + (i * 7_919 * 131) % max;
        let email =
            one(db, "SELECT email FROM customers WHERE id = $1", id).await?.unwrap_or_default();
        let company =
            one(db, "SELECT company FROM customers WHERE id = $1", id).await?.unwrap_or_default();
        let name =
            one(db, "SELECT name FROM customers WHERE id = $1", id).await?.unwrap_or_default();
        let sub = one(
            db,
            "SELECT number FROM subscriptions WHERE customer_id = $1 ORDER BY id LIMIT 1",
            id,
        )
        .await?;
        let path =
            one(db, "SELECT path FROM namespaces WHERE customer_id = $1 ORDER BY id LIMIT 1", id)
                .await?;
        let key =
            one(db, "SELECT key FROM licenses WHERE customer_id = $1 ORDER BY id LIMIT 1", id)
                .await?;
        let local = email.split('@').next().unwrap_or("").to_string();
        mix.push(("exact", email.clone()));
        mix.push(("exact", id.to_string()));
        mix.extend(sub.iter().map(|s| ("exact", s.clone())));
        mix.extend(path.iter().map(|p| ("exact", p.clone())));
        mix.push(("prefix", local.chars().take(6).collect()));
        mix.extend(sub.iter().map(|s| ("prefix", s.chars().take(7).collect())));
        mix.extend(path.iter().map(|p| ("prefix", p.chars().take(5).collect())));
        mix.push(("substring", local.chars().skip(3).take(6).collect()));
        mix.push(("substring", company.split(' ').next_back().unwrap_or("").to_string()));
        mix.push(("substring", name.split(' ').next_back().unwrap_or("").to_string()));
        mix.extend(key.iter().map(|k| ("substring", k.chars().skip(6).take(5).collect())));
        mix.push(("miss", format!("zzqx{i}")));
        mix.push(("miss", format!("nobody{i}@nowhere.test")));
    }
    Ok((mix, max))
}

/// Runs the benchmark: `rounds` passes over the mix after one warm-up pass.
pub async fn search(db: &Db, samples: i64, rounds: usize) -> CmdResult {
    let today = app::store::today();
    let (mix, max) = query_mix(db, samples).await?;
    let backend = format!("{:?}", db.backend()).to_lowercase();
    for (_, q) in &mix {
        app::search::server::search(db, q, None, today).await?;
    }
    let mut by_class: Vec<(&str, f64)> = Vec::new();
    for _ in 0..rounds {
        for (class, q) in &mix {
            let started = Instant::now();
            app::search::server::search(db, q, None, today).await?;
            by_class.push((class, started.elapsed().as_secs_f64() * 1000.0));
        }
    }
    println!("search ({backend}): {}", percentiles(by_class.iter().map(|(_, ms)| *ms).collect()));
    for class in CLASSES {
        println!(
            "  {class:>9}: {}",
            percentiles(by_class.iter().filter(|(c, _)| *c == class).map(|(_, ms)| *ms).collect())
        );
    }
    let mut page = Vec::new();
    for round in 0..=rounds {
        for i in 0..samples {
            let id = 1 + (i * 104_729 + round as i64 * 15_485_863) % max;
            let started = Instant::now();
            match app::customer::server::load(db, id, today).await {
                Ok(_) | Err(AppError::NotFound(_)) => {}
                Err(e) => return Err(e.to_string().into()),
            }
            if round > 0 {
                page.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    println!("customer page data ({backend}): {}", percentiles(page));
    Ok(())
}
