"""What each smart-home directive does, keyed by (namespace, name) in `HANDLERS`.

Like the custom skill's INTENTS tables: to find the code behind a directive, look it up at
the bottom of this module. Handlers get the parsed directive and the caller's home (already
authenticated and scoped by the router) and return the message to answer with.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING, Any

from skill.devices import (
    AuthFailed,
    AutoOffUnavailable,
    BridgeUnreachable,
    Deadline,
    Device,
    DeviceError,
    DeviceFault,
    Policy,
    PowerState,
    UnknownDevice,
    Unreachable,
)
from skill.devices.model import Cause
from skill.smarthome import messages as m
from skill.smarthome.lwa import GrantFailed

if TYPE_CHECKING:
    from skill.smarthome.router import Caller, Directive, SmartHome

log = logging.getLogger(__name__)

Message = m.Message
Handler = Callable[["SmartHome", "Directive", "Caller"], Message]


class Refusal(Exception):
    """Answer with this ErrorResponse instead (type from Alexa's list, message for logs)."""

    def __init__(self, kind: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.extra = extra


# --- which endpoint ----------------------------------------------------------------------


def _device(directive: Directive, caller: Caller) -> Device:
    """The caller's own device the directive names; NO_SUCH_ENDPOINT for anything else."""
    registry = caller.devices.registry
    wanted = m.device_id(directive.endpoint_id or "")
    if wanted not in registry or not m.discoverable(registry.get(wanted)):
        raise Refusal("NO_SUCH_ENDPOINT", f"no endpoint {directive.endpoint_id!r} in this home")
    return registry.get(wanted)


def _name(error: DeviceError) -> str:
    return error.device.name if error.device else "that device"


def refusal_for(error: DeviceError) -> Refusal:
    """One Alexa error type per device failure; never a Response for a failure."""
    if isinstance(error, BridgeUnreachable):
        return Refusal("BRIDGE_UNREACHABLE", f"{_name(error)}: {error}")
    if isinstance(error, Unreachable):
        return Refusal("ENDPOINT_UNREACHABLE", f"{_name(error)}: {error}")
    if isinstance(error, UnknownDevice):
        return Refusal("NO_SUCH_ENDPOINT", f"{_name(error)}: {error}")
    if isinstance(error, AutoOffUnavailable):
        return Refusal("NOT_SUPPORTED_IN_CURRENT_MODE", str(error), currentDeviceMode="OTHER")
    if isinstance(error, DeviceFault):
        return Refusal("HARDWARE_MALFUNCTION", f"{_name(error)}: {error}")
    if isinstance(error, AuthFailed):
        return Refusal("INTERNAL_ERROR", f"{_name(error)}: our credentials were refused")
    return Refusal("INTERNAL_ERROR", f"{_name(error)}: {error}")


# --- power -------------------------------------------------------------------------------


def turn_on(home: SmartHome, directive: Directive, caller: Caller) -> Message:
    return _power(home, directive, caller, True)


def turn_off(home: SmartHome, directive: Directive, caller: Caller) -> Message:
    return _power(home, directive, caller, False)


def _power(home: SmartHome, directive: Directive, caller: Caller, on: bool) -> Message:
    device = _device(directive, caller)
    if device.policy(on) is Policy.DENY:
        # The app and routines reach us too: "never" holds for every way in.
        raise Refusal(
            "NOT_SUPPORTED_IN_CURRENT_MODE",
            f"the {device.name} may never be switched {'on' if on else 'off'} through Alexa",
            currentDeviceMode="OTHER",
        )
    # "confirm": Alexa asked "are you sure?" already (verificationsRequired in discovery).
    devices = caller.devices
    deadline = devices.deadline()
    if not home.can_defer or devices.plug(device.id).local:
        # Nothing to defer to (Lambda), or a plug on this machine that answers at once: no
        # worker thread, the device service bounds the call by the deadline itself.
        return _confirmed_answer(directive, caller, device, on, deadline)
    future: Future[Message] = home.work.submit(
        _confirmed_answer, directive, caller, device, on, deadline
    )
    try:
        return future.result(timeout=home.defer_after_s)
    except FutureTimeout:
        pass
    if not home.can_send(caller.home_id):
        # No event token to send a late answer with (no AcceptGrant yet): keep Alexa waiting
        # instead, within the device budget and so within its 8 s.
        try:
            return future.result(timeout=deadline.remaining() + 1.0)
        except FutureTimeout:
            raise Refusal("ENDPOINT_UNREACHABLE", f"the {device.name} didn't answer") from None
    home.answer_later(caller.home_id, directive, future)
    return m.deferred(directive.correlation_token, max(1, math.ceil(deadline.remaining())))


def _confirmed_answer(
    directive: Directive, caller: Caller, device: Device, on: bool, deadline: Deadline
) -> Message:
    """Response with the state the plug confirmed after the command, or an ErrorResponse."""
    devices = caller.devices
    endpoint = directive.endpoint_id or m.endpoint_id(device.id)
    late = False
    try:
        state = devices.switch(device.id, on, deadline, cause=Cause.SMART_HOME)
        if not state.confirmed and deadline.remaining() > 0:
            late = True  # e.g. the bridge applies it a moment after its wait
            state = devices.read(device.id, deadline)
    except DeviceError as exc:
        return _error(refusal_for(exc), directive)
    if not state.confirmed or (late and state.on is not on):
        # A late read showing the old state means "not done yet", not "refused".
        return _error(
            Refusal("ENDPOINT_UNREACHABLE", f"the {device.name} didn't confirm in time"), directive
        )
    if state.on is not on:
        return _error(
            Refusal(
                "HARDWARE_MALFUNCTION",
                f"the {device.name} reports {'on' if state.on else 'off'} after the command",
            ),
            directive,
        )
    return m.response(endpoint, state, directive.correlation_token)


def _error(refusal: Refusal, directive: Directive) -> Message:
    return m.error(
        refusal.kind,
        refusal.message,
        directive.correlation_token,
        directive.endpoint_id,
        refusal.extra,
    )


# --- state -------------------------------------------------------------------------------


def report_state(home: SmartHome, directive: Directive, caller: Caller) -> Message:
    device = _device(directive, caller)
    try:
        state: PowerState = caller.devices.read(device.id)
    except DeviceError as exc:
        raise refusal_for(exc) from exc
    if not state.confirmed:
        raise Refusal("ENDPOINT_UNREACHABLE", f"the {device.name} hasn't confirmed its state")
    return m.state_report(directive.endpoint_id or "", state, directive.correlation_token)


# --- discovery and grants ----------------------------------------------------------------


def discover(home: SmartHome, directive: Directive, caller: Caller) -> Message:
    return m.discover_response(caller.devices.registry)


def accept_grant(home: SmartHome, directive: Directive, caller: Caller) -> Message:
    grant = directive.payload.get("grant")
    code = grant.get("code") if isinstance(grant, dict) else None
    if not isinstance(code, str) or not code:
        return m.accept_grant_failed("AcceptGrant without an authorization code")
    if home.lwa is None:
        return m.accept_grant_failed("Login with Amazon client id and secret are not set")
    try:
        home.lwa.accept_grant(caller.home_id, code)
    except GrantFailed as exc:
        log.warning("AcceptGrant for home %s failed: %s", caller.home_id, exc)
        return m.accept_grant_failed(f"Login with Amazon refused the code: {exc}")
    return m.accept_grant_response()


HANDLERS: dict[tuple[str, str], Handler] = {
    ("Alexa.Discovery", "Discover"): discover,
    ("Alexa.PowerController", "TurnOn"): turn_on,
    ("Alexa.PowerController", "TurnOff"): turn_off,
    ("Alexa", "ReportState"): report_state,
    ("Alexa.Authorization", "AcceptGrant"): accept_grant,
}
