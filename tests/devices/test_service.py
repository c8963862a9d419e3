"""DeviceService: deadlines that always leave time to answer, auto-off, and states() for pages."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from skill.devices import AutoOffUnavailable, DeviceService, PowerState, Source, Unreachable
from skill.devices.model import utc
from skill.devices.scheduler import AutoOffTimers
from tests.devices.fakes import FakeHomeAssistant
from tests.devices.helpers import registry


class StuckPlug:
    """A driver that ignores its deadline (the failure the hard stop is there for)."""

    native_auto_off = True
    local = False

    def __init__(self, device) -> None:
        self.device = device
        self.release = threading.Event()

    def set_power(self, on, deadline, auto_off_s=None):
        self.release.wait(10)
        return PowerState(on, Source.DEVICE, utc(time.time()))

    def read(self, deadline):
        return self.set_power(False, deadline)

    def close(self) -> None:
        self.release.set()


def ha_entry(url: str, **extra) -> dict:
    return {
        "id": "heater",
        "name": "heater",
        "driver": "homeassistant",
        "url": url,
        "entity_id": "switch.lamp",
        "token_env": "HA_TOKEN",
        **extra,
    }


@pytest.fixture
def ha_context(context):
    return replace(context, environ={"HA_TOKEN": "ha-token"})


def test_a_stuck_driver_cannot_hold_the_answer_past_the_budget(context):
    reg = registry({"id": "lamp", "name": "lamp", "driver": "simulated"})
    stuck = StuckPlug(reg.get("lamp"))
    service = DeviceService(reg, context, budget_s=0.5, plugs={"lamp": stuck})
    started = time.monotonic()
    state = service.switch("lamp", True)
    assert time.monotonic() - started < 2.0  # 0.5 s budget + grace, not the 10 s it hangs
    # The switch was running when it was abandoned: asked, not confirmed — not unreachable.
    assert state.on is True and not state.confirmed
    assert service.states()["lamp"].problem is None
    assert not service.states()["lamp"].state.confirmed
    # The stuck call still holds the device, but past its deadline it makes no one wait.
    started = time.monotonic()
    with pytest.raises(Unreachable, match="time budget"):  # not "still busy"
        service.read("lamp")
    assert time.monotonic() - started < 2.0
    assert service.states()["lamp"].problem == "unreachable"
    service.close()


def test_many_silent_plugs_cost_one_deadline_not_one_each(context, silent):
    entries = [
        {
            "id": f"p{n}",
            "name": f"plug {n}",
            "driver": "tasmota",
            "host": "127.0.0.1",
            "port": silent.port,
        }
        for n in range(4)
    ]
    service = DeviceService(registry(*entries), context, budget_s=2.0)
    started = time.monotonic()
    results = service.switch_all([e["id"] for e in entries], False)
    assert time.monotonic() - started < 2.5
    # The commands reached listening sockets: asked, not confirmed (never "unreachable").
    assert all(isinstance(r, PowerState) and not r.confirmed for r in results.values())
    service.close()


def test_plug_without_its_own_timer_is_switched_off_by_the_local_timer(ha_context, device_http):
    fake = FakeHomeAssistant()
    reg = registry(ha_entry(fake.install(device_http), max_on_minutes=30))
    service = DeviceService(reg, ha_context)
    state = service.switch("heater", True)
    assert fake.states["switch.lamp"] == "on"
    assert 29 * 60 < state.off_at.timestamp() - time.time() <= 30 * 60
    assert 29 * 60 < service.timers.remaining("heater") <= 30 * 60
    service.timers.schedule("heater", 0.05)  # fast-forward: the timer fires now
    deadline = time.monotonic() + 3
    while service.timers.remaining("heater") is not None and time.monotonic() < deadline:
        time.sleep(0.02)  # until the timer's off has finished (switched, read back, reported)
    assert fake.states["switch.lamp"] == "off"
    assert service.timers.remaining("heater") is None  # done, not rescheduled
    service.close()


def test_switching_off_by_hand_cancels_the_timer(ha_context, device_http):
    fake = FakeHomeAssistant()
    service = DeviceService(
        registry(ha_entry(fake.install(device_http), max_on_minutes=5)), ha_context
    )
    service.switch("heater", True)
    service.switch("heater", False)
    assert service.timers.remaining("heater") is None
    service.close()


def test_in_lambda_a_timer_device_is_not_switched_on(ha_context, device_http):
    fake = FakeHomeAssistant()
    reg = registry(ha_entry(fake.install(device_http), max_on_minutes=30))
    service = DeviceService(reg, ha_context, timers_reliable=False)
    with pytest.raises(AutoOffUnavailable):
        service.switch("heater", True)
    assert fake.states["switch.lamp"] == "off"
    assert service.switch("heater", False).is_confirmed(False)  # off is always fine
    service.close()


def test_timer_retries_a_failed_off_until_it_works():
    calls: list[str] = []

    def switch_off(device_id: str) -> bool:
        calls.append(device_id)
        return len(calls) >= 3

    timers = AutoOffTimers(switch_off, retry_s=0.02)
    timers.schedule("heater", 0.01)
    deadline = time.monotonic() + 3
    while timers.remaining("heater") is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert calls == ["heater"] * 3
    timers.stop()


def test_cancelled_and_restarted_timers_fire_once_at_the_new_time():
    fired: list[float] = []
    timers = AutoOffTimers(lambda _id: fired.append(time.monotonic()) or True)
    started = time.monotonic()
    timers.schedule("lamp", 0.05)
    timers.schedule("lamp", 0.2)  # switched on again: the clock restarts
    timers.schedule("fan", 0.05)
    timers.cancel("fan")
    deadline = time.monotonic() + 3
    while not fired and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)  # room for a wrong second firing
    assert len(fired) == 1 and fired[0] - started >= 0.2
    timers.stop()


def test_states_are_cheap_and_say_where_they_came_from(context, refused):
    reg = registry(
        {"id": "lamp", "name": "lamp", "driver": "simulated"},
        {"id": "fan", "name": "fan", "driver": "tasmota", "host": "127.0.0.1", "port": refused},
    )
    service = DeviceService(reg, context)
    before = service.states()
    assert before["fan"].state.on is None and before["fan"].state.source is Source.ASSUMED
    service.switch("lamp", True)
    with pytest.raises(Unreachable):
        service.switch("fan", True)
    states = service.states()
    assert states["lamp"].state.on is True and states["lamp"].state.source is Source.DEVICE
    assert states["fan"].problem == "unreachable" and states["fan"].state.source is Source.ASSUMED
    assert states["lamp"].to_dict()["at"]  # a timestamp for the page
    # Another process (the stand page, `voice-demo say`) sees the simulated lamp at once.
    other = DeviceService(reg, context)
    assert other.states()["lamp"].state.on is True
    service.close()
    other.close()
