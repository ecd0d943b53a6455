//! Referrals as the viewer stands to them. The course's care team refers and reads the
//! referrals their organisation's sharing covers (by the offer's category; the referrer always
//! reads their own); the receiving unit works on what was sent to it, and its deciding role
//! decides; the citizen reads their own and agrees to one made without their word.

use super::course::{CourseScope, org_sharing};
use super::{AuditedAccess, CitizenScope};
use crate::http::error::AppError;
use crate::state::AppState;
use bro_authz::{Permission, Sharing};
use bro_domain::offer::{OfferCategory, ReferrerKind};
use bro_domain::referral::{ReferralStatus, ReferrerFacts, Side, deciding_role, share_category};
use bro_store::{AuditCtx, Offer, ReferralFacts};

/// A referral the viewer passed a check on: which side they act on, and the audit context.
pub(crate) struct ReferralScope {
    pub(crate) facts: ReferralFacts,
    pub(crate) side: Side,
    pub(crate) ctx: AuditCtx,
}

/// Whether the viewer's active role is in the receiving unit, and whether it is the role that
/// decides for the offer (there, or the visitator of the receiving organisation's case
/// authority).
async fn receiving(
    state: &AppState,
    access: &AuditedAccess,
    f: &ReferralFacts,
) -> Result<(bool, bool), AppError> {
    let Some(role) = access.viewer.active_role() else {
        return Ok((false, false));
    };
    let in_unit = role.unit_id == f.receiving_unit_id;
    let deciding = deciding_role(f.offer_category);
    let decider = role.role == deciding
        && (in_unit
            || (deciding == bro_domain::Role::Visitator
                && role.org_id == f.receiving_org_id
                && state.store.unit(role.unit_id).await?.kind
                    == bro_domain::UnitKind::CaseAuthority));
    Ok((in_unit || decider, decider))
}

impl ReferralScope {
    /// Reading referral `id`: the receiving unit once it was sent, else the course's team as
    /// its sharing allows.
    pub(crate) async fn read(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
    ) -> Result<Self, AppError> {
        let facts = state.store.referral_facts(id).await?;
        let (in_unit, decider) = receiving(state, access, &facts).await?;
        if in_unit && facts.status != ReferralStatus::Draft {
            let permission = Permission::ReferralWork {
                referral: id,
                citizen: facts.citizen_id,
                in_unit: true,
            };
            let ctx = access.authorize(state, permission).await?;
            let side = if decider {
                Side::Decider
            } else {
                Side::Receiver
            };
            return Ok(Self { facts, side, ctx });
        }
        let course = CourseScope::read(state, access, facts.course_id.0).await?;
        let own = facts.referrer_user_id == access.viewer.user.id;
        if !own && !course_shares(state, access, &course, facts.offer_category).await? {
            return Err(AppError::NotFound);
        }
        Ok(Self {
            facts,
            side: Side::Team,
            ctx: course.ctx,
        })
    }

    /// Taking a step as the care team (cancelling): a member of the open course's team.
    pub(crate) async fn team_step(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
    ) -> Result<Self, AppError> {
        let facts = state.store.referral_facts(id).await?;
        let course = CourseScope::write(state, access, facts.course_id.0).await?;
        Ok(Self {
            facts,
            side: Side::Team,
            ctx: course.ctx,
        })
    }

    /// Deciding referral `id`: the deciding role for its offer in the receiving unit.
    pub(crate) async fn decide(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
    ) -> Result<Self, AppError> {
        let facts = state.store.referral_facts(id).await?;
        let (_, decider) = receiving(state, access, &facts).await?;
        let permission = Permission::DecideReferral {
            referral: id,
            citizen: facts.citizen_id,
            decider: decider && facts.status != ReferralStatus::Draft,
        };
        let ctx = access.authorize(state, permission).await?;
        Ok(Self {
            facts,
            side: Side::Decider,
            ctx,
        })
    }

    /// The citizen agreeing to their own referral.
    pub(crate) async fn own(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
    ) -> Result<Self, AppError> {
        let facts = state.store.referral_facts(id).await?;
        let scope = CitizenScope::own_referrals(state, access).await?;
        if scope.citizen != facts.citizen_id {
            return Err(AppError::NotFound);
        }
        Ok(Self {
            facts,
            side: Side::Citizen,
            ctx: scope.ctx,
        })
    }
}

/// Whether the viewer's organisation may see a referral to an offer of `category` on the
/// course: its sharing of the category the referral is (see `share_category`).
async fn course_shares(
    state: &AppState,
    access: &AuditedAccess,
    course: &CourseScope,
    category: Option<OfferCategory>,
) -> Result<bool, AppError> {
    let Some(role) = access.viewer.active_role() else {
        return Ok(false);
    };
    if course.course.emergency && course.course.membership.is_none() {
        return Ok(true);
    }
    let sharing = org_sharing(state, role.org_id, &course.course, share_category(category)).await?;
    Ok(sharing != Sharing::NotShared)
}

impl CourseScope {
    /// The offer categories whose referrals on this course the viewer's organisation may see.
    pub(crate) async fn referral_categories(
        &self,
        state: &AppState,
        access: &AuditedAccess,
    ) -> Result<Vec<OfferCategory>, AppError> {
        let mut out = Vec::new();
        for c in OfferCategory::ALL {
            if course_shares(state, access, self, Some(*c)).await? {
                out.push(*c);
            }
        }
        Ok(out)
    }
}

/// The referrer kind the viewer refers to `offer` as, or `Err` with the kinds the offer
/// allows, for a message that names who may.
pub(crate) async fn referring_kind(
    state: &AppState,
    access: &AuditedAccess,
    offer: &Offer,
) -> Result<Result<ReferrerKind, Vec<ReferrerKind>>, AppError> {
    let Some(role) = access.viewer.active_role() else {
        return Err(AppError::NotFound);
    };
    let org = state.store.organisation(role.org_id).await?;
    let unit = state.store.unit(role.unit_id).await?;
    let teams = state
        .store
        .teams_of_user(access.viewer.user.id, state.clock.now_ms())
        .await?;
    let facts = ReferrerFacts {
        org_kind: org.kind,
        unit_kind: unit.kind,
        offer_org: org.id == offer.org_id,
        faelles_team: !teams.is_empty(),
    };
    Ok(
        bro_domain::referral::referring_kind(facts, &offer.content.referrers)
            .ok_or_else(|| offer.content.referrers.clone()),
    )
}

/// The audit context for a unit's queue of referrals: staff whose active role is in it.
pub(crate) async fn queue(
    state: &AppState,
    access: &AuditedAccess,
) -> Result<(bro_domain::UnitId, AuditCtx), AppError> {
    let Some(role) = access.viewer.active_role() else {
        return Err(AppError::NotFound);
    };
    let permission = Permission::ReferralQueue {
        unit: role.unit_id,
        in_unit: true,
    };
    let ctx = access.authorize(state, permission).await?;
    Ok((role.unit_id, ctx))
}

/// The viewer's care place unit (their active role's), for its beds, occupancy and stays.
pub(crate) async fn care_unit(
    state: &AppState,
    access: &AuditedAccess,
) -> Result<(bro_domain::UnitId, AuditCtx), AppError> {
    let Some(role) = access.viewer.active_role() else {
        return Err(AppError::NotFound);
    };
    let permission = Permission::CarePlaces {
        unit: role.unit_id,
        in_unit: true,
    };
    let ctx = access.authorize(state, permission).await?;
    Ok((role.unit_id, ctx))
}

/// Adding and closing the viewer's unit's beds: its function leader.
pub(crate) async fn manage_beds(
    state: &AppState,
    access: &AuditedAccess,
) -> Result<(bro_domain::UnitId, AuditCtx), AppError> {
    let Some(role) = access.viewer.active_role() else {
        return Err(AppError::NotFound);
    };
    let permission = Permission::ManageBeds {
        unit: role.unit_id,
        leader: role.role == bro_domain::Role::FunctionLeader,
    };
    let ctx = access.authorize(state, permission).await?;
    Ok((role.unit_id, ctx))
}

impl CourseScope {
    /// Whether the viewer's organisation may see the citizen's social information on this
    /// course, which the outreach contacts are.
    pub(crate) async fn social_shared(
        &self,
        state: &AppState,
        access: &AuditedAccess,
    ) -> Result<bool, AppError> {
        course_shares(state, access, self, Some(OfferCategory::SocialPsychiatry)).await
    }
}
