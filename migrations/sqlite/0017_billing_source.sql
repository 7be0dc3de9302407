-- no-transaction
-- The billing provider as a source of changes: events by `billing:stripe` (source
-- `billing`), the provider's webhook events (each stored once), and drift: what the
-- console and the provider disagree on that neither side settles alone.
--
-- SQLite cannot change a CHECK constraint in place, so the activity log is rebuilt
-- with the rows copied exactly as stored (their hashes cover them), its indexes and
-- its append-only triggers made again. Foreign keys are off only while it is swapped.
PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE IF EXISTS activity_events_rebuilt;
CREATE TABLE activity_events_rebuilt (
    id          INTEGER PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    actor_id    INTEGER REFERENCES staff_users(id),
    actor_email TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   INTEGER NOT NULL,
    customer_id INTEGER REFERENCES customers(id),
    reason      TEXT NOT NULL DEFAULT '',
    ticket_url  TEXT,
    changes     TEXT NOT NULL DEFAULT '{}',
    source      TEXT NOT NULL CHECK (source IN ('console','api','scheduled','billing')),
    approval_id INTEGER REFERENCES approval_requests(id),
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    requester   TEXT,
    requester_verdict TEXT
);
INSERT INTO activity_events_rebuilt
    (id, occurred_at, actor_id, actor_email, action, target_type, target_id, customer_id,
     reason, ticket_url, changes, source, approval_id, prev_hash, hash, requester, requester_verdict)
SELECT id, occurred_at, actor_id, actor_email, action, target_type, target_id, customer_id,
       reason, ticket_url, changes, source, approval_id, prev_hash, hash, requester, requester_verdict
FROM activity_events ORDER BY id;
DROP TABLE activity_events;
ALTER TABLE activity_events_rebuilt RENAME TO activity_events;
CREATE INDEX activity_occurred ON activity_events(occurred_at, id);
CREATE INDEX activity_customer ON activity_events(customer_id, id);
CREATE INDEX activity_actor ON activity_events(actor_id, id);
CREATE INDEX activity_action ON activity_events(action, id);
CREATE INDEX activity_target ON activity_events(target_type, target_id, id);
CREATE INDEX activity_actor_action ON activity_events(actor_id, action, id);
CREATE INDEX activity_requester ON activity_events(requester, id);
CREATE INDEX activity_ticket ON activity_events(ticket_url, id);
CREATE TRIGGER activity_events_no_update BEFORE UPDATE ON activity_events
BEGIN
    SELECT RAISE(ABORT, 'activity events are append-only: UPDATE refused');
END;
CREATE TRIGGER activity_events_no_delete BEFORE DELETE ON activity_events
BEGIN
    SELECT RAISE(ABORT, 'activity events are append-only: DELETE refused');
END;

-- The provider's webhook events: stored once by their id, whatever arrives twice.
CREATE TABLE billing_events (
    id           INTEGER PRIMARY KEY,
    provider     TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    event_type   TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    processed_at TEXT,
    outcome      TEXT,
    UNIQUE (provider, event_id)
);

-- Drift: one row per record and field the two sides disagree on, open until cleared.
-- record_id is NULL for a record only the provider has.
CREATE TABLE billing_drift (
    id             INTEGER PRIMARY KEY,
    provider       TEXT NOT NULL,
    record_type    TEXT NOT NULL CHECK (record_type IN ('customer','subscription','invoice')),
    record_id      INTEGER,
    provider_id    TEXT NOT NULL,
    customer_id    INTEGER REFERENCES customers(id),
    field          TEXT NOT NULL,
    kind           TEXT NOT NULL,
    console_value  TEXT,
    provider_value TEXT,
    detail         TEXT NOT NULL DEFAULT '',
    first_seen     TEXT NOT NULL,
    last_seen      TEXT NOT NULL,
    cleared_at     TEXT,
    cleared_by_event INTEGER REFERENCES activity_events(id)
);
CREATE UNIQUE INDEX billing_drift_open ON billing_drift(provider, provider_id, field) WHERE cleared_at IS NULL;
CREATE INDEX billing_drift_listed ON billing_drift(first_seen, id) WHERE cleared_at IS NULL;
CREATE INDEX billing_drift_customer ON billing_drift(customer_id, id);
-- Whether an entry's last attempt was refused by the provider (retrying will not help:
-- it is drift at once) rather than unanswered.
ALTER TABLE billing_outbox ADD COLUMN refused BOOLEAN NOT NULL DEFAULT FALSE;
-- The provider's side of each linked record as last seen (reconciliation, delivery):
-- the customer page shows it beside the console's.
ALTER TABLE billing_links ADD COLUMN provider_state TEXT;
ALTER TABLE billing_links ADD COLUMN provider_seen_at TEXT;
-- The timeline reads how each change's delivery stands by its event.
CREATE INDEX billing_outbox_event ON billing_outbox(event_id);
COMMIT;
PRAGMA foreign_keys = ON;
