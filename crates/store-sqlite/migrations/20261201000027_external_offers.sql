-- Offers of other directories, read from their HSDS 3.0 open data by `bro import hsds`. Kept
-- apart from Bro's own offers: never edited in Bro, never followed, replaced by the next import
-- of the same source. Each service keeps its source document, served again unchanged, and
-- Bro's reading of it (an offer's content JSON) for search and the directory's pages.
CREATE TABLE external_organisations (
    id INTEGER PRIMARY KEY,
    hsds_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    imported_ms INTEGER NOT NULL
);
CREATE TABLE external_offers (
    id INTEGER PRIMARY KEY,
    hsds_id TEXT NOT NULL UNIQUE,
    org_id INTEGER NOT NULL REFERENCES external_organisations(id),
    status TEXT NOT NULL,
    content TEXT NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    municipality TEXT NOT NULL,
    search_text TEXT NOT NULL,
    source TEXT NOT NULL,
    modified_ms INTEGER NOT NULL,
    imported_ms INTEGER NOT NULL
);
CREATE INDEX external_offers_org ON external_offers(org_id);
-- The flag planned for them on Bro's own offers is not needed: they live here.
ALTER TABLE offers DROP COLUMN external;
