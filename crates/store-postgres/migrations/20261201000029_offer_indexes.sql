-- The directory's search and open data: the search walks (status, name, id) in the order it
-- shows (the offers' large content is stored apart, TOAST, so checking a row stays cheap; the
-- search text is not indexed, since a B-tree entry has a size limit); the open data counts and
-- pages by id over (id, updated_ms).
CREATE INDEX offers_search ON offers(status, name, id);
CREATE INDEX offers_open_data ON offers(id, updated_ms);
CREATE INDEX external_offers_search ON external_offers(status, name, id);
CREATE INDEX external_offers_open_data ON external_offers(id, modified_ms);
