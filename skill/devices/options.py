"""Driver settings schema: each driver lists the keys it accepts, so a typo fails at load."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

REQUIRED: Any = object()


@dataclass(frozen=True)
class Option:
    type: type | tuple[type, ...]
    default: Any = REQUIRED
    help: str = ""
    driver_config: bool = False  # a nested {driver: …, …} mapping (the shadow bridge's plug)

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


def type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def matches(value: Any, kind: type | tuple[type, ...]) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        return False  # YAML `yes` must not pass as a port number
    if float in kinds and isinstance(value, int):
        return True
    return isinstance(value, kinds)
