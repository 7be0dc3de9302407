-- Fulfillment Console schema (SQLite). Kept in step with migrations/postgres.
-- Timestamps are RFC 3339 UTC text written by the application; dates are YYYY-MM-DD text.

CREATE TABLE staff_users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role          TEXT NOT NULL CHECK (role IN ('support','sales','billing','lead','admin')),
    password_hash TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    staff_user_id INTEGER NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    csrf_token    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
CREATE INDEX sessions_staff_user ON sessions(staff_user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    staff_user_id INTEGER NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    token_hash    TEXT NOT NULL UNIQUE,
    label         TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_used_at  TEXT,
    revoked_at    TEXT
);
CREATE INDEX api_tokens_staff_user ON api_tokens(staff_user_id);

CREATE TABLE customers (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email          TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
    company        TEXT NOT NULL DEFAULT '',
    country        TEXT NOT NULL CHECK (length(country) = 2 AND country = upper(country)),
    crm_account_id TEXT UNIQUE,
    created_at     TEXT NOT NULL
);

CREATE TABLE billing_accounts (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE CHECK (number GLOB 'A[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    currency      TEXT NOT NULL CHECK (currency IN ('USD','EUR','GBP','JPY','AUD','CAD')),
    payment_terms TEXT NOT NULL CHECK (payment_terms IN ('prepaid','net_15','net_30','net_60')),
    UNIQUE (id, customer_id)
);
CREATE INDEX billing_accounts_customer ON billing_accounts(customer_id);

CREATE TABLE subscriptions (
    id                 INTEGER PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE CHECK (number GLOB 'A-S[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
    billing_account_id INTEGER NOT NULL,
    customer_id        INTEGER NOT NULL,
    product            TEXT NOT NULL CHECK (product IN ('premium','ultimate')),
    deployment         TEXT NOT NULL CHECK (deployment IN ('saas','self_managed')),
    seats              INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 100000),
    start_date         TEXT NOT NULL,
    end_date           TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('active','expired','cancelled')),
    auto_renew         BOOLEAN NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK (end_date > start_date),
    UNIQUE (id, customer_id),
    FOREIGN KEY (billing_account_id, customer_id) REFERENCES billing_accounts(id, customer_id)
);
CREATE INDEX subscriptions_customer ON subscriptions(customer_id);
CREATE INDEX subscriptions_billing_account ON subscriptions(billing_account_id);
CREATE INDEX subscriptions_end_date ON subscriptions(status, end_date);

CREATE TABLE namespaces (
    id                      INTEGER PRIMARY KEY,
    path                    TEXT NOT NULL UNIQUE CHECK (path = lower(path) AND length(path) BETWEEN 2 AND 255 AND path NOT LIKE '%/%'),
    name                    TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    customer_id             INTEGER NOT NULL REFERENCES customers(id),
    plan                    TEXT NOT NULL CHECK (plan IN ('free','premium','ultimate')),
    subscription_id         INTEGER REFERENCES subscriptions(id),
    trial_plan              TEXT CHECK (trial_plan IN ('premium','ultimate')),
    trial_starts_on         TEXT,
    trial_ends_on           TEXT,
    trial_extensions_used   INTEGER NOT NULL DEFAULT 0 CHECK (trial_extensions_used >= 0),
    seats_in_use            INTEGER NOT NULL DEFAULT 0 CHECK (seats_in_use >= 0),
    max_seats_used          INTEGER NOT NULL DEFAULT 0 CHECK (max_seats_used >= 0),
    compute_minutes_quota   INTEGER NOT NULL DEFAULT 0 CHECK (compute_minutes_quota >= 0),
    compute_minutes_used    INTEGER NOT NULL DEFAULT 0 CHECK (compute_minutes_used >= 0),
    compute_minutes_extra   INTEGER NOT NULL DEFAULT 0 CHECK (compute_minutes_extra >= 0),
    compute_minutes_trial_extra INTEGER NOT NULL DEFAULT 0 CHECK (compute_minutes_trial_extra >= 0),
    storage_used_mib        INTEGER NOT NULL DEFAULT 0 CHECK (storage_used_mib >= 0),
    storage_extra_mib       INTEGER NOT NULL DEFAULT 0 CHECK (storage_extra_mib >= 0),
    version                 INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK ((trial_plan IS NULL) = (trial_ends_on IS NULL) AND (trial_plan IS NULL) = (trial_starts_on IS NULL)),
    CHECK (trial_ends_on IS NULL OR trial_ends_on > trial_starts_on)
);
CREATE INDEX namespaces_customer ON namespaces(customer_id);
CREATE INDEX namespaces_subscription ON namespaces(subscription_id);

CREATE TABLE licenses (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL,
    customer_id     INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('standard','temporary_extension','trial')),
    users           INTEGER NOT NULL CHECK (users BETWEEN 1 AND 100000),
    starts_on       TEXT NOT NULL,
    expires_on      TEXT NOT NULL,
    key             TEXT NOT NULL UNIQUE,
    issued_by       INTEGER REFERENCES staff_users(id),
    issued_at       TEXT NOT NULL,
    revoked_at      TEXT,
    CHECK (expires_on > starts_on),
    FOREIGN KEY (subscription_id, customer_id) REFERENCES subscriptions(id, customer_id)
);
CREATE INDEX licenses_subscription ON licenses(subscription_id, expires_on);
CREATE INDEX licenses_customer ON licenses(customer_id);

CREATE TABLE invoices (
    id                 INTEGER PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,
    billing_account_id INTEGER NOT NULL,
    customer_id        INTEGER NOT NULL,
    amount_cents       INTEGER NOT NULL CHECK (amount_cents >= 0),
    currency           TEXT NOT NULL CHECK (currency IN ('USD','EUR','GBP','JPY','AUD','CAD')),
    status             TEXT NOT NULL CHECK (status IN ('paid','open','overdue','void')),
    issued_on          TEXT NOT NULL,
    due_on             TEXT NOT NULL,
    CHECK (due_on >= issued_on),
    FOREIGN KEY (billing_account_id, customer_id) REFERENCES billing_accounts(id, customer_id)
);
CREATE INDEX invoices_customer ON invoices(customer_id, issued_on);
CREATE INDEX invoices_status ON invoices(status, due_on);

CREATE TABLE add_on_grants (
    id           INTEGER PRIMARY KEY,
    namespace_id INTEGER NOT NULL REFERENCES namespaces(id),
    kind         TEXT NOT NULL CHECK (kind IN ('compute_minutes','storage')),
    quantity     INTEGER NOT NULL CHECK (quantity <> 0),
    expires_on   TEXT,
    source       TEXT NOT NULL CHECK (source IN ('purchase','support_grant')),
    created_at   TEXT NOT NULL
);
CREATE INDEX add_on_grants_namespace ON add_on_grants(namespace_id);

CREATE TABLE approval_requests (
    id           INTEGER PRIMARY KEY,
    action       TEXT NOT NULL,
    payload      TEXT NOT NULL,
    preview      TEXT NOT NULL DEFAULT '{}',
    target_type  TEXT NOT NULL,
    target_id    INTEGER NOT NULL,
    customer_id  INTEGER REFERENCES customers(id),
    reason       TEXT NOT NULL CHECK (length(reason) >= 1),
    ticket_url   TEXT,
    requested_by INTEGER NOT NULL REFERENCES staff_users(id),
    requested_at TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending','approved','rejected','expired','executed')),
    decided_by   INTEGER REFERENCES staff_users(id),
    decided_at   TEXT,
    note         TEXT,
    expires_at   TEXT NOT NULL,
    CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
CREATE INDEX approval_requests_status ON approval_requests(status, requested_at);
CREATE INDEX approval_requests_customer ON approval_requests(customer_id);

-- The activity timeline. `id` is the chain order; each row carries its predecessor's
-- hash and its own hash over a canonical encoding (see app/src/activity/server/chain.rs).
CREATE TABLE activity_events (
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
    source      TEXT NOT NULL CHECK (source IN ('console','api','scheduled')),
    approval_id INTEGER REFERENCES approval_requests(id),
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX activity_occurred ON activity_events(occurred_at, id);
CREATE INDEX activity_customer ON activity_events(customer_id, id);
CREATE INDEX activity_actor ON activity_events(actor_id, id);
CREATE INDEX activity_action ON activity_events(action, id);
CREATE INDEX activity_target ON activity_events(target_type, target_id, id);
