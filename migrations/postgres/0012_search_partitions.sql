-- Substring search wants its first 100 matches, not all of them. A GIN index answers
-- only with the whole bitmap of its matches, which for a common trigram means reading
-- its whole posting list (tens of milliseconds at a million customers). Split in 8
-- partitions, each with its own index, a query reads them in turn and stops as soon
-- as it has enough: a common substring is found in the first partition, a rare one
-- costs 8 small index reads (more partitions make common substrings cheaper and
-- long, rare ones dearer: docs/benchmarks.md).
ALTER TABLE search_documents RENAME TO search_documents_unsplit;
ALTER TABLE search_documents_unsplit RENAME CONSTRAINT search_documents_pkey TO search_documents_unsplit_pkey;
ALTER INDEX search_documents_trigram RENAME TO search_documents_unsplit_trigram;
ALTER INDEX search_documents_customer RENAME TO search_documents_unsplit_customer;

CREATE TABLE search_documents (
    doc_id      BIGINT PRIMARY KEY,
    text        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('customer','namespace','license')),
    ref_id      BIGINT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id)
) PARTITION BY HASH (doc_id);
DO $$
BEGIN
    FOR part IN 0..7 LOOP
        EXECUTE format(
            'CREATE TABLE search_documents_p%s PARTITION OF search_documents FOR VALUES WITH (MODULUS 8, REMAINDER %s)',
            part, part);
    END LOOP;
END $$;
INSERT INTO search_documents (doc_id, text, kind, ref_id, customer_id)
    SELECT doc_id, text, kind, ref_id, customer_id FROM search_documents_unsplit;
DROP TABLE search_documents_unsplit;
CREATE INDEX search_documents_trigram ON search_documents USING gin (text gin_trgm_ops);
CREATE INDEX search_documents_customer ON search_documents (customer_id);
