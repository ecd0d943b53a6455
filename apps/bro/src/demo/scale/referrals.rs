//! Referrals in the generated world: three in ten citizens with an open course referred by
//! their coordinator to their municipality's housing support (the "Bostøtte … Nord" offer of
//! `scale::offers`), in the states a year of visitation leaves, decided by the municipality's
//! visitator. Each with its first step and its audit record.

use super::layout::Staff;
use super::writer::ChunkWriter;
use super::{ANCHOR_MS, DAY_MS};
use bro_audit::AuditAction;
use bro_domain::CitizenId;
use bro_store::AuditEvent;
use rand::Rng;

/// The municipal offer kind referred to (Bostøtte) and its unit (social psychiatry).
const KIND: i64 = 2;
const UNIT: i64 = 1;
impl ChunkWriter<'_> {
    /// One step of referral `id`'s history, by `by`: (action, from, to).
    pub(super) fn referral_step(
        &mut self,
        id: i64,
        at: i64,
        by: &Staff,
        (action, from, to): (&str, Option<&str>, &str),
    ) {
        self.ids.referral_event += 1;
        self.referral_events.push(vec![
            self.ids.referral_event.into(),
            id.into(),
            at.into(),
            Some(by.user).into(),
            Some(by.org).into(),
            action.into(),
            from.map(str::to_owned).into(),
            to.into(),
            "".into(),
        ]);
    }

    /// Refers the citizen of open course `course` in municipality `m`, by `lead`.
    pub(super) fn referral(&mut self, citizen: i64, course: i64, m: usize, lead: &Staff) {
        let layout = self.layout;
        let muni = &layout.munis[m];
        let offer = layout.bases.offer + 1 + m as i64 * 30 + KIND * 3;
        let unit = muni.coordinators[0].unit + UNIT;
        let at = ANCHOR_MS - self.rng.gen_range(DAY_MS..365 * DAY_MS);
        let (status, decided) = match self.rng.gen_range(0..100) {
            0..30 => ("requested", false),
            30..50 => ("received", false),
            50..70 => ("accepted", true),
            70..85 => ("rejected", true),
            _ => ("completed", true),
        };
        let urgency = ["routine", "urgent", "asap"][self.rng.gen_range(0..3)];
        let visitator = &muni.visitators[citizen as usize % muni.visitators.len()];
        let decided_ms = decided.then(|| at + self.rng.gen_range(DAY_MS..30 * DAY_MS));
        self.ids.referral += 1;
        let id = self.ids.referral;
        self.referrals.push(vec![
            id.into(),
            course.into(),
            citizen.into(),
            offer.into(),
            unit.into(),
            muni.org.into(),
            lead.user.into(),
            lead.org.into(),
            "own_municipality".into(),
            status.into(),
            urgency.into(),
            "Brug for støtte i hverdagen efter forværring".into(),
            "Samtaler i rusmiddelcentret".into(),
            "Hjælp til at holde styr på aftaler".into(),
            true.into(),
            at.into(),
            Some(at).into(),
            decided_ms.into(),
            decided_ms.map(|_| visitator.user).into(),
            (if decided { "serviceloven_85" } else { "" }).into(),
            (if decided { "Vurderet efter § 85" } else { "" }).into(),
            (1 + i64::from(decided)).into(),
        ]);
        self.referral_step(id, at, lead, ("create", None, "requested"));
        if let Some(when) = decided_ms {
            let action = if status == "rejected" {
                "reject"
            } else {
                "accept"
            };
            self.referral_step(id, when, visitator, (action, Some("requested"), status));
        }
        let event = AuditEvent::allowed(AuditAction::ReferralCreated)
            .subject(CitizenId(citizen))
            .object(format!("referral:{id}"));
        self.record(lead, at, "care-team", event);
    }
}
