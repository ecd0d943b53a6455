//! Appointments across sectors: booked by a unit of a care team member's organisation on the
//! citizen's course, moved or cancelled with their history kept, and afterwards recorded by
//! the booking unit (attended, no-show, ...). A no-show is followed up by the coordinator.

use async_trait::async_trait;
use bro_domain::appointment::{AppointmentKind, Attendance, FollowUpAction};
use bro_domain::{CitizenId, CourseId, OrgId, ShareCategory, Timestamp, UnitId, UserId};

use crate::{AuditCtx, StoreResult};

/// When and where: what a booking, and each change of it, says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub starts_ms: Timestamp,
    pub ends_ms: Timestamp,
    /// The address or room; for a video consultation, may be empty.
    pub place: String,
    /// A video consultation's link (`https://…`, validated by the caller).
    pub video_url: Option<String>,
    /// Whom the citizen meets (a name or a function).
    pub meets: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAppointment {
    pub course: CourseId,
    pub citizen: CitizenId,
    /// The booking unit, and its organisation.
    pub org: OrgId,
    pub unit: UnitId,
    pub kind: AppointmentKind,
    pub slot: Slot,
    /// The citizen asked to be reminded the day before.
    pub remind: bool,
}

/// What the booking unit recorded afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceRecord {
    pub outcome: Attendance,
    pub note: String,
    pub recorded_ms: Timestamp,
    /// Who recorded it, by name.
    pub by: String,
}

/// One version of an appointment: as booked, and after each move or the cancellation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentChange {
    pub version: i64,
    pub slot: Slot,
    pub cancelled: bool,
    pub reason: String,
    pub changed_ms: Timestamp,
    /// Who made the change, by name.
    pub by: String,
}

/// An appointment as a reader sees it: its current state and its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appointment {
    pub id: i64,
    pub course_id: CourseId,
    pub citizen_id: CitizenId,
    pub org_id: OrgId,
    pub unit_id: UnitId,
    /// The booking unit and its organisation, by name.
    pub unit_name: String,
    pub org_name: String,
    pub kind: AppointmentKind,
    pub slot: Slot,
    pub remind: bool,
    pub version: i64,
    /// Cancelled: when and why.
    pub cancelled: Option<(Timestamp, String)>,
    pub attendance: Option<AttendanceRecord>,
    /// Every version, oldest first.
    pub history: Vec<AppointmentChange>,
    /// The latest request for escort to it, if any.
    pub escort: Option<crate::EscortRequest>,
}

/// What access decisions and forms need about an appointment; no personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppointmentFacts {
    pub id: i64,
    pub course_id: CourseId,
    pub citizen_id: CitizenId,
    pub org_id: OrgId,
    pub unit_id: UnitId,
    pub kind: AppointmentKind,
    pub starts_ms: Timestamp,
    pub version: i64,
    pub cancelled: bool,
    pub recorded: bool,
}

/// The coordinator's follow-up after a no-show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoShowFollowUp {
    pub id: i64,
    pub action: FollowUpAction,
    pub note: String,
    pub recorded_ms: Timestamp,
    pub by: String,
}

/// A course's appointments as one viewer may see them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CourseAppointments {
    /// Those the viewer may see, by start.
    pub shown: Vec<Appointment>,
    /// How many others there are, whose details are not shared with the viewer.
    pub withheld: usize,
    /// Of the shown no-shows, those in the last 60 days that no follow-up answered yet.
    pub unanswered_no_shows: usize,
    /// The coordinator's follow-ups, newest first.
    pub follow_ups: Vec<NoShowFollowUp>,
}

/// An appointment on its unit's list, with the citizen it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitAppointment {
    pub appointment: Appointment,
    pub citizen_name: String,
}

#[async_trait]
pub trait AppointmentStore {
    /// Books an appointment on an open course; its first version is the booking.
    async fn book_appointment(&self, audit: &AuditCtx, new: &NewAppointment) -> StoreResult<i64>;
    async fn appointment_facts(&self, id: i64) -> StoreResult<AppointmentFacts>;
    /// The categories of the course's appointments booked by other organisations than `own`:
    /// the sharing the viewer must be checked for before they are read.
    async fn appointment_categories(
        &self,
        course: CourseId,
        own: OrgId,
    ) -> StoreResult<Vec<ShareCategory>>;
    /// Moves the appointment (a new version); refused when it changed since `base_version`,
    /// is cancelled or has its attendance recorded.
    async fn move_appointment(
        &self,
        audit: &AuditCtx,
        id: i64,
        base_version: i64,
        slot: &Slot,
        reason: &str,
    ) -> StoreResult<()>;
    /// Cancels the appointment (a new version), on the same terms as a move.
    async fn cancel_appointment(
        &self,
        audit: &AuditCtx,
        id: i64,
        base_version: i64,
        reason: &str,
    ) -> StoreResult<()>;
    /// Records what happened, once, after the start; a no-show tells `tell` in their notices.
    async fn record_attendance(
        &self,
        audit: &AuditCtx,
        id: i64,
        outcome: Attendance,
        note: &str,
        tell: &[UserId],
    ) -> StoreResult<()>;
    async fn record_no_show_follow_up(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        action: FollowUpAction,
        note: &str,
    ) -> StoreResult<()>;
    /// The course's appointments that `own` booked or whose category is in `visible`; the
    /// read is audited.
    async fn course_appointments(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        own: OrgId,
        visible: &[ShareCategory],
    ) -> StoreResult<CourseAppointments>;
    /// Tells each citizen who asked to be reminded of an appointment within the next day (and
    /// not begun) in their notices, with its e-mail due: once per appointment and time, however
    /// often it is called, so a job that was down catches up and never sends twice. At most
    /// `limit`; how many were queued.
    async fn queue_reminders(&self, now: Timestamp, limit: i64) -> StoreResult<usize>;
    /// All the citizen's appointments from `from_ms` on, by start, for the citizen themself;
    /// the read is audited.
    async fn citizen_appointments(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        from_ms: Timestamp,
    ) -> StoreResult<Vec<Appointment>>;
    /// The unit's appointments that have begun, are not cancelled and have nothing recorded,
    /// oldest first; each citizen shown is audited.
    async fn unrecorded_appointments(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        limit: i64,
    ) -> StoreResult<Vec<UnitAppointment>>;
}
