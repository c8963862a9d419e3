"""Regenerate the models' DEVICE and SESSION values from the shipped data.

Only those two types are rewritten; intents and samples are hand-written and left exactly
as they are, so `voice-demo model build` after a data change gives a diff of values only.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from skill.model import LOCALES, MODEL_DIR, Entity, dump, model_path
from skill.model.values import DEVICE, SESSION, read_devices, read_sessions
from skill.settings import SHIPPED_PROGRAMME, Settings


def data_values(settings: Settings, programme: Path = SHIPPED_PROGRAMME) -> dict[str, list[Entity]]:
    """The values the models should carry: the configured registry and the shipped programme."""
    return {
        DEVICE: read_devices(settings.devices_file),
        SESSION: read_sessions(programme, settings.timezone),
    }


def with_values(data: dict[str, Any], values: dict[str, list[Entity]]) -> dict[str, Any]:
    """A copy of a model whose named custom types carry exactly `values`."""
    data = copy.deepcopy(data)
    language = data["interactionModel"]["languageModel"]
    types = language.setdefault("types", [])
    for name, entities in values.items():
        existing = next((t for t in types if t.get("name") == name), None)
        if existing is None:
            existing = {"name": name}
            types.append(existing)
        existing["values"] = [e.to_json() for e in entities]
    return data


def build(
    values: dict[str, list[Entity]], directory: Path = MODEL_DIR, locales=LOCALES
) -> list[Path]:
    """Rewrite each locale's model with `values`; returns the files that changed."""
    changed = []
    for locale in locales:
        path = model_path(locale, directory)
        text = path.read_text(encoding="utf-8")
        new = dump(with_values(json.loads(text), values))
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed
