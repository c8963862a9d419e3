"""Which reminders the skill made for whom: the only thing kept about a reminder.

One row per reminder: the Alexa user id (the key), the reminder's id (Amazon's
`alertToken`), the programme session it is for, and when it rings (UTC). No title, no
device, nothing said: the title is read from the live programme when it is needed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from skill.storage.sqlite import ThreadConnections


class StoreUnavailable(Exception):
    """The reminders store could not be read or written."""


@dataclass(frozen=True)
class Kept:
    user_id: str
    reminder_id: str
    session_id: str
    remind_at: datetime  # aware, UTC

    def __post_init__(self) -> None:
        if self.remind_at.tzinfo is None:
            raise ValueError("remind_at must be timezone-aware")
        object.__setattr__(self, "remind_at", self.remind_at.astimezone(UTC))

    @property
    def stamp(self) -> str:
        return self.remind_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    @staticmethod
    def parse_stamp(value: str) -> datetime:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


class ReminderStore(Protocol):
    def for_user(self, user_id: str) -> list[Kept]:
        """The user's reminders, soonest first."""
        ...

    def put(self, kept: Kept) -> None:
        """Add or replace (same user and reminder id)."""
        ...

    def forget(self, user_id: str, reminder_id: str) -> None: ...

    def users(self) -> list[str]:
        """Everyone with at least one reminder (the admin's publish path; not per request)."""
        ...


def _sorted(found: list[Kept]) -> list[Kept]:
    return sorted(found, key=lambda k: (k.remind_at, k.reminder_id))


class MemoryReminderStore:
    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], Kept] = {}
        self._lock = threading.Lock()

    def for_user(self, user_id: str) -> list[Kept]:
        with self._lock:
            return _sorted([k for (u, _), k in self._rows.items() if u == user_id])

    def put(self, kept: Kept) -> None:
        with self._lock:
            self._rows[(kept.user_id, kept.reminder_id)] = kept

    def forget(self, user_id: str, reminder_id: str) -> None:
        with self._lock:
            self._rows.pop((user_id, reminder_id), None)

    def users(self) -> list[str]:
        with self._lock:
            return sorted({u for u, _ in self._rows})


class SqliteReminderStore:
    """Local mode: a table in the data folder's reminders.sqlite3."""

    def __init__(self, path: Path) -> None:
        self._db = ThreadConnections(
            path,
            schema="CREATE TABLE IF NOT EXISTS reminders ("
            " user_id TEXT NOT NULL, reminder_id TEXT NOT NULL,"
            " session_id TEXT NOT NULL, remind_at TEXT NOT NULL,"
            " PRIMARY KEY (user_id, reminder_id))",
        )

    def for_user(self, user_id: str) -> list[Kept]:
        rows = (
            self._db()
            .execute(
                "SELECT reminder_id, session_id, remind_at FROM reminders WHERE user_id = ?",
                (user_id,),
            )
            .fetchall()
        )
        return _sorted([Kept(user_id, r, s, Kept.parse_stamp(at)) for r, s, at in rows])

    def put(self, kept: Kept) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO reminders (user_id, reminder_id, session_id, remind_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(user_id, reminder_id) DO UPDATE SET"
                " session_id = excluded.session_id, remind_at = excluded.remind_at",
                (kept.user_id, kept.reminder_id, kept.session_id, kept.stamp),
            )

    def forget(self, user_id: str, reminder_id: str) -> None:
        with self._db() as db:
            db.execute(
                "DELETE FROM reminders WHERE user_id = ? AND reminder_id = ?",
                (user_id, reminder_id),
            )

    def users(self) -> list[str]:
        rows = self._db().execute("SELECT DISTINCT user_id FROM reminders ORDER BY 1").fetchall()
        return [u for (u,) in rows]
