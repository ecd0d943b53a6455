//! A course of care as the viewer stands to it: member of its care team, coordinator, or
//! outside it with emergency access.

use super::AuditedAccess;
use crate::http::error::AppError;
use crate::state::AppState;
use bro_authz::{Permission, Sharing, sharing};
use bro_domain::{CourseId, OrgId, ShareCategory};
use bro_store::{AuditCtx, CourseAccess};

/// A course the viewer passed a check on, with the audit context to act in.
pub(crate) struct CourseScope {
    pub(crate) course: CourseAccess,
    pub(crate) ctx: AuditCtx,
}

/// Facts about a course and the viewer's place in it. A course that does not exist and one
/// the viewer may not see look the same.
pub(super) async fn facts(
    state: &AppState,
    access: &AuditedAccess,
    id: i64,
) -> Result<CourseAccess, AppError> {
    let mut a = state
        .store
        .course_access(CourseId(id), access.viewer.user.id)
        .await?;
    if a.membership.is_none() {
        a.emergency = state
            .store
            .emergency_active(a.course_id, access.viewer.user.id, state.clock.now_ms())
            .await?;
    }
    Ok(a)
}

/// How `org` stands to one category of the course's citizen's information.
pub(super) async fn org_sharing(
    state: &AppState,
    org: OrgId,
    a: &CourseAccess,
    category: ShareCategory,
) -> Result<Sharing, AppError> {
    if a.holder_org == Some(org) {
        return Ok(Sharing::Holder);
    }
    let grants = state
        .store
        .grants(a.citizen_id, org, state.clock.now_ms())
        .await?;
    Ok(sharing(org, a.holder_org, category, &grants))
}

pub(super) fn read_permission(a: &CourseAccess) -> Permission {
    Permission::ReadCourse {
        course: a.course_id,
        citizen: a.citizen_id,
        member: a.membership.is_some(),
        emergency: a.emergency,
    }
}

fn manage_permission(a: &CourseAccess) -> Permission {
    Permission::ManageCourse {
        course: a.course_id,
        citizen: a.citizen_id,
        coordinator: a.membership.is_some_and(|(_, c)| c),
        open: !a.closed,
    }
}

impl CourseScope {
    /// Reading the course: its care team, or emergency access.
    pub(crate) async fn read(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
    ) -> Result<Self, AppError> {
        Self::checked(state, access, id, read_permission).await
    }

    /// Reading what belongs to the citizen rather than to the course (network, consents,
    /// legal bases, signed documents): the team of an open course, or an emergency access to
    /// it. A closed course's former members read only its own history.
    pub(crate) async fn citizen_data(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
    ) -> Result<Self, AppError> {
        Self::checked(state, access, id, |a| Permission::ReadCitizenData {
            course: a.course_id,
            citizen: a.citizen_id,
            member: a.membership.is_some(),
            open: !a.closed,
            emergency: a.emergency,
        })
        .await
    }

    /// Writing the course's records (consents, requests for consent): a member of the care
    /// team while the course is open. Emergency access never writes.
    pub(crate) async fn write(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
    ) -> Result<Self, AppError> {
        Self::checked(state, access, id, |a| Permission::WriteCourse {
            course: a.course_id,
            citizen: a.citizen_id,
            member: a.membership.is_some(),
            open: !a.closed,
        })
        .await
    }

    /// Changing the course (phase, team, frame, legal bases): its coordinator.
    pub(crate) async fn manage(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
    ) -> Result<Self, AppError> {
        Self::checked(state, access, id, manage_permission).await
    }

    /// Starting emergency access to the course's citizen, from outside the care team.
    pub(crate) async fn start_emergency(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
    ) -> Result<Self, AppError> {
        Self::checked(state, access, id, |a| {
            Permission::StartEmergency(a.citizen_id)
        })
        .await
    }

    /// The audit context for reading what the citizen's minutes hold (the agreements on the
    /// timeline), when they are shared with the viewer's organisation or an emergency access
    /// is in force; a refusal is recorded.
    pub(crate) async fn minutes(
        &self,
        state: &AppState,
        access: &AuditedAccess,
    ) -> Result<Option<AuditCtx>, AppError> {
        self.shared(state, access, ShareCategory::Minutes).await
    }

    /// The audit context for reading the citizen's admissions and other hospital events
    /// (health data), on the same terms as the minutes.
    pub(crate) async fn health(
        &self,
        state: &AppState,
        access: &AuditedAccess,
    ) -> Result<Option<AuditCtx>, AppError> {
        self.shared(state, access, ShareCategory::Health).await
    }

    async fn shared(
        &self,
        state: &AppState,
        access: &AuditedAccess,
        category: ShareCategory,
    ) -> Result<Option<AuditCtx>, AppError> {
        let a = &self.course;
        let sharing = match access.viewer.active_role() {
            Some(role) if a.membership.is_some() => {
                org_sharing(state, role.org_id, a, category).await?
            }
            _ => Sharing::NotShared,
        };
        let permission = Permission::ReadShared {
            course: a.course_id,
            citizen: a.citizen_id,
            member: a.membership.is_some(),
            category,
            sharing,
            emergency: a.emergency,
        };
        access.check(state, permission).await
    }

    async fn checked(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
        permission: impl FnOnce(&CourseAccess) -> Permission,
    ) -> Result<Self, AppError> {
        let course = facts(state, access, id).await?;
        let ctx = access.authorize(state, permission(&course)).await?;
        Ok(Self { course, ctx })
    }
}
