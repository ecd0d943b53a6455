//! Temporary care places (MPO): the unit's beds, the stays an accepted referral books on them,
//! and occupancy per day. Days are Danish calendar days; a stay holds its bed from its start
//! day up to, not including, its end day (the day the citizen leaves, the bed is free again).

use crate::coded::coded;
use time::{Date, Duration};

coded!(
    /// Where the citizen goes when the stay ends.
    NextStep, "care-next-" {
        OwnHome => "own_home",
        HousingOffer => "housing_offer",
        Admission => "admission",
        Forsorgshjem => "forsorgshjem",
        Other => "other",
    }
);

coded!(
    /// What happened to a stay: one row of its history.
    StayAction, "care-action-" {
        Booked => "booked",
        Arrived => "arrived",
        Extended => "extended",
        Ended => "ended",
    }
);

/// A stay lasts 6–8 weeks as a rule: the planned end offered is 7 weeks after the start.
pub const DEFAULT_WEEKS: i64 = 7;
/// The longest a stay may be planned or extended to unless the unit sets otherwise: 12 weeks.
pub const DEFAULT_MAX_DAYS: i64 = 84;

/// The planned end offered for a stay starting `start`.
pub fn default_end(start: Date) -> Date {
    start + Duration::weeks(DEFAULT_WEEKS)
}

/// Why a stay's days cannot be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StayError {
    /// The end is not after the start.
    EndBeforeStart,
    /// Longer than the unit allows.
    TooLong,
    /// The bed is taken (or closed) on one of the days.
    BedTaken,
}

impl StayError {
    pub fn field(self) -> &'static str {
        match self {
            StayError::EndBeforeStart | StayError::TooLong => "planned_end",
            StayError::BedTaken => "bed",
        }
    }

    pub fn message_key(self) -> &'static str {
        match self {
            StayError::EndBeforeStart => "care-error-end-before-start",
            StayError::TooLong => "care-error-too-long",
            StayError::BedTaken => "care-error-bed-taken",
        }
    }
}

/// Checks a stay's planned days against the unit's longest stay.
pub fn check_days(start: Date, end: Date, max_days: i64) -> Result<(), StayError> {
    if end <= start {
        Err(StayError::EndBeforeStart)
    } else if (end - start).whole_days() > max_days {
        Err(StayError::TooLong)
    } else {
        Ok(())
    }
}

/// Whether the half-open spans `[a0, a1)` and `[b0, b1)` share a day.
pub fn overlaps(a0: Date, a1: Date, b0: Date, b1: Date) -> bool {
    a0 < b1 && b0 < a1
}

/// A bed's days out of use: `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closure {
    pub bed: i64,
    pub from: Date,
    pub to: Date,
}

/// The days a stay holds its bed: `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holding {
    pub bed: i64,
    pub from: Date,
    pub to: Date,
}

/// One day's occupancy: beds in use of the beds open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayOccupancy {
    pub day: Date,
    pub used: usize,
    pub open: usize,
}

/// Occupancy for each day from `from` for `days` days.
pub fn occupancy(
    beds: &[i64],
    closures: &[Closure],
    holdings: &[Holding],
    from: Date,
    days: i64,
) -> Vec<DayOccupancy> {
    (0..days)
        .map(|k| {
            let day = from + Duration::days(k);
            let next = day + Duration::days(1);
            let closed = |bed: i64| {
                closures
                    .iter()
                    .any(|c| c.bed == bed && overlaps(c.from, c.to, day, next))
            };
            let open = beds.iter().filter(|b| !closed(**b)).count();
            let used = beds
                .iter()
                .filter(|b| {
                    holdings
                        .iter()
                        .any(|h| h.bed == **b && overlaps(h.from, h.to, day, next))
                })
                .count();
            DayOccupancy { day, used, open }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_stays_days_are_checked() {
        let start = date!(2026 - 12 - 07);
        assert_eq!(default_end(start), date!(2027 - 01 - 25));
        assert_eq!(
            check_days(start, default_end(start), DEFAULT_MAX_DAYS),
            Ok(())
        );
        assert_eq!(check_days(start, start, 84), Err(StayError::EndBeforeStart));
        assert_eq!(
            check_days(start, start + Duration::days(85), 84),
            Err(StayError::TooLong)
        );
        // The day one stay ends, the next may begin in the same bed.
        let end = date!(2026 - 12 - 20);
        assert!(!overlaps(start, end, end, date!(2026 - 12 - 30)));
        assert!(overlaps(
            start,
            end,
            date!(2026 - 12 - 19),
            date!(2026 - 12 - 30)
        ));
    }

    #[test]
    fn occupancy_counts_beds_used_of_beds_open() {
        let d = date!(2026 - 12 - 01);
        let holdings = [
            Holding {
                bed: 1,
                from: d,
                to: d + Duration::days(3),
            },
            Holding {
                bed: 2,
                from: d + Duration::days(1),
                to: d + Duration::days(2),
            },
        ];
        let closures = [Closure {
            bed: 3,
            from: d + Duration::days(2),
            to: d + Duration::days(4),
        }];
        let o = occupancy(&[1, 2, 3], &closures, &holdings, d, 4);
        let pairs: Vec<(usize, usize)> = o.iter().map(|x| (x.used, x.open)).collect();
        assert_eq!(pairs, vec![(1, 3), (2, 3), (1, 2), (0, 2)]);
    }
}

/// The seven principles of the effort (seed: "Fra zoneindsats til samstemt forløb"), by their
/// Fluent keys: shown where the agreement is written, and scored at each review.
pub const PRINCIPLES: [&str; 7] = [
    "principle-care",
    "principle-recovery",
    "principle-outreach",
    "principle-stability",
    "principle-coordinated",
    "principle-expertise",
    "principle-knowledge",
];

/// The review a stay that began `start` and was last reviewed `last` is due at: the first of
/// the unit's review meetings (`meetings`, the days of its fortnightly series) after the start,
/// then the first after the last review. `None` while no such meeting is planned.
pub fn review_due(start: Date, last: Option<Date>, meetings: &[Date]) -> Option<Date> {
    let after = last.unwrap_or(start);
    meetings.iter().copied().filter(|d| *d > after).min()
}

/// The extended collaboration agreement, as written or reviewed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgreementText {
    /// The goals of the stay (the plan's goals, in the stay's words).
    pub goals: String,
    /// What each party does.
    pub parties: String,
    pub medication: String,
    /// Contact with the ward, and virtual visits by its staff.
    pub ward_contact: String,
    /// What happens at discharge.
    pub discharge: String,
    /// Who took part.
    pub participants: String,
}

impl AgreementText {
    /// Every reason the text cannot be saved, by field: (field, Fluent key).
    pub fn check(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        for (field, value) in [("goals", &self.goals), ("participants", &self.participants)] {
            if value.trim().is_empty() {
                out.push((field, "field-required"));
            }
        }
        for (field, value) in [
            ("goals", &self.goals),
            ("parties", &self.parties),
            ("medication", &self.medication),
            ("ward_contact", &self.ward_contact),
            ("discharge", &self.discharge),
            ("participants", &self.participants),
        ] {
            if value.chars().count() > 5_000 {
                out.push((field, "field-too-long"));
            }
        }
        out
    }
}

/// Who takes part in the agreement, by where the citizen came from: from a ward, its staff and
/// the region's social worker; from home, the acute team or the clinic for dual diagnosis with
/// the region's social worker. The Fluent key of the proposal.
pub fn proposed_participants(from_ward: bool) -> &'static str {
    if from_ward {
        "care-participants-ward"
    } else {
        "care-participants-home"
    }
}

#[cfg(test)]
mod review_tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_review_is_due_at_the_first_meeting_after_the_start_then_after_the_last_review() {
        let meetings = [
            date!(2026 - 11 - 25),
            date!(2026 - 12 - 09),
            date!(2026 - 12 - 23),
        ];
        // A stay beginning on a meeting's day is reviewed at the next one.
        assert_eq!(
            review_due(date!(2026 - 11 - 25), None, &meetings),
            Some(date!(2026 - 12 - 09))
        );
        assert_eq!(
            review_due(date!(2026 - 11 - 20), None, &meetings),
            Some(date!(2026 - 11 - 25))
        );
        assert_eq!(
            review_due(
                date!(2026 - 11 - 20),
                Some(date!(2026 - 12 - 09)),
                &meetings
            ),
            Some(date!(2026 - 12 - 23))
        );
        assert_eq!(
            review_due(
                date!(2026 - 11 - 20),
                Some(date!(2026 - 12 - 23)),
                &meetings
            ),
            None,
            "no meeting planned after the last review"
        );
        assert_eq!(review_due(date!(2026 - 11 - 20), None, &[]), None);
    }

    #[test]
    fn an_agreement_needs_goals_and_participants() {
        let mut a = AgreementText::default();
        assert_eq!(
            a.check(),
            vec![
                ("goals", "field-required"),
                ("participants", "field-required")
            ]
        );
        a.goals = "Ro og søvn".into();
        a.participants = "Afsnit P1, socialrådgiver".into();
        assert!(a.check().is_empty());
    }
}
