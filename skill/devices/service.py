"""DeviceService: the registry, one plug per device, and the rules every call obeys.

- One deadline per request (`settings.device_budget_s`); every plug call runs in a worker
  and is abandoned when the deadline passes, so even a driver that ignores its timeouts
  can't stop the skill answering.
- One call at a time per device (small plugs accept few connections) — but a call whose
  deadline has passed no longer holds the device: the next request goes ahead.
- A switch abandoned at the deadline while it was running is "asked, not confirmed", never
  "unreachable": the command may have reached the plug.
- "Everything off" and "which are on" run in parallel under one deadline.
- max_on_minutes uses the plug's own timer when it has one, else `AutoOffTimers`.
- `states()` is the cheap last-known view for the stand page.
- `on_change(listener)` hears every confirmed change with its cause (`switch(cause=…)`;
  a change a read discovers is `Cause.DEVICE`, or `RULE` when a device timer was due).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextvars import ContextVar, copy_context
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skill.devices import drivers
from skill.devices.deadline import Deadline
from skill.devices.errors import (
    AuthFailed,
    AutoOffUnavailable,
    DeviceError,
    DeviceFault,
    Misconfigured,
    UnknownDevice,
    Unreachable,
)
from skill.devices.model import Cause, Change, PowerState, Source, Status, utc
from skill.devices.plug import DriverContext, Plug
from skill.devices.registry import Device, Registry, load_registry
from skill.devices.scheduler import AutoOffTimers

if TYPE_CHECKING:
    from skill.settings import Settings

log = logging.getLogger(__name__)

GRACE_S = 0.2  # a worker's last chance to hand back an answer it already has
Result = PowerState | DeviceError
_CAUSE: ContextVar[Cause | None] = ContextVar("device_change_cause", default=None)


class DeviceService:
    def __init__(
        self,
        registry: Registry,
        context: DriverContext,
        *,
        budget_s: float = 5.0,
        timers_reliable: bool = True,
        plugs: Mapping[str, Plug] | None = None,
        max_workers: int = 16,
    ) -> None:
        self.registry = registry
        self.context = context
        self.budget_s = budget_s
        self.wall = context.wall
        self.started = context.wall()
        self.timers = AutoOffTimers(self._auto_off, reliable=timers_reliable)
        self._plugs: dict[str, Plug] = dict(plugs or {})
        for device in registry:
            if device.id not in self._plugs:
                self._plugs[device.id] = drivers.module(device.driver).create(device, context)
        self._locks = {device.id: threading.Lock() for device in registry}
        self._holders: dict[str, Deadline] = {}  # whose deadline each held lock is under
        self._known: dict[str, Status] = {}
        self._version = 0
        self._changed = threading.Condition()
        self._listeners: list[Callable[[Change], None]] = []
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="device")

    @classmethod
    def without_devices(cls, data_dir: Path) -> DeviceService:
        """An empty registry: for answers that never touch a plug (the admin's preview)."""
        return cls(Registry([]), DriverContext(data_dir=data_dir))

    @classmethod
    def from_settings(
        cls, settings: Settings, environ: Mapping[str, str] | None = None
    ) -> DeviceService:
        """The service for this process; `environ` supplies token_env/password_env secrets."""
        registry = load_registry(settings.devices_file)
        environ = environ or {}
        secrets = {name: environ[name] for name in _secret_names(registry) if name in environ}
        context = DriverContext(
            data_dir=Path(settings.data_dir), environ=secrets, aws_client=_aws_client
        )
        return cls(
            registry,
            context,
            budget_s=settings.device_budget_s,
            timers_reliable=not settings.in_lambda,
        )

    # --- single devices --------------------------------------------------------------------

    def deadline(self) -> Deadline:
        return Deadline(self.budget_s)

    def now(self) -> datetime:
        """The devices' clock (their timers run on it), as an aware UTC time."""
        return utc(self.wall())

    def plug(self, device_id: str) -> Plug:
        self.registry.get(device_id)  # UnknownDevice for ids we don't have
        return self._plugs[device_id]

    def switch(
        self,
        device_id: str,
        on: bool,
        deadline: Deadline | None = None,
        *,
        cause: Cause = Cause.VOICE,
    ) -> PowerState:
        """Switch and report what the device confirmed; raises a DeviceError otherwise."""
        reset = _CAUSE.set(cause)
        try:
            return self._one(device_id, self._switch, on, deadline)
        finally:
            _CAUSE.reset(reset)

    def read(self, device_id: str, deadline: Deadline | None = None) -> PowerState:
        return self._one(device_id, self._read, None, deadline)

    def _one(
        self,
        device_id: str,
        op: Callable[..., PowerState],
        on: bool | None,
        deadline: Deadline | None,
    ) -> PowerState:
        device = self.registry.get(device_id)
        deadline = deadline or self.deadline()
        if self._plugs[device_id].local:
            # Bounded by its own lock timeout: no need for the pool's hard cut-off.
            return self._locked(device, op, on, deadline)
        return self._wait(self._submit(device, op, on, deadline), device, deadline, on)

    # --- many devices, one deadline ----------------------------------------------------------

    def read_all(
        self, device_ids: Iterable[str] | None = None, deadline: Deadline | None = None
    ) -> dict[str, Result]:
        return self._many(device_ids, self._read, None, deadline)

    def switch_all(
        self,
        device_ids: Iterable[str],
        on: bool,
        deadline: Deadline | None = None,
        *,
        cause: Cause = Cause.VOICE,
    ) -> dict[str, Result]:
        reset = _CAUSE.set(cause)
        try:
            return self._many(device_ids, self._switch, on, deadline)
        finally:
            _CAUSE.reset(reset)

    def on_change(self, listener: Callable[[Change], None]) -> None:
        """Call `listener` after each confirmed change (in the calling or a worker thread)."""
        self._listeners.append(listener)

    # --- last-known states for pages ---------------------------------------------------------

    def states(self) -> dict[str, Status]:
        """Every device's last-known state, without network calls (simulated plugs are read)."""
        now = self.wall()
        with self._changed:
            known = dict(self._known)
        result: dict[str, Status] = {}
        for device in self.registry:
            status = known.get(device.id)
            plug = self._plugs[device.id]
            if plug.local:
                try:
                    status = Status(device.id, device.name, plug.read(Deadline(0.5)))
                except DeviceError as exc:
                    status = self._status(device, None, exc)
            if status is None:
                status = Status(
                    device.id, device.name, PowerState(None, Source.ASSUMED, utc(self.started))
                )
            state = status.state
            if state.on and state.off_at and state.off_at.timestamp() <= now:
                status = replace(status, state=PowerState(False, Source.ASSUMED, state.off_at))
            result[device.id] = status
        return result

    @property
    def version(self) -> int:
        return self._version

    def close(self) -> None:
        self.timers.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)
        for plug in self._plugs.values():
            plug.close()

    # --- internals ---------------------------------------------------------------------------

    def _submit(
        self, device: Device, op: Callable[..., PowerState], on: bool | None, deadline: Deadline
    ) -> Future[PowerState]:
        # The worker sees the caller's cause (contextvars don't cross threads by themselves).
        return self._pool.submit(copy_context().run, self._locked, device, op, on, deadline)

    def _wait(
        self, future: Future[PowerState], device: Device, deadline: Deadline, on: bool | None = None
    ) -> PowerState:
        """The call's result by the deadline; `on` is what a switch asked for (None: a read)."""
        try:
            return future.result(timeout=deadline.remaining() + GRACE_S)
        except FutureTimeout:
            if on is not None and not future.cancel():
                # Running: the command may be on its way or applied. Asked, not confirmed.
                log.warning("%s: switch still running at the deadline", device.id)
                state = PowerState(on, Source.ASSUMED, utc(self.wall()))
                self._remember(device, state, None)
                return state
            error = Unreachable("no answer within the time budget", device)
            self._remember(device, None, error)
            raise error from None

    def _many(
        self,
        device_ids: Iterable[str] | None,
        op: Callable[..., PowerState],
        on: bool | None,
        deadline: Deadline | None,
    ) -> dict[str, Result]:
        deadline = deadline or self.deadline()
        ids = list(device_ids) if device_ids is not None else [d.id for d in self.registry]
        futures: dict[str, Future[PowerState]] = {}
        results: dict[str, Result] = {}
        for device_id in ids:
            try:
                futures[device_id] = self._submit(self.registry.get(device_id), op, on, deadline)
            except UnknownDevice as exc:
                results[device_id] = exc
        for device_id, future in futures.items():
            try:
                device = self.registry.get(device_id)
                results[device_id] = self._wait(future, device, deadline, on)
            except DeviceError as exc:
                results[device_id] = exc
        return {device_id: results[device_id] for device_id in ids}

    def _locked(
        self, device: Device, op: Callable[..., PowerState], on: bool | None, deadline: Deadline
    ) -> PowerState:
        lock = self._locks[device.id]
        acquired = self._acquire(device, lock, deadline)
        try:
            state = op(device, self._plugs[device.id], on, deadline)
        except DeviceError as exc:
            exc.device = exc.device or device
            self._remember(device, None, exc)
            raise
        except Exception as exc:  # a driver bug must still end in a spoken answer
            log.exception("%s driver failed on %s", device.driver, device.id)
            error = DeviceFault(f"{device.driver} driver error: {exc.__class__.__name__}", device)
            self._remember(device, None, error)
            raise error from exc
        finally:
            if acquired:
                self._holders.pop(device.id, None)
                lock.release()
        self._remember(device, state, None)
        return state

    def _acquire(self, device: Device, lock: threading.Lock, deadline: Deadline) -> bool:
        """Wait for an earlier call on this device, but only while its deadline lasts.

        A call stuck past its own deadline (a driver ignoring its timeouts) has already been
        answered for; it must not make this request wait out its whole budget too.
        """
        while not lock.acquire(timeout=min(0.05, max(0.0, deadline.remaining()))):
            holder = self._holders.get(device.id)
            if holder is not None and holder.overdue(GRACE_S):
                log.warning("%s: an earlier call outlived its deadline; not waiting", device.id)
                return False
            if deadline.remaining() <= 0.0:
                raise Unreachable("still busy with an earlier request", device)
        self._holders[device.id] = deadline
        return True

    def _read(self, device: Device, plug: Plug, _on: Any, deadline: Deadline) -> PowerState:
        return plug.read(deadline)

    def _switch(self, device: Device, plug: Plug, on: bool, deadline: Deadline) -> PowerState:
        auto_off_s = device.max_on_minutes * 60 if on and device.max_on_minutes else None
        local_timer = bool(auto_off_s) and not plug.native_auto_off
        if local_timer:
            if not self.timers.reliable:
                raise AutoOffUnavailable(
                    "no device timer and no long-lived process to switch it off", device
                )
            assert auto_off_s is not None  # local_timer implies it
            # Before the call: if its outcome is unknown (timeout), the off must still come.
            self.timers.schedule(device.id, auto_off_s)
        try:
            state = plug.set_power(on, deadline, None if local_timer else auto_off_s)
        except (AuthFailed, UnknownDevice, DeviceFault, Misconfigured):
            if local_timer:
                self.timers.cancel(device.id)  # definitely not switched on
            raise
        if not on and state.is_confirmed(False):
            self.timers.cancel(device.id)
        if local_timer:
            state = replace(
                state, off_at=utc(self.wall() + (self.timers.remaining(device.id) or 0))
            )
        return state

    def _auto_off(self, device_id: str) -> bool:
        log.info("auto-off: switching %s off (max_on_minutes reached)", device_id)
        try:
            return self.switch(device_id, False, cause=Cause.RULE).is_confirmed(False)
        except DeviceError as exc:
            log.warning("auto-off of %s: %s", device_id, exc)
            return False

    def _status(
        self, device: Device, state: PowerState | None, error: DeviceError | None
    ) -> Status:
        previous = self._known.get(device.id)
        if state is None:
            known = previous.state if previous else None
            state = known or PowerState(None, Source.ASSUMED, utc(self.started))
            state = replace(state, source=Source.ASSUMED)
        return Status(device.id, device.name, state, error.kind if error else None)

    def _remember(
        self, device: Device, state: PowerState | None, error: DeviceError | None
    ) -> None:
        with self._changed:
            previous = self._known.get(device.id)
            self._known[device.id] = self._status(device, state, error)
            self._version += 1
            self._changed.notify_all()
        if state is not None and state.confirmed and self._listeners:
            self._notify(device, state, previous.state if previous else None)

    def _notify(self, device: Device, state: PowerState, before: PowerState | None) -> None:
        cause = _CAUSE.get()
        if cause is None:  # a read: only a change from a confirmed state we knew counts
            if before is None or not before.confirmed or before.on is state.on:
                return
            due = before.on and before.off_at is not None and before.off_at <= utc(self.wall())
            cause = Cause.RULE if due and not state.on else Cause.DEVICE
        elif before is not None and before.confirmed and before.on is state.on:
            return
        change = Change(device.id, state, cause)
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:  # noqa: BLE001 - a listener must not break a device call
                log.exception("device change listener failed for %s", device.id)


def _secret_names(registry: Registry) -> set[str]:
    """The environment variables the registry names (token_env, password_env): only those."""
    names: set[str] = set()
    for device in registry:
        for options in (device.options, device.options.get("bridge") or {}):
            names |= {v for k, v in options.items() if k.endswith("_env") and isinstance(v, str)}
    return names


def _aws_client(service: str, **kwargs: Any) -> Any:
    """skill.storage.dynamodb.client, imported on first use: boto3 costs a local start-up ~0.2 s."""
    from skill.storage import dynamodb

    return dynamodb.client(service, **kwargs)
