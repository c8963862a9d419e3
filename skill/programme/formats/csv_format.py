"""The programme CSV: a forgiving reader that is never silently wrong, and the writer.

The contract columns are `date,start,end,title,room,presenter,description,aliases,status`
and the optional `feedback` (yes/no; only the first four are required). The reader accepts
what Excel, Google Sheets and LibreOffice write after an open-and-save: UTF-8 with or
without a BOM, UTF-16 ("Unicode text") and, with a warning, Windows-1252; commas,
semicolons or tabs (found from the header, and said); header names in other words ("Start
time", "Title"); dates as 18/05/2026 (the programme's locale is en-GB: day first) or
2026-05-18; times as 14:00, 14:00:00, 2pm or 2.30pm. What can be skipped or shortened is,
with a warning; what cannot be read is an error naming the row, the column and how to fix
it. Rows are numbered as a spreadsheet shows them (the header is row 1).
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TypeVar
from zoneinfo import ZoneInfo

from skill.programme.formats.encoding import CP1252, NotText, decode
from skill.programme.formats.result import ParseResult, RejectedRow, RowError, failed
from skill.programme.model import CANCELLED, SCHEDULED, Session, assign_ids
from skill.spreadsheet import restore_cell, safe_cell

__all__ = [
    "COLUMNS",
    "REQUIRED",
    "ParseResult",
    "RejectedRow",
    "RowError",
    "parse",
    "parse_rows",
    "read_bytes",
    "write",
]

COLUMNS = (
    "date",
    "start",
    "end",
    "title",
    "room",
    "presenter",
    "description",
    "aliases",
    "status",
    "feedback",
)
REQUIRED = ("date", "start", "end", "title")
# The columns messages name; the optional `feedback` is documented in docs/formats.md.
CORE_COLUMNS = COLUMNS[:-1]
# Other names spreadsheets give the columns (compared case-, space- and punctuation-blind).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("day", "session date", "event date", "start date"),
    "start": ("start time", "starts", "starts at", "from", "time from", "begins"),
    "end": (
        "end time",
        "ends",
        "ends at",
        "finish",
        "finish time",
        "finishes",
        "to",
        "time to",
        "until",
    ),
    "title": (
        "session",
        "session title",
        "session name",
        "name",
        "event",
        "event name",
        "subject",
        "topic",
    ),
    "room": ("location", "venue", "where", "place"),
    "presenter": (
        "presenters",
        "speaker",
        "speakers",
        "host",
        "facilitator",
        "led by",
        "trainer",
        "organiser",
        "organizer",
    ),
    "description": ("details", "notes", "about", "summary", "more information"),
    "aliases": (
        "alias",
        "other names",
        "other names people may say",
        "also known as",
        "also",
    ),
    "status": ("state",),
    "feedback": ("ask for feedback", "asks for feedback", "ask feedback", "feedback wanted"),
}
# The feedback column: empty means yes (sessions ask for feedback unless told not to).
FEEDBACK_YES = ("", "yes", "y", "true", "1", "on", "ask")
FEEDBACK_NO = ("no", "n", "false", "0", "off", "don't ask", "do not ask")
# Invisible characters pasted from web pages and Word: zero-width ones are dropped, the
# no-break spaces become plain spaces (the admin never sees "\u200b").
_INVISIBLE = dict.fromkeys(map(ord, "\x00\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_INVISIBLE.update(dict.fromkeys(map(ord, "\u00a0\u2007\u202f"), " "))
# Control codes Alexa could not say (tabs and newlines are fine).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Limits; the first two refuse (a title is what people ask for), the rest are shortened.
MAX_TEXT = {"title": 120, "aliases": 500, "room": 80, "presenter": 120, "description": 1000}
SHORTENED = ("room", "presenter", "description")
DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}
T = TypeVar("T")
SAVE_HINT = "In Excel use File › Save As › “CSV UTF-8 (Comma delimited)”, then import it again."


def _key(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.casefold()).split())


HEADER_NAMES = {_key(n): c for c in COLUMNS for n in (c, *SYNONYMS.get(c, ()))}


# --- cells -------------------------------------------------------------------------------

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MIDNIGHT = re.compile(r"(.+?)(?:[ T]0?0[:.]00(?:[:.]00)?)")
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
_WORDS = re.compile(r"(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]+)\.?,?[\s-]+(\d{4})")
DATE_HINT = "write it as 18/05/2026 or 2026-05-18"


def parse_date(text: str) -> date:
    """A date in any unambiguous form an en-GB spreadsheet writes; ValueError otherwise."""
    t = text.strip().lower()
    if m := _MIDNIGHT.fullmatch(t):  # a date cell saved with its (midnight) time
        t = m[1]
    if m := _ISO.fullmatch(t):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif m := _DAY_FIRST.fullmatch(t):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        y += 2000 if y < 100 else 0
        if mo > 12 and d <= 12:
            raise ValueError(
                f"{text} is not a date in day/month/year order (there is no month {mo}); "
                f"write it as {mo:02d}/{d:02d}/{y} or {y}-{d:02d}-{mo:02d}"
            )
    elif (m := _WORDS.fullmatch(t)) and m[2] in _MONTHS:
        d, mo, y = int(m[1]), _MONTHS[m[2]], int(m[3])
    else:
        raise ValueError(f"{text!r} is not a date; {DATE_HINT}")
    try:
        return date(y, mo, d)
    except ValueError:
        raise ValueError(f"{text} is not a real date; {DATE_HINT}") from None


_CLOCK12 = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?\s*([ap])\.?\s*m\.?")
_CLOCK24 = re.compile(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?")
TIME_HINT = "write it as 14:00, 2pm or 2.30pm"


def parse_time(text: str) -> time:
    """14:00, 9:30, 14:00:00, 14.30, 2pm, 2.30 pm, 10:00:00 AM, noon; ValueError otherwise."""
    t = text.strip().lower()
    if t in ("noon", "midday", "12 noon"):
        return time(12, 0)
    if m := _CLOCK12.fullmatch(t):
        hour, minute, second = int(m[1]), int(m[2] or 0), m[3]
        if not 1 <= hour <= 12:
            raise ValueError(f"{text} is not a time: {hour} is not an hour on a 12-hour clock")
        hour = hour % 12 + (12 if m[4] == "p" else 0)
    elif m := _CLOCK24.fullmatch(t):
        hour, minute, second = int(m[1]), int(m[2]), m[3]
        if hour > 23:
            raise ValueError(f"{text} is not a time of day; {TIME_HINT}")
    else:
        raise ValueError(f"{text!r} is not a time; {TIME_HINT}")
    if minute > 59:
        raise ValueError(f"{text} is not a time (minute {minute}); {TIME_HINT}")
    if second and int(second) != 0:
        raise ValueError(f"{text} has seconds; sessions start on the minute ({TIME_HINT})")
    return time(hour, minute)


def _exists(day: date, at: time, zone: ZoneInfo) -> bool:
    """False for wall-clock times skipped when the clocks go forward (01:30 on 29 March)."""
    local = datetime.combine(day, at, zone)
    back = local.astimezone(ZoneInfo("UTC")).astimezone(zone)
    return back.replace(tzinfo=None) == local.replace(tzinfo=None)


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word and marked with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–") + "…"


# --- reading a file ----------------------------------------------------------------------


def read_bytes(data: bytes, zone: str = "Europe/London") -> ParseResult:
    """A CSV file's bytes, whatever encoding the spreadsheet program chose."""
    try:
        decoded = decode(data, SAVE_HINT)
    except NotText as exc:
        return failed(str(exc))
    warning = None
    if decoded.encoding == CP1252:
        warning = RowError(
            None,
            None,
            (
                "The file is not UTF-8 text, so it was read as Windows-1252 (what Excel's plain "
                "“CSV” format writes). Check that £, – and quotation marks look right in the "
                f"sessions. {SAVE_HINT}"
            ),
        )
    return parse(decoded.text, zone, encoding=decoded.encoding, encoding_warning=warning)


def parse(
    text: str,
    zone: str = "Europe/London",
    *,
    encoding: str = "UTF-8",
    encoding_warning: RowError | None = None,
) -> ParseResult:
    """Read CSV text. Collects every problem in the file, not just the first."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_INVISIBLE)
    tz = ZoneInfo(zone)
    lines = (line for line in text.split("\n") if line.strip(" ,;\t"))
    first = next(lines, None)
    if first is None:
        return failed("The file is empty.")
    delimiter = _delimiter(first)
    note = f"Read as {encoding} text, columns separated by {DELIMITERS[delimiter]}."
    result = _parse(text, delimiter, tz)
    warnings = (encoding_warning,) if encoding_warning else ()
    return ParseResult(
        sessions=result.sessions,
        errors=result.errors,
        warnings=warnings + result.warnings,
        notes=(note,),
        rejected=result.rejected,
    )


def _delimiter(header_line: str) -> str:
    """The separator that makes the most known column names of the header line."""

    def score(d: str) -> tuple[int, int]:
        cells = next(csv.reader([header_line], delimiter=d), [])
        return sum(_key(c) in HEADER_NAMES for c in cells), len(cells)

    return max(DELIMITERS, key=score)


class _Records:
    """csv records numbered as spreadsheet rows; a broken quote names the row it opened in."""

    def __init__(self, text: str, delimiter: str) -> None:
        self._reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
        self.number = 0
        self.error: RowError | None = None

    def __iter__(self) -> Iterator[list[str]]:
        while True:
            self.number += 1
            try:
                record = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.error = _quote_error(self.number, str(exc))
                return
            yield record


def _quote_error(row: int, library_text: str) -> RowError:
    if "end of data" in library_text or "EOF" in library_text:
        message = (
            'a double quote (") opens a cell here that is never closed, so the rest of the '
            "file could not be read. Close the quote or remove it, then import again"
        )
    else:
        message = (
            'there is text straight after a closing double quote ("). Put the whole cell '
            'in quotes and write a quote inside it as two (""), then import again'
        )
    return RowError(row, None, message)


@dataclass(frozen=True)
class _Header:
    index: dict[str, int]  # column -> cell index
    names: dict[str, str]  # column -> the header as the file writes it
    used: int  # cells a row must have


def _header(cells: list[str]) -> tuple[_Header | None, list[RowError], list[RowError]]:
    index: dict[str, int] = {}
    names: dict[str, str] = {}
    errors: list[RowError] = []
    warnings: list[RowError] = []
    ignored: list[str] = []
    for i, raw in enumerate(cells):
        name = raw.strip()
        column = HEADER_NAMES.get(_key(name))
        if not name:
            continue
        if column is None:
            ignored.append(f"“{name}”")
        elif column in index:
            errors.append(
                RowError(
                    1,
                    column,
                    (
                        f"the columns “{names[column]}” and “{name}” both give the {column}; "
                        "keep one of them"
                    ),
                )
            )
        else:
            index[column], names[column] = i, name
    if ignored:
        warnings.append(
            RowError(
                1,
                None,
                (
                    f"the column{'s' if len(ignored) > 1 else ''} {', '.join(ignored)} "
                    f"{'are' if len(ignored) > 1 else 'is'} not part of a programme and "
                    f"{'were' if len(ignored) > 1 else 'was'} ignored (the columns used are "
                    f"{', '.join(CORE_COLUMNS)})"
                ),
            )
        )
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        found = ", ".join(f"“{c.strip()}”" for c in cells if c.strip()) or "nothing"
        errors.append(
            RowError(
                1,
                None,
                (
                    f"the header row needs the column{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(missing)} (it has {found}). The first row must name the columns: "
                    f"{', '.join(CORE_COLUMNS)}"
                ),
            )
        )
    if errors:
        return None, errors, warnings
    return _Header(index, names, max(index.values()) + 1), errors, warnings


def _parse(text: str, delimiter: str, tz: ZoneInfo) -> ParseResult:
    records = _Records(text, delimiter)
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[RowError] = []
    warnings: list[RowError] = []
    rejected: list[RejectedRow] = []
    header: _Header | None = None
    width = 0
    named: set[int] = set()
    nameless = False
    for raw in records:
        if header is None:
            if not any(c.strip() for c in raw):
                continue  # blank lines above the header
            header, head_errors, head_warnings = _header(raw)
            warnings.extend(head_warnings)
            if header is None:
                return ParseResult(errors=tuple(head_errors), warnings=tuple(warnings))
            width = len(raw)
            named = {i for i, c in enumerate(raw) if c.strip()}
            continue
        number = records.number
        if not any(cell.strip() for cell in raw):
            continue
        nameless = nameless or any(
            c.strip() for i, c in enumerate(raw) if i not in named and i < width
        )
        row = {c: raw[i] if i < len(raw) else "" for c, i in header.index.items()}
        fields = {c: row.get(c, "").strip() for c in COLUMNS}
        problem = None
        if len(raw) < header.used:
            problem = f"has {len(raw)} cells, the header has {width}; add the missing cells"
        elif len(raw) > width:  # spreadsheets write every row as wide as the header
            problem = (
                f"has {len(raw)} cells, the header has {width}. Is there a "
                f"{'comma' if delimiter == ',' else 'separator'} inside a cell? Put that "
                "cell in double quotes"
            )
        if problem:
            error = RowError(number, None, problem)
            errors.append(error)
            rejected.append(RejectedRow(number, fields, (error,)))
            continue
        rows.append((number, {c: _unquoted(v) for c, v in row.items()}))
    if records.error is not None:
        errors.append(records.error)
    if header is None:
        return failed("The file is empty.")
    if nameless:
        warnings.append(
            RowError(
                1,
                None,
                (
                    "some cells are under a column with no name in the header and were ignored; "
                    "give the column a name or delete it"
                ),
            )
        )
    result = _rows(rows, tz, header.names, failed_before=bool(errors))
    return ParseResult(
        sessions=result.sessions,
        errors=tuple(sorted([*errors, *result.errors], key=_order)),
        warnings=tuple(sorted([*warnings, *result.warnings], key=_order)),
        rejected=tuple(sorted([*rejected, *result.rejected], key=lambda r: r.row)),
    )


def _order(e: RowError) -> int:
    return e.row or 0


def _unquoted(cell: str) -> str:
    """A cell as typed before `write` quoted it against formulas (see skill/spreadsheet)."""
    restored = restore_cell(cell.strip())
    return restored if restored != cell.strip() else cell


def parse_rows(
    rows: Iterable[tuple[int, dict[str, str]]], zone: str = "Europe/London"
) -> ParseResult:
    """Sessions from rows already split into the columns, each with the number its findings
    should carry. The .ics import and the admin form use this, so every source of sessions
    obeys the same rules."""
    return _rows(rows, ZoneInfo(zone), {})


def _rows(
    rows: Iterable[tuple[int, dict[str, str]]],
    tz: ZoneInfo,
    names: dict[str, str],
    failed_before: bool = False,
) -> ParseResult:
    sessions: list[Session] = []
    errors: list[RowError] = []
    warnings: list[RowError] = []
    rejected: list[RejectedRow] = []
    seen: dict[tuple[date, time, str], int] = {}
    for number, raw in rows:
        row = {c: _clean(raw.get(c)) for c in COLUMNS}
        cell = _Cell(number, names)
        session = _session(row, tz, cell)
        if session is not None:
            key = (session.date, session.start, session.title.casefold())
            if key in seen:
                cell.fail("title", f"repeats row {seen[key]} (same date, start and title)")
                session = None
            else:
                seen[key] = number
        errors.extend(cell.errors)
        warnings.extend(cell.warnings)
        if session is None:
            rejected.append(RejectedRow(number, row, tuple(cell.errors)))
        else:
            sessions.append(session)
    if not sessions and not errors and not failed_before:
        errors.append(RowError(None, None, "The file has a header but no sessions."))
    return ParseResult(
        sessions=assign_ids(sessions),
        errors=tuple(sorted(errors, key=_order)),
        warnings=tuple(sorted(warnings, key=_order)),
        rejected=tuple(rejected),
    )


def _clean(value: object) -> str:
    return str(value or "").translate(_INVISIBLE).strip()


class _Cell:
    """Collects one row's findings, naming each column as the file does."""

    def __init__(self, number: int, names: dict[str, str]) -> None:
        self.number = number
        self.names = names
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []

    def _at(self, column: str, message: str) -> RowError:
        return RowError(self.number, column, message, field=self.names.get(column))

    def fail(self, column: str, message: str) -> None:
        self.errors.append(self._at(column, message))

    def warn(self, column: str, message: str) -> None:
        self.warnings.append(self._at(column, message))


def _session(row: dict[str, str], tz: ZoneInfo, cell: _Cell) -> Session | None:
    for column in REQUIRED:
        if not row[column]:
            cell.fail(column, "is empty")
    for column, limit in MAX_TEXT.items():
        if _CONTROL.search(row[column]):
            row[column] = " ".join(_CONTROL.sub(" ", row[column]).split())
            cell.warn(column, "had invisible control characters, which were removed")
        length = len(row[column])
        if length <= limit:
            continue
        if column in SHORTENED:
            row[column] = shorten(row[column], limit)
            cell.warn(
                column,
                f"was {length:,} characters long and was shortened to at most {limit:,} "
                "(the skill reads it aloud)",
            )
        else:
            cell.fail(column, f"is {length:,} characters long (at most {limit:,}); shorten it")
    day = _cell(cell, "date", row["date"], parse_date)
    start = _cell(cell, "start", row["start"], parse_time)
    end = _cell(cell, "end", row["end"], parse_time)
    if start is not None and end is not None and end <= start:
        cell.fail(
            "end",
            f"{end:%H:%M} is before the start {start:%H:%M}"
            if end < start
            else "is the same as the start",
        )
    if day is not None:
        for column, value in (("start", start), ("end", end)):
            if value is not None and not _exists(day, value, tz):
                cell.fail(
                    column,
                    (
                        f"{value:%H:%M} does not exist on {day:%d/%m/%Y} in "
                        f"{tz.key} (the clocks go forward)"
                    ),
                )
    status = row["status"].casefold()
    if status in ("canceled", "cancelled"):
        status = CANCELLED
    elif status in ("", "scheduled", "confirmed"):
        status = SCHEDULED
    else:
        cell.fail("status", f"{row['status']!r} should be empty, 'scheduled' or 'cancelled'")
    feedback = row["feedback"].casefold()
    if feedback not in FEEDBACK_YES + FEEDBACK_NO:
        cell.fail(
            "feedback",
            f"{row['feedback']!r} should be yes or no (empty means yes): whether visitors "
            "are asked how the session went",
        )
    if cell.errors or day is None or start is None or end is None:
        return None
    aliases = tuple(dict.fromkeys(a.strip() for a in row["aliases"].split(";") if a.strip()))
    return Session(
        id="",
        date=day,
        start=start,
        end=end,
        title=row["title"],
        room=row["room"],
        presenter=row["presenter"],
        description=row["description"],
        aliases=aliases,
        status=status,
        asks_feedback=feedback not in FEEDBACK_NO,
    )


def _cell(cell: _Cell, column: str, text: str, parser: Callable[[str], T]) -> T | None:
    if not text:
        return None
    try:
        return parser(text)
    except ValueError as exc:
        cell.fail(column, str(exc))
        return None


def write(sessions: Iterable[Session]) -> str:
    """CSV text that `parse` reads back to the same sessions; no cell runs as a formula.

    The `feedback` column is written only when some session doesn't ask for feedback, so
    a programme that never turned it off exports exactly as before the column existed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    ordered = sorted(sessions, key=lambda s: (s.date, s.start, s.title))
    with_feedback = any(not s.asks_feedback for s in ordered)
    writer.writerow(COLUMNS if with_feedback else COLUMNS[:-1])
    for s in ordered:
        feedback = ["yes" if s.asks_feedback else "no"] if with_feedback else []
        writer.writerow(
            safe_cell(cell)
            for cell in [
                s.date.isoformat(),
                s.start.strftime("%H:%M"),
                s.end.strftime("%H:%M"),
                s.title,
                s.room,
                s.presenter,
                s.description,
                "; ".join(s.aliases),
                CANCELLED if s.cancelled else "",
                *feedback,
            ]
        )
    return out.getvalue()
