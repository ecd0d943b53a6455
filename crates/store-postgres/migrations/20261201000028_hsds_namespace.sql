-- The instance's namespace for the ids of its open data (HSDS): 40 random bits, chosen once
-- when the database is created, so the ids of two Bro instances never meet.
INSERT INTO meta (key, value)
VALUES ('hsds_namespace', substr(md5(random()::text || clock_timestamp()::text), 1, 10));
