-- Name search by the beginnings of words ("niel", "mette niel"), at a cost that follows the page
-- and not the number of citizens. The trigram index of migration 14 answered "contains", but a
-- common name's trigrams ("sen") are in most names, so a search read lists as long as the
-- population. Here each word of a name is a row, ordered by word and then as the result page is
-- (family name, given name), so a search reads a range of the index and stops when the page is
-- full. Words are split at spaces and hyphens; Bro writes the rows when it adds a citizen.
-- The twin has the same version.
CREATE TABLE citizen_name_words (
    word TEXT NOT NULL,
    family_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    citizen_id INTEGER NOT NULL REFERENCES citizens(id),
    PRIMARY KEY (word, family_name, given_name, citizen_id)
) WITHOUT ROWID;

INSERT INTO citizen_name_words (word, family_name, given_name, citizen_id)
WITH RECURSIVE split(citizen_id, family_name, given_name, word, rest) AS (
    SELECT id, family_name, given_name, '', replace(search_name, '-', ' ') || ' ' FROM citizens
    UNION ALL
    SELECT citizen_id, family_name, given_name, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM split WHERE rest <> ''
)
SELECT DISTINCT word, family_name, given_name, citizen_id FROM split WHERE word <> '';

DROP TRIGGER citizens_name_search_insert;
DROP TRIGGER citizens_name_search_update;
DROP TRIGGER citizens_name_search_delete;
DROP TABLE citizen_name_search;
