"""A span of programme days, optionally narrowed to a part of day or one time of day.

The domain's way of saying "Wednesday afternoon" or "next week": queries take a `Period`;
how Alexa's slot values become one is the intents' business (`skill.intents.when`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time
from enum import Enum
from typing import Any


class PartOfDay(Enum):
    """AMAZON.TIME's fuzzy times, as [start, end) hours of the programme's day."""

    MO = ("morning", 0, 12)
    AF = ("afternoon", 12, 17)
    EV = ("evening", 17, 24)
    NI = ("night", 20, 24)

    @property
    def word(self) -> str:
        return self.value[0]

    @property
    def hours(self) -> tuple[int, int]:
        return self.value[1], self.value[2]

    def contains(self, t: time) -> bool:
        return self.value[1] <= t.hour < self.value[2]


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
