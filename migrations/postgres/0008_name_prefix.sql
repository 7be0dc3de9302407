-- Customer names by prefix ("Sara C…"), the commonest search a person types: an index
-- range instead of the trigram index, in byte order like the identifier ranges.
CREATE INDEX customers_name_lower ON customers ((lower(name)) COLLATE "C");
