//! Who may do what in a Fælles Team, decided once for the team pages, the meeting pages and the
//! case pages: team membership and leadership from the team's set-up, and for a citizen's case
//! the sharing rule for the viewer's organisation and the citizen's minutes.

use crate::AppState;
use crate::audited::AuditedAccess;
use crate::error::AppError;
use bro_authz::{Permission, Sharing, sharing};
use bro_domain::{CaseId, OrgId, ShareCategory, TeamId};
use bro_store::{AuditCtx, CaseRef, CourseAccess, Team};

/// A team as the viewer stands to it.
pub(super) struct TeamView {
    pub team: Team,
    /// Leader or convener: may change the set-up and the meetings.
    pub manager: bool,
    pub ctx: AuditCtx,
}

/// The team, if the viewer is on it (the check is written to the audit log either way).
pub(super) async fn team_view(
    state: &AppState,
    access: &AuditedAccess,
    id: TeamId,
) -> Result<TeamView, AppError> {
    let team = state.store.team(id).await?;
    let user = access.viewer.user.id;
    let member = team.is_member(user);
    let ctx = access
        .authorize(state, Permission::TeamWork { team: id, member })
        .await?;
    let manager = team.leader.0 == user || team.convener.0 == user;
    Ok(TeamView { team, manager, ctx })
}

/// The audit context for changing the team's set-up or meetings: leaders and conveners only.
pub(super) async fn manage(
    state: &AppState,
    access: &AuditedAccess,
    view: &TeamView,
) -> Result<AuditCtx, AppError> {
    access
        .authorize(
            state,
            Permission::ManageTeam {
                team: view.team.id,
                manager: view.manager,
            },
        )
        .await
}

/// How `org` stands to the minutes of the course's citizen.
async fn minutes_sharing(
    state: &AppState,
    org: OrgId,
    a: &CourseAccess,
) -> Result<Sharing, AppError> {
    if a.holder_org == Some(org) {
        return Ok(Sharing::Holder);
    }
    let grants = state
        .store
        .grants(a.citizen_id, org, state.clock.now_ms())
        .await?;
    Ok(sharing(org, a.holder_org, ShareCategory::Minutes, &grants))
}

/// The team's organisations that no consent or legal basis lets see the citizen's minutes.
/// A case may be put on the agenda only when this is empty.
pub(super) async fn uncovered_orgs(
    state: &AppState,
    team: &Team,
    a: &CourseAccess,
) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for (org, name) in &team.orgs {
        if minutes_sharing(state, *org, a).await? == Sharing::NotShared {
            out.push(name.clone());
        }
    }
    Ok(out)
}

/// A case, with the audit context to read or write it as a member of its team whose
/// organisation may see the citizen's minutes.
pub(super) async fn case_access(
    state: &AppState,
    access: &AuditedAccess,
    case: CaseId,
) -> Result<(CaseRef, Team, AuditCtx), AppError> {
    let r = state.store.case_ref(case).await?;
    let team = state.store.team(r.team_id).await?;
    let user = access.viewer.user.id;
    let member = team.is_member(user);
    let sharing = match access.viewer.active_role() {
        Some(role) if member => {
            let a = state.store.course_access(r.course_id, user).await?;
            minutes_sharing(state, role.org_id, &a).await?
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
    Ok((r, team, ctx))
}

/// The citizen's own case, with the audit context for their own data.
pub(super) async fn own_case(
    state: &AppState,
    access: &AuditedAccess,
    case: CaseId,
) -> Result<(CaseRef, AuditCtx), AppError> {
    let r = state.store.case_ref(case).await?;
    let ctx = access
        .authorize(state, Permission::OwnMeetings(r.citizen_id))
        .await?;
    Ok((r, ctx))
}
