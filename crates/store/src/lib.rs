//! Repository traits and the types they speak. No SQL dialect lives here: each backend crate
//! (`bro-store-sqlite`, `bro-store-postgres`) implements these traits with its own migrations.
//!
//! Every method that writes, and every method that reads personal data, takes an
//! [`AuditCtx`]: the backend appends the audit record in the same transaction as the work, so
//! the two commit together or not at all, and no caller can forget the record.
//!
//! The traits come in families, one module each (`*_store.rs`); the types they speak are in
//! `types.rs`, `course.rs`, `consent.rs`, `meeting.rs` and `bulk.rs`. [`Store`] is all of them.

mod account_store;
mod appointment_store;
mod audit_store;
mod bulk;
mod care_store;
mod citizen_store;
mod consent;
mod consent_store;
mod course;
mod course_store;
mod error;
mod escort_store;
mod hospital_store;
mod meeting;
mod meeting_store;
mod notice_store;
mod offer_store;
mod outreach_store;
mod referral_store;
mod types;

pub use account_store::{LoginThrottleStore, OrgStore, SessionStore, UserStore};
pub use appointment_store::{
    Appointment, AppointmentChange, AppointmentFacts, AppointmentStore, AttendanceRecord,
    CourseAppointments, NewAppointment, NoShowFollowUp, Slot, UnitAppointment,
};
pub use audit_store::{AuditStore, MetaStore};
pub use bulk::*;
pub use care_store::{
    AgreementVersion, Bed, BedClosure, CareStore, NewAgreementVersion, ReviewSeries, Stay,
    StayChange, StayEvent, UnitStay,
};
pub use citizen_store::{CitizenSearchStore, CitizenStore};
pub use consent::*;
pub use consent_store::{ConsentStore, EmergencyStore};
pub use course::*;
pub use course_store::{CareTeamStore, CollaborationStore, CourseStore, PlanStore};
pub use error::{Conflict, StoreError, StoreResult};
pub use escort_store::{
    EscortAnswer, EscortFacts, EscortList, EscortListItem, EscortPlan, EscortRequest, EscortStore,
};
pub use hospital_store::{
    CareTeam, Channel, FollowUp, HospitalClient, HospitalClientStore, HospitalEpisode,
    HospitalFacts, HospitalStore, IncomingHospitalMessage, OpenEpisode, Receipt, ReceivedMessage,
};
pub use meeting::*;
pub use meeting_store::{
    AgreementStore, CaseStore, DeliveryStore, FeedStore, MeetingStore, TeamStore,
};
pub use notice_store::{DueNoticeMail, Notice, NoticeMailStore, NoticeStore};
pub use offer_store::{
    ExternalOffer, ExternalOfferStore, ExternalOrganisation, ExternalService, Follow, ImportCounts,
    Offer, OfferQuery, OfferStore, OfferVersion, OpenService,
};
pub use outreach_store::{AttendanceTime, NewOutreachContact, OutreachContact, OutreachStore};
pub use referral_store::{
    Attachment, AttachmentInfo, Decision, NewReferral, Referral, ReferralEvent, ReferralFacts,
    ReferralStep, ReferralStore,
};
pub use types::*;

use std::sync::Arc;

/// Everything Bro stores, behind one object.
pub trait Store:
    OrgStore
    + UserStore
    + SessionStore
    + LoginThrottleStore
    + CitizenStore
    + CitizenSearchStore
    + CourseStore
    + CareTeamStore
    + CollaborationStore
    + ConsentStore
    + EmergencyStore
    + PlanStore
    + TeamStore
    + MeetingStore
    + CaseStore
    + AgreementStore
    + DeliveryStore
    + FeedStore
    + NoticeStore
    + NoticeMailStore
    + OfferStore
    + ExternalOfferStore
    + ReferralStore
    + CareStore
    + OutreachStore
    + HospitalStore
    + HospitalClientStore
    + AppointmentStore
    + EscortStore
    + AuditStore
    + MetaStore
    + BulkStore
    + Send
    + Sync
{
}

impl<T> Store for T where
    T: OrgStore
        + UserStore
        + SessionStore
        + LoginThrottleStore
        + CitizenStore
        + CitizenSearchStore
        + CourseStore
        + CareTeamStore
        + CollaborationStore
        + ConsentStore
        + EmergencyStore
        + PlanStore
        + TeamStore
        + MeetingStore
        + CaseStore
        + AgreementStore
        + DeliveryStore
        + FeedStore
        + NoticeStore
        + NoticeMailStore
        + OfferStore
        + ExternalOfferStore
        + ReferralStore
        + CareStore
        + OutreachStore
        + HospitalStore
        + HospitalClientStore
        + AppointmentStore
        + EscortStore
        + AuditStore
        + BulkStore
        + MetaStore
        + Send
        + Sync
{
}

pub type DynStore = Arc<dyn Store>;
