-- The identity provider's provisioning (SCIM): the user name and external id it knows a
-- person by, and when it deleted them (the record stays for the timeline; the provider
-- no longer sees it).
ALTER TABLE staff_users ADD COLUMN scim_user_name TEXT;
ALTER TABLE staff_users ADD COLUMN scim_external_id TEXT;
ALTER TABLE staff_users ADD COLUMN scim_deleted_at TIMESTAMPTZ;
CREATE UNIQUE INDEX staff_users_scim_user_name ON staff_users(scim_user_name);

-- The ID token a single sign-on session began with: sign-out hands it back to the
-- provider's end-session endpoint.
ALTER TABLE sessions ADD COLUMN id_token TEXT;
