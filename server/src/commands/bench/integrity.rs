//! `server bench integrity`: each rule's set-based query over the whole database, the
//! full scan (every rule, then storing what it found), one customer's check as every
//! operation runs it, and the integrity page's list.
use std::time::Instant;

use app::checks::{rules, scan};
use app::domain::Rule;
use app::integrity::IntegrityFilter;
use app::store::{today, Db};
use app::{on_db, AppError};

use super::percentiles;
use crate::startup::CmdResult;

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

pub async fn integrity(db: &Db, samples: i64, rounds: usize) -> CmdResult {
    let backend = format!("{:?}", db.backend()).to_lowercase();
    let day = today();
    println!("integrity on {backend}, {rounds} rounds (after one warm-up)");
    for rule in Rule::ALL {
        let mut times = Vec::new();
        let mut found = 0;
        for round in 0..=rounds {
            let mut tx = db.begin_read().await?;
            let started = Instant::now();
            found = rules::find_rule(&mut tx, *rule, None, day).await?.len();
            if round > 0 {
                times.push(ms(started));
            }
            tx.rollback().await?;
        }
        println!("  rule {:<20} {found:>6} found  {}", rule.as_str(), percentiles(times));
    }
    let mut scans = Vec::new();
    for round in 0..=rounds {
        let summary = scan::run(db, day, "bench")
            .await?
            .ok_or_else(|| AppError::Conflict("another instance is scanning".into()))?;
        if round > 0 {
            scans.push(summary.duration_ms as f64);
        }
        println!(
            "  scan {round}: {} findings, {} opened, {} resolved, {} ms",
            summary.found, summary.opened, summary.resolved, summary.duration_ms
        );
    }
    println!("full scan (every rule, stored)  {}", percentiles(scans));

    let max: i64 =
        on_db!(db, |p| sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM customers")
            .fetch_one(p)
            .await)?;
    let step = (max / samples.max(1)).max(1);
    let mut one = Vec::new();
    for round in 0..=rounds {
        for i in 0..samples {
            let customer = 1 + i * step;
            let mut tx = db.begin_read().await?;
            let started = Instant::now();
            rules::find(&mut tx, Some(customer), day).await?;
            if round > 0 {
                one.push(ms(started));
            }
            tx.rollback().await?;
        }
    }
    println!(
        "one customer, every rule (the operations' guard runs this twice)  {}",
        percentiles(one)
    );
    let mut pages = Vec::new();
    for round in 0..=rounds {
        for rule in [None].into_iter().chain(Rule::ALL.iter().map(|r| Some(r.to_string()))) {
            let started = Instant::now();
            app::integrity::server::report(db, &IntegrityFilter { rule, customer_id: None }, None)
                .await?;
            if round > 0 {
                pages.push(ms(started));
            }
        }
    }
    println!("integrity page (counts + 50 findings), each rule and none  {}", percentiles(pages));
    Ok(())
}
