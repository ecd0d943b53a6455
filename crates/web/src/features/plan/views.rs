//! The plan page, its history, a goal's page, and the page shown when the plan is withheld.

use crate::services::plan_edit::{ConflictInfo, PlanForm};
use crate::ui::{Chrome, FormErrors};
use askama::Template;
use bro_domain::plan::{Goal, InterventionStatus, LifeArea, PlanContent, PlanKind};
use bro_store::{Course, PlanComment};

#[derive(Template)]
#[template(path = "plan/plan.html")]
pub(super) struct PlanPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    /// Seen through emergency access.
    pub(super) emergency: bool,
    /// The citizen has not shared the crisis plan with the viewer's organisation.
    pub(super) crisis_withheld: bool,
    pub(super) course: Course,
    pub(super) content: PlanContent,
    /// 0 before the first save.
    pub(super) version: i64,
    pub(super) author: String,
    pub(super) at: String,
    pub(super) review_overdue: bool,
    /// Closed courses keep their plan read-only.
    pub(super) editable: bool,
    pub(super) life_areas: &'static [LifeArea],
    pub(super) statuses: &'static [InterventionStatus],
    pub(super) kinds: &'static [PlanKind],
    pub(super) errors: FormErrors,
    pub(super) conflict: Option<ConflictInfo>,
    /// What was typed in the goal and intervention forms.
    pub(super) form: PlanForm,
    /// The crisis-plan and review form: the plan's values, or what was typed after a refusal.
    pub(super) crisis_form: PlanForm,
    pub(super) comments: Vec<PlanComment>,
}

pub(super) struct VersionRow {
    pub(super) version: i64,
    pub(super) time: String,
    pub(super) author: String,
    pub(super) section_key: &'static str,
}

pub(super) struct DiffRow {
    /// "same", "removed" or "added".
    pub(super) kind: &'static str,
    pub(super) text: String,
}

#[derive(Template)]
#[template(path = "plan/plan_history.html")]
pub(super) struct PlanHistoryPage {
    pub(super) chrome: Chrome,
    pub(super) course_id: i64,
    pub(super) course_name: String,
    pub(super) versions: Vec<VersionRow>,
    pub(super) from: i64,
    pub(super) to: i64,
    pub(super) diff: Vec<DiffRow>,
}

#[derive(Template)]
#[template(path = "plan/goal.html")]
pub(super) struct GoalPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) course_id: i64,
    pub(super) course_name: String,
    /// Closed courses keep their plan read-only.
    pub(super) open: bool,
    pub(super) version: i64,
    pub(super) goal: Goal,
    /// The titles of the interventions that support this goal.
    pub(super) supported_by: Vec<String>,
    pub(super) life_areas: &'static [LifeArea],
    pub(super) errors: FormErrors,
    pub(super) conflict: Option<ConflictInfo>,
    /// The goal's words as typed (or as stored) and the progress note as typed.
    pub(super) form: PlanForm,
}

#[derive(Template)]
#[template(path = "plan/plan_withheld.html")]
pub(super) struct PlanWithheldPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) course_id: i64,
    pub(super) course_name: String,
    pub(super) open: bool,
}
