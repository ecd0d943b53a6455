//! Administering an organisation: its units, users, collaborations and reviews.

use super::AuditedAccess;
use crate::http::error::AppError;
use crate::state::AppState;
use bro_authz::Permission;
use bro_domain::OrgId;
use bro_store::AuditCtx;

/// The organisation the administrator works in, and the audit context for acting there.
pub(crate) struct AdminScope {
    pub(crate) org: OrgId,
    pub(crate) ctx: AuditCtx,
}

impl AdminScope {
    /// The administrator of the viewer's active organisation.
    pub(crate) async fn active(state: &AppState, access: &AuditedAccess) -> Result<Self, AppError> {
        let org = access.viewer.active_role().map_or(OrgId(-1), |a| a.org_id);
        Self::of(state, access, org).await
    }

    /// The administrator of `org`, whichever of their roles it is.
    pub(crate) async fn of(
        state: &AppState,
        access: &AuditedAccess,
        org: OrgId,
    ) -> Result<Self, AppError> {
        let ctx = access
            .authorize(state, Permission::AdministerOrg(org))
            .await?;
        Ok(Self { org, ctx })
    }
}
