-- Name search at national scale: "contains" over 100,000 names must not read every citizen.
-- PostgreSQL: a trigram GIN index (pg_trgm, a trusted extension, kept in the public schema so
-- that dropping an application schema never takes it along) answers LIKE '%...%' with three or
-- more letters. The twin uses FTS5; same version.
-- Tests migrate many schemas of one database at once: one creates the extension at a time.
SELECT pg_advisory_xact_lock(7243051);
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE INDEX citizens_search_name_trgm ON citizens USING gin (search_name public.gin_trgm_ops);
