"""Typed device failures, so each one becomes the one sentence a person needs to hear.

Every error carries the registry device it is about (when known), so a reply can name
"the lamp" without the caller threading names through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from skill.devices.registry import Device


class DeviceError(Exception):
    """Something went wrong talking to a device."""

    kind = "error"

    def __init__(
        self, message: str, device: Device | None = None, *, reason: str | None = None
    ) -> None:
        super().__init__(message)
        self.device = device
        # A clause a person can act on ("it has no switch number 2"), chosen by our code,
        # never copied from a device's answer: it goes into speech as it is.
        self.reason = reason


class UnknownDevice(DeviceError):
    """No such device in the registry, or its controller doesn't know the entity."""

    kind = "unknown"


class Unreachable(DeviceError):
    """No answer in time: connection refused, silent socket, bridge offline, `unavailable`."""

    kind = "unreachable"


class NotConfirmed(DeviceError):
    """A switch command went out but its answer didn't come back (read timeout, cut off).

    The device may well have switched: this is never "unreachable", and the command is never
    sent again. Drivers read the state back instead; only the transport raises it.
    """

    kind = "not_confirmed"


class Misconfigured(DeviceError):
    """The device answered, and the answer shows a setup mistake someone can fix.

    A channel that doesn't exist, a service Home Assistant doesn't have, an address that
    redirects (an https proxy, Tasmota's captive portal), Tasmota's WebLog below 2.
    """

    kind = "setup"


class BridgeUnreachable(Unreachable):
    """The bridge in between (`voice-demo bridge`) has gone quiet, not just the plug."""


class AuthFailed(DeviceError):
    """The device or its controller refused our credentials (or none were configured)."""

    kind = "auth_failed"


class DeviceFault(DeviceError):
    """The device answered, but with an error instead of doing what was asked."""

    kind = "fault"


class AutoOffUnavailable(DeviceError):
    """A device with `max_on_minutes` would stay on: nothing here can switch it off later."""

    kind = "no_auto_off"


class RegistryError(ValueError):
    """The device registry file is wrong; the message names the file and the entry."""
