"""Small builders shared by the device tests."""

from __future__ import annotations

import yaml

from skill.devices import Deadline, Device, parse_registry
from skill.devices.drivers import module
from skill.devices.plug import DriverContext

BUDGET_S = 5.0  # settings.device_budget_s
# The bound a test of "it gave up in time" asserts: Alexa's whole 8 s, not the 5 s budget plus
# a sliver (shared CI machines run seconds late). The bugs they catch waited 12 s or for ever.
ALEXA_S = 8.0


def registry(*entries: dict):
    return parse_registry(yaml.safe_dump({"devices": list(entries)}), "test.yaml")


def device(driver: str, *, id: str = "lamp", name: str = "lamp", **options) -> Device:
    """One registry entry, validated exactly as the YAML loader does."""
    return next(iter(registry({"id": id, "name": name, "driver": driver, **options})))


def plug(driver: str, context: DriverContext, **options):
    return module(driver).create(device(driver, **options), context)


def budget() -> Deadline:
    return Deadline(BUDGET_S)
