//! Acute readmissions, by the official definition (eSundhed, the Danish health data
//! authority's indicator rules):
//!
//! - Physical contacts that overlap or lie at most 4 hours apart form one hospital stay
//!   (sygehusophold).
//! - Only a hospital stay of at least 12 hours counts as an admission.
//! - An acute readmission is an acute admission that starts within 30 days after the discharge
//!   from an earlier admission.
//!
//! A stay is an inpatient stay when one of its contacts is an inpatient contact, and acute when
//! its first contact is: HospitalNotification carries no priority, so an acute ambulant
//! contact (EMER) is acute and an inpatient admission is taken as acute unless it was
//! registered as planned (for this target group, nearly every psychiatric admission is acute).

use crate::Timestamp;
use crate::hospital::EncounterClass;

const HOUR_MS: i64 = 60 * 60 * 1000;
/// Contacts this close (or overlapping) are one hospital stay.
pub const MERGE_GAP_MS: i64 = 4 * HOUR_MS;
/// A stay must last this long to count as an admission.
pub const MIN_ADMISSION_MS: i64 = 12 * HOUR_MS;
/// An acute admission this soon after a discharge is a readmission.
pub const WINDOW_MS: i64 = 30 * 24 * HOUR_MS;

/// One physical contact with the hospital.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contact {
    pub start: Timestamp,
    /// `None` while the citizen is still there.
    pub end: Option<Timestamp>,
    pub inpatient: bool,
    pub acute: bool,
}

impl Contact {
    /// A contact as a hospital notifies it: acute, as the rule above takes every notified
    /// contact to be.
    pub fn notified(class: EncounterClass, start: Timestamp, end: Option<Timestamp>) -> Self {
        Contact {
            start,
            end,
            inpatient: class == EncounterClass::Inpatient,
            acute: true,
        }
    }
}

/// Contacts joined into one hospital stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HospitalStay {
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    pub inpatient: bool,
    pub acute: bool,
}

impl HospitalStay {
    /// Whether the stay counts as an admission at `now` (an ongoing stay counts once it has
    /// lasted 12 hours).
    pub fn is_admission(&self, now: Timestamp) -> bool {
        self.inpatient && self.end.unwrap_or(now) - self.start >= MIN_ADMISSION_MS
    }
}

/// The hospital stays `contacts` form, in time order.
pub fn hospital_stays(contacts: &[Contact]) -> Vec<HospitalStay> {
    let mut sorted = contacts.to_vec();
    sorted.sort_by_key(|c| (c.start, c.end.is_none(), c.end));
    let mut stays: Vec<HospitalStay> = Vec::new();
    for c in sorted {
        if let Some(stay) = stays.last_mut() {
            let joins = match stay.end {
                None => true,
                Some(end) => c.start - end <= MERGE_GAP_MS,
            };
            if joins {
                stay.end = match (stay.end, c.end) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
                stay.inpatient |= c.inpatient;
                continue;
            }
        }
        stays.push(HospitalStay {
            start: c.start,
            end: c.end,
            inpatient: c.inpatient,
            acute: c.acute,
        });
    }
    stays
}

/// An acute readmission: the admission and the discharge it came within 30 days of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Readmission {
    pub admitted: Timestamp,
    pub after_discharge: Timestamp,
}

/// The acute readmissions among `contacts`, as of `now`, in time order.
pub fn readmissions(contacts: &[Contact], now: Timestamp) -> Vec<Readmission> {
    let admissions: Vec<HospitalStay> = hospital_stays(contacts)
        .into_iter()
        .filter(|s| s.is_admission(now))
        .collect();
    let mut found = Vec::new();
    for pair in admissions.windows(2) {
        let (before, after) = (pair[0], pair[1]);
        if let Some(discharged) = before.end
            && after.acute
            && after.start - discharged <= WINDOW_MS
        {
            found.push(Readmission {
                admitted: after.start,
                after_discharge: discharged,
            });
        }
    }
    found
}

/// Whether the hospital stay that the contact starting at `start` belongs to is an acute
/// readmission, judged as it begins: the care team is told at admission, before the stay has
/// lasted the 12 hours the indicator waits for, so an ongoing stay is taken to last them (the
/// count in [`readmissions_last_year`] still leaves out one that ends sooner).
pub fn begins_readmission(contacts: &[Contact], start: Timestamp, now: Timestamp) -> bool {
    let Some(stay) = hospital_stays(contacts)
        .into_iter()
        .find(|s| s.start <= start && s.end.is_none_or(|end| start <= end))
    else {
        return false;
    };
    readmissions(contacts, now.max(stay.start + MIN_ADMISSION_MS))
        .iter()
        .any(|r| r.admitted == stay.start)
}

/// How far back a citizen's readmissions are counted ("3 genindlæggelser på 12 måneder").
pub const COUNTED_MS: Timestamp = 365 * 24 * HOUR_MS;

/// The number of acute readmissions among `contacts` that began in the 12 months up to `now`.
pub fn readmissions_last_year(contacts: &[Contact], now: Timestamp) -> usize {
    readmissions(contacts, now)
        .iter()
        .filter(|r| now - r.admitted <= COUNTED_MS)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = HOUR_MS;
    const MIN: i64 = 60 * 1000;
    const DAY: i64 = 24 * H;

    fn contact(start: i64, end: i64) -> Contact {
        Contact {
            start,
            end: Some(end),
            inpatient: true,
            acute: true,
        }
    }

    /// Hand-computed cases: (what, contacts, now, readmissions expected).
    #[test]
    fn the_rule_table() {
        let now = 400 * DAY;
        let cases: Vec<(&str, Vec<Contact>, usize)> = vec![
            (
                "admitted again exactly 30 days after the discharge",
                vec![contact(0, 2 * DAY), contact(32 * DAY, 35 * DAY)],
                1,
            ),
            (
                "30 days and one minute after the discharge",
                vec![contact(0, 2 * DAY), contact(32 * DAY + MIN, 35 * DAY)],
                0,
            ),
            (
                "the earlier stay lasted 11:59 h: not an admission",
                vec![contact(0, 12 * H - MIN), contact(5 * DAY, 8 * DAY)],
                0,
            ),
            (
                "the earlier stay lasted 12:00 h: an admission",
                vec![contact(0, 12 * H), contact(5 * DAY, 8 * DAY)],
                1,
            ),
            (
                "the later stay lasted 11:59 h: not an admission",
                vec![
                    contact(0, 2 * DAY),
                    contact(5 * DAY, 5 * DAY + 12 * H - MIN),
                ],
                0,
            ),
            (
                "a gap of exactly 4:00 h joins two contacts into one stay",
                vec![contact(0, 2 * DAY), contact(2 * DAY + 4 * H, 3 * DAY)],
                0,
            ),
            (
                "a gap of 4:01 h makes two stays, the second a readmission",
                vec![contact(0, 2 * DAY), contact(2 * DAY + 4 * H + MIN, 3 * DAY)],
                1,
            ),
            (
                "two 8-hour contacts 3 hours apart are one stay of 19 h",
                vec![
                    contact(0, 8 * H),
                    contact(11 * H, 19 * H),
                    contact(10 * DAY, 12 * DAY),
                ],
                1,
            ),
            (
                "overlapping contacts are one stay",
                vec![contact(0, 3 * DAY), contact(DAY, 2 * DAY)],
                0,
            ),
            (
                "a planned admission after a discharge is not an acute readmission",
                vec![
                    contact(0, 2 * DAY),
                    Contact {
                        acute: false,
                        ..contact(10 * DAY, 12 * DAY)
                    },
                ],
                0,
            ),
            (
                "an acute ambulant contact of 6 h after a discharge is not an admission",
                vec![
                    contact(0, 2 * DAY),
                    Contact {
                        inpatient: false,
                        ..contact(10 * DAY, 10 * DAY + 6 * H)
                    },
                ],
                0,
            ),
            (
                "an acute ambulant contact that turns into an admission within 4 h",
                vec![
                    contact(0, 2 * DAY),
                    Contact {
                        inpatient: false,
                        ..contact(10 * DAY, 10 * DAY + 5 * H)
                    },
                    contact(10 * DAY + 6 * H, 14 * DAY),
                ],
                1,
            ),
            (
                "three admissions, each within 30 days of the one before",
                vec![
                    contact(0, 2 * DAY),
                    contact(20 * DAY, 22 * DAY),
                    contact(40 * DAY, 45 * DAY),
                ],
                2,
            ),
        ];
        for (what, contacts, expected) in cases {
            assert_eq!(readmissions(&contacts, now).len(), expected, "{what}");
        }
        // The ongoing one: counted once it has lasted 12 hours, right after its discharge.
        let ongoing = [
            contact(now - 10 * DAY, now - 8 * DAY),
            Contact {
                end: None,
                ..contact(now - 12 * H, 0)
            },
        ];
        assert_eq!(
            readmissions(&ongoing, now),
            vec![Readmission {
                admitted: now - 12 * H,
                after_discharge: now - 8 * DAY
            }]
        );
        assert!(readmissions(&ongoing, now - MIN).is_empty());
    }

    #[test]
    fn a_readmission_is_known_as_it_begins() {
        let now = 100 * DAY;
        let admitted_now = Contact {
            end: None,
            ..contact(now, 0)
        };
        let discharged =
            |days_ago: i64| contact(now - days_ago * DAY - 3 * DAY, now - days_ago * DAY);
        // Within 30 days of a discharge: told at once, though the count waits 12 hours.
        let soon = [discharged(10), admitted_now];
        assert!(begins_readmission(&soon, now, now));
        assert!(readmissions(&soon, now).is_empty());
        // A contact joining the ongoing stay later belongs to the same readmission.
        let moved = [
            discharged(10),
            admitted_now,
            contact(now + 2 * H, now + DAY),
        ];
        assert!(begins_readmission(&moved, now + 2 * H, now + 2 * H));
        // After 31 days, a first admission, a planned one, or an ambulant contact: not told.
        assert!(!begins_readmission(
            &[discharged(31), admitted_now],
            now,
            now
        ));
        assert!(!begins_readmission(&[admitted_now], now, now));
        let planned = Contact {
            acute: false,
            ..admitted_now
        };
        assert!(!begins_readmission(&[discharged(10), planned], now, now));
        let ambulant = Contact {
            inpatient: false,
            ..admitted_now
        };
        assert!(!begins_readmission(&[discharged(10), ambulant], now, now));
        // An earlier stay too short to be an admission does not make one.
        let short = contact(now - 5 * DAY, now - 5 * DAY + 6 * H);
        assert!(!begins_readmission(&[short, admitted_now], now, now));
        // No stay at that moment: nothing to tell.
        assert!(!begins_readmission(&soon, now - 5 * DAY, now));
    }

    #[test]
    fn the_count_covers_the_last_12_months() {
        let now = 1_000 * DAY;
        // A stay and a readmission 10 days after it, the readmission `ago` before now.
        let pair = |ago: i64| {
            [
                contact(now - ago - 12 * DAY, now - ago - 10 * DAY),
                contact(now - ago, now - ago + DAY),
            ]
        };
        assert_eq!(readmissions_last_year(&pair(365 * DAY), now), 1);
        assert_eq!(readmissions_last_year(&pair(365 * DAY + MIN), now), 0);
    }
}
