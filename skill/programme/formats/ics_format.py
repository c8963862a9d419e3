"""iCalendar import (Outlook exports): events become the rows a CSV file would give.

Events are turned into CSV-shaped rows and read by `csv_format.parse_rows`, so whatever
the CSV reader accepts or refuses, an .ics file is judged the same way.

Time zones: Outlook names zones the Windows way ("GMT Standard Time") and ships its own
VTIMEZONE rules, which are sometimes out of date. A Windows name is mapped to its IANA
zone with icalendar's CLDR table and the IANA rules win; an IANA TZID is used as is;
any other TZID falls back to the file's VTIMEZONE (icalendar builds it); floating times
are read in the programme's zone.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from skill.programme.formats import csv_format
from skill.programme.formats.csv_format import ParseResult, RowError

# Outlook and Teams append joining instructions under a line of underscores.
_BOILERPLATE = re.compile(r"\n\s*_{10,}.*", re.S)


def _zone(tzid: str | None) -> ZoneInfo | None:
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    if not tzid:
        return None
    name = tzid.strip().strip('"').strip("/")
    name = WINDOWS_TO_OLSON.get(name, name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _readable(prop):
    """The property's date or datetime, or None when it is missing or unreadable."""
    try:
        return prop.dt if prop is not None else None
    except (AttributeError, ValueError):  # icalendar 7 keeps bad values as vBroken
        return None


def _instant(prop, zone: ZoneInfo) -> datetime:
    """DTSTART/DTEND as an aware datetime in the programme's zone."""
    value = _readable(prop)
    if not isinstance(value, datetime):
        raise ValueError("is an all-day event")
    named = _zone(prop.params.get("TZID"))
    if named is not None:
        value = value.replace(tzinfo=named)  # wall time as written, IANA rules
    elif value.tzinfo is None:
        value = value.replace(tzinfo=zone)  # floating time
    return value.astimezone(zone)


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _presenter(event) -> str:
    people = [event.get("ORGANIZER")] + _as_list(event.get("ATTENDEE"))
    for person in people:
        if person is not None and _text(person.params.get("CN")):
            return _text(person.params.get("CN"))
    return ""


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _description(event) -> str:
    text = str(event.get("DESCRIPTION") or "").replace("\r\n", "\n")
    return _text(_BOILERPLATE.sub("", text))


def _times(event, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Start and end in the programme's zone; raises _Bad for the first problem."""
    start_prop = event.get("DTSTART")
    if _readable(start_prop) is None:
        raise _Bad("start", "has no readable start time (DTSTART)")
    try:
        start = _instant(start_prop, zone)
    except ValueError as exc:
        raise _Bad("start", f"{exc}; give it a start and end time") from None
    end_prop = event.get("DTEND")
    duration = _readable(event.get("DURATION"))
    if _readable(end_prop) is not None:
        try:
            end = _instant(end_prop, zone)
        except ValueError as exc:
            raise _Bad("end", f"{exc}; give it a start and end time") from None
    elif isinstance(duration, timedelta):
        end = start + duration
    else:
        raise _Bad("end", "has no end time (DTEND or DURATION)")
    return start, end


class _Bad(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _row(event, zone: ZoneInfo) -> dict[str, str]:
    if event.get("RRULE") is not None or event.get("RDATE") is not None:
        raise _Bad("date", "repeats; export the calendar as single events and import again")
    start, end = _times(event, zone)
    if end.date() != start.date():
        raise _Bad("end", "ends on a different day from its start")
    status = str(event.get("STATUS") or "").strip().upper()
    return {
        "date": start.date().isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "title": _text(event.get("SUMMARY")),
        "room": _text(event.get("LOCATION")),
        "presenter": _presenter(event),
        "description": _description(event),
        "aliases": "",
        "status": "cancelled" if status == "CANCELLED" else "",
    }


def read_events(data: bytes, zone: ZoneInfo) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """CSV-shaped rows numbered by event (1-based, file order), and the events' problems.

    An event with a problem gives no row; "Row" in its error means the event number.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(None, None, "The file is not UTF-8 text; export it again as .ics.")]
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        return [], [RowError(None, None, "This is not an iCalendar (.ics) file.")]
    import icalendar  # the web extra; only .ics imports need it

    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        return [], [RowError(None, None, f"The calendar file could not be read: {exc}.")]
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[RowError] = []
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        try:
            rows.append((number, _row(event, zone)))
        except _Bad as bad:
            title = _text(event.get("SUMMARY")) or "untitled"
            problems.append(RowError(number, bad.column, f"“{title}” {bad.message}."))
    if not rows and not problems:
        problems.append(RowError(None, None, "The calendar has no events."))
    return rows, problems


def read(data: bytes, zone: str) -> ParseResult:
    """Sessions from an .ics file, judged exactly as the same rows in a CSV file would be."""
    rows, problems = read_events(data, ZoneInfo(zone))
    if not rows:
        return ParseResult(errors=tuple(problems))
    result = csv_format.parse_rows(rows, zone)
    errors = sorted([*problems, *result.errors], key=lambda e: e.row or 0)
    return ParseResult(errors=tuple(errors)) if errors else result
