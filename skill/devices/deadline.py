"""One deadline per request, handed down to every device call.

Alexa gives a skill 8 s; device work gets `settings.device_budget_s` of it (5 s) so there
is always time left to answer. Each network call's connect/read timeouts are capped by
what remains, so no single slow plug can eat the answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from skill.devices.errors import Unreachable

if TYPE_CHECKING:
    from skill.devices.registry import Device


class Deadline:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.started = clock()
        self.at = self.started + seconds

    def remaining(self) -> float:
        return max(0.0, self.at - self._clock())

    def overdue(self, by: float) -> bool:
        """Past the deadline by more than `by` seconds (a call that should have ended)."""
        return self._clock() > self.at + by

    def within(self, seconds: float) -> Deadline:
        """A child deadline: `seconds` from now, but never later than this one."""
        child = Deadline(0.0, self._clock)
        child.at = min(self.at, child.started + seconds)
        return child

    def timeouts(
        self, connect: float, read: float, device: Device | None = None
    ) -> tuple[float, float]:
        """(connect, read) for one call, capped by the time left; Unreachable if none is."""
        left = self.remaining()
        if left < 0.05:
            raise Unreachable("out of time before the call", device)
        return min(connect, left), min(read, left)
