//! Who may change the directory of offers: a unit's offers are its organisation's
//! administrator's to publish, or a staff member's the administrator named the unit's editor.
//! Reading the directory needs no check: offers are not personal data.

use super::AuditedAccess;
use crate::http::error::AppError;
use crate::state::AppState;
use bro_authz::Permission;
use bro_domain::{Role, UnitId};
use bro_store::{AuditCtx, Offer, Unit};

/// The audit context for changing one unit's offers.
pub(crate) struct OfferEditScope {
    pub(crate) unit: Unit,
    pub(crate) ctx: AuditCtx,
}

impl OfferEditScope {
    /// Publishing and changing `unit`'s offers.
    pub(crate) async fn unit(
        state: &AppState,
        access: &AuditedAccess,
        unit: UnitId,
    ) -> Result<Self, AppError> {
        let unit = state.store.unit(unit).await?;
        let user = access.viewer.user.id;
        let editor = state
            .store
            .offer_editor_units(user)
            .await?
            .contains(&unit.id);
        let permission = Permission::EditOffers {
            org: unit.org_id,
            unit: unit.id,
            editor,
        };
        let ctx = access.authorize(state, permission).await?;
        Ok(Self { unit, ctx })
    }

    /// Changing the offer `id` (Bro's own: other directories' offers live apart, read-only).
    pub(crate) async fn offer(
        state: &AppState,
        access: &AuditedAccess,
        id: i64,
    ) -> Result<(Self, Offer), AppError> {
        let offer = state.store.offer(id).await?;
        let scope = Self::unit(state, access, offer.unit_id).await?;
        Ok((scope, offer))
    }

    /// The units whose offers the viewer may publish: all their organisation's as its
    /// administrator, else those they are named editor of.
    pub(crate) async fn units(
        state: &AppState,
        access: &AuditedAccess,
    ) -> Result<Vec<Unit>, AppError> {
        let named = state
            .store
            .offer_editor_units(access.viewer.user.id)
            .await?;
        let mut units = match access.viewer.active_role() {
            Some(r) if r.role == Role::Admin => state.store.units(r.org_id).await?,
            _ => Vec::new(),
        };
        for id in named {
            if !units.iter().any(|u| u.id == id) {
                units.push(state.store.unit(id).await?);
            }
        }
        Ok(units)
    }
}

/// The audit context for following offers' changes: any member of staff.
pub(crate) async fn follow(state: &AppState, access: &AuditedAccess) -> Result<AuditCtx, AppError> {
    access.authorize(state, Permission::FollowOffers).await
}
