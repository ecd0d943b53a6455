//! Danish wall-clock time (Europe/Copenhagen). The store keeps UTC instants; people read and
//! type local times. The EU rule is fixed in law, so it is computed here rather than read from
//! a time-zone database: summer time (UTC+2) from 01:00 UTC on the last Sunday of March to
//! 01:00 UTC on the last Sunday of October, otherwise UTC+1.

use crate::Timestamp;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Weekday};

/// The IANA name of the zone, as calendars and browsers know it.
pub const ZONE: &str = "Europe/Copenhagen";

const HOUR_MS: i64 = 3_600_000;

/// A clock time typed as `HH:MM` (what `<input type="time">` sends).
pub fn parse_clock(s: &str) -> Option<time::Time> {
    time::Time::parse(
        s.trim(),
        time::macros::format_description!("[hour]:[minute]"),
    )
    .ok()
}

/// UTC offset in whole hours at an instant (1 or 2).
pub fn offset_hours(ms: Timestamp) -> i64 {
    let t = utc(ms);
    let year = t.year();
    let summer = switch_ms(year, Month::March)..switch_ms(year, Month::October);
    if summer.contains(&ms) { 2 } else { 1 }
}

/// The Danish wall-clock time at an instant. Instants outside the years the `time` crate
/// handles (±9999) come out as the epoch.
pub fn to_local(ms: Timestamp) -> PrimitiveDateTime {
    let local = utc(ms) + time::Duration::hours(offset_hours(ms));
    PrimitiveDateTime::new(local.date(), local.time())
}

/// Local wall time to instant. A time in the spring gap (02:00–02:59 on the last Sunday of
/// March) does not exist: it is moved one hour later (as RFC 5545 says). An ambiguous time in
/// October (02:00–02:59 twice) means the first one (summer time).
pub fn from_local(local: PrimitiveDateTime) -> Timestamp {
    let as_utc = local.assume_utc();
    let wall_ms = as_utc.unix_timestamp() * 1000 + i64::from(as_utc.millisecond());
    // Summer time first, so the ambiguous October hour resolves to its first occurrence.
    let summer = wall_ms - 2 * HOUR_MS;
    if offset_hours(summer) == 2 {
        return summer;
    }
    // Winter time; a time in the spring gap also lands here, read with the offset in force
    // before the gap, which is the wall time one hour later.
    wall_ms - HOUR_MS
}

/// Local wall time to instant, or `None` for a time in the spring gap, which no clock shows:
/// for what a person books, where moving it silently would be wrong.
pub fn from_local_exact(local: PrimitiveDateTime) -> Option<Timestamp> {
    let ms = from_local(local);
    (to_local(ms) == local).then_some(ms)
}

/// The instant of a summer-time switch: 01:00 UTC on the last Sunday of `month`.
fn switch_ms(year: i32, month: Month) -> Timestamp {
    let mut day = Date::from_calendar_date(year, month, month.length(year)).unwrap_or(Date::MIN);
    while day.weekday() != Weekday::Sunday {
        match day.previous_day() {
            Some(d) => day = d,
            None => break,
        }
    }
    day.midnight().assume_utc().unix_timestamp() * 1000 + HOUR_MS
}

fn utc(ms: Timestamp) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn ms(t: OffsetDateTime) -> Timestamp {
        t.unix_timestamp() * 1000
    }

    #[test]
    fn spring_switch_2026() {
        // Sunday 29 March 2026: 00:59:59 UTC is 01:59:59 winter time, 01:00 UTC is 03:00.
        let before = ms(datetime!(2026-03-29 00:59:59 UTC));
        let after = ms(datetime!(2026-03-29 01:00 UTC));
        assert_eq!(offset_hours(before), 1);
        assert_eq!(offset_hours(after), 2);
        assert_eq!(to_local(before), datetime!(2026-03-29 01:59:59));
        assert_eq!(to_local(after), datetime!(2026-03-29 03:00));
    }

    #[test]
    fn autumn_switch_2026() {
        // Sunday 25 October 2026: 00:59:59 UTC is 02:59:59 summer time, 01:00 UTC is 02:00.
        let before = ms(datetime!(2026-10-25 00:59:59 UTC));
        let after = ms(datetime!(2026-10-25 01:00 UTC));
        assert_eq!(offset_hours(before), 2);
        assert_eq!(offset_hours(after), 1);
        assert_eq!(to_local(before), datetime!(2026-10-25 02:59:59));
        assert_eq!(to_local(after), datetime!(2026-10-25 02:00));
    }

    #[test]
    fn switches_2027() {
        // 2027: last Sundays are 28 March and 31 October.
        assert_eq!(offset_hours(ms(datetime!(2027-03-28 00:59 UTC))), 1);
        assert_eq!(offset_hours(ms(datetime!(2027-03-28 01:00 UTC))), 2);
        assert_eq!(offset_hours(ms(datetime!(2027-10-31 00:59 UTC))), 2);
        assert_eq!(offset_hours(ms(datetime!(2027-10-31 01:00 UTC))), 1);
        // A week earlier nothing has switched yet.
        assert_eq!(offset_hours(ms(datetime!(2027-03-21 12:00 UTC))), 1);
        assert_eq!(offset_hours(ms(datetime!(2027-10-24 12:00 UTC))), 2);
    }

    #[test]
    fn from_local_ordinary_times() {
        assert_eq!(
            from_local(datetime!(2026-01-14 10:00)),
            ms(datetime!(2026-01-14 09:00 UTC))
        );
        assert_eq!(
            from_local(datetime!(2026-07-15 10:00)),
            ms(datetime!(2026-07-15 08:00 UTC))
        );
        // Midnight on both switch days, and the hours just around each switch.
        assert_eq!(
            from_local(datetime!(2026-03-29 00:00)),
            ms(datetime!(2026-03-28 23:00 UTC))
        );
        assert_eq!(
            from_local(datetime!(2026-03-29 01:59)),
            ms(datetime!(2026-03-29 00:59 UTC))
        );
        assert_eq!(
            from_local(datetime!(2026-03-29 03:00)),
            ms(datetime!(2026-03-29 01:00 UTC))
        );
        assert_eq!(
            from_local(datetime!(2026-10-25 00:00)),
            ms(datetime!(2026-10-24 22:00 UTC))
        );
        assert_eq!(
            from_local(datetime!(2026-10-25 03:00)),
            ms(datetime!(2026-10-25 02:00 UTC))
        );
        assert_eq!(
            from_local(datetime!(2026-10-26 00:00)),
            ms(datetime!(2026-10-25 23:00 UTC))
        );
    }

    #[test]
    fn spring_gap_moves_one_hour_later() {
        for (gap, real) in [
            (datetime!(2026-03-29 02:00), datetime!(2026-03-29 03:00)),
            (datetime!(2026-03-29 02:30), datetime!(2026-03-29 03:30)),
            (datetime!(2026-03-29 02:59), datetime!(2026-03-29 03:59)),
            (datetime!(2027-03-28 02:15), datetime!(2027-03-28 03:15)),
        ] {
            assert_eq!(to_local(from_local(gap)), real, "{gap}");
        }
        assert_eq!(
            from_local(datetime!(2026-03-29 02:30)),
            ms(datetime!(2026-03-29 01:30 UTC))
        );
    }

    #[test]
    fn autumn_ambiguity_means_summer_time() {
        assert_eq!(
            from_local(datetime!(2026-10-25 02:00)),
            ms(datetime!(2026-10-25 00:00 UTC))
        );
        assert_eq!(
            from_local(datetime!(2026-10-25 02:59)),
            ms(datetime!(2026-10-25 00:59 UTC))
        );
        assert_eq!(
            from_local(datetime!(2027-10-31 02:30)),
            ms(datetime!(2027-10-31 00:30 UTC))
        );
    }

    #[test]
    fn round_trips_every_quarter_hour_of_2026_outside_the_gap() {
        let mut t = ms(datetime!(2026-01-01 00:00 UTC));
        let end = ms(datetime!(2027-01-01 00:00 UTC));
        while t < end {
            let local = to_local(t);
            let back = from_local(local);
            // Only the repeated October hour (winter side) maps back to its summer twin.
            if back != t {
                assert_eq!(back, t - HOUR_MS, "{local}");
                assert_eq!(local.date(), datetime!(2026-10-25 0:00).date());
                assert_eq!(local.hour(), 2);
            }
            t += 15 * 60 * 1000;
        }
    }

    #[test]
    fn the_spring_gap_has_no_exact_instant() {
        assert_eq!(from_local_exact(datetime!(2027-03-28 02:30)), None);
        assert_eq!(
            from_local_exact(datetime!(2027-03-28 03:00)),
            Some(ms(datetime!(2027-03-28 01:00 UTC)))
        );
        // The repeated October hour exists (its first occurrence).
        assert_eq!(
            from_local_exact(datetime!(2026-10-25 02:30)),
            Some(ms(datetime!(2026-10-25 00:30 UTC)))
        );
    }

    #[test]
    fn keeps_milliseconds() {
        let t = ms(datetime!(2026-06-01 12:00 UTC)) + 123;
        assert_eq!(to_local(t).millisecond(), 123);
        assert_eq!(from_local(to_local(t)), t);
    }

    #[test]
    fn before_the_epoch() {
        let t = ms(datetime!(1969-12-31 23:30 UTC)) + 250;
        assert_eq!(to_local(t), datetime!(1970-01-01 00:30:00.250));
        assert_eq!(from_local(to_local(t)), t);
    }
}
