//! The consent pages (the team's and the citizen's own) and emergency access.

use super::forms::{ConsentInput, LegalBasisInput};
use crate::ui::{Chrome, EmergencyReviewRow, FormErrors};
use askama::Template;
use bro_domain::consent::GivenBy;
use bro_store::{Consent, LegalBasis};

/// One consent in plain words.
pub(super) struct ConsentRow {
    pub(super) id: i64,
    pub(super) active: bool,
    /// Not withdrawn and not expired: it can still be withdrawn.
    pub(super) withdrawable: bool,
    /// "Region Midtjylland må se: Helbred og behandling, Planen".
    pub(super) summary: String,
    pub(super) period: String,
    /// Form and who gave it.
    pub(super) how: String,
    pub(super) recorded: String,
    pub(super) withdrawn: Option<String>,
    pub(super) status: String,
    pub(super) document: Option<String>,
    /// Waits for the citizen's or the coordinator's confirmation before it is in force.
    pub(super) awaiting: bool,
}

impl ConsentRow {
    /// `c` in plain words, as it stands at `now`.
    pub(super) fn new(chrome: &Chrome, c: &Consent, now: i64) -> ConsentRow {
        let orgs = c
            .orgs
            .iter()
            .map(|(_, n)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let categories = c
            .categories
            .iter()
            .map(|k| chrome.t(k.label_key()))
            .collect::<Vec<_>>()
            .join(", ");
        let until = c.valid_to_ms.map_or_else(
            || chrome.t("consent-until-withdrawn"),
            |to| chrome.date(&(to - 1)),
        );
        let mut how = chrome.t(c.form.label_key());
        match c.given_by {
            GivenBy::Citizen => {}
            GivenBy::CustodyHolders | GivenBy::Guardian => {
                how = format!(
                    "{how}; {}: {}",
                    chrome.t(c.given_by.label_key()),
                    c.givers.join(", ")
                );
            }
        }
        if !c.guardian_scope.is_empty() {
            how = format!("{how} ({})", c.guardian_scope);
        }
        if !c.witness.is_empty() {
            how = format!("{how}; {}: {}", chrome.t("consent-witness"), c.witness);
        }
        if let Some(by) = &c.confirmed_by {
            how = format!("{how}; {}: {by}", chrome.t("consent-confirmed-by"));
        }
        let status = if c.withdrawn_ms.is_some() {
            "consent-status-withdrawn"
        } else if c.awaiting {
            "consent-status-awaiting"
        } else if c.valid_to_ms.is_some_and(|to| to <= now) {
            "consent-status-expired"
        } else if c.valid_from_ms > now {
            "consent-status-future"
        } else {
            "consent-status-active"
        };
        ConsentRow {
            id: c.id,
            active: c.is_active(now),
            withdrawable: c.withdrawn_ms.is_none() && c.valid_to_ms.is_none_or(|to| to > now),
            summary: chrome.tn(
                "consent-summary",
                &[("orgs", orgs), ("categories", categories)],
            ),
            period: format!("{} – {until}", chrome.date(&c.valid_from_ms)),
            how,
            recorded: format!(
                "{}, {}",
                c.recorded_by,
                crate::ui::local_time(c.recorded_ms)
            ),
            withdrawn: c.withdrawn_ms.map(|w| {
                format!(
                    "{}, {}",
                    c.withdrawn_by.clone().unwrap_or_default(),
                    crate::ui::local_time(w)
                )
            }),
            status: chrome.t(status),
            document: c.document_name.clone(),
            awaiting: c.awaiting && c.withdrawn_ms.is_none(),
        }
    }
}

/// One legal basis in plain words.
pub(super) struct LegalBasisRow {
    pub(super) id: i64,
    pub(super) active: bool,
    pub(super) endable: bool,
    /// The paragraph, e.g. "Psykiatriloven § 13 c".
    pub(super) basis: String,
    pub(super) summary: String,
    pub(super) reason: String,
    pub(super) period: String,
    pub(super) recorded: String,
    pub(super) status: String,
}

impl LegalBasisRow {
    /// `b` in plain words, as it stands at `now`.
    pub(super) fn new(chrome: &Chrome, b: &LegalBasis, now: i64) -> LegalBasisRow {
        let orgs = b
            .orgs
            .iter()
            .map(|(_, n)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let categories = b
            .categories
            .iter()
            .map(|k| chrome.t(k.label_key()))
            .collect::<Vec<_>>()
            .join(", ");
        let status = if b.ended_ms.is_some() {
            "legal-basis-status-ended"
        } else if b.valid_to_ms <= now {
            "consent-status-expired"
        } else if b.valid_from_ms > now {
            "consent-status-future"
        } else {
            "consent-status-active"
        };
        LegalBasisRow {
            id: b.id,
            active: b.is_active(now),
            endable: b.ended_ms.is_none() && b.valid_to_ms > now,
            basis: chrome.t(b.kind.label_key()),
            summary: chrome.tn(
                "consent-summary",
                &[("orgs", orgs), ("categories", categories)],
            ),
            reason: b.reason.clone(),
            period: format!(
                "{} – {}",
                chrome.date(&b.valid_from_ms),
                chrome.date(&(b.valid_to_ms - 1))
            ),
            recorded: format!(
                "{}, {}",
                b.recorded_by,
                crate::ui::local_time(b.recorded_ms)
            ),
            status: chrome.t(status),
        }
    }
}

#[derive(Template)]
#[template(path = "sharing/consents.html")]
pub(super) struct ConsentsPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) course_id: i64,
    pub(super) course_name: String,
    /// The viewer is on the team of this open course.
    pub(super) can_record: bool,
    /// Under 18: the rules for minors on social information apply.
    pub(super) minor: bool,
    /// Under 15: the custody holders consent to sharing of health information.
    pub(super) child: bool,
    pub(super) rows: Vec<ConsentRow>,
    pub(super) orgs: Vec<bro_store::Organisation>,
    pub(super) categories: &'static [bro_domain::ShareCategory],
    pub(super) forms: &'static [bro_domain::consent::ConsentForm],
    pub(super) givers: &'static [bro_domain::consent::GivenBy],
    pub(super) errors: FormErrors,
    pub(super) input: ConsentInput,
    pub(super) bases: Vec<LegalBasisRow>,
    /// The viewer coordinates this open course: records and ends legal bases.
    pub(super) coordinates: bool,
    pub(super) kinds: &'static [bro_domain::consent::LegalBasisKind],
    pub(super) lb_input: LegalBasisInput,
}

impl ConsentsPage {
    /// Where this course's consents (withdrawals, documents) live.
    pub(super) fn consent_base(&self) -> String {
        format!("/courses/{}/consents", self.course_id)
    }

    /// Where this course's legal bases (ending one) live.
    pub(super) fn legal_basis_base(&self) -> String {
        format!("/courses/{}/legal-bases", self.course_id)
    }
}

#[derive(Template)]
#[template(path = "sharing/me_consents.html")]
pub(super) struct MeConsentsPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) rows: Vec<ConsentRow>,
    pub(super) bases: Vec<LegalBasisRow>,
    /// The organisations of the citizen's team, to give consent to.
    pub(super) orgs: Vec<(bro_domain::OrgId, String)>,
    pub(super) categories: &'static [bro_domain::ShareCategory],
    pub(super) errors: FormErrors,
    pub(super) input: ConsentInput,
}

#[derive(Template)]
#[template(path = "sharing/emergency.html")]
pub(super) struct EmergencyPage {
    pub(super) chrome: Chrome,
    pub(super) course_id: i64,
    /// How long the access lasts.
    pub(super) minutes: i64,
    pub(super) errors: FormErrors,
    pub(super) kinds: &'static [bro_domain::consent::EmergencyReasonKind],
    /// The chosen kind's code, as sent.
    pub(super) kind: String,
    pub(super) reason: String,
}

#[derive(Template)]
#[template(path = "sharing/emergency_reviews.html")]
pub(super) struct EmergencyReviewsPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) rows: Vec<EmergencyReviewRow>,
}
