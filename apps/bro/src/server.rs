//! Running the HTTP server.

use crate::config::Config;
use bro_domain::{Clock, SystemClock};
use bro_store::DynStore;
use bro_web::{AppState, WebConfig};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub async fn serve(config_file: Option<PathBuf>) -> Result<(), String> {
    let config = Config::load(config_file)?;
    config.check()?;
    let url = config.database_url.clone().unwrap_or_default();
    let store = crate::open::open(&url).await?;
    run(store, config.web(), config.listen, |addr| {
        tracing::info!(%addr, "bro is listening");
    })
    .await
}

/// Binds `listen`, reports the bound address, and serves until Ctrl-C / SIGTERM.
pub async fn run(
    store: DynStore,
    web: WebConfig,
    listen: SocketAddr,
    on_bound: impl FnOnce(SocketAddr),
) -> Result<(), String> {
    let login_window_ms = web.login_window_ms;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let state = AppState::new(store.clone(), clock.clone(), web)?;
    bro_web::delivery::spawn_worker(state.clone(), std::time::Duration::from_secs(30));
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    on_bound(addr);
    // Ended sessions and login failures outside the window are removed now and then, so
    // those tables hold only what still matters.
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            let now = clock.now_ms();
            if let Err(e) = store.purge_expired_sessions(now).await {
                tracing::warn!(cause = %e, "session purge failed");
            }
            if let Err(e) = store.purge_login_failures(now - login_window_ms).await {
                tracing::warn!(cause = %e, "login failure purge failed");
            }
        }
    });
    bro_web::serve(listener, state, shutdown())
        .await
        .map_err(|e| e.to_string())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
