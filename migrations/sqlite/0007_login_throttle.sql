-- Failed sign-ins, kept for the throttle window: after too many for one email the
-- sign-in is refused for a while, on every server instance alike.
CREATE TABLE login_failures (
    id        INTEGER PRIMARY KEY,
    email     TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures(email, failed_at);
