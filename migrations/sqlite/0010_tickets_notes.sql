-- One view per ticket: everything done under a ticket URL, and the approvals filed
-- under it, are each one index range.
CREATE INDEX activity_ticket ON activity_events(ticket_url, id);
CREATE INDEX approval_requests_ticket ON approval_requests(ticket_url, id);

-- Internal notes on a customer: added, pinned or unpinned, resolved; never deleted.
-- Each change is an activity event (target_type `note`).
CREATE TABLE customer_notes (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    author_id   INTEGER REFERENCES staff_users(id),
    author_email TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    pinned      BOOLEAN NOT NULL DEFAULT FALSE,
    resolved_at TEXT,
    resolved_by TEXT,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX customer_notes_customer ON customer_notes(customer_id, id);
-- Search badges customers with a pinned, unresolved note: one small index.
CREATE INDEX customer_notes_pinned ON customer_notes(customer_id) WHERE pinned AND resolved_at IS NULL;

-- "Findings that came back": findings resolved lately, each joined to an open finding
-- of the same rule on the same record.
CREATE INDEX integrity_findings_resolved ON integrity_findings(resolved_at) WHERE resolved_at IS NOT NULL;
