//! A hospital system or message broker that delivers messages over the API, known by the
//! client token an organisation's admin made for it. A missing, unknown or revoked token is
//! refused and the refusal audited: in the client's organisation when the token names one.

use crate::services::hospital_intake::PURPOSE;
use crate::state::AppState;
use axum::http::{HeaderMap, header};
use bro_audit::{AuditAction, PLATFORM_TENANT};
use bro_store::{AuditCtx, AuditEvent, HospitalClient, StoreResult};

/// A client whose token is good: what it delivers is for its organisation only.
pub(crate) struct ClientScope {
    pub(crate) client: HospitalClient,
}

/// The token of `Authorization: Bearer …`, if the header has that form.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl ClientScope {
    /// The client the request's token opens; `None` when refused (and audited).
    pub(crate) async fn of_request(
        state: &AppState,
        headers: &HeaderMap,
    ) -> StoreResult<Option<Self>> {
        let found = match bearer(headers).filter(|t| !t.is_empty() && t.len() <= 128) {
            Some(token) => {
                let digest = state.config.session_digest(token);
                state.store.hospital_client_by_digest(&digest).await?
            }
            None => None,
        };
        let (tenant, object) = match found {
            Some(client) if client.revoked_ms.is_none() => return Ok(Some(Self { client })),
            Some(client) => (client.org.0, format!("hospital-client:{}", client.id)),
            None => (PLATFORM_TENANT, "api:hospital-notifications".to_owned()),
        };
        let ctx = AuditCtx::system(tenant, state.clock.now_ms(), PURPOSE);
        let event = AuditEvent::denied(AuditAction::HospitalClientRefused).object(object);
        state.store.append_audit(&ctx, event).await?;
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_only_a_bearer_token() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer abc"),
        );
        assert_eq!(bearer(&h), Some("abc"));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer  abc "),
        );
        assert_eq!(bearer(&h), Some("abc"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
    }
}
