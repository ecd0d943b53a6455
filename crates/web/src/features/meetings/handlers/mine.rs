//! The citizen's own Fælles Team meetings: upcoming cases (followed live while the team
//! writes), the inbox of approved minutes with their PDF, and the citizen's own evaluation.

use super::super::forms::parse_evaluation;
use super::super::views::{CaseLivePartial, MyCasePage, MyMeetingsPage};
use super::cases::minutes_document;
use crate::access::AuditedAccess;
use crate::access::{CitizenScope, OwnCaseScope};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::services::minutes::snapshot;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use askama::Template;
use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::CaseId;
use bro_store::CitizenCase;

pub async fn list(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let CitizenScope { citizen, ctx } = CitizenScope::own_meetings(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/me/meetings");
    let flash = page.flash(&chrome);
    let cases = state.store.citizen_cases(&ctx, citizen).await?;
    let inbox = state.store.citizen_minutes(&ctx, citizen).await?;
    html(
        StatusCode::OK,
        MyMeetingsPage {
            chrome,
            flash,
            cases,
            inbox,
        },
    )
}

pub async fn case(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &access.viewer, "/me/meetings");
    let flash = page.flash(&chrome);
    render(
        &state,
        &access,
        chrome,
        flash,
        CaseId(id),
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
    id: CaseId,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let OwnCaseScope { case: r, ctx } = OwnCaseScope::of(state, access, id).await?;
    let meeting = state.store.meeting(r.meeting_id).await?;
    let case = CitizenCase {
        case_id: id,
        meeting_id: meeting.id,
        team_name: meeting.team_name,
        starts_ms: meeting.starts_ms,
        ends_ms: meeting.ends_ms,
        place: meeting.place,
        video_link: meeting.video_link,
        cancelled: meeting.cancelled_ms.is_some(),
        approved: r.approved,
    };
    let team = state.store.team(r.team_id).await?;
    let snap = snapshot(&state.store, &ctx, &r, &team, None).await?;
    let live = CaseLivePartial {
        chrome: &chrome,
        snap: &snap,
        approved: r.approved,
    }
    .render()?;
    let stream = (!r.approved).then(|| format!("/cases/{}/live", id.0));
    html(
        status,
        MyCasePage {
            evaluation: state.store.case_evaluation(id).await?,
            chrome,
            flash,
            errors,
            case,
            live,
            stream,
        },
    )
}

/// The citizen's own answer: how involved they felt, whether the course feels like theirs.
pub async fn evaluate(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let case = CaseId(id);
    let OwnCaseScope { ctx, .. } = OwnCaseScope::of(&state, &access, case).await?;
    let chrome = page.chrome(&state, &access.viewer, "/me/meetings");
    match parse_evaluation(&chrome, &body, true) {
        Ok(e) => {
            state.store.record_case_evaluation(&ctx, case, &e).await?;
            Ok(redirect_with_flash(
                &state,
                &format!("/me/meetings/{id}"),
                "flash-evaluation-thanks",
            ))
        }
        Err(errors) => {
            render(
                &state,
                &access,
                chrome,
                None,
                case,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn minutes_pdf(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let OwnCaseScope { case: r, ctx } = OwnCaseScope::of(&state, &access, CaseId(id)).await?;
    let team = state.store.team(r.team_id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/me/meetings");
    minutes_document(&state, &chrome, &ctx, &r, &team).await
}
