//! Registering a hospital event by hand on the course: any care team member whose
//! organisation reads the citizen's health data, on an open course (emergency access never
//! writes). The event takes the path every hospital message takes.

use super::super::hospital_form::{EVENTS, HospitalForm, Registered};
use super::super::views::HospitalFormPage;
use crate::access::{AuditedAccess, CourseScope};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::services::hospital_intake::{BY_HAND, ByHand, fresh_id, register};
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::OrgId;
use bro_domain::hospital::Notification;
use bro_store::{AuditCtx, OpenEpisode, Receipt};

/// The member may register: writes the course and reads its health data.
async fn allowed(
    state: &AppState,
    access: &AuditedAccess,
    id: i64,
) -> Result<(CourseScope, Vec<OpenEpisode>), AppError> {
    let scope = CourseScope::write(state, access, id).await?;
    if scope.health(state, access).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let open = state
        .store
        .open_hospital_episodes(scope.course.citizen_id)
        .await?;
    Ok((scope, open))
}

fn render(
    (chrome, id): (Chrome, i64),
    open: &[OpenEpisode],
    form: HospitalForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let events = EVENTS
        .iter()
        .map(|(v, k)| ((*v).to_owned(), chrome.t(k)))
        .collect();
    let stays = open
        .iter()
        .map(|e| {
            (
                e.id.to_string(),
                format!("{}: {}", chrome.t(e.state.label_key()), e.hospital),
            )
        })
        .collect();
    html(
        status,
        HospitalFormPage {
            course_id: id,
            events,
            stays,
            form,
            errors,
            chrome,
        },
    )
}

pub async fn new(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (_, open) = allowed(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    render(
        (chrome, id),
        &open,
        HospitalForm::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
}

pub async fn create(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Form(form): Form<HospitalForm>,
) -> Result<Response, AppError> {
    let (scope, open) = allowed(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let now = state.clock.now_ms();
    let registered = match form.parse(&chrome, now, &open) {
        Ok(r) => r,
        Err(errors) => {
            return render(
                (chrome, id),
                &open,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let typed = serde_json::to_vec(&form).map_err(|e| AppError::Internal(e.to_string()))?;
    let hand = by_hand(&scope.ctx, scope.course.citizen_id, &registered, &typed);
    match register(&state.store, &scope.ctx, hand).await? {
        Receipt::Accepted { .. } => Ok(redirect_with_flash(
            &state,
            &format!("/courses/{id}#hospital"),
            "flash-hospital-registered",
        )),
        _ => {
            let mut errors = FormErrors::default();
            errors.add(&chrome, "event", "hospital-form-refused");
            render(
                (chrome, id),
                &open,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

/// The event as the pipeline takes it: a new stay of the member's organisation for an
/// admission, else the chosen stay, with its start, its leave and its ward.
fn by_hand<'a>(
    ctx: &AuditCtx,
    citizen: bro_domain::CitizenId,
    r: &Registered<'_>,
    typed: &'a [u8],
) -> ByHand<'a> {
    let fresh = fresh_id();
    let (org, key, start, ward) = match r.episode {
        Some(e) => (e.org, e.key.clone(), e.start_ms, e.hospital.clone()),
        None => (
            OrgId(ctx.tenant_id),
            (BY_HAND.to_owned(), fresh.clone()),
            r.at,
            r.ward.clone(),
        ),
    };
    let leave = match r.activity.event() {
        bro_domain::hospital::Event::StartLeave => Some((r.at, None)),
        bro_domain::hospital::Event::EndLeave => r
            .episode
            .and_then(|e| e.leave_from_ms)
            .map(|from| (from, Some(r.at))),
        _ => None,
    };
    let discharged = r.activity.event() == bro_domain::hospital::Event::Discharge;
    ByHand {
        org,
        citizen,
        key,
        notification: Notification {
            message_id: format!("by-hand-{fresh}"),
            recorded: ctx.at_ms,
            activity: r.activity,
            start,
            end: discharged.then_some(r.at),
            leave,
            unit: ward,
        },
        typed,
    }
}
