//! Editing the coordinated plan safely when several people work on it at once: the plan
//! page, a goal's page and the citizen's own goals all save through here.

use crate::http::error::AppError;
use crate::state::AppState;
use bro_domain::CourseId;
use bro_domain::plan::{PlanContent, Section};
use bro_store::{AuditCtx, Conflict, PlanVersion, StoreError};
use serde::Deserialize;

/// The fields of every plan form, as typed; kept on screen when a save is refused.
#[derive(Default, Deserialize, Clone)]
pub(crate) struct PlanForm {
    #[serde(default)]
    pub base_version: i64,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub life_area: String,
    #[serde(default)]
    pub target_date: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub goal_ids: Vec<String>,
    #[serde(default)]
    pub responsible_org: String,
    #[serde(default)]
    pub responsible_person: String,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub frequency: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub next_step: String,
    #[serde(default)]
    pub warning_signs: String,
    #[serde(default)]
    pub what_helps: String,
    #[serde(default)]
    pub what_does_not_help: String,
    #[serde(default)]
    pub contacts: String,
    #[serde(default)]
    pub medication: String,
    #[serde(default)]
    pub wishes: String,
    #[serde(default)]
    pub review_date: String,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub who: String,
    #[serde(default)]
    pub limits: String,
    #[serde(default)]
    pub escalation: String,
    #[serde(default)]
    pub response_time: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub complete: bool,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub note: String,
}

impl PlanForm {
    /// Parses a url-encoded body; repeated keys (`goal_ids`) collect into a list.
    pub(crate) fn parse(body: &[u8]) -> PlanForm {
        let mut f = PlanForm::default();
        for (k, v) in crate::http::forms::form_pairs(body) {
            let v = v.clone();
            match k.as_str() {
                "base_version" => f.base_version = v.parse().unwrap_or(-1),
                "text" => f.text = v,
                "owner" => f.owner = v,
                "life_area" => f.life_area = v,
                "target_date" => f.target_date = v,
                "title" => f.title = v,
                "goal_ids" => f.goal_ids.push(v),
                "responsible_org" => f.responsible_org = v,
                "responsible_person" => f.responsible_person = v,
                "legal_basis" => f.legal_basis = v,
                "frequency" => f.frequency = v,
                "start" => f.start = v,
                "end" => f.end = v,
                "status" => f.status = v,
                "next_step" => f.next_step = v,
                "warning_signs" => f.warning_signs = v,
                "what_helps" => f.what_helps = v,
                "what_does_not_help" => f.what_does_not_help = v,
                "contacts" => f.contacts = v,
                "medication" => f.medication = v,
                "wishes" => f.wishes = v,
                "review_date" => f.review_date = v,
                "decision" => f.decision = v,
                "who" => f.who = v,
                "limits" => f.limits = v,
                "escalation" => f.escalation = v,
                "response_time" => f.response_time = v,
                "kind" => f.kind = v,
                "complete" => f.complete = v == "1",
                "note" => f.note = v,
                _ => {}
            }
        }
        f
    }
}

/// Someone else's newer change to the section one tried to save.
pub(crate) struct ConflictInfo {
    pub(crate) author: String,
    pub(crate) time: String,
}

/// What an edit touches, which decides when someone else's newer version is a conflict.
#[derive(Clone, Copy)]
pub(crate) enum Touches {
    /// Adds to a list: never overwrites anyone, goes on top of the newest version.
    Addition,
    /// Replaces a whole section: a conflict if the section changed since the editor's version.
    Section(Section),
    /// Changes one intervention: a conflict if that intervention changed meanwhile.
    Intervention(u32),
    /// Rewords one goal: a conflict if that goal's words, area or date changed meanwhile
    /// (a progress note added meanwhile is not).
    Goal(u32),
}

/// Applies a change to the newest version and saves it. For sections that are replaced
/// (crisis plan, review date) a newer change by someone else to the same section is a
/// conflict; additions (goals, interventions) are applied on top of whatever is newest.
pub(crate) async fn save(
    state: &AppState,
    ctx: &AuditCtx,
    course: CourseId,
    base_version: i64,
    section: Section,
    touches: Touches,
    change: impl Fn(&mut PlanContent),
) -> Result<Result<i64, ConflictInfo>, AppError> {
    let latest = state.store.plan(ctx, course).await?;
    let (latest_version, mut content) = match &latest {
        Some(p) => (p.version, p.content.clone()),
        None => (0, PlanContent::default()),
    };
    if latest_version != base_version && !matches!(touches, Touches::Addition) {
        let base = match base_version {
            0 => PlanContent::default(),
            v => state.store.plan_version(ctx, course, v).await?.content,
        };
        let unchanged = match touches {
            Touches::Section(s) => base.section_eq(&content, s),
            Touches::Intervention(id) => base.intervention(id) == content.intervention(id),
            Touches::Goal(id) => base
                .goal(id)
                .zip(content.goal(id))
                .is_some_and(|(a, b)| a.same_goal(b)),
            Touches::Addition => true,
        };
        if !unchanged {
            return Ok(Err(conflict_info(latest.as_ref())));
        }
    }
    // Completion is a statement about one version: any other change clears it.
    if section != Section::Kind {
        content.completed = false;
    }
    change(&mut content);
    match state
        .store
        .save_plan(ctx, course, latest_version, section, &content)
        .await
    {
        Ok(v) => Ok(Ok(v)),
        // Someone saved between our read and our write: say so rather than guess.
        Err(StoreError::Conflict(Conflict::Plan)) => {
            let newest = state.store.plan(ctx, course).await?;
            Ok(Err(conflict_info(newest.as_ref())))
        }
        Err(e) => Err(e.into()),
    }
}

fn conflict_info(p: Option<&PlanVersion>) -> ConflictInfo {
    ConflictInfo {
        author: p.and_then(|p| p.author_name.clone()).unwrap_or_default(),
        time: p
            .map(|p| crate::ui::local_time(p.at_ms))
            .unwrap_or_default(),
    }
}
