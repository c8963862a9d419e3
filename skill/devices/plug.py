"""The plug interface every driver implements (device → protocol → transport).

A driver turns "power on, by this deadline" into its protocol's requests and says what the
device confirmed. It never decides policy or timers for itself: the service does that.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from skill.devices.errors import DeviceError
from skill.devices.model import PowerState, Source, utc

if TYPE_CHECKING:
    from skill.devices.deadline import Deadline
    from skill.devices.registry import Device

log = logging.getLogger(__name__)


class Plug(Protocol):
    device: Device
    # set_power(auto_off_s=…) makes the device switch itself off (Shelly toggle_after,
    # Tasmota PulseTime, the shadow bridge); otherwise the service's timer must do it.
    native_auto_off: bool
    # No network: the state lives on this machine (the simulated plug), so reading and
    # switching are cheap and bounded; status pages read it every time and the service
    # calls it inline rather than through the worker pool.
    local: bool

    def set_power(
        self, on: bool, deadline: Deadline, auto_off_s: int | None = None
    ) -> PowerState: ...

    def read(self, deadline: Deadline) -> PowerState: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class DriverContext:
    """What drivers may use from the process: nothing else leaks in (no settings, no Flask)."""

    data_dir: Path
    environ: Mapping[str, str] = field(default_factory=dict)  # for token_env / password_env
    wall: Callable[[], float] = time.time  # physical time for timestamps and device timers
    aws_client: Callable[..., Any] | None = None  # (service, region=, endpoint_url=) -> client
    connect_timeout_s: float = 1.0
    read_timeout_s: float = 1.5


def read_back(plug: Plug, on: bool, deadline: Deadline, wall: Callable[[], float]) -> PowerState:
    """After a switch command whose answer never came: what the plug says now, in the time
    left; if it can't say, "asked, not confirmed" — the command is never sent again."""
    try:
        return plug.read(deadline)
    except DeviceError as exc:
        log.info("%s: no read-back after an unanswered switch (%s)", plug.device.id, exc)
        return PowerState(on, Source.ASSUMED, utc(wall()))
