-- The directory's search and open data read narrow indexes instead of the offers' rows, whose
-- content is large: the search walks (status, name, id) in the order it shows, checks its
-- conditions on the index and fetches only the rows it shows; the open data counts and pages
-- by id over (id, updated_ms).
CREATE INDEX offers_search ON offers(status, name, id, category, municipality, search_text);
CREATE INDEX offers_open_data ON offers(id, updated_ms);
CREATE INDEX external_offers_search
    ON external_offers(status, name, id, category, municipality, search_text);
CREATE INDEX external_offers_open_data ON external_offers(id, modified_ms);
