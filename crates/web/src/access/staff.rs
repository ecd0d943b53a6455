//! Staff work that is not about one course yet: their own course list, finding a citizen,
//! opening a course.

use super::AuditedAccess;
use crate::http::error::AppError;
use crate::state::AppState;
use bro_audit::AuditAction;
use bro_authz::Permission;
use bro_domain::CitizenId;
use bro_store::{AuditCtx, AuditEvent};

/// Searches a user may make in one window: enough for a day's work at a desk, too few to
/// list the register by trying names.
pub(crate) const SEARCHES_PER_WINDOW: i64 = 30;
pub(crate) const SEARCH_WINDOW_MS: i64 = 10 * 60 * 1000;

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

    /// The search page itself, before anything is searched.
    pub(crate) async fn search_page(
        state: &AppState,
        access: &AuditedAccess,
    ) -> Result<Self, AppError> {
        Self::checked(state, access, Permission::SearchCitizens).await
    }

    /// Searching for a citizen: counted, and refused (and recorded) as `None` once the viewer
    /// has searched [`SEARCHES_PER_WINDOW`] times in [`SEARCH_WINDOW_MS`].
    pub(crate) async fn search(
        state: &AppState,
        access: &AuditedAccess,
    ) -> Result<Option<Self>, AppError> {
        let scope = Self::checked(state, access, Permission::SearchCitizens).await?;
        let user = access.viewer.user.id;
        let now = state.clock.now_ms();
        let count = state
            .store
            .count_search(user, now, SEARCH_WINDOW_MS)
            .await?;
        if count > SEARCHES_PER_WINDOW {
            let event = AuditEvent::denied(AuditAction::SearchRateLimited);
            state.store.append_audit(&scope.ctx, event).await?;
            return Ok(None);
        }
        Ok(Some(scope))
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
