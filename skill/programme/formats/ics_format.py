"""iCalendar import (Outlook, Teams, Google, Apple): events become the rows a CSV would give.

Each event, or each occurrence of a repeating one, becomes a CSV-shaped row read by
`csv_format.parse_rows`, so a calendar meets the same rules as a spreadsheet; findings
are then named in calendar words (the event, its date and the field) instead of rows.

- Series (RRULE, RDATE, EXDATE, moved occurrences by RECURRENCE-ID) are expanded with
  `recurring-ical-events`, in the event's own zone, so a weekly 10:00 stays 10:00 across
  a clock change. A series with no end is read up to the last date in the file (said in
  a warning).
- Time zones: an IANA name is used as is; Windows names ("GMT Standard Time", icalendar's
  CLDR table), Exchange's `tzone://Microsoft/Utc` and Outlook's display names are mapped
  to IANA zones, whose rules win over the file's (Outlook's VTIMEZONE blocks are sometimes
  stale). Any other name is read by the file's VTIMEZONE block, with a warning naming it;
  without one the event is refused naming the zone. Floating times (no zone) are in the
  programme's zone, as the standard says.
- All-day events (a week's banner) are skipped with a warning naming them. A title
  starting "Cancelled:" (Outlook's prefix) or STATUS:CANCELLED makes a cancelled session.
- Presenter: the first attendee with ROLE=CHAIR that is not a room, else the organiser's
  name unless it is a shared mailbox ("Learning and Development Team"): the organiser is
  often whoever sent the invite. Room and resource attendees (CUTYPE=ROOM/RESOURCE) give
  the room when LOCATION is empty and are never the presenter.
- Teams, Zoom and Google Meet joining instructions are removed from descriptions.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

from skill.programme.formats import csv_format
from skill.programme.formats.encoding import CP1252, NotText, decode
from skill.programme.formats.result import ParseResult, RejectedRow, RowError, failed

# Whether visitors are asked how the session went (docs/formats.md): YES, NO, or absent (yes).
FEEDBACK_PROPERTY = "X-VOICE-DEMO-FEEDBACK"
SAVE_HINT = "Export the calendar again (in Outlook: File › Save Calendar) and import that file."
FIELDS = {
    "date": "date",
    "start": "start time",
    "end": "end time",
    "title": "title",
    "room": "location",
    "presenter": "presenter",
    "description": "description",
    "aliases": "other names",
    "status": "status",
    "feedback": FEEDBACK_PROPERTY,
}
MAX_OCCURRENCES = 1000  # per series; more is not a programme
EARLIEST, LATEST = date(1970, 1, 1), date(2100, 12, 31)
AVAILABILITY = {"busy", "free", "tentative", "out of office", "away", "working elsewhere"}
_CANCELLED = re.compile(r"^\s*cancel+ed\s*[:\-–]\s*", re.I)
_SHARED_ADDRESS = re.compile(
    r"group\.calendar\.google\.com|resource\.calendar\.google\.com|no-?reply", re.I
)
_MAILBOX = re.compile(
    r"@|\b(team|mailbox|calendar|events?|bookings?|admin|department|dept|services?|"
    r"enquiries|info)\b",
    re.I,
)

# Zone names with no IANA or Windows spelling, as Exchange and Outlook write them.
KNOWN_ZONES = {
    "tzone://microsoft/utc": "UTC",
    "utc": "UTC",
    "z": "UTC",
    "(utc) coordinated universal time": "UTC",
    "coordinated universal time": "UTC",
    "(utc+00:00) dublin, edinburgh, lisbon, london": "Europe/London",
    "(gmt) greenwich mean time : dublin, edinburgh, lisbon, london": "Europe/London",
    "(gmt) greenwich mean time: dublin, edinburgh, lisbon, london": "Europe/London",
    "western/central europe": "Europe/Berlin",
    "(utc+01:00) amsterdam, berlin, bern, rome, stockholm, vienna": "Europe/Berlin",
    "(gmt+01:00) amsterdam, berlin, bern, rome, stockholm, vienna": "Europe/Berlin",
    "(utc+01:00) brussels, copenhagen, madrid, paris": "Europe/Paris",
    "(utc+01:00) belgrade, bratislava, budapest, ljubljana, prague": "Europe/Budapest",
    "(utc+01:00) sarajevo, skopje, warsaw, zagreb": "Europe/Warsaw",
}
# Exchange writes TZID=tzone://Microsoft/Utc unquoted; its colon would end the parameters.
_UNQUOTED_URL_TZID = re.compile(r";TZID=([A-Za-z][\w.+-]*://[^;:\r\n\"]*)", re.I)


class _Bad(Exception):
    """One event cannot be a session: the field (CSV column) and what to do."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


# --- time zones --------------------------------------------------------------------------


def _iana(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, ValueError for odd keys, OSError
        return None


def _windows() -> dict[str, str]:
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    return {k.casefold(): v for k, v in WINDOWS_TO_OLSON.items()}


def known_zone(tzid: str) -> ZoneInfo | None:
    """The IANA zone a TZID means, when that can be known without the file's rules."""
    name = tzid.strip().strip('"').strip()
    if not name:
        return None
    lowered = name.casefold()
    if lowered in KNOWN_ZONES:
        return ZoneInfo(KNOWN_ZONES[lowered])
    windows = _windows()
    if lowered in windows:
        return _iana(windows[lowered])
    if re.fullmatch(r"[A-Za-z_]+(?:/[A-Za-z0-9_+-]+){0,2}", name):
        zone = _iana(name)
        if zone is not None:
            return zone
    # Mozilla and Citadel prefix IANA names: /mozilla.org/20050126_1/Europe/London
    parts = [p for p in name.split("/") if p]
    for size in (3, 2):
        tail = parts[-size:]
        if len(parts) >= size and re.fullmatch(r"[A-Za-z_/+-]+", "/".join(tail)):
            zone = _iana("/".join(tail))
            if zone is not None:
                return zone
    return None


class _Zones:
    """Resolves each TZID once; remembers which ones fell back to the file's rules."""

    def __init__(self, calendar: Any, programme: ZoneInfo) -> None:
        self.programme = programme
        self._file: dict[str, tzinfo] = {}
        for vtz in calendar.walk("VTIMEZONE"):
            try:
                self._file[str(vtz.get("TZID", "")).strip()] = vtz.to_tz()
            except Exception:  # a VTIMEZONE icalendar cannot build: as if absent
                continue
        self._cache: dict[str, tzinfo | None] = {}
        self.from_file: set[str] = set()

    def get(self, tzid: str) -> tzinfo:
        if tzid not in self._cache:
            zone: tzinfo | None = known_zone(tzid)
            bare = tzid.strip().strip('"')
            if zone is None and bare in self._file:
                zone = self._file[bare]
                self.from_file.add(bare)
            self._cache[tzid] = zone
        found = self._cache[tzid]
        if found is None:
            raise _Bad(
                "start",
                f"uses the time zone “{tzid}”, which this reader does not know and the file "
                "does not describe. Set the event's time zone to a named one, such as "
                "“(UTC+00:00) Dublin, Edinburgh, Lisbon, London”, and export again",
            )
        return found


# --- reading the properties --------------------------------------------------------------


def _value(component: Any, name: str) -> Any:
    """The property's date or datetime; _Bad when it is there but unreadable."""
    prop = component.get(name)
    if prop is None:
        return None
    try:
        return prop.dt
    except Exception:  # icalendar 7 keeps unparsable values as vBroken
        column = "end" if name == "DTEND" else "start"
        raise _Bad(
            column,
            f"has a {FIELDS[column]} that cannot be read ({name}); open the event, set its "
            "times again and export again",
        ) from None


def _localised(value: Any, tzid: str | None, zones: _Zones, column: str) -> Any:
    """A datetime in its real zone (wall time as written); dates unchanged."""
    if not isinstance(value, date):
        return value
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise _Bad(
            column,
            f"is dated {day.isoformat()}, which cannot be a session's date; set the event's "
            "date again and export again",
        )
    if not isinstance(value, datetime):
        return value
    if tzid:
        return value.replace(tzinfo=zones.get(str(tzid)))
    if value.tzinfo is None:
        return value.replace(tzinfo=zones.programme)  # floating: the programme's wall time
    return value


def _normalise(event: Any, zones: _Zones) -> None:
    """Rewrite the event's times into real zones, so expansion and EXDATEs agree."""
    for name, column in (("DTSTART", "start"), ("DTEND", "end"), ("RECURRENCE-ID", "start")):
        prop = event.get(name)
        if prop is None:
            continue
        value = _localised(_value(event, name), prop.params.get("TZID"), zones, column)
        event.pop(name)
        event.add(name, value)
    for name in ("EXDATE", "RDATE"):
        props = event.get(name)
        if props is None:
            continue
        values, periods = [], False
        for prop in _as_list(props):
            try:
                items = list(prop.dts)
            except Exception:  # vBroken
                which = "dates left out of" if name == "EXDATE" else "extra dates in"
                raise _Bad(
                    "date",
                    f"has {which} its series ({name}) that cannot be read; set how the series "
                    "repeats again and export again",
                ) from None
            tzid = prop.params.get("TZID")
            for item in items:
                if isinstance(item.dt, tuple):  # an RDATE period: keep the file's own form
                    periods = True
                else:
                    values.append(_localised(item.dt, tzid, zones, "date"))
        if not periods:
            event.pop(name)
            if values:
                event.add(name, values)


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _cn(person: Any) -> str:
    return _text(getattr(person, "params", {}).get("CN", "")).strip('"')


def _is_room(person: Any) -> bool:
    return str(getattr(person, "params", {}).get("CUTYPE", "")).upper() in ("ROOM", "RESOURCE")


def presenter(event: Any) -> str:
    """A chair attendee, else the organiser unless that is a shared mailbox; never a room."""
    attendees = _as_list(event.get("ATTENDEE"))
    rooms = {str(a).casefold() for a in attendees if _is_room(a)}
    for a in attendees:
        if not _is_room(a) and str(a.params.get("ROLE", "")).upper() == "CHAIR" and _cn(a):
            return _cn(a)
    organiser = event.get("ORGANIZER")
    name = _cn(organiser)
    address = str(organiser or "").casefold()
    shared = _MAILBOX.search(name) or _SHARED_ADDRESS.search(address)
    if name and address not in rooms and not shared:
        return name
    return ""


_URL = re.compile(r"https?://\S+", re.I)


def room(event: Any) -> str:
    """LOCATION without join links ("Microsoft Teams Meeting" becomes online), else the
    room attendee's name."""
    location = _text(event.get("LOCATION"))
    places: list[str] = []
    online = ""
    for part in (p.strip() for p in location.split(";")):
        lowered = part.casefold()
        if "teams" in lowered and ("meeting" in lowered or "microsoft" in lowered):
            online = "Microsoft Teams"
        elif "zoom.us" in lowered or lowered.startswith("zoom meeting"):
            online = "Zoom"
        elif "meet.google.com" in lowered or lowered == "google meet":
            online = "Google Meet"
        elif _URL.fullmatch(part):
            online = online or "a video call"
        elif part:
            places.append(_URL.sub("", part).strip())
    if not places:
        places = [_cn(a) for a in _as_list(event.get("ATTENDEE")) if _is_room(a) and _cn(a)][:1]
    if places:
        return ", ".join(p for p in places if p) + (f" and online ({online})" if online else "")
    return f"Online ({online})" if online else ""


# Joining instructions, in the shapes Teams, Zoom and Google Meet write them.
_RULE = re.compile(r"^\s*(?:_{10,}|-::~[:~]*-?)\s*$")
_JOIN_START = re.compile(
    r"^\s*(?:microsoft teams(?: meeting| need help)|join on your computer|click here to join"
    r"|join the meeting now|join (?:zoom meeting|with google meet|microsoft teams meeting)"
    r"|.{0,80}\bis inviting you to a scheduled zoom meeting|meeting id\s*:)",
    re.I,
)
_JOIN_LINE = re.compile(
    r"teams\.microsoft\.com|zoom\.us/|meet\.google\.com|aka\.ms/jointeamsmeeting"
    r"|^\s*(?:meeting id|passcode|password|phone conference id|one tap mobile|or call in"
    r"|dial[- ]in|dial by your location|join by phone|find a local number|download teams"
    r"|for organi[sz]ers|learn more about meet|please do not edit this section)\b"
    r"|^\s*[•*]?\s*\+\d[\d ]{6,}(?:,,|\s+[A-Z])",
    re.I,
)
_LINK = re.compile(r"<(?:https?|mailto|tel):[^>]*>", re.I)


def _block_end(lines: list[str], start: int) -> int | None:
    """The rule line closing a join block; Teams puts several rules inside one block."""
    end = None
    k = start + 1
    while k < len(lines):
        if _RULE.match(lines[k]):
            end = k
            after = [x for x in lines[k + 1 : k + 6] if x.strip()][:3]
            if not any(_JOIN_START.match(x) or _JOIN_LINE.search(x) for x in after):
                return end
        k += 1
    return None


@lru_cache(maxsize=512)  # a series repeats its description in every occurrence
def strip_join_text(text: str) -> str:
    """The description without Teams/Zoom/Meet joining instructions or link targets."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        ahead = lines[i + 1 : i + 5]
        starts = _JOIN_START.match(line) or (
            _RULE.match(line) and any(_JOIN_START.match(x) or _JOIN_LINE.search(x) for x in ahead)
        )
        if starts:
            end = _block_end(lines, i)
            if end is None:
                break
            i = end + 1
            continue
        if not _JOIN_LINE.search(line) and not _RULE.match(line):
            kept.append(line)
        i += 1
    return _LINK.sub("", "\n".join(kept))


# --- events to rows ----------------------------------------------------------------------


def _when(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B} {day.year}"


@dataclass
class _Row:
    number: int
    where: str
    fields: dict[str, str]


def _times(event: Any, programme: ZoneInfo) -> tuple[datetime, datetime]:
    start = _value(event, "DTSTART")
    if start is None:
        raise _Bad("start", "has no start time; give it one and export again")
    end = _value(event, "DTEND")
    if end is None:
        duration = event.get("DURATION")
        try:
            length = duration.dt if duration is not None else None
        except Exception:
            length = None
        if not isinstance(length, timedelta):
            raise _Bad("end", "has no end time; give it one and export again")
        end = start + length
    if not isinstance(end, datetime):
        raise _Bad("end", "has an end date but no end time; give it one and export again")
    try:
        return start.astimezone(programme), end.astimezone(programme)
    except (OverflowError, ValueError):
        raise _Bad("start", "has times that cannot be read; set them again") from None


def _fields(event: Any, start: datetime, end: datetime, cancel_all: bool) -> dict[str, str]:
    if end.date() != start.date():
        raise _Bad(
            "end",
            f"ends on {_when(end.date())}, a different day from its start; a session is on "
            "one day, so make it one event per day",
        )
    title = _text(event.get("SUMMARY"))
    cancelled = cancel_all or str(event.get("STATUS") or "").strip().upper() == "CANCELLED"
    if _CANCELLED.match(title):
        title, cancelled = _CANCELLED.sub("", title), True
    return {
        "date": start.date().isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "title": title,
        "room": room(event),
        "presenter": presenter(event),
        "description": _text(strip_join_text(str(event.get("DESCRIPTION") or ""))),
        "aliases": "",
        "status": "cancelled" if cancelled else "",
        "feedback": _text(event.get(FEEDBACK_PROPERTY)),
    }


def _title(event: Any) -> str:
    return _CANCELLED.sub("", _text(event.get("SUMMARY"))) or "Untitled event"


def _label(event: Any, day: date | None) -> str:
    title = f"“{_title(event)}”"
    return f"{title} on {_when(day)}" if day else title


def _first_day(event: Any) -> date | None:
    try:
        value = event.get("DTSTART").dt
    except Exception:
        return None
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


_UNFOLLOWABLE = (
    "repeats by a rule this reader cannot follow; in the calendar, set how the series "
    "repeats again and export again"
)


def _rules(event: Any) -> list[Any]:
    """The event's RRULEs; _Bad when one cannot be read (icalendar keeps it as vBroken)."""
    rules = _as_list(event.get("RRULE"))
    for rule in rules:
        if not isinstance(rule, dict):
            raise _Bad("date", _UNFOLLOWABLE)
    return rules


def _unbounded(master: Any) -> bool:
    rules = _rules(master)
    return bool(rules) and any("UNTIL" not in r and "COUNT" not in r for r in rules)


def _last_day(components: Iterable[Any]) -> date:
    """The file's range ends at its last explicit date (an end of a series included)."""
    last = EARLIEST
    for c in components:
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            try:
                value = c.get(name).dt if c.get(name) is not None else None
            except Exception:
                continue
            if isinstance(value, date):
                last = max(last, value.date() if isinstance(value, datetime) else value)
        try:
            rules = _rules(c)
        except _Bad:
            continue
        for rule in rules:
            for until in rule.get("UNTIL", []):
                if isinstance(until, date):
                    last = max(last, until.date() if isinstance(until, datetime) else until)
    return min(last, LATEST)


class _Reader:
    """One VCALENDAR's events as numbered rows, problems and warnings."""

    def __init__(self, calendar: Any, programme: ZoneInfo, numbers: Iterator[int]) -> None:
        self.calendar = calendar
        self.programme = programme
        self.zones = _Zones(calendar, programme)
        self.numbers = numbers
        self.rows: list[_Row] = []
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []
        self.rejected: list[RejectedRow] = []
        self.series = 0
        self.cancel_all = str(calendar.get("METHOD") or "").upper() == "CANCEL"

    def problem(self, event: Any, day: date | None, bad: _Bad) -> None:
        number = next(self.numbers)
        where = _label(event, day if day and EARLIEST <= day <= LATEST else None)
        error = RowError(number, bad.column, bad.message, where=where, field=FIELDS[bad.column])
        self.errors.append(error)
        self.rejected.append(RejectedRow(number, self._what_it_says(event, day), (error,), where))

    def _what_it_says(self, event: Any, day: date | None) -> dict[str, str]:
        """As much of a bad event as can be read, for the admin to fix rather than retype."""
        fields = dict.fromkeys(csv_format.COLUMNS, "")
        fields.update(title=_title(event), date=day.isoformat() if day else "")
        for column, name in (("start", "DTSTART"), ("end", "DTEND")):
            try:
                value = event.get(name).dt
                if isinstance(value, datetime):
                    fields[column] = value.astimezone(self.programme).strftime("%H:%M")
            except Exception:
                continue
        try:
            fields.update(room=room(event), presenter=presenter(event))
            fields["description"] = _text(strip_join_text(str(event.get("DESCRIPTION") or "")))
        except Exception:
            pass
        return fields

    def warn(self, event: Any, day: date | None, message: str) -> None:
        self.warnings.append(RowError(None, None, message, where=_label(event, day)))

    def add(self, event: Any) -> None:
        try:
            start, end = _times(event, self.programme)
            fields = _fields(event, start, end, self.cancel_all)
        except _Bad as bad:
            self.problem(event, _first_day(event), bad)
            return
        self.rows.append(_Row(next(self.numbers), _label(event, start.date()), fields))

    def read(self) -> None:
        events = list(self.calendar.walk("VEVENT"))
        groups: dict[str, list[Any]] = {}
        for n, event in enumerate(events):
            uid = _text(event.get("UID")) or f"#{n}"
            groups.setdefault(uid, []).append(event)
        last_day = _last_day(events)
        for group in groups.values():
            masters = [e for e in group if e.get("RECURRENCE-ID") is None]
            series = len(masters) == 1 and (
                masters[0].get("RRULE") is not None or masters[0].get("RDATE") is not None
            )
            try:
                if series:
                    moved = [e for e in group if e is not masters[0]]
                    self.read_series(masters[0], moved, last_day)
                else:
                    for event in group:
                        self.read_single(event)
            except Exception:  # anything else odd stays with its event, never a traceback
                message = "could not be read; open it in the calendar, save it and export again"
                self.problem(group[0], _first_day(group[0]), _Bad("title", message))

    def _prepared(self, event: Any) -> bool:
        try:
            _normalise(event, self.zones)
        except _Bad as bad:
            self.problem(event, _first_day(event), bad)
            return False
        return True

    def _all_day(self, event: Any) -> bool:
        start = _first_day(event)
        try:
            value = event.get("DTSTART").dt
        except Exception:
            return False
        if isinstance(value, datetime) or start is None:
            return False
        self.warn(
            event,
            start,
            "is an all-day event, so it was skipped (a programme needs start and end times)",
        )
        return True

    def read_single(self, event: Any) -> None:
        if self._prepared(event) and not self._all_day(event):
            self.add(event)

    def read_series(self, master: Any, moved: list[Any], last_day: date) -> None:
        import icalendar
        import recurring_ical_events

        if not all(self._prepared(e) for e in [master, *moved]) or self._all_day(master):
            return
        try:
            unbounded = _unbounded(master)
        except _Bad as bad:
            self.problem(master, _first_day(master), bad)
            return
        self.series += 1
        one = icalendar.Calendar()
        for component in (master, *moved):
            one.add_component(component)
        first = _first_day(master) or EARLIEST
        stop = min(max(last_day, first), first + timedelta(days=366)) if unbounded else LATEST
        try:
            for n, occurrence in enumerate(recurring_ical_events.of(one).all()):
                day = _first_day(occurrence)
                if day is not None and day > stop:
                    break
                if n >= MAX_OCCURRENCES:
                    self.warn(
                        master,
                        first,
                        f"repeats more than {MAX_OCCURRENCES:,} times; only the first "
                        f"{MAX_OCCURRENCES:,} were read",
                    )
                    return
                if isinstance(occurrence.get("DTSTART").dt, datetime):
                    self.add(occurrence)  # (an all-day occurrence of a timed series is not)
        except _Bad as bad:
            self.problem(master, first, bad)
            return
        except Exception:  # a repeat rule the library cannot follow
            self.problem(master, first, _Bad("date", _UNFOLLOWABLE))
            return
        if unbounded:
            self.warn(
                master,
                first,
                f"repeats with no end date; its occurrences up to {_when(stop)} (the last "
                "date in the file) were read. Give the series an end date to read more",
            )


# --- the file ----------------------------------------------------------------------------


# The properties a session is made from; Outlook adds a dozen more per event (X-MICROSOFT-*,
# X-ALT-DESC with the whole description again as HTML, alarms), and parsing is most of the
# cost of an import, so the rest are dropped before the library sees them.
_NEEDED = re.compile(
    r"(?:BEGIN|END|DTSTART|DTEND|DURATION|RRULE|RDATE|EXDATE|RECURRENCE-ID|UID|SUMMARY"
    r"|DESCRIPTION|LOCATION|ORGANIZER|ATTENDEE|STATUS|TZID|TZOFFSETFROM|TZOFFSETTO|TZNAME"
    r"|METHOD|VERSION|PRODID|CALSCALE|X-VOICE-DEMO-FEEDBACK)[;:]",
    re.I,
)
_FOLD = re.compile(r"\r?\n[ \t]")
_LINES = re.compile(r"\r?\n|\r")


def _essentials(text: str) -> str:
    kept: list[str] = []
    alarms = 0
    for line in _LINES.split(_FOLD.sub("", text)):
        head = line[:12].upper()
        if head.startswith("BEGIN:VALARM"):
            alarms += 1
        elif alarms:
            alarms -= head.startswith("END:VALARM")
        elif _NEEDED.match(line):
            kept.append(line)
    return "\r\n".join(kept) + "\r\n"


def _calendars(text: str) -> list[Any]:
    import icalendar  # the web extra; only .ics imports need it

    text = _UNQUOTED_URL_TZID.sub(lambda m: f';TZID="{m[1]}"', _essentials(text))
    return list(icalendar.Calendar.from_ical(text, multiple=True))


def read(data: bytes, zone: str = "Europe/London") -> ParseResult:
    """Sessions from an .ics file, judged exactly as the same rows in a CSV file would be."""
    try:
        decoded = decode(data, SAVE_HINT)
    except NotText as exc:
        return failed(str(exc))
    text = decoded.text.removeprefix("\ufeff")
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        return failed(f"This is not a calendar (.ics) file. {SAVE_HINT}")
    if not re.search(r"^END:VCALENDAR\s*$", text, re.I | re.M):
        return failed(f"The calendar file is incomplete: it stops before its end. {SAVE_HINT}")
    programme = ZoneInfo(zone)
    numbers = count(1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the library's own warnings are not for the admin
        try:
            calendars = _calendars(text)
        except Exception:
            return failed(
                f"The calendar file could not be read: it is damaged or incomplete. {SAVE_HINT}"
            )
        written = len(re.findall(r"^BEGIN:VEVENT\s*$", text, re.I | re.M))
        parsed = sum(len(c.walk("VEVENT")) for c in calendars)
        if parsed < written:
            return failed(
                f"The calendar file is damaged: {written - parsed} of its {written} events "
                f"could not be read at all. {SAVE_HINT}"
            )
        readers = [_Reader(c, programme, numbers) for c in calendars]
        for reader in readers:
            reader.read()
    return _result(readers, zone, decoded.encoding == CP1252)


def _result(readers: list[_Reader], zone: str, guessed: bool) -> ParseResult:
    rows = [r for reader in readers for r in reader.rows]
    errors = [e for reader in readers for e in reader.errors]
    found = [e for reader in readers for e in reader.warnings]
    rejected = [r for reader in readers for r in reader.rejected]
    if guessed:
        message = (
            "The file is not UTF-8 text, so it was read as Windows-1252; check that £ and – "
            f"look right. {SAVE_HINT}"
        )
        found.insert(0, RowError(None, None, message))
    for reader in readers:
        for tzid in sorted(reader.zones.from_file):
            message = (
                f"The time zone “{tzid}” is not a standard name, so its times were read by "
                "the rules written in the file. Check that the times are right"
            )
            found.append(RowError(None, None, message))
    if not rows and not errors:
        skipped = " (only all-day events, which were skipped)" if found else ""
        error = RowError(None, None, f"The calendar has no events{skipped}.")
        return ParseResult(errors=(error,), warnings=tuple(found))
    titles = {r.fields["title"].casefold() for r in rows}
    if rows and titles <= AVAILABILITY:
        return failed(
            f"Every event in this calendar is called “{rows[0].fields['title']}”: it was "
            "exported with availability only, so it has no session titles. In Outlook "
            "choose File › Save Calendar › More Options, set Detail to “Full details”, "
            "and export again."
        )
    by_number = {r.number: r for r in rows}
    result = (
        csv_format.parse_rows(((r.number, r.fields) for r in rows), zone) if rows else ParseResult()
    )
    errors += [_in_calendar_words(e, by_number) for e in result.errors]
    for r in result.rejected:
        words = tuple(_in_calendar_words(e, by_number) for e in r.errors)
        rejected.append(replace(r, where=by_number[r.row].where, errors=words))
    found += _once_per_series(
        [
            (by_number[w.row or 0].fields["title"], _in_calendar_words(w, by_number))
            for w in result.warnings
        ]
    )
    series = sum(reader.series for reader in readers)
    events = len(rows) + len(rejected)
    note = f"Read {events} event{'s' if events != 1 else ''} in {zone} time"
    note += f"; {series} repeating series expanded." if series else "."
    return ParseResult(
        sessions=result.sessions,
        errors=tuple(sorted(errors, key=lambda e: e.row or 0)),
        warnings=tuple(found),
        notes=(note,),
        rejected=tuple(sorted(rejected, key=lambda r: r.row)),
    )


def _once_per_series(warnings: list[tuple[str, RowError]]) -> list[RowError]:
    """One warning for a shortened field of a series, not one per occurrence."""
    first: dict[tuple[str, str | None, str], int] = {}
    repeats: dict[int, int] = {}
    kept: list[RowError] = []
    for title, w in warnings:
        key = (title, w.column, w.message)
        if key in first:
            repeats[first[key]] += 1
            continue
        first[key] = len(kept)
        repeats[len(kept)] = 0
        kept.append(w)
    return [
        replace(w, message=f"{w.message} (and the same for {repeats[i]} more occurrences)")
        if repeats[i]
        else w
        for i, w in enumerate(kept)
    ]


def _in_calendar_words(e: RowError, rows: dict[int, _Row]) -> RowError:
    row = rows.get(e.row or 0)
    if row is None:
        return e
    message = e.message
    if message.startswith("repeats row"):
        message = "is in the calendar twice (same date, start time and title)"
    elif message == "is empty" and e.column == "title":
        message = "is empty; give the event a title"
    return replace(e, message=message, where=row.where, field=FIELDS.get(e.column or ""))
