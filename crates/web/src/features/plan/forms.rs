//! What the plan forms take, parsed into domain values and checked: each section's form on the
//! plan page, an intervention moved along, a comment, and the versions to compare. The fields
//! of the section forms are `PlanForm` (services/plan_edit.rs), shared with the citizen's own
//! goals.

use crate::services::plan_edit::PlanForm;
use crate::ui::{Chrome, FormErrors};
use bro_domain::plan::{
    self, Authority, CrisisPlan, GoalOwner, Intervention, InterventionStatus, LifeArea,
    PlanContent, PlanError, PlanKind,
};
use serde::Deserialize;

/// A plan's review is at most six months ahead (KIP guideline; issue text).
const MAX_REVIEW_DAYS: i64 = 183;

/// A checked section's change, applied to the newest version of the plan when it is saved.
pub(super) type Change = Box<dyn Fn(&mut PlanContent) + Send + Sync>;

#[derive(Deserialize, Default)]
pub(super) struct CommentForm {
    #[serde(default)]
    pub(super) comment: String,
}

/// `?a=N&b=M`: the two versions the history compares (default: the newest and the one before).
#[derive(Deserialize)]
pub(super) struct Compare {
    pub(super) a: Option<i64>,
    pub(super) b: Option<i64>,
}

pub(super) fn add_error(
    chrome: &Chrome,
    errors: &mut FormErrors,
    field: &'static str,
    e: PlanError,
) {
    errors.add(chrome, field, e.message_key());
}

/// The crisis-plan and review form filled in with the plan's values.
pub(super) fn crisis_as_form(content: &PlanContent) -> PlanForm {
    let c = &content.crisis;
    PlanForm {
        warning_signs: c.warning_signs.clone(),
        what_helps: c.what_helps.clone(),
        what_does_not_help: c.what_does_not_help.clone(),
        contacts: c.contacts.clone(),
        medication: c.medication.clone(),
        wishes: c.wishes.clone(),
        review_date: content.review_date.clone().unwrap_or_default(),
        ..PlanForm::default()
    }
}

/// A new goal; None when a field is refused.
pub(super) fn goal(form: &PlanForm, chrome: &Chrome, errors: &mut FormErrors) -> Option<Change> {
    let text = plan::required_text(&form.text)
        .map_err(|e| add_error(chrome, errors, "text", e))
        .ok();
    let area = LifeArea::parse(&form.life_area);
    if area.is_none() {
        errors.add(chrome, "life_area", "field-choose");
    }
    let owner = match form.owner.as_str() {
        "citizen" => Some(GoalOwner::Citizen),
        "team" => Some(GoalOwner::Team),
        _ => {
            errors.add(chrome, "owner-team", "field-choose");
            None
        }
    };
    let date = plan::optional_day(&form.target_date)
        .map_err(|e| add_error(chrome, errors, "target_date", e))
        .ok();
    let (Some(text), Some(area), Some(owner), Some(date)) = (text, area, owner, date) else {
        return None;
    };
    Some(Box::new(move |p: &mut PlanContent| {
        p.add_goal(owner, text.clone(), area, date.clone());
    }))
}

/// A new intervention as typed. None when its title, dates or status are refused; a refused
/// free-text field is only in `errors` (and empty here), so the plan's rules are still checked.
pub(super) fn intervention(
    form: &PlanForm,
    chrome: &Chrome,
    errors: &mut FormErrors,
) -> Option<Intervention> {
    let title = plan::required_text(&form.title)
        .map_err(|e| add_error(chrome, errors, "title", e))
        .ok();
    let mut texts = Vec::new();
    for (field, value) in [
        ("responsible_org", &form.responsible_org),
        ("responsible_person", &form.responsible_person),
        ("legal_basis", &form.legal_basis),
        ("frequency", &form.frequency),
        ("next_step", &form.next_step),
    ] {
        match plan::optional_text(value) {
            Ok(v) => texts.push(v),
            Err(e) => {
                add_error(chrome, errors, field, e);
                texts.push(String::new());
            }
        }
    }
    let start = plan::optional_day(&form.start)
        .map_err(|e| add_error(chrome, errors, "start", e))
        .ok();
    let end = plan::optional_day(&form.end)
        .map_err(|e| add_error(chrome, errors, "end", e))
        .ok();
    let status = InterventionStatus::parse(&form.status);
    if status.is_none() {
        errors.add(chrome, "status", "field-choose");
    }
    let goal_ids: Vec<u32> = form
        .goal_ids
        .iter()
        .filter_map(|g| g.parse().ok())
        .collect();
    let (Some(title), Some(start), Some(end), Some(status)) = (title, start, end, status) else {
        return None;
    };
    Some(Intervention {
        id: 0,
        title,
        goal_ids,
        responsible_org: texts[0].clone(),
        responsible_person: texts[1].clone(),
        legal_basis: texts[2].clone(),
        frequency: texts[3].clone(),
        start,
        end,
        status,
        next_step: texts[4].clone(),
    })
}

/// Adding `i` to the current plan, unless the plan's rules refuse it (said under the field
/// the rule is about).
pub(super) fn added_intervention(
    i: Intervention,
    mut current: PlanContent,
    chrome: &Chrome,
    errors: &mut FormErrors,
) -> Option<Change> {
    match current.add_intervention(i.clone()) {
        Ok(_) => Some(Box::new(move |p: &mut PlanContent| {
            let _ = p.add_intervention(i.clone());
        })),
        Err(e) => {
            let field = match e {
                PlanError::ResponsibleRequired => "responsible_org",
                PlanError::EndBeforeStart => "end",
                _ => "title",
            };
            add_error(chrome, errors, field, e);
            None
        }
    }
}

/// The crisis plan as typed, replacing the plan's; a refused field is in `errors`.
pub(super) fn crisis(form: &PlanForm, chrome: &Chrome, errors: &mut FormErrors) -> Change {
    let mut crisis = CrisisPlan::default();
    for (field, value, slot) in [
        (
            "warning_signs",
            &form.warning_signs,
            &mut crisis.warning_signs,
        ),
        ("what_helps", &form.what_helps, &mut crisis.what_helps),
        (
            "what_does_not_help",
            &form.what_does_not_help,
            &mut crisis.what_does_not_help,
        ),
        ("contacts", &form.contacts, &mut crisis.contacts),
        ("medication", &form.medication, &mut crisis.medication),
        ("wishes", &form.wishes, &mut crisis.wishes),
    ] {
        match plan::optional_text(value) {
            Ok(v) => *slot = v,
            Err(e) => add_error(chrome, errors, field, e),
        }
    }
    Box::new(move |p: &mut PlanContent| p.crisis = crisis.clone())
}

/// A new delegated authority; a refused field is in `errors`.
pub(super) fn authority(form: &PlanForm, chrome: &Chrome, errors: &mut FormErrors) -> Change {
    let mut fields = Vec::new();
    for (field, value, required) in [
        ("decision", &form.decision, true),
        ("who", &form.who, true),
        ("limits", &form.limits, false),
        ("escalation", &form.escalation, true),
        ("response_time", &form.response_time, true),
    ] {
        let parsed = if required {
            plan::required_text(value)
        } else {
            plan::optional_text(value)
        };
        match parsed {
            Ok(v) => fields.push(v),
            Err(e) => {
                add_error(chrome, errors, field, e);
                fields.push(String::new());
            }
        }
    }
    let authority = Authority {
        id: 0,
        decision: fields[0].clone(),
        who: fields[1].clone(),
        limits: fields[2].clone(),
        escalation: fields[3].clone(),
        response_time: fields[4].clone(),
    };
    Box::new(move |p: &mut PlanContent| {
        p.add_authority(authority.clone());
    })
}

/// The kind of plan chosen; None when none was.
pub(super) fn kind(form: &PlanForm, chrome: &Chrome, errors: &mut FormErrors) -> Option<PlanKind> {
    let kind = PlanKind::parse(&form.kind);
    if kind.is_none() {
        errors.add(chrome, "kind", "field-choose");
    }
    kind
}

/// Refuses to mark `probe` complete until every mandatory field is filled, and says which.
pub(super) fn require_complete(probe: &PlanContent, chrome: &Chrome, errors: &mut FormErrors) {
    let missing = probe.missing();
    if !missing.is_empty() {
        let list = missing
            .iter()
            .map(|m| chrome.t(m.label_key()))
            .collect::<Vec<_>>()
            .join(", ");
        errors
            .0
            .push(("kind", format!("{} {list}", chrome.t("plan-missing-intro"))));
    }
}

pub(super) fn kind_change(kind: PlanKind, complete: bool) -> Change {
    Box::new(move |p: &mut PlanContent| {
        p.kind = kind;
        p.completed = complete;
    })
}

/// The next review date: not before `today`, at most six months after.
pub(super) fn review(
    form: &PlanForm,
    today: time::Date,
    chrome: &Chrome,
    errors: &mut FormErrors,
) -> Option<Change> {
    match plan::parse_day(&form.review_date) {
        Ok(day) if day < today => {
            errors.add(chrome, "review_date", "plan-error-review-past");
            None
        }
        Ok(day) if (day - today).whole_days() > MAX_REVIEW_DAYS => {
            add_error(chrome, errors, "review_date", PlanError::ReviewTooLate);
            None
        }
        Ok(day) => Some(Box::new(move |p: &mut PlanContent| {
            p.review_date = Some(day.to_string());
        })),
        Err(e) => {
            add_error(chrome, errors, "review_date", e);
            None
        }
    }
}

/// An intervention moved along: its new status and next step; None when one is refused.
pub(super) fn intervention_update(
    form: &PlanForm,
    chrome: &Chrome,
    errors: &mut FormErrors,
) -> Option<(InterventionStatus, String)> {
    let status = InterventionStatus::parse(&form.status);
    if status.is_none() {
        errors.add(chrome, "status", "field-choose");
    }
    let next_step = plan::optional_text(&form.next_step)
        .map_err(|e| add_error(chrome, errors, "next_step", e))
        .ok();
    status.zip(next_step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_repeated_keys_and_escapes() {
        let f = PlanForm::parse(b"base_version=3&text=Jeg+vil+have+%C3%A6bler+%26+p%C3%A6rer&goal_ids=1&goal_ids=2&title=%");
        assert_eq!(f.base_version, 3);
        assert_eq!(f.text, "Jeg vil have æbler & pærer");
        assert_eq!(f.goal_ids, ["1", "2"]);
        assert_eq!(f.title, "%");
    }
}
