//! Staff work that is not about one course yet: their own course list, finding a citizen,
//! opening a course.

use super::AuditedAccess;
use crate::http::error::AppError;
use crate::state::AppState;
use bro_authz::Permission;
use bro_domain::CitizenId;
use bro_store::AuditCtx;

/// A check on staff work outside a course, with the audit context to do it in.
pub(crate) struct StaffScope {
    pub(crate) ctx: AuditCtx,
}

impl StaffScope {
    /// Listing the courses whose care team the viewer is on.
    pub(crate) async fn own_courses(
        state: &AppState,
        access: &AuditedAccess,
    ) -> Result<Self, AppError> {
        Self::checked(state, access, Permission::ListOwnCourses).await
    }

    /// Searching for a citizen by CPR number or name.
    pub(crate) async fn search(state: &AppState, access: &AuditedAccess) -> Result<Self, AppError> {
        Self::checked(state, access, Permission::SearchCitizens).await
    }

    /// Opening a course for `citizen`.
    pub(crate) async fn open_course(
        state: &AppState,
        access: &AuditedAccess,
        citizen: CitizenId,
    ) -> Result<Self, AppError> {
        Self::checked(state, access, Permission::OpenCourse(citizen)).await
    }

    async fn checked(
        state: &AppState,
        access: &AuditedAccess,
        permission: Permission,
    ) -> Result<Self, AppError> {
        let ctx = access.authorize(state, permission).await?;
        Ok(Self { ctx })
    }
}
