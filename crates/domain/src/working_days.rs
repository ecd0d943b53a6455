//! Danish working days: Monday to Friday, except the public holidays (helligdage) and the days
//! workplaces are closed by custom (Grundlovsdag, Christmas Eve, New Year's Eve). Store
//! Bededag is a working day from 2024. Deadlines such as "within 2 working days" count these,
//! in Danish local time.

use crate::Timestamp;
use crate::local_time::{from_local, to_local};
use time::{Date, Month, Weekday};

/// Easter Sunday in the Gregorian calendar (the anonymous algorithm of 1876).
fn easter(year: i32) -> Option<Date> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
}

/// Whether workplaces are closed on `day`.
pub fn is_holiday(day: Date) -> bool {
    let fixed = matches!(
        (day.month(), day.day()),
        (Month::January, 1) | (Month::June, 5) | (Month::December, 24 | 25 | 26 | 31)
    );
    if fixed {
        return true;
    }
    let Some(easter) = easter(day.year()) else {
        return false;
    };
    let from_easter = (day - easter).whole_days();
    // Maundy Thursday, Good Friday, Easter Sunday and Monday, Ascension, Whit Sunday and
    // Monday; Store Bededag (+26) until it was abolished in 2024.
    matches!(from_easter, -3 | -2 | 0 | 1 | 39 | 49 | 50)
        || (from_easter == 26 && day.year() < 2024)
}

pub fn is_working_day(day: Date) -> bool {
    !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) && !is_holiday(day)
}

/// The moment `n` working days after `ms`: the same wall-clock time on the `n`th working day
/// after its day (a deadline set on a Friday afternoon falls on Tuesday afternoon).
pub fn add_working_days(ms: Timestamp, n: u32) -> Timestamp {
    let local = to_local(ms);
    let mut day = local.date();
    let mut left = n;
    while left > 0 {
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
        if is_working_day(day) {
            left -= 1;
        }
    }
    from_local(day.with_time(local.time()))
}

/// The moment `n` working days before `ms`, as [`add_working_days`] counts forward.
pub fn sub_working_days(ms: Timestamp, n: u32) -> Timestamp {
    let local = to_local(ms);
    let mut day = local.date();
    let mut left = n;
    while left > 0 {
        match day.previous_day() {
            Some(prev) => day = prev,
            None => break,
        }
        if is_working_day(day) {
            left -= 1;
        }
    }
    from_local(day.with_time(local.time()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn easter_sundays() {
        assert_eq!(easter(2026), Some(date!(2026 - 04 - 05)));
        assert_eq!(easter(2027), Some(date!(2027 - 03 - 28)));
        assert_eq!(easter(2024), Some(date!(2024 - 03 - 31)));
    }

    #[test]
    fn holidays_of_2027() {
        for d in [
            date!(2027 - 01 - 01),
            date!(2027 - 03 - 25), // Maundy Thursday
            date!(2027 - 03 - 26), // Good Friday
            date!(2027 - 03 - 29), // Easter Monday
            date!(2027 - 05 - 06), // Ascension
            date!(2027 - 05 - 17), // Whit Monday
            date!(2027 - 06 - 05),
            date!(2027 - 12 - 24),
            date!(2027 - 12 - 31),
        ] {
            assert!(is_holiday(d), "{d}");
        }
        // Store Bededag (fourth Friday after Easter) is a working day since 2024.
        assert!(is_working_day(date!(2027 - 04 - 23)));
        assert!(is_holiday(date!(2023 - 05 - 05)));
        assert!(is_working_day(date!(2027 - 03 - 24)));
    }

    #[test]
    fn two_working_days_skip_weekends_and_easter() {
        let at = |t| from_local(t);
        // Friday 14:00 + 2 working days = Tuesday 14:00.
        assert_eq!(
            add_working_days(at(datetime!(2026-12-04 14:00)), 2),
            at(datetime!(2026-12-08 14:00))
        );
        // Wednesday before Easter 2027 + 2 = Wednesday after (Thu, Fri, Mon are holidays).
        assert_eq!(
            add_working_days(at(datetime!(2027-03-24 10:00)), 2),
            at(datetime!(2027-03-31 10:00))
        );
        // Back from Tuesday: the Friday before.
        assert_eq!(
            sub_working_days(at(datetime!(2026-12-08 10:00)), 2),
            at(datetime!(2026-12-04 10:00))
        );
    }
}
