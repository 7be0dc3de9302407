-- Temporary extensions (the sales wizard). A self-managed extension issues a signed
-- temporary license, kept whole in `licenses.certificate`; a SaaS one moves the
-- subscription's end date. One extension per subscription term, enforced here too.
ALTER TABLE licenses ADD COLUMN certificate TEXT;

-- The renewal watchlist sorts a window of ending subscriptions by date or seats from
-- the index alone (it replaces the (status, end_date) index, a prefix of it).
DROP INDEX subscriptions_end_date;
CREATE INDEX subscriptions_renewal ON subscriptions(status, end_date, seats, customer_id);

CREATE TABLE temporary_extensions (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL,
    customer_id     INTEGER NOT NULL,
    term_start      TEXT NOT NULL,
    days            INTEGER NOT NULL CHECK (days BETWEEN 1 AND 30),
    users_count     INTEGER NOT NULL CHECK (users_count BETWEEN 1 AND 100000),
    opportunity_id  TEXT NOT NULL,
    previous_end    TEXT NOT NULL,
    new_end         TEXT NOT NULL,
    license_id      INTEGER REFERENCES licenses(id),
    approval_id     INTEGER REFERENCES approval_requests(id),
    issued_by       INTEGER NOT NULL REFERENCES staff_users(id),
    issued_at       TEXT NOT NULL,
    CHECK (new_end > previous_end),
    UNIQUE (subscription_id, term_start),
    FOREIGN KEY (subscription_id, customer_id) REFERENCES subscriptions(id, customer_id)
);
CREATE INDEX temporary_extensions_new_end ON temporary_extensions(new_end);
CREATE INDEX temporary_extensions_customer ON temporary_extensions(customer_id);
