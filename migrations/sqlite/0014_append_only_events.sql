-- The activity log is append-only: the database itself refuses to change or delete an
-- event, whoever asks. (Removing these triggers takes a schema change; the signed
-- checkpoints kept outside the database then show what was cut or rewritten.)
CREATE TRIGGER activity_events_no_update BEFORE UPDATE ON activity_events
BEGIN
    SELECT RAISE(ABORT, 'activity events are append-only: UPDATE refused');
END;
CREATE TRIGGER activity_events_no_delete BEFORE DELETE ON activity_events
BEGIN
    SELECT RAISE(ABORT, 'activity events are append-only: DELETE refused');
END;
