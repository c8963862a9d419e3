"""The programme CSV (contract format): read with plain-words errors, and write.

`date,start,end,title,room,presenter,description,aliases,status` — dates YYYY-MM-DD,
times HH:MM (24 h) in the programme's zone, aliases separated by `;`, status empty,
`scheduled` or `cancelled`. Rows are numbered as a spreadsheet shows them (the header
is row 1), so an admin can go straight to the cell that is wrong.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from skill.programme.model import CANCELLED, SCHEDULED, Session, assign_ids

COLUMNS = ("date", "start", "end", "title", "room", "presenter", "description", "aliases",
           "status")  # fmt: skip
REQUIRED = ("date", "start", "end", "title")
# Invisible codes pasted from other programs; Alexa could not say them (tabs, newlines fine).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_TEXT = {"title": 120, "room": 80, "presenter": 120, "description": 1000, "aliases": 500}


@dataclass(frozen=True)
class RowError:
    """One problem, located: "Row 4, column 'end': 10:30 is before the start 11:00"."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True)
class ParseResult:
    """Sessions read from a file; nothing may be published unless `errors` is empty."""

    sessions: tuple[Session, ...] = ()
    errors: tuple[RowError, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_date(text: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"{text!r} is not a date like 2026-05-18")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text} is not a real date") from None


def _parse_time(text: str) -> time:
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise ValueError(f"{text!r} is not a 24-hour time like 09:30 or 14:00")
    return time(int(m[1]), int(m[2]))


def _exists(day: date, at: time, zone: ZoneInfo) -> bool:
    """False for wall-clock times skipped when the clocks go forward (01:30 on 29 March)."""
    local = datetime.combine(day, at, zone)
    back = local.astimezone(ZoneInfo("UTC")).astimezone(zone)
    return back.replace(tzinfo=None) == local.replace(tzinfo=None)


def parse(text: str, zone: str = "Europe/London") -> ParseResult:
    """Read CSV text (a leading BOM from Excel is fine). Collects every error, not the first."""
    try:
        return _parse(text, ZoneInfo(zone))
    except csv.Error as exc:  # e.g. an unclosed quote, or text straight after a quote
        return ParseResult(errors=(RowError(None, None, f"This is not a valid CSV file: {exc}."),))


def _parse(text: str, tz: ZoneInfo) -> ParseResult:
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), strict=True)
    header = next(reader, None)
    if header is None:
        return ParseResult(errors=(RowError(None, None, "The file is empty."),))
    names = [h.strip().lower() for h in header]
    errors: list[RowError] = []
    for name in names:
        if name not in COLUMNS:
            errors.append(RowError(1, name, f"unknown column (expected {', '.join(COLUMNS)})"))
    for name in COLUMNS:
        if name not in names:
            errors.append(RowError(1, name, "this column is missing"))
    if errors:
        return ParseResult(errors=tuple(errors))

    rows: list[tuple[int, dict[str, str]]] = []
    for number, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(names):
            errors.append(
                RowError(number, None, f"has {len(raw)} cells, the header has {len(names)}")
            )
            continue
        rows.append((number, {name: cell.strip() for name, cell in zip(names, raw, strict=True)}))
    return _rows(rows, tz, errors)


def parse_rows(
    rows: Iterable[tuple[int, dict[str, str]]], zone: str = "Europe/London"
) -> ParseResult:
    """Sessions from rows already split into the columns, each with the number its errors
    should carry. The .ics import and the admin form use this, so every source of sessions
    obeys the same rules and speaks the same messages."""
    cleaned = [(n, {c: str(row.get(c) or "").strip() for c in COLUMNS}) for n, row in rows]
    return _rows(cleaned, ZoneInfo(zone), [])


def _rows(
    rows: Iterable[tuple[int, dict[str, str]]], tz: ZoneInfo, errors: list[RowError]
) -> ParseResult:
    sessions: list[Session] = []
    seen: dict[tuple[date, time, str], int] = {}
    for number, row in rows:
        session, row_errors = _session(number, row, tz)
        errors.extend(row_errors)
        if session is None:
            continue
        key = (session.date, session.start, session.title.lower())
        if key in seen:
            errors.append(RowError(number, "title", f"repeats row {seen[key]}"))
            continue
        seen[key] = number
        sessions.append(session)
    if not sessions and not errors:
        errors.append(RowError(None, None, "The file has a header but no sessions."))
    if errors:  # in row order, whichever check found them
        return ParseResult(errors=tuple(sorted(errors, key=lambda e: e.row or 0)))
    return ParseResult(sessions=assign_ids(sessions))


def _session(number: int, row: dict[str, str], tz: ZoneInfo) -> tuple[Session | None, list]:
    errors: list[RowError] = []

    def fail(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    for column in REQUIRED:
        if not row[column]:
            fail(column, "is empty")
    for column, limit in MAX_TEXT.items():
        if len(row[column]) > limit:
            fail(column, f"is {len(row[column])} characters long (at most {limit})")
        if _CONTROL.search(row[column]):
            fail(column, "contains an invisible control character (retype it)")
    parsed: dict[str, object] = {}
    for column, parser in (("date", _parse_date), ("start", _parse_time), ("end", _parse_time)):
        if row[column]:
            try:
                parsed[column] = parser(row[column])
            except ValueError as exc:
                fail(column, str(exc))
    day, start, end = parsed.get("date"), parsed.get("start"), parsed.get("end")
    if isinstance(start, time) and isinstance(end, time) and end <= start:
        fail(
            "end",
            f"{row['end']} is before the start {row['start']}"
            if end < start
            else "is the same as the start",
        )
    if isinstance(day, date):
        for column, value in (("start", start), ("end", end)):
            if isinstance(value, time) and not _exists(day, value, tz):
                fail(
                    column,
                    f"{row[column]} does not exist on {day} in {tz.key} (the clocks go forward)",
                )
    status = row["status"].lower()
    if status == "canceled":
        status = CANCELLED
    if status not in ("", SCHEDULED, CANCELLED):
        fail("status", f"{row['status']!r} should be empty, 'scheduled' or 'cancelled'")
    if errors:
        return None, errors
    aliases = tuple(dict.fromkeys(a.strip() for a in row["aliases"].split(";") if a.strip()))
    return Session(
        id="",
        date=day,  # type: ignore[arg-type]
        start=start,  # type: ignore[arg-type]
        end=end,  # type: ignore[arg-type]
        title=row["title"],
        room=row["room"],
        presenter=row["presenter"],
        description=row["description"],
        aliases=aliases,
        status=status or SCHEDULED,
    ), []


def write(sessions: Iterable[Session]) -> str:
    """CSV text that `parse` reads back to the same sessions."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for s in sorted(sessions, key=lambda s: (s.date, s.start, s.title)):
        writer.writerow(
            [
                s.date.isoformat(),
                s.start.strftime("%H:%M"),
                s.end.strftime("%H:%M"),
                s.title,
                s.room,
                s.presenter,
                s.description,
                "; ".join(s.aliases),
                CANCELLED if s.cancelled else "",
            ]
        )
    return out.getvalue()
