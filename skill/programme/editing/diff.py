"""What a publish or rollback would change, in words ("Added …", "Moved … to Room 3").

Sessions are matched by id, which stays stable across versions (see model.assign_ids).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import cast

from skill.programme.editing.validate import when
from skill.programme.model import Session

FIELD_NAMES = {
    "date": "date",
    "start": "start",
    "end": "end",
    "title": "title",
    "room": "room",
    "presenter": "presenter",
    "description": "description",
    "aliases": "other names",
    "status": "status",
}


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    session: Session  # the new one (the old one when removed)
    details: tuple[str, ...] = ()

    def describe(self) -> str:
        label = f"“{self.session.title}” ({when(self.session.date, self.session.start)})"
        if self.kind == "added":
            return f"Added {label}."
        if self.kind == "removed":
            return f"Removed {label}."
        return f"Changed {label}: {'; '.join(self.details)}."


def _show(field: str, value: object) -> str:
    if field == "aliases":
        return ", ".join(cast(Sequence[str], value)) if value else "none"
    if field == "date":
        return when(cast(date, value))
    if isinstance(value, (date, time)):
        return value.strftime("%H:%M")
    return f"“{value}”" if value else "blank"


def _details(old: Session, new: Session) -> tuple[str, ...]:
    details = []
    if old.status != new.status:
        details.append("now cancelled" if new.cancelled else "no longer cancelled")
    if old.asks_feedback != new.asks_feedback:
        details.append("asks for feedback" if new.asks_feedback else "no longer asks for feedback")
    for field, name in FIELD_NAMES.items():
        if field == "status":
            continue
        before, after = getattr(old, field), getattr(new, field)
        if before != after:
            if field == "description":
                details.append("description changed")
            else:
                details.append(f"{name} {_show(field, before)} → {_show(field, after)}")
    return tuple(details)


def diff(old: Sequence[Session], new: Sequence[Session]) -> list[Change]:
    """Changes from `old` to `new`, in programme order."""
    before = {s.id: s for s in old}
    after = {s.id: s for s in new}
    changes = [Change("removed", s) for sid, s in before.items() if sid not in after]
    for sid, s in after.items():
        if sid not in before:
            changes.append(Change("added", s))
        elif before[sid] != s:
            changes.append(Change("changed", s, _details(before[sid], s)))
    return sorted(changes, key=lambda c: (c.session.date, c.session.start, c.session.title))
