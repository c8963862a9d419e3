"""One module per driver. Each exposes OPTIONS (its registry keys) and `create(device, ctx)`.

Modules are imported on first use, so a Lambda with only simulated devices never pays for
the HTTP or AWS ones.
"""

from __future__ import annotations

import importlib
from types import ModuleType

DRIVERS = ("simulated", "shelly", "tasmota", "homeassistant", "iot_shadow")


def module(name: str) -> ModuleType:
    if name not in DRIVERS:
        raise KeyError(name)
    return importlib.import_module(f"{__name__}.{name}")
