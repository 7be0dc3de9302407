-- Secondary indexes dropped for a bulk load and not yet rebuilt. Rebuilt at start-up,
-- so an interrupted load never leaves the database without its indexes.
CREATE TABLE deferred_indexes (
    name TEXT PRIMARY KEY,
    sql  TEXT NOT NULL
);
