"""The device-shadow document both sides agree on: the skill writes commands, the bridge reports.

desired:  {power: "on"|"off", cmd_id, cmd_at (skill's clock, epoch s), off_after_s}
reported: {power, source, seen_at (bridge's clock), off_at, cmd_id (last handled),
           outcome ("applied" | "discarded" | an error kind)}

A shadow keeps `desired` until someone clears it, so a command written while the bridge was
offline would otherwise be applied whenever it comes back — hours later, for a heater. The
command's age is judged by both clocks we have (the skill's `cmd_at` against the bridge's
clock, and the shadow's own metadata timestamps, which are AWS's clock) and the older wins.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from skill.devices.errors import AuthFailed, DeviceError, DeviceFault, UnknownDevice, Unreachable

if TYPE_CHECKING:
    from skill.devices.registry import Device

COMMAND_KEYS = ("power", "cmd_id", "cmd_at", "off_after_s")
CLEAR_COMMAND = {key: None for key in COMMAND_KEYS}  # null deletes a field (AWS and moto)

_AUTH_CODES = {
    "UnauthorizedException",
    "ForbiddenException",
    "AccessDeniedException",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "ExpiredTokenException",
    "InvalidClientTokenId",
}
_BUSY_CODES = {"ThrottlingException", "ServiceUnavailableException", "InternalFailureException"}


class Conflict(Exception):
    """The shadow changed since we read it (a new command arrived): don't clear it."""


@dataclass(frozen=True)
class Command:
    on: bool
    cmd_id: str
    cmd_at: float | None  # skill's clock
    written_at: float | None  # AWS's clock (metadata), None if absent
    server_now: float | None  # AWS's clock when the document was read
    off_after_s: int | None

    def age(self, bridge_now: float) -> float | None:
        """Seconds since the command was written, the larger of the two clocks' views."""
        ages = []
        if self.cmd_at is not None:
            ages.append(bridge_now - self.cmd_at)
        if self.written_at is not None and self.server_now is not None:
            ages.append(self.server_now - self.written_at)
        return max(ages) if ages else None


@dataclass
class ShadowDoc:
    desired: dict[str, Any]
    reported: dict[str, Any]
    metadata: dict[str, Any]
    timestamp: float | None
    version: int | None

    @classmethod
    def parse(cls, payload: dict[str, Any]) -> ShadowDoc:
        state = payload.get("state") or {}
        return cls(
            desired=state.get("desired") or {},
            reported=state.get("reported") or {},
            metadata=payload.get("metadata") or {},
            timestamp=payload.get("timestamp"),
            version=payload.get("version"),
        )

    def command(self) -> Command | None:
        """The pending command, or None if there is none or it was already handled."""
        power = self.desired.get("power")
        cmd_id = self.desired.get("cmd_id")
        if power not in ("on", "off"):
            return None
        if cmd_id and cmd_id == self.reported.get("cmd_id"):
            return None
        written = ((self.metadata.get("desired") or {}).get("power") or {}).get("timestamp")
        cmd_at = self.desired.get("cmd_at")
        off_after = self.desired.get("off_after_s")
        return Command(
            on=power == "on",
            cmd_id=str(cmd_id or f"v{self.version}"),
            cmd_at=float(cmd_at) if isinstance(cmd_at, int | float) else None,
            written_at=float(written) if isinstance(written, int | float) else None,
            server_now=float(self.timestamp) if isinstance(self.timestamp, int | float) else None,
            off_after_s=int(off_after)
            if isinstance(off_after, int | float) and off_after
            else None,
        )


class Shadow:
    """One thing's shadow through a boto3 `iot-data` client, with errors made typed."""

    def __init__(
        self, client: Any, thing_name: str, shadow_name: str | None, device: Device
    ) -> None:
        self.client = client
        self.thing_name = thing_name
        self.shadow_name = shadow_name
        self.device = device

    def _names(self) -> dict[str, str]:
        names = {"thingName": self.thing_name}
        if self.shadow_name:
            names["shadowName"] = self.shadow_name
        return names

    def get(self) -> ShadowDoc | None:
        """The document, or None if the thing has no shadow yet."""
        try:
            response = self.client.get_thing_shadow(**self._names())
        except Exception as exc:  # noqa: BLE001 - mapped below, re-raised if not AWS's
            error = aws_error(exc, self.device)
            if isinstance(error, UnknownDevice):
                return None
            raise error from None
        return ShadowDoc.parse(json.loads(response["payload"].read()))

    def update(self, state: dict[str, Any], version: int | None = None) -> int | None:
        """Write part of the document; with `version`, only if nobody wrote since."""
        payload: dict[str, Any] = {"state": state}
        if version is not None:
            payload["version"] = version
        try:
            response = self.client.update_thing_shadow(
                payload=json.dumps(payload).encode(), **self._names()
            )
        except Exception as exc:  # noqa: BLE001 - mapped below
            if _code(exc) == "ConflictException":
                raise Conflict(self.thing_name) from None
            raise aws_error(exc, self.device) from None
        try:
            current: int | None = json.loads(response["payload"].read()).get("version")
            return current
        except (KeyError, ValueError, AttributeError):
            return None


def _code(exc: Exception) -> str | None:
    response = getattr(exc, "response", None)
    return (response or {}).get("Error", {}).get("Code") if isinstance(response, dict) else None


def aws_error(exc: Exception, device: Device | None) -> DeviceError:
    """A boto3/botocore failure as the device error a person would understand."""
    from skill.storage import aws_errors as bx

    code = _code(exc)
    if isinstance(exc, bx.CREDENTIAL_ERRORS) or code in _AUTH_CODES:
        return AuthFailed(f"AWS IoT refused our credentials ({code or exc})", device)
    if code == "ResourceNotFoundException":
        return UnknownDevice(f"AWS IoT has no such thing or shadow ({exc})", device)
    if code in _BUSY_CODES:
        return Unreachable(f"AWS IoT is unavailable ({code})", device)
    if isinstance(exc, bx.ClientError):
        return DeviceFault(f"AWS IoT error {code}", device)
    if isinstance(exc, bx.BotoCoreError):
        return Unreachable(f"AWS IoT unreachable ({exc.__class__.__name__})", device)
    raise exc
