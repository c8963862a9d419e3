"""A plug behind an AWS IoT device shadow, for the skill in Lambda (which can't see the LAN).

The skill writes a command into `desired` and waits briefly for `voice-demo bridge` (on the
LAN) to report it handled; if that doesn't happen in time the answer is "asked, not
confirmed". Auto-off travels with the command (`off_after_s`) so the bridge, which lives
long, applies it — Lambda can't keep a timer.
"""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Any

from skill.devices.errors import (
    AuthFailed,
    BridgeUnreachable,
    DeviceFault,
    UnknownDevice,
    Unreachable,
)
from skill.devices.model import PowerState, Source, utc
from skill.devices.options import Option
from skill.devices.shadow import CLEAR_COMMAND, Shadow

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from skill.devices.deadline import Deadline
    from skill.devices.plug import DriverContext
    from skill.devices.registry import Device

OPTIONS = {
    "thing_name": Option(str, help="the AWS IoT thing"),
    "shadow_name": Option(str, None, "a named shadow; default: the classic shadow"),
    "region": Option(str, None, "AWS region; default: the environment's"),
    "endpoint": Option(str, None, "the account's IoT data endpoint (https://…-ats.iot…)"),
    "wait_s": Option((int, float), 2.5, "how long to wait for the bridge to confirm"),
    "stale_after_s": Option((int, float), 120, "a report older than this means the bridge is away"),
    "bridge": Option(dict, None, "the LAN plug the bridge drives", driver_config=True),
}
# The bridge hears a command over MQTT within a few tens of ms and answers in about one
# plug round trip, so look early and often at first, then back off to the old 0.25 s: a
# bridge that is polling (its MQTT is down) takes up to 0.5 s anyway.
FIRST_POLLS_S = (0.05, 0.05, 0.05, 0.1, 0.1, 0.15, 0.2)
POLL_S = 0.25


def _pauses() -> Iterator[float]:
    yield from FIRST_POLLS_S
    while True:
        yield POLL_S


_ERRORS = {"unreachable": Unreachable, "auth_failed": AuthFailed, "unknown": UnknownDevice}


class ShadowPlug:
    native_auto_off = True  # the bridge keeps the timer
    local = False

    def __init__(
        self, device: Device, client_factory: Callable[[], Any], wall: Callable[[], float]
    ) -> None:
        self.device = device
        self._client_factory = client_factory
        self._shadow: Shadow | None = None
        self.wall = wall
        self.wait_s = float(device.options["wait_s"])
        self.stale_after_s = float(device.options["stale_after_s"])

    @property
    def shadow(self) -> Shadow:
        # Built on first use: creating a boto3 client costs a Lambda cold start ~100 ms.
        if self._shadow is None:
            options = self.device.options
            self._shadow = Shadow(
                self._client_factory(), options["thing_name"], options["shadow_name"], self.device
            )
        return self._shadow

    def set_power(self, on: bool, deadline: Deadline, auto_off_s: int | None = None) -> PowerState:
        cmd_id = uuid.uuid4().hex[:16]
        command = {
            **CLEAR_COMMAND,
            "power": "on" if on else "off",
            "cmd_id": cmd_id,
            "cmd_at": round(self.wall(), 3),
            "off_after_s": auto_off_s if on and auto_off_s else None,
        }
        self.shadow.update({"desired": command})
        wait = deadline.within(self.wait_s)
        for pause in _pauses():
            if wait.remaining() <= pause:
                break
            time.sleep(pause)
            doc = self.shadow.get()
            reported = doc.reported if doc else {}
            if reported.get("cmd_id") == cmd_id:
                return self._handled(reported, on)
        return PowerState(on, Source.ASSUMED, utc(self.wall()))

    def _handled(self, reported: dict[str, Any], on: bool) -> PowerState:
        outcome = reported.get("outcome")
        if outcome in _ERRORS:
            raise _ERRORS[outcome](f"the bridge says: {reported.get('detail')}", self.device)
        if outcome != "applied":
            raise DeviceFault(f"the bridge did not apply the command ({outcome})", self.device)
        return self._state(reported)

    def _state(self, reported: dict[str, Any]) -> PowerState:
        power = reported.get("power")
        seen = reported.get("seen_at")
        at = utc(float(seen)) if isinstance(seen, int | float) else utc(self.wall())
        off_at = reported.get("off_at")
        source = Source.ASSUMED if reported.get("source") == "assumed" else Source.BRIDGE
        return PowerState(
            None if power not in ("on", "off") else power == "on",
            source,
            at,
            utc(float(off_at)) if isinstance(off_at, int | float) else None,
        )

    def read(self, deadline: Deadline) -> PowerState:
        doc = self.shadow.get()
        if doc is None or not doc.reported:
            return PowerState(None, Source.ASSUMED, utc(self.wall()))
        seen = doc.reported.get("seen_at")
        if not isinstance(seen, int | float) or self.wall() - seen > self.stale_after_s:
            raise BridgeUnreachable("the bridge hasn't reported recently", self.device)
        problem = doc.reported.get("problem")
        if problem:
            raise _ERRORS.get(problem, DeviceFault)(f"the bridge says: {problem}", self.device)
        return self._state(doc.reported)

    def close(self) -> None:
        pass


def create(device: Device, ctx: DriverContext) -> ShadowPlug:
    options = device.options

    def client() -> Any:
        if ctx.aws_client is None:
            raise DeviceFault("no AWS client factory configured", device)
        return ctx.aws_client(
            "iot-data", region=options["region"], endpoint_url=options["endpoint"]
        )

    return ShadowPlug(device, client, ctx.wall)
