"""Drafts: working copies of the programme that admins edit before publishing.

Each save carries the revision it was based on and succeeds only if the draft is still
at that revision (one conditional UPDATE), so when two admins edit the same draft the
second save is refused instead of silently overwriting the first. Drafts are local
working state, kept in SQLite in the data folder whatever the programme store is.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from skill.clock import utc_now
from skill.programme.model import Session
from skill.storage.sqlite import ThreadConnections


class DraftNotFound(LookupError):
    pass


class StaleDraft(Exception):
    """The draft changed since the caller read it; nothing was saved."""

    def __init__(self, current: Draft) -> None:
        super().__init__(f"draft {current.id} is at revision {current.revision}")
        self.current = current


@dataclass(frozen=True)
class Draft:
    id: str
    name: str
    revision: int
    sessions: tuple[Session, ...]
    base_version: int | None  # the published version it started from, if any
    updated_by: str
    updated_at: datetime


_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    revision INTEGER NOT NULL,
    sessions TEXT NOT NULL,
    base_version INTEGER,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS draft_audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    draft TEXT NOT NULL,
    author TEXT NOT NULL,
    note TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class DraftEvent:
    """One change to a draft (the programme store's audit covers publishes and rollbacks)."""

    at: datetime
    action: str
    draft: str
    author: str
    note: str


def _row_to_draft(row: tuple) -> Draft:
    draft_id, name, revision, sessions, base, by, at = row
    return Draft(
        id=draft_id,
        name=name,
        revision=revision,
        sessions=tuple(Session.from_dict(s) for s in json.loads(sessions)),
        base_version=base,
        updated_by=by,
        updated_at=datetime.fromisoformat(at),
    )


def _dump(sessions: Sequence[Session]) -> str:
    ordered = sorted(sessions, key=lambda s: (s.date, s.start, s.title, s.id))
    return json.dumps([s.to_dict() for s in ordered], ensure_ascii=False)


class DraftStore:
    """SQLite-backed drafts; safe to share between threads (one connection per thread)."""

    def __init__(self, path: Path, clock: Callable[[], datetime] = utc_now) -> None:
        self._clock = clock
        self._db = ThreadConnections(path, schema=_SCHEMA)

    def _now(self) -> str:
        return self._clock().astimezone(UTC).isoformat(timespec="seconds")

    def create(
        self, name: str, sessions: Sequence[Session], by: str, base_version: int | None = None
    ) -> Draft:
        draft_id = secrets.token_hex(4)
        now = self._now()
        with self._db() as db:
            db.execute(
                "INSERT INTO drafts VALUES (?, ?, 1, ?, ?, ?, ?)",
                (draft_id, name, _dump(sessions), base_version, by, now),
            )
        return self.get(draft_id)

    def get(self, draft_id: str) -> Draft:
        row = self._db().execute("SELECT * FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        if row is None:
            raise DraftNotFound(draft_id)
        return _row_to_draft(row)

    def list(self) -> list[Draft]:
        rows = self._db().execute("SELECT * FROM drafts ORDER BY updated_at DESC").fetchall()
        return [_row_to_draft(r) for r in rows]

    def save(self, draft_id: str, sessions: Sequence[Session], based_on: int, by: str) -> Draft:
        """Replace the draft's sessions if it is still at revision `based_on`."""
        now = self._now()
        with self._db() as db:
            updated = db.execute(
                "UPDATE drafts SET sessions = ?, revision = revision + 1, updated_by = ?,"
                " updated_at = ? WHERE id = ? AND revision = ?",
                (_dump(sessions), by, now, draft_id, based_on),
            ).rowcount
        if not updated:
            raise StaleDraft(self.get(draft_id))  # DraftNotFound if it was deleted
        return self.get(draft_id)

    def delete(self, draft_id: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))

    def record(self, action: str, draft_id: str, by: str, note: str = "") -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO draft_audit (at, action, draft, author, note) VALUES (?, ?, ?, ?, ?)",
                (self._now(), action, draft_id, by, note),
            )

    def history(self) -> list[DraftEvent]:
        """Every recorded draft change, oldest first."""
        rows = self._db().execute(
            "SELECT at, action, draft, author, note FROM draft_audit ORDER BY seq"
        )
        return [
            DraftEvent(datetime.fromisoformat(at), action, draft, by, note)
            for at, action, draft, by, note in rows
        ]
