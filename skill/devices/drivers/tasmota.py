"""Tasmota plugs over HTTP: `GET /cm?cmnd=Power On`.

Tasmota answers a command with the relay's state *after* it, so that answer is a read-back.
Firmware variants people really run, all answered with HTTP 200:

- a wrong or missing password: `{"WARNING": "Need user=<username>&password=<password>"}`;
- custom state texts (`StateText1 0`, `StateText2 1`): `{"POWER": "1"}` — ON/OFF, 1/0 and
  true/false are understood, any other text is a setup problem said as such;
- Tasmota 6.x with `WebLog` below 2 runs the command but answers
  `{"WARNING": "Enable weblog 2 if response expected"}`: for a switch that means "asked,
  not confirmed" (the read-back gets the same warning), for a read or PulseTime it is a
  setup mistake someone can fix (`WebLog 2`).

`PulseTime` is the device's own auto-off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from skill.devices.errors import AuthFailed, DeviceFault, Misconfigured, NotConfirmed
from skill.devices.model import PowerState, Source, utc
from skill.devices.options import Option
from skill.devices.plug import read_back
from skill.devices.transport import HttpTransport

if TYPE_CHECKING:
    from collections.abc import Callable

    from skill.devices.deadline import Deadline
    from skill.devices.plug import DriverContext
    from skill.devices.registry import Device

OPTIONS = {
    "host": Option(str, help="the plug's address, e.g. 192.168.1.21"),
    "port": Option(int, 80),
    "relay": Option(int, 1, "relay number on multi-relay devices"),
    "user": Option(str, "admin"),
    "password_env": Option(str, None, "environment variable holding the web password"),
}
# PulseTime 112..64900 means (value - 100) seconds; beyond that the device can't time it.
MAX_AUTO_OFF_S = 64800
_ON, _OFF = {"on", "1", "true"}, {"off", "0", "false"}
WEBLOG = "Enable weblog"


class TasmotaPlug:
    native_auto_off = True
    local = False

    def __init__(
        self,
        device: Device,
        transport: HttpTransport,
        wall: Callable[[], float],
        credentials: dict[str, str] | None = None,
        missing_secret: str | None = None,
    ) -> None:
        self.device = device
        self.transport = transport
        self.wall = wall
        self.credentials = credentials or {}
        self.missing_secret = missing_secret
        relay = int(device.options["relay"])
        self.suffix = "" if relay == 1 else str(relay)
        self.keys = ("POWER", "POWER1") if relay == 1 else (f"POWER{relay}",)

    def _command(self, command: str, deadline: Deadline, switch: bool = False) -> dict[str, Any]:
        if self.missing_secret:
            raise AuthFailed(self.missing_secret, self.device)
        # %20, not '+': the documented form, accepted by every Tasmota version.
        query = urlencode({**self.credentials, "cmnd": command}, quote_via=quote)
        reply = self.transport.request("GET", "/cm", deadline, params=query, command=switch)
        body = self.transport.json(reply)
        if not isinstance(body, dict):
            raise DeviceFault(f"Tasmota {command.split()[0]}: unexpected answer", self.device)
        warning = str(body.get("WARNING", ""))
        if warning.startswith("Need user="):
            raise AuthFailed("Tasmota asked for a user and password", self.device)
        if warning.startswith(WEBLOG):
            if switch:  # it ran the command; it just won't tell us how it went
                raise NotConfirmed(f"Tasmota {command}: {warning}", self.device)
            raise Misconfigured(
                f"Tasmota {command.split()[0]}: {warning}",
                self.device,
                reason="it needs its WebLog setting at 2 to answer me",
            )
        if reply.status != 200 or "Command" in body or warning:
            raise DeviceFault(f"Tasmota {command.split()[0]}: {body}", self.device)
        return body

    def _state(self, body: dict[str, Any], off_at: float | None = None) -> PowerState:
        for key in self.keys:
            text = str(body.get(key, "")).strip().lower()
            if text in _ON or text in _OFF:
                on = text in _ON
                return PowerState(
                    on, Source.DEVICE, utc(self.wall()), utc(off_at) if on and off_at else None
                )
        if any(key in body for key in self.keys):
            raise Misconfigured(
                f"Tasmota state text {body!r:.100}",
                self.device,
                reason="it reports its state in words I don't know",
            )
        raise DeviceFault(f"Tasmota answered without {self.keys[0]}: {body}", self.device)

    def set_power(self, on: bool, deadline: Deadline, auto_off_s: int | None = None) -> PowerState:
        if on and auto_off_s:
            # Set before switching: if this fails, the plug is never on without its timer.
            self._command(
                f"PulseTime{self.suffix or 1} {min(auto_off_s, MAX_AUTO_OFF_S) + 100}", deadline
            )
        try:
            body = self._command(f"Power{self.suffix} {'On' if on else 'Off'}", deadline, True)
        except NotConfirmed:
            return read_back(self, on, deadline, self.wall)
        return self._state(body, self.wall() + auto_off_s if on and auto_off_s else None)

    def read(self, deadline: Deadline) -> PowerState:
        return self._state(self._command(f"Power{self.suffix}", deadline))

    def close(self) -> None:
        self.transport.close()


def create(device: Device, ctx: DriverContext) -> TasmotaPlug:
    options = device.options
    credentials, missing = None, None
    if options["password_env"]:
        password = ctx.environ.get(options["password_env"])
        if password:
            credentials = {"user": options["user"], "password": password}
        else:
            missing = f"environment variable {options['password_env']} is not set"
    transport = HttpTransport(
        device,
        f"http://{options['host']}:{options['port']}",
        connect_s=ctx.connect_timeout_s,
        read_s=ctx.read_timeout_s,
    )
    return TasmotaPlug(device, transport, ctx.wall, credentials, missing)
