//! The course list, citizen search and the course page.

use super::forms::{CloseForm, MemberForm, SEARCH_HITS};
use crate::ui::{Chrome, FormErrors};
use askama::Template;
use bro_domain::CourseRole;
use bro_store::{CitizenHit, Collaboration, Course, CourseSummary};

#[derive(Template)]
#[template(path = "courses/courses.html")]
pub struct CoursesView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub courses: Vec<CourseSummary>,
    /// `YYYY-MM-DD` in Danish time: review dates before it are overdue.
    pub today: String,
}

#[derive(Template)]
#[template(path = "courses/citizen_search.html")]
pub struct CitizenSearchView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub errors: FormErrors,
    pub q: String,
    /// `None` before a search.
    pub hits: Option<Vec<CitizenHit>>,
    /// The viewer may open new courses (works as coordinator).
    pub can_open: bool,
    /// The collaborations of the viewer's organisation: a new course may follow their phases.
    pub collaborations: Vec<Collaboration>,
    /// Searched by CPR number: the number is shown in full. A name search shows only the
    /// birth date part, so two letters do not hand out fifty CPR numbers.
    pub by_cpr: bool,
}

impl CitizenSearchView {
    /// As many hits as a search shows: there may be more, so the page asks for more letters.
    pub fn many(&self, hits: &[CitizenHit]) -> bool {
        hits.len() as i64 >= SEARCH_HITS
    }
}

pub struct StaffChoice {
    pub value: String,
    pub label: String,
}

pub struct TimelineRow {
    pub time: String,
    pub actor: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "courses/course.html")]
pub struct CourseView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    /// Relative logins linked to the citizen, to connect to a network entry.
    pub relative_accounts: Vec<(bro_domain::UserId, String, String)>,
    /// Seen through emergency access.
    pub emergency: bool,
    pub course: Course,
    pub timeline: Vec<TimelineRow>,
    /// The viewer coordinates this (open) course: the management forms are shown.
    pub coordinates: bool,
    /// Codes of the phases the course may move to.
    pub next_phases: Vec<String>,
    pub staff: Vec<StaffChoice>,
    /// The other organisation whose staff are listed too (0: none), and all to choose from.
    pub staff_org: i64,
    pub orgs: Vec<(i64, String)>,
    pub roles: &'static [CourseRole],
    pub errors: FormErrors,
    pub member: MemberForm,
    pub close: CloseForm,
    pub network_name: String,
    pub relation: String,
}
