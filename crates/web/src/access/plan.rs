//! The course plan and its crisis plan, shared across organisations by the citizen's consent
//! or a legal basis: a team member sees them only when their organisation is covered.

use super::course::{facts, read_permission};
use super::{AuditedAccess, CourseScope};
use crate::http::error::AppError;
use crate::state::AppState;
use bro_authz::{Permission, Sharing};
use bro_domain::ShareCategory;
use bro_store::{AuditCtx, CourseAccess};

/// How the viewer's organisation stands to this course's plan and crisis plan: the facts for
/// `authz`, from one load of what grants it access, without reading the information itself.
#[derive(Clone, Copy)]
struct PlanSharing {
    plan: Sharing,
    crisis: Sharing,
}

impl PlanSharing {
    async fn load(
        state: &AppState,
        access: &AuditedAccess,
        a: &CourseAccess,
    ) -> Result<Self, AppError> {
        let Some(org) = access.viewer.active_role().map(|r| r.org_id) else {
            return Ok(Self {
                plan: Sharing::NotShared,
                crisis: Sharing::NotShared,
            });
        };
        let grants = if a.membership.is_none() || a.holder_org == Some(org) {
            bro_domain::consent::Grants::default()
        } else {
            state
                .store
                .grants(a.citizen_id, org, state.clock.now_ms())
                .await?
        };
        let of = |category| bro_authz::sharing(org, a.holder_org, category, &grants);
        Ok(Self {
            plan: of(ShareCategory::Plan),
            crisis: of(ShareCategory::CrisisPlan),
        })
    }

    /// Reading the plan or the crisis plan.
    fn read(self, a: &CourseAccess, category: ShareCategory) -> Permission {
        Permission::ReadShared {
            course: a.course_id,
            citizen: a.citizen_id,
            member: a.membership.is_some(),
            category,
            sharing: match category {
                ShareCategory::CrisisPlan => self.crisis,
                _ => self.plan,
            },
            emergency: a.emergency,
        }
    }

    /// Writing in the plan: a team member whose organisation may see the plan.
    fn edit(self, a: &CourseAccess) -> Permission {
        Permission::EditPlan {
            course: a.course_id,
            citizen: a.citizen_id,
            member: a.membership.is_some(),
            open: !a.closed,
            sharing: self.plan,
        }
    }
}

/// A course plan the viewer may read or write, with the audit context to do it in.
pub(crate) struct PlanScope {
    pub(crate) course: CourseAccess,
    pub(crate) ctx: AuditCtx,
    sharing: PlanSharing,
}

/// The plan page as the viewer may see it.
pub(crate) enum PlanPage {
    Shared(PlanScope),
    /// A team member whose organisation the plan is not shared with (the refusal is recorded):
    /// the page says what is withheld.
    Withheld(CourseScope),
}

impl PlanScope {
    /// Reading the plan.
    pub(crate) async fn read(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
    ) -> Result<Self, AppError> {
        Self::checked(state, access, id, |s, c| s.read(c, ShareCategory::Plan)).await
    }

    /// Writing in the plan (sections, interventions, goals, comments).
    pub(crate) async fn edit(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
    ) -> Result<Self, AppError> {
        Self::checked(state, access, id, |s, c| s.edit(c)).await
    }

    async fn checked(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
        permission: impl FnOnce(PlanSharing, &CourseAccess) -> Permission,
    ) -> Result<Self, AppError> {
        let course = facts(state, access, id).await?;
        let sharing = PlanSharing::load(state, access, &course).await?;
        let ctx = access
            .authorize(state, permission(sharing, &course))
            .await?;
        Ok(Self {
            course,
            ctx,
            sharing,
        })
    }

    /// The plan page: the care team reads the course, and the plan when it is shared with them.
    pub(crate) async fn page(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
    ) -> Result<PlanPage, AppError> {
        let course = facts(state, access, id).await?;
        let team = access.authorize(state, read_permission(&course)).await?;
        let sharing = PlanSharing::load(state, access, &course).await?;
        let permission = sharing.read(&course, ShareCategory::Plan);
        Ok(match access.check(state, permission).await? {
            Some(ctx) => PlanPage::Shared(Self {
                course,
                ctx,
                sharing,
            }),
            None => PlanPage::Withheld(CourseScope { course, ctx: team }),
        })
    }

    /// Whether the crisis plan is shared with the viewer too; a refusal is recorded.
    pub(crate) async fn crisis_shared(
        &self,
        state: &AppState,
        access: &AuditedAccess,
    ) -> Result<bool, AppError> {
        let permission = self.sharing.read(&self.course, ShareCategory::CrisisPlan);
        Ok(access.check(state, permission).await?.is_some())
    }

    /// Writing in the crisis plan also needs it shared: refused (and recorded) otherwise.
    pub(crate) async fn require_crisis(
        &self,
        state: &AppState,
        access: &AuditedAccess,
    ) -> Result<(), AppError> {
        let permission = self.sharing.read(&self.course, ShareCategory::CrisisPlan);
        access.authorize(state, permission).await.map(drop)
    }
}
