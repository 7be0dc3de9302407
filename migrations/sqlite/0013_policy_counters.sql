-- What the trial policy counts survives reactivation: the days extensions added over
-- every run of a namespace's trials, and how many times a trial was reactivated
-- (`trial_extensions_used` is no longer reset by a reactivation).
ALTER TABLE namespaces ADD COLUMN trial_extra_days INTEGER NOT NULL DEFAULT 0 CHECK (trial_extra_days >= 0);
ALTER TABLE namespaces ADD COLUMN trial_reactivations INTEGER NOT NULL DEFAULT 0 CHECK (trial_reactivations >= 0);
-- A standard trial runs 30 days: a longer one was extended by the difference.
UPDATE namespaces
   SET trial_extra_days = MAX(0, CAST(julianday(trial_ends_on) - julianday(trial_starts_on) AS INTEGER) - 30)
 WHERE trial_starts_on IS NOT NULL AND trial_ends_on IS NOT NULL;

-- Sign-in throttling counts failures per account and client address, and per address.
ALTER TABLE login_failures ADD COLUMN address TEXT NOT NULL DEFAULT '';
DROP INDEX login_failures_email;
CREATE INDEX login_failures_email ON login_failures(email, address, failed_at);
CREATE INDEX login_failures_address ON login_failures(address, failed_at);
