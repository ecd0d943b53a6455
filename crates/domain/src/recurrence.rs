//! Meeting series, such as Fælles Team meetings "every 4 weeks, 2 hours" or "every 2nd
//! Wednesday". A series is held at a Danish local clock time, so a 10:00 meeting stays at 10:00
//! across summer-time changes while its UTC instant moves by an hour.
//!
//! Moving or cancelling single meetings is the store's business; this only expands the rule.

use crate::Timestamp;
use crate::local_time::from_local;
use time::{Date, Duration, OffsetDateTime, Time, Weekday};

/// The most weeks between two meetings.
pub const MAX_EVERY_WEEKS: u8 = 12;
/// The longest meeting, in minutes.
pub const MAX_MINUTES: u32 = 12 * 60;
/// The most meetings one series may hold (five years of weekly meetings).
pub const MAX_OCCURRENCES: usize = 260;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recurrence {
    /// The first meeting's date; its weekday is the series' weekday.
    pub first: Date,
    /// Local (Danish) start time.
    pub start: Time,
    /// Duration in minutes.
    pub minutes: u32,
    /// Weeks between meetings, 1..=12.
    pub every_weeks: u8,
    /// The last date that may hold a meeting (inclusive).
    pub until: Date,
}

/// One meeting of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub date: Date,
    pub starts_ms: Timestamp,
    pub ends_ms: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RecurrenceError {
    #[error("the last date is before the first")]
    NoDates,
    #[error("a meeting lasts from 1 minute to 12 hours")]
    Duration,
    #[error("meetings are 1 to 12 weeks apart")]
    Interval,
    #[error("a series holds at most 260 meetings")]
    TooMany,
}

impl RecurrenceError {
    /// The Fluent key of the message a user sees.
    pub fn key(&self) -> &'static str {
        match self {
            RecurrenceError::NoDates => "recurrence-no-dates",
            RecurrenceError::Duration => "recurrence-duration",
            RecurrenceError::Interval => "recurrence-interval",
            RecurrenceError::TooMany => "recurrence-too-many",
        }
    }
}

impl Recurrence {
    /// Every meeting of the series, in order. Validates the series first.
    pub fn occurrences(&self) -> Result<Vec<Occurrence>, RecurrenceError> {
        let count = self.count()?;
        let step = Duration::weeks(i64::from(self.every_weeks));
        // The duration is elapsed time: a meeting spanning a switch still lasts `minutes`.
        let length_ms = i64::from(self.minutes) * 60_000;
        let mut out = Vec::with_capacity(count);
        let mut date = Some(self.first);
        while let Some(d) = date.filter(|d| *d <= self.until) {
            // A start in the spring gap moves an hour later (see `from_local`).
            let starts_ms = from_local(d.with_time(self.start));
            out.push(Occurrence {
                date: d,
                starts_ms,
                ends_ms: starts_ms + length_ms,
            });
            date = d.checked_add(step);
        }
        Ok(out)
    }

    /// RFC 5545 RRULE value, e.g. `FREQ=WEEKLY;INTERVAL=4;BYDAY=TU;UNTIL=20271231T225959Z`.
    /// UNTIL is the last second of `until` in Danish time, given in UTC as RFC 5545 requires
    /// when DTSTART carries a TZID.
    pub fn rrule(&self) -> String {
        let end_ms = match self.until.next_day() {
            Some(next) => from_local(next.midnight()) - 1000,
            None => from_local(
                self.until
                    .with_hms(23, 59, 59)
                    .unwrap_or(self.until.midnight()),
            ),
        };
        let utc = OffsetDateTime::from_unix_timestamp(end_ms.div_euclid(1000))
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        format!(
            "FREQ=WEEKLY;INTERVAL={};BYDAY={};UNTIL={:04}{:02}{:02}T{:02}{:02}{:02}Z",
            self.every_weeks,
            weekday_code(self.first.weekday()),
            utc.year(),
            u8::from(utc.month()),
            utc.day(),
            utc.hour(),
            utc.minute(),
            utc.second()
        )
    }

    /// Checks the series and says how many meetings it holds.
    fn count(&self) -> Result<usize, RecurrenceError> {
        if self.every_weeks == 0 || self.every_weeks > MAX_EVERY_WEEKS {
            return Err(RecurrenceError::Interval);
        }
        if self.minutes == 0 || self.minutes > MAX_MINUTES {
            return Err(RecurrenceError::Duration);
        }
        if self.until < self.first {
            return Err(RecurrenceError::NoDates);
        }
        // Counted before expanding, so a series until year 9999 costs nothing to reject.
        let days = (self.until - self.first).whole_days();
        let count = days / (7 * i64::from(self.every_weeks)) + 1;
        match usize::try_from(count) {
            Ok(n) if n <= MAX_OCCURRENCES => Ok(n),
            _ => Err(RecurrenceError::TooMany),
        }
    }
}

fn weekday_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "MO",
        Weekday::Tuesday => "TU",
        Weekday::Wednesday => "WE",
        Weekday::Thursday => "TH",
        Weekday::Friday => "FR",
        Weekday::Saturday => "SA",
        Weekday::Sunday => "SU",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local_time::to_local;
    use time::macros::{date, datetime, time};

    fn ms(t: OffsetDateTime) -> Timestamp {
        t.unix_timestamp() * 1000
    }

    fn series(first: Date, until: Date, every_weeks: u8) -> Recurrence {
        Recurrence {
            first,
            start: time!(10:00),
            minutes: 120,
            every_weeks,
            until,
        }
    }

    #[test]
    fn every_four_weeks_for_a_year() -> Result<(), RecurrenceError> {
        // Tuesday 6 January 2026 to the end of the year.
        let r = series(date!(2026 - 01 - 06), date!(2026 - 12 - 31), 4);
        let all = r.occurrences()?;
        assert_eq!(all.len(), 13);
        assert!(all.iter().all(|o| o.date.weekday() == Weekday::Tuesday));
        for pair in all.windows(2) {
            if let [a, b] = pair {
                assert_eq!((b.date - a.date).whole_days(), 28);
            }
        }
        assert!(all.iter().all(|o| o.ends_ms - o.starts_ms == 2 * 3_600_000));
        assert_eq!(all.last().map(|o| o.date), Some(date!(2026 - 12 - 08)));
        assert_eq!(
            r.rrule(),
            "FREQ=WEEKLY;INTERVAL=4;BYDAY=TU;UNTIL=20261231T225959Z"
        );
        // A year that starts on the first weekday of January holds 14 when it fits.
        let long = series(date!(2026 - 01 - 01), date!(2026 - 12 - 31), 4).occurrences()?;
        assert_eq!(long.len(), 14);
        Ok(())
    }

    #[test]
    fn until_is_inclusive() -> Result<(), RecurrenceError> {
        let r = series(date!(2026 - 01 - 06), date!(2026 - 02 - 03), 4);
        assert_eq!(r.occurrences()?.len(), 2);
        let r = series(date!(2026 - 01 - 06), date!(2026 - 02 - 02), 4);
        assert_eq!(r.occurrences()?.len(), 1);
        let one_day = series(date!(2026 - 01 - 06), date!(2026 - 01 - 06), 4);
        assert_eq!(one_day.occurrences()?.len(), 1);
        Ok(())
    }

    #[test]
    fn every_second_wednesday() -> Result<(), RecurrenceError> {
        let r = series(date!(2026 - 01 - 07), date!(2026 - 03 - 04), 2);
        let dates: Vec<Date> = r.occurrences()?.iter().map(|o| o.date).collect();
        assert_eq!(
            dates,
            vec![
                date!(2026 - 01 - 07),
                date!(2026 - 01 - 21),
                date!(2026 - 02 - 04),
                date!(2026 - 02 - 18),
                date!(2026 - 03 - 04),
            ]
        );
        assert_eq!(
            r.rrule(),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;UNTIL=20260304T225959Z"
        );
        Ok(())
    }

    #[test]
    fn keeps_local_time_across_summer_time() -> Result<(), RecurrenceError> {
        // Weekly on Sundays through both 2026 switch days.
        let r = series(date!(2026 - 03 - 22), date!(2026 - 11 - 01), 1);
        let all = r.occurrences()?;
        let at = |d: Date| {
            all.iter()
                .find(|o| o.date == d)
                .map(|o| o.starts_ms)
                .expect("a meeting that day")
        };
        assert_eq!(
            at(date!(2026 - 03 - 22)),
            ms(datetime!(2026-03-22 09:00 UTC))
        );
        assert_eq!(
            at(date!(2026 - 03 - 29)),
            ms(datetime!(2026-03-29 08:00 UTC))
        );
        assert_eq!(
            at(date!(2026 - 07 - 05)),
            ms(datetime!(2026-07-05 08:00 UTC))
        );
        assert_eq!(
            at(date!(2026 - 10 - 18)),
            ms(datetime!(2026-10-18 08:00 UTC))
        );
        assert_eq!(
            at(date!(2026 - 10 - 25)),
            ms(datetime!(2026-10-25 09:00 UTC))
        );
        assert_eq!(
            at(date!(2026 - 11 - 01)),
            ms(datetime!(2026-11-01 09:00 UTC))
        );
        assert!(
            all.iter()
                .all(|o| to_local(o.starts_ms).time() == time!(10:00))
        );
        // UNTIL in winter time: local 23:59:59 is 22:59:59 UTC.
        assert_eq!(
            r.rrule(),
            "FREQ=WEEKLY;INTERVAL=1;BYDAY=SU;UNTIL=20261101T225959Z"
        );
        Ok(())
    }

    #[test]
    fn until_in_summer_time() {
        let r = series(date!(2026 - 06 - 03), date!(2026 - 06 - 30), 1);
        assert_eq!(
            r.rrule(),
            "FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;UNTIL=20260630T215959Z"
        );
    }

    #[test]
    fn start_in_the_spring_gap_moves_an_hour_later() -> Result<(), RecurrenceError> {
        let r = Recurrence {
            start: time!(02:30),
            ..series(date!(2026 - 03 - 22), date!(2026 - 04 - 05), 1)
        };
        let local: Vec<_> = r
            .occurrences()?
            .iter()
            .map(|o| to_local(o.starts_ms))
            .collect();
        assert_eq!(
            local,
            vec![
                datetime!(2026-03-22 02:30),
                datetime!(2026-03-29 03:30),
                datetime!(2026-04-05 02:30),
            ]
        );
        Ok(())
    }

    #[test]
    fn rejects_bad_series() {
        let ok = series(date!(2026 - 01 - 07), date!(2026 - 12 - 31), 2);
        let no_dates = Recurrence {
            until: date!(2026 - 01 - 06),
            ..ok
        };
        assert_eq!(no_dates.occurrences(), Err(RecurrenceError::NoDates));
        for minutes in [0, MAX_MINUTES + 1] {
            let r = Recurrence { minutes, ..ok };
            assert_eq!(r.occurrences(), Err(RecurrenceError::Duration));
        }
        assert!(
            Recurrence {
                minutes: MAX_MINUTES,
                ..ok
            }
            .occurrences()
            .is_ok()
        );
        for every_weeks in [0, MAX_EVERY_WEEKS + 1] {
            let r = Recurrence { every_weeks, ..ok };
            assert_eq!(r.occurrences(), Err(RecurrenceError::Interval));
        }
        assert!(
            Recurrence {
                every_weeks: 12,
                ..ok
            }
            .occurrences()
            .is_ok()
        );
        assert_eq!(RecurrenceError::TooMany.key(), "recurrence-too-many");
        assert_eq!(RecurrenceError::NoDates.key(), "recurrence-no-dates");
    }

    #[test]
    fn too_many_meetings() -> Result<(), RecurrenceError> {
        // Weekly: 260 meetings fit, 261 do not.
        let first = date!(2026 - 01 - 07);
        let last_ok = first + Duration::weeks(259);
        assert_eq!(series(first, last_ok, 1).occurrences()?.len(), 260);
        let r = series(first, last_ok + Duration::weeks(1), 1);
        assert_eq!(r.occurrences(), Err(RecurrenceError::TooMany));
        let r = series(first, Date::MAX, 12);
        assert_eq!(r.occurrences(), Err(RecurrenceError::TooMany));
        Ok(())
    }
}
