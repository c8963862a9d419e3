"""The bridge's reports, as ChangeReports: an AWS IoT rule forwards each shadow update.

A plug behind `voice-demo bridge` changes where the Lambda can't see it (a press of its
button, its own timer). The bridge writes what it sees into the thing's shadow; an IoT topic
rule on `$aws/things/<thing>/shadow/update/documents` invokes the function with the
document before and after (template.yaml: ShadowReportsRule), and this module decides whether
that is a change Alexa should hear about, and why.

The event the rule sends (its SELECT renames AWS's fields):
`{"voice_demo": "shadow-documents", "thing": NAME, "previous": REPORTED, "current": REPORTED}`,
where REPORTED is `state.reported` of AWS's documents message (`previous` / `current`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from skill.devices import Device, PowerState, Registry, Source
from skill.devices.model import Cause

EVENT = "shadow-documents"


def is_shadow_event(event: Any) -> bool:
    return isinstance(event, dict) and event.get("voice_demo") == EVENT


def device_for_thing(registry: Registry, thing: Any) -> Device | None:
    for device in registry:
        options = device.options
        # The rule watches classic (unnamed) shadows only.
        if (
            device.driver == "iot_shadow"
            and options.get("thing_name") == thing
            and not options.get("shadow_name")
        ):
            return device
    return None


def _power(reported: Any) -> bool | None:
    if not isinstance(reported, dict) or reported.get("source") == "assumed":
        return None
    power = reported.get("power")
    return {"on": True, "off": False}.get(power) if isinstance(power, str) else None


def _time(value: Any) -> datetime | None:
    return datetime.fromtimestamp(float(value), UTC) if isinstance(value, int | float) else None


def shadow_change(previous: Any, current: Any) -> tuple[PowerState, Cause] | None:
    """What changed between two reports, if anything Alexa should hear; None otherwise.

    Not reported: a first report (nothing to compare with), an unconfirmed one, no change of
    power, and a command the bridge applied (the skill that sent it answered for it).
    """
    before, after = _power(previous), _power(current)
    if before is None or after is None or before is after:
        return None
    assert isinstance(current, dict) and isinstance(previous, dict)
    if current.get("outcome") == "applied" and current.get("cmd_id") != previous.get("cmd_id"):
        return None
    seen = _time(current.get("seen_at")) or datetime.now(UTC)
    off_at = _time(previous.get("off_at"))
    cause = Cause.RULE if before and off_at is not None and off_at <= seen else Cause.DEVICE
    return PowerState(after, Source.BRIDGE, seen), cause
