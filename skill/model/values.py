"""DEVICE and SESSION slot values from the real data, for the model and for dynamic entities.

The same functions feed `voice-demo model build` (the shipped registry and programme)
and the launch reply's Dialog.UpdateDynamicEntities (the live ones), so a value looks
the same whichever way Alexa learnt it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from skill.devices.errors import RegistryError
from skill.devices.registry import Device, load_registry
from skill.model import Entity
from skill.numbers import number_words
from skill.programme.formats import csv_format
from skill.programme.matching import phrase_key
from skill.programme.model import Session

DEVICE = "DEVICE"
SESSION = "SESSION"


class DataError(ValueError):
    """The shipped data can't be read, so the model can't be built from it."""


def spoken(text: str) -> str | None:
    """How speech recognition would spell a name with digits: "3D printing" -> "three d
    printing". None when there are no digits to spell."""
    if not re.search(r"\d", text):
        return None
    spaced = re.sub(r"(?<=\d)(?=[^\d\s])|(?<=[^\d\s])(?=\d)", " ", text)

    def words(m: re.Match) -> str:
        n = m[0]
        return number_words(int(n)) if len(n) <= 2 else " ".join(number_words(int(d)) for d in n)

    return re.sub(r"\d+", words, spaced).lower()


def _entity(entity_id: str, name: str, others: Iterable[str]) -> Entity:
    seen = {name.strip().lower()}
    synonyms = []
    for phrase in [*others, *(spoken(p) for p in (name, *others))]:
        if phrase and phrase.strip().lower() not in seen:
            seen.add(phrase.strip().lower())
            synonyms.append(phrase.strip())
    return Entity(entity_id, name.strip(), tuple(synonyms))


def device_entities(devices: Iterable[Device]) -> list[Entity]:
    """One value per device (voice-denied ones too, so the skill can say why it won't)."""
    return [_entity(d.id, d.name, d.aliases) for d in devices]


def session_entities(sessions: Iterable[Session]) -> list[Entity]:
    """One value per title, in the order given: a workshop run twice is one thing to ask
    about. The id is the first run's (the programme finds the others from any of them);
    aliases of all runs are synonyms."""
    groups: dict[str, list[Session]] = {}
    for s in sessions:
        groups.setdefault(phrase_key(s.title) or s.id, []).append(s)
    return [
        _entity(runs[0].id, runs[0].title, [a for s in runs for a in s.aliases])
        for runs in groups.values()
    ]


def read_devices(path: Path) -> list[Entity]:
    try:
        return device_entities(load_registry(path))
    except RegistryError as exc:
        raise DataError(str(exc)) from None


def read_sessions(path: Path, zone: str = "Europe/London") -> list[Entity]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{path}: can't read the programme ({exc.strerror})") from None
    result = csv_format.parse(text, zone)
    if not result.ok:
        raise DataError(f"{path}: " + "; ".join(str(e) for e in result.errors[:5]))
    return session_entities(result.sessions)
