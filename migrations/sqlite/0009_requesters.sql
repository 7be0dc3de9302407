-- Who may ask for changes: a customer's contacts, and the owners of each namespace on
-- the product side (customer_id repeats the namespace's, so one customer's owners are
-- one index range). Search finds customers by a contact's email and namespaces by an
-- owner's username or email, by prefix (these indexes) and by substring (their text
-- joins the customer's and the namespace's search documents).
CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email       TEXT NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    role        TEXT NOT NULL CHECK (role IN ('owner','billing','technical')),
    UNIQUE (customer_id, email)
);
CREATE INDEX contacts_email ON contacts(email);

CREATE TABLE namespace_owners (
    id           INTEGER PRIMARY KEY,
    namespace_id INTEGER NOT NULL REFERENCES namespaces(id),
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    username     TEXT NOT NULL CHECK (username = lower(username) AND length(username) BETWEEN 2 AND 255),
    email        TEXT NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    UNIQUE (namespace_id, username)
);
CREATE INDEX namespace_owners_customer ON namespace_owners(customer_id);
CREATE INDEX namespace_owners_username ON namespace_owners(username);
CREATE INDEX namespace_owners_email ON namespace_owners(email);

-- Every change records who asked (an email) and what the server found them to be:
-- owner, billing, technical, namespace_owner, unverified, or proactive (nobody asked).
ALTER TABLE activity_events ADD COLUMN requester TEXT;
ALTER TABLE activity_events ADD COLUMN requester_verdict TEXT;
CREATE INDEX activity_requester ON activity_events(requester, id);

ALTER TABLE approval_requests ADD COLUMN requester TEXT;
ALTER TABLE approval_requests ADD COLUMN requester_verdict TEXT;
