//! A trace nobody can quietly remove: the database refuses to change or delete activity
//! events, and the signed checkpoints kept outside it catch a history cut short or
//! rewritten behind that guard, through `server audit verify` and the timeline's badge.
use crate::common;

use app::audit::{chain, checkpoint, record};
use app::domain::{Action, TargetType};
use common::fixture::system_event;
use common::process::command;
use common::TestDb;

async fn append(t: &TestDb, n: i64) {
    for i in 0..n {
        let mut tx = t.db.begin().await.unwrap();
        record(&mut tx, system_event(Action::CreateStaff, TargetType::StaffUser, 100 + i))
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
}

/// The refusal of one statement, as text (empty when it went through).
async fn refusal(t: &TestDb, sql: &'static str) -> String {
    match t.db.execute(sql).await {
        Ok(_) => String::new(),
        Err(e) => e.to_string(),
    }
}

async fn the_database_refuses_to_change_or_delete_events(t: &TestDb) {
    append(t, 3).await;
    for sql in [
        "UPDATE activity_events SET reason = 'nothing to see' WHERE id = 2",
        "DELETE FROM activity_events WHERE id = 3",
        "DELETE FROM activity_events",
    ] {
        assert!(refusal(t, sql).await.contains("append-only"), "{sql} went through");
    }
    if matches!(t.db, app::store::Db::Postgres(_)) {
        assert!(refusal(t, "TRUNCATE activity_events CASCADE").await.contains("append-only"));
    }
    assert_eq!(t.scalar("SELECT COUNT(*) FROM activity_events").await, 3);
    assert!(chain::verify(&t.db).await.unwrap().holds);
    // Appending still works, and so does a full reset by `seed --force`'s wipe.
    append(t, 1).await;
    assert_eq!(t.scalar("SELECT COUNT(*) FROM activity_events").await, 4);
}

/// The chain alone cannot tell that its newest events were deleted; the newest signed
/// checkpoint can, and `server audit verify` fails on it.
async fn a_history_cut_short_fails_verification(t: &TestDb) {
    append(t, 5).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("audit-checkpoints.jsonl");
    let key_file = dir.path().join("license-signing.key");
    let key = app::state::LicenseKey::generate();
    std::fs::write(&key_file, key.to_file_text()).unwrap();
    let cache = chain::ChainCache::default();
    let first = checkpoint::write(&t.db, &cache, &file, &key).await.unwrap().expect("a checkpoint");
    assert_eq!(first.event_id, 5);
    assert!(
        checkpoint::write(&t.db, &cache, &file, &key).await.unwrap().is_none(),
        "no new events"
    );
    append(t, 2).await;
    let cli = |args: &[&str]| {
        command(dir.path(), Some(&t.url))
            .args(args)
            .env("FC_LICENSE_KEY_FILE", &key_file)
            .output()
            .unwrap()
    };
    let signed = cli(&["audit", "checkpoint"]);
    assert!(signed.status.success(), "{}", String::from_utf8_lossy(&signed.stderr));
    assert!(String::from_utf8_lossy(&signed.stdout).contains("event 7"));
    // A new process walked on from the checkpoint of event 5 and counted all 7.
    assert_eq!(checkpoint::newest(&file).unwrap().unwrap().events, 7);
    let holds = cli(&["audit", "verify"]);
    assert!(holds.status.success(), "{}", String::from_utf8_lossy(&holds.stderr));
    assert!(String::from_utf8_lossy(&holds.stdout).contains("checkpoint holds: event 7"));

    // Someone with the schema owner's rights lifts the guard and deletes the newest events.
    common::tamper(&t.db, "DELETE FROM activity_events WHERE id >= 6").await;
    let walked = chain::verify(&t.db).await.unwrap();
    assert!(walked.holds && walked.checked == 5, "the chain alone still holds: {walked:?}");
    let status = checkpoint::check(&t.db, &file, &key).await.unwrap().unwrap();
    assert!(
        !status.holds && status.problem.as_deref().unwrap().contains("cut short"),
        "{status:?}"
    );
    let fails = cli(&["audit", "verify"]);
    assert!(!fails.status.success());
    let said = String::from_utf8_lossy(&fails.stderr);
    assert!(said.contains("event 7") && said.contains("cut short"), "{said}");

    // Nothing signs over the cut: a new checkpoint is refused, even after new events.
    append(t, 1).await;
    let fresh = chain::ChainCache::default();
    assert!(checkpoint::write(&t.db, &fresh, &file, &key).await.is_err());
    assert_eq!(checkpoint::newest(&file).unwrap().unwrap().event_id, 7);

    // A checkpoint file edited to match is caught by its signature.
    let forged =
        std::fs::read_to_string(&file).unwrap().replace("\"event_id\":7", "\"event_id\":5");
    std::fs::write(&file, forged).unwrap();
    let status = checkpoint::check(&t.db, &file, &key).await.unwrap().unwrap();
    assert!(
        !status.holds && status.problem.as_deref().unwrap().contains("signature"),
        "{status:?}"
    );
}

on_both_backends!(
    the_database_refuses_to_change_or_delete_events,
    a_history_cut_short_fails_verification,
);
