//! Temporary care places: a unit's beds and their closed days, and the stays accepted
//! referrals book on them. A bed is booked in a transaction that holds the bed, so two
//! bookings of the same days never both succeed.

use async_trait::async_trait;
use bro_domain::care_place::{AgreementText, NextStep, StayAction};
use bro_domain::{CitizenId, CourseId, OrgId, TeamId, Timestamp, UnitId};
use time::Date;

use crate::{AuditCtx, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bed {
    pub id: i64,
    pub name: String,
}

/// A bed's days out of use, `[from, to)`, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BedClosure {
    pub bed_id: i64,
    pub from: Date,
    pub to: Date,
    pub reason: String,
}

/// A stay: which referral, bed and days, and how far it has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stay {
    pub id: i64,
    pub referral_id: i64,
    pub bed_id: i64,
    pub bed: String,
    pub start: Date,
    /// The day the bed is free again (the planned end, or the day it ended).
    pub end: Date,
    pub arrived_ms: Option<Timestamp>,
    pub ended: bool,
    pub next_step: Option<NextStep>,
    pub version: i64,
}

/// A stay as the unit's lists show it: with whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitStay {
    pub stay: Stay,
    pub citizen_id: CitizenId,
    pub citizen_name: String,
    pub course_id: CourseId,
}

/// One row of a stay's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StayEvent {
    pub at_ms: Timestamp,
    pub who: String,
    pub action: StayAction,
    pub note: String,
}

/// A change to a stay, taken on the version its actor saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StayChange {
    /// The citizen arrived: the referral is in progress.
    Arrive,
    /// A new planned end, with the reason.
    Extend { to: Date, reason: String },
    /// The stay ends on `day` (today, or earlier than planned), to a next step: the referral is
    /// completed.
    End {
        day: Date,
        next: NextStep,
        note: String,
    },
}

/// A meeting series a care place unit may hold its reviews at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewSeries {
    pub id: i64,
    pub team_id: TeamId,
    pub team_name: String,
    pub title: String,
}

/// One version of a stay's agreement: drafted, or a review with its day and principles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementVersion {
    pub version: i64,
    pub text: AgreementText,
    /// The review meeting's day; `None` for the draft at enrolment.
    pub review_day: Option<Date>,
    /// The seven principles' scores (1-5), in their order; empty for the draft.
    pub principles: Vec<u8>,
    pub principles_note: String,
    pub written_by: String,
    pub written_ms: Timestamp,
}

/// A new version of an agreement, on the version its writer saw (0 for the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgreementVersion {
    pub base_version: i64,
    pub text: AgreementText,
    pub review_day: Option<Date>,
    pub principles: Vec<u8>,
    pub principles_note: String,
}

#[async_trait]
pub trait CareStore {
    async fn beds(&self, unit: UnitId) -> StoreResult<Vec<Bed>>;
    async fn add_bed(&self, audit: &AuditCtx, unit: UnitId, name: &str) -> StoreResult<i64>;
    async fn close_bed(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        closure: &BedClosure,
    ) -> StoreResult<()>;
    /// The unit's closures that touch `[from, to)`.
    async fn bed_closures(
        &self,
        unit: UnitId,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<BedClosure>>;
    /// The longest stay the unit allows, in days.
    async fn max_stay_days(&self, unit: UnitId) -> StoreResult<i64>;
    /// Sets the longest stay the unit allows, in days.
    async fn set_max_stay_days(&self, audit: &AuditCtx, unit: UnitId, days: i64)
    -> StoreResult<()>;
    /// Books `bed` for referral `referral` from `start` to `end`; `Conflict::BedTaken` when the
    /// bed is booked or closed on one of the days.
    async fn book_stay(
        &self,
        audit: &AuditCtx,
        referral: i64,
        bed: i64,
        start: Date,
        end: Date,
    ) -> StoreResult<i64>;
    /// The stay booked for a referral, with its history.
    async fn referral_stay(&self, referral: i64) -> StoreResult<Option<(Stay, Vec<StayEvent>)>>;
    /// Changes a stay if nobody changed it since `base_version` (`Conflict::Stay` otherwise).
    async fn change_stay(
        &self,
        audit: &AuditCtx,
        stay: i64,
        base_version: i64,
        change: &StayChange,
    ) -> StoreResult<()>;
    /// A stay's agreement, every version, oldest first.
    async fn agreement(&self, stay: i64) -> StoreResult<Vec<AgreementVersion>>;
    /// Writes a new version if nobody wrote one since `base_version` (`Conflict::Stay`
    /// otherwise); refused on a stay that has ended (`Conflict::Ended`).
    async fn write_agreement(
        &self,
        audit: &AuditCtx,
        stay: i64,
        new: &NewAgreementVersion,
    ) -> StoreResult<i64>;
    /// The last review day of each of `stays` that has one.
    async fn last_reviews(&self, stays: &[i64]) -> StoreResult<Vec<(i64, Date)>>;
    /// The meeting series whose meetings are the unit's fortnightly reviews, once chosen.
    async fn review_series(&self, unit: UnitId) -> StoreResult<Option<ReviewSeries>>;
    /// The series a unit of `org` may choose: those of its collaborations' teams.
    async fn series_choices(&self, org: OrgId) -> StoreResult<Vec<ReviewSeries>>;
    async fn set_review_series(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        series: i64,
    ) -> StoreResult<()>;
    /// The units whose reviews are the meetings of `series`.
    async fn reviewed_units(&self, series: i64) -> StoreResult<Vec<UnitId>>;
    /// The unit's stays holding a bed on `on`, for that day's review meeting: no personal data,
    /// so the caller reads each one the viewer may see.
    async fn stays_on(&self, unit: UnitId, on: Date) -> StoreResult<Vec<Stay>>;
    /// The unit's stays that hold a bed on a day of `[from, to)`, or wait to begin after it,
    /// each citizen shown written to their access log.
    async fn unit_stays(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<UnitStay>>;
}
