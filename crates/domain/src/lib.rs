//! Bro's domain: types that parse, and rules. No I/O, no framework types.
//!
//! A value of a type in this crate is valid by construction: parse at the edge, then trust.

mod coded;

pub mod appointment;
pub mod care_place;
pub mod clock;
pub mod consent;
pub mod course;
pub mod cpr;
pub mod escort;
pub mod hospital;
pub mod ids;
pub mod local_time;
pub mod meeting;
pub mod notice;
pub mod offer;
pub mod org;
pub mod phases;
pub mod plan;
pub mod readmission;
pub mod recurrence;
pub mod referral;
pub mod role;
pub mod text;
pub mod working_days;

pub use clock::{Clock, ManualClock, SystemClock, Timestamp};
pub use course::{CourseRole, LegalFrame, Phase, ShareCategory, TargetGroup};
pub use cpr::{Cpr, CprError};
pub use ids::{
    CaseId, CitizenId, CollaborationId, CourseId, MeetingId, MemberId, OrgId, TeamId, UnitId,
    UserId,
};
pub use org::{AccountKind, Language, OrgKind, UnitKind};
pub use phases::{PhaseError, PhaseScheme, SchemeError};
pub use role::Role;
pub use text::{Name, Password, TextError, Username};
