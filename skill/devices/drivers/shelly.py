"""Shelly Gen2+ plugs over their HTTP RPC: Switch.Set, then Switch.GetStatus to confirm.

`Switch.Set` answers with `was_on` (the state *before*), so the new state is read back
rather than assumed. `toggle_after` is the plug's own auto-off timer: it fires even if this
process is gone. Authentication is HTTP digest with SHA-256 (user "admin").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from requests.auth import HTTPDigestAuth

from skill.devices.errors import AuthFailed, DeviceError, DeviceFault
from skill.devices.model import PowerState, Source, utc
from skill.devices.options import Option
from skill.devices.transport import HttpTransport

if TYPE_CHECKING:
    from collections.abc import Callable

    from skill.devices.deadline import Deadline
    from skill.devices.plug import DriverContext
    from skill.devices.registry import Device

OPTIONS = {
    "host": Option(str, help="the plug's address, e.g. 192.168.1.20"),
    "port": Option(int, 80),
    "channel": Option(int, 0, "switch id on multi-channel devices"),
    "user": Option(str, "admin"),
    "password_env": Option(str, None, "environment variable holding the password"),
}


class ShellyPlug:
    native_auto_off = True
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
        self.channel = int(device.options["channel"])
        self.missing_secret = missing_secret

    def _rpc(self, method: str, deadline: Deadline, **params: Any) -> dict[str, Any]:
        if self.missing_secret:
            raise AuthFailed(self.missing_secret, self.device)
        response = self.transport.request("GET", f"/rpc/{method}", deadline, params=params)
        body = self.transport.json(response)
        if response.status_code != 200 or not isinstance(body, dict) or "code" in body:
            detail = body.get("message") if isinstance(body, dict) else None
            raise DeviceFault(
                f"Shelly {method}: HTTP {response.status_code} {detail or ''}".strip(), self.device
            )
        return body

    def set_power(self, on: bool, deadline: Deadline, auto_off_s: int | None = None) -> PowerState:
        params: dict[str, Any] = {"id": self.channel, "on": "true" if on else "false"}
        if on and auto_off_s:
            params["toggle_after"] = auto_off_s
        self._rpc("Switch.Set", deadline, **params)
        try:
            return self.read(deadline)
        except DeviceError:
            return PowerState(on, Source.ASSUMED, utc(self.wall()))  # it took the order, no more

    def read(self, deadline: Deadline) -> PowerState:
        status = self._rpc("Switch.GetStatus", deadline, id=self.channel)
        if not isinstance(status.get("output"), bool):
            raise DeviceFault("Shelly Switch.GetStatus: no 'output'", self.device)
        off_at = None
        started, duration = status.get("timer_started_at"), status.get("timer_duration")
        if (
            status["output"]
            and isinstance(started, int | float)
            and isinstance(duration, int | float)
        ):
            off_at = utc(started + duration)
        return PowerState(status["output"], Source.DEVICE, utc(self.wall()), off_at)

    def close(self) -> None:
        self.transport.close()


def create(device: Device, ctx: DriverContext) -> ShellyPlug:
    options = device.options
    auth, missing = None, None
    if options["password_env"]:
        password = ctx.environ.get(options["password_env"])
        if password:
            auth = HTTPDigestAuth(options["user"], password)
        else:
            missing = f"environment variable {options['password_env']} is not set"
    transport = HttpTransport(
        device,
        f"http://{options['host']}:{options['port']}",
        connect_s=ctx.connect_timeout_s,
        read_s=ctx.read_timeout_s,
        auth=auth,
    )
    return ShellyPlug(device, transport, ctx.wall, missing)
