"""Shelly plugs, both API generations, told apart by asking the plug (`GET /shelly`).

One driver, not two: people don't know which generation their plug is (the original Shelly
Plug S, common in the UK, is Gen1; Plus/Pro/Gen3 are Gen2+), and `/shelly` answers without
a login on every generation: Gen2+ says `"gen": 2` (or 3, 4), Gen1 has no `gen` but a `type`
such as "SHPLG-S". The answer is kept for the life of the process; `generation: 1` or `2`
in the registry skips the question.

- Gen1: `GET /relay/<channel>?turn=on[&timer=<s>]` answers with the relay's state *after*
  the command (`ison`, `has_timer`, `timer_started`, `timer_duration`, `overpower`), so that
  answer is the read-back. `timer` is the plug's own auto-off. Login is HTTP Basic.
- Gen2+: `Switch.Set` answers with `was_on` (the state *before*), so the state is read back
  with `Switch.GetStatus`. `toggle_after` is the plug's own auto-off. Login is HTTP digest
  with SHA-256 (user "admin").

A channel the plug doesn't have (Gen2 error -105, Gen1 404) is a setup mistake, said so;
an `errors` entry such as "overpower" (Gen1: `overpower: true`) says why it switched off.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, TypeGuard

from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from skill.devices.errors import (
    AuthFailed,
    DeviceFault,
    Misconfigured,
    NotConfirmed,
    RegistryError,
)
from skill.devices.model import PowerState, Source, utc
from skill.devices.options import Option
from skill.devices.plug import read_back
from skill.devices.transport import HttpTransport

if TYPE_CHECKING:
    from collections.abc import Callable

    from skill.devices.deadline import Deadline
    from skill.devices.plug import DriverContext
    from skill.devices.registry import Device
    from skill.devices.transport import HttpReply

OPTIONS = {
    "host": Option(str, help="the plug's address, e.g. 192.168.1.20"),
    "port": Option(int, 80),
    "channel": Option(int, 0, "switch id on multi-channel devices"),
    "user": Option(str, "admin"),
    "password_env": Option(str, None, "environment variable holding the password"),
    "generation": Option(
        (int, str), "auto", "1 (Gen1, e.g. Shelly Plug S), 2 (Plus, Pro, Gen3+) or auto"
    ),
}
# Gen2+ `errors` values (Switch status), in the words a person hears after "because".
TRIPS = ("overpower", "overtemp", "overvoltage", "undervoltage", "overcurrent")
NOT_FOUND = -105  # Gen2 RPC: "an instance specified in the request is not found"


class ShellyPlug:
    native_auto_off = True
    local = False

    def __init__(
        self,
        device: Device,
        transport: HttpTransport,
        wall: Callable[[], float],
        *,
        user: str = "admin",
        password: str | None = None,
        missing_secret: str | None = None,
        generation: int | None = None,
    ) -> None:
        self.device = device
        self.transport = transport
        self.wall = wall
        self.channel = int(device.options["channel"])
        self.user = user
        self.password = password
        self.missing_secret = missing_secret
        self.generation: int | None = None
        if generation is not None:
            self._use(generation)

    # --- which dialect ----------------------------------------------------------------------

    def _use(self, generation: int) -> None:
        self.generation = 1 if generation == 1 else 2
        if self.password:
            self.transport.session.auth = (
                HTTPBasicAuth(self.user, self.password)
                if self.generation == 1
                else HTTPDigestAuth(self.user, self.password)
            )

    def _detect(self, deadline: Deadline) -> int:
        if self.generation is not None:
            return self.generation
        reply = self.transport.request("GET", "/shelly", deadline)
        info = self.transport.json(reply) if reply.status == 200 else None
        if not isinstance(info, dict):
            raise DeviceFault(f"Shelly /shelly: HTTP {reply.status}", self.device)
        gen = info.get("gen")
        if isinstance(gen, int) and not isinstance(gen, bool) and gen >= 2:
            self._use(gen)
        elif isinstance(info.get("type"), str):
            self._use(1)
        else:
            raise DeviceFault(f"Shelly /shelly names no generation: {info}", self.device)
        return self.generation or 2

    def _check(self, deadline: Deadline) -> int:
        if self.missing_secret:
            raise AuthFailed(self.missing_secret, self.device)
        return self._detect(deadline)

    # --- the plug interface -----------------------------------------------------------------

    def set_power(self, on: bool, deadline: Deadline, auto_off_s: int | None = None) -> PowerState:
        if self._check(deadline) == 1:
            params: dict[str, Any] = {"turn": "on" if on else "off"}
            if on and auto_off_s:
                params["timer"] = auto_off_s
            try:
                return self._gen1_state(self._relay(deadline, params, command=True))
            except NotConfirmed:
                return read_back(self, on, deadline, self.wall)
        params = {"id": self.channel, "on": "true" if on else "false"}
        if on and auto_off_s:
            params["toggle_after"] = auto_off_s
        with contextlib.suppress(NotConfirmed):  # it may have switched: the read-back says
            self._rpc("Switch.Set", deadline, params, command=True)
        # Switch.Set only says how it *was*: what it is now is read back, or not claimed.
        return read_back(self, on, deadline, self.wall)

    def read(self, deadline: Deadline) -> PowerState:
        if self._check(deadline) == 1:
            return self._gen1_state(self._relay(deadline, {}))
        return self._gen2_state(self._rpc("Switch.GetStatus", deadline, {"id": self.channel}))

    def close(self) -> None:
        self.transport.close()

    # --- Gen1 -------------------------------------------------------------------------------

    def _relay(self, deadline: Deadline, params: dict[str, Any], command: bool = False) -> Any:
        reply = self.transport.request(
            "GET", f"/relay/{self.channel}", deadline, params=params, command=command
        )
        if reply.status == 404:
            raise self._no_channel(f"Shelly Gen1 /relay/{self.channel}: HTTP 404")
        if reply.status != 200:
            raise DeviceFault(f"Shelly Gen1 relay: HTTP {reply.status}", self.device)
        return self.transport.json(reply)

    def _gen1_state(self, body: Any) -> PowerState:
        if not isinstance(body, dict) or not isinstance(body.get("ison"), bool):
            raise DeviceFault(f"Shelly Gen1 relay: no 'ison' in {body!r:.200}", self.device)
        on = body["ison"]
        off_at = None
        started, duration = body.get("timer_started"), body.get("timer_duration")
        if on and body.get("has_timer") and _number(started) and _number(duration):
            off_at = utc(started + duration)
        tripped = "overpower" if body.get("overpower") is True else None
        return PowerState(on, Source.DEVICE, utc(self.wall()), off_at, tripped)

    # --- Gen2+ ------------------------------------------------------------------------------

    def _rpc(
        self, method: str, deadline: Deadline, params: dict[str, Any], command: bool = False
    ) -> dict[str, Any]:
        reply: HttpReply = self.transport.request(
            "GET", f"/rpc/{method}", deadline, params=params, command=command
        )
        body = self.transport.json(reply)
        if reply.status == 200 and isinstance(body, dict) and "code" not in body:
            return body
        error = body.get("error", body) if isinstance(body, dict) else {}
        code = error.get("code") if isinstance(error, dict) else None
        if code == NOT_FOUND:
            raise self._no_channel(f"Shelly {method}: {error.get('message')}")
        detail = error.get("message") if isinstance(error, dict) else None
        raise DeviceFault(
            f"Shelly {method}: HTTP {reply.status} {code or ''} {detail or ''}".strip(),
            self.device,
        )

    def _gen2_state(self, status: dict[str, Any]) -> PowerState:
        if not isinstance(status.get("output"), bool):
            raise DeviceFault("Shelly Switch.GetStatus: no 'output'", self.device)
        off_at = None
        started, duration = status.get("timer_started_at"), status.get("timer_duration")
        if status["output"] and _number(started) and _number(duration):
            off_at = utc(started + duration)
        errors = status.get("errors")
        tripped = next((e for e in TRIPS if isinstance(errors, list) and e in errors), None)
        return PowerState(status["output"], Source.DEVICE, utc(self.wall()), off_at, tripped)

    def _no_channel(self, message: str) -> Misconfigured:
        return Misconfigured(message, self.device, reason=f"it has no switch number {self.channel}")


def _number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def create(device: Device, ctx: DriverContext) -> ShellyPlug:
    options = device.options
    generation = options["generation"]
    if generation not in ("auto", 1, 2, 3, 4):
        raise RegistryError(
            f"device {device.id}: shelly 'generation' must be 1, 2 or auto (not {generation!r})"
        )
    password, missing = None, None
    if options["password_env"]:
        password = ctx.environ.get(options["password_env"])
        if not password:
            missing = f"environment variable {options['password_env']} is not set"
    transport = HttpTransport(
        device,
        f"http://{options['host']}:{options['port']}",
        connect_s=ctx.connect_timeout_s,
        read_s=ctx.read_timeout_s,
    )
    return ShellyPlug(
        device,
        transport,
        ctx.wall,
        user=options["user"],
        password=password,
        missing_secret=missing,
        generation=None if generation == "auto" else int(generation),
    )
