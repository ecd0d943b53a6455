//! The web layer, one folder per capability under `features/`. What two features need lies
//! below them: `access/` decides who may, `services/` does, `ui/` shows, `http/` carries the
//! request. Handlers are thin: extract, get a scope from `access`, call the store, render.
//! No SQL here.

mod access;
mod config;
mod features;
mod http;
mod live;
mod services;
mod state;
mod ui;

pub use config::{MAX_EMERGENCY_MINUTES, WebConfig};
pub use http::error::AppError;
pub use services::delivery;
pub use services::hospital_intake;
/// The frozen minutes' format, for the scale generator that writes minutes in bulk.
pub use services::minutes::CaseSnapshot;
pub use state::AppState;

/// Approves a case's minutes outside a request (the demo's year of meetings): freezes them
/// and queues their delivery, as the meeting leader's approval does.
pub async fn approve_minutes(
    store: &bro_store::DynStore,
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
