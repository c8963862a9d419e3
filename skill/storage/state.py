"""Small per-user state (speaking rate, consent flags…) behind one interface.

Local mode keeps it in SQLite in the data folder; Lambda keeps it in DynamoDB.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Protocol

from skill.storage.sqlite import ThreadConnections


class StateStore(Protocol):
    def get(self, user_id: str) -> dict[str, Any]: ...

    def put(self, user_id: str, key: str, value: Any) -> None: ...

    def delete_user(self, user_id: str) -> None: ...


class MemoryStateStore:
    def __init__(self) -> None:
        self._data: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def get(self, user_id: str) -> dict[str, Any]:
        with self._lock:
            return dict(self._data.get(user_id, {}))

    def put(self, user_id: str, key: str, value: Any) -> None:
        with self._lock:
            self._data.setdefault(user_id, {})[key] = value

    def delete_user(self, user_id: str) -> None:
        with self._lock:
            self._data.pop(user_id, None)


class SqliteStateStore:
    def __init__(self, path: Path) -> None:
        self._db = ThreadConnections(
            path,
            schema="CREATE TABLE IF NOT EXISTS user_state ("
            " user_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
            " PRIMARY KEY (user_id, key))",
        )

    def get(self, user_id: str) -> dict[str, Any]:
        rows = (
            self._db()
            .execute("SELECT key, value FROM user_state WHERE user_id = ?", (user_id,))
            .fetchall()
        )
        return {k: json.loads(v) for k, v in rows}

    def put(self, user_id: str, key: str, value: Any) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO user_state (user_id, key, value) VALUES (?, ?, ?)"
                " ON CONFLICT(user_id, key) DO UPDATE SET value = excluded.value",
                (user_id, key, json.dumps(value)),
            )

    def delete_user(self, user_id: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM user_state WHERE user_id = ?", (user_id,))
