//! The coordinated plan of a course: the team's page, version history with comparison, and
//! safe concurrent editing. Adding a goal or an intervention never overwrites anyone; changing
//! the crisis plan or the review date on top of someone else's newer change is refused, with
//! their change shown and what was typed kept.

use super::super::views::{DiffRow, PlanHistoryView, PlanView, PlanWithheldView, VersionRow};
use crate::AppState;
use crate::access::AuditedAccess;
use crate::access::{CourseScope, PlanPage, PlanScope};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::http::page::Page;
use crate::services::plan_edit::{ConflictInfo, PlanForm, Touches, save};
use crate::ui::plan_document::{self, PrintedPlan};
use crate::ui::{Chrome, FormErrors};
use askama::Template;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use bro_domain::plan::{
    self, Authority, CrisisPlan, DiffLine, GoalOwner, Intervention, InterventionStatus, LifeArea,
    PlanContent, PlanError, PlanKind, Section,
};
use serde::Deserialize;

/// A plan's review is at most six months ahead (KIP guideline; issue text).
const MAX_REVIEW_DAYS: i64 = 183;

/// What the plan page shows besides the plan: a message, the forms as typed, errors, a conflict.
#[derive(Default)]
struct PageState {
    flash: Option<String>,
    form: PlanForm,
    errors: FormErrors,
    conflict: Option<ConflictInfo>,
    status: Option<StatusCode>,
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    scope: &PlanScope,
    access: &AuditedAccess,
    page: PageState,
) -> Result<Response, AppError> {
    let (ctx, a) = (&scope.ctx, &scope.course);
    let course = state.store.course(ctx, a.course_id).await?;
    let crisis_withheld = !scope.crisis_shared(state, access).await?;
    let mut current = state.store.plan(ctx, a.course_id).await?;
    if crisis_withheld && let Some(p) = current.as_mut() {
        p.content.crisis = CrisisPlan::default();
    }
    let today = crate::ui::danish_date(state.clock.now_ms());
    let (version, author, at, content) = match current {
        Some(p) => (
            p.version,
            p.author_name.unwrap_or_default(),
            crate::ui::local_time(p.at_ms),
            p.content,
        ),
        None => (0, String::new(), String::new(), PlanContent::default()),
    };
    let review_overdue = content
        .review_date
        .as_deref()
        .and_then(|d| plan::parse_day(d).ok())
        .is_none_or(|d| d < today);
    // Emergency access reads; only the team writes.
    let editable = course.closed_ms.is_none() && a.membership.is_some();
    let PageState {
        flash,
        form,
        errors,
        conflict,
        status,
    } = page;
    // A refused crisis-plan save keeps what was typed; otherwise the form shows the plan.
    let crisis_form = if conflict.is_some() || !errors.is_empty() {
        form.clone()
    } else {
        crisis_as_form(&content.crisis, &content)
    };
    let view = PlanView {
        flash,
        emergency: a.emergency,
        crisis_withheld,
        course,
        version,
        author,
        at,
        review_overdue,
        editable,
        life_areas: LifeArea::ALL,
        statuses: InterventionStatus::ALL,
        kinds: PlanKind::ALL,
        errors,
        conflict,
        form,
        crisis_form,
        comments: state.store.plan_comments(a.course_id).await?,
        content,
        chrome,
    };
    Ok((status.unwrap_or(StatusCode::OK), Html(view.render()?)).into_response())
}

fn crisis_as_form(c: &CrisisPlan, content: &PlanContent) -> PlanForm {
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

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let shown = PlanScope::page(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let flash = page.flash(&chrome);
    let scope = match shown {
        PlanPage::Shared(scope) => scope,
        PlanPage::Withheld(team) => return withheld(&state, chrome, &team, flash).await,
    };
    render(
        &state,
        chrome,
        &scope,
        &access,
        PageState {
            flash,
            ..PageState::default()
        },
    )
    .await
}

/// The plan page for a team member whose organisation the citizen has not shared the plan
/// with: what is withheld, and how to ask for consent.
async fn withheld(
    state: &AppState,
    chrome: Chrome,
    team: &CourseScope,
    flash: Option<String>,
) -> Result<Response, AppError> {
    let course = state.store.course(&team.ctx, team.course.course_id).await?;
    let view = PlanWithheldView {
        flash,
        course_id: course.id.0,
        course_name: course.citizen_name,
        open: course.closed_ms.is_none(),
        chrome,
    };
    Ok((StatusCode::OK, Html(view.render()?)).into_response())
}

fn add_error(chrome: &Chrome, errors: &mut FormErrors, field: &'static str, e: PlanError) {
    errors.add(chrome, field, e.message_key());
}

/// One handler for every section's form: validate, apply, save, or show what went wrong.
pub async fn edit(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path((id, section)): Path<(i64, String)>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let scope = PlanScope::edit(&state, &access, id).await?;
    let section = Section::parse(&section).ok_or(AppError::NotFound)?;
    if section == Section::Crisis {
        scope.require_crisis(&state, &access).await?;
    }
    let (a, ctx) = (&scope.course, &scope.ctx);
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let form = PlanForm::parse(&body);
    let mut errors = FormErrors::default();
    let now_day = crate::ui::danish_date(state.clock.now_ms());

    let change: Box<dyn Fn(&mut PlanContent) + Send + Sync> = match section {
        Section::Goals => {
            let text = plan::required_text(&form.text)
                .map_err(|e| add_error(&chrome, &mut errors, "text", e))
                .ok();
            let area = LifeArea::parse(&form.life_area);
            if area.is_none() {
                errors.add(&chrome, "life_area", "field-choose");
            }
            let owner = match form.owner.as_str() {
                "citizen" => Some(GoalOwner::Citizen),
                "team" => Some(GoalOwner::Team),
                _ => {
                    errors.add(&chrome, "owner-team", "field-choose");
                    None
                }
            };
            let date = plan::optional_day(&form.target_date)
                .map_err(|e| add_error(&chrome, &mut errors, "target_date", e))
                .ok();
            match (text, area, owner, date) {
                (Some(text), Some(area), Some(owner), Some(date)) => {
                    Box::new(move |p: &mut PlanContent| {
                        p.add_goal(owner, text.clone(), area, date.clone());
                    })
                }
                _ => Box::new(|_: &mut PlanContent| {}),
            }
        }
        Section::Interventions => {
            let title = plan::required_text(&form.title)
                .map_err(|e| add_error(&chrome, &mut errors, "title", e))
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
                        add_error(&chrome, &mut errors, field, e);
                        texts.push(String::new());
                    }
                }
            }
            let start = plan::optional_day(&form.start)
                .map_err(|e| add_error(&chrome, &mut errors, "start", e))
                .ok();
            let end = plan::optional_day(&form.end)
                .map_err(|e| add_error(&chrome, &mut errors, "end", e))
                .ok();
            let status = InterventionStatus::parse(&form.status);
            if status.is_none() {
                errors.add(&chrome, "status", "field-choose");
            }
            let goal_ids: Vec<u32> = form
                .goal_ids
                .iter()
                .filter_map(|g| g.parse().ok())
                .collect();
            match (title, start, end, status) {
                (Some(title), Some(start), Some(end), Some(status)) => {
                    let i = Intervention {
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
                    };
                    // Check the rules against the current plan before saving.
                    let current = state
                        .store
                        .plan(ctx, a.course_id)
                        .await?
                        .map(|p| p.content)
                        .unwrap_or_default();
                    let mut probe = current.clone();
                    match probe.add_intervention(i.clone()) {
                        Ok(_) => Box::new(move |p: &mut PlanContent| {
                            let _ = p.add_intervention(i.clone());
                        }),
                        Err(e) => {
                            let field = match e {
                                PlanError::ResponsibleRequired => "responsible_org",
                                PlanError::EndBeforeStart => "end",
                                _ => "title",
                            };
                            add_error(&chrome, &mut errors, field, e);
                            Box::new(|_: &mut PlanContent| {})
                        }
                    }
                }
                _ => Box::new(|_: &mut PlanContent| {}),
            }
        }
        Section::Crisis => {
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
                    Err(e) => add_error(&chrome, &mut errors, field, e),
                }
            }
            Box::new(move |p: &mut PlanContent| p.crisis = crisis.clone())
        }
        Section::Authority => {
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
                        add_error(&chrome, &mut errors, field, e);
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
        Section::Kind => match PlanKind::parse(&form.kind) {
            None => {
                errors.add(&chrome, "kind", "field-choose");
                Box::new(|_: &mut PlanContent| {})
            }
            Some(kind) => {
                if form.complete {
                    // Refuse to mark complete until every mandatory field is filled, and say which.
                    let mut probe = state
                        .store
                        .plan(ctx, a.course_id)
                        .await?
                        .map(|p| p.content)
                        .unwrap_or_default();
                    probe.kind = kind;
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
                let complete = form.complete;
                Box::new(move |p: &mut PlanContent| {
                    p.kind = kind;
                    p.completed = complete;
                })
            }
        },
        Section::Review => match plan::parse_day(&form.review_date) {
            Ok(day) if day < now_day => {
                errors.add(&chrome, "review_date", "plan-error-review-past");
                Box::new(|_: &mut PlanContent| {})
            }
            Ok(day) if (day - now_day).whole_days() > MAX_REVIEW_DAYS => {
                add_error(
                    &chrome,
                    &mut errors,
                    "review_date",
                    PlanError::ReviewTooLate,
                );
                Box::new(|_: &mut PlanContent| {})
            }
            Ok(day) => Box::new(move |p: &mut PlanContent| p.review_date = Some(day.to_string())),
            Err(e) => {
                add_error(&chrome, &mut errors, "review_date", e);
                Box::new(|_: &mut PlanContent| {})
            }
        },
    };
    if !errors.is_empty() {
        let page = PageState {
            form,
            errors,
            status: Some(StatusCode::UNPROCESSABLE_ENTITY),
            ..PageState::default()
        };
        return render(&state, chrome, &scope, &access, page).await;
    }
    let touches = match section {
        Section::Goals | Section::Interventions | Section::Authority => Touches::Addition,
        Section::Crisis | Section::Review | Section::Kind => Touches::Section(section),
    };
    match save(
        &state,
        ctx,
        a.course_id,
        form.base_version,
        section,
        touches,
        change,
    )
    .await?
    {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/courses/{id}/plan"),
            "flash-plan-saved",
        )),
        Err(conflict) => {
            let page = PageState {
                form,
                conflict: Some(conflict),
                status: Some(StatusCode::CONFLICT),
                ..PageState::default()
            };
            render(&state, chrome, &scope, &access, page).await
        }
    }
}

/// Moves one intervention along (status and next step).
pub async fn update_intervention(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path((id, intervention)): Path<(i64, u32)>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let scope = PlanScope::edit(&state, &access, id).await?;
    let (a, ctx) = (&scope.course, &scope.ctx);
    let form = PlanForm::parse(&body);
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let mut errors = FormErrors::default();
    let status = InterventionStatus::parse(&form.status);
    if status.is_none() {
        errors.add(&chrome, "status", "field-choose");
    }
    let next_step = plan::optional_text(&form.next_step)
        .map_err(|e| add_error(&chrome, &mut errors, "next_step", e))
        .ok();
    let current = state
        .store
        .plan(ctx, a.course_id)
        .await?
        .map(|p| p.content)
        .unwrap_or_default();
    if current.intervention(intervention).is_none() {
        return Err(AppError::NotFound);
    }
    let (Some(status), Some(next_step), true) = (status, next_step, errors.is_empty()) else {
        let page = PageState {
            form,
            errors,
            status: Some(StatusCode::UNPROCESSABLE_ENTITY),
            ..PageState::default()
        };
        return render(&state, chrome, &scope, &access, page).await;
    };
    let change = move |p: &mut PlanContent| {
        let _ = p.update_intervention(intervention, status, next_step.clone());
    };
    let touches = Touches::Intervention(intervention);
    match save(
        &state,
        ctx,
        a.course_id,
        form.base_version,
        Section::Interventions,
        touches,
        change,
    )
    .await?
    {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/courses/{id}/plan"),
            "flash-plan-saved",
        )),
        Err(conflict) => {
            let page = PageState {
                form,
                conflict: Some(conflict),
                status: Some(StatusCode::CONFLICT),
                ..PageState::default()
            };
            render(&state, chrome, &scope, &access, page).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct CommentForm {
    #[serde(default)]
    comment: String,
}

/// A team member's comment on the plan.
pub async fn comment(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<CommentForm>,
) -> Result<Response, AppError> {
    let scope = PlanScope::edit(&state, &access, id).await?;
    let (a, ctx) = (&scope.course, &scope.ctx);
    match plan::required_text(&form.comment) {
        Ok(text) => {
            state
                .store
                .comment_plan(ctx, a.course_id, false, text)
                .await?;
            Ok(redirect_with_flash(
                &state,
                &format!("/courses/{id}/plan"),
                "flash-comment-saved",
            ))
        }
        Err(e) => {
            let chrome = page.chrome(&state, &access.viewer, "/courses");
            let mut errors = FormErrors::default();
            add_error(&chrome, &mut errors, "comment", e);
            let form = PlanForm {
                comment: form.comment,
                ..PlanForm::default()
            };
            let page = PageState {
                form,
                errors,
                status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                ..PageState::default()
            };
            render(&state, chrome, &scope, &access, page).await
        }
    }
}

/// The plan as a PDF: the team's full version, or the citizen's plain version to hand over.
pub async fn pdf(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path((id, version)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let citizen = match version.as_str() {
        "team" => false,
        "citizen" => true,
        _ => return Err(AppError::NotFound),
    };
    let scope = PlanScope::read(&state, &access, id).await?;
    let (a, ctx) = (&scope.course, &scope.ctx);
    let course = state.store.course(ctx, a.course_id).await?;
    let crisis_withheld = !scope.crisis_shared(&state, &access).await?;
    let mut plan = state.store.plan(ctx, a.course_id).await?;
    if crisis_withheld && let Some(p) = plan.as_mut() {
        p.content.crisis = CrisisPlan::default();
    }
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let printed = PrintedPlan {
        course: &course,
        plan: plan.as_ref(),
        printed_ms: state.clock.now_ms(),
        crisis_withheld,
    };
    let doc = if citizen {
        plan_document::citizen(&chrome, &printed)
    } else {
        plan_document::professional(&chrome, &printed)
    };
    let name = format!("plan-{id}-v{}-{version}.pdf", plan.map_or(0, |p| p.version));
    crate::ui::pdf::response(doc, &name).await
}

#[derive(Deserialize)]
pub struct Compare {
    a: Option<i64>,
    b: Option<i64>,
}

pub async fn history(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Query(cmp): Query<Compare>,
) -> Result<Response, AppError> {
    let scope = PlanScope::read(&state, &access, id).await?;
    let (a, ctx) = (&scope.course, &scope.ctx);
    let crisis_withheld = !scope.crisis_shared(&state, &access).await?;
    let mut versions = state.store.plan_history(ctx, a.course_id).await?;
    if crisis_withheld {
        for v in &mut versions {
            v.content.crisis = CrisisPlan::default();
        }
    }
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let newest = versions.first().map_or(0, |v| v.version);
    let to = cmp.b.unwrap_or(newest);
    let from = cmp.a.unwrap_or(to - 1);
    let content_of = |n: i64| {
        versions
            .iter()
            .find(|v| v.version == n)
            .map(|v| v.content.lines())
            .unwrap_or_default()
    };
    let diff = plan::diff(&content_of(from), &content_of(to))
        .into_iter()
        .map(|d| match d {
            DiffLine::Same(t) => DiffRow {
                kind: "same",
                text: t,
            },
            DiffLine::Removed(t) => DiffRow {
                kind: "removed",
                text: t,
            },
            DiffLine::Added(t) => DiffRow {
                kind: "added",
                text: t,
            },
        })
        .collect();
    let rows = versions
        .iter()
        .map(|v| VersionRow {
            version: v.version,
            time: crate::ui::local_time(v.at_ms),
            author: v.author_name.clone().unwrap_or_default(),
            section_key: v.section.label_key(),
        })
        .collect();
    let course_name = state.store.course(ctx, a.course_id).await?.citizen_name;
    let view = PlanHistoryView {
        course_id: id,
        course_name,
        versions: rows,
        from,
        to,
        diff,
        chrome,
    };
    Ok(Html(view.render()?).into_response())
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
