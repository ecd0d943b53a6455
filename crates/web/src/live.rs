//! Live minutes: every save in a case's template is rendered once and pushed to everyone
//! following the case (the citizen at home, the meeting-room screen, other writers) as a
//! server-sent event. Each event carries the whole template, so a viewer who reconnects after
//! a lost connection is caught up by the first event it receives.
//!
//! A stream belongs to a login: it ends when that session is logged out, when all the user's
//! sessions are, or when the account is deactivated ([`LiveHub::end`]).
//!
//! The hub lives in the process: one Bro process serves a meeting's viewers. (Several processes
//! behind a load balancer would need the store to fan out, e.g. PostgreSQL LISTEN/NOTIFY.)

use bro_domain::{CaseId, UserId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::broadcast;

/// How many unsent updates a slow viewer may fall behind before it skips to the newest.
const BACKLOG: usize = 16;

/// Logins that have ended, for the streams opened under them to stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// One session (its digest) was logged out.
    Session(String),
    /// Every session of a user ended: logged out everywhere, or the account deactivated.
    User(UserId),
}

pub struct LiveHub {
    cases: Mutex<HashMap<CaseId, broadcast::Sender<Arc<str>>>>,
    ended: broadcast::Sender<Ended>,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self {
            cases: Mutex::default(),
            ended: broadcast::channel(BACKLOG).0,
        }
    }
}

impl LiveHub {
    /// Tells every open stream that a login has ended; streams opened under it stop.
    pub fn end(&self, ended: Ended) {
        // No receiver means no stream is open: nothing to stop.
        let _ = self.ended.send(ended);
    }

    /// The logins that end from now on.
    pub fn endings(&self) -> broadcast::Receiver<Ended> {
        self.ended.subscribe()
    }

    /// Follows a case: the receiver gets every later update.
    pub fn subscribe(&self, case: CaseId) -> broadcast::Receiver<Arc<str>> {
        let mut cases = self.cases.lock().unwrap_or_else(PoisonError::into_inner);
        cases
            .entry(case)
            .or_insert_with(|| broadcast::channel(BACKLOG).0)
            .subscribe()
    }

    /// Sends the case's newly rendered template to its followers; forgets cases nobody follows.
    pub fn publish(&self, case: CaseId, html: String) {
        let mut cases = self.cases.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(tx) = cases.get(&case)
            && tx.send(Arc::from(html)).is_err()
        {
            cases.remove(&case);
        }
    }

    /// How many connections follow a case now.
    pub fn followers(&self, case: CaseId) -> usize {
        let cases = self.cases.lock().unwrap_or_else(PoisonError::into_inner);
        cases
            .get(&case)
            .map_or(0, broadcast::Sender::receiver_count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn followers_receive_what_is_published_after_they_subscribe() {
        let hub = LiveHub::default();
        hub.publish(CaseId(1), "before".into());
        let mut rx = hub.subscribe(CaseId(1));
        let mut other = hub.subscribe(CaseId(2));
        hub.publish(CaseId(1), "after".into());
        assert_eq!(rx.recv().await.ok().as_deref(), Some("after"));
        assert!(other.try_recv().is_err());
        assert_eq!(hub.followers(CaseId(1)), 1);
        drop(rx);
        hub.publish(CaseId(1), "nobody".into());
        assert_eq!(hub.followers(CaseId(1)), 0);
    }
}
