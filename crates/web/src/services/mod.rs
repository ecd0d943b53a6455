//! Operations more than one feature needs, with no HTTP or HTML in them.

pub(crate) mod calendar_feeds;
pub mod delivery;
pub mod hospital_intake;
pub(crate) mod minutes;
pub(crate) mod plan_edit;
pub(crate) mod review_meetings;
pub(crate) mod team_readers;
