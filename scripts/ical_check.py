#!/usr/bin/env python3
"""Reads an iCalendar file on stdin with an independent parser (the `icalendar` package) and
prints what a calendar program would see, as JSON:

    {"name": X-WR-CALNAME,
     "events": [{"uid", "summary", "location", "url", "status",
                 "start_local": "YYYY-MM-DDTHH:MM", "end_local": ...,
                 "start_utc": "YYYY-MM-DDTHH:MMZ", "tzid": "Europe/Copenhagen"}]}

Times come from the parsed, time-zone-aware datetimes, so a wrong TZID or VTIMEZONE shows up as
a wrong UTC instant. Exits 1 with a message on stderr if the input does not parse.
"""

import datetime
import json
import re
import sys

import icalendar

# A backslash escape in a TEXT value (RFC 5545 3.3.11).
TEXT_ESCAPE = re.compile(r"\\([\\;,nN])")


def text(component, name):
    value = component.get(name)
    if value is None:
        return None
    if not isinstance(value, icalendar.vUnknown):
        return str(value)
    # The parser leaves X- properties raw; their default value type is TEXT (RFC 5545 3.8.8.2).
    raw = value.to_ical()
    raw = raw.decode() if isinstance(raw, bytes) else raw
    return TEXT_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


def tzid(prop, dt):
    param = prop.params.get("TZID") if hasattr(prop, "params") else None
    if param:
        return str(param)
    # No TZID parameter: name the zone the parser attached (UTC for a trailing Z).
    zone = getattr(dt.tzinfo, "key", None) or getattr(dt.tzinfo, "zone", None)
    return zone or (dt.tzname() if dt.tzinfo else None)


def event(component):
    start_prop = component.get("DTSTART")
    start = component.decoded("DTSTART")
    end = component.decoded("DTEND")
    if not isinstance(start, datetime.datetime) or start.tzinfo is None:
        raise ValueError(f"DTSTART is not a zoned date-time: {start!r}")
    if not isinstance(end, datetime.datetime) or end.tzinfo is None:
        raise ValueError(f"DTEND is not a zoned date-time: {end!r}")
    return {
        "uid": text(component, "UID"),
        "summary": text(component, "SUMMARY"),
        "location": text(component, "LOCATION"),
        "url": text(component, "URL"),
        "status": text(component, "STATUS"),
        "start_local": start.strftime("%Y-%m-%dT%H:%M"),
        "end_local": end.strftime("%Y-%m-%dT%H:%M"),
        "start_utc": start.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ"),
        "tzid": tzid(start_prop, start),
    }


def main():
    data = sys.stdin.buffer.read()
    try:
        calendar = icalendar.Calendar.from_ical(data)
        result = {
            "name": text(calendar, "X-WR-CALNAME"),
            "events": [event(c) for c in calendar.walk("VEVENT")],
        }
    except Exception as e:  # any parse failure is the answer, not a crash
        print(f"ical_check: cannot parse the calendar: {e}", file=sys.stderr)
        return 1
    # UTF-8 whatever the locale, so Danish letters reach the caller intact.
    sys.stdout.buffer.write(json.dumps(result, ensure_ascii=False).encode() + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
