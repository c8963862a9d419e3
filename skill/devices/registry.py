"""The device registry: what exists, what people call it, and what voice may do to it.

Loaded once from YAML (format in docs/formats.md). Everything that could make a voice
command hit the wrong device — a duplicate id, two devices answering to "lamp", a typo'd
key silently ignored — is refused at load, naming the file, line and entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from skill.devices import drivers
from skill.devices.errors import RegistryError, UnknownDevice
from skill.devices.model import Policy
from skill.devices.options import Option, matches, type_name

COMMON_KEYS = ("id", "name", "aliases", "driver", "voice_on", "voice_off", "max_on_minutes")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_LEADING = {"the", "a", "an", "my", "our", "your", "this", "that"}
_TRAILING = {"plug", "socket", "power"}  # "the lamp plug" is the lamp


@dataclass(frozen=True)
class Device:
    id: str
    name: str
    driver: str
    aliases: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    voice_on: Policy = Policy.ALLOW
    voice_off: Policy = Policy.ALLOW
    max_on_minutes: int = 0

    def policy(self, on: bool) -> Policy:
        return self.voice_on if on else self.voice_off

    @property
    def voice_controllable(self) -> bool:
        return self.voice_on is not Policy.DENY or self.voice_off is not Policy.DENY

    @property
    def spoken_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def normalize(words: str) -> str:
    """How a name is compared: "The Bedside-Lamp!" and "bedside lamp" are the same."""
    text = re.sub(r"['’]", "", words.lower().replace("&", " and "))
    tokens = re.sub(r"[\W_]+", " ", text).split()
    while tokens and tokens[0] in _LEADING:
        tokens.pop(0)
    return " ".join(tokens)


def _variants(words: str) -> Iterator[str]:
    """What someone may have meant, most literal first: "lamps" → "lamp", "lamp plug" → "lamp"."""
    base = normalize(words)
    yield base
    tokens = base.split()
    if len(tokens) > 1 and tokens[-1] in _TRAILING:
        tokens = tokens[:-1]
        yield " ".join(tokens)
    if (
        tokens
        and len(tokens[-1]) > 3
        and tokens[-1].endswith("s")
        and not tokens[-1].endswith("ss")
    ):
        yield " ".join([*tokens[:-1], tokens[-1][:-1]])


class Registry:
    def __init__(self, devices: list[Device], path: Path | None = None) -> None:
        self.path = path
        self._devices = {d.id: d for d in devices}
        self._by_name: dict[str, Device] = {}
        for device in devices:
            for spoken in device.spoken_names:
                self._by_name[normalize(spoken)] = device

    def __len__(self) -> int:
        return len(self._devices)

    def __iter__(self) -> Iterator[Device]:
        return iter(self._devices.values())

    def __contains__(self, device_id: object) -> bool:
        return device_id in self._devices

    def get(self, device_id: str) -> Device:
        try:
            return self._devices[device_id]
        except KeyError:
            raise UnknownDevice(f"no device with id {device_id!r}") from None

    def find(self, spoken: str | None) -> Device | None:
        """The device someone named, forgivingly ("the Lamp", "bedside lamp"); None if unsure.

        No fuzzy matching: a mis-heard word must never switch on the heater.
        """
        if not spoken:
            return None
        for variant in _variants(spoken):
            if variant in self._by_name:
                return self._by_name[variant]
        return None

    def voice_controllable(self) -> list[Device]:
        """Devices voice may switch at least one way, in file order (for help and examples)."""
        return [d for d in self if d.voice_controllable]


# --- loading --------------------------------------------------------------------------------


def load_registry(path: Path | str) -> Registry:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RegistryError(f"{path}: can't read the device registry ({exc.strerror})") from exc
    return parse_registry(text, path)


def parse_registry(text: str, path: Path | str = "<devices>") -> Registry:
    try:
        data = yaml.safe_load(text)
        lines = _entry_lines(text)
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML: {exc}") from exc
    if data is None:
        data = {"devices": []}
    if not isinstance(data, dict):
        raise RegistryError(f"{path}: expected a mapping with a 'devices' list")
    extra = sorted(set(data) - {"devices"})
    if extra:
        raise RegistryError(f"{path}: unknown top-level key {extra[0]!r} (only 'devices')")
    entries = data.get("devices") or []
    if not isinstance(entries, list):
        raise RegistryError(f"{path}: 'devices' must be a list")
    devices: list[Device] = []
    seen_ids: dict[str, str] = {}
    seen_names: dict[str, tuple[str, str]] = {}
    for index, entry in enumerate(entries):
        line = lines[index] if index < len(lines) else None
        where = f"{path}" + (f", line {line}" if line else "") + f", device {index + 1}"
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            where += f" ({entry['id']})"
        device = _parse_device(entry, where)
        if device.id in seen_ids:
            raise RegistryError(
                f"{where}: id {device.id!r} is already used by {seen_ids[device.id]}"
            )
        seen_ids[device.id] = where
        for spoken in dict.fromkeys(normalize(s) for s in device.spoken_names):
            if not spoken:
                raise RegistryError(f"{where}: a name or alias has no words left to match")
            if spoken in seen_names:
                other_where, other_id = seen_names[spoken]
                raise RegistryError(
                    f"{where}: the name or alias {spoken!r} is already used by device"
                    f" {other_id!r} ({other_where}); voice couldn't tell them apart"
                )
            seen_names[spoken] = (where, device.id)
        devices.append(device)
    return Registry(devices, Path(path))


def _entry_lines(text: str) -> list[int]:
    """1-based line of each entry under `devices:`, so errors point at the right place."""
    root = yaml.compose(text)
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if getattr(key, "value", None) == "devices" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _parse_device(entry: Any, where: str) -> Device:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: each device must be a mapping of keys")
    for key in ("id", "name", "driver"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise RegistryError(f"{where}: '{key}' is required and must be text")
    device_id = entry["id"].strip()
    if not _ID.fullmatch(device_id):
        raise RegistryError(
            f"{where}: id {device_id!r} may use only letters, digits, '_', '-' and '.'"
        )
    driver = entry["driver"].strip()
    if driver not in drivers.DRIVERS:
        raise RegistryError(
            f"{where}: unknown driver {driver!r} (one of {', '.join(drivers.DRIVERS)})"
        )
    aliases = entry.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise RegistryError(f"{where}: 'aliases' must be a list of names")
    policies = {}
    for key in ("voice_on", "voice_off"):
        value = entry.get(key, "allow")
        try:
            policies[key] = Policy(str(value).lower())
        except ValueError:
            raise RegistryError(
                f"{where}: {key} must be allow, confirm or deny (not {value!r})"
            ) from None
    minutes = entry.get("max_on_minutes", 0)
    if not matches(minutes, int) or minutes < 0:
        raise RegistryError(f"{where}: max_on_minutes must be a whole number, 0 or more")
    module = drivers.module(driver)
    limit = getattr(module, "MAX_AUTO_OFF_S", None)
    if limit and minutes * 60 > limit:
        raise RegistryError(
            f"{where}: {driver} can switch itself off after at most {limit // 60} minutes"
        )
    specific = {k: v for k, v in entry.items() if k not in COMMON_KEYS}
    options = _parse_options(driver, module.OPTIONS, specific, where)
    return Device(
        id=device_id,
        name=entry["name"].strip(),
        driver=driver,
        aliases=tuple(a.strip() for a in aliases),
        options=MappingProxyType(options),
        voice_on=policies["voice_on"],
        voice_off=policies["voice_off"],
        max_on_minutes=minutes,
    )


def _parse_options(
    driver: str, schema: dict[str, Option], given: dict[str, Any], where: str
) -> dict[str, Any]:
    unknown = sorted(set(given) - set(schema))
    if unknown:
        accepted = ", ".join(sorted(schema)) or "no extra keys"
        raise RegistryError(
            f"{where}: unknown key {unknown[0]!r} for driver {driver} (it takes: {accepted})"
        )
    options: dict[str, Any] = {}
    for key, option in schema.items():
        if key not in given or given[key] is None:
            if option.required:
                raise RegistryError(f"{where}: driver {driver} needs '{key}' ({option.help})")
            options[key] = option.default
            continue
        value = given[key]
        if not matches(value, option.type):
            raise RegistryError(f"{where}: '{key}' must be {type_name(option.type)}")
        if option.driver_config:
            value = _parse_nested(value, f"{where}, {key}")
        options[key] = value
    return options


def _parse_nested(value: dict[str, Any], where: str) -> dict[str, Any]:
    inner = value.get("driver")
    if inner not in drivers.DRIVERS or inner == "iot_shadow":
        local = [d for d in drivers.DRIVERS if d != "iot_shadow"]
        raise RegistryError(f"{where}: 'driver' must be one of {', '.join(local)}")
    rest = {k: v for k, v in value.items() if k != "driver"}
    return {"driver": inner, **_parse_options(inner, drivers.module(inner).OPTIONS, rest, where)}
