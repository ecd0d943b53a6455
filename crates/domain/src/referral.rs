//! Referral and visitation: a team member refers the citizen of a course to an offer in the
//! directory, and the receiving unit takes it through the states of HL7's closed-loop referral
//! (the SDOH Clinical Care IG's Task): requested → received → accepted or rejected → in
//! progress → completed, or cancelled, and on hold on the way. A referral the citizen has not
//! yet agreed to is a draft: nothing of it reaches the receiving unit until they confirm.
//!
//! Who may refer follows the offer's referrer kinds; who decides follows the offer's category
//! (the function leader for a temporary care place, the case authority otherwise). This module
//! holds the rules; the store keeps the history and the access layer the checks.

use crate::coded::coded;
use crate::course::ShareCategory;
use crate::offer::{OfferCategory, ReferrerKind};
use crate::org::{OrgKind, UnitKind};
use crate::role::Role;

coded!(
    /// Where a referral stands (HL7 FHIR Task.status, the codes the closed loop uses).
    ReferralStatus, "referral-status-" {
        Draft => "draft",
        Requested => "requested",
        Received => "received",
        Accepted => "accepted",
        Rejected => "rejected",
        InProgress => "in_progress",
        OnHold => "on_hold",
        Completed => "completed",
        Cancelled => "cancelled",
    }
);

coded!(
    /// How soon the referral should be dealt with (FHIR Task.priority).
    Urgency, "referral-urgency-" {
        Routine => "routine",
        Urgent => "urgent",
        Asap => "asap",
    }
);

coded!(
    /// What someone does to a referral: one step of its history.
    ReferralAction, "referral-action-" {
        Create => "create",
        Confirm => "confirm",
        Receive => "receive",
        Accept => "accept",
        Reject => "reject",
        Start => "start",
        Complete => "complete",
        Cancel => "cancel",
        Hold => "hold",
        Resume => "resume",
        Recommend => "recommend",
    }
);

impl Urgency {
    /// The queue's order: the most urgent first.
    pub fn rank(self) -> u8 {
        match self {
            Urgency::Asap => 0,
            Urgency::Urgent => 1,
            Urgency::Routine => 2,
        }
    }
}

impl ReferralStatus {
    /// Nothing more happens to a referral in a final state.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ReferralStatus::Rejected | ReferralStatus::Completed | ReferralStatus::Cancelled
        )
    }
}

/// Who acts on a referral, as the rules see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The citizen it is about.
    Citizen,
    /// A member of the course's care team (the referrer among them).
    Team,
    /// Staff of the receiving unit without the deciding role: they can only recommend.
    Receiver,
    /// Staff of the receiving unit with the deciding role.
    Decider,
}

/// Why a step is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepError {
    /// The step does not follow from where the referral stands.
    NotNow,
    /// The step is not this side's to take.
    NotYours,
    /// The step needs a reason, and none was given.
    ReasonRequired,
}

impl StepError {
    pub fn message_key(self) -> &'static str {
        match self {
            StepError::NotNow => "referral-error-not-now",
            StepError::NotYours => "referral-error-not-yours",
            StepError::ReasonRequired => "referral-error-reason",
        }
    }
}

/// Which side may take `action`.
fn side_may(action: ReferralAction, side: Side) -> bool {
    use ReferralAction as A;
    match action {
        A::Create => side == Side::Team,
        A::Confirm => side == Side::Citizen,
        A::Cancel => side == Side::Team,
        A::Accept | A::Reject => side == Side::Decider,
        A::Recommend => side == Side::Receiver,
        A::Receive | A::Start | A::Complete | A::Hold | A::Resume => {
            matches!(side, Side::Receiver | Side::Decider)
        }
    }
}

/// Whether `action` needs a written reason.
pub fn needs_reason(action: ReferralAction) -> bool {
    matches!(
        action,
        ReferralAction::Reject
            | ReferralAction::Cancel
            | ReferralAction::Hold
            | ReferralAction::Accept
            | ReferralAction::Recommend
    )
}

/// The state after `action` by `side` on a referral in `status` (held from `held_from` when on
/// hold), or why it is refused. A recommendation leaves the state as it is.
pub fn step(
    status: ReferralStatus,
    held_from: Option<ReferralStatus>,
    action: ReferralAction,
    side: Side,
    reason: &str,
) -> Result<ReferralStatus, StepError> {
    use ReferralAction as A;
    use ReferralStatus as S;
    if !side_may(action, side) {
        return Err(StepError::NotYours);
    }
    let next = match (action, status) {
        (A::Confirm, S::Draft) => S::Requested,
        (A::Receive, S::Requested) => S::Received,
        (A::Accept, S::Requested | S::Received) => S::Accepted,
        (A::Reject, S::Requested | S::Received) => S::Rejected,
        (A::Recommend, S::Requested | S::Received) => status,
        (A::Start, S::Accepted) => S::InProgress,
        (A::Complete, S::InProgress) => S::Completed,
        (A::Hold, S::Requested | S::Received | S::Accepted | S::InProgress) => S::OnHold,
        (A::Resume, S::OnHold) => held_from.ok_or(StepError::NotNow)?,
        (A::Cancel, s) if !s.is_final() => S::Cancelled,
        _ => return Err(StepError::NotNow),
    };
    if needs_reason(action) && reason.trim().is_empty() {
        return Err(StepError::ReasonRequired);
    }
    Ok(next)
}

/// What is known of a staff member's place, for the referrer kinds they act as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferrerFacts {
    pub org_kind: OrgKind,
    pub unit_kind: UnitKind,
    /// Their organisation publishes the offer.
    pub offer_org: bool,
    /// They are a member of a Fælles Team.
    pub faelles_team: bool,
}

/// The referrer kinds a staff member acts as.
pub fn referrer_kinds(f: ReferrerFacts) -> Vec<ReferrerKind> {
    let mut kinds = Vec::new();
    match f.org_kind {
        OrgKind::GpPractice => kinds.push(ReferrerKind::Gp),
        OrgKind::Region => {
            kinds.push(ReferrerKind::RegionalPsychiatry);
            if f.unit_kind == UnitKind::Ward {
                kinds.push(ReferrerKind::Hospital);
            }
        }
        OrgKind::Municipality if f.offer_org => kinds.push(ReferrerKind::OwnMunicipality),
        _ => {}
    }
    if f.org_kind == OrgKind::Municipality && f.unit_kind == UnitKind::CaseAuthority {
        kinds.push(ReferrerKind::CaseAuthority);
    }
    if f.faelles_team {
        kinds.push(ReferrerKind::FaellesTeam);
    }
    kinds
}

/// The kind a staff member refers as to an offer that allows `allowed`: the first of theirs
/// the offer allows, or `None` when the offer allows none of theirs.
pub fn referring_kind(f: ReferrerFacts, allowed: &[ReferrerKind]) -> Option<ReferrerKind> {
    referrer_kinds(f).into_iter().find(|k| allowed.contains(k))
}

/// Who makes the final decision on a referral to an offer of `category`: the function leader
/// for a temporary care place (MPO), the case authority's visitator for the rest.
pub fn deciding_role(category: Option<OfferCategory>) -> Role {
    match category {
        Some(OfferCategory::TemporaryCarePlace) => Role::FunctionLeader,
        _ => Role::Visitator,
    }
}

/// The category of the citizen's information a referral to an offer of `category` is: what
/// sharing decides whether a team member from another organisation sees it.
pub fn share_category(category: Option<OfferCategory>) -> ShareCategory {
    use OfferCategory as C;
    match category {
        Some(C::SubstanceTreatment) => ShareCategory::SubstanceAbuse,
        Some(C::OutpatientPsychiatry | C::AcutePsychiatry | C::TemporaryCarePlace) => {
            ShareCategory::Health
        }
        Some(C::Employment | C::Education) => ShareCategory::Employment,
        _ => ShareCategory::Social,
    }
}

/// The longest text of a referral's fields.
pub const TEXT_MAX: usize = 5_000;

/// What the referrer writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferralText {
    pub reason: String,
    /// What has been tried already.
    pub tried: String,
    /// The citizen's own wishes, in their words.
    pub wishes: String,
}

impl ReferralText {
    /// Every reason the text cannot be sent, by field: (field, Fluent key).
    pub fn check(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        if self.reason.trim().is_empty() {
            out.push(("reason", "field-required"));
        }
        for (field, value) in [
            ("reason", &self.reason),
            ("tried", &self.tried),
            ("wishes", &self.wishes),
        ] {
            if value.chars().count() > TEXT_MAX {
                out.push((field, "field-too-long"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReferralAction as A;
    use ReferralStatus as S;

    #[test]
    fn the_closed_loop_allows_its_steps_and_refuses_the_rest() {
        let ok = |s, a, side| step(s, None, a, side, "fordi");
        assert_eq!(ok(S::Draft, A::Confirm, Side::Citizen), Ok(S::Requested));
        assert_eq!(
            ok(S::Requested, A::Receive, Side::Receiver),
            Ok(S::Received)
        );
        assert_eq!(ok(S::Received, A::Accept, Side::Decider), Ok(S::Accepted));
        assert_eq!(ok(S::Requested, A::Reject, Side::Decider), Ok(S::Rejected));
        assert_eq!(ok(S::Accepted, A::Start, Side::Decider), Ok(S::InProgress));
        assert_eq!(
            ok(S::InProgress, A::Complete, Side::Receiver),
            Ok(S::Completed)
        );
        assert_eq!(
            ok(S::Received, A::Recommend, Side::Receiver),
            Ok(S::Received)
        );
        assert_eq!(ok(S::Accepted, A::Hold, Side::Receiver), Ok(S::OnHold));
        assert_eq!(
            step(S::OnHold, Some(S::Accepted), A::Resume, Side::Receiver, ""),
            Ok(S::Accepted)
        );
        for s in [
            S::Draft,
            S::Requested,
            S::Received,
            S::Accepted,
            S::InProgress,
            S::OnHold,
        ] {
            assert_eq!(ok(s, A::Cancel, Side::Team), Ok(S::Cancelled), "{s:?}");
        }
        // Every other step from every state is refused, by whom it is not for or by when.
        for s in S::ALL {
            for a in A::ALL {
                for side in [Side::Citizen, Side::Team, Side::Receiver, Side::Decider] {
                    let r = step(*s, Some(S::Received), *a, side, "fordi");
                    if !side_may(*a, side) {
                        assert_eq!(r, Err(StepError::NotYours), "{s:?} {a:?} {side:?}");
                    } else if s.is_final() {
                        assert_eq!(r, Err(StepError::NotNow), "{s:?} {a:?}");
                    }
                }
            }
        }
        assert_eq!(
            ok(S::Received, A::Accept, Side::Receiver),
            Err(StepError::NotYours)
        );
        assert_eq!(
            ok(S::Completed, A::Cancel, Side::Team),
            Err(StepError::NotNow)
        );
        assert_eq!(
            ok(S::Draft, A::Receive, Side::Receiver),
            Err(StepError::NotNow)
        );
        assert_eq!(
            step(S::Received, None, A::Reject, Side::Decider, " "),
            Err(StepError::ReasonRequired)
        );
    }

    #[test]
    fn referrer_kinds_follow_the_organisation_and_unit() {
        let f = |org_kind, unit_kind, offer_org, faelles_team| ReferrerFacts {
            org_kind,
            unit_kind,
            offer_org,
            faelles_team,
        };
        let mpo = [
            ReferrerKind::Gp,
            ReferrerKind::RegionalPsychiatry,
            ReferrerKind::FaellesTeam,
            ReferrerKind::OwnMunicipality,
        ];
        let gp = f(OrgKind::GpPractice, UnitKind::GpPractice, false, false);
        assert_eq!(referring_kind(gp, &mpo), Some(ReferrerKind::Gp));
        let ward = f(OrgKind::Region, UnitKind::Ward, false, false);
        assert_eq!(
            referring_kind(ward, &mpo),
            Some(ReferrerKind::RegionalPsychiatry)
        );
        assert_eq!(
            referring_kind(ward, &[ReferrerKind::Hospital]),
            Some(ReferrerKind::Hospital)
        );
        let own = f(
            OrgKind::Municipality,
            UnitKind::SocialPsychiatry,
            true,
            false,
        );
        assert_eq!(
            referring_kind(own, &mpo),
            Some(ReferrerKind::OwnMunicipality)
        );
        let other = f(
            OrgKind::Municipality,
            UnitKind::SocialPsychiatry,
            false,
            false,
        );
        assert_eq!(
            referring_kind(other, &mpo),
            None,
            "another municipality's unit"
        );
        let team = f(OrgKind::Municipality, UnitKind::JobCentre, false, true);
        assert_eq!(referring_kind(team, &mpo), Some(ReferrerKind::FaellesTeam));
        assert_eq!(
            deciding_role(Some(OfferCategory::TemporaryCarePlace)),
            Role::FunctionLeader
        );
        assert_eq!(
            deciding_role(Some(OfferCategory::HousingSupport)),
            Role::Visitator
        );
    }

    #[test]
    fn a_referral_needs_a_reason_and_bounded_text() {
        let mut t = ReferralText::default();
        assert_eq!(t.check(), vec![("reason", "field-required")]);
        t.reason = "Forværring".into();
        t.wishes = "x".repeat(TEXT_MAX + 1);
        assert_eq!(t.check(), vec![("wishes", "field-too-long")]);
    }
}
