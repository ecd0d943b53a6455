//! What the referral forms take: a new referral, and one step on an existing one.

use bro_domain::offer::OfferLaw;
use bro_domain::referral::{ReferralAction, ReferralText, Urgency};
use serde::Deserialize;

/// A new referral, as typed; kept on screen when it is refused.
#[derive(Deserialize, Default, Clone)]
pub(super) struct NewReferralForm {
    #[serde(default)]
    pub(super) offer: i64,
    #[serde(default)]
    pub(super) urgency: String,
    #[serde(default)]
    pub(super) reason: String,
    #[serde(default)]
    pub(super) tried: String,
    #[serde(default)]
    pub(super) wishes: String,
    /// "yes": the citizen agreed when it was made; "ask": they confirm it on their own page.
    #[serde(default)]
    pub(super) agreed: String,
}

impl NewReferralForm {
    pub(super) fn text(&self) -> ReferralText {
        ReferralText {
            reason: self.reason.clone(),
            tried: self.tried.clone(),
            wishes: self.wishes.clone(),
        }
    }

    pub(super) fn urgency(&self) -> Option<Urgency> {
        Urgency::parse(&self.urgency)
    }
}

/// The query of the new referral form: the offer chosen in the directory.
#[derive(Deserialize)]
pub(super) struct OfferQuery {
    pub(super) offer: i64,
    /// The outreach contact (with a worsening) the referral starts from.
    #[serde(default)]
    pub(super) contact: Option<i64>,
}

/// One step on a referral, on the version its actor saw.
#[derive(Default)]
pub(super) struct StepForm {
    pub(super) action: String,
    pub(super) base_version: i64,
    pub(super) note: String,
    /// For a decision: its legal basis.
    pub(super) law: String,
    /// For a rejection: other offers named instead (ticked boxes).
    pub(super) alternatives: Vec<i64>,
}

impl StepForm {
    pub(super) fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = StepForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "action" => f.action = v,
                "base_version" => f.base_version = v.parse().unwrap_or(0),
                "note" => f.note = v,
                "law" => f.law = v,
                "alternatives" => f.alternatives.extend(v.parse::<i64>().ok()),
                _ => {}
            }
        }
        f.alternatives.truncate(10);
        f
    }

    pub(super) fn action(&self) -> Option<ReferralAction> {
        ReferralAction::parse(&self.action)
    }

    pub(super) fn law(&self) -> Option<OfferLaw> {
        OfferLaw::parse(&self.law)
    }
}
