//! Appointments across sectors (seed 003, "Udeblivelser/behandlingskontinuitet"): what the
//! citizen is booked for, what happened, and the rules that turn a missed appointment into
//! something the team acts on.

use crate::Timestamp;
use crate::coded::coded;
use crate::course::ShareCategory;
use crate::local_time::{from_local_exact, parse_clock};

coded!(
    /// Where the citizen is going, by sector.
    AppointmentKind, "appointment-kind-" {
        Outpatient => "outpatient",
        Gp => "gp",
        SubstanceTreatment => "substance_treatment",
        CaseAuthority => "case_authority",
        JobCentre => "job_centre",
        Other => "other",
    }
);

coded!(
    /// What happened at an appointment, as the booking unit records it afterwards.
    Attendance, "appointment-outcome-" {
        Attended => "attended",
        Late => "late",
        NoShow => "no_show",
        CancelledByCitizen => "cancelled_by_citizen",
        CancelledByUnit => "cancelled_by_unit",
    }
);

coded!(
    /// What the coordinator did after a no-show.
    FollowUpAction, "no-show-action-" {
        Contacted => "contacted",
        NewTime => "new_time",
        EscortOffered => "escort_offered",
        VideoOffered => "video_offered",
        Other => "other",
    }
);

/// The category of the citizen's information an appointment of `kind` is: what sharing
/// decides whether a team member of another organisation than the booking one sees it.
pub fn share_category(kind: AppointmentKind) -> ShareCategory {
    match kind {
        AppointmentKind::Outpatient | AppointmentKind::Gp => ShareCategory::Health,
        AppointmentKind::SubstanceTreatment => ShareCategory::SubstanceAbuse,
        AppointmentKind::JobCentre => ShareCategory::Employment,
        AppointmentKind::CaseAuthority | AppointmentKind::Other => ShareCategory::Social,
    }
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Two no-shows within this window flag the course.
pub const NO_SHOW_WINDOW_MS: i64 = 60 * DAY_MS;
/// How many no-shows in the window flag the course.
pub const NO_SHOWS_FLAGGED: usize = 2;
/// Working days the booking unit has to record what happened before it is listed as missing.
pub const RECORD_WITHIN_WORKING_DAYS: u32 = 2;
/// How long before the start a citizen who asked for it is reminded ("the day before").
pub const REMIND_BEFORE_MS: i64 = DAY_MS;
/// How long before the start the citizen sees the button to join a video consultation.
pub const VIDEO_OPENS_BEFORE_MS: i64 = 30 * 60 * 1000;
/// The longest appointment Bro books (a day's case-authority meeting, say).
pub const MAX_LENGTH_MS: i64 = 12 * 60 * 60 * 1000;
/// The longest free texts: place and whom the citizen meets; a note; a video link.
pub const MAX_TEXT: usize = 200;
pub const MAX_NOTE: usize = 2_000;
pub const MAX_LINK: usize = 500;

/// The no-shows that count towards the flag: in the last 60 days and recorded after the last
/// follow-up (a follow-up answers every no-show recorded before it). `no_shows` holds each
/// no-show's start and when it was recorded.
pub fn no_shows_unanswered(
    no_shows: &[(Timestamp, Timestamp)],
    last_follow_up: Option<Timestamp>,
    now: Timestamp,
) -> usize {
    no_shows
        .iter()
        .filter(|(start, recorded)| {
            *start > now - NO_SHOW_WINDOW_MS && last_follow_up.is_none_or(|f| *recorded > f)
        })
        .count()
}

/// Why a time could not be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotError {
    BadDay,
    BadTime,
    /// The wall-clock time does not exist (the spring DST gap).
    InGap,
    EndBeforeStart,
    TooLong,
}

/// A day (`YYYY-MM-DD`) and start and end times (`HH:MM`, Danish time) as one interval. The
/// end is on the same day.
pub fn parse_slot(
    day: &str,
    start: &str,
    end: &str,
) -> Result<(Timestamp, Timestamp), Vec<(SlotField, SlotError)>> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = time::Date::parse(day.trim(), &format).ok();
    let mut errors = Vec::new();
    if day.is_none() {
        errors.push((SlotField::Day, SlotError::BadDay));
    }
    let (start, end) = (parse_clock(start), parse_clock(end));
    if start.is_none() {
        errors.push((SlotField::Start, SlotError::BadTime));
    }
    if end.is_none() {
        errors.push((SlotField::End, SlotError::BadTime));
    }
    let (Some(day), Some(start), Some(end)) = (day, start, end) else {
        return Err(errors);
    };
    let exact = |t| from_local_exact(day.with_time(t));
    let (Some(s), Some(e)) = (exact(start), exact(end)) else {
        let field = if exact(start).is_none() {
            SlotField::Start
        } else {
            SlotField::End
        };
        return Err(vec![(field, SlotError::InGap)]);
    };
    if e <= s {
        return Err(vec![(SlotField::End, SlotError::EndBeforeStart)]);
    }
    if e - s > MAX_LENGTH_MS {
        return Err(vec![(SlotField::End, SlotError::TooLong)]);
    }
    Ok((s, e))
}

/// Which field of a slot an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotField {
    Day,
    Start,
    End,
}

/// Why a video link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    NotHttps,
    Malformed,
    TooLong,
}

/// A video consultation's link: an absolute `https://` address with a host name, no spaces or
/// control characters (it is put in a page as a link, so nothing may break out of it).
pub fn parse_video_link(s: &str) -> Result<String, LinkError> {
    let s = s.trim();
    if s.len() > MAX_LINK {
        return Err(LinkError::TooLong);
    }
    let Some(rest) = s.strip_prefix("https://") else {
        return Err(LinkError::NotHttps);
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => host,
        Some(_) => return Err(LinkError::Malformed),
        None => authority,
    };
    let host_ok = !host.is_empty()
        && host.contains('.')
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let clean = s
        .chars()
        .all(|c| !c.is_whitespace() && !c.is_control() && !matches!(c, '"' | '<' | '>' | '\\'));
    if host_ok && clean {
        Ok(s.to_owned())
    } else {
        Err(LinkError::Malformed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local_time::from_local;
    use time::macros::datetime;

    #[test]
    fn a_slot_across_the_autumn_switch_keeps_its_wall_clock() {
        let (s, e) = parse_slot("2026-10-25", "10:00", "11:00").expect("slot");
        assert_eq!(s, from_local(datetime!(2026-10-25 10:00)));
        assert_eq!(e - s, 3_600_000);
        // 10:00 is UTC+1 after the switch.
        assert_eq!(s, 1_792_918_800_000);
    }

    #[test]
    fn bad_slots_say_which_field() {
        assert_eq!(
            parse_slot("2027-03-28", "02:30", "03:30"),
            Err(vec![(SlotField::Start, SlotError::InGap)])
        );
        assert_eq!(
            parse_slot("2027-03-28", "01:30", "02:15"),
            Err(vec![(SlotField::End, SlotError::InGap)])
        );
        assert_eq!(
            parse_slot("2027-01-12", "11:00", "10:00"),
            Err(vec![(SlotField::End, SlotError::EndBeforeStart)])
        );
        assert_eq!(
            parse_slot("2027-01-12", "10:00", "10:00"),
            Err(vec![(SlotField::End, SlotError::EndBeforeStart)])
        );
        assert_eq!(
            parse_slot("12.01.2027", "25:00", "10:00"),
            Err(vec![
                (SlotField::Day, SlotError::BadDay),
                (SlotField::Start, SlotError::BadTime)
            ])
        );
    }

    #[test]
    fn video_links_are_https_with_a_host() {
        assert_eq!(
            parse_video_link(" https://video.rm.dk/meet/abc-123?pin=9 ").as_deref(),
            Ok("https://video.rm.dk/meet/abc-123?pin=9")
        );
        assert_eq!(
            parse_video_link("https://vdx.sundhed.dk:8443/x").as_deref(),
            Ok("https://vdx.sundhed.dk:8443/x")
        );
        assert_eq!(
            parse_video_link("http://video.rm.dk/x"),
            Err(LinkError::NotHttps)
        );
        assert_eq!(
            parse_video_link("javascript:alert(1)"),
            Err(LinkError::NotHttps)
        );
        for bad in [
            "https://",
            "https://localhost/x",
            "https://a..b/x",
            "https://video.rm.dk/a b",
            "https://video.rm.dk/\"><script>",
            "https://video.rm.dk:/x",
            "https://user@video.rm.dk/x",
        ] {
            assert_eq!(parse_video_link(bad), Err(LinkError::Malformed), "{bad}");
        }
    }

    #[test]
    fn a_follow_up_answers_the_no_shows_before_it() {
        let now = 100 * DAY_MS;
        let shows = [
            (now - 50 * DAY_MS, now - 50 * DAY_MS),
            (now - 3 * DAY_MS, now - 2 * DAY_MS),
        ];
        assert_eq!(no_shows_unanswered(&shows, None, now), 2);
        assert_eq!(no_shows_unanswered(&shows, Some(now - DAY_MS), now), 0);
        assert_eq!(no_shows_unanswered(&shows, Some(now - 10 * DAY_MS), now), 1);
        // Out of the window.
        assert_eq!(no_shows_unanswered(&shows, None, now + 20 * DAY_MS), 1);
    }

    #[test]
    fn kinds_fall_in_sharing_categories() {
        assert_eq!(share_category(AppointmentKind::Gp), ShareCategory::Health);
        assert_eq!(
            share_category(AppointmentKind::SubstanceTreatment),
            ShareCategory::SubstanceAbuse
        );
        assert_eq!(
            share_category(AppointmentKind::JobCentre),
            ShareCategory::Employment
        );
    }
}
