//! The sharing rule of `bro_authz::sharing`, in SQL, so lists are filtered in the query: the
//! holder's own records, or a consent or a legal basis in force that names the organisation
//! and the category. The organisation is the viewer's active role's (the audit context's
//! tenant), as in `access/`; the HTTP tests hold the two to each other.

use bro_domain::ShareCategory;

/// Where the rule is asked: the SQL expressions of the course, its citizen, the viewer's
/// organisation and the time (columns or placeholders).
pub(super) struct Asked<'a> {
    pub(super) course: &'a str,
    pub(super) citizen: &'a str,
    pub(super) org: &'a str,
    pub(super) now: &'a str,
}

/// An SQL condition: `category` of the course's citizen is shared with the organisation.
pub(super) fn shared_with(category: ShareCategory, at: Asked<'_>) -> String {
    let Asked {
        course,
        citizen,
        org,
        now,
    } = at;
    // The category is one of the enum's fixed codes, never user input.
    let like = format!("'%,{},%'", category.as_str());
    format!(
        "({org} = (SELECT h.org_id FROM care_team_members h WHERE h.course_id = {course} AND h.is_coordinator AND h.removed_ms IS NULL) \
         OR EXISTS (SELECT 1 FROM consents k JOIN consent_orgs ko ON ko.consent_id = k.id WHERE k.citizen_id = {citizen} \
           AND ko.org_id = {org} AND k.withdrawn_ms IS NULL AND k.awaiting_since_ms IS NULL AND k.valid_from_ms <= {now} AND (k.valid_to_ms IS NULL OR k.valid_to_ms > {now}) \
           AND (',' || k.categories || ',') LIKE {like}) \
         OR EXISTS (SELECT 1 FROM legal_bases b JOIN legal_basis_orgs bo ON bo.legal_basis_id = b.id WHERE b.citizen_id = {citizen} \
           AND bo.org_id = {org} AND b.ended_ms IS NULL AND b.valid_from_ms <= {now} AND b.valid_to_ms > {now} \
           AND (',' || b.categories || ',') LIKE {like}))"
    )
}
