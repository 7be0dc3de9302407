-- The activity log is append-only: the database itself refuses to change, delete or
-- truncate an event, whoever asks. A deployment that connects as a role of its own
-- also grants that role no UPDATE, DELETE or TRUNCATE on the table (docs/reliability.md).
-- (Removing these triggers takes the table owner; the signed checkpoints kept outside
-- the database then show what was cut or rewritten.)
CREATE FUNCTION activity_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'activity events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER activity_events_no_change BEFORE UPDATE OR DELETE ON activity_events
    FOR EACH ROW EXECUTE FUNCTION activity_events_append_only();
CREATE TRIGGER activity_events_no_truncate BEFORE TRUNCATE ON activity_events
    FOR EACH STATEMENT EXECUTE FUNCTION activity_events_append_only();
