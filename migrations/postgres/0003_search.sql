-- Search over every identifier. One document per customer (name, email, company),
-- namespace (path, name) and license (key), lower-cased by the application;
-- a trigram index answers substring queries of three characters or more. Exact and
-- prefix lookups of numbers, emails, paths and keys use byte-order ("C") indexes.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE search_documents (
    doc_id      BIGINT PRIMARY KEY,
    text        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('customer','namespace','license')),
    ref_id      BIGINT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id)
);
CREATE INDEX search_documents_trigram ON search_documents USING gin (text gin_trgm_ops);
CREATE INDEX search_documents_customer ON search_documents (customer_id);

CREATE INDEX customers_email_bytes ON customers (email COLLATE "C");
CREATE INDEX customers_crm_bytes ON customers (crm_account_id COLLATE "C");
CREATE INDEX billing_accounts_number_bytes ON billing_accounts (number COLLATE "C");
CREATE INDEX subscriptions_number_bytes ON subscriptions (number COLLATE "C");
CREATE INDEX namespaces_path_bytes ON namespaces (path COLLATE "C");
CREATE INDEX licenses_key_bytes ON licenses (key COLLATE "C");
