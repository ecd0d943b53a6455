-- A page that lists the offers of one category (the drop-in centres a unit's outreach staff
-- attend, say) walks that category's entries in the order it shows, checking the municipality
-- on the index, instead of fetching every row of the category to sort it or walking every
-- active offer: equal category and status, then name and id. It replaces (category, status).
DROP INDEX offers_category;
CREATE INDEX offers_category_listing ON offers(category, status, name, id, municipality);
