"""A year-long Outlook export into a draft: time and memory (goal: under 2 s and 200 MB).

The calendar is Outlook 365-shaped (Windows zone names with Outlook's VTIMEZONE, Teams
join blocks in descriptions, room attendees, X-MICROSOFT-CDO properties, folded lines)
and covers a year: weekly series with dates left out and occurrences moved, single
events, and all-day banners. "Import" is what the admin upload does: read the bytes,
create the draft in SQLite, then open the draft and check it (validate), as the draft
page does on every view. Memory is the peak traced by tracemalloc during the import.

Also: checking a crowded programme (every session in one room at once, the case that
took the old pairwise check 132 s) at 1,000 and 4,000 sessions.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from _common import TOPICS  # also puts the project root on sys.path

from skill.programme import formats
from skill.programme.editing.drafts import DraftStore
from skill.programme.editing.validate import validate
from skill.programme.model import Session, assign_ids

FIRST = date(2026, 1, 5)  # a Monday
WEEKS = 52
ROOMS = ["Neuadd y Sir, Ystafell 1", "Neuadd y Sir, Ystafell 2", "Library", "Council chamber"]
VTIMEZONE = """BEGIN:VTIMEZONE
TZID:GMT Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T010000
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE"""
TEAMS = (
    "\\n\\n" + "_" * 80 + "\\nMicrosoft Teams meeting\\nJoin on your computer\\, mobile app or "
    "room device\\nClick here to join the meeting<https://teams.microsoft.com/l/meetup-join/19"
    "%3ameeting_NjA1ZTY4%40thread.v2/0>\\nMeeting ID: 371 885 194 513\\nPasscode: Xq7bKd\\n"
    "Learn More<https://aka.ms/JoinTeamsMeeting> | Meeting options<https://teams.microsoft."
    "com/meetingOptions/>\\n" + "_" * 80 + "\\n"
)
DAYS = ["MO", "TU", "WE", "TH", "FR"]


def _fold(line: str) -> str:
    parts = [line[:75]] + [" " + line[i : i + 74] for i in range(75, len(line), 74)]
    return "\r\n".join(parts)


def _event(uid: str, title: str, start: datetime, minutes: int, room: str, extra: str = "") -> str:
    end = start + timedelta(minutes=minutes)
    lines = [
        "BEGIN:VEVENT",
        "CLASS:PUBLIC",
        f"DESCRIPTION:An hour on {title.lower()}. Bring a laptop if you have one.{TEAMS}",
        f'DTEND;TZID="GMT Standard Time":{end:%Y%m%dT%H%M%S}',
        "DTSTAMP:20251201T090000Z",
        f'DTSTART;TZID="GMT Standard Time":{start:%Y%m%dT%H%M%S}',
        f"LOCATION:{room.replace(',', chr(92) + ',')}",
        'ORGANIZER;CN="Learning and Development Team":mailto:learning@example.gov.uk',
        'ATTENDEE;CN="Rhys Evans";ROLE=CHAIR;RSVP=TRUE:mailto:rhys@example.gov.uk',
        f'ATTENDEE;CN="{room}";CUTYPE=ROOM;ROLE=NON-PARTICIPANT:mailto:room@example.gov.uk',
        f"SUMMARY;LANGUAGE=en-gb:{title}",
        f"UID:{uid}",
        "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
        "X-MICROSOFT-CDO-IMPORTANCE:1",
        *([extra] if extra else []),
        "END:VEVENT",
    ]
    return "\r\n".join(_fold(x) for x in lines)


def outlook_year() -> tuple[bytes, int]:
    """The export's bytes and how many sessions it should give."""
    events: list[str] = []
    expected = 0
    # 30 weekly series, each a year long, with two dates left out and one moved.
    for n in range(30):
        day = FIRST + timedelta(days=n % 5)
        start = datetime.combine(day, datetime.min.time()).replace(hour=9 + n // 5)
        until = start + timedelta(weeks=WEEKS - 1)
        title = f"{TOPICS[n % len(TOPICS)]} {n + 1}"
        skipped = [start + timedelta(weeks=w) for w in (10, 30)]
        exdate = ",".join(f"{d:%Y%m%dT%H%M%S}" for d in skipped)
        rule = (
            f"RRULE:FREQ=WEEKLY;UNTIL={until:%Y%m%dT%H%M%SZ};INTERVAL=1;"
            f"BYDAY={DAYS[n % 5]};WKST=MO\r\n"
            f'EXDATE;TZID="GMT Standard Time":{exdate}'
        )
        uid = f"040000008200E00074C5B7101A82E008{n:016X}"
        events.append(_event(uid, title, start, 60, ROOMS[n % 4], rule))
        moved_from = start + timedelta(weeks=20)
        events.append(
            _event(
                uid,
                title,
                moved_from + timedelta(hours=5),
                60,
                ROOMS[(n + 1) % 4],
                f'RECURRENCE-ID;TZID="GMT Standard Time":{moved_from:%Y%m%dT%H%M%S}',
            )
        )
        expected += WEEKS - 2
    # Single events to about 2,000 sessions, and a banner a month (skipped).
    for n in range(2000 - expected):
        day = FIRST + timedelta(days=(n * 7) % 360)
        start = datetime.combine(day, datetime.min.time()).replace(hour=15, minute=30)
        title = f"Drop-in {n + 1}"
        events.append(_event(f"single-{n}", title, start, 45, ROOMS[n % 4]))
        expected += 1
    for month in range(1, 13):
        events.append(
            "\r\n".join(
                [
                    "BEGIN:VEVENT",
                    f"DTSTART;VALUE=DATE:2026{month:02d}01",
                    f"DTEND;VALUE=DATE:2026{month:02d}02",
                    f"SUMMARY:Month {month} begins",
                    f"UID:banner-{month}",
                    "END:VEVENT",
                ]
            )
        )
    text = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
            "VERSION:2.0",
            "METHOD:PUBLISH",
            VTIMEZONE.replace("\n", "\r\n"),
            *events,
            "END:VCALENDAR",
            "",
        ]
    )
    return text.encode("utf-8"), expected


def import_into_draft(data: bytes, folder: Path, trace: bool = False) -> dict[str, Any]:
    """One import as the admin upload does it; with `trace`, the peak memory instead."""
    store = DraftStore(folder / "drafts.sqlite3")
    if trace:
        tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    result = formats.read_data("outlook.ics", data)
    read_s = time.perf_counter() - wall
    draft = store.create("outlook.ics", result.sessions, "bench")
    opened = store.get(draft.id)
    problems = validate(opened.sessions)
    figures = {
        "sessions": len(opened.sessions),
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "overlap_warnings": len(problems),
        "read_s": read_s,
        "total_s": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu,
    }
    if trace:
        figures["peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return figures


def crowded_check(n: int) -> float:
    """Seconds to check n sessions all in one room at once (n - 1 overlap warnings)."""
    day = date(2026, 5, 18)
    start, end = datetime(2026, 5, 18, 9).time(), datetime(2026, 5, 18, 17).time()
    sessions = assign_ids(Session("", day, start, end, f"S {i}", room="Hall") for i in range(n))
    began = time.perf_counter()
    validate(sessions)
    return time.perf_counter() - began


def run(reps: int = 3) -> dict[str, Any]:
    data, expected = outlook_year()
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        for i in range(reps + 1):
            sub = Path(folder) / str(i)
            sub.mkdir()
            runs.append(import_into_draft(data, sub, trace=i == reps))
    traced = runs.pop()
    best = min(runs, key=lambda r: r["total_s"])
    return {
        "file_kib": len(data) / 1024,
        "vevents": data.count(b"BEGIN:VEVENT"),
        "expected_sessions": expected,
        **best,
        "worst_total_s": max(r["total_s"] for r in runs),
        "peak_mb": traced["peak_mb"],
        "load_average": os.getloadavg()[0],
        "crowded_1000_s": crowded_check(1000),
        "crowded_4000_s": crowded_check(4000),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
