-- Name search in any letters (æ, ø, å, É ...): the lower-cased name is kept beside the name,
-- lower-cased by Bro itself, because SQLite's LOWER() knows only ASCII. The twin has the same version.

ALTER TABLE citizens ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
UPDATE citizens SET search_name = LOWER(given_name || ' ' || family_name);
