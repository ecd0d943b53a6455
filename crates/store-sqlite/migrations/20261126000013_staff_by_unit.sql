-- Staff options are listed by organisation (units by org, then their role assignments): the
-- assignments need an index by unit, or the list costs a scan of every assignment in the country.
-- The twin has the same version.
CREATE INDEX role_assignments_unit ON role_assignments(unit_id);
