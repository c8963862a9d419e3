"""What an OT reads from the log: per-day counts by outcome, who took part, a CSV for records."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from skill.spreadsheet import safe_cell
from skill.triallog import OUTCOMES, Entry

CSV_COLUMNS = ("time_utc", "day", "user", "intent", "device", "outcome")


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


def totals(days: Iterable[Day]) -> Counter[str]:
    total: Counter[str] = Counter({o: 0 for o in OUTCOMES})
    for day in days:
        total.update(day.counts)
    return total


def participants(entries: Iterable[Entry]) -> list[Participant]:
    seen: dict[str, list[Any]] = {}
    for e in entries:
        row = seen.setdefault(e.user, [e.day, e.day, 0])
        row[0], row[1], row[2] = min(row[0], e.day), max(row[1], e.day), row[2] + 1
    return [Participant(u, *row) for u, row in sorted(seen.items(), key=lambda kv: kv[1][0])]


def to_csv(entries: Iterable[Entry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        cells = (e.at.isoformat(timespec="seconds"), e.day, e.user, e.intent, e.device, e.outcome)
        writer.writerow(safe_cell(cell or "") for cell in cells)
    return out.getvalue()
