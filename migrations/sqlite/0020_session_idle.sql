-- A session ends after a while without use (the idle timeout) as well as at its expiry:
-- each use moves `last_seen_at` (at most once a minute).
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
UPDATE sessions SET last_seen_at = created_at;
