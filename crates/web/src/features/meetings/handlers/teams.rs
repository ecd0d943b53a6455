//! Fælles Team: the list of teams, a new team, and a team's page (members, meetings, the
//! citizens in its target group, agenda template and annual themes, meeting series,
//! evaluations, calendar feed) with its agenda form.

use super::super::forms::{AgendaForm, SeriesForm, TeamForm};
use super::super::views::{TeamPage, TeamsPage};
use crate::access::AuditedAccess;
use crate::access::{AdminScope, TeamScope};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::{OrgId, Role, TeamId};
use bro_store::{FeedOwner, StoreError};

const YEAR_MS: i64 = 366 * 24 * 60 * 60 * 1000;

pub async fn list(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let flash = page.flash(&chrome);
    teams_page(
        &state,
        &access,
        chrome,
        flash,
        FormErrors::default(),
        None,
        StatusCode::OK,
    )
    .await
}

pub(super) async fn teams_page(
    state: &AppState,
    access: &AuditedAccess,
    chrome: Chrome,
    flash: Option<String>,
    errors: FormErrors,
    new_feed_url: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let now = state.clock.now_ms();
    let role = access.viewer.active_role().cloned();
    let is_admin = role.as_ref().is_some_and(|r| r.role == Role::Admin);
    let (teams, collaborations, staff) = match &role {
        Some(r) if is_admin => {
            AdminScope::of(state, access, r.org_id).await?;
            let collaborations = state.store.collaborations_of(r.org_id).await?;
            let partners: Vec<OrgId> = collaborations
                .iter()
                .flat_map(|c| c.orgs.iter().map(|(o, _)| *o))
                .collect();
            (
                state.store.teams_of_org(r.org_id, now).await?,
                collaborations.into_iter().map(|c| (c.id, c.name)).collect(),
                state.store.staff_options(&partners).await?,
            )
        }
        Some(r) if bro_authz::works_with_citizens(r.role) => (
            state
                .store
                .teams_of_user(access.viewer.user.id, now)
                .await?,
            Vec::new(),
            Vec::new(),
        ),
        _ => return Err(AppError::NotFound),
    };
    html(
        status,
        TeamsPage {
            chrome,
            flash,
            errors,
            teams,
            collaborations,
            staff,
            is_admin,
            feeds: state
                .store
                .feeds(FeedOwner::User(access.viewer.user.id))
                .await?,
            new_feed_url,
        },
    )
}

/// An administrator makes a team in one of their organisation's collaborations.
pub async fn create(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let form = TeamForm::parse(&body);
    let ours = state.store.collaborations_of(org).await?;
    // Leader and convener come from the organisations of the chosen collaboration.
    let staff = state.store.staff_options(&form.partners(&ours)).await?;
    let new = match form.validate(&chrome, &ours, &staff) {
        Ok(new) => new,
        Err(errors) => {
            return teams_page(
                &state,
                &access,
                chrome,
                None,
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state.store.create_team(&ctx, new).await {
        // The team's own page is for its members (it lists citizens); the administrator
        // who set it up stays on the list.
        Ok(_) => Ok(redirect_with_flash(&state, "/teams", "flash-saved")),
        Err(StoreError::Conflict(_)) => {
            let mut errors = FormErrors::default();
            errors.add(&chrome, "name", "team-error-name-taken");
            teams_page(
                &state,
                &access,
                chrome,
                None,
                errors,
                None,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// What a refused form on the team page keeps.
#[derive(Default)]
pub(super) struct Refused {
    pub(super) errors: FormErrors,
    pub(super) series: SeriesForm,
    pub(super) agenda: Option<(String, Vec<(u8, String)>)>,
    pub(super) new_feed_url: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = TeamScope::member(&state, &access, TeamId(id)).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let flash = page.flash(&chrome);
    render(
        &state,
        &access,
        chrome,
        flash,
        view,
        Refused::default(),
        StatusCode::OK,
    )
    .await
}

pub(super) async fn render(
    state: &AppState,
    access: &AuditedAccess,
    chrome: Chrome,
    flash: Option<String>,
    view: TeamScope,
    refused: Refused,
    status: StatusCode,
) -> Result<Response, AppError> {
    let now = state.clock.now_ms();
    let team = view.team;
    let meetings = state
        .store
        .meetings_of_team(team.id, now - YEAR_MS, now + YEAR_MS)
        .await?;
    let (past, upcoming): (Vec<_>, Vec<_>) = meetings.into_iter().partition(|m| m.ends_ms <= now);
    let citizens = state.store.team_citizens(&view.ctx, team.id).await?;
    let course_options = match access.viewer.active_role() {
        Some(r) if bro_authz::works_with_citizens(r.role) => state
            .store
            .my_courses(&view.ctx, access.viewer.user.id)
            .await?
            .into_iter()
            .filter(|c| !citizens.iter().any(|t| t.course_id == c.id))
            .map(|c| (c.id.0, c.citizen_name))
            .collect(),
        _ => Vec::new(),
    };
    let (agenda, themes) = refused
        .agenda
        .unwrap_or_else(|| (team.agenda.clone(), team.themes.clone()));
    let points = state.store.evaluation_points(team.id).await?;
    let feeds = state.store.feeds(FeedOwner::Team(team.id)).await?;
    let staff = if view.manager {
        let orgs: Vec<OrgId> = team.orgs.iter().map(|(o, _)| *o).collect();
        state.store.staff_options(&orgs).await?
    } else {
        Vec::new()
    };
    let mut past = past;
    past.reverse();
    html(
        status,
        TeamPage {
            chrome,
            flash,
            errors: refused.errors,
            manager: view.manager,
            upcoming,
            past,
            citizens,
            course_options,
            staff,
            series: refused.series,
            agenda,
            themes,
            points,
            feeds,
            new_feed_url: refused.new_feed_url,
            team,
        },
    )
}

pub async fn set_agenda(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let view = TeamScope::member(&state, &access, TeamId(id)).await?;
    let ctx = view.manage(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let form = AgendaForm::parse(&body);
    if !form.is_valid() {
        let mut errors = FormErrors::default();
        errors.add(&chrome, "agenda", "team-error-agenda");
        let refused = Refused {
            errors,
            agenda: Some((form.agenda, form.themes)),
            ..Refused::default()
        };
        return render(
            &state,
            &access,
            chrome,
            None,
            view,
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    state
        .store
        .set_team_agenda(&ctx, view.team.id, form.agenda.trim(), &form.themes)
        .await?;
    Ok(back(&state, id, "flash-saved"))
}

/// Back to the page, with a message.
pub(super) fn back(state: &AppState, id: i64, key: &'static str) -> Response {
    redirect_with_flash(state, &format!("/teams/{id}"), key)
}
