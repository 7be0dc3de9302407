-- Invoices are linked to the provider's invoices too. SQLite cannot change a CHECK
-- constraint in place: the (small) table of links is copied into one that takes them.
CREATE TABLE billing_links_new (
    id               INTEGER PRIMARY KEY,
    record_type      TEXT NOT NULL CHECK (record_type IN ('customer','subscription','invoice')),
    record_id        INTEGER NOT NULL,
    provider         TEXT NOT NULL,
    provider_id      TEXT NOT NULL,
    linked_at        TEXT NOT NULL,
    provider_state   TEXT,
    provider_seen_at TEXT,
    UNIQUE (record_type, record_id, provider),
    UNIQUE (provider, provider_id)
);
INSERT INTO billing_links_new
    (id, record_type, record_id, provider, provider_id, linked_at, provider_state, provider_seen_at)
SELECT id, record_type, record_id, provider, provider_id, linked_at, provider_state, provider_seen_at
FROM billing_links;
DROP TABLE billing_links;
ALTER TABLE billing_links_new RENAME TO billing_links;
