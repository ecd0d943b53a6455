//! Escort (ledsagelse) to appointments: asked of a municipality's escort service unit by a
//! team member or the citizen, answered once, and afterwards the time the escort took.

use async_trait::async_trait;
use bro_domain::escort::EscortStatus;
use bro_domain::{CitizenId, CourseId, Timestamp, UnitId};

use crate::{AuditCtx, StoreResult};

/// Who escorts the citizen, and where and when they meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscortPlan {
    pub escort: String,
    pub meeting_point: String,
    pub meeting_ms: Timestamp,
}

/// The escort service's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EscortAnswer {
    Accept(EscortPlan),
    Decline(String),
}

/// A request for escort as its readers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscortRequest {
    pub id: i64,
    pub appointment_id: i64,
    /// The escort service asked, and its organisation, by name.
    pub unit_id: UnitId,
    pub unit_name: String,
    /// Who asked, by name; `by_citizen` when it was the citizen themself.
    pub requested_by: String,
    pub by_citizen: bool,
    pub note: String,
    pub requested_ms: Timestamp,
    pub status: EscortStatus,
    /// Answered: when, and the appointment's version the answer was for.
    pub answered: Option<(Timestamp, i64)>,
    /// Accepted: who, where and when.
    pub plan: Option<EscortPlan>,
    /// Declined: why.
    pub decline_reason: Option<String>,
    /// The time the escort took, recorded afterwards.
    pub minutes_spent: Option<i64>,
}

/// What access decisions and forms need about a request; no personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EscortFacts {
    pub id: i64,
    pub appointment_id: i64,
    pub course_id: CourseId,
    pub citizen_id: CitizenId,
    pub unit_id: UnitId,
    pub status: EscortStatus,
    pub starts_ms: Timestamp,
}

/// A request on the escort service's list, with the appointment's time and place and the
/// citizen it is for (not the kind of appointment, nor whom the citizen meets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscortListItem {
    pub request: EscortRequest,
    pub citizen_name: String,
    pub starts_ms: Timestamp,
    pub ends_ms: Timestamp,
    pub place: String,
    pub video: bool,
    pub cancelled: bool,
    /// The appointment's current version: moved since the answer when it differs.
    pub version: i64,
}

/// What waits for an escort service.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EscortList {
    /// Open requests for appointments still ahead, oldest request first.
    pub open: Vec<EscortListItem>,
    /// Accepted escorts whose time is not recorded, by the appointment's start.
    pub accepted: Vec<EscortListItem>,
}

#[async_trait]
pub trait EscortStore {
    /// The escort service units of the municipalities on the course's care team, as
    /// `(unit, "Unit, Organisation")`.
    async fn escort_services(&self, course: CourseId) -> StoreResult<Vec<(UnitId, String)>>;
    /// Asks `unit` (an escort service) to escort the citizen to the appointment, and tells its
    /// staff. Refused when the appointment has begun or is cancelled, or a request is open or
    /// accepted already.
    async fn request_escort(
        &self,
        audit: &AuditCtx,
        appointment: i64,
        unit: UnitId,
        note: &str,
    ) -> StoreResult<i64>;
    async fn escort_facts(&self, id: i64) -> StoreResult<EscortFacts>;
    /// Answers an open request, once, and tells whoever asked.
    async fn answer_escort(
        &self,
        audit: &AuditCtx,
        id: i64,
        answer: &EscortAnswer,
    ) -> StoreResult<()>;
    /// Records the time an accepted escort took, once, after the appointment began.
    async fn record_escort_time(&self, audit: &AuditCtx, id: i64, minutes: i64) -> StoreResult<()>;
    /// One request as its escort service sees it; the read is audited.
    async fn escort_request(&self, audit: &AuditCtx, id: i64) -> StoreResult<EscortListItem>;
    /// What waits for the escort service `unit`; each citizen shown is audited.
    async fn escort_list(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        limit: i64,
    ) -> StoreResult<EscortList>;
}
