//! The plan page, its history, a goal's page, and the page shown when the plan is withheld.

use crate::services::plan_edit::{ConflictInfo, PlanForm};
use crate::ui::{Chrome, FormErrors};
use askama::Template;
use bro_domain::plan::{Goal, InterventionStatus, LifeArea, PlanContent, PlanKind};
use bro_store::{Course, PlanComment};

#[derive(Template)]
#[template(path = "plan/plan.html")]
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
#[template(path = "plan/plan_history.html")]
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
#[template(path = "plan/goal.html")]
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
#[template(path = "plan/plan_withheld.html")]
pub struct PlanWithheldView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub course_id: i64,
    pub course_name: String,
    pub open: bool,
}
