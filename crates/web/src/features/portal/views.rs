//! The home page, the citizen's and relative's own page, their own goal, and the access log.

use crate::services::plan_edit::{ConflictInfo, PlanForm};
use crate::ui::{Chrome, EmergencyReviewRow, FormErrors};
use askama::Template;
use bro_domain::plan::{Goal, LifeArea, PlanContent};
use bro_store::{Citizen, Course, PlanComment, RelativeLink};

pub struct RoleRow {
    pub role: String,
    pub unit: String,
    pub org: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "portal/home.html")]
pub struct HomeView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub name: String,
    pub roles: Vec<RoleRow>,
    pub is_admin: bool,
}

#[derive(Template)]
#[template(path = "portal/me.html")]
pub struct MeView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub name: String,
    pub citizen: Option<Citizen>,
    pub is_relative: bool,
    pub links: Vec<RelativeLink>,
    /// The citizen's open course and its plan, when there is one.
    pub course: Option<Course>,
    pub plan: Option<PlanContent>,
    pub plan_version: i64,
    pub agreed_version: Option<i64>,
    pub life_areas: &'static [LifeArea],
    pub errors: FormErrors,
    pub goal_text: String,
    pub comments: Vec<PlanComment>,
    /// Emergency accesses to the citizen's data, newest first.
    pub emergencies: Vec<EmergencyReviewRow>,
    /// For a relative: what each linked citizen shares with them, in the order of `links`.
    pub shared: Vec<RelativeShare>,
}

impl MeView {
    /// What the `i`th linked citizen shares with this relative.
    pub fn share(&self, i: &usize) -> Option<&RelativeShare> {
        self.shared.get(*i)
    }
}

/// What a citizen shares with one relative: parts of the plan, the crisis plan.
#[derive(Default)]
pub struct RelativeShare {
    pub plan: bool,
    pub goals: Vec<bro_domain::plan::Goal>,
    pub interventions: Vec<bro_domain::plan::Intervention>,
    pub crisis: Option<bro_domain::plan::CrisisPlan>,
}

#[derive(Template)]
#[template(path = "portal/me_goal.html")]
pub struct MeGoalView {
    pub chrome: Chrome,
    pub version: i64,
    pub goal: Goal,
    pub life_areas: &'static [LifeArea],
    pub errors: FormErrors,
    pub conflict: Option<ConflictInfo>,
    pub form: PlanForm,
}

/// One access to the citizen's data, in plain words.
pub struct AccessRow {
    pub time: String,
    pub who: String,
    /// Unit and organisation.
    pub place: String,
    pub what: String,
    pub why: String,
    pub kind: String,
    pub denied: bool,
}

#[derive(Template)]
#[template(path = "portal/access_log.html")]
pub struct AccessLogView {
    pub chrome: Chrome,
    pub errors: FormErrors,
    pub rows: Vec<AccessRow>,
    /// The query string of the next page, when older entries exist in the period.
    pub older: Option<String>,
    /// The query string of the first page, when this is a later one.
    pub newest: Option<String>,
    pub orgs: Vec<(bro_domain::OrgId, String)>,
    pub from: String,
    pub to: String,
    pub org: Option<bro_domain::OrgId>,
    /// The filter as a query string for the export links (dates and an organisation id).
    pub export_query: String,
}
