//! Referrals: a course's citizen referred to an offer, the receiving unit's queue, and every
//! step of the closed loop. Reads of a referral are personal data and audited; the facts the
//! access checks need are read apart, without it.

use async_trait::async_trait;
use bro_domain::offer::{OfferCategory, OfferLaw, ReferrerKind};
use bro_domain::referral::{ReferralAction, ReferralStatus, ReferralText, Urgency};
use bro_domain::{CitizenId, CourseId, OrgId, Timestamp, UnitId, UserId};

use crate::{AuditCtx, StoreResult};

/// What the access checks need to know of a referral: whose it is and where it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferralFacts {
    pub id: i64,
    pub course_id: CourseId,
    pub citizen_id: CitizenId,
    pub offer_category: Option<OfferCategory>,
    pub receiving_unit_id: UnitId,
    pub receiving_org_id: OrgId,
    pub referrer_user_id: UserId,
    pub status: ReferralStatus,
    pub held_from: Option<ReferralStatus>,
    pub version: i64,
}

/// A referral as its readers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub facts: ReferralFacts,
    pub citizen_name: String,
    pub offer_id: i64,
    pub offer_name: String,
    pub receiving_unit: String,
    pub receiving_org: String,
    pub referrer_name: String,
    pub referrer_org: String,
    pub referrer_kind: ReferrerKind,
    pub urgency: Urgency,
    pub text: ReferralText,
    pub citizen_agreed: bool,
    pub created_ms: Timestamp,
    pub requested_ms: Option<Timestamp>,
    pub decided_ms: Option<Timestamp>,
    pub decided_by: Option<String>,
    pub decision_law: Option<OfferLaw>,
    pub decision_reason: String,
    /// Other offers named on a rejection.
    pub alternatives: Vec<i64>,
}

/// One step of a referral's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralEvent {
    pub at_ms: Timestamp,
    pub who: String,
    pub org: String,
    pub action: ReferralAction,
    pub from: Option<ReferralStatus>,
    pub to: ReferralStatus,
    pub note: String,
}

/// A new referral, as the referrer sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferral {
    pub course_id: CourseId,
    pub offer_id: i64,
    pub referrer_kind: ReferrerKind,
    pub urgency: Urgency,
    pub text: ReferralText,
    /// The citizen agreed to the referral when it was made; otherwise it waits for them.
    pub citizen_agreed: bool,
}

/// A decision: its legal basis, and on a rejection the offers named instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub law: Option<OfferLaw>,
    pub alternatives: Vec<i64>,
}

/// One step, as its actor takes it on the version they saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralStep {
    pub base_version: i64,
    pub action: ReferralAction,
    pub to: ReferralStatus,
    pub note: String,
    /// For an acceptance or a rejection by the deciding role.
    pub decision: Option<Decision>,
}

/// A file attached to a referral, as uploaded (its kind recognised from its content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// What the referral's page lists of an attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub added_ms: Timestamp,
    pub added_by: String,
}

#[async_trait]
pub trait ReferralStore {
    /// Saves a referral (a draft until the citizen agrees, else requested) with its first
    /// step; returns its id.
    async fn create_referral(&self, audit: &AuditCtx, new: &NewReferral) -> StoreResult<i64>;
    async fn referral_facts(&self, id: i64) -> StoreResult<ReferralFacts>;
    /// Attaches a file to the referral (audited); returns its id.
    async fn add_attachment(
        &self,
        audit: &AuditCtx,
        referral: i64,
        file: &Attachment,
    ) -> StoreResult<i64>;
    /// The referral's attachments, oldest first, without their content.
    async fn attachments(&self, referral: i64) -> StoreResult<Vec<AttachmentInfo>>;
    /// One attachment's file (audited as a read of the citizen's data).
    async fn attachment(&self, audit: &AuditCtx, referral: i64, id: i64)
    -> StoreResult<Attachment>;
    /// The referral and its history, oldest step first.
    async fn referral(
        &self,
        audit: &AuditCtx,
        id: i64,
    ) -> StoreResult<(Referral, Vec<ReferralEvent>)>;
    /// Takes a step if nobody took one since `base_version` (`Conflict::Referral` otherwise);
    /// the citizen is told of a decision, the referrer of every step by someone else.
    async fn step_referral(
        &self,
        audit: &AuditCtx,
        id: i64,
        step: &ReferralStep,
    ) -> StoreResult<()>;
    /// The referrals of a course to offers of the `visible` categories, and those `own` made,
    /// newest first.
    async fn course_referrals(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        visible: &[OfferCategory],
        own: UserId,
    ) -> StoreResult<Vec<Referral>>;
    /// The citizen's own referrals, newest first.
    async fn citizen_referrals(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
    ) -> StoreResult<Vec<Referral>>;
    /// The unit's open referrals (sent, not final): the most urgent first, then the oldest;
    /// each citizen shown is written to their access log.
    async fn referral_queue(&self, audit: &AuditCtx, unit: UnitId) -> StoreResult<Vec<Referral>>;
}
