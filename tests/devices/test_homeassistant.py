"""Home Assistant against a fake speaking its REST API (bearer token) on 127.0.0.1."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from skill.devices import AuthFailed, DeviceFault, Source, UnknownDevice, Unreachable
from tests.devices.fakes import FakeHomeAssistant
from tests.devices.helpers import ALEXA_S, budget, plug


@pytest.fixture
def context(context):
    return replace(context, environ={"HA_TOKEN": "ha-token"})


def ha(context, url: str, entity_id: str = "switch.lamp"):
    return plug("homeassistant", context, url=url, entity_id=entity_id, token_env="HA_TOKEN")


def test_turns_on_and_reports_what_home_assistant_says(device_http, context):
    fake = FakeHomeAssistant()
    state = ha(context, fake.install(device_http)).set_power(True, budget())
    assert fake.states["switch.lamp"] == "on"
    assert state.is_confirmed(True) and state.source is Source.BRIDGE


def test_reads_off(device_http, context):
    fake = FakeHomeAssistant()
    assert ha(context, fake.install(device_http)).read(budget()).is_confirmed(False)


def test_unavailable_entity_is_unreachable(device_http, context):
    fake = FakeHomeAssistant(states={"switch.lamp": "unavailable"})
    with pytest.raises(Unreachable, match="unavailable"):
        ha(context, fake.install(device_http)).set_power(True, budget())


def test_unknown_entity_is_an_unknown_device(device_http, context):
    fake = FakeHomeAssistant()
    with pytest.raises(UnknownDevice, match="switch.toaster"):
        ha(context, fake.install(device_http), "switch.toaster").read(budget())


def test_wrong_token_is_an_auth_failure(device_http, context):
    fake = FakeHomeAssistant(token="another")
    with pytest.raises(AuthFailed):
        ha(context, fake.install(device_http)).set_power(True, budget())
    assert fake.states["switch.lamp"] == "off"


def test_missing_token_variable_is_an_auth_failure(device_http, context):
    fake = FakeHomeAssistant()
    with pytest.raises(AuthFailed, match="HA_TOKEN is not set"):
        ha(replace(context, environ={}), fake.install(device_http)).read(budget())


def test_home_assistant_refusing_is_a_device_fault(device_http, context):
    fake = FakeHomeAssistant(refuse=True)
    with pytest.raises(DeviceFault, match="HTTP 500"):
        ha(context, fake.install(device_http)).set_power(True, budget())


def test_connection_refused_is_unreachable_quickly(context, refused):
    started = time.monotonic()
    with pytest.raises(Unreachable):
        ha(context, f"http://127.0.0.1:{refused}").set_power(True, budget())
    assert time.monotonic() - started < 2.0  # generous: it took ~0.1 s


def test_silent_server_after_the_call_went_out_is_not_confirmed_not_unreachable(context, silent):
    """The call reached a listening socket: HA may be running it. Asked, not confirmed."""
    started = time.monotonic()
    state = ha(context, f"http://127.0.0.1:{silent.port}").set_power(True, budget())
    assert state.on is True and not state.confirmed
    assert time.monotonic() - started < ALEXA_S
