"""Dynamic entities: tell Alexa, at launch, the session titles and device names as they are now.

The interaction model's DEVICE and SESSION values are fixed when the model is built; an
admin's new session or a new plug would be heard as a near miss until the next rebuild.
A Dialog.UpdateDynamicEntities directive (REPLACE) on the launch reply teaches Alexa the
live names for the rest of the session, and resolutions then carry their ids.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.dialog import DynamicEntitiesDirective
from ask_sdk_model.er.dynamic import Entity, EntityListItem, EntityValueAndSynonyms, UpdateBehavior

from skill.devices.registry import Registry
from skill.model import Entity as Value
from skill.model.values import DEVICE, SESSION, device_entities, session_entities
from skill.programme.matching import phrase_key

log = logging.getLogger(__name__)
_serializer = DefaultSerializer()

# Alexa accepts at most 100 dynamic entities in one directive; devices come first, then
# sessions that haven't finished yet, then the rest.
MAX_ENTITIES = 100


def _sdk(value: Value) -> Entity:
    return Entity(
        id=value.id,
        name=EntityValueAndSynonyms(value=value.name, synonyms=list(value.synonyms) or None),
    )


class _Last:
    """The last snapshot's session values (with each title's last end) and the last
    registry's device values: building them (synonyms, spoken digits) is costly, and
    neither a snapshot nor a registry ever changes."""

    snapshot: object = None
    values: list[tuple[Value, datetime]] = []
    registry: object = None
    devices: list[Value] = []


def _session_values(snapshot) -> list[tuple[Value, datetime]]:
    if _Last.snapshot is not snapshot:
        last_end: dict[str, datetime] = {}  # per title, as session_entities groups them
        for session in snapshot.sessions:
            key = phrase_key(session.title) or session.id
            end = snapshot.ends(session)
            last_end[key] = max(last_end.get(key, end), end)
        values = session_entities(snapshot.sessions)
        _Last.values = list(zip(values, last_end.values(), strict=True))
        _Last.snapshot = snapshot
    return _Last.values


def _sessions(programme, now: datetime) -> list[Value]:
    """Titles with a run still to come first: those are what people will ask about."""
    values = _session_values(programme.current())
    return [v for v, end in values if end > now] + [v for v, end in values if end <= now]


def _device_values(registry) -> list[Value]:
    if _Last.registry is not registry:
        _Last.registry, _Last.devices = registry, device_entities(registry)
    return _Last.devices


class _SerializedDirective(dict):
    """A directive already in its JSON form. The SDK's response builder reads
    `object_type` off every directive; its serializer copies a dict as it is."""

    object_type = DynamicEntitiesDirective().object_type


@lru_cache(maxsize=16)
def _directive(types: tuple[tuple[str, tuple[Value, ...]], ...]) -> dict[str, Any]:
    """The directive as the JSON Alexa receives, built once per distinct content: most
    launches send exactly what the previous one did, and serializing ~100 SDK model
    objects costs more than the rest of the launch."""
    model = DynamicEntitiesDirective(
        update_behavior=UpdateBehavior.REPLACE,
        types=[EntityListItem(name=n, values=[_sdk(v) for v in vs]) for n, vs in types],
    )
    # A model object serializes to a JSON object (the SDK's return type covers any value).
    return _SerializedDirective(cast(dict[str, Any], _serializer.serialize(model)))


def dynamic_entities(services, now: datetime, registry: Registry) -> dict[str, Any] | None:
    """REPLACE with the speaker's home's devices (`registry`) and the programme; None when
    neither has anything."""
    types: list[tuple[str, list[Value]]] = []
    types.append((DEVICE, _device_values(registry)))
    try:
        types.append((SESSION, _sessions(services.programme, now)))
    except Exception:  # noqa: BLE001 - a store outage must not cost the welcome
        log.warning("programme unavailable for dynamic entities", exc_info=True)
    room = MAX_ENTITIES
    items = []
    for name, values in types:
        if values and room > 0:
            items.append((name, tuple(values[:room])))
            room -= len(values[:room])
    return _directive(tuple(items)) if items else None
