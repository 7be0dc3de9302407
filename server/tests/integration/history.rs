//! The generated history adds up: every record's changes chain field by field and end
//! at the record's current value, weekdays are busier than weekends, reasons fit, and
//! "state as of" and undo work on seeded events.
use std::collections::BTreeMap;

use crate::common;

use app::activity::server::as_of::state_as_of;
use app::domain::Role;
use chrono::{DateTime, Datelike, Duration, Utc, Weekday};
use common::fixture;
use common::{TestApp, TestDb};
use serde_json::{json, Value};
use server::seed;
use server::settings::{SeedArgs, Size};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    action: String,
    target_type: String,
    target_id: i64,
    reason: String,
    changes: String,
    occurred_at: DateTime<Utc>,
}

/// One change of one field: the event, when, and `[old, new]`.
type Link = (i64, DateTime<Utc>, Value, Value);

async fn the_seeded_history_chains_to_the_current_records(t: &TestDb) {
    let args = SeedArgs {
        size: Size::Small,
        seed: 5,
        today: Some(fixture::today()),
        force: false,
        quiet: true,
    };
    seed::run(&t.db, &args).await.unwrap();
    let rows: Vec<Row> = app::on_db!(&t.db, |p| sqlx::query_as(
        "SELECT id, action, target_type, target_id, reason, changes, occurred_at FROM activity_events ORDER BY id"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    assert_eq!(rows.len(), 1_000);

    // Each (record, field) in order: a chain of [old, new].
    let mut chains: BTreeMap<(String, i64, String), Vec<Link>> = BTreeMap::new();
    let mut weekday = [0usize; 7];
    for r in &rows {
        weekday[r.occurred_at.weekday().num_days_from_monday() as usize] += 1;
        let changes: BTreeMap<String, [Value; 2]> = serde_json::from_str(&r.changes).unwrap();
        for (key, [old, new]) in changes {
            if key.starts_with("extension.") {
                continue;
            }
            assert_ne!(old, new, "event {} changes nothing: {}", r.id, r.changes);
            let field = key.rsplit('.').next().unwrap().to_string();
            chains.entry((r.target_type.clone(), r.target_id, field)).or_default().push((
                r.id,
                r.occurred_at,
                old,
                new,
            ));
        }
        let fits = match r.action.as_str() {
            "trial.extend" => r.reason.contains("Trial"),
            "namespace.compute_minutes" => {
                r.reason.contains("inutes") || r.reason.contains("grant")
            }
            "extension.issue" => r.reason.contains("xtension"),
            "namespace.reset_max_seats" => r.reason.contains("eset"),
            "namespace.update_plan" => r.reason.contains("Plan"),
            "subscription.edit" => ["eats", "enew"].iter().any(|w| r.reason.contains(w)),
            other => panic!("unexpected seeded action {other}"),
        };
        assert!(fits, "event {}: {:?} does not fit {}", r.id, r.reason, r.action);
    }
    assert!(chains.values().any(|c| c.len() >= 2), "some record changed more than once");
    let now = Utc::now() + Duration::days(1);
    for ((kind, id, field), links) in &chains {
        for pair in links.windows(2) {
            assert_eq!(
                pair[0].3, pair[1].2,
                "{kind} {id} {field}: event {} does not start where {} ended",
                pair[1].0, pair[0].0
            );
        }
        let state = state_as_of(&t.db, kind, *id, now).await.unwrap();
        let current = state.fields.iter().find(|f| f.name == *field).unwrap().now.clone();
        assert_eq!(links.last().unwrap().3, current, "{kind} {id} {field} ends elsewhere");
    }

    // Weekdays are busier than weekends, per day.
    let weekdays = weekday[..5].iter().sum::<usize>() as f64 / 5.0;
    let weekends = weekday[5..].iter().sum::<usize>() as f64 / 2.0;
    assert!(weekdays > 2.0 * weekends, "{weekday:?}");
    assert_eq!(Weekday::Mon.num_days_from_monday(), 0);

    // "State as of" just before a record's last change shows the value it replaced;
    // before its first change, the first old value.
    let ((kind, id, field), links) =
        chains.iter().find(|(_, links)| links.len() >= 2).expect("a record changed twice");
    let value_at = |at: DateTime<Utc>| async move {
        let state = state_as_of(&t.db, kind, *id, at).await.unwrap();
        state.fields.iter().find(|f| f.name == *field).unwrap().then.clone()
    };
    let last = links.last().unwrap();
    assert_eq!(value_at(last.1 - Duration::microseconds(1)).await, last.2);
    let first = &links[0];
    assert_eq!(value_at(first.1 - Duration::microseconds(1)).await, first.2);

    // Undo of the newest seeded change to a subscription's auto-renew or seats restores
    // the value it replaced.
    let app = TestApp::spawn(t).await;
    let (_, lead) = fixture::staff_token_named(&t.db, Role::Lead, "history-lead").await;
    let ((_, sub, field), links) = chains
        .iter()
        .filter(|((kind, _, field), _)| kind == "subscription" && field == "auto_renew")
        .max_by_key(|(_, links)| links.last().unwrap().0)
        .expect("an auto-renew change");
    let (event, _, old, _) = links.last().unwrap();
    let (status, out) = app
        .call(
            "POST",
            &format!("/activity/{event}/undo"),
            &lead,
            Some(json!({"reason": "customer changed their mind"})),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    let state = state_as_of(&t.db, "subscription", *sub, now).await.unwrap();
    assert_eq!(&state.fields.iter().find(|f| f.name == *field).unwrap().now, old);
}

on_both_backends!(the_seeded_history_chains_to_the_current_records);
