//! Escort (ledsagelse) to appointments under the joint escort agreement between the
//! municipalities and the region (seed 003): a team member or the citizen asks the
//! municipality's escort service; it accepts (who, where to meet, when) or declines with a
//! reason, and afterwards records the time the escort took, so the time video saves can be
//! shown.

use crate::Timestamp;
use crate::appointment::MAX_LENGTH_MS;
use crate::coded::coded;
use crate::local_time::{from_local_exact, parse_clock};
use crate::working_days::sub_working_days;

coded!(
    /// Where a request for escort stands.
    EscortStatus, "escort-status-" {
        Open => "open",
        Accepted => "accepted",
        Declined => "declined",
    }
);

/// How many working days before the appointment an escort request must be answered.
pub const ANSWER_WORKING_DAYS_BEFORE: u32 = 2;
/// The longest escort the service records, in minutes (a whole working day and then some).
pub const MAX_MINUTES: i64 = 16 * 60;

/// When an open request for an appointment starting at `starts_ms` must be answered: the same
/// time of day 2 working days before (for a Monday 10.00 appointment, Thursday 10.00).
pub fn answer_due(starts_ms: Timestamp) -> Timestamp {
    sub_working_days(starts_ms, ANSWER_WORKING_DAYS_BEFORE)
}

/// An open request is flagged once its answer is due; one asked for later is flagged at once.
pub fn is_late(status: EscortStatus, starts_ms: Timestamp, now: Timestamp) -> bool {
    status == EscortStatus::Open && answer_due(starts_ms) <= now
}

/// Why a meeting time was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingError {
    BadDay,
    BadTime,
    /// The clock time does not exist that day (the spring switch to summer time).
    InGap,
    /// After the appointment begins, or more than 12 hours before it.
    OutOfRange,
}

/// Where the escort meets the citizen: a day (`YYYY-MM-DD`) and a time (`HH:MM`, Danish time),
/// at the latest when the appointment starts and at most 12 hours before.
pub fn parse_meeting(
    day: &str,
    clock: &str,
    starts_ms: Timestamp,
) -> Result<Timestamp, MeetingError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = time::Date::parse(day.trim(), &format).map_err(|_| MeetingError::BadDay)?;
    let clock = parse_clock(clock).ok_or(MeetingError::BadTime)?;
    let at = from_local_exact(day.with_time(clock)).ok_or(MeetingError::InGap)?;
    if at > starts_ms || starts_ms - at > MAX_LENGTH_MS {
        return Err(MeetingError::OutOfRange);
    }
    Ok(at)
}

/// The time an escort took, as typed: whole minutes, 1 to [`MAX_MINUTES`].
pub fn parse_minutes(s: &str) -> Option<i64> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|m| (1..=MAX_MINUTES).contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local_time::from_local;
    use time::macros::datetime;

    #[test]
    fn the_answer_is_due_two_working_days_before_skipping_the_weekend() {
        // Monday 8 March 2027 at 10.00: due Thursday 4 March at 10.00.
        let monday = from_local(datetime!(2027-03-08 10:00));
        assert_eq!(answer_due(monday), from_local(datetime!(2027-03-04 10:00)));
        let due = answer_due(monday);
        assert!(!is_late(EscortStatus::Open, monday, due - 1));
        assert!(is_late(EscortStatus::Open, monday, due));
        assert!(!is_late(EscortStatus::Accepted, monday, due));
        assert!(!is_late(EscortStatus::Declined, monday, monday));
    }

    #[test]
    fn easter_is_not_a_working_day() {
        // Tuesday after Easter 2027: Easter Monday, Good Friday and Maundy Thursday are
        // holidays, so the two working days back are Wednesday 24 and Tuesday 23 March.
        let tuesday = from_local(datetime!(2027-03-30 09:00));
        assert_eq!(answer_due(tuesday), from_local(datetime!(2027-03-23 09:00)));
    }

    #[test]
    fn the_meeting_is_before_the_appointment_and_not_in_the_spring_gap() {
        let starts = from_local(datetime!(2027-03-08 10:00));
        assert_eq!(
            parse_meeting("2027-03-08", "09:15", starts),
            Ok(from_local(datetime!(2027-03-08 09:15)))
        );
        assert_eq!(parse_meeting("2027-03-08", "10:00", starts), Ok(starts));
        assert_eq!(
            parse_meeting("2027-03-08", "10:01", starts),
            Err(MeetingError::OutOfRange)
        );
        assert_eq!(
            parse_meeting("2027-03-07", "21:00", starts),
            Err(MeetingError::OutOfRange)
        );
        assert_eq!(
            parse_meeting("8/3", "09:00", starts),
            Err(MeetingError::BadDay)
        );
        assert_eq!(
            parse_meeting("2027-03-08", "9", starts),
            Err(MeetingError::BadTime)
        );
        let after_switch = from_local(datetime!(2027-03-28 04:00));
        assert_eq!(
            parse_meeting("2027-03-28", "02:30", after_switch),
            Err(MeetingError::InGap)
        );
    }

    #[test]
    fn minutes_are_whole_and_bounded() {
        assert_eq!(parse_minutes(" 90 "), Some(90));
        assert_eq!(parse_minutes("0"), None);
        assert_eq!(parse_minutes("-5"), None);
        assert_eq!(parse_minutes("1,5"), None);
        assert_eq!(parse_minutes(&(MAX_MINUTES + 1).to_string()), None);
        assert_eq!(parse_minutes(&MAX_MINUTES.to_string()), Some(MAX_MINUTES));
    }
}
