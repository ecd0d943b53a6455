//! The course list, citizen search and the course page.

use super::forms::{CloseForm, MemberForm, SEARCH_HITS};
use crate::ui::{Chrome, FormErrors};
use askama::Template;
use bro_domain::CourseRole;
use bro_store::{CitizenHit, Collaboration, Course, CourseSummary};

#[derive(Template)]
#[template(path = "courses/courses.html")]
pub(super) struct CoursesPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) courses: Vec<CourseSummary>,
    /// `YYYY-MM-DD` in Danish time: review dates before it are overdue.
    pub(super) today: String,
}

#[derive(Template)]
#[template(path = "courses/citizen_search.html")]
pub(super) struct CitizenSearchPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) errors: FormErrors,
    pub(super) q: String,
    pub(super) born: String,
    /// `None` before a search.
    pub(super) hits: Option<Vec<CitizenHit>>,
    /// The viewer may open new courses (works as coordinator).
    pub(super) can_open: bool,
    /// The collaborations of the viewer's organisation: a new course may follow their phases.
    pub(super) collaborations: Vec<Collaboration>,
    /// Searched by CPR number: the number is shown in full. A name search shows only the
    /// birth date part, so two letters do not hand out fifty CPR numbers.
    pub(super) by_cpr: bool,
}

impl CitizenSearchPage {
    /// As many hits as a search shows: there may be more, so the page asks for more letters.
    pub(super) fn many(&self, hits: &[CitizenHit]) -> bool {
        hits.len() as i64 >= SEARCH_HITS
    }
}

pub(super) struct StaffChoice {
    pub(super) value: String,
    pub(super) label: String,
}

/// Where the citizen is now, when in hospital: admitted or on leave, where, since when.
pub(super) struct HospitalNow {
    pub(super) state: String,
    pub(super) hospital: String,
    pub(super) since: String,
}

/// The follow-up to book after a discharge, in words, and whether it is overdue.
pub(super) struct FollowUpRow {
    pub(super) episode: i64,
    pub(super) text: String,
    pub(super) overdue: bool,
}

pub(super) struct TimelineRow {
    pub(super) time: String,
    pub(super) actor: String,
    pub(super) text: String,
}

#[derive(Template)]
#[template(path = "courses/course.html")]
pub(super) struct CoursePage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    /// Relative logins linked to the citizen, to connect to a network entry.
    pub(super) relative_accounts: Vec<(bro_domain::UserId, String, String)>,
    /// Seen through emergency access.
    pub(super) emergency: bool,
    pub(super) course: Course,
    pub(super) timeline: Vec<TimelineRow>,
    /// In hospital now (only where health data is shared with the viewer).
    pub(super) hospital_now: Option<HospitalNow>,
    /// Acute readmissions in the last 12 months, in words, when there are any.
    pub(super) readmissions: Option<String>,
    /// Follow-ups after discharges still to book.
    pub(super) follow_ups: Vec<FollowUpRow>,
    /// The viewer coordinates this (open) course: the management forms are shown.
    pub(super) coordinates: bool,
    pub(super) may_register_hospital: bool,
    /// Codes of the phases the course may move to.
    pub(super) next_phases: Vec<String>,
    pub(super) staff: Vec<StaffChoice>,
    /// The other organisation whose staff are listed too (0: none), and all to choose from.
    pub(super) staff_org: i64,
    pub(super) orgs: Vec<(i64, String)>,
    pub(super) roles: &'static [CourseRole],
    pub(super) errors: FormErrors,
    pub(super) member: MemberForm,
    pub(super) close: CloseForm,
    pub(super) network_name: String,
    pub(super) relation: String,
}

/// Opening a course for a citizen whose last course another organisation held: the reason,
/// which that organisation's coordinator is told.
#[derive(Template)]
#[template(path = "courses/handover.html")]
pub(super) struct HandoverPage {
    pub(super) chrome: Chrome,
    pub(super) errors: FormErrors,
    pub(super) citizen: i64,
    pub(super) collaboration: String,
    pub(super) reason: String,
}

#[derive(Template)]
#[template(path = "courses/hospital_new.html")]
pub(super) struct HospitalFormPage {
    pub(super) chrome: Chrome,
    pub(super) course_id: i64,
    /// The events: value and name.
    pub(super) events: Vec<(String, String)>,
    /// The citizen's open stays: value and name.
    pub(super) stays: Vec<(String, String)>,
    pub(super) form: super::hospital_form::HospitalForm,
    pub(super) errors: crate::ui::FormErrors,
}
