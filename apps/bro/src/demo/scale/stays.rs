//! Stays at the generated municipalities' MPO units: one in 20 citizens of a municipality (by
//! their place in it) with an open course is referred to its MPO by their coordinator, accepted
//! by the unit's function leader and booked on a bed. Each bed's time is cut into windows of
//! ten weeks with one stay each, counted back from the world's "now": the latest window holds
//! the stays under way (and a few waiting to start), the earlier ones past stays, discharged to
//! a next step. So no bed is ever booked twice for a day, whichever chunk writes the stay.

use super::layout::{Staff, bed_id};
use super::writer::ChunkWriter;
use super::{ANCHOR_MS, DAY_MS, offers};
use bro_audit::AuditAction;
use bro_domain::CitizenId;
use bro_domain::care_place::{NextStep, StayAction};
use bro_domain::local_time::{from_local, to_local};
use bro_domain::referral::ReferralStatus as S;
use bro_store::AuditEvent;
use time::{Date, Duration, Time};

/// One in this many citizens of a municipality is an MPO slot.
const EVERY: usize = 20;
/// Days of a bed's window: the latest start (two weeks in) plus the longest stay (eight weeks).
const WINDOW: i64 = 70;

/// 10:00 on `day`, Danish time.
fn at_ten(day: Date) -> i64 {
    from_local(day.with_time(Time::from_hms(10, 0, 0).expect("10:00 is a time")))
}

/// Where slot `s` of a unit with `beds` beds lies: its bed, start and end day.
fn slot(s: i64, beds: i64) -> (i64, Date, Date) {
    let (bed, back) = (s % beds, s / beds);
    let offset = match s % 3 {
        0 => 0,
        1 => 7,
        _ if back == 0 => 21,
        _ => 14,
    };
    let anchor = to_local(ANCHOR_MS).date();
    let start = anchor - Duration::days(14 + back * WINDOW - offset);
    (bed, start, start + Duration::days(42 + (s * 5) % 15))
}

impl ChunkWriter<'_> {
    /// Refers generated citizen `i` (of municipality `m`, open course `course` opened at
    /// `opened`, coordinator `lead`) to the MPO with a stay, if the citizen is one of its slots
    /// and the stay falls within the course. Says whether it did.
    pub(super) fn mpo_stay(
        &mut self,
        (i, citizen): (usize, i64),
        (course, opened): (i64, i64),
        m: usize,
        lead: &Staff,
    ) -> bool {
        let layout = self.layout;
        let j = i / layout.munis.len();
        if j % EVERY != EVERY / 2 {
            return false;
        }
        let (bed, start, end) = slot((j / EVERY) as i64, layout.beds);
        let (referred, decided) = (at_ten(start) - 10 * DAY_MS, at_ten(start) - 8 * DAY_MS);
        if referred < opened {
            return false;
        }
        let arrived = (at_ten(start) <= ANCHOR_MS).then(|| at_ten(start));
        let ended = (at_ten(end) <= ANCHOR_MS).then(|| at_ten(end));
        let status = match (arrived, ended) {
            (_, Some(_)) => S::Completed,
            (Some(_), None) => S::InProgress,
            _ => S::Accepted,
        };
        let leader = &layout.mpo[m];
        self.ids.referral += 1;
        let referral = self.ids.referral;
        self.referrals.push(vec![
            referral.into(),
            course.into(),
            citizen.into(),
            offers::mpo_offer_id(layout, m).into(),
            leader.unit.into(),
            leader.org.into(),
            lead.user.into(),
            lead.org.into(),
            "own_municipality".into(),
            status.as_str().into(),
            "urgent".into(),
            "Forværring, kan ikke klare sig hjemme lige nu".into(),
            "Flere samtaler om ugen i rusmiddelcentret".into(),
            "Ro og et sted at sove, tæt på mit netværk".into(),
            true.into(),
            referred.into(),
            Some(referred).into(),
            Some(decided).into(),
            Some(leader.user).into(),
            "serviceloven_107".into(),
            "Opfylder målgruppen for et midlertidigt ophold".into(),
            (2 + i64::from(arrived.is_some()) + i64::from(ended.is_some())).into(),
        ]);
        let mut steps = vec![
            (referred, lead, "create", None, S::Requested),
            (decided, leader, "accept", Some(S::Requested), S::Accepted),
        ];
        steps.extend(arrived.map(|at| (at, leader, "start", Some(S::Accepted), S::InProgress)));
        steps.extend(ended.map(|at| (at, leader, "complete", Some(S::InProgress), S::Completed)));
        for (at, by, action, from, to) in steps {
            let step = (action, from.map(S::as_str), to.as_str());
            self.referral_step(referral, at, by, step);
        }
        let created = AuditEvent::allowed(AuditAction::ReferralCreated)
            .subject(CitizenId(citizen))
            .object(format!("referral:{referral}"));
        self.record(lead, referred, "care-team", created);
        self.stay(
            referral,
            (course, citizen),
            (bed_id(layout, m, bed), start, end),
            (decided, arrived, ended),
            leader,
        );
        true
    }

    /// The stay of `referral` on `bed`, its history on the stay and the course timeline, and
    /// its first agreement when the citizen arrived.
    fn stay(
        &mut self,
        referral: i64,
        (course, citizen): (i64, i64),
        (bed, start, end): (i64, Date, Date),
        (booked, arrived, ended): (i64, Option<i64>, Option<i64>),
        leader: &Staff,
    ) {
        self.ids.stay += 1;
        let stay = self.ids.stay;
        let next = NextStep::ALL[(stay % NextStep::ALL.len() as i64) as usize];
        self.stays.push(vec![
            stay.into(),
            referral.into(),
            leader.unit.into(),
            bed.into(),
            start.to_string().into(),
            end.to_string().into(),
            arrived.into(),
            ended.is_some().into(),
            ended.map(|_| next.as_str().to_owned()).into(),
            (1 + i64::from(arrived.is_some()) + i64::from(ended.is_some())).into(),
            booked.into(),
        ]);
        let mut history = vec![(booked, StayAction::Booked)];
        history.extend(arrived.map(|at| (at, StayAction::Arrived)));
        history.extend(ended.map(|at| (at, StayAction::Ended)));
        for (at, action) in history {
            self.ids.stay_event += 1;
            self.stay_events.push(vec![
                self.ids.stay_event.into(),
                stay.into(),
                at.into(),
                Some(leader.user).into(),
                action.as_str().into(),
                "".into(),
            ]);
            let kind = format!("stay_{}", action.as_str());
            self.event(course, at, leader, &kind, &referral.to_string());
            let event = AuditEvent::allowed(AuditAction::StayChanged)
                .subject(CitizenId(citizen))
                .object(format!("stay:{stay}"));
            self.record(leader, at, "referral", event);
        }
        if let Some(at) = arrived {
            self.agreements.push(vec![
                stay.into(),
                1i64.into(),
                "Ro på, faste måltider og søvn; en plan for hjemkomsten".into(),
                "MPO: døgnstøtte. Rusmiddelcentret: samtaler. Egen læge: medicin".into(),
                "Som ordineret af egen læge".into(),
                "Afdelingen kan kontaktes døgnet rundt".into(),
                "Hjem med bostøtte, eller videre til et botilbud".into(),
                leader.name.clone().into(),
                None::<String>.into(),
                "".into(),
                "".into(),
                Some(leader.user).into(),
                at.into(),
            ]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slots_of_a_bed_never_overlap_and_the_latest_is_under_way_or_waiting() {
        let beds = 8;
        let anchor = to_local(ANCHOR_MS).date();
        for bed in 0..beds {
            let mut last_end = None;
            for back in (0..10).rev() {
                let (b, start, end) = slot(back * beds + bed, beds);
                assert_eq!(b, bed);
                assert!(end > start && (end - start).whole_days() <= 56);
                if let Some(previous) = last_end {
                    assert!(start >= previous, "slot {back} of bed {bed} overlaps");
                }
                last_end = Some(end);
                if back == 0 {
                    assert!(end > anchor, "the latest window is not over");
                } else {
                    assert!(end <= anchor, "an earlier window has ended");
                }
            }
        }
    }
}
