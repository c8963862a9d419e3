"""What the skill sends to the event gateway: deferred Responses, ChangeReports, discovery
updates; AcceptGrant and the LWA tokens behind them; 401, 403 and 429 from the gateway."""

from __future__ import annotations

import time

from skill.devices.model import Cause
from skill.smarthome.lwa import REFRESH_BEFORE_S, EventTokens, TokenStore
from tests.devices.fakes import FakeHomeAssistant, FakeShelly
from tests.smarthome.conftest import (
    ALICE,
    BOB,
    HOME_A,
    HOME_B,
    device_service,
    request,
    sample,
    shelly_lamp,
)

TURN_ON = "PowerController/PowerController.TurnOn.request.json"
ACCEPT_GRANT = "Authorization/Authorization.AcceptGrant.request.json"


def change_of(event: dict) -> tuple[str, str, str]:
    """(endpoint, powerState, cause) of a ChangeReport."""
    assert event["event"]["header"]["name"] == "ChangeReport", event
    change = event["event"]["payload"]["change"]
    (prop,) = change["properties"]
    return event["event"]["endpoint"]["endpointId"], prop["value"], change["cause"]["type"]


# --- AcceptGrant and LWA -----------------------------------------------------------------


def test_accept_grant_exchanges_the_code_and_keeps_the_tokens_per_home(
    smart_home, cognito, lwa, state, valid
):
    event = request(ACCEPT_GRANT, cognito.token(ALICE))
    answer = valid(smart_home.handle(event))
    assert answer["event"]["header"]["name"] == "AcceptGrant.Response"
    (grant,) = lwa.grants
    assert grant["grant_type"] == "authorization_code"
    assert grant["code"] == sample(ACCEPT_GRANT)["directive"]["payload"]["grant"]["code"]
    store = TokenStore(state)
    tokens = store.get(HOME_A)
    assert tokens is not None and tokens.access_token in lwa.access_tokens
    assert store.get(HOME_B) is None  # Bob's home has no grant


def test_a_refused_code_is_accept_grant_failed(smart_home, cognito, lwa, state, valid):
    smart_home.handle(request(ACCEPT_GRANT, cognito.token(ALICE)))  # the code is single use
    answer = valid(smart_home.handle(request(ACCEPT_GRANT, cognito.token(BOB))))
    assert answer["event"]["header"]["namespace"] == "Alexa.Authorization"
    assert answer["event"]["payload"]["type"] == "ACCEPT_GRANT_FAILED"
    assert TokenStore(state).get(HOME_B) is None


def test_accept_grant_with_a_bad_token_is_refused(smart_home, cognito, lwa, valid):
    answer = valid(smart_home.handle(request(ACCEPT_GRANT, "access-token-from-skill")))
    assert answer["event"]["payload"]["type"] == "ACCEPT_GRANT_FAILED"
    assert lwa.grants == []  # the code was never spent


def test_event_token_is_refreshed_before_it_expires(
    smart_home, homes, granted, lwa, gateway, state, valid
):
    store = TokenStore(state)
    old = store.get(HOME_A)
    # Nearly an hour later: the token is within the refresh margin of its expiry.
    store.put(
        HOME_A,
        EventTokens(old.access_token, old.refresh_token, int(time.time()) + REFRESH_BEFORE_S - 1),
    )
    homes[HOME_A].switch("lamp", True)  # the custom skill: a ChangeReport
    (event,) = gateway.wait_for(1)
    valid(event)
    assert lwa.count("refresh_token") == 1
    new = store.get(HOME_A)
    assert new.access_token != old.access_token
    assert event["event"]["endpoint"]["scope"]["token"] == new.access_token
    assert new.expires_at > time.time() + 3000


# --- a slow plug -------------------------------------------------------------------------


class SlowShelly(FakeShelly):
    """A Shelly that takes `delay` seconds to act on Switch.Set (a busy Wi-Fi plug)."""

    delay: float = 0.8

    def handle(self, request):
        if request.path == "/rpc/Switch.Set":
            time.sleep(self.delay)
        return super().handle(request)


def test_a_slow_plug_gets_a_deferred_response_then_the_real_one(
    make_smart_home, tmp_path, cognito, lwa, gateway, device_http, valid
):
    shelly = SlowShelly()
    devices = device_service(tmp_path, "slow", [shelly_lamp(shelly.install(device_http))])
    smart_home = make_smart_home({HOME_A: devices}, defer_after_s=0.3)
    assert valid(smart_home.handle(request(ACCEPT_GRANT, cognito.token(ALICE))))
    event = request(TURN_ON, cognito.token(ALICE), endpoint="lamp")
    correlation = event["directive"]["header"]["correlationToken"]

    started = time.monotonic()
    answer = valid(smart_home.handle(event))
    assert time.monotonic() - started < 0.75  # answered before the plug did
    assert answer["event"]["header"]["name"] == "DeferredResponse"
    assert answer["event"]["header"]["correlationToken"] == correlation
    assert 1 <= answer["event"]["payload"]["estimatedDeferralInSeconds"] <= 8
    assert shelly.output is False  # not yet

    (late,) = gateway.wait_for(1)
    valid(late)
    assert late["event"]["header"]["name"] == "Response"
    assert late["event"]["header"]["correlationToken"] == correlation
    assert late["event"]["endpoint"]["endpointId"] == "lamp"
    assert late["event"]["endpoint"]["scope"]["token"] in lwa.access_tokens  # LWA's, not Cognito's
    (state,) = [p for p in late["context"]["properties"] if p["name"] == "powerState"]
    assert state["value"] == "ON" and shelly.output is True
    assert smart_home.flush(5)
    assert len(gateway.events) == 1  # no ChangeReport for a change Alexa asked for
    devices.close()


def test_a_slow_plug_with_no_event_token_is_answered_in_the_same_call(
    make_smart_home, tmp_path, cognito, gateway, device_http, valid
):
    shelly = SlowShelly()
    devices = device_service(tmp_path, "slow", [shelly_lamp(shelly.install(device_http))])
    smart_home = make_smart_home({HOME_A: devices}, defer_after_s=0.3)
    answer = valid(smart_home.handle(request(TURN_ON, cognito.token(ALICE), endpoint="lamp")))
    assert answer["event"]["header"]["name"] == "Response"  # nowhere to send a late one
    assert shelly.output is True
    devices.close()


def test_lambda_style_never_defers(make_smart_home, tmp_path, cognito, gateway, device_http, valid):
    shelly = SlowShelly()
    devices = device_service(tmp_path, "slow", [shelly_lamp(shelly.install(device_http))])
    smart_home = make_smart_home({HOME_A: devices}, defer_after_s=0.3, can_defer=False)
    smart_home.handle(request(ACCEPT_GRANT, cognito.token(ALICE)))
    answer = valid(smart_home.handle(request(TURN_ON, cognito.token(ALICE), endpoint="lamp")))
    assert answer["event"]["header"]["name"] == "Response"
    assert smart_home.flush(2) and gateway.events == []
    devices.close()


# --- ChangeReports -----------------------------------------------------------------------


def test_changes_not_caused_by_a_directive_are_reported_with_their_cause(
    smart_home, homes, granted, gateway, valid
):
    devices = homes[HOME_A]
    devices.switch("lamp", True)  # the custom skill
    devices.switch("fan", True, cause=Cause.APP)  # the admin's "test this plug"
    devices.switch("lamp", True)  # no change: nothing to report
    events = gateway.wait_for(2)
    assert smart_home.flush(5)
    assert [change_of(valid(e)) for e in gateway.events] == [
        ("lamp", "ON", "VOICE_INTERACTION"),
        ("fan", "ON", "APP_INTERACTION"),
    ]
    assert all(e["event"]["endpoint"]["scope"]["token"] for e in events)


def test_quick_changes_of_one_plug_reach_alexa_in_order(smart_home, homes, granted, gateway):
    devices = homes[HOME_A]
    for on in (True, False, True, False, True):
        devices.switch("lamp", on)
    events = gateway.wait_for(5)
    assert [change_of(e)[1] for e in events] == ["ON", "OFF", "ON", "OFF", "ON"]


def test_a_change_found_on_the_plug_is_a_physical_interaction(
    make_smart_home, tmp_path, cognito, gateway, device_http, valid
):
    shelly = FakeShelly()
    devices = device_service(tmp_path, "shelly", [shelly_lamp(shelly.install(device_http))])
    smart_home = make_smart_home({HOME_A: devices})
    smart_home.handle(request(ACCEPT_GRANT, cognito.token(ALICE)))
    assert devices.read("lamp").is_confirmed(False)
    shelly.output = True  # someone pressed the button on the plug
    devices.read("lamp")
    (event,) = gateway.wait_for(1)
    assert change_of(valid(event)) == ("lamp", "ON", "PHYSICAL_INTERACTION")
    devices.close()


def test_an_auto_off_is_reported_as_a_rule(
    make_smart_home, tmp_path, cognito, gateway, device_http, valid
):
    ha = FakeHomeAssistant(states={"switch.heater": "off"})  # no timer of its own
    url = ha.install(device_http)
    entry = {
        "id": "heater",
        "name": "heater",
        "driver": "homeassistant",
        "url": url,
        "entity_id": "switch.heater",
        "token_env": "HA_TOKEN",
        "max_on_minutes": 30,
    }
    import yaml

    from skill.devices import DeviceService, parse_registry
    from skill.devices.plug import DriverContext

    registry = parse_registry(yaml.safe_dump({"devices": [entry]}), "ha.yaml")
    devices = DeviceService(
        registry, DriverContext(data_dir=tmp_path / "ha", environ={"HA_TOKEN": ha.token})
    )
    smart_home = make_smart_home({HOME_A: devices})
    smart_home.handle(request(ACCEPT_GRANT, cognito.token(ALICE)))
    devices.switch("heater", True)  # by the custom skill
    assert devices.timers.remaining("heater") > 29 * 60
    devices.timers.schedule("heater", 0.05)  # fast-forward the half hour
    events = gateway.wait_for(2)
    assert ha.states["switch.heater"] == "off"
    assert [change_of(valid(e)) for e in events] == [
        ("heater", "ON", "VOICE_INTERACTION"),
        ("heater", "OFF", "RULE_TRIGGER"),
    ]
    devices.close()


def test_a_change_in_home_b_goes_with_home_bs_token_only(
    smart_home, homes, granted, gateway, lwa, state
):
    homes[HOME_B].switch("lamp", True)  # Bob's home has no grant: nothing may be sent
    assert smart_home.flush(5) and gateway.attempts == []
    granted(BOB)
    homes[HOME_B].switch("lamp", False)
    (event,) = gateway.wait_for(1)
    assert (
        event["event"]["endpoint"]["scope"]["token"] == TokenStore(state).get(HOME_B).access_token
    )
    assert (
        event["event"]["endpoint"]["scope"]["token"] != TokenStore(state).get(HOME_A).access_token
    )


# --- the gateway's answers ---------------------------------------------------------------


def test_a_401_refreshes_the_token_once_and_resends(
    smart_home, homes, granted, gateway, lwa, valid
):
    gateway.script = [(401, {})]
    homes[HOME_A].switch("lamp", True)
    (event,) = gateway.wait_for(1)
    valid(event)
    assert lwa.count("refresh_token") == 1
    assert [status for _, status, _ in gateway.attempts] == [401, 202]


def test_a_second_401_gives_up_without_looping(smart_home, homes, granted, gateway, lwa):
    gateway.script = [(401, {}), (401, {}), (401, {})]
    homes[HOME_A].switch("lamp", True)
    assert smart_home.flush(5)
    assert [status for _, status, _ in gateway.attempts] == [401, 401]
    assert lwa.count("refresh_token") == 1


def test_skill_disabled_forgets_the_homes_tokens(smart_home, homes, granted, gateway, state):
    gateway.script = [(403, {})]
    homes[HOME_A].switch("lamp", True)
    assert smart_home.flush(5)
    assert TokenStore(state).get(HOME_A) is None
    homes[HOME_A].switch("lamp", False)  # nothing more is sent for this home
    assert smart_home.flush(5)
    assert len(gateway.attempts) == 1


def test_throttled_events_back_off_and_are_resent(smart_home, homes, granted, gateway, valid):
    gateway.script = [(429, {"Retry-After": "0.3"}), (429, {})]
    homes[HOME_A].switch("lamp", True)
    (event,) = gateway.wait_for(1)
    valid(event)
    times = [at for at, _, _ in gateway.attempts]
    assert [status for _, status, _ in gateway.attempts] == [429, 429, 202]
    assert times[1] - times[0] >= 0.29  # Retry-After honoured
    assert times[2] - times[1] >= 0.45  # then doubling from 0.5 s


# --- discovery updates -------------------------------------------------------------------


def test_added_and_removed_plugs_are_reported(smart_home, homes, granted, gateway, valid):
    smart_home.devices_added(HOME_A, homes[HOME_A])
    smart_home.devices_removed(HOME_A, ["old.lamp"])
    events = gateway.wait_for(2)
    add, delete = sorted(events, key=lambda e: e["event"]["header"]["name"])
    valid(add)
    assert add["event"]["header"]["name"] == "AddOrUpdateReport"
    assert {e["endpointId"] for e in add["event"]["payload"]["endpoints"]} == {
        "lamp",
        "fan",
        "heater",
        "fridge",
    }
    # DeleteReport is missing from Amazon's schema copy: its documented shape, checked by hand.
    assert delete["event"]["header"] | {"messageId": "x"} == {
        "namespace": "Alexa.Discovery",
        "name": "DeleteReport",
        "payloadVersion": "3",
        "messageId": "x",
    }
    assert delete["event"]["payload"]["endpoints"] == [{"endpointId": "old:lamp"}]
    assert delete["event"]["payload"]["scope"]["type"] == "BearerToken"
