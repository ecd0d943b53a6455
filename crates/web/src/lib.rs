//! The web layer, one folder per capability under `features/`. What two features need lies
//! below them: `access/` decides who may, `services/` does, `ui/` shows, `http/` carries the
//! request. Handlers are thin: extract, get a scope from `access`, call the store, render.
//! No SQL here.

mod access;
mod config;
mod features;
mod http;
mod services;
mod ui;

pub use config::{MAX_EMERGENCY_MINUTES, WebConfig};
pub use http::error::AppError;
pub use services::delivery;
/// The frozen minutes' format, for the scale generator that writes minutes in bulk.
pub use services::minutes::CaseSnapshot;

use bro_domain::Clock;
use bro_i18n::I18n;
use bro_store::DynStore;
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: DynStore,
    pub clock: Arc<dyn Clock>,
    pub i18n: Arc<I18n>,
    pub config: Arc<WebConfig>,
    /// Followers of live minutes.
    pub live: Arc<http::live::LiveHub>,
    /// Sends e-mail notices; `None` when no SMTP server is configured (notices then wait,
    /// visibly, until one is).
    pub mailer: Option<bro_mail::Mailer>,
    pub delivery_wake: Arc<tokio::sync::Notify>,
}

impl AppState {
    pub fn new(store: DynStore, clock: Arc<dyn Clock>, config: WebConfig) -> Result<Self, String> {
        let mailer = match &config.smtp {
            Some(smtp) => Some(bro_mail::Mailer::new(smtp).map_err(|e| e.to_string())?),
            None => None,
        };
        Ok(Self {
            store,
            clock,
            i18n: Arc::new(I18n::new()?),
            config: Arc::new(config),
            live: Arc::default(),
            mailer,
            delivery_wake: Arc::default(),
        })
    }
}

/// Approves a case's minutes outside a request (the demo's year of meetings): freezes them
/// and queues their delivery, as the meeting leader's approval does.
pub async fn approve_minutes(
    store: &DynStore,
    ctx: &bro_store::AuditCtx,
    case: bro_domain::CaseId,
) -> Result<(), AppError> {
    services::minutes::freeze(store, ctx, case).await
}

/// The whole application as an axum router.
pub fn app(state: AppState) -> axum::Router {
    features::router(state)
}

/// Serves the application on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
