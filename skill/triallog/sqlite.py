"""Local mode: the trial log in its own SQLite file, separate from the skill's other state,
so it can be handed over, archived or wiped on its own."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from skill.storage.sqlite import ThreadConnections
from skill.triallog import Entry

_SCHEMA = """
CREATE TABLE IF NOT EXISTS trial_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    day TEXT NOT NULL,
    user TEXT NOT NULL,
    intent TEXT NOT NULL,
    device TEXT,
    outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS trial_log_day ON trial_log (day);
CREATE INDEX IF NOT EXISTS trial_log_user_day ON trial_log (user, day);
CREATE INDEX IF NOT EXISTS trial_log_at ON trial_log (at);
CREATE TABLE IF NOT EXISTS withdrawn (user TEXT PRIMARY KEY);
"""


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


class SqliteTrialStore:
    def __init__(self, path: Path) -> None:
        self._db = ThreadConnections(path, schema=_SCHEMA)
        columns = {row[1] for row in self._db().execute("PRAGMA table_info(trial_log)")}
        if "home" not in columns:  # a log from before homes: its entries belong to none
            with self._db() as db:
                db.execute("ALTER TABLE trial_log ADD COLUMN home TEXT NOT NULL DEFAULT ''")
                db.execute("CREATE INDEX IF NOT EXISTS trial_log_home_day ON trial_log (home, day)")

    def add(self, entry: Entry) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO trial_log (at, day, user, intent, device, outcome, home)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    _iso(entry.at),
                    entry.day,
                    entry.user,
                    entry.intent,
                    entry.device,
                    entry.outcome,
                    entry.home,
                ),
            )

    def entries(
        self,
        start: date | None = None,
        end: date | None = None,
        user: str | None = None,
        home: str | None = None,
    ) -> list[Entry]:
        where, args = [], []
        if home is not None:
            where.append("home = ?")
            args.append(home)
        if start:
            where.append("day >= ?")
            args.append(start.isoformat())
        if end:
            where.append("day <= ?")
            args.append(end.isoformat())
        if user:
            where.append("user = ?")
            args.append(user)
        sql = "SELECT id, at, day, user, intent, device, outcome, home FROM trial_log"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._db().execute(sql + " ORDER BY at, id", args).fetchall()
        return [
            Entry(datetime.fromisoformat(at), day, u, intent, device, outcome, str(rowid), h)
            for rowid, at, day, u, intent, device, outcome, h in rows
        ]

    def delete_user(self, user: str) -> int:
        """Delete a person's entries and record nothing more for them (until they say
        "start recording me", which the recorder honours over this)."""
        with self._db() as db:
            db.execute("INSERT OR IGNORE INTO withdrawn (user) VALUES (?)", (user,))
            return db.execute("DELETE FROM trial_log WHERE user = ?", (user,)).rowcount

    def withdrawn(self, user: str) -> bool:
        row = self._db().execute("SELECT 1 FROM withdrawn WHERE user = ?", (user,)).fetchone()
        return row is not None

    def purge(self, before: datetime) -> int:
        with self._db() as db:
            return db.execute("DELETE FROM trial_log WHERE at < ?", (_iso(before),)).rowcount
