-- PostgreSQL splits the search documents in partitions so substring search can stop
-- at its first matches (see the PostgreSQL migration of the same number). SQLite's
-- FTS5 index already reads its posting lists in order and stops at the LIMIT: nothing
-- to change here.
SELECT 1;
