"""One SQLite connection per thread for a file in the data folder.

Every local store (programme, drafts, per-user state, trial log, simulated plugs) needs the
same thing: a WAL-mode file many threads and processes can share, its schema created once,
and no connection crossing threads.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Literal


class ThreadConnections:
    """Call it for this thread's connection; the first call in a thread opens it."""

    def __init__(
        self,
        path: Path,
        *,
        schema: str = "",
        timeout: float = 5.0,
        autocommit: bool = False,
        pragmas: Iterable[str] = (),
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._timeout = timeout
        # isolation_level=None leaves transactions to the caller (BEGIN IMMEDIATE for writers);
        # "DEFERRED" is what sqlite3's default "" begins with.
        self._isolation: Literal["DEFERRED"] | None = None if autocommit else "DEFERRED"
        self._pragmas = tuple(pragmas)
        self._local = threading.local()
        if schema:
            self().executescript(schema)

    def __call__(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                str(self.path), timeout=self._timeout, isolation_level=self._isolation
            )
            _enter_wal(conn, self._timeout)
            for pragma in self._pragmas:
                conn.execute(f"PRAGMA {pragma}")
            self._local.conn = conn
        return conn


def _enter_wal(conn: sqlite3.Connection, timeout: float) -> None:
    """WAL so readers never wait for the writer, retried while another process holds a lock.

    Switching a file into WAL needs an exclusive lock, and SQLite answers "database is locked"
    at once rather than calling the busy handler when another connection is mid-write (as when
    several processes open a new data folder together), so the connection's timeout is
    honoured here by hand.
    """
    deadline = time.monotonic() + timeout
    pause = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)
