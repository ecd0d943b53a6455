-- "Who looked at my data" lists what others did; the citizen's own reads ('own-data') pile up
-- with every page they open and must not be read to find the others'. A partial index holds
-- only the others' records about each citizen, in the page's order (newest first, read
-- backwards), with the acting unit for the organisation filter. The twin has the same version.
CREATE INDEX audit_subject_others ON audit_log(subject_citizen_id, at_ms, tenant_id, seq, actor_unit_id)
  WHERE subject_citizen_id IS NOT NULL AND purpose <> 'own-data';
