//! The coordinated plan of a course: the team's page, version history with comparison, and
//! safe concurrent editing. Adding a goal or an intervention never overwrites anyone; changing
//! the crisis plan or the review date on top of someone else's newer change is refused, with
//! their change shown and what was typed kept.

use super::super::forms::{self, Change, CommentForm, Compare};
use super::super::views::{DiffRow, PlanHistoryPage, PlanPage, PlanWithheldPage, VersionRow};
use crate::access::AuditedAccess;
use crate::access::{CourseScope, PlanPage as Shown, PlanScope};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::services::plan_edit::{ConflictInfo, PlanForm, Touches, save};
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::plan_document::{self, PrintedPlan};
use crate::ui::{Chrome, FormErrors};
use askama::Template;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use bro_domain::plan::{
    self, CrisisPlan, DiffLine, InterventionStatus, LifeArea, PlanContent, PlanKind, Section,
};

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
        forms::crisis_as_form(&content)
    };
    let view = PlanPage {
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
        Shown::Shared(scope) => scope,
        Shown::Withheld(team) => return withheld(&state, chrome, &team, flash).await,
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
    let view = PlanWithheldPage {
        flash,
        course_id: course.id.0,
        course_name: course.citizen_name,
        open: course.closed_ms.is_none(),
        chrome,
    };
    Ok((StatusCode::OK, Html(view.render()?)).into_response())
}

/// One handler for every section's form: check it, apply it, save it, or show what went wrong.
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
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let form = PlanForm::parse(&body);
    let mut errors = FormErrors::default();
    let change = section_change(&state, &scope, section, &form, &chrome, &mut errors).await?;
    let (Some(change), true) = (change, errors.is_empty()) else {
        return refused(&state, chrome, &scope, &access, form, errors).await;
    };
    let touches = match section {
        Section::Goals | Section::Interventions | Section::Authority => Touches::Addition,
        Section::Crisis | Section::Review | Section::Kind => Touches::Section(section),
    };
    let (ctx, course) = (&scope.ctx, scope.course.course_id);
    let saved = save(
        &state,
        ctx,
        course,
        form.base_version,
        section,
        touches,
        change,
    )
    .await?;
    finish(&state, chrome, &scope, &access, form, saved).await
}

/// Checks one section's form and builds its change: None when something is refused, and
/// `errors` says what. A new intervention and completion are checked against the newest plan.
async fn section_change(
    state: &AppState,
    scope: &PlanScope,
    section: Section,
    form: &PlanForm,
    chrome: &Chrome,
    errors: &mut FormErrors,
) -> Result<Option<Change>, AppError> {
    Ok(match section {
        Section::Goals => forms::goal(form, chrome, errors),
        Section::Interventions => match forms::intervention(form, chrome, errors) {
            Some(i) => {
                let current = current_plan(state, scope).await?;
                forms::added_intervention(i, current, chrome, errors)
            }
            None => None,
        },
        Section::Crisis => Some(forms::crisis(form, chrome, errors)),
        Section::Authority => Some(forms::authority(form, chrome, errors)),
        Section::Kind => {
            let Some(kind) = forms::kind(form, chrome, errors) else {
                return Ok(None);
            };
            if form.complete {
                let mut probe = current_plan(state, scope).await?;
                probe.kind = kind;
                forms::require_complete(&probe, chrome, errors);
            }
            Some(forms::kind_change(kind, form.complete))
        }
        Section::Review => {
            let today = crate::ui::danish_date(state.clock.now_ms());
            forms::review(form, today, chrome, errors)
        }
    })
}

async fn current_plan(state: &AppState, scope: &PlanScope) -> Result<PlanContent, AppError> {
    Ok(state
        .store
        .plan(&scope.ctx, scope.course.course_id)
        .await?
        .map(|p| p.content)
        .unwrap_or_default())
}

/// The plan page again, with what was typed and what was refused.
async fn refused(
    state: &AppState,
    chrome: Chrome,
    scope: &PlanScope,
    access: &AuditedAccess,
    form: PlanForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let page = PageState {
        form,
        errors,
        status: Some(StatusCode::UNPROCESSABLE_ENTITY),
        ..PageState::default()
    };
    render(state, chrome, scope, access, page).await
}

/// Back to the plan when saved; the same page with the other person's change when not.
async fn finish(
    state: &AppState,
    chrome: Chrome,
    scope: &PlanScope,
    access: &AuditedAccess,
    form: PlanForm,
    saved: Result<i64, ConflictInfo>,
) -> Result<Response, AppError> {
    match saved {
        Ok(_) => Ok(redirect_with_flash(
            state,
            &format!("/courses/{}/plan", scope.course.course_id.0),
            "flash-plan-saved",
        )),
        Err(conflict) => {
            let page = PageState {
                form,
                conflict: Some(conflict),
                status: Some(StatusCode::CONFLICT),
                ..PageState::default()
            };
            render(state, chrome, scope, access, page).await
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
    let form = PlanForm::parse(&body);
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let mut errors = FormErrors::default();
    let update = forms::intervention_update(&form, &chrome, &mut errors);
    if current_plan(&state, &scope)
        .await?
        .intervention(intervention)
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let Some((status, next_step)) = update else {
        return refused(&state, chrome, &scope, &access, form, errors).await;
    };
    let change = move |p: &mut PlanContent| {
        let _ = p.update_intervention(intervention, status, next_step.clone());
    };
    let (ctx, course) = (&scope.ctx, scope.course.course_id);
    let (section, touches) = (Section::Interventions, Touches::Intervention(intervention));
    let saved = save(
        &state,
        ctx,
        course,
        form.base_version,
        section,
        touches,
        change,
    )
    .await?;
    finish(&state, chrome, &scope, &access, form, saved).await
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
            forms::add_error(&chrome, &mut errors, "comment", e);
            let form = PlanForm {
                comment: form.comment,
                ..PlanForm::default()
            };
            refused(&state, chrome, &scope, &access, form, errors).await
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
    let view = PlanHistoryPage {
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
