//! Escort (ledsagelse): who asks for it, and who answers.
//! - On the course: a member of the open course's care team (never by emergency access), for
//!   an appointment they see there.
//! - The citizen: for their own appointment.
//! - The escort service asked: staff whose active role is in that unit see its list, answer
//!   its requests and record the time an escort took. The request itself is the basis: they
//!   see the appointment's time and place, not its kind or whom the citizen meets.

use super::appointment::course_appointments;
use super::{AuditedAccess, CourseScope};
use crate::http::error::AppError;
use crate::state::AppState;
use bro_authz::{Actor, Permission};
use bro_domain::UnitId;
use bro_store::{Appointment, AuditCtx, EscortFacts};

/// An appointment escort is asked for, and the check that allowed it.
pub(crate) struct EscortAsk {
    pub(crate) appointment: Appointment,
    pub(crate) ctx: AuditCtx,
}

impl EscortAsk {
    /// A care team member asking for appointment `id` on course `course`.
    pub(crate) async fn on_course(
        state: &AppState,
        access: &AuditedAccess,
        (course, id): (i64, i64),
    ) -> Result<Self, AppError> {
        let scope = CourseScope::write(state, access, course).await?;
        let seen = course_appointments(state, access, &scope).await?;
        let appointment = seen
            .shown
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(AppError::NotFound)?;
        Ok(Self {
            appointment,
            ctx: scope.ctx,
        })
    }

    /// The citizen asking for their own appointment `id`.
    pub(crate) async fn own(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
    ) -> Result<Self, AppError> {
        let Actor::Citizen { citizen, .. } = access.viewer.actor else {
            return Err(AppError::NotFound);
        };
        let ctx = access
            .authorize(state, Permission::OwnAppointments(citizen))
            .await?;
        let appointment = state
            .store
            .citizen_appointments(&ctx, citizen, 0)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(AppError::NotFound)?;
        Ok(Self { appointment, ctx })
    }
}

/// What waits for the escort service the viewer works in.
pub(crate) async fn service_list(
    state: &AppState,
    access: &AuditedAccess,
) -> Result<(UnitId, AuditCtx), AppError> {
    let role = access.viewer.active_role().ok_or(AppError::NotFound)?;
    let permission = Permission::EscortService {
        unit: role.unit_id,
        in_unit: true,
    };
    Ok((role.unit_id, access.authorize(state, permission).await?))
}

/// A request sent to the escort service the viewer works in.
pub(crate) struct EscortScope {
    pub(crate) facts: EscortFacts,
    pub(crate) ctx: AuditCtx,
}

impl EscortScope {
    pub(crate) async fn service(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
    ) -> Result<Self, AppError> {
        let facts = state.store.escort_facts(id).await?;
        let in_unit = access
            .viewer
            .active_role()
            .is_some_and(|r| r.unit_id == facts.unit_id);
        let permission = Permission::EscortWork {
            request: id,
            citizen: facts.citizen_id,
            in_unit,
        };
        let ctx = access.authorize(state, permission).await?;
        Ok(Self { facts, ctx })
    }
}
