//! The outreach effort: contacts with a course's citizen, and the fixed times outreach staff
//! are at drop-in centres (not personal data: shown on the centre's public page).

use async_trait::async_trait;
use bro_domain::offer::Opening;
use bro_domain::{CourseId, Timestamp, UnitId, UserId};

use crate::{AuditCtx, StoreResult};

/// One outreach contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutreachContact {
    pub id: i64,
    pub at_ms: Timestamp,
    /// `home`, `street`, `drop_in` or `other`.
    pub place: String,
    /// The drop-in centre of the directory, for `drop_in`: id and name.
    pub offer: Option<(i64, String)>,
    pub what: String,
    pub next_step: String,
    pub worsening: bool,
    pub by: String,
}

/// A new contact, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutreachContact {
    pub place: String,
    pub offer_id: Option<i64>,
    pub what: String,
    pub next_step: String,
    pub worsening: bool,
}

/// A fixed attendance time at a drop-in centre: weekday (0 = Monday) and minutes after
/// midnight, and the unit whose staff come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceTime {
    pub offer_id: i64,
    pub offer: String,
    pub unit: String,
    pub weekday: u8,
    pub from_min: u16,
    pub to_min: u16,
}

impl AttendanceTime {
    /// The time as a weekly opening of the centre's kind, for its words.
    pub fn opening(&self) -> Opening {
        Opening {
            day: self.weekday,
            from_min: self.from_min,
            to_min: self.to_min,
        }
    }
}

#[async_trait]
pub trait OutreachStore {
    async fn add_contact(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        new: &NewOutreachContact,
    ) -> StoreResult<i64>;
    /// Whether `course` is on the target-group list of a Fælles Team that `user` is on.
    async fn listed_for(&self, course: CourseId, user: UserId) -> StoreResult<bool>;
    /// The course's contacts, newest first (one audit record for the citizen).
    async fn contacts(
        &self,
        audit: &AuditCtx,
        course: CourseId,
    ) -> StoreResult<Vec<OutreachContact>>;
    async fn add_attendance(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        time: &AttendanceTime,
    ) -> StoreResult<()>;
    /// The times outreach staff are at `offer` (a drop-in centre).
    async fn attendance_of_offer(&self, offer: i64) -> StoreResult<Vec<AttendanceTime>>;
    /// The times `unit`'s staff attend drop-in centres.
    async fn attendance_of_unit(&self, unit: UnitId) -> StoreResult<Vec<AttendanceTime>>;
}
