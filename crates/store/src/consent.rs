//! Consent records as the store keeps them.

use bro_domain::consent::{ConsentForm, EmergencyReasonKind, GivenBy, LegalBasisKind};
use bro_domain::{CitizenId, CourseId, OrgId, ShareCategory, Timestamp};

/// The signed document of a written consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentDocument {
    /// The uploaded file's name, shown to staff and the citizen.
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct NewConsent {
    pub citizen_id: CitizenId,
    /// The course it was recorded on.
    pub course_id: Option<CourseId>,
    pub orgs: Vec<OrgId>,
    pub categories: Vec<ShareCategory>,
    pub form: ConsentForm,
    pub given_by: GivenBy,
    pub givers: Vec<String>,
    pub guardian_scope: String,
    pub witness: String,
    /// The witness's organisation, when they work in one.
    pub witness_org: Option<OrgId>,
    pub valid_from_ms: Timestamp,
    /// Exclusive; `None` until withdrawn.
    pub valid_to_ms: Option<Timestamp>,
    pub document: Option<ConsentDocument>,
}

/// A recorded consent, with its withdrawal if any. Never changed otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub id: i64,
    pub citizen_id: CitizenId,
    /// Who may see, by name.
    pub orgs: Vec<(OrgId, String)>,
    pub categories: Vec<ShareCategory>,
    pub purpose: String,
    pub form: ConsentForm,
    pub given_by: GivenBy,
    pub givers: Vec<String>,
    pub guardian_scope: String,
    pub witness: String,
    pub valid_from_ms: Timestamp,
    pub valid_to_ms: Option<Timestamp>,
    pub recorded_by: String,
    pub recorded_ms: Timestamp,
    pub document_name: Option<String>,
    pub withdrawn_ms: Option<Timestamp>,
    pub withdrawn_by: Option<String>,
    /// Recorded by staff for their own organisation (or again on the day it was withdrawn):
    /// not in force until the citizen or the coordinator confirms it.
    pub awaiting: bool,
    /// Who confirmed it, when it had to be.
    pub confirmed_by: Option<String>,
}

impl Consent {
    /// In force at `now`: confirmed where it had to be, started, not ended, not withdrawn.
    pub fn is_active(&self, now: Timestamp) -> bool {
        !self.awaiting
            && self.withdrawn_ms.is_none()
            && self.valid_from_ms <= now
            && self.valid_to_ms.is_none_or(|to| now < to)
    }
}

#[derive(Debug, Clone)]
pub struct NewLegalBasis {
    pub citizen_id: CitizenId,
    pub course_id: Option<CourseId>,
    pub kind: LegalBasisKind,
    pub reason: String,
    pub orgs: Vec<OrgId>,
    pub categories: Vec<ShareCategory>,
    pub valid_from_ms: Timestamp,
    /// Exclusive.
    pub valid_to_ms: Timestamp,
}

/// A recorded legal basis for sharing without consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalBasis {
    pub id: i64,
    pub kind: LegalBasisKind,
    pub reason: String,
    pub orgs: Vec<(OrgId, String)>,
    pub categories: Vec<ShareCategory>,
    pub valid_from_ms: Timestamp,
    pub valid_to_ms: Timestamp,
    pub recorded_by: String,
    pub recorded_ms: Timestamp,
    pub ended_ms: Option<Timestamp>,
}

impl LegalBasis {
    pub fn is_active(&self, now: Timestamp) -> bool {
        self.ended_ms.is_none() && self.valid_from_ms <= now && now < self.valid_to_ms
    }
}

#[derive(Debug, Clone)]
pub struct NewEmergencyAccess {
    pub citizen_id: CitizenId,
    pub course_id: CourseId,
    pub org_id: OrgId,
    pub kind: EmergencyReasonKind,
    pub reason: String,
    pub ends_ms: Timestamp,
}

/// An emergency access, as the citizen and the privacy contact see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyAccess {
    pub id: i64,
    pub course_id: CourseId,
    pub user_name: String,
    pub org_name: String,
    pub kind: EmergencyReasonKind,
    pub reason: String,
    pub started_ms: Timestamp,
    pub ends_ms: Timestamp,
    /// 0 for a first access; 1, 2, … for its renewals within the renewal window.
    pub renewal: i64,
    /// A renewal beyond the one a professional may make alone, not in force until their
    /// organisation's administrator approves it.
    pub awaiting_approval: bool,
    pub approved_by: Option<String>,
    pub reviewed_ms: Option<Timestamp>,
    pub reviewed_by: Option<String>,
    pub review_comment: Option<String>,
}
