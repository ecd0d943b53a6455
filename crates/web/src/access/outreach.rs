//! Outreach contacts: the course's care team reads them where the citizen's social information
//! is shared with their organisation and records them on an open course; the outreach staff do
//! the same, by the same sharing, for a course on the target-group list of a Fælles Team they
//! are on, without being on its care team.

use super::course::{facts, org_sharing};
use super::{AuditedAccess, CourseScope};
use crate::http::error::AppError;
use crate::state::AppState;
use bro_authz::Permission;
use bro_domain::ShareCategory;

/// A course's outreach contacts as the viewer may have them.
pub(crate) struct OutreachScope {
    pub(crate) course: CourseScope,
    /// Whether the viewer may record a contact too.
    pub(crate) can_write: bool,
    /// Whether the viewer is on the course's care team (and so may refer from a contact).
    pub(crate) on_team: bool,
}

impl OutreachScope {
    /// Reading the contacts (`write: false`) or recording one.
    pub(crate) async fn checked(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
        write: bool,
    ) -> Result<Self, AppError> {
        let a = facts(state, access, id).await?;
        if a.membership.is_some() || a.emergency {
            let course = if write {
                CourseScope::write(state, access, id).await?
            } else {
                CourseScope::read(state, access, id).await?
            };
            if !course.social_shared(state, access).await? {
                return Err(AppError::NotFound);
            }
            let on_team = a.membership.is_some();
            return Ok(Self {
                course,
                can_write: on_team && !a.closed,
                on_team,
            });
        }
        let Some(role) = access.viewer.active_role() else {
            return Err(AppError::NotFound);
        };
        let listed = state
            .store
            .listed_for(a.course_id, access.viewer.user.id)
            .await?;
        let sharing = org_sharing(state, role.org_id, &a, ShareCategory::Social).await?;
        let permission = Permission::ListedOutreach {
            course: a.course_id,
            citizen: a.citizen_id,
            listed,
            write,
            open: !a.closed,
            sharing,
        };
        let ctx = access.authorize(state, permission).await?;
        Ok(Self {
            can_write: !a.closed,
            on_team: false,
            course: CourseScope { course: a, ctx },
        })
    }
}
