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

    def __init__(self, message: str, device: Device | None = None) -> None:
        super().__init__(message)
        self.device = device

    @property
    def device_name(self) -> str:
        return self.device.name if self.device else "that device"


class UnknownDevice(DeviceError):
    """No such device in the registry, or its controller doesn't know the entity."""

    kind = "unknown"


class Unreachable(DeviceError):
    """No answer in time: connection refused, silent socket, bridge offline, `unavailable`."""

    kind = "unreachable"


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
