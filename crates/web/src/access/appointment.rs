//! Appointments: who books, who sees which, who changes one and records what happened.
//! - Booking: a member of the open course's care team, in a unit they work in.
//! - Reading on the course: the care team sees their own organisation's appointments, and
//!   another organisation's where its category (health, substance abuse, social, employment)
//!   is shared with theirs; of the rest only how many there are.
//! - Changing, and recording what happened: staff of the booking unit, while the course is
//!   open (a clinic colleague not on the team records the no-show of their unit's patient).
//! - The citizen: their own, all of them; also through their secret calendar address, read in
//!   their name by the calendar program that holds it.

use super::course::org_sharing;
use super::{AuditedAccess, CourseScope};
use crate::http::error::AppError;
use crate::state::AppState;
use bro_authz::{Permission, Sharing};
use bro_domain::{CitizenId, ShareCategory, UnitId};
use bro_store::{AppointmentFacts, AuditCtx, CourseAppointments};

/// An appointment the viewer's unit booked, on a course that is open.
pub(crate) struct UnitAppointmentScope {
    pub(crate) appointment: AppointmentFacts,
    pub(crate) ctx: AuditCtx,
}

impl UnitAppointmentScope {
    /// `id` as an appointment of course `course`, changed by its booking unit.
    pub(crate) async fn booking_unit(
        state: &AppState,
        access: &AuditedAccess,
        course: i64,
        id: i64,
    ) -> Result<Self, AppError> {
        let appointment = state.store.appointment_facts(id).await?;
        if appointment.course_id.0 != course {
            return Err(AppError::NotFound);
        }
        let facts = super::course::facts(state, access, course).await?;
        let in_unit = access
            .viewer
            .active_role()
            .is_some_and(|r| r.unit_id == appointment.unit_id);
        let permission = Permission::UnitAppointment {
            appointment: id,
            citizen: appointment.citizen_id,
            in_unit,
            open: !facts.closed,
        };
        let ctx = access.authorize(state, permission).await?;
        Ok(Self { appointment, ctx })
    }
}

/// The course's appointments as the viewer may see them: their organisation's own, and the
/// others' of each category shared with it; the read is audited.
pub(crate) async fn course_appointments(
    state: &AppState,
    access: &AuditedAccess,
    scope: &CourseScope,
) -> Result<CourseAppointments, AppError> {
    let Some(role) = access.viewer.active_role() else {
        return Ok(CourseAppointments::default());
    };
    let visible = visible_categories(state, access, scope).await?;
    Ok(state
        .store
        .course_appointments(&scope.ctx, scope.course.course_id, role.org_id, &visible)
        .await?)
}

/// The categories of the course's appointments booked by other organisations that are shared
/// with the viewer's: asked once per category the course has, each refusal recorded.
async fn visible_categories(
    state: &AppState,
    access: &AuditedAccess,
    scope: &CourseScope,
) -> Result<Vec<ShareCategory>, AppError> {
    let Some(role) = access.viewer.active_role() else {
        return Ok(Vec::new());
    };
    let a = &scope.course;
    let mut visible = Vec::new();
    for category in state
        .store
        .appointment_categories(a.course_id, role.org_id)
        .await?
    {
        let sharing = match a.membership {
            Some(_) => org_sharing(state, role.org_id, a, category).await?,
            None => Sharing::NotShared,
        };
        let permission = Permission::ReadShared {
            course: a.course_id,
            citizen: a.citizen_id,
            member: a.membership.is_some(),
            category,
            sharing,
            emergency: a.emergency,
        };
        if access.check(state, permission).await?.is_some() {
            visible.push(category);
        }
    }
    Ok(visible)
}

/// The appointments of the viewer's active unit that wait for what happened to be recorded.
pub(crate) async fn unit_list(
    state: &AppState,
    access: &AuditedAccess,
) -> Result<(UnitId, AuditCtx), AppError> {
    let role = access.viewer.active_role().ok_or(AppError::NotFound)?;
    let permission = Permission::UnitAppointments {
        unit: role.unit_id,
        in_unit: true,
    };
    Ok((role.unit_id, access.authorize(state, permission).await?))
}

/// The citizen's own appointments.
pub(crate) async fn own(
    state: &AppState,
    access: &AuditedAccess,
) -> Result<(CitizenId, AuditCtx), AppError> {
    let bro_authz::Actor::Citizen { citizen, .. } = access.viewer.actor else {
        return Err(AppError::NotFound);
    };
    let ctx = access
        .authorize(state, Permission::OwnAppointments(citizen))
        .await?;
    Ok((citizen, ctx))
}

/// The citizen whose secret calendar address `token` is, and the context their calendar
/// program reads in: the citizen's own, as if they read it themself. An unknown or revoked
/// address, or one of another kind, opens nothing.
pub(crate) async fn own_feed(
    state: &AppState,
    token: &str,
) -> Result<(CitizenId, AuditCtx), AppError> {
    let digest = state.config.session_digest(token);
    let feed = state
        .store
        .feed_by_digest(&digest)
        .await?
        .ok_or(AppError::NotFound)?;
    let bro_store::FeedOwner::Citizen(citizen) = feed.owner else {
        return Err(AppError::NotFound);
    };
    let ctx = AuditCtx {
        tenant_id: bro_audit::PLATFORM_TENANT,
        at_ms: state.clock.now_ms(),
        actor_user_id: Some(feed.created_by),
        actor_role: Some(bro_domain::AccountKind::Citizen.as_str().to_owned()),
        actor_unit_id: None,
        purpose: bro_authz::Purpose::OwnData.code(),
    };
    Ok((citizen, ctx))
}
