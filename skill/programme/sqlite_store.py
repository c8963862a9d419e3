"""Local-mode programme store: one SQLite file in the data folder.

Writers take SQLite's write lock (`BEGIN IMMEDIATE`) and move the live pointer with
`UPDATE … WHERE version IS :base`, so a stale publisher changes nothing and gets
`ProgrammeConflict`. WAL mode lets readers carry on while someone publishes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from skill.clock import utc_now
from skill.programme.model import Session
from skill.programme.programme import DEFAULT_ZONE, Programme
from skill.programme.store import (
    PUBLISH,
    ROLLBACK,
    AuditEntry,
    ProgrammeConflict,
    StoreUnavailable,
    VersionInfo,
    VersionNotFound,
    dump_sessions,
    load_sessions,
    prepare,
)
from skill.storage.sqlite import ThreadConnections

_SCHEMA = """
CREATE TABLE IF NOT EXISTS programme_version (
    id INTEGER PRIMARY KEY,
    published_at TEXT NOT NULL,
    author TEXT NOT NULL,
    note TEXT NOT NULL,
    session_count INTEGER NOT NULL,
    zone TEXT NOT NULL,
    sessions TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS programme_live (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    version INTEGER REFERENCES programme_version(id)
);
INSERT OR IGNORE INTO programme_live (one, version) VALUES (1, NULL);
CREATE TABLE IF NOT EXISTS programme_audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    version INTEGER NOT NULL,
    previous INTEGER,
    author TEXT NOT NULL,
    note TEXT NOT NULL
);
"""


class SqliteProgrammeStore:
    """See `skill.programme.store.ProgrammeStore` for the contract."""

    def __init__(
        self,
        path: Path,
        *,
        zone: str = DEFAULT_ZONE,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._zone = zone
        self._clock = clock
        # Autocommit: writers issue BEGIN IMMEDIATE themselves.
        self._db = ThreadConnections(
            path, schema=_SCHEMA, timeout=10.0, autocommit=True, pragmas=("foreign_keys=ON",)
        )

    # --- reading ----------------------------------------------------------------------

    def live_version_id(self) -> int | None:
        row = self._query("SELECT version FROM programme_live WHERE one = 1")
        return row[0][0] if row else None

    def get(self, version: int) -> Programme:
        rows = self._query("SELECT zone, sessions FROM programme_version WHERE id = ?", (version,))
        if not rows:
            raise VersionNotFound(version)
        zone, body = rows[0]
        return Programme(load_sessions(body), zone=zone, version=version)

    def live(self) -> Programme | None:
        # One statement, so the pointer and the body come from the same snapshot.
        rows = self._query(
            "SELECT v.id, v.zone, v.sessions FROM programme_live l"
            " JOIN programme_version v ON v.id = l.version WHERE l.one = 1"
        )
        if not rows:
            return None
        version, zone, body = rows[0]
        return Programme(load_sessions(body), zone=zone, version=version)

    def versions(self) -> list[VersionInfo]:
        rows = self._query(
            "SELECT id, published_at, author, note, session_count, zone"
            " FROM programme_version ORDER BY id DESC"
        )
        return [
            VersionInfo(i, datetime.fromisoformat(at), who, note, count, zone)
            for i, at, who, note, count, zone in rows
        ]

    def audit(self) -> list[AuditEntry]:
        rows = self._query(
            "SELECT at, action, version, previous, author, note FROM programme_audit ORDER BY seq"
        )
        return [
            AuditEntry(datetime.fromisoformat(at), action, version, previous, who, note)
            for at, action, version, previous, who, note in rows
        ]

    # --- writing ----------------------------------------------------------------------

    def publish(
        self,
        sessions: Iterable[Session],
        *,
        base: int | None,
        author: str,
        note: str = "",
        zone: str | None = None,
    ) -> VersionInfo:
        ready = prepare(sessions)
        zone = zone or self._zone
        at = self._clock()
        with self._writing() as db:
            (latest,) = db.execute("SELECT COALESCE(MAX(id), 0) FROM programme_version").fetchone()
            new = latest + 1
            db.execute(
                "INSERT INTO programme_version"
                " (id, published_at, author, note, session_count, zone, sessions)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (new, at.isoformat(), author, note, len(ready), zone, dump_sessions(ready)),
            )
            self._move(db, base, new)
            self._record(db, at, PUBLISH, new, base, author, note)
        return VersionInfo(new, at, author, note, len(ready), zone)

    def rollback(
        self, version: int, *, base: int | None, author: str, note: str = ""
    ) -> AuditEntry:
        at = self._clock()
        with self._writing() as db:
            if not db.execute(
                "SELECT 1 FROM programme_version WHERE id = ?", (version,)
            ).fetchone():
                raise VersionNotFound(version)
            self._move(db, base, version)
            self._record(db, at, ROLLBACK, version, base, author, note)
        return AuditEntry(at, ROLLBACK, version, base, author, note)

    def _move(self, db: sqlite3.Connection, base: int | None, new: int) -> None:
        """The conditional write: the pointer moves only if it still shows `base`."""
        moved = db.execute(
            "UPDATE programme_live SET version = ? WHERE one = 1 AND version IS ?", (new, base)
        ).rowcount
        if moved != 1:
            (actual,) = db.execute("SELECT version FROM programme_live WHERE one = 1").fetchone()
            raise ProgrammeConflict(base, actual)

    @staticmethod
    def _record(
        db: sqlite3.Connection,
        at: datetime,
        action: str,
        version: int,
        previous: int | None,
        author: str,
        note: str,
    ) -> None:
        db.execute(
            "INSERT INTO programme_audit (at, action, version, previous, author, note)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (at.isoformat(), action, version, previous, author, note),
        )

    def _writing(self) -> _Transaction:
        return _Transaction(self._db())

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db().execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(str(exc)) from exc


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (conflicts included)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreUnavailable(str(exc)) from exc
        return self.db

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")
