//! What the consent, legal-basis and emergency-access forms take, parsed into domain values
//! and checked.

use crate::ui::{Chrome, FormErrors};
use bro_domain::consent::{
    ConsentDraft, ConsentError, ConsentForm, EmergencyReasonKind, GivenBy, LegalBasisDraft,
    LegalBasisKind, MIN_EMERGENCY_REASON_CHARS,
};
use bro_domain::plan::parse_day;
use bro_domain::{CitizenId, OrgId, ShareCategory};
use bro_store::{ConsentDocument, CourseAccess, NewConsent, NewLegalBasis};

/// Who may see what, as ticked in a consent or legal-basis form.
#[derive(Default, Clone)]
pub(super) struct Coverage {
    pub(super) orgs: Vec<i64>,
    pub(super) categories: Vec<String>,
}

impl Coverage {
    pub(super) fn has_org(&self, id: &OrgId) -> bool {
        self.orgs.contains(&id.0)
    }

    pub(super) fn has_category(&self, c: &ShareCategory) -> bool {
        self.categories.iter().any(|x| x == c.as_str())
    }

    /// The ticked organisations; one that does not exist is refused by `field`.
    pub(super) fn orgs(
        &self,
        chrome: &Chrome,
        errors: &mut FormErrors,
        field: &'static str,
        known: &[OrgId],
    ) -> Vec<OrgId> {
        let orgs: Vec<OrgId> = self.orgs.iter().map(|o| OrgId(*o)).collect();
        if orgs.iter().any(|o| !known.contains(o)) {
            errors.add(chrome, field, "consent-error-unknown-org");
        }
        orgs
    }

    pub(super) fn categories(&self) -> Vec<ShareCategory> {
        self.categories
            .iter()
            .filter_map(|c| ShareCategory::parse(c))
            .collect()
    }
}

/// What the consent form sent, as typed; kept on screen when it is refused.
#[derive(Default, Clone)]
pub(super) struct ConsentInput {
    pub(super) coverage: Coverage,
    pub(super) form: String,
    pub(super) given_by: String,
    pub(super) giver1: String,
    pub(super) giver2: String,
    pub(super) guardian_scope: String,
    pub(super) witness: String,
    /// The witness's organisation's id, or empty.
    pub(super) witness_org: String,
    pub(super) valid_from: String,
    pub(super) valid_to: String,
}

impl ConsentInput {
    pub(super) fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = ConsentInput::default();
        for (k, v) in pairs {
            match k.as_str() {
                "orgs" => f.coverage.orgs.extend(v.parse::<i64>().ok()),
                "categories" => f.coverage.categories.push(v),
                "form" => f.form = v,
                "given_by" => f.given_by = v,
                "giver1" => f.giver1 = v,
                "giver2" => f.giver2 = v,
                "guardian_scope" => f.guardian_scope = v,
                "witness" => f.witness = v,
                "witness_org" => f.witness_org = v,
                "valid_from" => f.valid_from = v,
                "valid_to" => f.valid_to = v,
                _ => {}
            }
        }
        f
    }

    /// Checks the input for a citizen of `age`; on success, the consent to record.
    pub(super) fn check(
        &self,
        chrome: &Chrome,
        errors: &mut FormErrors,
        citizen: CitizenId,
        age: i32,
        known_orgs: &[OrgId],
        document: Option<ConsentDocument>,
    ) -> Option<NewConsent> {
        let form = ConsentForm::parse(&self.form);
        if form.is_none() {
            errors.add(chrome, "form", "field-choose");
        }
        let given_by = GivenBy::parse(&self.given_by);
        if given_by.is_none() {
            errors.add(chrome, "given_by", "field-choose");
        }
        let from = if self.valid_from.trim().is_empty() {
            errors.add(chrome, "valid_from", "field-required");
            None
        } else {
            parse_day(&self.valid_from)
                .map_err(|e| errors.add(chrome, "valid_from", e.message_key()))
                .ok()
        };
        let to = match self.valid_to.trim() {
            "" => Some(None),
            t => parse_day(t)
                .map(Some)
                .map_err(|e| errors.add(chrome, "valid_to", e.message_key()))
                .ok(),
        };
        let orgs = self.coverage.orgs(chrome, errors, "orgs", known_orgs);
        let witness_org = match self.witness_org.trim() {
            "" => None,
            id => {
                let org = id
                    .parse()
                    .ok()
                    .map(OrgId)
                    .filter(|o| known_orgs.contains(o));
                if org.is_none() {
                    errors.add(chrome, "witness_org", "consent-error-unknown-org");
                }
                org
            }
        };
        let categories = self.coverage.categories();
        let (Some(form), Some(given_by), Some(from), Some(to)) = (form, given_by, from, to) else {
            return None;
        };
        let givers: Vec<String> = [&self.giver1, &self.giver2]
            .iter()
            .map(|g| g.trim().to_owned())
            .filter(|g| !g.is_empty())
            .collect();
        let draft = ConsentDraft {
            orgs: orgs.clone(),
            categories: categories.clone(),
            form,
            given_by,
            givers: givers.clone(),
            guardian_scope: self.guardian_scope.trim().to_owned(),
            witness: self.witness.trim().to_owned(),
            valid_from: from,
            valid_to: to,
            has_document: document.is_some(),
        };
        for e in draft.check(age) {
            errors.add(chrome, e.field(), e.message_key());
        }
        if !errors.is_empty() {
            return None;
        }
        Some(NewConsent {
            citizen_id: citizen,
            course_id: None,
            orgs,
            categories,
            form,
            given_by,
            givers,
            guardian_scope: draft.guardian_scope,
            witness: draft.witness,
            witness_org,
            valid_from_ms: crate::ui::danish_day_start_ms(from),
            valid_to_ms: to.map(|d| crate::ui::danish_day_start_ms(d.next_day().unwrap_or(d))),
            document,
        })
    }
}

/// What the legal-basis form sent, as typed.
#[derive(Default, Clone)]
pub(super) struct LegalBasisInput {
    pub(super) kind: String,
    pub(super) reason: String,
    pub(super) coverage: Coverage,
    pub(super) valid_from: String,
    pub(super) valid_to: String,
}

impl LegalBasisInput {
    pub(super) fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = LegalBasisInput::default();
        for (k, v) in pairs {
            match k.as_str() {
                "lb_kind" => f.kind = v,
                "lb_reason" => f.reason = v,
                "lb_orgs" => f.coverage.orgs.extend(v.parse::<i64>().ok()),
                "lb_categories" => f.coverage.categories.push(v),
                "lb_from" => f.valid_from = v,
                "lb_to" => f.valid_to = v,
                _ => {}
            }
        }
        f
    }

    pub(super) fn check(
        &self,
        chrome: &Chrome,
        errors: &mut FormErrors,
        a: &CourseAccess,
        known_orgs: &[OrgId],
    ) -> Option<NewLegalBasis> {
        let kind = LegalBasisKind::parse(&self.kind);
        if kind.is_none() {
            errors.add(chrome, "lb_kind", "field-choose");
        }
        let mut day = |value: &str, field: &'static str| -> Option<Option<time::Date>> {
            match value.trim() {
                "" => Some(None),
                v => parse_day(v)
                    .map(Some)
                    .map_err(|e| errors.add(chrome, field, e.message_key()))
                    .ok(),
            }
        };
        let from = day(&self.valid_from, "lb_from");
        let to = day(&self.valid_to, "lb_to");
        if matches!(from, Some(None)) {
            errors.add(chrome, "lb_from", "field-required");
        }
        let orgs = self.coverage.orgs(chrome, errors, "lb_orgs", known_orgs);
        let (Some(kind), Some(Some(from)), Some(to)) = (kind, from, to) else {
            return None;
        };
        let draft = LegalBasisDraft {
            kind,
            reason: self.reason.trim().to_owned(),
            orgs: orgs.clone(),
            categories: self.coverage.categories(),
            valid_from: from,
            valid_to: to,
        };
        for e in draft.check() {
            let field = match e {
                ConsentError::NoOrgs => "lb_orgs",
                ConsentError::NoCategories => "lb_categories",
                ConsentError::EndRequired | ConsentError::EndBeforeStart => "lb_to",
                _ => "lb_reason",
            };
            errors.add(chrome, field, e.message_key());
        }
        let to = to?;
        if !errors.is_empty() {
            return None;
        }
        Some(NewLegalBasis {
            citizen_id: a.citizen_id,
            course_id: Some(a.course_id),
            kind,
            reason: draft.reason,
            orgs,
            categories: draft.categories,
            valid_from_ms: crate::ui::danish_day_start_ms(from),
            valid_to_ms: crate::ui::danish_day_start_ms(to.next_day().unwrap_or(to)),
        })
    }
}

#[derive(serde::Deserialize)]
pub(super) struct RequestForm {
    pub(super) category: String,
}

/// Why a professional outside the team needs emergency access.
#[derive(serde::Deserialize, Default)]
pub(super) struct EmergencyForm {
    #[serde(default)]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) reason: String,
}

impl EmergencyForm {
    /// The reason's kind and its text, which says enough to judge it afterwards.
    pub(super) fn check(
        &self,
        chrome: &Chrome,
        errors: &mut FormErrors,
    ) -> Option<(EmergencyReasonKind, String)> {
        let kind = EmergencyReasonKind::parse(&self.kind);
        if kind.is_none() {
            errors.add(chrome, "kind", "field-choose");
        }
        let reason = self.reason.trim();
        if reason.chars().count() < MIN_EMERGENCY_REASON_CHARS {
            errors.add(chrome, "reason", "emergency-reason-too-short");
        } else if reason.chars().count() > 1000 {
            errors.add(chrome, "reason", "field-too-long");
        }
        if !errors.is_empty() {
            return None;
        }
        Some((kind?, reason.to_owned()))
    }
}

/// The privacy contact's comment on an emergency access.
#[derive(serde::Deserialize, Default)]
pub(super) struct ReviewForm {
    #[serde(default)]
    pub(super) comment: String,
}
