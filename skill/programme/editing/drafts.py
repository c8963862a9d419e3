"""Drafts: working copies of the programme that admins edit before publishing.

Each save carries the revision it was based on and succeeds only if the draft is still
at that revision (one conditional UPDATE), so when two admins edit the same draft the
second save is refused instead of silently overwriting the first. Drafts are local
working state, kept in SQLite in the data folder whatever the programme store is.

Publishing first *claims* the draft at the revision the admin saw (another conditional
UPDATE); a claimed draft takes no more saves, so an edit racing a publish is refused
(the editor is told) rather than saved and then deleted with the published draft. The
claim carries its time, so a draft left claimed by a crash can be recovered.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import secrets
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from skill.clock import utc_now
from skill.programme.model import Session, assign_ids
from skill.storage.sqlite import ThreadConnections


class DraftNotFound(LookupError):
    pass


class StaleDraft(Exception):
    """The draft changed since the caller read it; nothing was saved."""

    def __init__(self, current: Draft) -> None:
        super().__init__(f"draft {current.id} is at revision {current.revision}")
        self.current = current


@dataclass(frozen=True)
class PendingRow:
    """A row (or calendar event) of an imported file that had errors, kept for fixing.

    `fields` are the edit form's fields (CSV column names), `problems` the message for each
    field that is wrong, `where` the file's own name for it ("Row 4", "“Quiz” on …").
    """

    row: int
    where: str
    fields: dict[str, str]
    problems: dict[str, str]
    messages: tuple[str, ...] = ()  # the import's own findings, located ("Row 4, column …")

    def to_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "where": self.where,
            "fields": self.fields,
            "problems": self.problems,
            "messages": list(self.messages),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PendingRow:
        return cls(
            int(data["row"]),
            str(data["where"]),
            dict(data["fields"]),
            dict(data["problems"]),
            tuple(data.get("messages") or ()),
        )


@dataclass(frozen=True)
class Draft:
    id: str
    name: str
    revision: int
    sessions: tuple[Session, ...]
    base_version: int | None  # the published version it started from, if any
    updated_by: str
    updated_at: datetime
    pending: tuple[PendingRow, ...] = ()  # imported rows with errors; none may remain to publish


_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    revision INTEGER NOT NULL,
    sessions TEXT NOT NULL,
    base_version INTEGER,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    pending TEXT NOT NULL DEFAULT '[]'
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


_COLUMNS = "id, name, revision, sessions, base_version, updated_by, updated_at, pending"


def _row_to_draft(row: tuple[Any, ...]) -> Draft:
    draft_id, name, revision, sessions, base, by, at, pending = row
    return Draft(
        id=draft_id,
        name=name,
        revision=revision,
        # assign_ids mends drafts saved before same-title sessions got ids of their own.
        sessions=assign_ids(Session.from_dict(s) for s in json.loads(sessions)),
        base_version=base,
        updated_by=by,
        updated_at=datetime.fromisoformat(at),
        pending=tuple(PendingRow.from_dict(p) for p in json.loads(pending)),
    )


def _dump_pending(pending: Sequence[PendingRow]) -> str:
    return json.dumps([p.to_dict() for p in pending], ensure_ascii=False)


def _dump(sessions: Sequence[Session]) -> str:
    ordered = sorted(sessions, key=lambda s: (s.date, s.start, s.title, s.id))
    return json.dumps([s.to_dict() for s in ordered], ensure_ascii=False)


class DraftStore:
    """SQLite-backed drafts; safe to share between threads (one connection per thread)."""

    def __init__(self, path: Path, clock: Callable[[], datetime] = utc_now) -> None:
        self._clock = clock
        self._db = ThreadConnections(path, schema=_SCHEMA)
        with self._db() as db:  # drafts saved before imports could keep rows with errors
            columns = {r[1] for r in db.execute("PRAGMA table_info(drafts)")}
            if "pending" not in columns:
                db.execute("ALTER TABLE drafts ADD COLUMN pending TEXT NOT NULL DEFAULT '[]'")
            if "publishing" not in columns:  # drafts from before publishing claimed them
                with contextlib.suppress(sqlite3.OperationalError):  # another process did
                    db.execute("ALTER TABLE drafts ADD COLUMN publishing TEXT")

    def _now(self) -> str:
        return self._clock().astimezone(UTC).isoformat(timespec="seconds")

    def create(
        self,
        name: str,
        sessions: Sequence[Session],
        by: str,
        base_version: int | None = None,
        pending: Sequence[PendingRow] = (),
    ) -> Draft:
        draft_id = secrets.token_hex(4)
        now = self._now()
        with self._db() as db:
            db.execute(
                f"INSERT INTO drafts ({_COLUMNS}) VALUES (?, ?, 1, ?, ?, ?, ?, ?)",
                (draft_id, name, _dump(sessions), base_version, by, now, _dump_pending(pending)),
            )
        return self.get(draft_id)

    def get(self, draft_id: str) -> Draft:
        row = (
            self._db()
            .execute(f"SELECT {_COLUMNS} FROM drafts WHERE id = ?", (draft_id,))
            .fetchone()
        )
        if row is None:
            raise DraftNotFound(draft_id)
        return _row_to_draft(row)

    def list(self) -> list[Draft]:
        query = f"SELECT {_COLUMNS} FROM drafts ORDER BY updated_at DESC"
        return [_row_to_draft(r) for r in self._db().execute(query).fetchall()]

    def save(
        self,
        draft_id: str,
        sessions: Sequence[Session],
        based_on: int,
        by: str,
        pending: Sequence[PendingRow] | None = None,
    ) -> Draft:
        """Replace the draft's sessions (and, if given, its pending rows) if it is still at
        revision `based_on`."""
        now = self._now()
        with self._db() as db:
            current = "pending" if pending is None else "?"
            extra = () if pending is None else (_dump_pending(pending),)
            updated = db.execute(
                f"UPDATE drafts SET sessions = ?, pending = {current}, revision = revision + 1,"
                " updated_by = ?, updated_at = ? WHERE id = ? AND revision = ?"
                " AND publishing IS NULL",
                (_dump(sessions), *extra, by, now, draft_id, based_on),
            ).rowcount
        if not updated:
            raise StaleDraft(self.get(draft_id))  # DraftNotFound if it was deleted
        return self.get(draft_id)

    def claim(self, draft_id: str, based_on: int) -> Draft:
        """Reserve the draft at revision `based_on` for publishing: no save lands after this.
        StaleDraft if it moved on or is being published already."""
        with self._db() as db:
            claimed = db.execute(
                "UPDATE drafts SET publishing = ? WHERE id = ? AND revision = ?"
                " AND publishing IS NULL",
                (self._now(), draft_id, based_on),
            ).rowcount
        if not claimed:
            raise StaleDraft(self.get(draft_id))
        return self.get(draft_id)

    def release(self, draft_id: str) -> None:
        """The publish did not happen: the draft takes saves again."""
        with self._db() as db:
            db.execute("UPDATE drafts SET publishing = NULL WHERE id = ?", (draft_id,))

    def stale_claims(self, older_than: timedelta) -> tuple[Draft, ...]:
        """Drafts claimed for publishing longer ago than `older_than`, never finished."""
        moment = (self._clock() - older_than).astimezone(UTC).isoformat(timespec="seconds")
        rows = self._db().execute(
            f"SELECT {_COLUMNS} FROM drafts WHERE publishing IS NOT NULL AND publishing < ?",
            (moment,),
        )
        return tuple(_row_to_draft(r) for r in rows)

    def delete(self, draft_id: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))

    def record(self, action: str, draft_id: str, by: str, note: str = "") -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO draft_audit (at, action, draft, author, note) VALUES (?, ?, ?, ?, ?)",
                (self._now(), action, draft_id, by, note),
            )

    def history(self) -> builtins.list[DraftEvent]:  # `list` here is the method above
        """Every recorded draft change, oldest first."""
        rows = self._db().execute(
            "SELECT at, action, draft, author, note FROM draft_audit ORDER BY seq"
        )
        return [
            DraftEvent(datetime.fromisoformat(at), action, draft, by, note)
            for at, action, draft, by, note in rows
        ]
