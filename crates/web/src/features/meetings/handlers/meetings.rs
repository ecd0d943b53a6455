//! One Fælles Team meeting: agenda, cases, participants and attendance, moving and cancelling,
//! and the actors' evaluation afterwards.

use super::super::forms::{
    DetailsForm, MeetingEvaluationForm, MoveForm, attendance_marks, chosen_course, chosen_user,
};
use super::super::views::MeetingPage;
use crate::access::AuditedAccess;
use crate::access::{TeamScope, uncovered_orgs};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::{MeetingId, UserId};
use bro_store::{Conflict, StoreError};

async fn meeting_view(
    state: &AppState,
    access: &AuditedAccess,
    id: i64,
) -> Result<(bro_store::Meeting, TeamScope), AppError> {
    let meeting = state.store.meeting(MeetingId(id)).await?;
    let view = TeamScope::member(state, access, meeting.team_id).await?;
    Ok((meeting, view))
}

pub async fn page(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (meeting, view) = meeting_view(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let flash = page.flash(&chrome);
    render(
        &state,
        &access,
        chrome,
        flash,
        (meeting, view),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn render(
    state: &AppState,
    access: &AuditedAccess,
    chrome: Chrome,
    flash: Option<String>,
    (meeting, view): (bro_store::Meeting, TeamScope),
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let cases = state.store.cases(&view.ctx, meeting.id).await?;
    let candidates = state
        .store
        .team_citizens(&view.ctx, view.team.id)
        .await?
        .into_iter()
        .filter(|c| !cases.iter().any(|k| k.course_id == c.course_id))
        .collect();
    let participants = state.store.participants(meeting.id).await?;
    let pool = view
        .team
        .members
        .iter()
        .filter(|m| !participants.iter().any(|p| p.user_id == m.user_id))
        .map(|m| (m.user_id.0, format!("{} ({})", m.name, m.org_name)))
        .collect();
    let evaluations = state.store.meeting_evaluations(meeting.id).await?;
    let local = bro_domain::local_time::to_local(meeting.starts_ms);
    let past = meeting.ends_ms <= state.clock.now_ms();
    let stay_reviews = super::stay_reviews::stay_reviews(state, access, &chrome, &meeting).await?;
    html(
        status,
        MeetingPage {
            chrome,
            flash,
            errors,
            move_date: local.date().to_string(),
            move_start: crate::ui::clock(meeting.starts_ms),
            move_end: crate::ui::clock(meeting.ends_ms),
            past,
            meeting,
            manager: view.manager,
            team: view.team,
            participants,
            cases,
            candidates,
            pool,
            evaluations,
            stay_reviews,
        },
    )
}

/// Re-shows the meeting page with one refused field.
async fn refuse(
    state: &AppState,
    access: &AuditedAccess,
    chrome: Chrome,
    (meeting, view): (bro_store::Meeting, TeamScope),
    field: &'static str,
    message: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    errors.0.push((field, message));
    render(state, access, chrome, None, (meeting, view), errors, status).await
}

fn back(state: &AppState, id: i64, key: &'static str) -> Response {
    redirect_with_flash(state, &format!("/meetings/{id}"), key)
}

/// Puts a citizen from the team's list on the agenda: only when the citizen's consent or a
/// legal basis covers every organisation of the team.
pub async fn add_case(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let (meeting, view) = meeting_view(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let course = chosen_course(&body);
    let listed = state.store.team_citizens(&view.ctx, view.team.id).await?;
    let Some(course) = course.filter(|c| listed.iter().any(|t| t.course_id == *c)) else {
        let message = chrome.t("meeting-error-not-listed");
        return refuse(
            &state,
            &access,
            chrome,
            (meeting, view),
            "course",
            message,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let a = state
        .store
        .course_access(course, access.viewer.user.id)
        .await?;
    let uncovered = uncovered_orgs(&state, &view.team, &a).await?;
    if !uncovered.is_empty() {
        let message = chrome.t1("team-error-no-consent", "orgs", &uncovered.join(", "));
        return refuse(
            &state,
            &access,
            chrome,
            (meeting, view),
            "course",
            message,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match state.store.add_case(&view.ctx, meeting.id, course).await {
        Ok(_) => Ok(back(&state, id, "flash-case-added")),
        Err(StoreError::Conflict(what)) => {
            let message = chrome.t(if what == Conflict::Cancelled {
                "meeting-error-cancelled"
            } else {
                "meeting-error-case-taken"
            });
            refuse(
                &state,
                &access,
                chrome,
                (meeting, view),
                "course",
                message,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn attendance(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let (meeting, view) = meeting_view(&state, &access, id).await?;
    let ctx = view.manage(&state, &access).await?;
    let participants = state.store.participants(meeting.id).await?;
    for (user, mark) in attendance_marks(&body) {
        let attendance = mark.ok_or(AppError::Conflict(Conflict::Attendance))?;
        let changed = participants
            .iter()
            .any(|p| p.user_id.0 == user && p.attendance != attendance);
        if changed {
            state
                .store
                .set_attendance(&ctx, meeting.id, UserId(user), attendance)
                .await?;
        }
    }
    Ok(back(&state, id, "flash-saved"))
}

/// The convener adds someone from the team's pool to this meeting.
pub async fn invite(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let (meeting, view) = meeting_view(&state, &access, id).await?;
    let ctx = view.manage(&state, &access).await?;
    let user = chosen_user(&body).ok_or(AppError::NotFound)?;
    match state.store.invite(&ctx, meeting.id, UserId(user)).await {
        Ok(()) | Err(StoreError::Conflict(Conflict::Invited)) => {
            Ok(back(&state, id, "flash-saved"))
        }
        Err(e) => Err(e.into()),
    }
}

/// Moves this one meeting to another day or time; the series keeps its rhythm.
pub async fn move_meeting(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let (meeting, view) = meeting_view(&state, &access, id).await?;
    let ctx = view.manage(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let (starts, ends) = match MoveForm::parse(&body).times() {
        Ok(times) => times,
        Err(field) => {
            let message = chrome.t("meeting-error-when");
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return refuse(
                &state,
                &access,
                chrome,
                (meeting, view),
                field,
                message,
                status,
            )
            .await;
        }
    };
    match state
        .store
        .move_meeting(&ctx, meeting.id, starts, ends)
        .await
    {
        Ok(()) => Ok(back(&state, id, "flash-meeting-moved")),
        Err(StoreError::Conflict(what)) => {
            let message = chrome.t(if what == Conflict::Overlap {
                "meeting-error-overlap"
            } else {
                "meeting-error-cancelled"
            });
            refuse(
                &state,
                &access,
                chrome,
                (meeting, view),
                "date",
                message,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (meeting, view) = meeting_view(&state, &access, id).await?;
    let ctx = view.manage(&state, &access).await?;
    match state.store.cancel_meeting(&ctx, meeting.id).await {
        Ok(()) | Err(StoreError::Conflict(Conflict::Cancelled)) => {
            Ok(back(&state, id, "flash-meeting-cancelled"))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn details(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let (meeting, view) = meeting_view(&state, &access, id).await?;
    let ctx = view.manage(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let form = DetailsForm::parse(&body);
    let Some((place, link)) = form.details(&meeting.place) else {
        let message = chrome.t("meeting-error-video-link");
        return refuse(
            &state,
            &access,
            chrome,
            (meeting, view),
            "video_link",
            message,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    state
        .store
        .set_meeting_details(&ctx, meeting.id, &place, link)
        .await?;
    Ok(back(&state, id, "flash-saved"))
}

/// An actor's evaluation of the meeting: how coherent the course became, effects, learning.
pub async fn evaluate(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let (meeting, view) = meeting_view(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let form = MeetingEvaluationForm::parse(&body);
    let Some(coherence) = form.coherence else {
        let message = chrome.t("evaluation-error-scale");
        return refuse(
            &state,
            &access,
            chrome,
            (meeting, view),
            "coherence",
            message,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    state
        .store
        .record_meeting_evaluation(
            &view.ctx,
            meeting.id,
            coherence,
            form.effects.trim(),
            form.learning.trim(),
        )
        .await?;
    Ok(back(&state, id, "flash-evaluation-saved"))
}
