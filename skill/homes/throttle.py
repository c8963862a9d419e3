"""A sliding-window count of failures per key, for link-code guessing."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class Throttle:
    def __init__(
        self,
        limit: int,
        window_s: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self.max_keys = max_keys
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        found = self._failures.get(key, deque())
        while found and found[0] <= now - self.window_s:
            found.popleft()
        return found

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._recent(key, self.clock())) >= self.limit

    def failed(self, key: str) -> None:
        with self._lock:
            now = self.clock()
            if key not in self._failures and len(self._failures) >= self.max_keys:
                for old in list(self._failures):
                    if not self._recent(old, now):
                        del self._failures[old]
                while len(self._failures) >= self.max_keys:
                    del self._failures[next(iter(self._failures))]
            found = self._recent(key, now)
            found.append(now)
            self._failures[key] = found
