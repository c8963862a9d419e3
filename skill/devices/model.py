"""What we know about a plug's power, and how sure we are of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class Policy(StrEnum):
    """What a voice command may do to a device (per direction, from the registry)."""

    ALLOW = "allow"
    CONFIRM = "confirm"
    DENY = "deny"


class Cause(StrEnum):
    """Why a device changed, for listeners (the smart-home skill's ChangeReports)."""

    VOICE = "voice"  # the custom skill ("ask learning week demo to turn on the lamp")
    SMART_HOME = "smart_home"  # a smart-home directive: Alexa already has the answer
    APP = "app"  # an admin page or tool ("test this plug")
    RULE = "rule"  # auto-off (max_on_minutes)
    DEVICE = "device"  # noticed on a read: someone pressed the button, the bridge reported


class Source(StrEnum):
    """Where a power state came from; only DEVICE and BRIDGE count as confirmed."""

    DEVICE = "device"  # read back from the plug itself
    BRIDGE = "bridge"  # reported by something in between (Home Assistant, the shadow bridge)
    ASSUMED = "assumed"  # what we asked for or last saw, not confirmed


@dataclass(frozen=True)
class PowerState:
    on: bool | None  # None: not known at all
    source: Source
    at: datetime  # when this was true (UTC)
    off_at: datetime | None = None  # an automatic off is due then
    # Why the device switched itself off, as it reported it: "overpower", "overtemp",
    # "overvoltage", "undervoltage", "overcurrent" (Shelly's `errors`, Gen1 `overpower`).
    tripped: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.source is not Source.ASSUMED and self.on is not None

    def is_confirmed(self, on: bool) -> bool:
        """True only when the device (or its bridge) said it is in the state `on`."""
        return self.confirmed and self.on is on

    def to_dict(self) -> dict[str, Any]:
        return {
            "on": self.on,
            "source": self.source.value,
            "at": self.at.isoformat(),
            "off_at": self.off_at.isoformat() if self.off_at else None,
            "tripped": self.tripped,
        }


@dataclass(frozen=True)
class Status:
    """A device's last-known state for the stand page: cheap, never blocks on the network."""

    device_id: str
    name: str
    state: PowerState
    problem: str | None = None  # the last call's error kind ("unreachable", …), None if it worked

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.device_id, "name": self.name, "problem": self.problem} | (
            self.state.to_dict()
        )


@dataclass(frozen=True)
class Change:
    """A device's confirmed power state differs from what the service knew before."""

    device_id: str
    state: PowerState
    cause: Cause


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)
