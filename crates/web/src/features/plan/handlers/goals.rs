//! One goal of the plan, on its own page: its progress notes, a form to add one, and (for the
//! team's shared goals) a form to reword it. The citizen's own goals are reworded only by the
//! citizen, on their own page; the team adds notes to them but never changes their words.

use super::super::views::GoalPage;
use crate::access::AuditedAccess;
use crate::access::PlanScope;
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::services::plan_edit::{ConflictInfo, PlanForm, Touches, save};
use crate::state::AppState;
use crate::ui::FormErrors;
use crate::ui::page::Page;
use askama::Template;
use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use bro_domain::plan::{self, GoalNote, GoalOwner, LifeArea, PlanContent, Section};
use bro_store::{AuditCtx, CourseAccess};

/// What the goal page shows besides the goal: a message, what was typed, errors, a conflict.
#[derive(Default)]
struct PageState {
    flash: Option<String>,
    form: Option<PlanForm>,
    errors: FormErrors,
    conflict: Option<ConflictInfo>,
    status: Option<StatusCode>,
}

async fn render(
    state: &AppState,
    chrome: crate::ui::Chrome,
    ctx: &AuditCtx,
    a: &CourseAccess,
    goal_id: u32,
    page: PageState,
) -> Result<Response, AppError> {
    let course = state.store.course(ctx, a.course_id).await?;
    let plan = state.store.plan(ctx, a.course_id).await?;
    let version = plan.as_ref().map_or(0, |p| p.version);
    let content = plan.map(|p| p.content).unwrap_or_default();
    let goal = content.goal(goal_id).cloned().ok_or(AppError::NotFound)?;
    let supported_by = content
        .interventions
        .iter()
        .filter(|i| i.goal_ids.contains(&goal_id))
        .map(|i| i.title.clone())
        .collect();
    // The forms show the goal, or what was typed when a save was refused.
    let form = page.form.unwrap_or_else(|| PlanForm {
        text: goal.text.clone(),
        life_area: goal.life_area.as_str().to_owned(),
        target_date: goal.target_date.clone().unwrap_or_default(),
        ..PlanForm::default()
    });
    let view = GoalPage {
        flash: page.flash,
        course_id: course.id.0,
        course_name: course.citizen_name,
        open: course.closed_ms.is_none(),
        version,
        goal,
        supported_by,
        life_areas: LifeArea::ALL,
        errors: page.errors,
        conflict: page.conflict,
        form,
        chrome,
    };
    Ok((page.status.unwrap_or(StatusCode::OK), Html(view.render()?)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path((id, goal)): Path<(i64, u32)>,
) -> Result<Response, AppError> {
    let PlanScope { course: a, ctx, .. } = PlanScope::read(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let flash = page.flash(&chrome);
    let page = PageState {
        flash,
        ..PageState::default()
    };
    render(&state, chrome, &ctx, &a, goal, page).await
}

/// Rewords one of the team's shared goals.
pub async fn edit(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path((id, goal)): Path<(i64, u32)>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let PlanScope { course: a, ctx, .. } = PlanScope::edit(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let form = PlanForm::parse(&body);
    let mut errors = FormErrors::default();
    let text = plan::required_text(&form.text)
        .map_err(|e| errors.add(&chrome, "text", e.message_key()))
        .ok();
    let area = LifeArea::parse(&form.life_area);
    if area.is_none() {
        errors.add(&chrome, "life_area", "field-choose");
    }
    let date = plan::optional_day(&form.target_date)
        .map_err(|e| errors.add(&chrome, "target_date", e.message_key()))
        .ok();
    let current = current_plan(&state, &ctx, &a).await?;
    match current.goal(goal) {
        None => return Err(AppError::NotFound),
        Some(g) if g.owner == GoalOwner::Citizen => {
            errors.add(&chrome, "text", plan::PlanError::NotYourGoal.message_key())
        }
        Some(_) => {}
    }
    let (Some(text), Some(area), Some(date), true) = (text, area, date, errors.is_empty()) else {
        return refused(&state, chrome, &ctx, &a, goal, form, errors).await;
    };
    let change = move |p: &mut PlanContent| {
        let _ = p.edit_goal(goal, GoalOwner::Team, text.clone(), area, date.clone());
    };
    let saved = save(
        &state,
        &ctx,
        a.course_id,
        form.base_version,
        Section::Goals,
        Touches::Goal(goal),
        change,
    )
    .await?;
    finish(&state, chrome, &ctx, &a, goal, form, saved).await
}

/// Adds a progress note to a goal: never a conflict, it goes on top of the newest version.
pub async fn note(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path((id, goal)): Path<(i64, u32)>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let PlanScope { course: a, ctx, .. } = PlanScope::edit(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let form = PlanForm::parse(&body);
    if current_plan(&state, &ctx, &a).await?.goal(goal).is_none() {
        return Err(AppError::NotFound);
    }
    let text = match plan::required_text(&form.note) {
        Ok(text) => text,
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.add(&chrome, "note", e.message_key());
            return refused(&state, chrome, &ctx, &a, goal, form, errors).await;
        }
    };
    let note = GoalNote {
        day: crate::ui::danish_date(state.clock.now_ms()).to_string(),
        author: access.viewer.user.display_name.clone(),
        text,
    };
    let change = move |p: &mut PlanContent| {
        let _ = p.note_goal(goal, note.clone());
    };
    let saved = save(
        &state,
        &ctx,
        a.course_id,
        form.base_version,
        Section::Goals,
        Touches::Addition,
        change,
    )
    .await?;
    finish(&state, chrome, &ctx, &a, goal, form, saved).await
}

async fn current_plan(
    state: &AppState,
    ctx: &AuditCtx,
    a: &CourseAccess,
) -> Result<PlanContent, AppError> {
    Ok(state
        .store
        .plan(ctx, a.course_id)
        .await?
        .map(|p| p.content)
        .unwrap_or_default())
}

async fn refused(
    state: &AppState,
    chrome: crate::ui::Chrome,
    ctx: &AuditCtx,
    a: &CourseAccess,
    goal: u32,
    form: PlanForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let page = PageState {
        form: Some(form),
        errors,
        status: Some(StatusCode::UNPROCESSABLE_ENTITY),
        ..PageState::default()
    };
    render(state, chrome, ctx, a, goal, page).await
}

/// Back to the goal when saved; the same page with the other person's change when not.
async fn finish(
    state: &AppState,
    chrome: crate::ui::Chrome,
    ctx: &AuditCtx,
    a: &CourseAccess,
    goal: u32,
    form: PlanForm,
    saved: Result<i64, ConflictInfo>,
) -> Result<Response, AppError> {
    match saved {
        Ok(_) => Ok(redirect_with_flash(
            state,
            &format!("/courses/{}/plan/goals/{goal}", a.course_id.0),
            "flash-plan-saved",
        )),
        Err(conflict) => {
            let page = PageState {
                form: Some(form),
                conflict: Some(conflict),
                status: Some(StatusCode::CONFLICT),
                ..PageState::default()
            };
            render(state, chrome, ctx, a, goal, page).await
        }
    }
}
