//! An escort request in words, the same on the course's calendar, the citizen's own and the
//! escort service's list.

use super::{Chrome, spoken_when_within, when};
use bro_domain::escort::EscortStatus;
use bro_store::EscortRequest;

/// "Ledsagelse: Hanne Jensen, mødested Hovedindgangen, mandag 8. marts kl. 9.30", or that it
/// waits for an answer, or why it was declined; `version` is the appointment's current one,
/// so an answer given before the appointment moved says so.
pub fn escort_status(chrome: &Chrome, e: &EscortRequest, version: i64) -> String {
    match (&e.status, &e.plan) {
        (EscortStatus::Accepted, Some(p)) => {
            let text = chrome.tn(
                "escort-row-accepted",
                &[
                    ("escort", p.escort.clone()),
                    ("point", p.meeting_point.clone()),
                    ("when", spoken_when_within(chrome, p.meeting_ms)),
                ],
            );
            match e.answered {
                Some((_, answered_for)) if answered_for != version => {
                    format!("{text} {}", chrome.t("escort-row-moved"))
                }
                _ => text,
            }
        }
        (EscortStatus::Declined, _) => chrome.tn(
            "escort-row-declined",
            &[
                ("unit", e.unit_name.clone()),
                ("reason", e.decline_reason.clone().unwrap_or_default()),
            ],
        ),
        _ => chrome.tn(
            "escort-row-open",
            &[
                ("unit", e.unit_name.clone()),
                ("asked", when(e.requested_ms)),
            ],
        ),
    }
}

/// Escort may be asked for: none was, or the last one was declined.
pub fn may_ask(e: Option<&EscortRequest>) -> bool {
    e.is_none_or(|e| e.status == EscortStatus::Declined)
}
