-- Customer names by prefix ("Sara C…"), the commonest search a person types: an index
-- range instead of the trigram index. Search lower-cases the query the same way.
CREATE INDEX customers_name_lower ON customers (lower(name));
