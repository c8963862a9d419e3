"""What an OT reads from the log: per-day counts by outcome, who took part, a CSV for records.

People and times are shown as the OT knows them (`Names`): the label they gave a person or
the person's home, never only a code, and times in the home's (or the install's) time zone.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from skill.spreadsheet import safe_cell
from skill.triallog import OUTCOMES, Entry
from skill.triallog.wording import device_name, outcome_words, what_happened

SHORT_CODE = 4  # hex digits of a person's code shown next to a home's label
CSV_COLUMNS = (
    "Date",
    "Time",
    "Time zone",
    "Person",
    "Home",
    "What happened",
    "Result",
    "Device",
    "Person code (for analysis)",
    "Request code (for analysis)",
    "Result code (for analysis)",
)


@dataclass(frozen=True)
class Names:
    """How the OT knows people, homes and time: labels they chose, each home's time zone.

    `people` maps (home id, person code) to the label the OT gave that person on the
    home's page; `homes` maps home ids to their labels; `zone` is the install's time zone,
    used for entries of no (or an unknown) home.
    """

    zone: ZoneInfo
    homes: Mapping[str, str] = field(default_factory=dict)
    zones: Mapping[str, ZoneInfo] = field(default_factory=dict)
    people: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def zone_of(self, home: str) -> ZoneInfo:
        return self.zones.get(home, self.zone)

    def home(self, home: str) -> str:
        return self.homes.get(home, "")

    def person(self, user: str, home: str = "") -> str:
        """ "Mrs B", else "Trial home A (person 4ba7)", else "Person 4ba7"."""
        label = self.people.get((home, user))
        if label:
            return label
        short = user[:SHORT_CODE]
        home_label = self.home(home)
        return f"{home_label} (person {short})" if home_label else f"Person {short}"

    def local(self, entry: Entry) -> datetime:
        return entry.at.astimezone(self.zone_of(entry.home))


@dataclass(frozen=True)
class Gap:
    """Days in a row with no use at all, shown as one row ("No use from 3 to 17 November")."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def words(self) -> str:
        if self.first == self.last:
            return f"No use on {_long(self.first)}"
        if (self.first.year, self.first.month) == (self.last.year, self.last.month):
            start = str(self.first.day)
        elif self.first.year == self.last.year:
            start = f"{self.first.day} {self.first:%B}"
        else:
            start = _long(self.first)
        return f"No use from {start} to {_long(self.last)}"


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass
class Day:
    day: date
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def success_rate(self) -> float | None:
        """Share of device commands that worked (None when there were none)."""
        tried = sum(self.counts[o] for o in ("done", "not_understood", "unreachable", "refused"))
        return self.counts["done"] / tried if tried else None


@dataclass(frozen=True)
class Participant:
    user: str
    first: str
    last: str
    count: int
    home: str = ""  # the home of their latest request
    last_at: datetime | None = None  # UTC

    @property
    def first_day(self) -> date:
        return date.fromisoformat(self.first)


def daily(
    entries: Iterable[Entry], start: date | None = None, end: date | None = None
) -> list[Day]:
    """One row per day from start to end (or the first to last entry), empty days included,
    so a chart shows the gaps where voice control wasn't used."""
    counts: dict[date, Counter[str]] = {}
    for entry in entries:
        counts.setdefault(date.fromisoformat(entry.day), Counter())[entry.outcome] += 1
    if not counts and not (start and end):
        return []
    first = start or min(counts)
    last = end or max(counts)
    if (last - first).days > 3660:  # a decade: a typo, not a trial
        first = last - timedelta(days=3660)
    days, current = [], first
    while current <= last:
        days.append(Day(current, counts.get(current, Counter())))
        current += timedelta(days=1)
    return days


def fold(days: Iterable[Day]) -> list[Day | Gap]:
    """The days as a table shows them: each run of empty days becomes one `Gap`."""
    rows: list[Day | Gap] = []
    for day in days:
        last = rows[-1] if rows else None
        if day.total:
            rows.append(day)
        elif isinstance(last, Gap) and last.last + timedelta(days=1) == day.day:
            rows[-1] = Gap(last.first, day.day)
        else:
            rows.append(Gap(day.day, day.day))
    return rows


def totals(days: Iterable[Day]) -> Counter[str]:
    total: Counter[str] = Counter({o: 0 for o in OUTCOMES})
    for day in days:
        total.update(day.counts)
    return total


def participants(entries: Iterable[Entry]) -> list[Participant]:
    seen: dict[str, list[Any]] = {}
    for e in entries:
        row = seen.setdefault(e.user, [e.day, e.day, 0, e.home, e.at])
        row[0], row[1], row[2] = min(row[0], e.day), max(row[1], e.day), row[2] + 1
        if e.at >= row[4]:
            row[3], row[4] = e.home, e.at
    return [Participant(u, *row) for u, row in sorted(seen.items(), key=lambda kv: kv[1][0])]


@dataclass(frozen=True)
class Line:
    """One entry as an OT reads it."""

    at: datetime  # local, in the home's zone
    person: str
    home: str
    what: str
    result: str
    device: str
    entry: Entry

    @property
    def zone(self) -> str:
        return str(self.at.tzinfo)


def lines(entries: Iterable[Entry], names: Names) -> list[Line]:
    return [
        Line(
            at=names.local(e),
            person=names.person(e.user, e.home),
            home=names.home(e.home),
            what=what_happened(e.intent, e.device, e.outcome),
            result=outcome_words(e.outcome),
            device=device_name(e.device) if e.device else "",
            entry=e,
        )
        for e in entries
    ]


def to_csv(entries: Iterable[Entry], names: Names | None = None) -> str:
    """Local times with the zone named, people by their labels, plain words; the stored
    codes follow in columns marked "for analysis" (to count or join them in a spreadsheet)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for line in lines(entries, names or Names(ZoneInfo("UTC"))):
        e = line.entry
        cells = (
            line.at.date().isoformat(),
            line.at.strftime("%H:%M:%S"),
            f"{line.zone} ({line.at:%Z})",
            line.person,
            line.home,
            line.what,
            line.result,
            line.device,
            e.user,
            e.intent,
            e.outcome,
        )
        writer.writerow(safe_cell(cell or "") for cell in cells)
    return out.getvalue()
