"""Admin login: one shared password, hashed at rest, with a throttle on guessing.

The password comes from `VOICE_DEMO_ADMIN_PASSWORD`; only its salted scrypt hash is
written to the data folder, so a copied data folder does not give the password away.
Sessions carry a fingerprint of that hash: changing the password logs everyone out.
Each login also gets a random session id that the server keeps (hashed) in the data
folder; logging out deletes it, so a cookie copied before logout is worthless after.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash


def _write_private(path: Path, text: str) -> None:
    """Write a file only the server's user can read (secrets live in the data folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def load_or_create_secret_key(folder: Path) -> str:
    """The cookie-signing key: generated once and kept, so restarts don't log people out."""
    path = folder / "secret_key"
    if path.is_file():
        key = path.read_text(encoding="utf-8").strip()
        if len(key) >= 32:
            return key
    key = secrets.token_hex(32)
    _write_private(path, key)
    return key


class PasswordCheck:
    """Verifies the admin password against the stored hash (re-hashed when the setting changes)."""

    def __init__(self, folder: Path, password: str) -> None:
        path = folder / "password_hash"
        stored = path.read_text(encoding="utf-8").strip() if path.is_file() else ""
        if not stored or not check_password_hash(stored, password):
            stored = generate_password_hash(password, method="scrypt")
            _write_private(path, stored)
        self._hash = stored
        self.fingerprint = hashlib.sha256(stored.encode()).hexdigest()[:16]

    def matches(self, attempt: str) -> bool:
        return bool(attempt) and check_password_hash(self._hash, attempt)


class LoginThrottle:
    """Failed logins, counted per account at one address and per address.

    `limit` wrong passwords for one name from one address block that name there for
    `window` seconds; `address_limit` for any names block the address. So one person's
    typos, or a guesser, behind a shared NAT does not lock every colleague out, while
    trying name after name from one address still runs into a limit.
    """

    def __init__(
        self,
        limit: int = 5,
        window: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
        address_limit: int = 20,
    ) -> None:
        self.limit = limit
        self.address_limit = address_limit
        self.window = window
        self.clock = clock
        self.max_clients = max_clients
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _keys(self, client: str, account: str) -> list[tuple[str, int]]:
        keys = [(f"address\0{client}", self.address_limit)]
        if account:
            keys.append((f"account\0{client}\0{account.casefold()}", self.limit))
        return keys

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def retry_after(self, client: str, account: str = "") -> int:
        """Seconds until `account` may try again from `client`; 0 when not blocked."""
        with self._lock:
            now = self.clock()
            wait = 0.0
            for key, limit in self._keys(client, account):
                failures = self._recent(key, now)
                if len(failures) >= limit:
                    wait = max(wait, failures[-limit] + self.window - now)
            return 0 if wait <= 0 else max(1, int(wait + 0.999))

    def failed(self, client: str, account: str = "") -> None:
        with self._lock:
            now = self.clock()
            for key, _ in self._keys(client, account):
                if key not in self._failures and len(self._failures) >= self.max_clients:
                    self._prune(now)
                failures = self._recent(key, now)
                failures.append(now)
                self._failures[key] = failures

    def succeeded(self, client: str, account: str = "") -> None:
        with self._lock:
            for key, _ in self._keys(client, account):
                self._failures.pop(key, None)

    def _prune(self, now: float) -> None:
        """Forget keys with no recent failures; if all are recent, forget the oldest."""
        for key in list(self._failures):
            if not self._recent(key, now):
                del self._failures[key]
        while len(self._failures) >= self.max_clients:
            del self._failures[next(iter(self._failures))]


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionRegistry:
    """Live admin sessions, by hashed id, in the data folder (so they outlive a restart).

    A session is live from login until logout or `lifetime` seconds, whichever is first.
    The file is re-read when another process changed it, so a logout anywhere counts.
    """

    def __init__(
        self,
        folder: Path,
        lifetime: float,
        clock: Callable[[], float] = time.time,
        max_sessions: int = 1000,
    ) -> None:
        self._path = folder / "sessions.json"
        self._lifetime = lifetime
        self._clock = clock
        self._max = max_sessions
        self._lock = threading.Lock()
        self._live: dict[str, float] = {}
        self._stamp: tuple[int, int] | None = None

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            info = self._path.stat()
        except FileNotFoundError:
            return None
        return (info.st_mtime_ns, info.st_size)

    def _load(self) -> None:
        stamp = self._file_stamp()
        if stamp == self._stamp:
            return
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            self._live = {str(k): float(v) for k, v in data.items() if isinstance(v, int | float)}
        except (OSError, ValueError, AttributeError):
            self._live = {}  # unreadable: everyone logs in again, nobody gets in for free
        self._stamp = stamp

    def _save(self) -> None:
        now = self._clock()
        live = {k: v for k, v in self._live.items() if v > now}
        for key in sorted(live, key=live.__getitem__)[: max(0, len(live) - self._max)]:
            del live[key]
        self._live = live
        _write_private(self._path, json.dumps(live))
        self._stamp = self._file_stamp()

    def open(self) -> str:
        """A new session id (the cookie holds it; the file holds only its hash)."""
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            self._load()
            self._live[_digest(session_id)] = self._clock() + self._lifetime
            self._save()
        return session_id

    def is_live(self, session_id: object) -> bool:
        if not isinstance(session_id, str) or not session_id:
            return False
        with self._lock:
            self._load()
            expires = self._live.get(_digest(session_id))
        return expires is not None and expires > self._clock()

    def close(self, session_id: object) -> None:
        if not isinstance(session_id, str):
            return
        with self._lock:
            self._load()
            if self._live.pop(_digest(session_id), None) is not None:
                self._save()
