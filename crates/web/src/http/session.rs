//! Sessions: the cookie holds a random token; the database holds its digest, the stage of the
//! login, and the idle and absolute deadlines. A layer resolves the session once per request
//! into a [`Viewer`]; extractors hand it to handlers.

use crate::http::error::AppError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use bro_authz::{ActiveRole, Actor};
use bro_domain::{AccountKind, OrgId};
use bro_store::{AuditCtx, Session, SessionStage, User};

/// A session touch is written at most this often, to keep reads cheap.
const TOUCH_EVERY_MS: i64 = 60_000;

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The person behind a request whose session is valid.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub actor: Actor,
    pub user: User,
    pub session: Session,
}

impl Viewer {
    pub fn stage(&self) -> SessionStage {
        self.session.stage
    }

    pub fn active_role(&self) -> Option<&ActiveRole> {
        self.actor.active_role()
    }

    /// Everything an audit record needs about this viewer, stamped `now`.
    pub fn audit(&self, at_ms: i64, purpose: &'static str) -> AuditCtx {
        let active = self.active_role();
        AuditCtx {
            tenant_id: self.actor.tenant(),
            at_ms,
            actor_user_id: Some(self.user.id),
            actor_role: Some(match active {
                Some(a) => a.role.as_str().to_owned(),
                None => self.user.kind.as_str().to_owned(),
            }),
            actor_unit_id: active.map(|a| a.unit_id),
            purpose,
        }
    }
}

/// What the session layer found.
#[derive(Debug, Clone, Default)]
pub struct SessionState {
    pub viewer: Option<Viewer>,
    /// A session cookie came in but its session had ended (idle or absolute timeout).
    pub expired: bool,
}

fn actor_for(user: &User, session: &Session) -> Actor {
    match user.kind {
        AccountKind::Citizen => match user.citizen_id {
            Some(citizen) => Actor::Citizen {
                user: user.id,
                citizen,
            },
            None => Actor::Relative { user: user.id },
        },
        AccountKind::Relative => Actor::Relative { user: user.id },
        AccountKind::Staff => {
            let chosen = session
                .active_role
                .and_then(|id| user.roles.iter().find(|r| r.id == id))
                // Without a choice, the first role the user was given.
                .or_else(|| user.roles.iter().min_by_key(|r| r.id));
            Actor::Staff {
                user: user.id,
                home_org: user.org_id.unwrap_or(OrgId(0)),
                active: chosen.map(|r| ActiveRole {
                    assignment_id: r.id,
                    role: r.role,
                    unit_id: r.unit_id,
                    org_id: r.org_id,
                }),
            }
        }
    }
}

async fn resolve(state: &AppState, headers: &HeaderMap) -> Result<SessionState, AppError> {
    let Some(token) = cookie_value(headers, state.config.session_cookie()) else {
        return Ok(SessionState::default());
    };
    let digest = state.config.session_digest(&token);
    let Some(session) = state.store.session(&digest).await? else {
        return Ok(SessionState {
            viewer: None,
            expired: true,
        });
    };
    let now = state.clock.now_ms();
    let idle_over = now - session.last_seen_ms >= state.config.idle_timeout_ms;
    if idle_over || now >= session.expires_ms {
        let user = session.user_id;
        let ctx = AuditCtx {
            actor_user_id: Some(user),
            ..AuditCtx::system(0, now, "session-expiry")
        };
        state.store.delete_session(&ctx, &digest).await?;
        return Ok(SessionState {
            viewer: None,
            expired: true,
        });
    }
    let user = state.store.account(session.user_id).await?;
    if !user.active {
        return Ok(SessionState {
            viewer: None,
            expired: true,
        });
    }
    // A live stream reconnecting is not the user at work: it must not keep an idle session
    // alive.
    if now - session.last_seen_ms >= TOUCH_EVERY_MS && !is_event_stream(headers) {
        state.store.touch_session(&digest, now).await?;
    }
    let actor = actor_for(&user, &session);
    Ok(SessionState {
        viewer: Some(Viewer {
            actor,
            user,
            session,
        }),
        expired: false,
    })
}

/// A request from a browser's `EventSource` (live minutes).
fn is_event_stream(headers: &HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"))
}

/// Layer: resolves the session once and leaves it in the request's extensions.
pub async fn layer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Result<Response, AppError> {
    let found = resolve(&state, req.headers()).await?;
    req.extensions_mut().insert(found.clone());
    let mut res = next.run(req).await;
    res.extensions_mut().insert(found);
    Ok(res)
}

fn session_state(parts: &Parts) -> SessionState {
    parts
        .extensions
        .get::<SessionState>()
        .cloned()
        .unwrap_or_default()
}

/// A fully logged-in viewer; anyone else is sent to the login page.
pub struct Authed(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for Authed {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match session_state(parts).viewer {
            Some(v) if v.stage() == SessionStage::Full => Ok(Authed(v)),
            _ => Err(AppError::LoginRequired),
        }
    }
}

/// A viewer half-way through login (second factor to give or to set up).
pub struct Pending(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for Pending {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match session_state(parts).viewer {
            Some(v) if v.stage() != SessionStage::Full => Ok(Pending(v)),
            _ => Err(AppError::LoginRequired),
        }
    }
}

/// Whatever the session layer found, for pages open to everyone.
pub struct MaybeViewer(pub SessionState);

impl<S: Send + Sync> FromRequestParts<S> for MaybeViewer {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeViewer(session_state(parts)))
    }
}

/// Completes a two-step login: the session becomes full and gets a fresh token (a token seen
/// before the second step is worthless after it). Returns the `Set-Cookie` value to send.
pub async fn complete_login(
    state: &AppState,
    audit: &AuditCtx,
    viewer: &Viewer,
) -> Result<Option<axum::http::HeaderValue>, AppError> {
    let token = bro_auth::token::random_token();
    state
        .store
        .complete_session(
            audit,
            &viewer.session.id_hash,
            &state.config.session_digest(&token),
        )
        .await?;
    Ok(axum::http::HeaderValue::from_str(&state.config.cookie(
        state.config.session_cookie(),
        &token,
        true,
    ))
    .ok())
}
