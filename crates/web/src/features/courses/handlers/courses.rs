//! Courses of care and their care teams: "my courses", finding a citizen, the course page with
//! phase, team and timeline. A professional opens only courses whose team they are on; every
//! refusal is in the audit log.

use super::super::forms::{
    CloseForm, MemberForm, OpenForm, PhaseForm, SEARCH_HITS, SearchForm, ShowQuery, parse_query,
    required_text, valid_phone,
};
use super::super::views::{CitizenSearchView, CourseView, CoursesView, StaffChoice, TimelineRow};
use crate::AppState;
use crate::access::{AuditedAccess, CourseScope, StaffScope};
use crate::http::error::AppError;
use crate::http::forms::{redirect_with_flash, valid_mail};
use crate::http::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::Form;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::ShareCategory;
use bro_domain::{
    CitizenId, CollaborationId, CourseRole, LegalFrame, MemberId, OrgId, TargetGroup, UnitId,
    UnitKind, UserId,
};
use bro_store::{
    AuditCtx, CitizenQuery, CourseAccess, NewCourse, NewMember, NewNetworkMember, StoreError,
};

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
        CoursesView {
            flash: page.flash(&chrome),
            courses,
            today,
            chrome,
        },
    )
}

pub async fn search_form(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    StaffScope::search(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/citizens/search");
    let by_cpr = false;
    let view = CitizenSearchView {
        flash: page.flash(&chrome),
        errors: FormErrors::default(),
        q: String::new(),
        hits: None,
        can_open: access.viewer.actor.has_role(bro_domain::Role::Coordinator),
        // No results, no forms to open a course from.
        collaborations: Vec::new(),
        by_cpr,
        chrome,
    };
    html(StatusCode::OK, view)
}

/// Searches by POST, so neither names nor CPR numbers end up in URLs or access logs.
pub async fn search(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Form(form): Form<SearchForm>,
) -> Result<Response, AppError> {
    let StaffScope { ctx } = StaffScope::search(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/citizens/search");
    let mut errors = FormErrors::default();
    let by_cpr = matches!(parse_query(&form.q), Ok(CitizenQuery::Cpr(_)));
    let (hits, status) = match parse_query(&form.q) {
        Ok(query) => (
            Some(
                state
                    .store
                    .search_citizens(&ctx, &query, access.viewer.user.id, SEARCH_HITS)
                    .await?,
            ),
            StatusCode::OK,
        ),
        Err(key) => {
            errors.add(&chrome, "q", key);
            (None, StatusCode::UNPROCESSABLE_ENTITY)
        }
    };
    let can_open = access.viewer.actor.has_role(bro_domain::Role::Coordinator);
    let collaborations = match access.viewer.active_role() {
        Some(r) if can_open => state.store.collaborations_of(r.org_id).await?,
        _ => Vec::new(),
    };
    let view = CitizenSearchView {
        flash: None,
        errors,
        q: form.q,
        hits,
        can_open,
        collaborations,
        by_cpr,
        chrome,
    };
    html(status, view)
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
        UnitKind::Administration | UnitKind::Other => CourseRole::Other,
    }
}

pub async fn open(
    State(state): State<AppState>,
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
    };
    match state.store.open_course(&ctx, new).await {
        Ok(id) => Ok(redirect_with_flash(
            &state,
            &format!("/courses/{}", id.0),
            "flash-course-opened",
        )),
        Err(StoreError::Conflict(_)) => Ok(redirect_with_flash(
            &state,
            "/citizens/search",
            "flash-course-exists",
        )),
        Err(e) => Err(e.into()),
    }
}

/// What the forms on the course page hold after a failed save, so nothing typed is lost.
#[derive(Default)]
pub struct CourseForms {
    /// Another organisation whose staff the member list shows as well.
    pub staff_org: Option<OrgId>,
    pub errors: FormErrors,
    pub member: MemberForm,
    pub close: CloseForm,
    pub network_name: String,
    pub relation: String,
}

async fn render_course(
    state: &AppState,
    chrome: Chrome,
    ctx: &AuditCtx,
    a: &CourseAccess,
    flash: Option<String>,
    forms: CourseForms,
    status: StatusCode,
) -> Result<Response, AppError> {
    let course = state.store.course(ctx, a.course_id).await?;
    let coordinates = a.membership.is_some_and(|(_, c)| c) && course.closed_ms.is_none();
    let staff = if coordinates {
        let mut circle = staff_circle(state, &course, a, OrgId(ctx.tenant_id)).await?;
        circle.extend(forms.staff_org);
        state
            .store
            .staff_options(&circle)
            .await?
            .into_iter()
            .filter(|s| !course.team.iter().any(|m| m.user_id == s.user_id))
            .map(|s| StaffChoice {
                value: format!("{}:{}", s.user_id.0, s.unit_id.0),
                label: format!("{}, {} ({})", s.name, s.unit_name, s.org_name),
            })
            .collect()
    } else {
        Vec::new()
    };
    let orgs = if coordinates {
        state
            .store
            .organisations()
            .await?
            .into_iter()
            .map(|o| (o.id.0, o.name))
            .collect()
    } else {
        Vec::new()
    };
    let timeline = course
        .timeline
        .iter()
        .map(|e| {
            let what = chrome.t(&format!("event-{}", e.kind));
            let detail = match e.kind.as_str() {
                "phase" | "opened" => chrome.phase(&course.phases, &e.detail),
                "consent_requested" => bro_domain::ShareCategory::parse(&e.detail)
                    .map(|c| chrome.t(c.label_key()))
                    .unwrap_or_default(),
                _ => e.detail.clone(),
            };
            TimelineRow {
                time: crate::ui::local_time(e.at_ms),
                actor: e.actor_name.clone().unwrap_or_default(),
                text: if detail.is_empty() {
                    what
                } else {
                    format!("{what}: {detail}")
                },
            }
        })
        .collect();
    let relative_accounts = if coordinates {
        state.store.relative_accounts(course.citizen_id).await?
    } else {
        Vec::new()
    };
    let view = CourseView {
        relative_accounts,
        flash,
        emergency: a.emergency,
        timeline,
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

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::read(&state, &access, id).await?;
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
    render_course(&state, chrome, &ctx, &a, flash, forms, StatusCode::OK).await
}

pub async fn move_phase(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Form(form): Form<PhaseForm>,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::manage(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let mut forms = CourseForms::default();
    // The course's own phases decide which moves exist.
    let phases = state.store.course(&ctx, a.course_id).await?.phases;
    if let Err(e) = phases.check_move(&form.from, &form.to) {
        forms.errors.add(&chrome, "to", e.message_key());
        return render_course(
            &state,
            chrome,
            &ctx,
            &a,
            None,
            forms,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match state
        .store
        .move_phase(&ctx, a.course_id, &form.from, &form.to)
        .await
    {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            &format!("/courses/{id}"),
            "flash-phase-moved",
        )),
        Err(StoreError::Conflict(_)) => {
            forms.errors.add(&chrome, "to", "phase-error-changed");
            render_course(&state, chrome, &ctx, &a, None, forms, StatusCode::CONFLICT).await
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
    let CourseScope { course: a, ctx } = CourseScope::manage(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let mut errors = FormErrors::default();
    let reason = required_text(&chrome, &mut errors, "reason", &form.reason);
    let next_step = required_text(&chrome, &mut errors, "next_step", &form.next_step);
    if let (Some(reason), Some(next_step)) = (reason, next_step) {
        match state
            .store
            .close_course(&ctx, a.course_id, reason, next_step)
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
        chrome,
        &ctx,
        &a,
        None,
        forms,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// Whom a coordinator can add to a course's team: staff of their own organisation, of the
/// organisations already on the team, and of the holder's partners in its collaborations.
async fn staff_circle(
    state: &AppState,
    course: &bro_store::Course,
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

pub async fn add_member(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Form(form): Form<MemberForm>,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::manage(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let mut errors = FormErrors::default();
    // Anyone active in one of their units: the list on the page is a convenience, not a limit.
    let chosen = match form.staff.split_once(':') {
        Some((user, unit)) => match (user.parse(), unit.parse()) {
            (Ok(user), Ok(unit)) => state.store.staff_member(UserId(user), UnitId(unit)).await?,
            _ => None,
        },
        None => None,
    };
    let chosen = chosen.as_ref();
    if chosen.is_none() {
        errors.add(&chrome, "staff", "field-choose");
    }
    let role = CourseRole::parse(&form.role);
    if role.is_none() {
        errors.add(&chrome, "role", "field-choose");
    }
    let fixed = match form.kind.as_str() {
        "fixed" => Some(true),
        "ad_hoc" => Some(false),
        _ => {
            errors.add(&chrome, "kind-fixed", "field-choose");
            None
        }
    };
    let (phone, mail, hours) = (form.phone.trim(), form.mail.trim(), form.hours.trim());
    if phone.is_empty() && mail.is_empty() {
        errors.add(&chrome, "phone", "member-contact-required");
    }
    if !phone.is_empty() && !valid_phone(phone) {
        errors.add(&chrome, "phone", "member-phone-invalid");
    }
    if !mail.is_empty() && !valid_mail(mail) {
        errors.add(&chrome, "mail", "member-mail-invalid");
    }
    if hours.chars().count() > 200 {
        errors.add(&chrome, "hours", "field-too-long");
    }
    if let (Some(s), Some(role), Some(fixed), true) = (chosen, role, fixed, errors.is_empty()) {
        let new = NewMember {
            user_id: s.user_id,
            org_id: s.org_id,
            unit_id: s.unit_id,
            role,
            fixed,
            phone: phone.to_owned(),
            mail: mail.to_owned(),
            hours: hours.to_owned(),
        };
        match state.store.add_member(&ctx, a.course_id, new).await {
            Ok(_) => {
                return Ok(redirect_with_flash(
                    &state,
                    &format!("/courses/{id}"),
                    "flash-member-added",
                ));
            }
            Err(StoreError::Conflict(_)) => errors.add(&chrome, "staff", "member-already"),
            Err(e) => return Err(e.into()),
        }
    }
    let forms = CourseForms {
        // The chosen person stays in the list, whichever organisation they are from.
        staff_org: chosen.map(|s| s.org_id),
        errors,
        member: form,
        ..CourseForms::default()
    };
    render_course(
        &state,
        chrome,
        &ctx,
        &a,
        None,
        forms,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub async fn remove_member(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, member)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::manage(&state, &access, id).await?;
    match state
        .store
        .remove_member(&ctx, a.course_id, MemberId(member))
        .await
    {
        Ok(()) => Ok(redirect_with_flash(
            &state,
            &format!("/courses/{id}"),
            "flash-member-removed",
        )),
        Err(StoreError::Conflict(_)) => Ok(redirect_with_flash(
            &state,
            &format!("/courses/{id}"),
            "flash-coordinator-stays",
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn make_coordinator(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, member)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::manage(&state, &access, id).await?;
    state
        .store
        .set_coordinator(&ctx, a.course_id, MemberId(member))
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/courses/{id}"),
        "flash-coordinator-changed",
    ))
}

/// Sets the course's target groups and the laws its interventions run under.
pub async fn set_frame(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::manage(&state, &access, id).await?;
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
        .set_course_frame(&ctx, a.course_id, groups, frames)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/courses/{id}"),
        "flash-saved",
    ))
}

/// Records someone the citizen names (relative, friend, neighbour) and what they may see.
pub async fn add_network(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::manage(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let pairs = crate::http::forms::form_pairs(&body);
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut errors = FormErrors::default();
    let name = bro_domain::Name::parse(&field("network_name"))
        .map_err(|e| errors.add(&chrome, "network_name", e.message_key()))
        .ok();
    let relation = field("relation");
    if relation.is_empty() {
        errors.add(&chrome, "relation", "field-required");
    } else if relation.chars().count() > 100 {
        errors.add(&chrome, "relation", "field-too-long");
    }
    let phone = field("network_phone");
    if !phone.is_empty() && !valid_phone(&phone) {
        errors.add(&chrome, "network_phone", "member-phone-invalid");
    }
    let may_see = pairs
        .iter()
        .filter(|(k, _)| k == "may_see")
        .filter_map(|(_, v)| ShareCategory::parse(v))
        .collect();
    if let (Some(name), true) = (name, errors.is_empty()) {
        let user_id = match field("relative_user").as_str() {
            "" => None,
            v => Some(bro_domain::UserId(
                v.parse().map_err(|_| AppError::NotFound)?,
            )),
        };
        let new = NewNetworkMember {
            name: name.into_string(),
            relation,
            phone,
            may_see,
            user_id,
        };
        state
            .store
            .add_network_member(&ctx, a.course_id, new)
            .await?;
        return Ok(redirect_with_flash(
            &state,
            &format!("/courses/{id}"),
            "flash-network-added",
        ));
    }
    let forms = CourseForms {
        errors,
        network_name: field("network_name"),
        relation: field("relation"),
        ..CourseForms::default()
    };
    render_course(
        &state,
        chrome,
        &ctx,
        &a,
        None,
        forms,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub async fn remove_network(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, member)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let CourseScope { course: a, ctx } = CourseScope::manage(&state, &access, id).await?;
    state
        .store
        .remove_network_member(&ctx, a.course_id, member)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/courses/{id}"),
        "flash-network-removed",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_cpr_numbers_or_names() {
        assert!(matches!(
            parse_query("710585-2345"),
            Ok(CitizenQuery::Cpr(_))
        ));
        assert_eq!(parse_query("3202901234"), Err("cpr-invalid-date"));
        assert_eq!(parse_query("12345"), Err("cpr-wrong-length"));
        assert_eq!(parse_query(" "), Err("search-required"));
        assert_eq!(parse_query("a"), Err("search-too-short"));
        assert_eq!(
            parse_query("Nørgaard"),
            Ok(CitizenQuery::Name("Nørgaard".into()))
        );
    }

    #[test]
    fn contact_routes_are_checked() {
        assert!(valid_phone("+45 96 11 75 00"));
        assert!(valid_phone("96117500"));
        assert!(!valid_phone("123"));
        assert!(!valid_phone("9611<script>"));
    }
}
