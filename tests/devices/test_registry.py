"""The registry: mistakes that could switch the wrong thing fail at load, naming the entry."""

from __future__ import annotations

import pytest

from skill.devices import Policy, RegistryError, UnknownDevice, load_registry, parse_registry
from skill.settings import SHIPPED_DEVICES
from tests.devices.helpers import registry


def lamp(**extra) -> dict:
    return {"id": "lamp", "name": "lamp", "driver": "simulated", **extra}


def test_shipped_demo_registry_loads_with_a_lamp_and_a_fan():
    shipped = load_registry(SHIPPED_DEVICES)
    names = [d.name for d in shipped.voice_controllable()]
    assert names[:2] == ["lamp", "fan"]
    heater = shipped.get("heater")
    assert heater.voice_on is Policy.CONFIRM and heater.max_on_minutes > 0
    assert shipped.get("fridge").voice_off is Policy.DENY


@pytest.mark.parametrize(
    "spoken",
    [
        "lamp",
        "the lamp",
        "Lamp",
        "The Lamp.",
        "bedside lamp",
        "the bedside-lamp",
        "lamps",
        "the lamp plug",
        "my light",
    ],
)
def test_names_are_matched_forgivingly(spoken):
    reg = registry(lamp(aliases=["light", "bedside lamp"]))
    assert reg.find(spoken).id == "lamp"


@pytest.mark.parametrize("spoken", ["lamb", "toaster", "", None, "the"])
def test_unknown_or_misheard_names_match_nothing(spoken):
    assert registry(lamp()).find(spoken) is None


def test_unknown_key_names_file_line_and_entry(tmp_path):
    path = tmp_path / "devices.yaml"
    path.write_text(
        "devices:\n"
        "  - id: lamp\n    name: lamp\n    driver: simulated\n"
        "  - id: plug2\n    name: kettle\n    driver: shelly\n    hots: 10.0.0.2\n"
    )
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    message = str(caught.value)
    assert str(path) in message and "line 5" in message and "(plug2)" in message
    assert "'hots'" in message and "host" in message  # says what it takes instead


def test_unknown_common_key_is_refused_too():
    with pytest.raises(RegistryError, match="unknown key 'voice'"):
        registry(lamp(voice="on"))


def test_duplicate_ids_are_refused():
    with pytest.raises(RegistryError, match="id 'lamp' is already used"):
        registry(lamp(), lamp(name="other lamp"))


def test_colliding_names_and_aliases_are_refused():
    with pytest.raises(RegistryError, match="'light' is already used by device 'lamp'"):
        registry(
            lamp(aliases=["light"]), {"id": "ceiling", "name": "The Light", "driver": "simulated"}
        )


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"voice_on": "maybe"}, "voice_on must be allow, confirm or deny"),
        ({"max_on_minutes": -5}, "max_on_minutes must be a whole number"),
        ({"max_on_minutes": True}, "max_on_minutes must be a whole number"),
        ({"driver": "zigbee"}, "unknown driver 'zigbee'"),
        ({"id": "lamp one"}, "may use only letters"),
        ({"aliases": "light"}, None),  # a single alias is fine
    ],
)
def test_bad_values_say_what_is_allowed(bad, message):
    if message is None:
        assert registry(lamp(**bad)).find("light").id == "lamp"
        return
    with pytest.raises(RegistryError, match=message):
        registry(lamp(**bad))


def test_driver_settings_are_checked():
    with pytest.raises(RegistryError, match="driver shelly needs 'host'"):
        registry({"id": "p", "name": "plug", "driver": "shelly"})
    with pytest.raises(RegistryError, match="'port' must be a whole number"):
        registry({"id": "p", "name": "plug", "driver": "tasmota", "host": "h", "port": "80"})
    with pytest.raises(RegistryError, match="at most 1080 minutes"):
        registry(
            {"id": "p", "name": "plug", "driver": "tasmota", "host": "h", "max_on_minutes": 2000}
        )


def test_shadow_bridge_plug_is_validated_as_its_own_driver():
    entry = {"id": "heater", "name": "heater", "driver": "iot_shadow", "thing_name": "t"}
    reg = registry(entry | {"bridge": {"driver": "tasmota", "host": "10.0.0.5"}})
    assert reg.get("heater").options["bridge"] == {
        "driver": "tasmota",
        "host": "10.0.0.5",
        "port": 80,
        "relay": 1,
        "user": "admin",
        "password_env": None,
    }
    with pytest.raises(RegistryError, match="unknown key 'hots'"):
        registry(entry | {"bridge": {"driver": "tasmota", "hots": "10.0.0.5"}})


def test_invalid_yaml_is_reported_with_the_file():
    with pytest.raises(RegistryError, match="mine.yaml: not valid YAML"):
        parse_registry("devices: [\n", "mine.yaml")


def test_missing_file_is_a_registry_error(tmp_path):
    with pytest.raises(RegistryError, match="can't read"):
        load_registry(tmp_path / "nope.yaml")


def test_unknown_id_is_a_typed_error():
    with pytest.raises(UnknownDevice):
        registry(lamp()).get("toaster")


def test_devices_denied_both_ways_are_not_offered_to_voice():
    reg = registry(
        lamp(),
        {
            "id": "pump",
            "name": "pump",
            "driver": "simulated",
            "voice_on": "deny",
            "voice_off": "deny",
        },
    )
    assert [d.id for d in reg.voice_controllable()] == ["lamp"]
    assert len(reg) == 2
