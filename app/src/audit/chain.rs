//! The tamper-evident chain: each event's hash covers a canonical encoding of its
//! fields and its predecessor's hash, so editing, deleting or reordering any stored
//! event breaks every hash after it.
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit::stored::StoredEvent;
use crate::audit::{BrokenLink, ChainReport, EventBody};
use crate::store::Db;
use crate::{on_db, AppError};

/// `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields that the hash covers, in a fixed order.
#[derive(Serialize)]
pub struct Canonical<'a> {
    pub id: i64,
    pub occurred_at: String,
    pub actor_id: Option<i64>,
    pub actor_email: &'a str,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: i64,
    pub customer_id: Option<i64>,
    pub reason: &'a str,
    pub ticket_url: Option<&'a str>,
    pub changes: &'a str,
    pub source: &'a str,
    pub approval_id: Option<i64>,
    pub prev_hash: &'a str,
    /// Left out when absent, so events written before requesters were recorded keep
    /// their hashes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requester: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requester_verdict: Option<&'a str>,
}

/// The text form of a timestamp inside the canonical encoding (microseconds, UTC).
pub fn timestamp_text(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

impl<'a> Canonical<'a> {
    /// The encoding of an event: its id and time, its body, its changes and source as
    /// they are (or will be) stored, and the hash of the event before it.
    pub fn of(
        id: i64,
        occurred_at: DateTime<Utc>,
        body: &'a EventBody,
        changes: &'a str,
        source: &'a str,
        prev_hash: &'a str,
    ) -> Canonical<'a> {
        Canonical {
            id,
            occurred_at: timestamp_text(occurred_at),
            actor_id: body.actor_id,
            actor_email: &body.actor_email,
            action: body.action.as_str(),
            target_type: body.target_type.as_str(),
            target_id: body.target_id,
            customer_id: body.customer_id,
            reason: &body.reason,
            ticket_url: body.ticket_url.as_deref(),
            changes,
            source,
            approval_id: body.approval_id,
            prev_hash,
            requester: body.requester.as_deref(),
            requester_verdict: body.requester_verdict.map(|v| v.as_str()),
        }
    }

    /// SHA-256 of the canonical JSON encoding, as hex.
    pub fn hash(&self) -> String {
        let encoded = serde_json::to_vec(self).expect("canonical event encodes");
        hex::encode(Sha256::digest(&encoded))
    }
}

/// Checks one stored event against its predecessor's hash.
fn check(event: &StoredEvent, expected_prev: &str, expected_id: i64) -> Option<String> {
    if event.event.id != expected_id {
        return Some(format!(
            "expected event {expected_id} next, found {}: an event is missing",
            event.event.id
        ));
    }
    if event.prev_hash != expected_prev {
        return Some("its link to the previous event does not match: an event before it was changed, removed or reordered".into());
    }
    if event.canonical().hash() != event.hash {
        return Some("its contents do not match its hash: the event was edited".into());
    }
    None
}

/// Walks every event in chain order, streaming, and reports the first break.
pub async fn verify(db: &Db) -> Result<ChainReport, AppError> {
    Ok(walk(db, &Verified::default()).await?.0)
}

/// How far a walk got: the events checked and the last one's id and hash.
#[derive(Debug, Clone)]
struct Verified {
    checked: u64,
    last_id: i64,
    last_hash: String,
}

impl Default for Verified {
    fn default() -> Self {
        Verified { checked: 0, last_id: 0, last_hash: GENESIS.to_string() }
    }
}

/// Walks the events after `from` (which is taken as verified), streaming.
async fn walk(db: &Db, from: &Verified) -> Result<(ChainReport, Verified), AppError> {
    let sql = format!(
        "SELECT {} FROM activity_events WHERE id > $1 ORDER BY id",
        crate::audit::stored::COLUMNS
    );
    let mut at = from.clone();
    on_db!(db, |p| {
        let mut rows =
            sqlx::query_as::<_, StoredEvent>(sqlx::AssertSqlSafe(sql)).bind(from.last_id).fetch(p);
        while let Some(event) = rows.try_next().await? {
            if let Some(problem) = check(&event, &at.last_hash, at.last_id + 1) {
                let broken = Some(BrokenLink { id: event.event.id, problem });
                return Ok((
                    ChainReport {
                        holds: false,
                        checked: at.checked,
                        first_broken: broken,
                        verified_at: crate::store::now(),
                        checkpoint: None,
                    },
                    at,
                ));
            }
            at = Verified {
                checked: at.checked + 1,
                last_id: event.event.id,
                last_hash: event.hash,
            };
        }
    });
    Ok((
        ChainReport {
            holds: true,
            checked: at.checked,
            first_broken: None,
            verified_at: crate::store::now(),
            checkpoint: None,
        },
        at,
    ))
}

/// The timeline badge's verification, shared by the server's requests: at most one
/// walk at a time, repeated at most once a minute. Between full walks (hourly) only
/// the events appended since the last walk are checked, against its last hash, so a
/// busy console does not re-hash millions of events every minute.
#[derive(Clone, Default)]
pub struct ChainCache(std::sync::Arc<tokio::sync::Mutex<Option<Cached>>>);

struct Cached {
    report: ChainReport,
    verified: Verified,
    full_walk_at: chrono::DateTime<chrono::Utc>,
}

impl ChainCache {
    /// A report no older than `max_age`.
    pub async fn report(
        &self,
        db: &Db,
        max_age: chrono::Duration,
    ) -> Result<ChainReport, AppError> {
        let mut cached = self.0.lock().await;
        Ok(refresh(&mut cached, db, max_age).await?.report.clone())
    }

    /// Starts from a head verified earlier (a signed checkpoint that still holds) when
    /// nothing was walked yet: the next check walks only the events after it, and the
    /// whole chain is walked again within the hour.
    pub async fn resume(&self, checked: u64, last_id: i64, last_hash: String) {
        let mut cached = self.0.lock().await;
        if cached.is_none() {
            let now = crate::store::now();
            let report = ChainReport {
                holds: true,
                checked,
                first_broken: None,
                // Stale at once, so the next report walks on from here.
                verified_at: now - chrono::Duration::days(1),
                checkpoint: None,
            };
            let verified = Verified { checked, last_id, last_hash };
            *cached = Some(Cached { report, verified, full_walk_at: now });
        }
    }

    /// A report checked just now (incrementally), and the newest verified event's id
    /// and hash when it holds: what a checkpoint signs.
    pub async fn verified_head(
        &self,
        db: &Db,
    ) -> Result<(ChainReport, Option<(i64, String)>), AppError> {
        let mut cached = self.0.lock().await;
        let c = refresh(&mut cached, db, chrono::Duration::zero()).await?;
        let head = (c.report.holds && c.verified.last_id > 0)
            .then(|| (c.verified.last_id, c.verified.last_hash.clone()));
        Ok((c.report.clone(), head))
    }
}

/// The cached walk, brought up to date unless it is younger than `max_age`.
async fn refresh<'c>(
    cached: &'c mut Option<Cached>,
    db: &Db,
    max_age: chrono::Duration,
) -> Result<&'c Cached, AppError> {
    let now = crate::store::now();
    let fresh = cached.as_ref().is_some_and(|c| now - c.report.verified_at < max_age);
    if !fresh {
        let (report, verified, full_walk_at) = match cached.as_ref() {
            Some(c) if c.report.holds && now - c.full_walk_at < chrono::Duration::hours(1) => {
                let (report, verified) = match still_there(db, &c.verified).await? {
                    Some(gone) => (gone, c.verified.clone()),
                    None => walk(db, &c.verified).await?,
                };
                (report, verified, c.full_walk_at)
            }
            _ => {
                let (report, verified) = walk(db, &Verified::default()).await?;
                (report, verified, now)
            }
        };
        *cached = Some(Cached { report, verified, full_walk_at });
    }
    cached.as_ref().ok_or_else(|| AppError::internal("the chain cache is empty after a walk"))
}

/// The hash stored with event `id`, if the event exists.
pub async fn stored_hash(db: &Db, id: i64) -> Result<Option<String>, AppError> {
    Ok(on_db!(db, |p| {
        sqlx::query_scalar("SELECT hash FROM activity_events WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await
    })?)
}

/// A break when the newest event a walk verified is gone or changed (the newest events
/// deleted, or rewritten): walking on from it would find nothing new and say the chain
/// holds.
async fn still_there(db: &Db, verified: &Verified) -> Result<Option<ChainReport>, AppError> {
    if verified.last_id == 0 {
        return Ok(None);
    }
    let hash = stored_hash(db, verified.last_id).await?;
    if hash.as_deref() == Some(verified.last_hash.as_str()) {
        return Ok(None);
    }
    let problem = match hash {
        None => "verified before, now missing: the newest events were deleted",
        Some(_) => "verified before, now with another hash: it was rewritten",
    };
    Ok(Some(ChainReport {
        holds: false,
        checked: verified.checked.saturating_sub(1),
        first_broken: Some(BrokenLink { id: verified.last_id, problem: problem.into() }),
        verified_at: crate::store::now(),
        checkpoint: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(reason: &str) -> String {
        canonical(reason, None).hash()
    }

    fn canonical<'a>(reason: &'a str, requester: Option<&'a str>) -> Canonical<'a> {
        Canonical {
            id: 1,
            occurred_at: "2026-01-01T00:00:00.000000Z".into(),
            actor_id: Some(1),
            actor_email: "lead@example.com",
            action: "staff.create",
            target_type: "staff_user",
            target_id: 2,
            customer_id: None,
            reason,
            ticket_url: None,
            changes: "{}",
            source: "console",
            approval_id: None,
            prev_hash: GENESIS,
            requester,
            requester_verdict: requester.map(|_| "owner"),
        }
    }

    #[test]
    fn any_field_change_changes_the_hash() {
        assert_eq!(sample("a"), sample("a"));
        assert_ne!(sample("a"), sample("b"));
        assert_eq!(sample("a").len(), 64);
        assert_ne!(canonical("a", Some("ann@acme.test")).hash(), sample("a"));
    }

    /// Events recorded before requesters were recorded encode (and hash) as they did:
    /// the encoding ends at `prev_hash` when nobody is named.
    #[test]
    fn events_without_a_requester_keep_their_encoding() {
        let old = serde_json::to_string(&canonical("a", None)).unwrap();
        assert!(old.ends_with(&format!("\"prev_hash\":\"{GENESIS}\"}}")), "{old}");
        let new = serde_json::to_string(&canonical("a", Some("ann@acme.test"))).unwrap();
        assert!(
            new.ends_with("\"requester\":\"ann@acme.test\",\"requester_verdict\":\"owner\"}"),
            "{new}"
        );
    }
}
