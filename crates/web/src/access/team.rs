//! Who may do what in a Fælles Team, decided once for the team pages, the meeting pages and the
//! case pages: team membership and leadership from the team's set-up, and for a citizen's case
//! the sharing rule for the viewer's organisation and the citizen's minutes.

use super::AuditedAccess;
use super::course::org_sharing;
use crate::http::error::AppError;
use crate::state::AppState;
use bro_authz::{Permission, Sharing};
use bro_domain::{CaseId, ShareCategory, TeamId};
use bro_store::{AuditCtx, CaseRef, CourseAccess, Team};

/// A team as the viewer stands to it.
pub(crate) struct TeamScope {
    pub(crate) team: Team,
    /// Leader or convener: may change the set-up and the meetings.
    pub(crate) manager: bool,
    pub(crate) ctx: AuditCtx,
}

impl TeamScope {
    /// The team, if the viewer is on it (the check is written to the audit log either way).
    pub(crate) async fn member(
        state: &AppState,
        access: &AuditedAccess,
        id: TeamId,
    ) -> Result<Self, AppError> {
        let team = state.store.team(id).await?;
        let user = access.viewer.user.id;
        let member = team.is_member(user);
        let ctx = access
            .authorize(state, Permission::TeamWork { team: id, member })
            .await?;
        let manager = team.leader.0 == user || team.convener.0 == user;
        Ok(Self { team, manager, ctx })
    }

    /// The audit context for changing the team's set-up or meetings: leaders and conveners
    /// only.
    pub(crate) async fn manage(
        &self,
        state: &AppState,
        access: &AuditedAccess,
    ) -> Result<AuditCtx, AppError> {
        let permission = Permission::ManageTeam {
            team: self.team.id,
            manager: self.manager,
        };
        access.authorize(state, permission).await
    }
}

/// The team's organisations that no consent or legal basis lets see the citizen's minutes.
/// A case may be put on the agenda only when this is empty.
pub(crate) async fn uncovered_orgs(
    state: &AppState,
    team: &Team,
    a: &CourseAccess,
) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for (org, name) in &team.orgs {
        if org_sharing(state, *org, a, ShareCategory::Minutes).await? == Sharing::NotShared {
            out.push(name.clone());
        }
    }
    Ok(out)
}

/// A case on a team's agenda, with the audit context to read or write it.
pub(crate) struct CaseScope {
    pub(crate) case: CaseRef,
    pub(crate) team: Team,
    pub(crate) ctx: AuditCtx,
}

impl CaseScope {
    /// The case for a member of its team whose organisation may see the citizen's minutes.
    pub(crate) async fn of(
        state: &AppState,
        access: &AuditedAccess,
        case: CaseId,
    ) -> Result<Self, AppError> {
        let r = state.store.case_ref(case).await?;
        let team = state.store.team(r.team_id).await?;
        let user = access.viewer.user.id;
        let member = team.is_member(user);
        let sharing = match access.viewer.active_role() {
            Some(role) if member => {
                let a = state.store.course_access(r.course_id, user).await?;
                org_sharing(state, role.org_id, &a, ShareCategory::Minutes).await?
            }
            _ => Sharing::NotShared,
        };
        let ctx = access
            .authorize(
                state,
                Permission::TeamCase {
                    case,
                    citizen: r.citizen_id,
                    member,
                    sharing,
                },
            )
            .await?;
        Ok(Self { case: r, team, ctx })
    }

    /// Writing one field of the case's template: a participant's input field belongs to that
    /// participant, and to the leader, who may note it for them; a refusal is recorded.
    pub(crate) async fn may_write_field(
        &self,
        state: &AppState,
        access: &AuditedAccess,
        field: &str,
    ) -> Result<(), AppError> {
        let Some(owner) = bro_domain::meeting::input_owner(field) else {
            return Ok(());
        };
        let user = access.viewer.user.id;
        let permission = Permission::WriteInputField {
            case: self.case.id,
            citizen: self.case.citizen_id,
            own: owner == user || self.team.leader.0 == user,
        };
        access.authorize(state, permission).await.map(drop)
    }
}

/// The citizen's own case, with the audit context for their own data.
pub(crate) struct OwnCaseScope {
    pub(crate) case: CaseRef,
    pub(crate) ctx: AuditCtx,
}

impl OwnCaseScope {
    pub(crate) async fn of(
        state: &AppState,
        access: &AuditedAccess,
        case: CaseId,
    ) -> Result<Self, AppError> {
        let case = state.store.case_ref(case).await?;
        let ctx = access
            .authorize(state, Permission::OwnMeetings(case.citizen_id))
            .await?;
        Ok(Self { case, ctx })
    }
}
