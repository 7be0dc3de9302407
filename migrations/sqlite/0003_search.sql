-- Search over every identifier. One document per customer (name, email, company),
-- namespace (path, name) and license (key), its text lower-cased by the
-- application. A trigram index (FTS5, kept in step by triggers) answers substring
-- queries of three characters or more. Exact and prefix lookups of numbers, emails,
-- paths and keys use the tables' unique indexes.
CREATE TABLE search_documents (
    doc_id      INTEGER PRIMARY KEY,
    text        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('customer','namespace','license')),
    ref_id      INTEGER NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers(id)
);
CREATE INDEX search_documents_customer ON search_documents (customer_id);

CREATE VIRTUAL TABLE search_trigrams USING fts5(
    text,
    content = 'search_documents',
    content_rowid = 'doc_id',
    tokenize = 'trigram'
);

CREATE TRIGGER search_documents_insert AFTER INSERT ON search_documents BEGIN
    INSERT INTO search_trigrams (rowid, text) VALUES (new.doc_id, new.text);
END;
CREATE TRIGGER search_documents_delete AFTER DELETE ON search_documents BEGIN
    INSERT INTO search_trigrams (search_trigrams, rowid, text) VALUES ('delete', old.doc_id, old.text);
END;
CREATE TRIGGER search_documents_update AFTER UPDATE ON search_documents BEGIN
    INSERT INTO search_trigrams (search_trigrams, rowid, text) VALUES ('delete', old.doc_id, old.text);
    INSERT INTO search_trigrams (rowid, text) VALUES (new.doc_id, new.text);
END;
