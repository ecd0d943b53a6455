//! One struct per page template.

use super::{Chrome, FormErrors};
use crate::routes::collaborations::CollaborationForm;
use crate::routes::consents::{ConsentInput, LegalBasisInput};
use crate::routes::courses::{CloseForm, MemberForm};
use crate::routes::plan::{ConflictInfo, PlanForm};
use askama::Template;
use bro_domain::plan::{Goal, InterventionStatus, LifeArea, PlanContent, PlanKind};
use bro_domain::{CourseRole, Role, UnitKind};
use bro_store::{
    Citizen, CitizenHit, Collaboration, Course, CourseSummary, PlanComment, RelativeLink, Unit,
    User,
};

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorView {
    pub chrome: Chrome,
    pub title_key: &'static str,
    pub body_key: &'static str,
    pub request_id: String,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginView {
    pub chrome: Chrome,
    pub errors: FormErrors,
    pub username: String,
    pub failure: Option<String>,
    pub expired: bool,
}

#[derive(Template)]
#[template(path = "second_factor.html")]
pub struct SecondFactorView {
    pub chrome: Chrome,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "enrol.html")]
pub struct EnrolView {
    pub chrome: Chrome,
    pub errors: FormErrors,
    pub required: bool,
    pub secret: String,
    pub qr_svg: String,
    pub recovery_codes: Option<Vec<String>>,
}

pub struct RoleRow {
    pub role: String,
    pub unit: String,
    pub org: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomeView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub name: String,
    pub roles: Vec<RoleRow>,
    pub is_admin: bool,
}

#[derive(Template)]
#[template(path = "me.html")]
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
#[template(path = "account.html")]
pub struct AccountView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub display_name: String,
    pub username: String,
    pub totp_enabled: bool,
    pub recovery_left: i64,
    pub new_codes: Option<Vec<String>>,
    pub email: String,
    pub errors: FormErrors,
}

pub struct AuditRow {
    pub seq: i64,
    pub time: String,
    pub action: String,
    pub outcome: String,
    pub object: String,
}

#[derive(Template)]
#[template(path = "admin_overview.html")]
pub struct AdminOverviewView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub org_name: String,
    pub org_kind_key: &'static str,
    pub unit_count: usize,
    pub user_count: usize,
    pub require_second_factor: bool,
    pub audit: Vec<AuditRow>,
}

#[derive(Template)]
#[template(path = "admin_units.html")]
pub struct AdminUnitsView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub errors: FormErrors,
    pub org_name: String,
    pub units: Vec<Unit>,
    pub kinds: &'static [UnitKind],
    pub unit_name: String,
    pub kind: String,
}

pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub username: String,
    pub roles: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
pub struct AdminUsersView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub org_name: String,
    pub users: Vec<UserRow>,
}

#[derive(Template)]
#[template(path = "admin_user_new.html")]
pub struct AdminUserNewView {
    pub chrome: Chrome,
    pub errors: FormErrors,
    pub display_name: String,
    pub username: String,
    pub units: Vec<Unit>,
    pub all_roles: [Role; 7],
    pub unit: String,
    pub role: String,
}

#[derive(Template)]
#[template(path = "admin_user.html")]
pub struct AdminUserView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub errors: FormErrors,
    pub password_errors: FormErrors,
    pub user: User,
    pub units: Vec<Unit>,
    pub all_roles: [Role; 7],
    pub unit: String,
    pub role: String,
}

#[derive(Template)]
#[template(path = "courses.html")]
pub struct CoursesView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub courses: Vec<CourseSummary>,
    /// `YYYY-MM-DD` in Danish time: review dates before it are overdue.
    pub today: String,
}

#[derive(Template)]
#[template(path = "citizen_search.html")]
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
        hits.len() as i64 >= crate::routes::courses::SEARCH_HITS
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
#[template(path = "course.html")]
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

#[derive(Template)]
#[template(path = "plan.html")]
pub struct PlanView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    /// Seen through emergency access.
    pub emergency: bool,
    /// The citizen has not shared the crisis plan with the viewer's organisation.
    pub crisis_withheld: bool,
    pub course: Course,
    pub content: PlanContent,
    /// 0 before the first save.
    pub version: i64,
    pub author: String,
    pub at: String,
    pub review_overdue: bool,
    /// Closed courses keep their plan read-only.
    pub editable: bool,
    pub life_areas: &'static [LifeArea],
    pub statuses: &'static [InterventionStatus],
    pub kinds: &'static [PlanKind],
    pub errors: FormErrors,
    pub conflict: Option<ConflictInfo>,
    /// What was typed in the goal and intervention forms.
    pub form: PlanForm,
    /// The crisis-plan and review form: the plan's values, or what was typed after a refusal.
    pub crisis_form: PlanForm,
    pub comments: Vec<PlanComment>,
}

pub struct VersionRow {
    pub version: i64,
    pub time: String,
    pub author: String,
    pub section_key: &'static str,
}

pub struct DiffRow {
    /// "same", "removed" or "added".
    pub kind: &'static str,
    pub text: String,
}

#[derive(Template)]
#[template(path = "plan_history.html")]
pub struct PlanHistoryView {
    pub chrome: Chrome,
    pub course_id: i64,
    pub course_name: String,
    pub versions: Vec<VersionRow>,
    pub from: i64,
    pub to: i64,
    pub diff: Vec<DiffRow>,
}

#[derive(Template)]
#[template(path = "goal.html")]
pub struct GoalView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub course_id: i64,
    pub course_name: String,
    /// Closed courses keep their plan read-only.
    pub open: bool,
    pub version: i64,
    pub goal: Goal,
    /// The titles of the interventions that support this goal.
    pub supported_by: Vec<String>,
    pub life_areas: &'static [LifeArea],
    pub errors: FormErrors,
    pub conflict: Option<ConflictInfo>,
    /// The goal's words as typed (or as stored) and the progress note as typed.
    pub form: PlanForm,
}

#[derive(Template)]
#[template(path = "me_goal.html")]
pub struct MeGoalView {
    pub chrome: Chrome,
    pub version: i64,
    pub goal: Goal,
    pub life_areas: &'static [LifeArea],
    pub errors: FormErrors,
    pub conflict: Option<ConflictInfo>,
    pub form: PlanForm,
}

#[derive(Template)]
#[template(path = "admin_collaborations.html")]
pub struct CollaborationsView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub errors: FormErrors,
    pub collaborations: Vec<Collaboration>,
    /// Organisations that may be invited as partners (all but the admin's own).
    pub partners: Vec<bro_store::Organisation>,
    pub form: CollaborationForm,
}

impl CollaborationsView {
    /// Whether `c`'s change form is the one that was refused.
    pub fn editing(&self, c: &Collaboration) -> bool {
        self.form.editing == Some(c.id)
    }

    /// The phases of `c` as the change form shows them: what was typed after a refusal, else
    /// the stored names, one per line.
    pub fn phases_text(&self, c: &Collaboration) -> String {
        if self.editing(c) {
            return self.form.phases.clone();
        }
        c.phases
            .own_names()
            .map(|n| n.join("\n"))
            .unwrap_or_default()
    }
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
#[template(path = "access_log.html")]
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

/// One consent in plain words.
pub struct ConsentRow {
    pub id: i64,
    pub active: bool,
    /// Not withdrawn and not expired: it can still be withdrawn.
    pub withdrawable: bool,
    /// "Region Midtjylland må se: Helbred og behandling, Planen".
    pub summary: String,
    pub period: String,
    /// Form and who gave it.
    pub how: String,
    pub recorded: String,
    pub withdrawn: Option<String>,
    pub status: String,
    pub document: Option<String>,
}

/// One legal basis in plain words.
pub struct LegalBasisRow {
    pub id: i64,
    pub active: bool,
    pub endable: bool,
    /// The paragraph, e.g. "Psykiatriloven § 13 c".
    pub basis: String,
    pub summary: String,
    pub reason: String,
    pub period: String,
    pub recorded: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "consents.html")]
pub struct ConsentsView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub course_id: i64,
    pub course_name: String,
    /// The viewer is on the team of this open course.
    pub can_record: bool,
    /// Under 18: the rules for minors on social information apply.
    pub minor: bool,
    /// Under 15: the custody holders consent to sharing of health information.
    pub child: bool,
    pub rows: Vec<ConsentRow>,
    pub orgs: Vec<bro_store::Organisation>,
    pub categories: &'static [bro_domain::ShareCategory],
    pub forms: &'static [bro_domain::consent::ConsentForm],
    pub givers: &'static [bro_domain::consent::GivenBy],
    pub errors: FormErrors,
    pub input: ConsentInput,
    pub bases: Vec<LegalBasisRow>,
    /// The viewer coordinates this open course: records and ends legal bases.
    pub coordinates: bool,
    pub kinds: &'static [bro_domain::consent::LegalBasisKind],
    pub lb_input: LegalBasisInput,
}

impl ConsentsView {
    /// Where this course's consents (withdrawals, documents) live.
    pub fn consent_base(&self) -> String {
        format!("/courses/{}/consents", self.course_id)
    }

    /// Where this course's legal bases (ending one) live.
    pub fn legal_basis_base(&self) -> String {
        format!("/courses/{}/legal-bases", self.course_id)
    }
}

#[derive(Template)]
#[template(path = "me_consents.html")]
pub struct MeConsentsView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub rows: Vec<ConsentRow>,
    pub bases: Vec<LegalBasisRow>,
    /// The organisations of the citizen's team, to give consent to.
    pub orgs: Vec<(bro_domain::OrgId, String)>,
    pub categories: &'static [bro_domain::ShareCategory],
    pub errors: FormErrors,
    pub input: ConsentInput,
}

#[derive(Template)]
#[template(path = "plan_withheld.html")]
pub struct PlanWithheldView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub course_id: i64,
    pub course_name: String,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "emergency.html")]
pub struct EmergencyView {
    pub chrome: Chrome,
    pub course_id: i64,
    /// How long the access lasts.
    pub minutes: i64,
    pub errors: FormErrors,
    pub reason: String,
}

/// One emergency access for its reviewer, or for the citizen.
pub struct EmergencyReviewRow {
    pub id: i64,
    pub course_id: i64,
    pub who: String,
    pub reason: String,
    pub period: String,
    /// Who reviewed it, when, and their comment.
    pub review: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_emergency.html")]
pub struct EmergencyReviewsView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub rows: Vec<EmergencyReviewRow>,
}
