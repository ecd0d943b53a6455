-- Name search by the beginnings of words ("niel", "mette niel"), at a cost that follows the page
-- and not the number of citizens. The trigram index of migration 14 answered "contains", but a
-- common name's trigrams ("sen") are in most names, so a search read lists as long as the
-- population. Here each word of a name is a row, ordered by word and then as the result page is
-- (family name, given name), so a search reads a range of the index and stops when the page is
-- full. Words are split at spaces and hyphens; Bro writes the rows when it adds a citizen.
-- `word` compares byte by byte (COLLATE "C"), so a prefix is one range of the index.
-- The twin has the same version.
CREATE TABLE citizen_name_words (
    word TEXT COLLATE "C" NOT NULL,
    family_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    citizen_id BIGINT NOT NULL REFERENCES citizens(id),
    PRIMARY KEY (word, family_name, given_name, citizen_id)
);

INSERT INTO citizen_name_words (word, family_name, given_name, citizen_id)
SELECT DISTINCT w, family_name, given_name, id
FROM citizens, regexp_split_to_table(search_name, '[ -]+') AS w
WHERE w <> '';

DROP INDEX citizens_search_name_trgm;
