//! `AuditedAccess`: the extractor every handler that touches personal data takes. It asks
//! `authz` once; an allowed request gets the [`AuditCtx`] that the store's personal-data
//! functions require (and which they write into the audit log in the same transaction); a
//! denied request is written to the log as denied and answered as "not found".

use crate::http::error::AppError;
use crate::http::session::{Authed, Viewer};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use bro_audit::AuditAction;
use bro_authz::{Permission, decide};
use bro_store::{AuditCtx, AuditEvent};

pub(crate) struct AuditedAccess {
    pub(crate) viewer: Viewer,
    now_ms: i64,
}

impl AuditedAccess {
    /// Decides `permission`: the audit context to act with, or a denial recorded in the log.
    pub(super) async fn authorize(
        &self,
        state: &AppState,
        permission: Permission,
    ) -> Result<AuditCtx, AppError> {
        match decide(&self.viewer.actor, permission) {
            Some(purpose) => Ok(self.viewer.audit(self.now_ms, purpose.code())),
            None => {
                let ctx = self.viewer.audit(self.now_ms, "none");
                let mut event =
                    AuditEvent::denied(AuditAction::AccessDenied).object(permission.object());
                event.subject = permission.subject();
                state.store.append_audit(&ctx, event).await?;
                Err(AppError::NotFound)
            }
        }
    }

    /// Like [`authorize`](Self::authorize), for a page that shows something else when the
    /// answer is no (e.g. "withheld, ask for consent"): the denial is still recorded.
    pub(super) async fn check(
        &self,
        state: &AppState,
        permission: Permission,
    ) -> Result<Option<AuditCtx>, AppError> {
        match self.authorize(state, permission).await {
            Ok(ctx) => Ok(Some(ctx)),
            Err(AppError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The audit context for the viewer's own affairs (their account, their sessions).
    pub(crate) fn own(&self) -> AuditCtx {
        self.viewer.audit(self.now_ms, "own-account")
    }
}

impl FromRequestParts<AppState> for AuditedAccess {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Authed(viewer) = Authed::from_request_parts(parts, state).await?;
        Ok(AuditedAccess {
            viewer,
            now_ms: state.clock.now_ms(),
        })
    }
}
