//! Courses of care: "my courses", opening a course, and the course page with its phase, legal
//! frame and timeline. A professional opens only courses whose team they are on; every refusal
//! is in the audit log.

use super::super::forms::{
    CloseForm, CourseForms, MAX_TEXT, OpenForm, PhaseForm, ShowQuery, required_text,
};
use super::super::views::{CoursePage, CoursesPage, HandoverPage, StaffChoice, TimelineRow};
use crate::access::{AuditedAccess, CourseScope, StaffScope};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::Form;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::{
    CitizenId, CollaborationId, CourseRole, LegalFrame, OrgId, TargetGroup, UnitKind,
};
use bro_store::{Agreement, Conflict, Course, CourseAccess, NewCourse, NewMember, StoreError};

pub async fn mine(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let StaffScope { ctx } = StaffScope::own_courses(&state, &access).await?;
    let courses = state.store.my_courses(&ctx, access.viewer.user.id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let today = crate::ui::local_day(state.clock.now_ms());
    html(
        StatusCode::OK,
        CoursesPage {
            flash: page.flash(&chrome),
            courses,
            today,
            chrome,
        },
    )
}

/// The role in a course that fits the unit one works in.
fn default_course_role(kind: UnitKind) -> CourseRole {
    match kind {
        UnitKind::Ward | UnitKind::OutpatientClinic | UnitKind::AcuteTeam => {
            CourseRole::Psychiatrist
        }
        UnitKind::SocialPsychiatry => CourseRole::SocialPsychiatryContact,
        UnitKind::SubstanceAbuseTreatment => CourseRole::SubstanceAbuseCounsellor,
        UnitKind::CaseAuthority => CourseRole::CaseWorker,
        UnitKind::JobCentre => CourseRole::JobCentreContact,
        UnitKind::MpoUnit => CourseRole::MpoStaff,
        UnitKind::GpPractice => CourseRole::Gp,
        UnitKind::EscortService | UnitKind::Administration | UnitKind::Other => CourseRole::Other,
    }
}

pub async fn open(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Form(form): Form<OpenForm>,
) -> Result<Response, AppError> {
    let citizen = CitizenId(form.citizen);
    let StaffScope { ctx } = StaffScope::open_course(&state, &access, citizen).await?;
    let active = access.viewer.active_role().ok_or(AppError::NotFound)?;
    let unit = state.store.unit(active.unit_id).await?;
    let coordinator = NewMember {
        user_id: access.viewer.user.id,
        org_id: active.org_id,
        unit_id: active.unit_id,
        role: default_course_role(unit.kind),
        fixed: true,
        phone: String::new(),
        mail: String::new(),
        hours: String::new(),
    };
    // The store refuses a collaboration the coordinator's organisation is not part of.
    let collaboration = match form.collaboration.as_str() {
        "" => None,
        id => Some(CollaborationId(id.parse().map_err(|_| AppError::NotFound)?)),
    };
    let new = NewCourse {
        citizen_id: citizen,
        target_groups: Vec::new(),
        legal_frames: Vec::new(),
        coordinator,
        collaboration,
        handover_reason: form.reason.clone(),
    };
    if new
        .handover_reason
        .as_deref()
        .is_some_and(|r| r.trim().chars().count() > MAX_TEXT)
    {
        return handover_page(&state, &page, &access, form);
    }
    match state.store.open_course(&ctx, new).await {
        Ok(id) => Ok(redirect_with_flash(
            &state,
            &format!("/courses/{}", id.0),
            "flash-course-opened",
        )),
        Err(StoreError::Conflict(Conflict::HandoverReason)) => {
            handover_page(&state, &page, &access, form)
        }
        Err(StoreError::Conflict(_)) => Ok(redirect_with_flash(
            &state,
            "/citizens/search",
            "flash-course-exists",
        )),
        Err(e) => Err(e.into()),
    }
}

/// Asks for the reason of a new course after another organisation's (refused as missing
/// when one was asked for already).
fn handover_page(
    state: &AppState,
    page: &Page,
    access: &AuditedAccess,
    form: OpenForm,
) -> Result<Response, AppError> {
    let chrome = page.chrome(state, &access.viewer, "/citizens/search");
    let mut errors = FormErrors::default();
    let refused = match form.reason.as_deref().map(str::trim) {
        None => None,
        Some("") => Some("course-handover-error-reason"),
        Some(_) => Some("field-too-long"),
    };
    let status = match refused {
        Some(key) => {
            errors.add(&chrome, "reason", key);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        None => StatusCode::OK,
    };
    let view = HandoverPage {
        chrome,
        errors,
        citizen: form.citizen,
        collaboration: form.collaboration,
        reason: form.reason.unwrap_or_default(),
    };
    html(status, view)
}

/// The course page; `forms` holds what a refused form sent.
pub(super) async fn render_course(
    state: &AppState,
    access: &AuditedAccess,
    chrome: Chrome,
    scope: &CourseScope,
    flash: Option<String>,
    forms: CourseForms,
    status: StatusCode,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = scope;
    let course = state.store.course(ctx, a.course_id).await?;
    // An agreement's text is part of the minutes: asked for (and a refusal recorded) only
    // when the timeline has one, and read only where the minutes are shared.
    let mut agreements = Vec::new();
    if course.timeline.iter().any(|e| e.kind == "agreement")
        && let Some(minutes) = scope.minutes(state, access).await?
    {
        agreements = state.store.course_agreements(&minutes, a.course_id).await?;
    }
    // A stay at a care place is told in words only where its referral is shared.
    let mut stays_shown = Vec::new();
    if course.timeline.iter().any(|e| e.kind.starts_with("stay_")) {
        let visible = scope.referral_categories(state, access).await?;
        let shown = state
            .store
            .course_referrals(ctx, a.course_id, &visible, access.viewer.user.id)
            .await?;
        stays_shown = shown.iter().map(|r| r.facts.id.to_string()).collect();
    }
    let hospital = super::hospital::part(state, access, scope, &chrome).await?;
    let readmissions = (hospital.readmissions > 0).then(|| {
        chrome.tn(
            "hospital-readmissions",
            &[("count", hospital.readmissions.to_string())],
        )
    });
    let coordinates = a.membership.is_some_and(|(_, c)| c) && course.closed_ms.is_none();
    // What the management forms choose from, for the coordinator only.
    let (staff, orgs, relative_accounts) = if coordinates {
        let staff = staff_choices(state, &course, a, OrgId(ctx.tenant_id), forms.staff_org).await?;
        let orgs = state.store.organisations().await?;
        let orgs = orgs.into_iter().map(|o| (o.id.0, o.name)).collect();
        let relatives = state.store.relative_accounts(course.citizen_id).await?;
        (staff, orgs, relatives)
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    let view = CoursePage {
        relative_accounts,
        flash,
        emergency: a.emergency,
        timeline: timeline(&chrome, &course, &agreements, &stays_shown, hospital.rows),
        hospital_now: hospital.now,
        follow_ups: hospital.follow_ups,
        may_register_hospital: hospital.may_register,
        readmissions,
        coordinates,
        next_phases: course.phases.next_options(&course.phase),
        staff,
        staff_org: forms.staff_org.map_or(0, |o| o.0),
        orgs,
        roles: CourseRole::ALL,
        errors: forms.errors,
        member: forms.member,
        close: forms.close,
        network_name: forms.network_name,
        relation: forms.relation,
        course,
        chrome,
    };
    html(status, view)
}

/// The staff a coordinator may add (and `extra`'s), less those on the team already.
async fn staff_choices(
    state: &AppState,
    course: &Course,
    a: &CourseAccess,
    own: OrgId,
    extra: Option<OrgId>,
) -> Result<Vec<StaffChoice>, AppError> {
    let mut circle = staff_circle(state, course, a, own).await?;
    circle.extend(extra);
    Ok(state
        .store
        .staff_options(&circle)
        .await?
        .into_iter()
        .filter(|s| !course.team.iter().any(|m| m.user_id == s.user_id))
        .map(|s| StaffChoice {
            value: format!("{}:{}", s.user_id.0, s.unit_id.0),
            label: format!("{}, {} ({})", s.name, s.unit_name, s.org_name),
        })
        .collect())
}

/// Whom a coordinator can add to a course's team: staff of their own organisation, of the
/// organisations already on the team, and of the holder's partners in its collaborations.
async fn staff_circle(
    state: &AppState,
    course: &Course,
    a: &CourseAccess,
    own: OrgId,
) -> Result<Vec<OrgId>, AppError> {
    let mut orgs: Vec<OrgId> = course.team.iter().map(|m| m.org_id).collect();
    orgs.push(own);
    if let Some(holder) = a.holder_org {
        for c in state.store.collaborations_of(holder).await? {
            orgs.extend(c.orgs.iter().map(|(o, _)| *o));
        }
    }
    Ok(orgs)
}

/// The course's events in plain words.
fn timeline(
    chrome: &Chrome,
    course: &Course,
    agreements: &[Agreement],
    stays_shown: &[String],
    hospital: Vec<(i64, TimelineRow)>,
) -> Vec<TimelineRow> {
    let mut rows: Vec<(i64, TimelineRow)> = course
        .timeline
        .iter()
        .map(|e| {
            let stay_withheld = e.kind.starts_with("stay_") && !stays_shown.contains(&e.detail);
            let what = if stay_withheld {
                chrome.t("event-stay-withheld")
            } else {
                chrome.t(&format!("event-{}", e.kind))
            };
            let detail = match e.kind.as_str() {
                k if k.starts_with("stay_") => String::new(),
                "phase" | "opened" => chrome.phase(&course.phases, &e.detail),
                "agreement" => agreements
                    .iter()
                    .find(|a| a.id.to_string() == e.detail)
                    .map_or_else(|| chrome.t("event-agreement-withheld"), |a| a.what.clone()),
                "consent_requested" => bro_domain::ShareCategory::parse(&e.detail)
                    .map(|c| chrome.t(c.label_key()))
                    .unwrap_or_default(),
                _ => e.detail.clone(),
            };
            let row = TimelineRow {
                time: crate::ui::local_time(e.at_ms),
                actor: e.actor_name.clone().unwrap_or_default(),
                text: if detail.is_empty() {
                    what
                } else {
                    format!("{what}: {detail}")
                },
            };
            (e.at_ms, row)
        })
        .collect();
    // The hospital's events among the course's own, newest first as they are.
    rows.extend(hospital);
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    rows.into_iter().map(|(_, row)| row).collect()
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let scope = CourseScope::read(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let flash = page.flash(&chrome);
    let forms = CourseForms {
        staff_org: query
            .staff_org
            .as_deref()
            .and_then(|o| o.parse().ok())
            .map(OrgId),
        ..CourseForms::default()
    };
    render_course(
        &state,
        &access,
        chrome,
        &scope,
        flash,
        forms,
        StatusCode::OK,
    )
    .await
}

pub async fn move_phase(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Form(form): Form<PhaseForm>,
) -> Result<Response, AppError> {
    let scope = CourseScope::manage(&state, &access, id).await?;
    let CourseScope { course: a, ctx } = &scope;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let mut forms = CourseForms::default();
    // The course's own phases decide which moves exist.
    let phases = state.store.course(ctx, a.course_id).await?.phases;
    if let Err(e) = phases.check_move(&form.from, &form.to) {
        forms.errors.add(&chrome, "to", e.message_key());
        return render_course(
            &state,
            &access,
            chrome,
            &scope,
            None,
            forms,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match state
        .store
        .move_phase(ctx, a.course_id, &form.from, &form.to)
        .await
    {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            &format!("/courses/{id}"),
            "flash-phase-moved",
        )),
        Err(StoreError::Conflict(_)) => {
            forms.errors.add(&chrome, "to", "phase-error-changed");
            render_course(
                &state,
                &access,
                chrome,
                &scope,
                None,
                forms,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn close(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Form(form): Form<CloseForm>,
) -> Result<Response, AppError> {
    let scope = CourseScope::manage(&state, &access, id).await?;
    let CourseScope { course: a, ctx } = &scope;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let mut errors = FormErrors::default();
    let reason = required_text(&chrome, &mut errors, "reason", &form.reason);
    let next_step = required_text(&chrome, &mut errors, "next_step", &form.next_step);
    if let (Some(reason), Some(next_step)) = (reason, next_step) {
        match state
            .store
            .close_course(ctx, a.course_id, reason, next_step)
            .await
        {
            Ok(()) => {
                return Ok(redirect_with_flash(
                    &state,
                    &format!("/courses/{id}"),
                    "flash-course-closed",
                ));
            }
            Err(StoreError::Conflict(_)) => errors.add(&chrome, "reason", "phase-error-closed"),
            Err(e) => return Err(e.into()),
        }
    }
    let forms = CourseForms {
        errors,
        close: form,
        ..CourseForms::default()
    };
    render_course(
        &state,
        &access,
        chrome,
        &scope,
        None,
        forms,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// Sets the course's target groups and the laws its interventions run under.
pub async fn set_frame(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let scope = CourseScope::manage(&state, &access, id).await?;
    let CourseScope { course: a, ctx } = &scope;
    let pairs = crate::http::forms::form_pairs(&body);
    let groups = pairs
        .iter()
        .filter(|(k, _)| k == "target_groups")
        .filter_map(|(_, v)| TargetGroup::parse(v))
        .collect();
    let frames = pairs
        .iter()
        .filter(|(k, _)| k == "legal_frames")
        .filter_map(|(_, v)| LegalFrame::parse(v))
        .collect();
    state
        .store
        .set_course_frame(ctx, a.course_id, groups, frames)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/courses/{id}"),
        "flash-saved",
    ))
}
