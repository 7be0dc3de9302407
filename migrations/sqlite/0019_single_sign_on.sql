-- Staff who sign in through the company's identity provider: known by the provider's
-- issuer and subject (never by email). Break-glass accounts keep their password while
-- single sign-on is on.
ALTER TABLE staff_users ADD COLUMN idp_issuer TEXT;
ALTER TABLE staff_users ADD COLUMN idp_subject TEXT;
CREATE UNIQUE INDEX staff_users_idp ON staff_users(idp_issuer, idp_subject);
ALTER TABLE staff_users ADD COLUMN break_glass BOOLEAN NOT NULL DEFAULT FALSE;

-- Sign-ins on their way through the provider: what the console keeps of each until the
-- person comes back (by the hash of its `state`), used once, for minutes.
CREATE TABLE sso_logins (
    state_hash    TEXT PRIMARY KEY,
    nonce         TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next_path     TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
