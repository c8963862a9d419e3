"""Shelly Gen2+ against a fake speaking its HTTP RPC (digest SHA-256 auth) on 127.0.0.1."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from skill.devices import AuthFailed, DeviceFault, Source, Unreachable
from tests.devices.fakes import FakeShelly
from tests.devices.helpers import BUDGET_S, budget, plug


def shelly(context, address: str, **options):
    host, port = address.split(":")
    return plug("shelly", context, host=host, port=int(port), **options)


def test_switches_on_and_reads_the_new_state_back(device_http, context):
    fake = FakeShelly()
    state = shelly(context, fake.install(device_http)).set_power(True, budget())
    assert fake.output is True
    assert state.is_confirmed(True) and state.source is Source.DEVICE
    assert [c["method"] for c in fake.calls] == ["Switch.Set", "Switch.GetStatus"]


def test_auto_off_uses_the_plugs_own_timer(device_http, context):
    fake = FakeShelly()
    state = shelly(context, fake.install(device_http)).set_power(True, budget(), auto_off_s=1800)
    assert fake.calls[0]["toggle_after"] == "1800"
    assert state.off_at is not None and 1790 < state.off_at.timestamp() - time.time() <= 1800


def test_digest_sha256_with_the_right_password(device_http, context):
    fake = FakeShelly(password="s3cret")
    context = replace(context, environ={"PLUG_PW": "s3cret"})
    state = shelly(context, fake.install(device_http), password_env="PLUG_PW").read(budget())
    assert state.is_confirmed(False)


def test_wrong_password_is_an_auth_failure(device_http, context):
    fake = FakeShelly(password="s3cret")
    context = replace(context, environ={"PLUG_PW": "guess"})
    with pytest.raises(AuthFailed):
        shelly(context, fake.install(device_http), password_env="PLUG_PW").set_power(True, budget())
    assert fake.output is False


def test_password_variable_missing_is_an_auth_failure_without_a_request(device_http, context):
    fake = FakeShelly(password="s3cret")
    with pytest.raises(AuthFailed, match="PLUG_PW is not set"):
        shelly(context, fake.install(device_http), password_env="PLUG_PW").read(budget())
    assert fake.calls == []


def test_device_refusing_is_a_device_fault(device_http, context):
    fake = FakeShelly(refuse=True)
    with pytest.raises(DeviceFault, match="Overtemperature"):
        shelly(context, fake.install(device_http)).set_power(True, budget())


def test_connection_refused_is_unreachable_quickly(context, refused):
    started = time.monotonic()
    with pytest.raises(Unreachable):
        shelly(context, f"127.0.0.1:{refused}").set_power(True, budget())
    assert time.monotonic() - started < 2.0  # generous: it took ~0.1 s


def test_silent_plug_times_out_inside_the_budget(context, silent):
    started = time.monotonic()
    with pytest.raises(Unreachable, match="no answer"):
        shelly(context, f"127.0.0.1:{silent.port}").set_power(True, budget())
    assert time.monotonic() - started < BUDGET_S
