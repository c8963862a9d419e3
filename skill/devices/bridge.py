"""`voice-demo bridge`: applies shadow commands to plugs on the LAN, and never late ones.

The skill in Lambda can't reach a plug at home; it writes a command into the thing's
shadow and this long-lived process, on the LAN, applies it and reports back. A command older
than `max_age_s` (30 s) is discarded and cleared — a heater must not switch on hours after
someone asked, just because the bridge was offline.

How it hears a command: subscribed to the shadow's MQTT topics (skill/devices/mqtt.py), a
delta wakes that device's worker, which reads the shadow and acts. On every (re)connect each
worker re-reads its shadow, so a command written while the bridge was away is still applied
(or, past 30 s, discarded). A slow safety poll (`safety_poll_s`) covers a lost message, and
while the broker can't be reached the worker polls over HTTPS every `poll_s`, as before.
Each device has its own worker: a plug that never answers (5 s budget) delays nobody else.
The bridge reports each plug's state every `heartbeat_s`, so the skill can tell "off" from
"the bridge is away".
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from skill.devices import drivers
from skill.devices.deadline import Deadline
from skill.devices.errors import DeviceError, Unreachable
from skill.devices.model import PowerState
from skill.devices.mqtt import MqttShadow, ShadowConnection
from skill.devices.plug import DriverContext, Plug
from skill.devices.registry import Device, Registry
from skill.devices.scheduler import AutoOffTimers
from skill.devices.shadow import CLEAR_COMMAND, Command, Conflict, Shadow, ShadowDoc

log = logging.getLogger(__name__)

MAX_AGE_S = 30.0
HEARTBEAT_S = 60.0  # the skill calls a bridge silent for `stale_after_s` (120 s) away
SAFETY_POLL_S = 120.0  # with MQTT up: 60 reports + 30 reads = 90 shadow requests an idle hour


@dataclass
class Link:
    device: Device  # the registry's iot_shadow device (limits such as max_on_minutes)
    https: Shadow  # GetThingShadow/UpdateThingShadow: --once, and the fallback while MQTT is down
    plug: Plug  # the plug on the LAN
    # The worker and the auto-off timer share the plug; small plugs want one call at a time.
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    mqtt: MqttShadow | None = None
    wake: threading.Event = field(default_factory=threading.Event, repr=False)
    https_only: bool = False  # set by the worker while it retries a step over HTTPS

    @property
    def shadow(self) -> Shadow | MqttShadow:
        """MQTT while it is connected, HTTPS otherwise."""
        if self.mqtt is not None and self.mqtt.usable and not self.https_only:
            return self.mqtt
        return self.https


def links_from_registry(
    registry: Registry, context: DriverContext, aws_client: Callable[..., Any]
) -> list[Link]:
    """One link per iot_shadow device that names the LAN plug under `bridge:`."""
    links = []
    for device in registry:
        local = device.options.get("bridge") if device.driver == "iot_shadow" else None
        if not local:
            continue
        options = {k: v for k, v in local.items() if k != "driver"}
        lan_device = Device(
            id=device.id,
            name=device.name,
            driver=local["driver"],
            options=MappingProxyType(options),
            max_on_minutes=device.max_on_minutes,
        )
        plug = drivers.module(lan_device.driver).create(lan_device, context)
        client = aws_client(
            "iot-data", region=device.options["region"], endpoint_url=device.options["endpoint"]
        )
        shadow = Shadow(client, device.options["thing_name"], device.options["shadow_name"], device)
        links.append(Link(device, shadow, plug))
    return links


def _waker(link: Link) -> Callable[[str], None]:
    return lambda _kind: link.wake.set()


class Bridge:
    def __init__(
        self,
        links: Iterable[Link],
        *,
        wall: Callable[[], float] = time.time,
        max_age_s: float = MAX_AGE_S,
        heartbeat_s: float = HEARTBEAT_S,
        budget_s: float = 5.0,
        connection: ShadowConnection | None = None,
        safety_poll_s: float = SAFETY_POLL_S,
    ) -> None:
        self.links = {link.device.id: link for link in links}
        self.wall = wall
        self.max_age_s = max_age_s
        self.heartbeat_s = heartbeat_s
        self.budget_s = budget_s
        self.safety_poll_s = safety_poll_s
        self.connection = connection
        self.timers = AutoOffTimers(self._auto_off)  # for LAN plugs with no timer of their own
        self._reported_at: dict[str, float] = {}
        # The last outcomes per device (for logs and tests), bounded: the bridge runs for months.
        self.outcomes: dict[str, deque[str]] = {d: deque(maxlen=100) for d in self.links}
        if connection is not None:
            for link in self.links.values():
                options = link.device.options
                link.mqtt = MqttShadow(
                    connection, options["thing_name"], options["shadow_name"], link.device
                )
                connection.add_thing(link.mqtt.prefix, _waker(link))
            # Up: every worker re-reads its shadow (a delta missed while away). Down: it polls.
            connection.on_state(self._wake_all)

    def _wake_all(self, _up: bool) -> None:
        for link in self.links.values():
            link.wake.set()

    def run(self, stop: threading.Event, poll_s: float = 0.5) -> None:
        """One worker per device until `stop` is set; `poll_s` applies while MQTT is down."""
        if self.connection is not None:
            self.connection.start()
        workers = [
            threading.Thread(
                target=self._work,
                args=(link, stop, poll_s),
                name=f"bridge-{device_id}",
                daemon=True,  # a plug call that hangs must not keep the process alive
            )
            for device_id, link in self.links.items()
        ]
        for worker in workers:
            worker.start()
        try:
            stop.wait()
        finally:  # also on Ctrl-C
            stop.set()
            for link in self.links.values():
                link.wake.set()
            for worker in workers:
                worker.join(timeout=self.budget_s + 2)
            if self.connection is not None:
                self.connection.close()
            self.timers.stop()

    def _work(self, link: Link, stop: threading.Event, poll_s: float) -> None:
        next_poll = 0.0  # read the shadow at once: a command may be waiting
        retry_beat = 0.0  # after a failed report, not again before the next poll interval
        while not stop.is_set():
            now = time.monotonic()
            reported = self._reported_at.get(link.device.id, -1e9)
            beat_at = max(retry_beat, now + reported + self.heartbeat_s - self.wall())
            woken = link.wake.wait(max(0.0, min(next_poll, beat_at) - now))
            link.wake.clear()
            if stop.is_set():
                break
            interval = self.safety_poll_s if isinstance(link.shadow, MqttShadow) else poll_s
            if woken or time.monotonic() >= next_poll:
                self._record(link, self._step_any)
                next_poll = time.monotonic() + interval
            elif self._record(link, self._heartbeat) != "reported":
                retry_beat = time.monotonic() + min(interval, self.heartbeat_s)

    def _record(self, link: Link, action: Callable[[Link], str]) -> str:
        try:
            outcome = action(link)
        except DeviceError as exc:
            log.warning("bridge: %s: %s", link.device.id, exc)
            outcome = exc.kind
        self.outcomes[link.device.id].append(outcome)
        return outcome

    def _step_any(self, link: Link) -> str:
        """A step over MQTT; if that times out, the same step at once over HTTPS."""
        if not isinstance(link.shadow, MqttShadow):
            return self._step(link)
        try:
            return self._step(link)
        except Unreachable as exc:
            log.info("bridge: %s: %s; trying HTTPS", link.device.id, exc)
        link.https_only = True
        try:
            return self._step(link)
        finally:
            link.https_only = False

    def _heartbeat(self, link: Link) -> str:
        state, problem = self._read(link)
        self._report(link, self._fields(state) | {"problem": problem})
        return "reported"

    def step(self) -> dict[str, str]:
        """One pass over every shadow; what happened to each device (for logs and tests)."""
        outcomes = {}
        for device_id, link in self.links.items():
            try:
                outcomes[device_id] = self._step(link)
            except DeviceError as exc:
                log.warning("bridge: %s: %s", device_id, exc)
                outcomes[device_id] = exc.kind
        return outcomes

    def _step(self, link: Link) -> str:
        doc: ShadowDoc | None = link.shadow.get()
        command = doc.command() if doc else None
        now = self.wall()
        if command is None:
            if now - self._reported_at.get(link.device.id, float("-inf")) < self.heartbeat_s:
                return "idle"
            return self._heartbeat(link)
        age = command.age(now)
        if age is None or abs(age) > self.max_age_s:
            # abs(): a command "from the future" means a wrong clock somewhere; not trusted.
            log.warning(
                "bridge: discarding %s command for %s: %s",
                "on" if command.on else "off",
                link.device.id,
                "no timestamp" if age is None else f"{age:.0f} s old",
            )
            state, problem = self._read(link)
            detail = "no timestamp" if age is None else f"{age:.0f} s old"
            self._finish(link, command, "discarded", state, problem, detail)
            return "discarded"
        self._warn_clock_skew(command, now)
        try:
            state = self._apply(link, command)
        except DeviceError as exc:
            self._finish(link, command, exc.kind, None, exc.kind, str(exc))
            return exc.kind
        self._finish(link, command, "applied", state, None, None)
        return "applied"

    def _apply(self, link: Link, command: Command) -> PowerState:
        limits = [s for s in (command.off_after_s, link.device.max_on_minutes * 60) if s]
        auto_off_s = min(limits) if command.on and limits else None  # the stricter limit wins
        local_timer = bool(auto_off_s) and not link.plug.native_auto_off
        if local_timer and auto_off_s:
            self.timers.schedule(link.device.id, auto_off_s)
        with link.lock:
            state = link.plug.set_power(
                command.on, Deadline(self.budget_s), None if local_timer else auto_off_s
            )
        if not command.on and state.is_confirmed(False):
            self.timers.cancel(link.device.id)
        log.info("bridge: %s switched %s", link.device.id, "on" if command.on else "off")
        return state

    def _read(self, link: Link) -> tuple[PowerState | None, str | None]:
        try:
            with link.lock:
                return link.plug.read(Deadline(self.budget_s)), None
        except DeviceError as exc:
            return None, exc.kind

    def _fields(self, state: PowerState | None) -> dict[str, Any]:
        fields: dict[str, Any] = {"seen_at": round(self.wall(), 3)}
        if state is not None:
            fields |= {
                "power": None if state.on is None else ("on" if state.on else "off"),
                "source": state.source.value,
                "off_at": state.off_at.timestamp() if state.off_at else None,
            }
        return fields

    def _report(self, link: Link, fields: dict[str, Any]) -> int | None:
        version = link.shadow.update({"reported": fields})  # the same document as over HTTPS
        self._reported_at[link.device.id] = self.wall()
        return version

    def _finish(
        self,
        link: Link,
        command: Command,
        outcome: str,
        state: PowerState | None,
        problem: str | None,
        detail: str | None,
    ) -> None:
        """Report what happened, then clear the command unless a newer one has arrived."""
        fields = self._fields(state) | {
            "cmd_id": command.cmd_id,
            "outcome": outcome,
            "detail": detail,
            "problem": problem,
        }
        version = self._report(link, fields)
        if version is None:
            return
        try:
            link.shadow.update({"desired": CLEAR_COMMAND}, version=version)
        except Conflict:
            log.info("bridge: %s has a newer command; leaving it", link.device.id)

    def _warn_clock_skew(self, command: Command, now: float) -> None:
        if command.cmd_at is None or command.written_at is None or command.server_now is None:
            return
        skew = (now - command.cmd_at) - (command.server_now - command.written_at)
        if abs(skew) > 10:
            log.warning("bridge: clocks disagree by %.0f s; check NTP on this machine", skew)

    def _auto_off(self, device_id: str) -> bool:
        link = self.links[device_id]
        try:
            with link.lock:
                state = link.plug.set_power(False, Deadline(self.budget_s))
        except DeviceError as exc:
            log.warning("bridge: auto-off of %s failed: %s", device_id, exc)
            return False
        try:
            self._report(link, self._fields(state) | {"problem": None})
        except DeviceError as exc:
            log.warning("bridge: couldn't report auto-off of %s: %s", device_id, exc)
        return state.is_confirmed(False)

    def close(self) -> None:
        self.timers.stop()
        for link in self.links.values():
            link.plug.close()
