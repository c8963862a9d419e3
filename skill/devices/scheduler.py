"""Local auto-off for plugs without a timer of their own (Home Assistant switches).

One daemon thread sleeps until the next due time. A failed off is retried (a heater left
on is the failure that matters), every `retry_s`, up to `max_tries`. The timers live in
this process only: in Lambda, where the process freezes between requests, they would not
fire, so the service refuses to switch such devices on there (see `reliable`).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class AutoOffTimers:
    def __init__(
        self,
        switch_off: Callable[[str], bool],
        *,
        reliable: bool = True,
        retry_s: float = 30.0,
        max_tries: int = 20,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.switch_off = switch_off  # returns True once the device confirmed it is off
        self.reliable = reliable
        self.retry_s = retry_s
        self.max_tries = max_tries
        self._clock = clock
        self._heap: list[tuple[float, int, str]] = []
        self._due: dict[str, tuple[float, int]] = {}  # device id -> (due, token) in force
        self._tries: dict[str, int] = {}
        self._tokens = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def schedule(self, device_id: str, after_s: float) -> float:
        """(Re)start the device's timer; returns the due time on this timer's clock."""
        with self._cond:
            due = self._clock() + after_s
            token = next(self._tokens)
            self._due[device_id] = (due, token)
            self._tries[device_id] = 0
            heapq.heappush(self._heap, (due, token, device_id))
            self._ensure_thread()
            self._cond.notify()
            return due

    def cancel(self, device_id: str) -> None:
        with self._cond:
            self._due.pop(device_id, None)
            self._tries.pop(device_id, None)

    def remaining(self, device_id: str) -> float | None:
        with self._cond:
            entry = self._due.get(device_id)
            return None if entry is None else max(0.0, entry[0] - self._clock())

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="auto-off", daemon=True)
            self._thread.start()

    def _next(self) -> str | None:
        """Wait for the next live timer to come due; None when stopped."""
        with self._cond:
            while not self._stopped:
                while (
                    self._heap and self._due.get(self._heap[0][2], (0, -1))[1] != self._heap[0][1]
                ):
                    heapq.heappop(self._heap)  # cancelled or superseded
                if not self._heap:
                    self._cond.wait()
                    continue
                due, token, device_id = self._heap[0]
                wait = due - self._clock()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
                return device_id
            return None

    def _run(self) -> None:
        while (device_id := self._next()) is not None:
            try:
                done = self.switch_off(device_id)
            except Exception:  # noqa: BLE001 - a timer thread must survive any one device
                log.exception("auto-off of %s failed", device_id)
                done = False
            with self._cond:
                if device_id not in self._due:
                    continue  # cancelled meanwhile (the off itself cancels it)
                tries = self._tries.get(device_id, 0) + 1
                if done or tries >= self.max_tries:
                    if not done:
                        log.error("auto-off of %s gave up after %d tries", device_id, tries)
                    self._due.pop(device_id, None)
                    self._tries.pop(device_id, None)
                    continue
                self._tries[device_id] = tries
                due = self._clock() + self.retry_s
                token = next(self._tokens)
                self._due[device_id] = (due, token)
                heapq.heappush(self._heap, (due, token, device_id))
                log.warning("auto-off of %s failed; retrying in %.0f s", device_id, self.retry_s)
