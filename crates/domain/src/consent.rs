//! Consent to share information across organisations (Sundhedsloven § 17 on health
//! information; the citizen decides what is shared with whom). A consent names who may see
//! (organisations), which categories, for what purpose, in what form it was given and by whom,
//! and from when to when. Consents are never overwritten: a withdrawal is recorded on top.

use crate::coded::coded;
use crate::course::ShareCategory;
use crate::ids::OrgId;

coded!(
    /// How the consent was given.
    ConsentForm, "consent-form-" {
        Written => "written",
        Oral => "oral",
        Digital => "digital",
    }
);

coded!(
    /// Who gave it: the citizen, the custody holders of a child, or a guardian (værge).
    GivenBy, "consent-given-by-" {
        Citizen => "citizen",
        CustodyHolders => "custody_holders",
        Guardian => "guardian",
    }
);

coded!(
    /// Legal bases for sharing without consent, recorded on the course with a reason:
    /// Psykiatriloven § 13 c (sharing to coordinate for the target group), Sundhedsloven § 43,
    /// stk. 2 (the citizen's vital interest), and the case authority's own basis under the
    /// Service Act.
    LegalBasisKind, "legal-basis-" {
        Psykiatriloven13c => "psykiatriloven_13c",
        Sundhedsloven43 => "sundhedsloven_43_2",
        Serviceloven => "serviceloven",
    }
);

coded!(
    /// Why a professional outside the care team breaks the glass; the free text says more.
    EmergencyReasonKind, "emergency-kind-" {
        AcuteAdmission => "acute_admission",
        AcuteCrisis => "acute_crisis",
        CannotConsent => "cannot_consent",
        Danger => "danger",
    }
);

/// The fewest characters the free text of an emergency access's reason may have: enough to
/// say what is going on, so that the citizen and the reviewer can judge it afterwards.
pub const MIN_EMERGENCY_REASON_CHARS: usize = 20;

/// How long after an emergency access another by the same person to the same course counts
/// as its renewal.
pub const EMERGENCY_RENEWAL_WINDOW_MS: i64 = 24 * 3_600_000;

/// Renewals a professional may make on their own: one. A further one waits for the approval
/// of their organisation's administrator.
pub const EMERGENCY_RENEWALS_WITHOUT_APPROVAL: i64 = 1;

/// What covers one organisation's view of a citizen's information right now: the categories
/// its consents in force grant, and those its recorded legal bases grant (with the basis).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants {
    pub consent: Vec<ShareCategory>,
    pub legal_basis: Vec<(ShareCategory, LegalBasisKind)>,
}

/// A legal basis as typed, before it is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalBasisDraft {
    pub kind: LegalBasisKind,
    pub reason: String,
    pub orgs: Vec<OrgId>,
    pub categories: Vec<ShareCategory>,
    pub valid_from: time::Date,
    /// A legal basis always ends; it is reviewed, not left open.
    pub valid_to: Option<time::Date>,
}

impl LegalBasisDraft {
    pub fn check(&self) -> Vec<ConsentError> {
        let mut errors = Vec::new();
        if self.reason.trim().is_empty() {
            errors.push(ConsentError::ReasonRequired);
        } else if self.reason.chars().count() > 2 * MAX_TEXT {
            errors.push(ConsentError::TooLong);
        }
        if self.orgs.is_empty() {
            errors.push(ConsentError::NoOrgs);
        }
        if self.categories.is_empty() {
            errors.push(ConsentError::NoCategories);
        }
        match self.valid_to {
            None => errors.push(ConsentError::EndRequired),
            Some(to) if to < self.valid_from => errors.push(ConsentError::EndBeforeStart),
            Some(_) => {}
        }
        errors
    }
}

/// From this age a citizen consents to sharing of health information themselves
/// (Sundhedsloven § 17); for younger children the custody holders do.
pub const HEALTH_CONSENT_AGE: i32 = 15;
/// Under this age the rules for minors on social information apply (shown to staff).
pub const ADULT_AGE: i32 = 18;
/// The purpose every consent in Bro is for.
pub const PURPOSE: &str = "coordination";
/// The longest free text (names, scope, witness).
pub const MAX_TEXT: usize = 200;

impl ShareCategory {
    /// Health information in the sense of the Health Act: its sharing needs a consent the
    /// citizen gives from the age of 15.
    pub fn is_health(self) -> bool {
        matches!(self, ShareCategory::Health | ShareCategory::SubstanceAbuse)
    }
}

/// What a consent covers and how it was given, as typed and before it is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentDraft {
    pub orgs: Vec<OrgId>,
    pub categories: Vec<ShareCategory>,
    pub form: ConsentForm,
    pub given_by: GivenBy,
    /// The custody holders (one or two) or the guardian, by name; empty for the citizen.
    pub givers: Vec<String>,
    /// What the guardian may decide on (værgemålets omfang).
    pub guardian_scope: String,
    /// For an oral consent: who else heard it (required).
    pub witness: String,
    pub valid_from: time::Date,
    pub valid_to: Option<time::Date>,
    /// A written consent carries the signed document.
    pub has_document: bool,
}

/// Why a consent is refused; each names the field it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConsentError {
    #[error("choose at least one organisation")]
    NoOrgs,
    #[error("choose at least one category")]
    NoCategories,
    #[error("the end is before the start")]
    EndBeforeStart,
    #[error("a written consent needs the signed document")]
    DocumentRequired,
    #[error("an oral consent names who else heard it")]
    WitnessRequired,
    #[error(
        "a child under 15 does not consent to sharing health information; the custody holders do"
    )]
    ChildCannotConsent,
    #[error("one or two custody holders, by name")]
    CustodyHolders,
    #[error("the guardian's name")]
    GuardianName,
    #[error("what the guardianship covers")]
    GuardianScope,
    #[error("text too long")]
    TooLong,
    #[error("a legal basis needs a reason")]
    ReasonRequired,
    #[error("a legal basis needs an end date")]
    EndRequired,
}

impl ConsentError {
    pub fn message_key(self) -> &'static str {
        match self {
            ConsentError::NoOrgs => "consent-error-orgs",
            ConsentError::NoCategories => "consent-error-categories",
            ConsentError::EndBeforeStart => "consent-error-end-before-start",
            ConsentError::DocumentRequired => "consent-error-document",
            ConsentError::WitnessRequired => "consent-error-witness",
            ConsentError::ChildCannotConsent => "consent-error-child",
            ConsentError::CustodyHolders => "consent-error-custody",
            ConsentError::GuardianName => "consent-error-guardian-name",
            ConsentError::GuardianScope => "consent-error-guardian-scope",
            ConsentError::TooLong => "field-too-long",
            ConsentError::ReasonRequired => "legal-basis-error-reason",
            ConsentError::EndRequired => "legal-basis-error-end",
        }
    }

    /// The form field the message belongs next to.
    pub fn field(self) -> &'static str {
        match self {
            ConsentError::NoOrgs => "orgs",
            ConsentError::NoCategories => "categories",
            ConsentError::EndBeforeStart => "valid_to",
            ConsentError::DocumentRequired => "document",
            ConsentError::ChildCannotConsent | ConsentError::CustodyHolders => "givers",
            ConsentError::GuardianName => "givers",
            ConsentError::GuardianScope => "guardian_scope",
            ConsentError::TooLong | ConsentError::WitnessRequired => "witness",
            ConsentError::ReasonRequired => "reason",
            ConsentError::EndRequired => "valid_to",
        }
    }
}

impl ConsentDraft {
    /// Every reason the draft cannot be recorded for a citizen of `age`, at once, so the form
    /// shows them all.
    pub fn check(&self, age: i32) -> Vec<ConsentError> {
        let mut errors = Vec::new();
        if self.orgs.is_empty() {
            errors.push(ConsentError::NoOrgs);
        }
        if self.categories.is_empty() {
            errors.push(ConsentError::NoCategories);
        }
        if self.valid_to.is_some_and(|to| to < self.valid_from) {
            errors.push(ConsentError::EndBeforeStart);
        }
        if self.form == ConsentForm::Written && !self.has_document {
            errors.push(ConsentError::DocumentRequired);
        }
        // Heard by one person alone, an oral consent would rest on the recorder's word.
        if self.form == ConsentForm::Oral && self.witness.trim().is_empty() {
            errors.push(ConsentError::WitnessRequired);
        }
        let named = self.givers.iter().filter(|g| !g.trim().is_empty()).count();
        match self.given_by {
            GivenBy::Citizen => {
                if age < HEALTH_CONSENT_AGE && self.categories.iter().any(|c| c.is_health()) {
                    errors.push(ConsentError::ChildCannotConsent);
                }
            }
            GivenBy::CustodyHolders => {
                if !(1..=2).contains(&named) {
                    errors.push(ConsentError::CustodyHolders);
                }
            }
            GivenBy::Guardian => {
                if named != 1 {
                    errors.push(ConsentError::GuardianName);
                }
                if self.guardian_scope.trim().is_empty() {
                    errors.push(ConsentError::GuardianScope);
                }
            }
        }
        let long = |s: &str| s.chars().count() > MAX_TEXT;
        if self.givers.iter().any(|g| long(g)) || long(&self.guardian_scope) || long(&self.witness)
        {
            errors.push(ConsentError::TooLong);
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u8) -> time::Date {
        time::Date::from_calendar_date(2026, time::Month::November, d).expect("date")
    }

    fn draft() -> ConsentDraft {
        ConsentDraft {
            orgs: vec![OrgId(2)],
            categories: vec![ShareCategory::Health, ShareCategory::Plan],
            form: ConsentForm::Oral,
            given_by: GivenBy::Citizen,
            givers: vec![],
            guardian_scope: String::new(),
            witness: "Bente Bostøtte".into(),
            valid_from: day(1),
            valid_to: Some(day(30)),
            has_document: false,
        }
    }

    #[test]
    fn an_oral_consent_names_its_witness() {
        let unwitnessed = ConsentDraft {
            witness: "  ".into(),
            ..draft()
        };
        assert_eq!(unwitnessed.check(40), vec![ConsentError::WitnessRequired]);
        assert!(draft().check(40).is_empty());
    }

    #[test]
    fn a_legal_basis_names_its_reason_and_ends() {
        let basis = LegalBasisDraft {
            kind: LegalBasisKind::Psykiatriloven13c,
            reason: "Borgeren er i målgruppen og samarbejder ikke om samtykke".into(),
            orgs: vec![OrgId(1)],
            categories: vec![ShareCategory::Health],
            valid_from: day(1),
            valid_to: Some(day(30)),
        };
        assert!(basis.check().is_empty());
        let bad = LegalBasisDraft {
            reason: " ".into(),
            orgs: vec![],
            categories: vec![],
            valid_to: None,
            ..basis.clone()
        };
        assert_eq!(
            bad.check(),
            [
                ConsentError::ReasonRequired,
                ConsentError::NoOrgs,
                ConsentError::NoCategories,
                ConsentError::EndRequired
            ]
        );
        let backwards = LegalBasisDraft {
            valid_to: Some(day(1).previous_day().expect("day")),
            ..basis
        };
        assert_eq!(backwards.check(), [ConsentError::EndBeforeStart]);
    }

    #[test]
    fn a_complete_consent_passes() {
        assert!(draft().check(34).is_empty());
    }

    #[test]
    fn bad_consents_say_every_reason() {
        let bad = ConsentDraft {
            orgs: vec![],
            categories: vec![],
            form: ConsentForm::Written,
            valid_to: Some(day(1).previous_day().expect("day")),
            ..draft()
        };
        assert_eq!(
            bad.check(34),
            [
                ConsentError::NoOrgs,
                ConsentError::NoCategories,
                ConsentError::EndBeforeStart,
                ConsentError::DocumentRequired
            ]
        );
    }

    #[test]
    fn children_under_15_are_represented_by_their_custody_holders() {
        assert_eq!(draft().check(14), [ConsentError::ChildCannotConsent]);
        let social_only = ConsentDraft {
            categories: vec![ShareCategory::Social],
            ..draft()
        };
        assert!(
            social_only.check(14).is_empty(),
            "the Health Act's rule is about health"
        );
        assert!(draft().check(15).is_empty());
        let parents = |givers: &[&str]| ConsentDraft {
            given_by: GivenBy::CustodyHolders,
            givers: givers.iter().map(|g| (*g).to_owned()).collect(),
            ..draft()
        };
        assert!(parents(&["Mor", "Far"]).check(12).is_empty());
        assert!(
            parents(&["Mor", " "]).check(12).is_empty(),
            "one holder is enough"
        );
        assert_eq!(parents(&[]).check(12), [ConsentError::CustodyHolders]);
        assert_eq!(
            parents(&["A", "B", "C"]).check(12),
            [ConsentError::CustodyHolders]
        );
    }

    #[test]
    fn a_guardian_acts_within_a_stated_scope() {
        let guardian = ConsentDraft {
            given_by: GivenBy::Guardian,
            givers: vec!["Advokat Jens Holm".into()],
            guardian_scope: "Personlige og økonomiske forhold".into(),
            ..draft()
        };
        assert!(guardian.check(40).is_empty());
        let unscoped = ConsentDraft {
            guardian_scope: " ".into(),
            givers: vec![],
            ..guardian
        };
        assert_eq!(
            unscoped.check(40),
            [ConsentError::GuardianName, ConsentError::GuardianScope]
        );
    }
}
