-- The billing provider: which of our records it holds (and under which id), and the
-- changes on their way to it.

-- One row per linked record: a customer or a subscription.
CREATE TABLE billing_links (
    id           INTEGER PRIMARY KEY,
    record_type  TEXT NOT NULL CHECK (record_type IN ('customer','subscription')),
    record_id    INTEGER NOT NULL,
    provider     TEXT NOT NULL,
    provider_id  TEXT NOT NULL,
    linked_at    TEXT NOT NULL,
    UNIQUE (record_type, record_id, provider),
    UNIQUE (provider, provider_id)
);

-- A console change to fields the provider owns, written in the transaction of the
-- change and its event, delivered by a worker with its idempotency key.
CREATE TABLE billing_outbox (
    id               INTEGER PRIMARY KEY,
    record_type      TEXT NOT NULL,
    record_id        INTEGER NOT NULL,
    event_id         INTEGER REFERENCES activity_events(id),
    payload          TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,
    created_at       TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    claimed_until    TEXT,
    delivered_at     TEXT,
    last_error       TEXT
);
CREATE INDEX billing_outbox_due ON billing_outbox(next_attempt_at) WHERE delivered_at IS NULL;
CREATE INDEX billing_outbox_record ON billing_outbox(record_type, record_id, id);
