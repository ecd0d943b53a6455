//! iCalendar (RFC 5545) files that calendar programs subscribe to. Times are written in Danish
//! local time with the Europe/Copenhagen zone spelled out in a VTIMEZONE, so a meeting at 10:00
//! shows at 10:00 whatever the reader's program knows about time zones.

use bro_domain::Timestamp;
use bro_domain::local_time::{ZONE, to_local};

/// One meeting as a calendar entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Stable across exports, so a subscribed calendar updates the entry instead of adding one.
    pub uid: String,
    pub starts_ms: Timestamp,
    pub ends_ms: Timestamp,
    pub summary: String,
    /// Left out of the file when empty.
    pub location: String,
    /// Left out of the file when empty.
    pub url: String,
    /// Left out of the file when empty.
    pub description: String,
    pub cancelled: bool,
    /// Raised by the caller on every change, so calendar programs take the new version.
    pub sequence: u32,
    /// When this version of the entry was made.
    pub stamp_ms: Timestamp,
}

/// The EU rule since 1996, as calendar programs expect it from a VTIMEZONE.
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Copenhagen",
    "BEGIN:STANDARD",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
];

/// A VCALENDAR named `name` holding one VEVENT per event.
pub fn calendar(name: &str, events: &[CalendarEvent]) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Bro//Bro//DA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        line(&mut out, l);
    }
    line(&mut out, &format!("X-WR-CALNAME:{}", text(name)));
    for l in VTIMEZONE {
        line(&mut out, l);
    }
    for e in events {
        event(&mut out, e);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn event(out: &mut String, e: &CalendarEvent) {
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{}", text(&e.uid)));
    line(out, &format!("DTSTAMP:{}", utc(e.stamp_ms)));
    line(out, &format!("DTSTART;TZID={ZONE}:{}", local(e.starts_ms)));
    line(out, &format!("DTEND;TZID={ZONE}:{}", local(e.ends_ms)));
    line(out, &format!("SUMMARY:{}", text(&e.summary)));
    if !e.location.is_empty() {
        line(out, &format!("LOCATION:{}", text(&e.location)));
    }
    if !e.url.is_empty() {
        // A URI, not TEXT: no escaping, but nothing that could break the line.
        let url: String = e.url.chars().filter(|c| !c.is_control()).collect();
        line(out, &format!("URL:{url}"));
    }
    if !e.description.is_empty() {
        line(out, &format!("DESCRIPTION:{}", text(&e.description)));
    }
    let status = if e.cancelled {
        "CANCELLED"
    } else {
        "CONFIRMED"
    };
    line(out, &format!("STATUS:{status}"));
    line(out, &format!("SEQUENCE:{}", e.sequence));
    line(out, "END:VEVENT");
}

/// A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped;
/// other control characters, which TEXT may not hold, dropped.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                // CRLF and a lone CR are one line break each.
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A DATE-TIME in Danish local time, for use with TZID.
fn local(ms: Timestamp) -> String {
    let t = to_local(ms);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// A DATE-TIME in UTC (`…Z`).
fn utc(ms: Timestamp) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The longest physical line in octets, without its CRLF.
const FOLD_AT: usize = 75;

/// Appends one content line, folded (RFC 5545 3.1) so that no physical line exceeds 75
/// octets; a fold never splits a UTF-8 character. Continuation lines start with one space.
fn line(out: &mut String, content: &str) {
    let mut rest = content;
    let mut limit = FOLD_AT;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (head, tail) = rest.split_at(cut);
        out.push_str(head);
        out.push_str("\r\n ");
        rest = tail;
        // The leading space counts towards the next line's 75 octets.
        limit = FOLD_AT - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-01-14 09:00 UTC (10:00 in Copenhagen, winter).
    const WINTER_MS: Timestamp = 1_768_381_200_000;
    // 2026-07-15 08:00 UTC (10:00 in Copenhagen, summer).
    const SUMMER_MS: Timestamp = 1_784_102_400_000;
    const HOUR: Timestamp = 3_600_000;

    fn meeting(uid: &str, starts_ms: Timestamp) -> CalendarEvent {
        CalendarEvent {
            uid: uid.to_owned(),
            starts_ms,
            ends_ms: starts_ms + 2 * HOUR,
            summary: "Fælles Team".to_owned(),
            location: "Rådhuset, lokale 2".to_owned(),
            url: "https://bro.example/meetings/7?x=1,2".to_owned(),
            description: "Dagsorden:\n1. Status; opfølgning".to_owned(),
            cancelled: false,
            sequence: 0,
            stamp_ms: WINTER_MS,
        }
    }

    fn unfold(ics: &str) -> String {
        ics.replace("\r\n ", "")
    }

    #[test]
    fn escapes_text() {
        assert_eq!(text("a\\b;c,d\ne\r\nf\rg"), "a\\\\b\\;c\\,d\\ne\\nf\\ng");
        assert_eq!(text("bel\u{7}l\ttab"), "bell\ttab");
        let ics = calendar("Team; Nord, Syd", &[meeting("m-1@bro", WINTER_MS)]);
        let ics = unfold(&ics);
        assert!(ics.contains("X-WR-CALNAME:Team\\; Nord\\, Syd\r\n"));
        assert!(ics.contains("LOCATION:Rådhuset\\, lokale 2\r\n"));
        assert!(ics.contains("DESCRIPTION:Dagsorden:\\n1. Status\\; opfølgning\r\n"));
        // URLs are not TEXT and keep their commas.
        assert!(ics.contains("URL:https://bro.example/meetings/7?x=1,2\r\n"));
    }

    #[test]
    fn folds_long_lines_on_character_boundaries() {
        let summary = "Mødet om æøå og ÆØÅ i Ærøskøbing ".repeat(8);
        let mut e = meeting("m-2@bro", WINTER_MS);
        e.summary = summary.clone();
        let ics = calendar("Bro", &[e]);
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for physical in ics.split("\r\n") {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical}",
                physical.len()
            );
        }
        // Every line break is CRLF; a bare LF would be a parse error.
        assert_eq!(ics.matches('\n').count(), ics.matches("\r\n").count());
        let folded = ics.split("\r\n").filter(|l| l.starts_with(' ')).count();
        assert!(folded >= 4, "the summary spans several lines");
        assert!(unfold(&ics).contains(&format!("SUMMARY:{summary}\r\n")));
    }

    #[test]
    fn folds_exactly_at_75_octets() {
        let mut out = String::new();
        line(&mut out, &"a".repeat(75));
        assert_eq!(out, format!("{}\r\n", "a".repeat(75)));
        let mut out = String::new();
        line(&mut out, &"a".repeat(76));
        assert_eq!(out, format!("{}\r\n a\r\n", "a".repeat(75)));
        // "ø" is two octets; at octet 74..76 it moves whole to the next line.
        let mut out = String::new();
        line(&mut out, &format!("{}ø", "a".repeat(74)));
        assert_eq!(out, format!("{}\r\n ø\r\n", "a".repeat(74)));
    }

    #[test]
    fn local_times_in_winter_and_summer() {
        let ics = calendar(
            "Bro",
            &[meeting("w@bro", WINTER_MS), meeting("s@bro", SUMMER_MS)],
        );
        assert!(ics.contains("DTSTART;TZID=Europe/Copenhagen:20260114T100000\r\n"));
        assert!(ics.contains("DTEND;TZID=Europe/Copenhagen:20260114T120000\r\n"));
        assert!(ics.contains("DTSTART;TZID=Europe/Copenhagen:20260715T100000\r\n"));
        assert!(ics.contains("DTEND;TZID=Europe/Copenhagen:20260715T120000\r\n"));
        assert!(ics.contains("DTSTAMP:20260114T090000Z\r\n"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
        assert_eq!(ics.matches("STATUS:CONFIRMED").count(), 2);
    }

    #[test]
    fn calendar_header_and_time_zone() {
        let ics = calendar("Bro", &[]);
        assert!(ics.starts_with(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bro//Bro//DA\r\nCALSCALE:GREGORIAN\r\n\
             METHOD:PUBLISH\r\nX-WR-CALNAME:Bro\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Copenhagen\r\n"
        ));
        assert!(ics.contains("RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"));
        assert!(ics.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"));
        assert!(!ics.contains("BEGIN:VEVENT"));
    }

    #[test]
    fn cancelled_event() {
        let mut e = meeting("c@bro", SUMMER_MS);
        e.cancelled = true;
        e.sequence = 3;
        e.location.clear();
        e.url.clear();
        e.description.clear();
        let ics = calendar("Bro", &[e]);
        assert!(ics.contains("STATUS:CANCELLED\r\nSEQUENCE:3\r\nEND:VEVENT\r\n"));
        assert!(!ics.contains("CONFIRMED"));
        assert!(!ics.contains("LOCATION"));
        assert!(!ics.contains("URL:"));
        assert!(!ics.contains("DESCRIPTION"));
    }
}
