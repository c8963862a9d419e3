"""Tasmota against a fake speaking its `/cm?cmnd=` HTTP API on 127.0.0.1."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from skill.devices import AuthFailed, DeviceFault, Misconfigured, Source, Unreachable
from tests.devices.fakes import FakeTasmota
from tests.devices.helpers import BUDGET_S, budget, plug


def tasmota(context, address: str, **options):
    host, port = address.split(":")
    return plug("tasmota", context, host=host, port=int(port), **options)


def test_switches_on_and_the_answer_is_the_relays_new_state(device_http, context):
    fake = FakeTasmota()
    state = tasmota(context, fake.install(device_http)).set_power(True, budget())
    assert fake.power is True and fake.commands == ["Power On"]
    assert state.is_confirmed(True) and state.source is Source.DEVICE


def test_reads_state_with_a_bare_power_command(device_http, context):
    fake = FakeTasmota(power=True)
    assert tasmota(context, fake.install(device_http)).read(budget()).is_confirmed(True)
    assert fake.commands == ["Power"]


def test_auto_off_sets_pulsetime_before_switching_on(device_http, context):
    fake = FakeTasmota()
    state = tasmota(context, fake.install(device_http)).set_power(True, budget(), auto_off_s=1800)
    assert fake.commands == ["PulseTime1 1900", "Power On"]  # 112+ means (value - 100) s
    assert state.off_at is not None


def test_credentials_go_in_the_query_and_work(device_http, context):
    fake = FakeTasmota(password="pw")
    context = replace(context, environ={"TASMOTA_PW": "pw"})
    plug_ = tasmota(context, fake.install(device_http), password_env="TASMOTA_PW")
    assert plug_.set_power(False, budget()).is_confirmed(False)


def test_need_user_password_warning_is_an_auth_failure(device_http, context):
    fake = FakeTasmota(password="pw")  # HTTP 200 with a WARNING body, as the firmware does
    with pytest.raises(AuthFailed):
        tasmota(context, fake.install(device_http)).set_power(True, budget())
    assert fake.power is False


def test_device_refusing_is_a_device_fault(device_http, context):
    fake = FakeTasmota(refuse=True)
    with pytest.raises(DeviceFault):
        tasmota(context, fake.install(device_http)).set_power(True, budget())


def test_connection_refused_is_unreachable_quickly(context, refused):
    started = time.monotonic()
    with pytest.raises(Unreachable):
        tasmota(context, f"127.0.0.1:{refused}").set_power(True, budget())
    assert time.monotonic() - started < 2.0  # generous: it took ~0.1 s


def test_silent_plug_times_out_inside_the_budget(context, silent):
    started = time.monotonic()
    with pytest.raises(Unreachable, match="no answer"):
        tasmota(context, f"127.0.0.1:{silent.port}").read(budget())
    assert time.monotonic() - started < BUDGET_S


@pytest.mark.parametrize("key", ["POWER", "POWER1"])
def test_custom_state_texts_on_either_key_are_understood(device_http, context, key):
    fake = FakeTasmota(state_text=("0", "1"), key=key)  # {"POWER1":"1"}
    lamp = tasmota(context, fake.install(device_http))
    assert lamp.set_power(True, budget()).is_confirmed(True)
    assert lamp.read(budget()).is_confirmed(True) and fake.switch_commands == 1


def test_unknown_state_words_are_a_setup_problem_not_a_guess(device_http, context):
    fake = FakeTasmota(state_text=("Aus", "An"))
    with pytest.raises(Misconfigured):
        tasmota(context, fake.install(device_http)).read(budget())
