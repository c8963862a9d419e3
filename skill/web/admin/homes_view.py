"""Homes and their plugs as the OT pages and the JSON API show them: never a credential."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort

from skill.devices import drivers
from skill.devices.errors import AuthFailed, AutoOffUnavailable, DeviceError, Unreachable
from skill.devices.model import PowerState
from skill.devices.options import Option
from skill.devices.registry import Device
from skill.homes import Account, Home, Role
from skill.homes.registry import SECRET_OPTIONS
from skill.web.admin.context import admin, current_account

KINDS = {
    "simulated": "Simulated plug (no hardware, for practice)",
    "shelly": "Shelly plug (Gen2 or later)",
    "tasmota": "Tasmota plug",
    "homeassistant": "Home Assistant switch or light",
    "iot_shadow": "AWS IoT shadow (through the bridge)",
}
POLICIES = {"allow": "Allow", "confirm": "Ask first", "deny": "Never by voice"}
SECRET_LABELS = {"password_env": "Password", "token_env": "Access token"}


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str  # text | number | checkbox
    help: str
    required: bool
    default: Any


def visible_homes(account: Account) -> list[Home]:
    homes = admin().directory.homes()
    return [h for h in homes if account.may_see(h.id)]


def home_or_404(home_id: str) -> tuple[Home, Account]:
    """The home, if this account may see it; otherwise the same 404 as for no home at all."""
    account = current_account()
    home = admin().directory.store.get_home(home_id) if account else None
    if account is None or home is None or not account.may_see(home.id):
        abort(404, "There is no such home, or it is not one of yours.")
    return home, account


def require_admin(account: Account) -> None:
    if account.role is not Role.ADMIN:
        abort(403, "Only an administrator can do that.")


def option_fields(kind: str) -> list[FormField]:
    """The settings a kind of plug takes, as form fields (credentials are separate)."""
    schema: dict[str, Option] = drivers.module(kind).OPTIONS
    found = []
    for name, option in schema.items():
        if option.driver_config or name.endswith("_env"):
            continue
        kinds = option.type if isinstance(option.type, tuple) else (option.type,)
        field_kind = "checkbox" if bool in kinds else "number" if int in kinds else "text"
        label = name.replace("_", " ").capitalize()
        default = None if option.required else option.default
        found.append(FormField(name, label, field_kind, option.help, option.required, default))
    return found


def secret_option(kind: str) -> str | None:
    return SECRET_OPTIONS.get(kind)


def device_view(home: Home, device: Device, state: PowerState | None, problem: str | None):
    secret = secret_option(device.driver)
    settings = {
        k: v
        for k, v in device.options.items()
        if not k.endswith("_env") and not isinstance(v, dict) and v is not None
    }
    names = admin().directory.secrets.names(home.id)
    return {
        "id": device.id,
        "name": device.name,
        "kind": device.driver,
        "kind_label": KINDS.get(device.driver, device.driver),
        "other_names": list(device.aliases),
        "voice_on": device.voice_on.value,
        "voice_off": device.voice_off.value,
        "max_on_minutes": device.max_on_minutes,
        "settings": settings,
        "credential": None
        if secret is None
        else ("set" if device.options.get(secret) in names else "not set"),
        "state": None if state is None else state.on,
        "confirmed": bool(state and state.confirmed),
        "problem": problem,
    }


def devices_view(home: Home) -> list[dict[str, Any]]:
    service = admin().directory.devices_for_home(home.id)
    states = service.states()
    return [
        device_view(home, d, states[d.id].state, states[d.id].problem) for d in service.registry
    ]


def home_view(home: Home) -> dict[str, Any]:
    directory = admin().directory
    return {
        "id": home.id,
        "label": home.label,
        "time_zone": home.time_zone,
        "devices": len(directory.devices_for_home(home.id).registry),
        "speakers": len(directory.speakers(home.id)),
    }


def tested(device: Device, on: bool, result: PowerState | DeviceError, zone: ZoneInfo) -> str:
    """What "test this plug" found, in one sentence: only what the plug confirmed."""
    word = "on" if on else "off"
    if isinstance(result, PowerState):
        if result.is_confirmed(on):
            at = result.at.astimezone(zone)
            source = result.source.value
            return f"The {device.name} confirmed it is {word} ({at:%H:%M:%S}, from the {source})."
        return f"The {device.name} was asked to switch {word} but has not confirmed it."
    if isinstance(result, AuthFailed):
        return f"The {device.name} refused the password or token. Enter it again and test."
    if isinstance(result, Unreachable):
        return (
            f"The {device.name} could not be reached. Check it is plugged in, on the same "
            "network, and that its address is right."
        )
    if isinstance(result, AutoOffUnavailable):
        return (
            f"The {device.name} has an auto-off time but nothing here can switch it off "
            "later. Use a plug with its own timer, or set auto-off to 0."
        )
    return f"The {device.name} answered with an error ({result.kind}). Check its settings."


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or "device"
