"""A switch in Home Assistant, through its REST API with a long-lived access token.

The token comes from the environment variable named by `token_env`, never from the YAML.
Home Assistant reports the device's state, so states are marked as from a bridge;
`unavailable` means HA can't reach the plug either, and `attributes.assumed_state: true`
means HA itself only assumes the state (RF sockets, optimistic MQTT): said as unconfirmed.
A service call returns "when the service has been executed or after 10 seconds" (HA's REST
docs); one that doesn't answer in time is not resent: the state is read back instead.
HA answers a service it doesn't have with 400 (homeassistant/components/api/__init__.py:
`except (vol.Invalid, ServiceNotFound): raise HTTPBadRequest`), a setup mistake said so.
HA has no per-call auto-off, so max_on_minutes falls to the skill's own timer.
"""

from __future__ import annotations

import contextlib
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from skill.devices.errors import (
    AuthFailed,
    DeviceError,
    DeviceFault,
    Misconfigured,
    NotConfirmed,
    UnknownDevice,
    Unreachable,
)
from skill.devices.model import PowerState, Source, utc
from skill.devices.options import Option
from skill.devices.transport import HttpTransport

if TYPE_CHECKING:
    from collections.abc import Callable

    from skill.devices.deadline import Deadline
    from skill.devices.plug import DriverContext
    from skill.devices.registry import Device

OPTIONS = {
    "url": Option(str, help="Home Assistant's base URL, e.g. http://homeassistant.local:8123"),
    "entity_id": Option(str, help="e.g. switch.lamp"),
    "token_env": Option(str, help="environment variable holding a long-lived access token"),
}
_DOMAINS = {"switch", "light", "fan", "input_boolean"}
SETTLE_S = 1.5  # how long to wait for HA's state to follow a service call
SETTLE_POLL_S = 0.25


class HomeAssistantPlug:
    native_auto_off = False
    local = False

    def __init__(
        self,
        device: Device,
        transport: HttpTransport,
        wall: Callable[[], float],
        missing_secret: str | None = None,
    ) -> None:
        self.device = device
        self.transport = transport
        self.wall = wall
        self.entity_id = str(device.options["entity_id"])
        domain = self.entity_id.split(".", 1)[0]
        self.domain = domain if domain in _DOMAINS else "homeassistant"
        self.missing_secret = missing_secret

    def _check(self) -> None:
        if self.missing_secret:
            raise AuthFailed(self.missing_secret, self.device)

    def _parse(self, body: Any) -> PowerState:
        state = body.get("state") if isinstance(body, dict) else None
        if state == "unavailable":
            raise Unreachable(f"Home Assistant reports {self.entity_id} unavailable", self.device)
        if state not in ("on", "off", "unknown"):
            raise DeviceFault(f"Home Assistant state {state!r} for {self.entity_id}", self.device)
        at = utc(self.wall())
        with contextlib.suppress(KeyError, TypeError, ValueError):
            at = datetime.fromisoformat(body["last_changed"])
        attributes = body.get("attributes")
        assumed = isinstance(attributes, dict) and attributes.get("assumed_state") is True
        source = Source.ASSUMED if assumed else Source.BRIDGE
        return PowerState(None if state == "unknown" else state == "on", source, at)

    def set_power(self, on: bool, deadline: Deadline, auto_off_s: int | None = None) -> PowerState:
        self._check()
        service = "turn_on" if on else "turn_off"
        try:
            reply = self.transport.request(
                "POST",
                f"/api/services/{self.domain}/{service}",
                deadline,
                json={"entity_id": self.entity_id},
                command=True,
            )
        except NotConfirmed:
            changed = []  # HA may still be working on it: read back below, never resend
        else:
            if reply.status == 400:
                raise Misconfigured(
                    f"Home Assistant refused {self.domain}.{service} for {self.entity_id}",
                    self.device,
                    reason="Home Assistant has no way to switch it",
                )
            if reply.status == 404:
                raise UnknownDevice(f"Home Assistant has no {self.domain}.{service}", self.device)
            if reply.status != 200:
                raise DeviceFault(f"Home Assistant {service}: HTTP {reply.status}", self.device)
            changed = self.transport.json(reply)
        # HA lists the states that changed during the call; ours is there if it switched.
        for item in changed if isinstance(changed, list) else []:
            if isinstance(item, dict) and item.get("entity_id") == self.entity_id:
                state = self._parse(item)
                if state.on is on:
                    return state
        settle = deadline.within(SETTLE_S)
        while True:
            try:
                body = self._fetch(settle)
            except DeviceError:
                return PowerState(on, Source.ASSUMED, utc(self.wall()))  # it took the order
            state = self._parse(body)  # HA saying "unavailable" is an answer: raise it
            if state.on is on or settle.remaining() < SETTLE_POLL_S * 2:
                return state
            time.sleep(SETTLE_POLL_S)

    def read(self, deadline: Deadline) -> PowerState:
        return self._parse(self._fetch(deadline))

    def _fetch(self, deadline: Deadline) -> Any:
        self._check()
        reply = self.transport.request("GET", f"/api/states/{quote(self.entity_id)}", deadline)
        if reply.status == 404:
            raise UnknownDevice(f"Home Assistant has no entity {self.entity_id}", self.device)
        if reply.status != 200:
            raise DeviceFault(f"Home Assistant states: HTTP {reply.status}", self.device)
        return self.transport.json(reply)

    def close(self) -> None:
        self.transport.close()


def create(device: Device, ctx: DriverContext) -> HomeAssistantPlug:
    token = ctx.environ.get(device.options["token_env"])
    missing = None if token else f"environment variable {device.options['token_env']} is not set"
    transport = HttpTransport(
        device,
        str(device.options["url"]),
        connect_s=ctx.connect_timeout_s,
        read_s=ctx.read_timeout_s,
        headers={"Authorization": f"Bearer {token}"} if token else None,
    )
    return HomeAssistantPlug(device, transport, ctx.wall, missing)
