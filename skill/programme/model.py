"""One taster session, as admins enter it and visitors ask about it.

Dates and times are wall-clock values in the programme's time zone (that is how a
printed programme reads); `Programme` turns them into instants once, when it indexes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

SCHEDULED = "scheduled"
CANCELLED = "cancelled"
STATUSES = (SCHEDULED, CANCELLED)


@dataclass(frozen=True)
class Session:
    """A session on one day. `id` is stable across versions: the SESSION slot type uses it."""

    id: str
    date: date
    start: time
    end: time
    title: str
    room: str = ""
    presenter: str = ""
    description: str = ""
    aliases: tuple[str, ...] = field(default=())
    status: str = SCHEDULED
    # Visitors are asked "how was it?" after it ends (docs/feedback.md). On by default: the
    # week's retrospectives asked after every session; an admin turns it off per session.
    asks_feedback: bool = True

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED

    def starts_at(self, zone: ZoneInfo) -> datetime:
        return datetime.combine(self.date, self.start, zone)

    def ends_at(self, zone: ZoneInfo) -> datetime:
        return datetime.combine(self.date, self.end, zone)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form used by every store (strings only, so DynamoDB needs no Decimals)."""
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
            "title": self.title,
            "room": self.room,
            "presenter": self.presenter,
            "description": self.description,
            "aliases": list(self.aliases),
            "status": self.status,
            "asks_feedback": self.asks_feedback,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        return cls(
            id=str(data["id"]),
            date=date.fromisoformat(data["date"]),
            start=time.fromisoformat(data["start"]),
            end=time.fromisoformat(data["end"]),
            title=str(data["title"]),
            room=str(data.get("room") or ""),
            presenter=str(data.get("presenter") or ""),
            description=str(data.get("description") or ""),
            aliases=tuple(data.get("aliases") or ()),
            status=str(data.get("status") or SCHEDULED),
            # Versions stored before the field asked for feedback, as sessions do by default.
            asks_feedback=data.get("asks_feedback") is not False,
        )


def slugify(text: str) -> str:
    """ "3D printing & more" -> "3d-printing-more": ASCII, lower case, hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "session"


def assign_ids(sessions: Iterable[Session]) -> tuple[Session, ...]:
    """Give sessions without an id one derived from the title ("learn-to-code", then
    "learn-to-code-2" for the next occurrence in time order). A repeated id stays with the
    earliest session; the later ones get new ids, so no two sessions ever share one.

    Ids come from titles rather than dates so they survive a re-import or the demo-week
    shift, and the interaction model's SESSION values keep pointing at the same session.
    """
    ordered = sorted(sessions, key=lambda s: (s.date, s.start, s.title))
    taken: set[str] = set()
    for index, session in enumerate(ordered):  # a repeated id is kept by the earliest only
        if session.id in taken:
            ordered[index] = replace(session, id="")
        elif session.id:
            taken.add(session.id)
    last: dict[str, int] = {}  # base -> the last suffix tried, so a series is not quadratic
    result = []
    for session in ordered:
        if not session.id:
            base = slugify(session.title)
            n = last.get(base, 1)
            candidate = base if n == 1 else f"{base}-{n}"
            while candidate in taken:
                n += 1
                candidate = f"{base}-{n}"
            last[base] = n
            taken.add(candidate)
            session = replace(session, id=candidate)
        result.append(session)
    return tuple(result)


def shift_dates(sessions: Iterable[Session], days: int) -> tuple[Session, ...]:
    """Move every session by whole days (the demo stand runs the May week "this week")."""
    delta = timedelta(days=days)
    return tuple(replace(s, date=s.date + delta) for s in sessions)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
