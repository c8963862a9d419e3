"""A home's device registry as the admin pages and CLI edit it: YAML entries, always valid.

Every change is checked by the registry parser (skill/devices/registry.py) before it is
stored, so a bad edit or import changes nothing and names the file and entry.
"""

from __future__ import annotations

from typing import Any

import yaml

from skill.devices.errors import RegistryError
from skill.devices.registry import Registry, parse_registry

#: Which option of a driver holds the name of its credential (the value lives in PlugSecrets).
SECRET_OPTIONS = {"shelly": "password_env", "tasmota": "password_env", "homeassistant": "token_env"}
EMPTY = "devices: []\n"


def secret_name(device_id: str, driver: str) -> str | None:
    option = SECRET_OPTIONS.get(driver)
    return f"{device_id}/{option.removesuffix('_env')}" if option else None


def entries(text: str) -> list[dict[str, Any]]:
    data = yaml.safe_load(text) or {}
    found = data.get("devices") or [] if isinstance(data, dict) else []
    return [dict(entry) for entry in found if isinstance(entry, dict)]


def dump(items: list[dict[str, Any]]) -> str:
    return yaml.safe_dump({"devices": items}, sort_keys=False, allow_unicode=True)


def check(text: str, where: str) -> Registry:
    """The parsed registry, or RegistryError naming `where` and the entry."""
    return parse_registry(text, where)


def put_entry(text: str, entry: dict[str, Any], where: str, replace_id: str | None = None) -> str:
    """The registry with `entry` added (or replacing `replace_id`), validated."""
    items = entries(text)
    if replace_id is not None:
        index = next((i for i, e in enumerate(items) if e.get("id") == replace_id), None)
        if index is None:
            raise RegistryError(f"{where}: there is no device {replace_id!r} to change")
        items[index] = entry
    else:
        items.append(entry)
    new_text = dump(items)
    check(new_text, where)
    return new_text


def remove_entry(text: str, device_id: str) -> str:
    return dump([e for e in entries(text) if e.get("id") != device_id])
