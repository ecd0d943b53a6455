//! The consent pages (the team's and the citizen's own) and emergency access.

use super::forms::{ConsentInput, LegalBasisInput};
use crate::ui::{Chrome, EmergencyReviewRow, FormErrors};
use askama::Template;

/// One consent in plain words.
pub struct ConsentRow {
    pub id: i64,
    pub active: bool,
    /// Not withdrawn and not expired: it can still be withdrawn.
    pub withdrawable: bool,
    /// "Region Midtjylland må se: Helbred og behandling, Planen".
    pub summary: String,
    pub period: String,
    /// Form and who gave it.
    pub how: String,
    pub recorded: String,
    pub withdrawn: Option<String>,
    pub status: String,
    pub document: Option<String>,
}

/// One legal basis in plain words.
pub struct LegalBasisRow {
    pub id: i64,
    pub active: bool,
    pub endable: bool,
    /// The paragraph, e.g. "Psykiatriloven § 13 c".
    pub basis: String,
    pub summary: String,
    pub reason: String,
    pub period: String,
    pub recorded: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "sharing/consents.html")]
pub struct ConsentsView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub course_id: i64,
    pub course_name: String,
    /// The viewer is on the team of this open course.
    pub can_record: bool,
    /// Under 18: the rules for minors on social information apply.
    pub minor: bool,
    /// Under 15: the custody holders consent to sharing of health information.
    pub child: bool,
    pub rows: Vec<ConsentRow>,
    pub orgs: Vec<bro_store::Organisation>,
    pub categories: &'static [bro_domain::ShareCategory],
    pub forms: &'static [bro_domain::consent::ConsentForm],
    pub givers: &'static [bro_domain::consent::GivenBy],
    pub errors: FormErrors,
    pub input: ConsentInput,
    pub bases: Vec<LegalBasisRow>,
    /// The viewer coordinates this open course: records and ends legal bases.
    pub coordinates: bool,
    pub kinds: &'static [bro_domain::consent::LegalBasisKind],
    pub lb_input: LegalBasisInput,
}

impl ConsentsView {
    /// Where this course's consents (withdrawals, documents) live.
    pub fn consent_base(&self) -> String {
        format!("/courses/{}/consents", self.course_id)
    }

    /// Where this course's legal bases (ending one) live.
    pub fn legal_basis_base(&self) -> String {
        format!("/courses/{}/legal-bases", self.course_id)
    }
}

#[derive(Template)]
#[template(path = "sharing/me_consents.html")]
pub struct MeConsentsView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub rows: Vec<ConsentRow>,
    pub bases: Vec<LegalBasisRow>,
    /// The organisations of the citizen's team, to give consent to.
    pub orgs: Vec<(bro_domain::OrgId, String)>,
    pub categories: &'static [bro_domain::ShareCategory],
    pub errors: FormErrors,
    pub input: ConsentInput,
}

#[derive(Template)]
#[template(path = "sharing/emergency.html")]
pub struct EmergencyView {
    pub chrome: Chrome,
    pub course_id: i64,
    /// How long the access lasts.
    pub minutes: i64,
    pub errors: FormErrors,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "sharing/emergency_reviews.html")]
pub struct EmergencyReviewsView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub rows: Vec<EmergencyReviewRow>,
}
