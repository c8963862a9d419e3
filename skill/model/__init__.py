"""The Alexa interaction models as data: read, regenerate from the shipped data, check.

The models live in `interaction_model/` at the top of the repository, in the ASK CLI
format (`{locale}.json` plus `skill.json`, see docs/interaction-model.md). Samples are
written by hand in the JSON; only the DEVICE and SESSION slot types are generated
(`voice-demo model build`), so the files stay the thing a person reviews. Nothing
here imports Flask or the Alexa SDK.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MODEL_DIR = Path(__file__).resolve().parents[2] / "interaction_model"
LOCALES = ("en-GB", "en-US")
MANIFEST = "skill.json"


@dataclass(frozen=True)
class Entity:
    """One slot value: the id handlers receive, the canonical name, and other ways to say it."""

    id: str
    name: str
    synonyms: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        value: dict[str, Any] = {"value": self.name}
        if self.synonyms:
            value["synonyms"] = list(self.synonyms)
        return {"id": self.id, "name": value}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entity:
        name = data.get("name") or {}
        return cls(
            id=str(data.get("id") or name.get("value") or ""),
            name=str(name.get("value") or ""),
            synonyms=tuple(name.get("synonyms") or ()),
        )


@dataclass(frozen=True)
class Intent:
    name: str
    slots: dict[str, str] = field(default_factory=dict)  # slot name -> slot type
    samples: tuple[str, ...] = ()


_SLOT_REF = re.compile(r"\{(\w+)\}")


def slot_refs(sample: str) -> list[str]:
    """Slot names a sample utterance mentions, in order."""
    return _SLOT_REF.findall(sample)


# Words that don't make a sample more than its slots: "the {device}" is slot-only.
FILLER = frozenset({"the", "a", "an", "my", "please", "session", "one"})


def slot_only(sample: str) -> bool:
    """A sample that is its slots and nothing else ("{date}", "the {device} please").

    Amazon's guidance is to keep these in an intent of their own: they catch speech
    meant for something else, so mixed into a full intent they skew it.
    """
    if not slot_refs(sample):
        return False
    rest = _SLOT_REF.sub(" ", sample).lower().split()
    return all(word in FILLER for word in rest)


def fill(sample: str, slots: dict[str, str], value_for: Callable[[str], str]) -> str:
    """The sample as someone would say it: each {slot} replaced by a value of its type."""
    return _SLOT_REF.sub(lambda m: value_for(slots.get(m[1], "")), sample)


class InteractionModel:
    """Read-only view of one locale's `interactionModel.languageModel`."""

    def __init__(self, data: dict[str, Any], locale: str, path: Path | None = None) -> None:
        self.data = data
        self.locale = locale
        self.path = path
        language = (data.get("interactionModel") or {}).get("languageModel") or {}
        self.invocation_name: str = language.get("invocationName") or ""
        self.intents: dict[str, Intent] = {}
        for raw in language.get("intents") or []:
            slots = {s["name"]: s.get("type", "") for s in raw.get("slots") or []}
            self.intents[raw["name"]] = Intent(raw["name"], slots, tuple(raw.get("samples") or ()))
        self.types: dict[str, tuple[Entity, ...]] = {
            t["name"]: tuple(Entity.from_json(v) for v in t.get("values") or [])
            for t in language.get("types") or []
        }

    def samples(self) -> list[tuple[str, str]]:
        """(intent, sample) pairs in model order."""
        return [(i.name, s) for i in self.intents.values() for s in i.samples]


def model_path(locale: str, directory: Path = MODEL_DIR) -> Path:
    return directory / f"{locale}.json"


def load(locale: str, directory: Path = MODEL_DIR) -> InteractionModel:
    path = model_path(locale, directory)
    return InteractionModel(json.loads(path.read_text(encoding="utf-8")), locale, path)


def load_manifest(directory: Path = MODEL_DIR) -> dict[str, Any]:
    return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))


def dump(data: dict[str, Any]) -> str:
    """The one JSON layout the files are written in, so regenerating gives clean diffs."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
