"""Checks across sessions that a draft must pass before it is published, in plain words.

Each session's own fields (required, times, end after start) are checked where sessions
come in, by `csv_format.parse_rows`, for files and the edit form alike. Errors block
publishing; warnings are shown but may be intended (two short sessions
sharing a big hall). A title that is also another session's other name (its aliases,
called "other names people may say" on the pages) is an error: the
skill could not tell which one "tell me about …" means.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from skill.programme.matching import phrase_key
from skill.programme.model import Session


@dataclass(frozen=True)
class Problem:
    """One finding about one session (or the whole draft when `session_id` is None)."""

    message: str
    session_id: str | None = None
    field: str | None = None
    blocking: bool = True


def when(day: date, start: time | None = None) -> str:
    """ "Tuesday 19 May" or "Tuesday 19 May at 10:00"."""
    text = f"{day:%A} {day.day} {day:%B}"
    return f"{text} at {start:%H:%M}" if start else text


def _label(session: Session) -> str:
    return f"“{session.title or 'Untitled'}” on {when(session.date, session.start)}"


def _overlaps(sessions: Sequence[Session]) -> list[Problem]:
    """Sessions that start before an earlier one in the same room has ended.

    One sort by (day, room, start) and one sweep that remembers the session ending last
    so far: O(n log n) however many sessions overlap, and one warning per overlapping
    session (naming the one it runs into) rather than one per pair.
    """
    booked = sorted(
        (
            (s.date, s.room.strip().casefold(), s.start, s.end, s)
            for s in sessions
            if s.room.strip() and not s.cancelled
        ),
        key=lambda k: k[:4],
    )
    problems = []
    latest: Session | None = None  # in this day and room, the session that ends last
    for day, place, _start, _end, s in booked:
        if latest is None or (latest.date, latest.room.strip().casefold()) != (day, place):
            latest = s
            continue
        if s.start < latest.end:
            problems.append(
                Problem(
                    f"{_label(s)} overlaps {_label(latest)} in {latest.room}.",
                    s.id,
                    "start",
                    blocking=False,
                )
            )
        if s.end > latest.end:
            latest = s
    return problems


def _name_collisions(sessions: Sequence[Session]) -> list[Problem]:
    """A spoken name must lead to one title; repeats of the same title are fine."""
    titles = {phrase_key(s.title): s for s in sessions if phrase_key(s.title)}
    problems = []
    seen: dict[str, Session] = {}
    for s in sessions:
        for alias in s.aliases:
            key = phrase_key(alias)
            if not key:
                continue
            owner = titles.get(key)
            if owner is not None and phrase_key(owner.title) != phrase_key(s.title):
                problems.append(
                    Problem(
                        f"The title of {_label(owner)} is also one of the other names people "
                        f"may say for {_label(s)} (“{alias}”); the skill could not tell them "
                        "apart.",
                        owner.id,
                        "title",
                    )
                )
            other = seen.setdefault(key, s)
            if phrase_key(other.title) != phrase_key(s.title):
                problems.append(
                    Problem(
                        f"“{alias}” is one of the other names people may say for both "
                        f"{_label(other)} and {_label(s)}; the skill could not tell them apart.",
                        s.id,
                        "aliases",
                    )
                )
    return problems


def validate(sessions: Sequence[Session]) -> list[Problem]:
    """Every problem in the draft, errors first, in programme order."""
    ordered = sorted(sessions, key=lambda s: (s.date, s.start, s.title))
    problems = _name_collisions(ordered) + _overlaps(ordered)
    return sorted(problems, key=lambda p: not p.blocking)


def errors(problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p.blocking]
