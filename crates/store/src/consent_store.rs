//! The traits of consents, legal bases and emergency access; their types are in
//! [`crate::consent`].

use async_trait::async_trait;
use bro_domain::{CitizenId, CourseId, OrgId, Timestamp, UserId};

use crate::{
    AuditCtx, Consent, ConsentDocument, EmergencyAccess, LegalBasis, NewConsent,
    NewEmergencyAccess, NewLegalBasis, StoreResult,
};

/// Consents to share information. Reads are audited with the citizen as subject.
#[async_trait]
pub trait ConsentStore {
    /// `NotFound` when an organisation does not exist.
    async fn record_consent(&self, audit: &AuditCtx, new: NewConsent) -> StoreResult<i64>;
    /// Every consent of the citizen, newest first, withdrawn and expired ones included.
    async fn consents(&self, audit: &AuditCtx, citizen: CitizenId) -> StoreResult<Vec<Consent>>;
    /// Ends a consent now. `NotFound` unless it is the citizen's; `Conflict::Withdrawn` when
    /// it was withdrawn already.
    async fn withdraw_consent(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        id: i64,
    ) -> StoreResult<()>;
    /// Puts a consent that awaits confirmation in force (the citizen's or the coordinator's
    /// word); `NotFound` unless it is the citizen's and awaiting.
    async fn confirm_consent(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        id: i64,
    ) -> StoreResult<()>;
    /// What lets `org` see `citizen`'s information at `now`: consents and legal bases in
    /// force. For access decisions only (not shown to anyone), so not itself an audited read.
    async fn grants(
        &self,
        citizen: CitizenId,
        org: OrgId,
        now: Timestamp,
    ) -> StoreResult<bro_domain::consent::Grants>;
    /// `NotFound` when an organisation does not exist.
    async fn record_legal_basis(&self, audit: &AuditCtx, new: NewLegalBasis) -> StoreResult<i64>;
    /// Every legal basis recorded for the citizen, newest first.
    async fn legal_bases(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
    ) -> StoreResult<Vec<LegalBasis>>;
    /// Ends a legal basis now; `Conflict::Ended` when it was ended already.
    async fn end_legal_basis(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        id: i64,
    ) -> StoreResult<()>;
    /// The signed document of a written consent.
    async fn consent_document(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        id: i64,
    ) -> StoreResult<ConsentDocument>;
}

/// Emergency access: one course, for a bounded time, with a stated reason; reviewed by the
/// professional's organisation.
#[async_trait]
pub trait EmergencyStore {
    /// Starts an emergency access for the acting user (who must be `audit.actor_user_id`).
    async fn start_emergency_access(
        &self,
        audit: &AuditCtx,
        new: NewEmergencyAccess,
    ) -> StoreResult<i64>;
    /// Whether `user` has an emergency access to `course` in force at `now`: it opens that
    /// course only, never the citizen's other courses. For access decisions only.
    async fn emergency_active(
        &self,
        course: CourseId,
        user: UserId,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// The citizen's emergency accesses, newest first (audited: the citizen's own view).
    async fn emergency_accesses_of(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
    ) -> StoreResult<Vec<EmergencyAccess>>;
    /// The emergency accesses made from `org`, newest first, for its privacy contact.
    async fn emergency_reviews(
        &self,
        audit: &AuditCtx,
        org: OrgId,
    ) -> StoreResult<Vec<EmergencyAccess>>;
    /// Approves one of `org`'s emergency accesses that waits for it (a renewal beyond the
    /// first); its time runs from now. `NotFound` unless it is `org`'s and waiting.
    async fn approve_emergency_access(
        &self,
        audit: &AuditCtx,
        org: OrgId,
        id: i64,
    ) -> StoreResult<()>;
    /// Marks one of `org`'s emergency accesses reviewed; `Conflict::Reviewed` when it is.
    async fn review_emergency_access(
        &self,
        audit: &AuditCtx,
        org: OrgId,
        id: i64,
        comment: String,
    ) -> StoreResult<()>;
}
