-- Search documents hold their fields one per line (name, email, company, contacts'
-- emails; path, name, owners' usernames and emails), so a substring hit says which
-- field matched and is ranked before its record is read. Rewrites the documents
-- written before, space-separated.
UPDATE search_documents SET text = (
    SELECT lower(c.name || char(10) || c.email || char(10) || c.company || COALESCE(
        (SELECT group_concat(char(10) || ct.email, '' ORDER BY ct.id) FROM contacts ct
         WHERE ct.customer_id = c.id AND ct.email <> c.email), ''))
    FROM customers c WHERE c.id = search_documents.ref_id)
WHERE kind = 'customer';

UPDATE search_documents SET text = (
    SELECT lower(n.path || char(10) || n.name || COALESCE(
        (SELECT group_concat(char(10) || o.username || char(10) || o.email, '' ORDER BY o.id) FROM namespace_owners o
         WHERE o.namespace_id = n.id), ''))
    FROM namespaces n WHERE n.id = search_documents.ref_id)
WHERE kind = 'namespace';
