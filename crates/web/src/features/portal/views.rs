//! The home page, the citizen's and relative's own page, their own goal, and the access log.

use crate::services::plan_edit::{ConflictInfo, PlanForm};
use crate::ui::{Chrome, EmergencyReviewRow, FormErrors};
use askama::Template;
use bro_domain::plan::{Goal, LifeArea, PlanContent};
use bro_store::{Citizen, Course, PlanComment, RelativeLink};

pub(super) struct RoleRow {
    pub(super) role: String,
    pub(super) unit: String,
    pub(super) org: String,
    pub(super) active: bool,
}

#[derive(Template)]
#[template(path = "portal/home.html")]
pub(super) struct HomePage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) name: String,
    pub(super) roles: Vec<RoleRow>,
    pub(super) is_admin: bool,
}

#[derive(Template)]
#[template(path = "portal/me.html")]
pub(super) struct MePage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) name: String,
    pub(super) citizen: Option<Citizen>,
    pub(super) is_relative: bool,
    pub(super) links: Vec<RelativeLink>,
    /// The citizen's open course and its plan, when there is one.
    pub(super) course: Option<Course>,
    pub(super) plan: Option<PlanContent>,
    pub(super) plan_version: i64,
    pub(super) agreed_version: Option<i64>,
    pub(super) life_areas: &'static [LifeArea],
    pub(super) errors: FormErrors,
    pub(super) goal_text: String,
    pub(super) comments: Vec<PlanComment>,
    /// Emergency accesses to the citizen's data, newest first.
    pub(super) emergencies: Vec<EmergencyReviewRow>,
    /// For a relative: what each linked citizen shares with them, in the order of `links`.
    pub(super) shared: Vec<RelativeShare>,
    /// The citizen's own hospital stays, in words, newest first.
    pub(super) stays: Vec<String>,
}

impl MePage {
    /// What the `i`th linked citizen shares with this relative.
    pub(super) fn share(&self, i: &usize) -> Option<&RelativeShare> {
        self.shared.get(*i)
    }
}

/// What a citizen shares with one relative: parts of the plan, the crisis plan.
#[derive(Default)]
pub(super) struct RelativeShare {
    pub(super) plan: bool,
    pub(super) goals: Vec<bro_domain::plan::Goal>,
    pub(super) interventions: Vec<bro_domain::plan::Intervention>,
    pub(super) crisis: Option<bro_domain::plan::CrisisPlan>,
}

#[derive(Template)]
#[template(path = "portal/me_goal.html")]
pub(super) struct MeGoalPage {
    pub(super) chrome: Chrome,
    pub(super) version: i64,
    pub(super) goal: Goal,
    pub(super) life_areas: &'static [LifeArea],
    pub(super) errors: FormErrors,
    pub(super) conflict: Option<ConflictInfo>,
    pub(super) form: PlanForm,
}

/// One access to the citizen's data, in plain words.
pub(super) struct AccessRow {
    pub(super) time: String,
    pub(super) who: String,
    /// Unit and organisation.
    pub(super) place: String,
    pub(super) what: String,
    pub(super) why: String,
    pub(super) kind: String,
    pub(super) denied: bool,
}

#[derive(Template)]
#[template(path = "portal/access_log.html")]
pub(super) struct AccessLogPage {
    pub(super) chrome: Chrome,
    pub(super) errors: FormErrors,
    pub(super) rows: Vec<AccessRow>,
    /// The query string of the next page, when older entries exist in the period.
    pub(super) older: Option<String>,
    /// The query string of the first page, when this is a later one.
    pub(super) newest: Option<String>,
    pub(super) orgs: Vec<(bro_domain::OrgId, String)>,
    pub(super) from: String,
    pub(super) to: String,
    pub(super) org: Option<bro_domain::OrgId>,
    /// The filter as a query string for the export links (dates and an organisation id).
    pub(super) export_query: String,
}
