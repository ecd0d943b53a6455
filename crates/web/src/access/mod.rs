//! Who may do what: the only code that asks `authz`. A handler gets a scope only by passing the
//! scope's check, and the scope carries the [`bro_store::AuditCtx`] that the store's
//! personal-data functions demand, so no handler reaches personal data without having been
//! allowed to. A refused check is written to the audit log and answered "not found".
//!
//! A new capability adds a `Permission` in `bro_authz` and a constructor here, nothing else.

mod admin;
mod appointment;
mod audited;
mod citizen;
mod course;
mod escort;
mod hospital_client;
mod offers;
mod outreach;
mod plan;
mod referral;
mod staff;
mod team;

pub(crate) use admin::AdminScope;
pub(crate) use appointment::{
    UnitAppointmentScope, course_appointments, own as own_appointments,
    own_feed as own_appointment_feed, unit_list as unit_appointments,
};
pub(crate) use audited::AuditedAccess;
pub(crate) use citizen::CitizenScope;
pub(crate) use course::CourseScope;
pub(crate) use escort::{EscortAsk, EscortScope, service_list as escort_service_list};
pub(crate) use hospital_client::ClientScope;
pub(crate) use offers::{OfferEditScope, follow as follow_offers};
pub(crate) use outreach::OutreachScope;
pub(crate) use plan::{PlanPage, PlanScope};
pub(crate) use referral::{
    ReferralScope, care_unit, manage_beds, queue as referral_queue, referring_kind,
};
pub(crate) use staff::StaffScope;
pub(crate) use team::{CaseScope, OwnCaseScope, TeamScope, uncovered_orgs};
