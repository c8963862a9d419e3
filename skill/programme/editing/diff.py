"""What a publish or rollback would change, in words ("Added …", "Moved … to Room 3"),
and how much: "Publishing will add 1, change 9 and remove 16 sessions."

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
    "aliases": "other names people may say",
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


@dataclass(frozen=True)
class Comparison:
    """The changes from one programme to another, grouped, with what stays.

    `kept` counts the old programme's sessions still there (changed or not), so an officer
    can be warned when a new version removes more sessions than it keeps.
    """

    added: tuple[Change, ...]
    changed: tuple[Change, ...]
    removed: tuple[Change, ...]
    before: int  # sessions in the old programme
    after: int  # sessions in the new one

    @property
    def kept(self) -> int:
        return self.before - len(self.removed)

    @property
    def removes_more_than_it_keeps(self) -> bool:
        return len(self.removed) > self.kept

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
            "kept": self.kept,
            "before": self.before,
            "after": self.after,
        }

    def sentence(self, doing: str = "Publishing") -> str:
        """ "Publishing will add 1, change 9 and remove 16 sessions." (zero counts left out)"""
        parts = [
            (verb, n)
            for verb, n in (
                ("add", len(self.added)),
                ("change", len(self.changed)),
                ("remove", len(self.removed)),
            )
            if n
        ]
        if not parts:
            return f"{doing} will not change any sessions."
        words = [f"{verb} {n}" for verb, n in parts]
        listed = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
        noun = "session" if parts[-1][1] == 1 else "sessions"
        return f"{doing} will {listed} {noun}."


def compare(old: Sequence[Session], new: Sequence[Session]) -> Comparison:
    """`diff` grouped by kind, each group in programme order."""
    changes = diff(old, new)
    return Comparison(
        added=tuple(c for c in changes if c.kind == "added"),
        changed=tuple(c for c in changes if c.kind == "changed"),
        removed=tuple(c for c in changes if c.kind == "removed"),
        before=len(old),
        after=len(new),
    )
