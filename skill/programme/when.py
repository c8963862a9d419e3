"""What AMAZON.DATE and AMAZON.TIME values mean, as a `Period` of programme days.

Alexa resolves "Wednesday", "next week" or "this summer" into ISO-like strings
(`2026-05-20`, `2026-W22`, `2026-W21-WE`, `2026-05`, `2026`, `202X`, `2026-SU`) and
"this afternoon" into `AF`. Parsing them here keeps the intent handlers free of date
arithmetic and lets the domain be tested without envelopes.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from enum import Enum
from typing import Any


class UnsupportedWhen(ValueError):
    """A date or time value the skill cannot turn into days (said back helpfully)."""

    def __init__(self, value: str, slot: str) -> None:
        super().__init__(f"unsupported {slot} value {value!r}")
        self.value = value
        self.slot = slot


class PartOfDay(Enum):
    """AMAZON.TIME's fuzzy times, as [start, end) hours of the programme's day."""

    MO = ("morning", 0, 12)
    AF = ("afternoon", 12, 17)
    EV = ("evening", 17, 24)
    NI = ("night", 20, 24)

    @property
    def word(self) -> str:
        return self.value[0]

    def contains(self, t: time) -> bool:
        return self.value[1] <= t.hour < self.value[2]


# Meteorological seasons (northern hemisphere); winter runs into the next year.
_SEASONS = {"SP": (3, 5, "spring"), "SU": (6, 8, "summer"), "FA": (9, 11, "autumn")}


@dataclass(frozen=True)
class Period:
    """Days `first`..`last` inclusive, optionally narrowed to a part of day or one time.

    `kind` says how it was asked (day, week, weekend, month, year, decade, season, range),
    so the answer can name it the way the person did.
    """

    first: date
    last: date
    kind: str = "day"
    part: PartOfDay | None = None
    at: time | None = None
    name: str = ""  # e.g. "summer" for seasons

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def with_time(self, when: PartOfDay | time | None) -> Period:
        if when is None:
            return self
        if isinstance(when, PartOfDay):
            return replace(self, part=when, at=None)
        return replace(self, at=when, part=None)

    def to_dict(self) -> dict[str, Any]:
        """Session-attribute form (JSON), so "more" can re-run the same question."""
        return {
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "kind": self.kind,
            "part": self.part.name if self.part else None,
            "at": self.at.strftime("%H:%M") if self.at else None,
            "name": self.name,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Period:
        return cls(
            first=date.fromisoformat(data["first"]),
            last=date.fromisoformat(data["last"]),
            kind=data.get("kind") or "day",
            part=PartOfDay[data["part"]] if data.get("part") else None,
            at=time.fromisoformat(data["at"]) if data.get("at") else None,
            name=data.get("name") or "",
        )


def day(on: date) -> Period:
    return Period(on, on, "day")


def parse_date(value: str, today: date) -> Period:
    """An AMAZON.DATE value as days. `today` (the listener's) answers "PRESENT_REF"."""
    text = value.strip().upper()
    try:
        if text == "PRESENT_REF":
            return day(today)
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
            return day(date(int(m[1]), int(m[2]), int(m[3])))
        if m := re.fullmatch(r"(\d{4})-W(\d{1,2})(-WE)?", text):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            if m[3]:
                return Period(monday + timedelta(days=5), monday + timedelta(days=6), "weekend")
            return Period(monday, monday + timedelta(days=6), "week")
        if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
            year, month = int(m[1]), int(m[2])
            last = calendar.monthrange(year, month)[1]
            return Period(date(year, month, 1), date(year, month, last), "month")
        if m := re.fullmatch(r"(\d{4})-(WI|SP|SU|FA)", text):
            year = int(m[1])
            if m[2] == "WI":
                end = date(year + 1, 3, 1) - timedelta(days=1)
                return Period(date(year, 12, 1), end, "season", name="winter")
            first_month, last_month, name = _SEASONS[m[2]]
            last = calendar.monthrange(year, last_month)[1]
            return Period(
                date(year, first_month, 1), date(year, last_month, last), "season", name=name
            )
        if m := re.fullmatch(r"(\d{4})", text):
            year = int(m[1])
            return Period(date(year, 1, 1), date(year, 12, 31), "year")
        if m := re.fullmatch(r"(\d{3})X", text):
            start = int(m[1]) * 10
            return Period(date(start, 1, 1), date(start + 9, 12, 31), "decade")
    except ValueError:  # e.g. 2026-02-30 or week 54
        pass
    raise UnsupportedWhen(value, "date")


def parse_time(value: str) -> PartOfDay | time:
    """An AMAZON.TIME value: "14:00" (a time) or MO/AF/EV/NI (a part of the day)."""
    text = value.strip().upper()
    if text in PartOfDay.__members__:
        return PartOfDay[text]
    if m := re.fullmatch(r"(\d{1,2}):(\d{2})", text):
        try:
            return time(int(m[1]), int(m[2]))
        except ValueError:
            pass
    raise UnsupportedWhen(value, "time")


def period(date_value: str | None, time_value: str | None, today: date) -> Period | None:
    """The period a "what's on" question asks about; None when neither slot was filled."""
    if not date_value and not time_value:
        return None
    base = parse_date(date_value, today) if date_value else day(today)
    return base.with_time(parse_time(time_value) if time_value else None)
