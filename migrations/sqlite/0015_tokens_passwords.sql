-- API tokens expire (90 days unless chosen otherwise); tokens made before expiry existed
-- get 90 days from their creation.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', created_at, '+90 days');

-- An admin's password reset makes the staff member choose a new password at sign-in.
ALTER TABLE staff_users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
