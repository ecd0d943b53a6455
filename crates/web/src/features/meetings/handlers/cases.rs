//! A citizen's case at a meeting: the shared template filled in during the meeting, followed
//! live by the citizen and the meeting-room screen, agreements, approval (which freezes the
//! minutes and delivers them), the citizen's evaluation and the deliveries' state.

use super::super::forms::{AgreementForm, FieldForm, chosen_attendance, parse_evaluation};
use super::super::views::{
    CaseFieldPartial, CaseLivePartial, CasePage, CaseScreenPage, TemplateField,
};
use crate::access::AuditedAccess;
use crate::access::{CaseScope, OwnCaseScope};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::live::Ended;
use crate::services::minutes::{CaseSnapshot, build, parse_frozen, snapshot};
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html, when};
use askama::Template;
use axum::extract::{Path, RawForm, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use bro_authz::Actor;
use bro_domain::CaseId;
use bro_domain::UserId;
use bro_domain::meeting::is_template_field;
use bro_store::{AuditCtx, CaseRef, Conflict, FieldSave, FieldValue, StoreError, Team};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;

/// A live connection is closed after this long; the browser reconnects at once, and access is
/// decided (and logged) again, so a withdrawn consent ends the stream within minutes.
const STREAM_LIFETIME: Duration = Duration::from_secs(300);

fn live_html(chrome: &Chrome, snap: &CaseSnapshot, approved: bool) -> Result<String, AppError> {
    Ok(CaseLivePartial {
        chrome,
        snap,
        approved,
    }
    .render()?)
}

/// Renders the case anew and sends it to everyone following it.
async fn publish(
    state: &AppState,
    chrome: &Chrome,
    ctx: &AuditCtx,
    (r, team): (&CaseRef, &Team),
    fields: Option<Vec<FieldValue>>,
) -> Result<(), AppError> {
    if state.live.followers(r.id) == 0 {
        return Ok(());
    }
    let snap = snapshot(&state.store, ctx, r, team, fields).await?;
    state
        .live
        .publish(r.id, live_html(chrome, &snap, r.approved)?);
    Ok(())
}

pub async fn page(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let flash = page.flash(&chrome);
    render(
        &state,
        &access,
        chrome,
        flash,
        CaseId(id),
        FormErrors::default(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

#[expect(clippy::too_many_arguments, reason = "one page, its refused state")]
async fn render(
    state: &AppState,
    access: &AuditedAccess,
    chrome: Chrome,
    flash: Option<String>,
    id: CaseId,
    errors: FormErrors,
    conflicts: Vec<(String, FieldValue)>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let CaseScope { case: r, team, ctx } = CaseScope::of(state, access, id).await?;
    let case = state.store.case(&ctx, id).await?;
    let meeting = state.store.meeting(r.meeting_id).await?;
    let stored = state.store.case_fields(&ctx, id).await?;
    let frozen = match r.approved {
        true => state.store.minutes(&ctx, id).await?,
        false => None,
    };
    let snap = match frozen {
        Some(f) => parse_frozen(&f)?,
        None => build(&state.store, &r, &team, &case, &meeting, &stored).await?,
    };
    let live = live_html(&chrome, &snap, r.approved)?;
    let fields = snap
        .fields
        .iter()
        .map(|(code, who, body)| {
            let stored = stored.iter().find(|f| &f.field == code);
            TemplateField {
                code: code.clone(),
                label: snap.label(&chrome, code, who),
                body: body.clone(),
                version: stored.map_or(0, |f| f.version),
                updated: stored.map(saved_by).unwrap_or_default(),
            }
        })
        .collect();
    let leader = team.leader.0 == access.viewer.user.id;
    html(
        status,
        CasePage {
            chrome,
            flash,
            errors,
            leader,
            fields,
            live,
            agreements: snap.agreements,
            follow_up: snap.follow_up,
            deliveries: state.store.deliveries(id).await?,
            evaluation: state.store.case_evaluation(id).await?,
            conflicts,
            case,
            meeting,
            team,
        },
    )
}

/// "Karen Kjær Jensen, 25.11.2026 10:03": who saved a field last, and when.
fn saved_by(f: &FieldValue) -> String {
    format!("{}, {}", f.updated_by, when(f.updated_ms))
}

fn is_htmx(headers: &HeaderMap) -> bool {
    headers.get("hx-request").is_some()
}

/// Saves one field of the template. The writer sends the version they started from; if
/// someone saved the field since, nothing is written and both texts are shown.
pub async fn save_field(
    State(state): State<AppState>,
    headers: HeaderMap,
    page: Page,
    access: AuditedAccess,
    Path((id, field)): Path<(i64, String)>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let case = CaseId(id);
    let scope = CaseScope::of(&state, &access, case).await?;
    if !is_template_field(&field) {
        return Err(AppError::NotFound);
    }
    scope.may_write_field(&state, &access, &field).await?;
    let CaseScope { case: r, team, ctx } = scope;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let form = FieldForm::parse(&body);
    if form.too_long() {
        return Err(AppError::Conflict(Conflict::TooLong));
    }
    let saved = match state
        .store
        .save_case_field(&ctx, case, &field, &form.text, form.base())
        .await
    {
        Err(StoreError::Conflict(Conflict::Approved)) if !is_htmx(&headers) => {
            return Ok(back(&state, id, "flash-minutes-approved-locked"));
        }
        other => other?,
    };
    match saved {
        FieldSave::Saved(fields) => {
            let mine = fields.iter().find(|f| f.field == field).cloned();
            publish(&state, &chrome, &ctx, (&r, &team), Some(fields)).await?;
            if !is_htmx(&headers) {
                return Ok(back(&state, id, "flash-saved"));
            }
            let fragment = CaseFieldPartial {
                chrome: &chrome,
                version: mine.as_ref().map_or(0, |f| f.version),
                updated: mine.as_ref().map(saved_by).unwrap_or_default(),
                conflict: None,
            };
            Ok(Html(fragment.render()?).into_response())
        }
        FieldSave::Conflict(theirs) => {
            if !is_htmx(&headers) {
                return render(
                    &state,
                    &access,
                    chrome,
                    None,
                    case,
                    FormErrors::default(),
                    vec![(field, theirs)],
                    StatusCode::CONFLICT,
                )
                .await;
            }
            let fragment = CaseFieldPartial {
                chrome: &chrome,
                // Still the writer's own base: autosave keeps refusing until they choose.
                version: form.version.max(0),
                updated: String::new(),
                conflict: Some(&theirs),
            };
            Ok((StatusCode::OK, Html(fragment.render()?)).into_response())
        }
    }
}

pub async fn set_attendance(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let case = CaseId(id);
    let CaseScope { case: r, team, ctx } = CaseScope::of(&state, &access, case).await?;
    let attendance = chosen_attendance(&body).ok_or(AppError::Conflict(Conflict::Attendance))?;
    state
        .store
        .set_citizen_attendance(&ctx, case, attendance)
        .await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    publish(&state, &chrome, &ctx, (&r, &team), None).await?;
    Ok(back(&state, id, "flash-saved"))
}

pub async fn add_agreement(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let case = CaseId(id);
    let CaseScope { case: r, team, ctx } = CaseScope::of(&state, &access, case).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let form = AgreementForm::parse(&body);
    let agreement = match form.validate(&chrome) {
        Ok(a) => a,
        Err(errors) => {
            return render(
                &state,
                &access,
                chrome,
                None,
                case,
                errors,
                Vec::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    state
        .store
        .add_agreement(&ctx, case, agreement.what, agreement.who, agreement.due)
        .await?;
    publish(&state, &chrome, &ctx, (&r, &team), None).await?;
    Ok(back(&state, id, "flash-saved"))
}

pub async fn complete_agreement(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path((id, agreement)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let case = CaseId(id);
    let CaseScope { case: r, team, ctx } = CaseScope::of(&state, &access, case).await?;
    state
        .store
        .complete_agreement(&ctx, case, agreement)
        .await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    publish(&state, &chrome, &ctx, (&r, &team), None).await?;
    Ok(back(&state, id, "flash-saved"))
}

/// The meeting leader approves the minutes: they are frozen as they stand and delivered.
pub async fn approve(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let case = CaseId(id);
    let CaseScope { case: r, team, ctx } = CaseScope::of(&state, &access, case).await?;
    if team.leader.0 != access.viewer.user.id {
        return Err(AppError::NotFound);
    }
    if r.approved {
        return Ok(back(&state, id, "flash-minutes-approved-locked"));
    }
    match crate::services::minutes::freeze(&state.store, &ctx, case).await {
        Ok(()) | Err(AppError::Conflict(Conflict::Approved)) => {}
        Err(e) => return Err(e),
    }
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let approved = CaseRef {
        approved: true,
        ..r
    };
    publish(&state, &chrome, &ctx, (&approved, &team), None).await?;
    crate::services::delivery::wake(&state);
    Ok(back(&state, id, "flash-minutes-approved"))
}

/// The leader notes the citizen's answers when the citizen answers in the room.
pub async fn note_evaluation(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let case = CaseId(id);
    let CaseScope { team, ctx, .. } = CaseScope::of(&state, &access, case).await?;
    if team.leader.0 != access.viewer.user.id {
        return Err(AppError::NotFound);
    }
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    match parse_evaluation(&chrome, &body, false) {
        Ok(e) => match state.store.record_case_evaluation(&ctx, case, &e).await {
            Ok(()) => Ok(back(&state, id, "flash-evaluation-saved")),
            Err(StoreError::Conflict(Conflict::CitizenEvaluated)) => {
                Ok(back(&state, id, "flash-evaluation-citizen-kept"))
            }
            Err(e) => Err(e.into()),
        },
        Err(errors) => {
            render(
                &state,
                &access,
                chrome,
                None,
                case,
                errors,
                Vec::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn retry_delivery(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, delivery)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let case = CaseId(id);
    let CaseScope { ctx, .. } = CaseScope::of(&state, &access, case).await?;
    state.store.retry_delivery(&ctx, case, delivery).await?;
    crate::services::delivery::wake(&state);
    Ok(back(&state, id, "flash-delivery-retry"))
}

/// The case's live stream: the whole template now, then again after every change.
pub async fn live(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let case = CaseId(id);
    let (r, ctx) = match access.viewer.actor {
        Actor::Citizen { .. } => {
            let OwnCaseScope { case: r, ctx } = OwnCaseScope::of(&state, &access, case).await?;
            (r, ctx)
        }
        _ => {
            let CaseScope { case: r, ctx, .. } = CaseScope::of(&state, &access, case).await?;
            (r, ctx)
        }
    };
    let team = state.store.team(r.team_id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/me/meetings");
    // Subscribe before reading, so no change between the two is lost.
    let updates = state.live.subscribe(case);
    let first = live_html(
        &chrome,
        &snapshot(&state.store, &ctx, &r, &team, None).await?,
        r.approved,
    )?;
    let session = &access.viewer.session;
    // The stream ends when the session would: its idle time does not grow while it streams.
    let left_ms = (session.last_seen_ms + state.config.idle_timeout_ms)
        .min(session.expires_ms)
        .saturating_sub(state.clock.now_ms());
    let lifetime = STREAM_LIFETIME.min(Duration::from_millis(u64::try_from(left_ms).unwrap_or(0)));
    let login = (session.id_hash.clone(), session.user_id);
    let stream = live_stream(first, updates, state.live.endings(), login, lifetime);
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}

/// The meeting-room screen: the live case in large text, for the wall.
pub async fn screen(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let case = CaseId(id);
    let CaseScope { case: r, team, ctx } = CaseScope::of(&state, &access, case).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    let snap = snapshot(&state.store, &ctx, &r, &team, None).await?;
    let live = live_html(&chrome, &snap, r.approved)?;
    html(
        StatusCode::OK,
        CaseScreenPage {
            chrome,
            live,
            stream: format!("/cases/{id}/live"),
        },
    )
}

/// The approved minutes as a PDF, for the team.
pub async fn minutes_pdf(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let case = CaseId(id);
    let CaseScope { case: r, team, ctx } = CaseScope::of(&state, &access, case).await?;
    let chrome = page.chrome(&state, &access.viewer, "/teams");
    minutes_document(&state, &chrome, &ctx, &r, &team).await
}

pub(super) async fn minutes_document(
    state: &AppState,
    chrome: &Chrome,
    ctx: &AuditCtx,
    r: &CaseRef,
    team: &Team,
) -> Result<Response, AppError> {
    let frozen = state
        .store
        .minutes(ctx, r.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let snap = parse_frozen(&frozen)?;
    let doc = super::super::minutes_document::minutes(
        chrome,
        team,
        &snap,
        frozen.approved_ms,
        &frozen.approved_by,
        state.clock.now_ms(),
    );
    crate::ui::pdf::response(doc, "referat.pdf").await
}

/// The first rendering, then each published one, as `case` events; closed after
/// [`STREAM_LIFETIME`]. A viewer that fell behind skips to the newest: each event is whole.
/// The case's updates as server-sent events, from `first` on, until `lifetime` has passed or
/// the login it was opened under ends.
fn live_stream(
    first: String,
    updates: broadcast::Receiver<std::sync::Arc<str>>,
    endings: broadcast::Receiver<Ended>,
    (session, user): (String, UserId),
    lifetime: Duration,
) -> impl futures_util::Stream<Item = Result<Event, Infallible>> {
    let deadline = tokio::time::Instant::now() + lifetime;
    let ours = move |e: &Ended| match e {
        Ended::Session(s) => *s == session,
        Ended::User(u) => *u == user,
    };
    futures_util::stream::unfold(
        (Some(first), updates, endings),
        move |(first, mut rx, mut ends)| {
            let ours = ours.clone();
            async move {
                if let Some(html) = first {
                    let event = Event::default().event("case").data(html);
                    return Some((Ok(event), (None, rx, ends)));
                }
                loop {
                    tokio::select! {
                        update = rx.recv() => match update {
                            Ok(html) => {
                                let event = Event::default().event("case").data(html.as_ref());
                                return Some((Ok(event), (None, rx, ends)));
                            }
                            Err(RecvError::Lagged(_)) => {}
                            Err(RecvError::Closed) => return None,
                        },
                        end = ends.recv() => match end {
                            Ok(e) if ours(&e) => return None,
                            Ok(_) | Err(RecvError::Lagged(_)) => {}
                            Err(RecvError::Closed) => return None,
                        },
                        () = tokio::time::sleep_until(deadline) => return None,
                    }
                }
            }
        },
    )
}

/// Back to the page, with a message.
fn back(state: &AppState, id: i64, key: &'static str) -> Response {
    redirect_with_flash(state, &format!("/cases/{id}"), key)
}
