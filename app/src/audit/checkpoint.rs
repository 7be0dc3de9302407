//! Signed checkpoints of the activity chain, kept outside the database. The chain proves
//! the order of the events it holds, but not where it ended: deleting the newest events
//! leaves a chain that still holds. So the server regularly signs the chain's head (the
//! newest verified event's id and hash) with its key and appends it to a file in the
//! data directory (and to the log). A database whose history no longer contains that
//! event with that hash was cut short or rewritten.
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::chain::{stored_hash, timestamp_text, ChainCache};
use super::CheckpointStatus;
use crate::store::Db;
use crate::AppError;

/// Signs checkpoints and checks their signatures (the server's key, which lives outside
/// the database).
pub trait CheckpointKey: Sync {
    /// The base64 signature of `message`.
    fn sign_text(&self, message: &str) -> String;
    /// Whether `signature` is this key's signature of `message`.
    fn verifies_text(&self, message: &str, signature: &str) -> bool;
}

/// One signed head of the chain: one line of the checkpoint file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub event_id: i64,
    pub hash: String,
    /// Events in the chain up to and including `event_id`.
    pub events: u64,
    pub signed_at: DateTime<Utc>,
    pub signature: String,
}

impl Checkpoint {
    /// What the signature covers: every field but the signature.
    fn message(&self) -> String {
        format!(
            "fulfillment-console audit checkpoint v1\n{}\n{}\n{}\n{}",
            self.event_id,
            self.hash,
            self.events,
            timestamp_text(self.signed_at)
        )
    }

    fn signed(event_id: i64, hash: String, events: u64, key: &dyn CheckpointKey) -> Checkpoint {
        let mut cp = Checkpoint {
            event_id,
            hash,
            events,
            signed_at: crate::store::now(),
            signature: String::new(),
        };
        cp.signature = key.sign_text(&cp.message());
        cp
    }

    fn verified_by(&self, key: &dyn CheckpointKey) -> bool {
        key.verifies_text(&self.message(), &self.signature)
    }
}

/// The newest checkpoint in `file`, if there is one. Only the file's tail is read.
pub fn newest(file: &Path) -> Result<Option<Checkpoint>, String> {
    let mut f = match std::fs::File::open(file) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", file.display())),
    };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = f.seek(SeekFrom::Start(len.saturating_sub(8192)));
    let mut tail = String::new();
    f.read_to_string(&mut tail).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    // A line cut short by a crash mid-append is passed over; a tail with lines but no
    // checkpoint among them is an error.
    let mut lines = tail.lines().rev().map(str::trim).filter(|l| !l.is_empty()).peekable();
    if lines.peek().is_none() {
        return Ok(None);
    }
    lines
        .find_map(|line| serde_json::from_str(line).ok())
        .map(Some)
        .ok_or_else(|| format!("the end of {} holds no readable checkpoint", file.display()))
}

/// The newest checkpoint in `file` compared with the database; `None` before the first.
pub async fn check(
    db: &Db,
    file: &Path,
    key: &dyn CheckpointKey,
) -> Result<Option<CheckpointStatus>, AppError> {
    let Some(cp) = newest(file).map_err(AppError::internal)? else { return Ok(None) };
    let status = |problem: Option<String>| CheckpointStatus {
        event_id: cp.event_id,
        signed_at: cp.signed_at,
        holds: problem.is_none(),
        problem,
    };
    if !cp.verified_by(key) {
        return Ok(Some(status(Some(format!(
            "the newest checkpoint (event {}) does not carry this server's signature: the checkpoint file was edited",
            cp.event_id
        )))));
    }
    let stored = stored_hash(db, cp.event_id).await?;
    let signed = cp.signed_at.format("%Y-%m-%d %H:%M:%S UTC");
    let problem = match stored {
        None => Some(format!(
            "event {} was signed in the checkpoint of {signed} but is no longer in the database: the history was cut short",
            cp.event_id
        )),
        Some(hash) if hash != cp.hash => Some(format!(
            "event {} no longer has the hash signed in the checkpoint of {signed}: the history was rewritten",
            cp.event_id
        )),
        Some(_) => None,
    };
    Ok(Some(status(problem)))
}

/// Signs the chain's head into `file` when it moved since the newest checkpoint. The
/// head is signed only once the chain up to it verifies (incrementally, through
/// `chain`) and the newest checkpoint still holds, so a tampered history is never
/// signed. The new checkpoint, if any.
pub async fn write(
    db: &Db,
    chain: &ChainCache,
    file: &Path,
    key: &dyn CheckpointKey,
) -> Result<Option<Checkpoint>, AppError> {
    // After a restart, walk on from the newest checkpoint that still holds instead of
    // from the first event (the cache walks the whole chain again within the hour).
    if let Some(cp) = newest(file).map_err(AppError::internal)?.filter(|cp| cp.verified_by(key)) {
        if stored_hash(db, cp.event_id).await?.as_deref() == Some(cp.hash.as_str()) {
            chain.resume(cp.events, cp.event_id, cp.hash).await;
        }
    }
    let (report, head) = chain.verified_head(db).await?;
    if !report.holds {
        return Err(AppError::internal(format!(
            "the activity chain does not hold ({:?}); no checkpoint signed",
            report.first_broken
        )));
    }
    let Some((event_id, hash)) = head else { return Ok(None) };
    // A history cut short or rewritten since the newest checkpoint is never signed over:
    // the newest checkpoint keeps showing what happened.
    if let Some(problem) = check(db, file, key).await?.and_then(|s| s.problem) {
        return Err(AppError::internal(format!(
            "the newest checkpoint does not hold ({problem}); no checkpoint signed over it"
        )));
    }
    let previous = newest(file).map_err(AppError::internal)?;
    if previous.as_ref().is_some_and(|p| p.event_id == event_id) {
        return Ok(None);
    }
    let cp = Checkpoint::signed(event_id, hash, report.checked, key);
    append(file, &cp)
        .map_err(|e| AppError::internal(format!("writing {}: {e}", file.display())))?;
    tracing::info!(
        event_id = cp.event_id,
        hash = %cp.hash,
        signature = %cp.signature,
        "audit checkpoint signed"
    );
    Ok(Some(cp))
}

fn append(file: &Path, cp: &Checkpoint) -> std::io::Result<()> {
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(file)?;
    let line = serde_json::to_string(cp).map_err(std::io::Error::other)?;
    f.write_all(format!("{line}\n").as_bytes())?;
    f.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;
    impl CheckpointKey for Fake {
        fn sign_text(&self, message: &str) -> String {
            format!("{}", message.len())
        }
        fn verifies_text(&self, message: &str, signature: &str) -> bool {
            signature == self.sign_text(message)
        }
    }

    #[test]
    fn the_newest_line_is_read_and_its_signature_covers_every_field() {
        let file = std::env::temp_dir().join(format!(
            "fc-checkpoints-{}-{}.jsonl",
            std::process::id(),
            rand::random::<u64>()
        ));
        assert_eq!(newest(&file), Ok(None));
        let a = Checkpoint::signed(4, "aa".into(), 4, &Fake);
        let b = Checkpoint::signed(9, "bb".into(), 9, &Fake);
        append(&file, &a).unwrap();
        append(&file, &b).unwrap();
        assert_eq!(newest(&file), Ok(Some(b.clone())));
        // A line cut short by a crash mid-append is passed over.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&file)
            .unwrap()
            .write_all(b"{\"event_id\":1")
            .unwrap();
        assert_eq!(newest(&file), Ok(Some(b.clone())));
        assert!(b.verified_by(&Fake));
        let moved = Checkpoint { event_id: 19, ..b.clone() };
        assert!(!moved.verified_by(&Fake));
        let _ = std::fs::remove_file(&file);
    }
}
