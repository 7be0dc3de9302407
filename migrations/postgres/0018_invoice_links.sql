-- Invoices are linked to the provider's invoices too.
ALTER TABLE billing_links DROP CONSTRAINT billing_links_record_type_check;
ALTER TABLE billing_links ADD CONSTRAINT billing_links_record_type_check
    CHECK (record_type IN ('customer','subscription','invoice'));
