"""Local mode: answers in their own SQLite file (`feedback.sqlite3`), one row per speaker
key and session; a second answer from the same speaker replaces the row."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from skill.feedback import Answer
from skill.storage.sqlite import ThreadConnections

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    session_id TEXT NOT NULL,
    speaker TEXT NOT NULL,
    rating INTEGER,
    effective TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (session_id, speaker)
);
"""


class SqliteFeedbackStore:
    def __init__(self, path: Path) -> None:
        self._db = ThreadConnections(path, schema=_SCHEMA)

    def put(self, answer: Answer) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO feedback (session_id, speaker, rating, effective, at)"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (session_id, speaker) DO UPDATE SET"
                " rating = excluded.rating, effective = excluded.effective, at = excluded.at",
                (
                    answer.session_id,
                    answer.speaker,
                    answer.rating,
                    answer.effective,
                    answer.at.astimezone(UTC).isoformat(timespec="seconds"),
                ),
            )

    def answers(self, session_id: str | None = None) -> list[Answer]:
        sql = "SELECT session_id, speaker, rating, effective, at FROM feedback"
        args: tuple[str, ...] = ()
        if session_id is not None:
            sql, args = sql + " WHERE session_id = ?", (session_id,)
        rows = self._db().execute(sql + " ORDER BY session_id, at", args).fetchall()
        return [
            Answer(sid, speaker, rating, effective, datetime.fromisoformat(at))
            for sid, speaker, rating, effective, at in rows
        ]
