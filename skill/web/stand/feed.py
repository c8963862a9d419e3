"""What the stand screen shows, as one small JSON document with an ETag.

Screens poll it about once a second; almost every poll is answered 304 with no body. The
document is rebuilt at most every `max_age` seconds however many screens poll, and at once
when this process switched a device (the device service's version moved), so a voice
command shows up on the next poll. Nothing secret goes in: session and device names and
states only — no device ids, hosts, drivers or user ids.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from skill.feedback import latest_ended

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    body: bytes
    etag: str
    key: Any
    made: float


def _session(s: Any) -> dict[str, str]:
    return {
        "title": s.title,
        "time": f"{s.start:%H:%M}–{s.end:%H:%M}",
        "room": s.room,
        "presenter": s.presenter,
        "cancelled": bool(getattr(s, "cancelled", False)),
    }


# Error kinds (skill.devices.errors) that mean a person must fix a setting, not wait.
SETUP_PROBLEMS = {"setup", "auth_failed", "unknown"}


def _device(status: Any) -> dict[str, str]:
    """On/Off only for what the device (or its bridge) confirmed, as the voice says it."""
    on = status.state.on
    if status.problem in SETUP_PROBLEMS:
        state, label = "problem", "Needs setting up"
    elif status.problem:
        state, label = "problem", "Not responding"
    elif on is None:
        state, label = "unknown", "Unknown"
    elif not status.state.confirmed:
        state, label = "unconfirmed", "Not confirmed"
    else:
        state, label = ("on", "On") if on else ("off", "Off")
    return {"name": status.name[:1].upper() + status.name[1:], "state": state, "label": label}


class StandFeed:
    def __init__(
        self,
        services: Any,
        zone: str,
        *,
        max_age: float = 0.5,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.services = services
        self.zone = ZoneInfo(zone)
        self.max_age = max_age
        self.monotonic = monotonic
        self._lock = threading.Lock()
        self._last: Snapshot | None = None

    def snapshot(self) -> Snapshot:
        devices = self.services.devices
        key = getattr(devices, "version", None)
        with self._lock:
            last, now = self._last, self.monotonic()
            if last and last.key == key and now - last.made < self.max_age:
                return last
            body = json.dumps(self.state(), separators=(",", ":"), ensure_ascii=False).encode()
            etag = hashlib.sha256(body).hexdigest()[:20]
            self._last = Snapshot(body, etag, key, now)
            return self._last

    def state(self) -> dict[str, Any]:
        now = self.services.clock().astimezone(self.zone)
        found: dict[str, Any] = {
            "clock": f"{now:%H:%M}",
            "day": f"{now:%A} {now.day} {now:%B}",
            "on_now": [],
            "next": [],
            "next_day": None,
            "ended": False,
            "programme": "ok",
            "devices": [],
            "feedback": None,  # the title of today's last session to finish that asks for it
        }
        programme = self.services.programme
        if programme is not None:
            try:
                prog = programme.current()
                found["on_now"] = [_session(s) for s in prog.on_at(now)]
                upcoming = prog.next_after(now)
                found["next"] = [_session(s) for s in upcoming]
                if upcoming and upcoming[0].date != now.date():
                    day = upcoming[0].date
                    found["next_day"] = f"{day:%A} {day.day} {day:%B}"
                midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
                ended = latest_ended(prog, now, since=midnight)
                found["feedback"] = ended.title if ended else None
                # After the last session the screen thanks people instead of "Nothing on".
                found["ended"] = bool(prog) and not found["on_now"] and not upcoming
            except Exception:  # noqa: BLE001 - the screen keeps showing devices
                log.warning("stand: programme unavailable", exc_info=True)
                found["programme"] = "unavailable"
        devices = self.services.devices
        if devices is not None:
            found["devices"] = [_device(s) for s in devices.states().values()]
        return found
