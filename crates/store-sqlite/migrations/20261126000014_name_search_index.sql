-- Name search at national scale: "contains" over 100,000 names must not read every citizen.
-- SQLite: an FTS5 trigram index over search_name, kept in step by triggers (a LIKE with three
-- or more letters is answered from the index). The twin uses pg_trgm; same version.
CREATE VIRTUAL TABLE citizen_name_search USING fts5(search_name, content='citizens', content_rowid='id', tokenize='trigram');
INSERT INTO citizen_name_search(citizen_name_search) VALUES ('rebuild');
CREATE TRIGGER citizens_name_search_insert AFTER INSERT ON citizens BEGIN
  INSERT INTO citizen_name_search(rowid, search_name) VALUES (new.id, new.search_name);
END;
CREATE TRIGGER citizens_name_search_update AFTER UPDATE OF search_name ON citizens BEGIN
  INSERT INTO citizen_name_search(citizen_name_search, rowid, search_name) VALUES ('delete', old.id, old.search_name);
  INSERT INTO citizen_name_search(rowid, search_name) VALUES (new.id, new.search_name);
END;
CREATE TRIGGER citizens_name_search_delete AFTER DELETE ON citizens BEGIN
  INSERT INTO citizen_name_search(citizen_name_search, rowid, search_name) VALUES ('delete', old.id, old.search_name);
END;
