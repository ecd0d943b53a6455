//! Fælles Team: the list of teams, a team's page (members, meetings, the citizens in its target
//! group, agenda template and annual themes, meeting series, evaluations, calendar feed).

use super::super::forms::SeriesForm;
use super::super::views::{TeamPage, TeamsPage};
use crate::AppState;
use crate::access::AuditedAccess;
use crate::access::{AdminScope, TeamScope, uncovered_orgs};
use crate::http::error::AppError;
use crate::http::forms::{form_pairs, form_value, redirect_with_flash};
use crate::http::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::extract::{Path, RawForm, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use bro_domain::local_time::parse_clock;
use bro_domain::meeting::TeamFunction;
use bro_domain::plan::parse_day;
use bro_domain::recurrence::Recurrence;
use bro_domain::{CollaborationId, CourseId, Name, OrgId, Role, TeamId, UserId};
use bro_store::{FeedOwner, NewSeries, NewTeam, NewTeamMember, StoreError};

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

async fn teams_page(
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
    let mut name = String::new();
    let mut place = String::new();
    let (mut collaboration, mut leader, mut convener) = (0, 0, 0);
    for (k, v) in form_pairs(&body) {
        match k.as_str() {
            "name" => name = v,
            "place" => place = v,
            "collaboration" => collaboration = v.parse().unwrap_or(0),
            "leader" => leader = v.parse().unwrap_or(0),
            "convener" => convener = v.parse().unwrap_or(0),
            _ => {}
        }
    }
    let mut errors = FormErrors::default();
    let name = Name::parse(&name)
        .map_err(|e| errors.add(&chrome, "name", e.message_key()))
        .ok();
    let place = Name::parse(&place)
        .map_err(|e| errors.add(&chrome, "place", e.message_key()))
        .ok();
    let ours = state.store.collaborations_of(org).await?;
    let chosen = ours.iter().find(|c| c.id.0 == collaboration);
    if chosen.is_none() {
        errors.add(&chrome, "collaboration", "team-error-collaboration");
    }
    // Leader and convener come from the organisations of the chosen collaboration.
    let partners: Vec<OrgId> = chosen
        .map(|c| c.orgs.iter().map(|(o, _)| *o).collect())
        .unwrap_or_default();
    let staff = state.store.staff_options(&partners).await?;
    if ![leader, convener]
        .iter()
        .all(|u| staff.iter().any(|s| s.user_id.0 == *u))
    {
        errors.add(&chrome, "leader", "team-error-people");
    }
    let (Some(name), Some(place), true) = (name, place, errors.is_empty()) else {
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
    };
    let new = NewTeam {
        collaboration_id: CollaborationId(collaboration),
        name: name.into_string(),
        place: place.into_string(),
        leader: UserId(leader),
        convener: UserId(convener),
        agenda: chrome.t("team-default-agenda"),
        members: Vec::new(),
        themes: Vec::new(),
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
struct Refused {
    errors: FormErrors,
    series: SeriesForm,
    agenda: Option<(String, Vec<(u8, String)>)>,
    new_feed_url: Option<String>,
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

async fn render(
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
    let mut agenda = String::new();
    let mut themes = Vec::new();
    for (k, v) in form_pairs(&body) {
        if k == "agenda" {
            agenda = v;
        } else if let Some(month) = k.strip_prefix("theme-").and_then(|m| m.parse::<u8>().ok())
            && (1..=12).contains(&month)
            && !v.trim().is_empty()
        {
            themes.push((month, v.trim().to_owned()));
        }
    }
    if agenda.lines().all(|l| l.trim().is_empty()) || agenda.len() > 5000 {
        let mut errors = FormErrors::default();
        errors.add(&chrome, "agenda", "team-error-agenda");
        let refused = Refused {
            errors,
            agenda: Some((agenda, themes)),
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
        .set_team_agenda(&ctx, view.team.id, agenda.trim(), &themes)
        .await?;
    Ok(back(&state, id, "flash-saved"))
}

pub async fn add_member(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let view = TeamScope::member(&state, &access, TeamId(id)).await?;
    let ctx = view.manage(&state, &access).await?;
    let (mut user, mut function, mut fixed) = (0, None, false);
    for (k, v) in form_pairs(&body) {
        match k.as_str() {
            "user" => user = v.parse().unwrap_or(0),
            "function" => function = TeamFunction::parse(&v),
            "fixed" => fixed = true,
            _ => {}
        }
    }
    let orgs: Vec<OrgId> = view.team.orgs.iter().map(|(o, _)| *o).collect();
    let known = state
        .store
        .staff_options(&orgs)
        .await?
        .into_iter()
        .any(|s| s.user_id.0 == user);
    let Some(function) = function.filter(|_| known) else {
        return Err(AppError::Conflict("member"));
    };
    let member = NewTeamMember {
        user: UserId(user),
        function,
        fixed,
    };
    state
        .store
        .set_team_member(&ctx, view.team.id, member)
        .await?;
    Ok(back(&state, id, "flash-saved"))
}

pub async fn remove_member(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, user)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let view = TeamScope::member(&state, &access, TeamId(id)).await?;
    let ctx = view.manage(&state, &access).await?;
    state
        .store
        .remove_team_member(&ctx, view.team.id, UserId(user))
        .await?;
    Ok(back(&state, id, "flash-saved"))
}

/// Makes a meeting series: every N weeks at a fixed local time, up to a last date.
pub async fn create_series(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let view = TeamScope::member(&state, &access, TeamId(id)).await?;
    let ctx = view.manage(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let mut f = SeriesForm::default();
    for (k, v) in form_pairs(&body) {
        match k.as_str() {
            "title" => f.title = v,
            "first_date" => f.first_date = v,
            "start" => f.start = v,
            "minutes" => f.minutes = v,
            "every_weeks" => f.every_weeks = v,
            "until" => f.until = v,
            "place" => f.place = v,
            "video_link" => f.video_link = v,
            _ => {}
        }
    }
    let mut errors = FormErrors::default();
    let title = Name::parse(&f.title)
        .map_err(|e| errors.add(&chrome, "title", e.message_key()))
        .ok();
    let first = parse_day(&f.first_date).ok();
    if first.is_none() {
        errors.add(&chrome, "first_date", "error-date");
    }
    let start = parse_clock(&f.start);
    if start.is_none() {
        errors.add(&chrome, "start", "error-time");
    }
    let minutes = f.minutes.trim().parse::<u32>().ok();
    if minutes.is_none() {
        errors.add(&chrome, "minutes", "recurrence-duration");
    }
    let every = f.every_weeks.trim().parse::<u8>().ok();
    if every.is_none() {
        errors.add(&chrome, "every_weeks", "recurrence-interval");
    }
    let until = parse_day(&f.until).ok();
    if until.is_none() {
        errors.add(&chrome, "until", "error-date");
    }
    let place = if f.place.trim().is_empty() {
        view.team.place.clone()
    } else {
        f.place.trim().to_owned()
    };
    if !valid_link(&f.video_link) {
        errors.add(&chrome, "video_link", "meeting-error-video-link");
    }
    let mut occurrences = None;
    if let (Some(first), Some(start), Some(minutes), Some(every_weeks), Some(until)) =
        (first, start, minutes, every, until)
    {
        let rule = Recurrence {
            first,
            start,
            minutes,
            every_weeks,
            until,
        };
        match rule.occurrences() {
            Ok(list) => occurrences = Some(list),
            Err(e) => errors.add(&chrome, "every_weeks", e.key()),
        }
    }
    let (Some(title), Some(occurrences), true) = (title, occurrences, errors.is_empty()) else {
        let refused = Refused {
            errors,
            series: f,
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
    };
    let meetings = occurrences
        .iter()
        .map(|o| {
            let theme = view
                .team
                .theme_of(u8::from(o.date.month()))
                .unwrap_or_default()
                .to_owned();
            (o.date.to_string(), o.starts_ms, o.ends_ms, theme)
        })
        .collect();
    let new = NewSeries {
        team: view.team.id,
        title: title.into_string(),
        first_date: f.first_date.trim().to_owned(),
        start_minute: start.map_or(0, |t| i64::from(t.hour()) * 60 + i64::from(t.minute())),
        minutes: i64::from(minutes.unwrap_or(0)),
        every_weeks: i64::from(every.unwrap_or(0)),
        until_date: f.until.trim().to_owned(),
        place,
        video_link: f.video_link.trim().to_owned(),
        meetings,
    };
    match state.store.create_series(&ctx, new).await {
        Ok(_) => Ok(back(&state, id, "flash-series-created")),
        Err(StoreError::Conflict("overlap")) => {
            let mut errors = FormErrors::default();
            errors.add(&chrome, "first_date", "meeting-error-overlap");
            let refused = Refused {
                errors,
                series: f,
                ..Refused::default()
            };
            render(
                &state,
                &access,
                chrome,
                None,
                view,
                refused,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// A video link is empty or an https address (no scripts, no other schemes).
pub(super) fn valid_link(link: &str) -> bool {
    let link = link.trim();
    link.is_empty()
        || (link.starts_with("https://")
            && link.len() <= 500
            && !link.chars().any(|c| c.is_whitespace() || c.is_control()))
}

/// Puts one of the viewer's courses on the team's list of citizens in the target group:
/// only when the citizen's consent or a legal basis covers every organisation of the team.
pub async fn add_citizen(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let view = TeamScope::member(&state, &access, TeamId(id)).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let course = form_value(&body, "course")
        .and_then(|v| v.parse::<i64>().ok())
        .map(CourseId)
        .ok_or(AppError::NotFound)?;
    // Only a course the viewer works on may be listed.
    let a = state
        .store
        .course_access(course, access.viewer.user.id)
        .await?;
    if a.membership.is_none() {
        return Err(AppError::NotFound);
    }
    let uncovered = uncovered_orgs(&state, &view.team, &a).await?;
    if !uncovered.is_empty() {
        let mut errors = FormErrors::default();
        errors.0.push((
            "course",
            chrome.t1("team-error-no-consent", "orgs", &uncovered.join(", ")),
        ));
        let refused = Refused {
            errors,
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
    match state
        .store
        .add_team_citizen(&view.ctx, view.team.id, course)
        .await
    {
        Ok(()) | Err(StoreError::Conflict("listed")) => Ok(back(&state, id, "flash-saved")),
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_citizen(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, course)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let view = TeamScope::member(&state, &access, TeamId(id)).await?;
    state
        .store
        .remove_team_citizen(&view.ctx, view.team.id, CourseId(course))
        .await?;
    Ok(back(&state, id, "flash-saved"))
}

/// Makes a secret calendar address for the team's meetings; shown once.
pub async fn create_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let view = TeamScope::member(&state, &access, TeamId(id)).await?;
    let ctx = view.manage(&state, &access).await?;
    let url =
        super::calendar::new_feed(&state, &ctx, FeedOwner::Team(view.team.id), &headers).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let refused = Refused {
        new_feed_url: Some(url),
        ..Refused::default()
    };
    render(&state, &access, chrome, None, view, refused, StatusCode::OK).await
}

pub async fn revoke_feed(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, feed)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let view = TeamScope::member(&state, &access, TeamId(id)).await?;
    let ctx = view.manage(&state, &access).await?;
    state
        .store
        .revoke_feed(&ctx, FeedOwner::Team(view.team.id), feed)
        .await?;
    Ok(back(&state, id, "flash-calendar-revoked"))
}

/// Makes a secret calendar address for the viewer's own meetings; shown once.
pub async fn create_own_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let ctx = access.own();
    let owner = FeedOwner::User(access.viewer.user.id);
    let url = super::calendar::new_feed(&state, &ctx, owner, &headers).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    teams_page(
        &state,
        &access,
        chrome,
        None,
        FormErrors::default(),
        Some(url),
        StatusCode::OK,
    )
    .await
}

pub async fn revoke_own_feed(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(feed): Path<i64>,
) -> Result<Response, AppError> {
    let ctx = access.own();
    state
        .store
        .revoke_feed(&ctx, FeedOwner::User(access.viewer.user.id), feed)
        .await?;
    Ok(redirect_with_flash(
        &state,
        "/teams",
        "flash-calendar-revoked",
    ))
}

/// Back to the page, with a message.
fn back(state: &AppState, id: i64, key: &'static str) -> Response {
    redirect_with_flash(state, &format!("/teams/{id}"), key)
}
