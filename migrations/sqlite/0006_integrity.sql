-- Integrity findings: what the scheduled scan (and every operation) found, with when it
-- was first and last seen, and when it stopped holding. One open row per rule and record.
CREATE TABLE integrity_findings (
    id            INTEGER PRIMARY KEY,
    rule          TEXT NOT NULL,
    target_type   TEXT NOT NULL,
    target_id     INTEGER NOT NULL,
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    record        TEXT NOT NULL,
    message       TEXT NOT NULL,
    related_id    INTEGER,
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    resolved_at   TEXT,
    resolved_by_event INTEGER,
    flagged_event INTEGER
);
CREATE UNIQUE INDEX integrity_findings_open ON integrity_findings(rule, target_type, target_id) WHERE resolved_at IS NULL;
CREATE INDEX integrity_findings_customer ON integrity_findings(customer_id) WHERE resolved_at IS NULL;
CREATE INDEX integrity_findings_rule ON integrity_findings(rule, id) WHERE resolved_at IS NULL;

-- One row per finished scan: when, how long, what it found and changed, and which
-- instance ran it.
CREATE TABLE integrity_scans (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    found       INTEGER NOT NULL,
    opened      INTEGER NOT NULL,
    resolved    INTEGER NOT NULL,
    instance    TEXT NOT NULL
);
