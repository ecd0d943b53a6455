//! Landing pages: staff home, the citizen's and relative's own page, and the citizen's own
//! goals, comments, agreement to their plan, and what their network may see.

use super::super::forms::{AgreeForm, CommentForm, OwnGoalForm, may_see, parse_own_goal};
use super::super::views::{HomePage, MeGoalPage, MePage, RelativeShare, RoleRow};
use crate::access::AuditedAccess;
use crate::access::CitizenScope;
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::http::session::{Authed, MaybeViewer};
use crate::services::plan_edit::{ConflictInfo, PlanForm, Touches, save};
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::plan_document::{self, PrintedPlan};
use crate::ui::{Chrome, FormErrors};
use askama::Template;
use axum::Form;
use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use bro_authz::Actor;
use bro_domain::plan::{GoalOwner, LifeArea, PlanContent, Section};
use bro_domain::{Role, ShareCategory};
use bro_store::{Conflict, SessionStage, StoreError};

/// `/`: where each kind of person starts.
pub async fn root(MaybeViewer(found): MaybeViewer) -> Redirect {
    match found.viewer {
        Some(v) if v.stage() == SessionStage::Full => match v.actor {
            Actor::Staff { .. } => Redirect::to("/home"),
            Actor::Citizen { .. } | Actor::Relative { .. } => Redirect::to("/me"),
        },
        Some(v) if v.stage() == SessionStage::SecondFactor => Redirect::to("/login/second-factor"),
        Some(_) => Redirect::to("/account/second-factor"),
        None => Redirect::to("/login"),
    }
}

pub async fn home(
    State(state): State<AppState>,
    page: Page,
    Authed(viewer): Authed,
) -> Result<Response, AppError> {
    if !matches!(viewer.actor, Actor::Staff { .. }) {
        return Ok(Redirect::to("/me").into_response());
    }
    let chrome = page.chrome(&state, &viewer, "/home");
    let active = viewer.active_role().map(|a| a.assignment_id);
    let roles = viewer
        .user
        .roles
        .iter()
        .map(|r| RoleRow {
            role: chrome.t(r.role.label_key()),
            unit: r.unit_name.clone(),
            org: r.org_name.clone(),
            active: Some(r.id) == active,
        })
        .collect();
    let view = HomePage {
        flash: page.flash(&chrome),
        name: viewer.user.display_name.clone(),
        roles,
        is_admin: viewer.actor.has_role(Role::Admin),
        chrome,
    };
    Ok(Html(view.render()?).into_response())
}

/// The citizen's own page (their record and their plan in plain words, read and audited as
/// their own data) or the relative's page (whom they are related to; what is shared comes
/// with consent).
pub async fn me(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &access.viewer, "/me");
    let flash = page.flash(&chrome);
    render_me(
        &state,
        chrome,
        &access,
        flash,
        FormErrors::default(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

async fn render_me(
    state: &AppState,
    chrome: Chrome,
    access: &AuditedAccess,
    flash: Option<String>,
    errors: FormErrors,
    goal_text: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    let viewer = &access.viewer;
    let mut view = MePage {
        flash,
        name: viewer.user.display_name.clone(),
        citizen: None,
        is_relative: matches!(viewer.actor, Actor::Relative { .. }),
        links: Vec::new(),
        course: None,
        plan: None,
        plan_version: 0,
        agreed_version: None,
        life_areas: LifeArea::ALL,
        errors,
        goal_text,
        comments: Vec::new(),
        emergencies: Vec::new(),
        shared: Vec::new(),
        stays: Vec::new(),
        chrome,
    };
    match viewer.actor {
        Actor::Citizen { .. } => {
            let CitizenScope { citizen, ctx } = CitizenScope::own(state, access).await?;
            view.citizen = Some(state.store.citizen(&ctx, citizen).await?);
            view.emergencies = state
                .store
                .emergency_accesses_of(&ctx, citizen)
                .await?
                .iter()
                .map(|e| crate::ui::EmergencyReviewRow::of(&view.chrome, e, false))
                .collect();
            if state.store.has_hospital_episodes(citizen).await? {
                let episodes = state.store.hospital_episodes(&ctx, citizen).await?;
                view.stays = episodes.iter().map(|e| own_stay(&view.chrome, e)).collect();
            }
            if let Some(course_id) = state.store.open_course_of(citizen).await? {
                let ctx = CitizenScope::own_plan(state, access).await?.ctx;
                let course = state.store.course(&ctx, course_id).await?;
                view.agreed_version = course
                    .timeline
                    .iter()
                    .find(|e| e.kind == "citizen_agreed")
                    .and_then(|e| e.detail.parse().ok());
                if let Some(p) = state.store.plan(&ctx, course_id).await? {
                    view.plan_version = p.version;
                    view.plan = Some(p.content);
                }
                view.comments = state.store.plan_comments(course_id).await?;
                view.course = Some(course);
            }
        }
        Actor::Relative { user } => {
            view.links = state.store.relatives_links(&access.own(), user).await?;
            for link in &view.links {
                view.shared
                    .push(shared_with(state, access, link, user).await?);
            }
        }
        Actor::Staff { .. } => return Ok(Redirect::to("/home").into_response()),
    }
    Ok((status, Html(view.render()?)).into_response())
}

/// One of the citizen's own hospital stays, in words: "Udskrevet: Afsnit P1, 22.11.2026–29.11.2026".
fn own_stay(chrome: &Chrome, e: &bro_store::HospitalEpisode) -> String {
    let period = match e.end_ms {
        Some(end) => format!("{}–{}", chrome.date(&e.start_ms), chrome.date(&end)),
        None => format!(
            "{} {}",
            chrome.t("hospital-since"),
            chrome.date(&e.start_ms)
        ),
    };
    format!(
        "{}: {}, {period}",
        chrome.t(e.state.label_key()),
        e.hospital
    )
}

/// The citizen decides what someone in their network may see; it applies from the next request.
pub async fn set_network_share(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(member): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let CitizenScope { citizen, ctx } = CitizenScope::own_plan(&state, &access).await?;
    state
        .store
        .set_network_share(&ctx, citizen, member, may_see(&body))
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/me",
        "flash-network-share-saved",
    ))
}

/// What a citizen lets their relative see, read (and audited) only when they let them.
async fn shared_with(
    state: &AppState,
    access: &AuditedAccess,
    link: &bro_store::RelativeLink,
    user: bro_domain::UserId,
) -> Result<RelativeShare, AppError> {
    let categories = state
        .store
        .shared_with_relative(link.citizen_id, user)
        .await?;
    let mut share = RelativeShare::default();
    let wanted = [ShareCategory::Plan, ShareCategory::CrisisPlan];
    let Some(course) = state.store.open_course_of(link.citizen_id).await? else {
        return Ok(share);
    };
    for category in wanted.into_iter().filter(|c| categories.contains(c)) {
        let ctx = CitizenScope::shared_with_relative(state, access, link.citizen_id, category)
            .await?
            .ctx;
        let Some(plan) = state.store.plan(&ctx, course).await? else {
            continue;
        };
        match category {
            ShareCategory::CrisisPlan => share.crisis = Some(plan.content.crisis),
            _ => {
                share.goals = plan.content.goals;
                share.interventions = plan.content.interventions;
                share.plan = true;
            }
        }
    }
    Ok(share)
}

/// The citizen's open course, with the audit context for working on their own plan.
async fn own_course(
    state: &AppState,
    access: &AuditedAccess,
) -> Result<(bro_store::AuditCtx, bro_domain::CourseId), AppError> {
    let CitizenScope { citizen, ctx } = CitizenScope::own_plan(state, access).await?;
    let course = state
        .store
        .open_course_of(citizen)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((ctx, course))
}

/// The citizen's own plan as a PDF, in the plain version.
pub async fn own_plan_pdf(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let (ctx, course_id) = own_course(&state, &access).await?;
    let course = state.store.course(&ctx, course_id).await?;
    let plan = state.store.plan(&ctx, course_id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/me");
    let printed = PrintedPlan {
        course: &course,
        plan: plan.as_ref(),
        printed_ms: state.clock.now_ms(),
        crisis_withheld: false,
    };
    let doc = plan_document::citizen(&chrome, &printed);
    let name = format!("min-plan-v{}.pdf", plan.map_or(0, |p| p.version));
    crate::ui::pdf::response(doc, &name).await
}

/// The citizen writes a goal in their own words; it is stored exactly as written.
pub async fn add_own_goal(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Form(form): Form<OwnGoalForm>,
) -> Result<Response, AppError> {
    let (ctx, course) = own_course(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/me");
    let mut errors = FormErrors::default();
    let Some((text, area)) = form.parse(&chrome, &mut errors) else {
        return render_me(
            &state,
            chrome,
            &access,
            None,
            errors,
            form.text,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    // Adding never overwrites anyone: it goes on top of the newest version, retried once if
    // someone saved in the same instant.
    for _ in 0..2 {
        let latest = state.store.plan(&ctx, course).await?;
        let (version, mut content) = latest.map(|p| (p.version, p.content)).unwrap_or_default();
        content.completed = false;
        content.add_goal(GoalOwner::Citizen, text.clone(), area, None);
        match state
            .store
            .save_plan(&ctx, course, version, Section::Goals, &content)
            .await
        {
            Ok(_) => return Ok(redirect_with_flash(&state, "/me", "flash-plan-saved")),
            Err(StoreError::Conflict(Conflict::Plan)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Internal(
        "plan kept changing while saving a citizen's goal".into(),
    ))
}

/// The citizen's own goal, to reword it.
pub async fn own_goal(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(goal): Path<u32>,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &access.viewer, "/me");
    render_own_goal(
        &state,
        chrome,
        &access,
        goal,
        None,
        FormErrors::default(),
        None,
    )
    .await
}

async fn render_own_goal(
    state: &AppState,
    chrome: Chrome,
    access: &AuditedAccess,
    goal: u32,
    typed: Option<PlanForm>,
    errors: FormErrors,
    conflict: Option<ConflictInfo>,
) -> Result<Response, AppError> {
    let (ctx, course) = own_course(state, access).await?;
    let plan = state.store.plan(&ctx, course).await?;
    let version = plan.as_ref().map_or(0, |p| p.version);
    let goal = plan
        .and_then(|p| p.content.goal(goal).cloned())
        .filter(|g| g.owner == GoalOwner::Citizen)
        .ok_or(AppError::NotFound)?;
    let status = match (&conflict, errors.is_empty()) {
        (Some(_), _) => StatusCode::CONFLICT,
        (None, false) => StatusCode::UNPROCESSABLE_ENTITY,
        (None, true) => StatusCode::OK,
    };
    let form = typed.unwrap_or_else(|| PlanForm {
        text: goal.text.clone(),
        life_area: goal.life_area.as_str().to_owned(),
        ..PlanForm::default()
    });
    let view = MeGoalPage {
        version,
        goal,
        life_areas: LifeArea::ALL,
        errors,
        conflict,
        form,
        chrome,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// The citizen rewords their own goal. Stored exactly as written; if the goal changed since
/// the page was opened (on another device), nothing is overwritten and the typed text stays.
pub async fn edit_own_goal(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(goal): Path<u32>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let (ctx, course) = own_course(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/me");
    let form = PlanForm::parse(&body);
    let mut errors = FormErrors::default();
    let Some((text, area)) = parse_own_goal(&form.text, &form.life_area, &chrome, &mut errors)
    else {
        return render_own_goal(&state, chrome, &access, goal, Some(form), errors, None).await;
    };
    let change = move |p: &mut PlanContent| {
        let target = p.goal(goal).and_then(|g| g.target_date.clone());
        let _ = p.edit_goal(goal, GoalOwner::Citizen, text.clone(), area, target);
    };
    match save(
        &state,
        &ctx,
        course,
        form.base_version,
        Section::Goals,
        Touches::Goal(goal),
        change,
    )
    .await?
    {
        Ok(_) => Ok(redirect_with_flash(&state, "/me", "flash-plan-saved")),
        Err(conflict) => {
            render_own_goal(
                &state,
                chrome,
                &access,
                goal,
                Some(form),
                errors,
                Some(conflict),
            )
            .await
        }
    }
}

/// The citizen comments on their plan, in their own words.
pub async fn comment(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Form(form): Form<CommentForm>,
) -> Result<Response, AppError> {
    let (ctx, course) = own_course(&state, &access).await?;
    match form.text() {
        Ok(text) => {
            state.store.comment_plan(&ctx, course, true, text).await?;
            Ok(redirect_with_flash(&state, "/me", "flash-comment-saved"))
        }
        Err(e) => {
            let chrome = page.chrome(&state, &access.viewer, "/me");
            let mut errors = FormErrors::default();
            errors.add(&chrome, "comment", e.message_key());
            render_me(
                &state,
                chrome,
                &access,
                None,
                errors,
                String::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn agree(
    State(state): State<AppState>,
    access: AuditedAccess,
    Form(form): Form<AgreeForm>,
) -> Result<Response, AppError> {
    let (ctx, course) = own_course(&state, &access).await?;
    state.store.agree_plan(&ctx, course, form.version).await?;
    Ok(redirect_with_flash(&state, "/me", "flash-plan-agreed"))
}
