"""Devices: a registry of plugs, their drivers, and the rules for switching them safely.

Pure domain code: nothing here imports the Alexa SDK or Flask. Intents use `DeviceService`;
the stand page uses `DeviceService.states()`; `voice-demo bridge` uses `bridge.Bridge`.
"""

from skill.devices.deadline import Deadline
from skill.devices.errors import (
    AuthFailed,
    AutoOffUnavailable,
    BridgeUnreachable,
    DeviceError,
    DeviceFault,
    Misconfigured,
    NotConfirmed,
    RegistryError,
    UnknownDevice,
    Unreachable,
)
from skill.devices.model import Cause, Change, Policy, PowerState, Source, Status
from skill.devices.registry import Device, Registry, load_registry, parse_registry
from skill.devices.service import DeviceService

__all__ = [
    "AuthFailed",
    "AutoOffUnavailable",
    "BridgeUnreachable",
    "Cause",
    "Change",
    "Deadline",
    "Device",
    "DeviceError",
    "DeviceFault",
    "DeviceService",
    "Misconfigured",
    "NotConfirmed",
    "Policy",
    "PowerState",
    "Registry",
    "RegistryError",
    "Source",
    "Status",
    "UnknownDevice",
    "Unreachable",
    "load_registry",
    "parse_registry",
]
