//! A citizen's own data, and what they let a relative see. "Their own" has one definition:
//! the logged-in account is the citizen; anyone else is answered "not found".

use super::AuditedAccess;
use crate::http::error::AppError;
use crate::state::AppState;
use bro_authz::{Actor, Permission};
use bro_domain::{CitizenId, ShareCategory};
use bro_store::AuditCtx;

/// The citizen acting on their own data, with the audit context it is done in.
pub(crate) struct CitizenScope {
    pub(crate) citizen: CitizenId,
    pub(crate) ctx: AuditCtx,
}

/// The citizen the viewer is; staff and relatives are not one.
fn own_citizen(access: &AuditedAccess) -> Result<CitizenId, AppError> {
    match access.viewer.actor {
        Actor::Citizen { citizen, .. } => Ok(citizen),
        _ => Err(AppError::NotFound),
    }
}

impl CitizenScope {
    /// Their own record: name, consents, who has looked at their data.
    pub(crate) async fn own(state: &AppState, access: &AuditedAccess) -> Result<Self, AppError> {
        let citizen = own_citizen(access)?;
        Self::checked(
            state,
            access,
            citizen,
            Permission::ReadCitizenRecord(citizen),
        )
        .await
    }

    /// Working on their own plan: goals, comments, agreement, what their network sees.
    pub(crate) async fn own_plan(
        state: &AppState,
        access: &AuditedAccess,
    ) -> Result<Self, AppError> {
        let citizen = own_citizen(access)?;
        Self::checked(state, access, citizen, Permission::OwnPlan(citizen)).await
    }

    /// Their own Fælles Team meetings.
    pub(crate) async fn own_meetings(
        state: &AppState,
        access: &AuditedAccess,
    ) -> Result<Self, AppError> {
        let citizen = own_citizen(access)?;
        Self::checked(state, access, citizen, Permission::OwnMeetings(citizen)).await
    }

    /// Their own referrals: reading them, and agreeing to one.
    pub(crate) async fn own_referrals(
        state: &AppState,
        access: &AuditedAccess,
    ) -> Result<Self, AppError> {
        let citizen = own_citizen(access)?;
        Self::checked(state, access, citizen, Permission::OwnReferrals(citizen)).await
    }

    /// A relative reading what `citizen` lets them see of `category`.
    pub(crate) async fn shared_with_relative(
        state: &AppState,
        access: &AuditedAccess,
        citizen: CitizenId,
        category: ShareCategory,
    ) -> Result<Self, AppError> {
        let permission = Permission::RelativeShare {
            citizen,
            category,
            shared: true,
        };
        Self::checked(state, access, citizen, permission).await
    }

    async fn checked(
        state: &AppState,
        access: &AuditedAccess,
        citizen: CitizenId,
        permission: Permission,
    ) -> Result<Self, AppError> {
        let ctx = access.authorize(state, permission).await?;
        Ok(Self { citizen, ctx })
    }
}
