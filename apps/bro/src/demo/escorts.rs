//! The demo's escort requests, in every state: for some of Holstebro's citizens the clinic
//! asked the municipality's escort service for the next visit (some still open, of which the
//! nearest are late, some accepted, some declined), and for past visits accepted escorts with
//! the time they took. `borger` is escorted to the GP.

use super::DemoStaff;
use bro_domain::Timestamp;
use bro_store::{AuditCtx, DynStore, EscortAnswer, EscortPlan};

const H: i64 = 3_600_000;

fn ctx(s: &DemoStaff, at_ms: Timestamp) -> AuditCtx {
    let purpose = if s.username == "ledsager" {
        "escort"
    } else {
        "care-team"
    };
    AuditCtx {
        tenant_id: s.org.0,
        at_ms,
        actor_user_id: Some(s.user),
        actor_role: Some(s.role.as_str().to_owned()),
        actor_unit_id: Some(s.unit),
        purpose,
    }
}

/// Where an appointment's escort stands in the demo.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Escort {
    Open,
    Accepted,
    Declined,
    /// Accepted and, afterwards, the time it took recorded.
    Done,
}

/// The escort for citizen `i`'s next clinic visit, if any (Holstebro's citizens only).
pub(super) fn next_visit(i: usize) -> Option<Escort> {
    match i % 7 {
        1 | 6 => Some(Escort::Open),
        3 => Some(Escort::Accepted),
        5 => Some(Escort::Declined),
        _ => None,
    }
}

/// Asks `service` to escort the citizen to appointment `id` at `starts_ms` as `by` at
/// `asked_ms`, and takes it to `state`.
pub(super) async fn escort(
    store: &DynStore,
    (by, service): (&DemoStaff, &DemoStaff),
    (id, starts_ms, asked_ms): (i64, Timestamp, Timestamp),
    (state, meeting_point): (Escort, &str),
) -> Result<(), String> {
    let e = |e: bro_store::StoreError| e.to_string();
    let note = "Borgeren har svært ved at tage bussen alene.";
    let request = store
        .request_escort(&ctx(by, asked_ms), id, service.unit, note)
        .await
        .map_err(e)?;
    let answer = match state {
        Escort::Open => return Ok(()),
        Escort::Declined => EscortAnswer::Decline("Ingen ledsager ledig den dag.".to_owned()),
        Escort::Accepted | Escort::Done => EscortAnswer::Accept(EscortPlan {
            escort: "Hanne Juul Madsen".to_owned(),
            meeting_point: meeting_point.to_owned(),
            meeting_ms: starts_ms - 3 * H / 4,
        }),
    };
    store
        .answer_escort(&ctx(service, asked_ms + 3 * H), request, &answer)
        .await
        .map_err(e)?;
    if state == Escort::Done {
        store
            .record_escort_time(&ctx(service, starts_ms + 3 * H), request, 150)
            .await
            .map_err(e)?;
    }
    Ok(())
}
