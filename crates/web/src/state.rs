//! What every handler can reach: the store, the clock, translations, settings, the live hub
//! and the mailer. It sits below everything else in the crate, so any layer may take it.

use crate::config::WebConfig;
use crate::live::LiveHub;
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
    pub live: Arc<LiveHub>,
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
