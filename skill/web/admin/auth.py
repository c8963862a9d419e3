"""Admin login: one shared password, hashed at rest, with a throttle on guessing.

The password comes from `VOICE_DEMO_ADMIN_PASSWORD`; only its salted scrypt hash is
written to the data folder, so a copied data folder does not give the password away.
Sessions carry a fingerprint of that hash: changing the password logs everyone out.
"""

from __future__ import annotations

import hashlib
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
    """At most `limit` failed logins per `window` seconds from one client address."""

    def __init__(
        self,
        limit: int = 5,
        window: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self.max_clients = max_clients
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.get(client, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def retry_after(self, client: str) -> int:
        """Seconds until `client` may try again; 0 when not blocked."""
        with self._lock:
            now = self.clock()
            failures = self._recent(client, now)
            if len(failures) < self.limit:
                return 0
            return max(1, int(failures[0] + self.window - now + 0.999))

    def failed(self, client: str) -> None:
        with self._lock:
            now = self.clock()
            if client not in self._failures and len(self._failures) >= self.max_clients:
                self._prune(now)
            failures = self._recent(client, now)
            failures.append(now)
            self._failures[client] = failures

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)

    def _prune(self, now: float) -> None:
        """Forget clients with no recent failures; if all are recent, forget the oldest."""
        for client in list(self._failures):
            if not self._recent(client, now):
                del self._failures[client]
        while len(self._failures) >= self.max_clients:
            del self._failures[next(iter(self._failures))]
