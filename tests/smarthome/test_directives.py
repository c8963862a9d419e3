"""Directives in, answers out: Amazon's sample requests drive the handler; every answer is
validated against Amazon's schema."""

from __future__ import annotations

import json

import pytest

from skill.devices import Deadline
from tests.smarthome.conftest import (
    ALICE,
    BOB,
    DATA,
    HOME_A,
    HOME_B,
    device_service,
    request,
    shelly_lamp,
)
from tests.smarthome.fakes import new_key

DISCOVER = "Discovery/Discovery.request.json"
TURN_ON = "PowerController/PowerController.TurnOn.request.json"
TURN_OFF = "PowerController/PowerController.TurnOff.request.json"
REPORT_STATE = "StateReport/ReportState.json"


def error_type(message: dict) -> str:
    assert message["event"]["header"]["name"] == "ErrorResponse", message
    return message["event"]["payload"]["type"]


def power(message: dict) -> str:
    (value,) = [p["value"] for p in message["context"]["properties"] if p["name"] == "powerState"]
    return value


def endpoints(message: dict) -> dict[str, dict]:
    return {e["endpointId"]: e for e in message["event"]["payload"]["endpoints"]}


# --- discovery ---------------------------------------------------------------------------


def test_discover_offers_the_homes_devices_as_alexa_endpoints(smart_home, cognito, valid):
    answer = valid(smart_home.handle(request(DISCOVER, cognito.token(ALICE))))
    assert answer["event"]["header"]["name"] == "Discover.Response"
    found = endpoints(answer)
    assert set(found) == {"lamp", "fan", "heater", "fridge"}  # not the boiler: never either way
    assert found["lamp"]["displayCategories"] == ["LIGHT"]
    assert found["fan"]["displayCategories"] == ["SMARTPLUG"]
    assert found["lamp"]["friendlyName"] == "lamp"
    interfaces = {c["interface"]: c for c in found["lamp"]["capabilities"]}
    assert set(interfaces) == {"Alexa", "Alexa.PowerController", "Alexa.EndpointHealth"}
    props = interfaces["Alexa.PowerController"]["properties"]
    assert props["proactivelyReported"] is True and props["retrievable"] is True
    assert "verificationsRequired" not in interfaces["Alexa.PowerController"]


def test_an_ask_first_device_makes_alexa_ask_before_that_direction(smart_home, cognito, valid):
    found = endpoints(valid(smart_home.handle(request(DISCOVER, cognito.token(ALICE)))))
    (power_cap,) = [
        c for c in found["heater"]["capabilities"] if c["interface"] == "Alexa.PowerController"
    ]
    assert power_cap["verificationsRequired"] == [
        {"directive": "TurnOn", "methods": [{"@type": "Confirmation"}]}
    ]
    assert "asks first" in found["heater"]["description"]


# --- power -------------------------------------------------------------------------------


def test_turn_on_answers_with_what_the_plug_confirmed_after_it(smart_home, homes, cognito, valid):
    lamp = homes[HOME_A]
    assert lamp.read("lamp").on is False
    event = request(TURN_ON, cognito.token(ALICE), endpoint="lamp")
    answer = valid(smart_home.handle(event))
    assert answer["event"]["header"]["name"] == "Response"
    assert (
        answer["event"]["header"]["correlationToken"]
        == (event["directive"]["header"]["correlationToken"])
    )
    assert answer["event"]["endpoint"]["endpointId"] == "lamp"
    assert power(answer) == "ON"
    assert lamp.read("lamp").is_confirmed(True)
    answer = valid(smart_home.handle(request(TURN_OFF, cognito.token(ALICE), endpoint="lamp")))
    assert power(answer) == "OFF"
    assert lamp.read("lamp").is_confirmed(False)


def test_powercontroller_test_plan(smart_home, homes, cognito, valid):
    """Amazon's capability test plan: from each initial state, the directive's outcome."""
    plan = json.loads((DATA / "capability_evaluations/test_plans/PowerController.json").read_text())
    token = cognito.token(ALICE)
    names = {"TurnOn": TURN_ON, "TurnOff": TURN_OFF}
    for case in plan["testCases"]:
        for setup in case["initialSetups"]:
            valid(
                smart_home.handle(
                    request(names[setup["directive"]["header"]["name"]], token, "fan")
                )
            )
            report = valid(smart_home.handle(request(REPORT_STATE, token, "fan")))
            assert power(report) == setup["capabilityState"]["value"], case["name"]
        answer = valid(
            smart_home.handle(request(names[case["directive"]["header"]["name"]], token, "fan"))
        )
        (expected,) = case["expectedCapabilityStates"]
        assert power(answer) == expected["value"], case["name"]
        assert (
            power(valid(smart_home.handle(request(REPORT_STATE, token, "fan"))))
            == (expected["value"])
        )


def test_never_by_voice_holds_for_the_app_and_routines_too(smart_home, homes, cognito, valid):
    token = cognito.token(ALICE)
    answer = valid(smart_home.handle(request(TURN_OFF, token, endpoint="fridge")))
    assert error_type(answer) == "NOT_SUPPORTED_IN_CURRENT_MODE"
    assert "never" in answer["event"]["payload"]["message"]
    assert homes[HOME_A].read("fridge").is_confirmed(True)  # still on
    # The allowed direction works.
    assert power(valid(smart_home.handle(request(TURN_ON, token, endpoint="fridge")))) == "ON"
    # A device voice may never switch at all is not an endpoint.
    answer = valid(smart_home.handle(request(TURN_ON, token, endpoint="boiler")))
    assert error_type(answer) == "NO_SUCH_ENDPOINT"
    assert homes[HOME_A].read("boiler").on is False


def test_ask_first_device_switches_once_alexa_has_asked_and_auto_off_holds(
    smart_home, homes, cognito, valid
):
    answer = valid(smart_home.handle(request(TURN_ON, cognito.token(ALICE), endpoint="heater")))
    assert power(answer) == "ON"
    state = homes[HOME_A].read("heater")
    assert state.is_confirmed(True)
    assert state.off_at is not None  # max_on_minutes: the plug's own timer is set
    minutes = (state.off_at - state.at).total_seconds() / 60
    assert 29 <= minutes <= 30.1


def test_an_unconfirmed_switch_is_never_reported_as_done(
    make_smart_home, tmp_path, cognito, valid, device_http
):
    """The plug took the order but can't be read back: no Response claiming ON."""
    from tests.devices.fakes import FakeShelly

    shelly = FakeShelly(status_broken=True)
    host = shelly.install(device_http)
    devices = device_service(tmp_path, "shelly-home", [shelly_lamp(host)])
    smart_home = make_smart_home({HOME_A: devices})
    answer = valid(smart_home.handle(request(TURN_ON, cognito.token(ALICE), endpoint="lamp")))
    assert answer["event"]["header"]["name"] == "ErrorResponse"
    assert "context" not in answer
    devices.close()


def test_an_unreachable_plug_is_an_error_response_not_a_response(
    make_smart_home, tmp_path, cognito, valid, refused
):
    devices = device_service(tmp_path, "gone", [shelly_lamp(f"127.0.0.1:{refused}")])
    smart_home = make_smart_home({HOME_A: devices})
    token = cognito.token(ALICE)
    answer = valid(smart_home.handle(request(TURN_ON, token, endpoint="lamp")))
    assert error_type(answer) == "ENDPOINT_UNREACHABLE"
    assert answer["event"]["endpoint"]["endpointId"] == "lamp"
    answer = valid(smart_home.handle(request(REPORT_STATE, token, endpoint="lamp")))
    assert error_type(answer) == "ENDPOINT_UNREACHABLE"
    devices.close()


def test_unknown_endpoint_is_no_such_endpoint(smart_home, cognito, valid):
    for name in (TURN_ON, REPORT_STATE):
        answer = valid(smart_home.handle(request(name, cognito.token(ALICE), "endpoint-001")))
        assert error_type(answer) == "NO_SUCH_ENDPOINT"


# --- state -------------------------------------------------------------------------------


def test_report_state_reads_the_plug(smart_home, homes, cognito, valid):
    homes[HOME_A].switch("lamp", True, Deadline(2))
    event = request(REPORT_STATE, cognito.token(ALICE), endpoint="lamp")
    answer = valid(smart_home.handle(event))
    assert answer["event"]["header"]["name"] == "StateReport"
    assert (
        answer["event"]["header"]["correlationToken"]
        == (event["directive"]["header"]["correlationToken"])
    )
    assert power(answer) == "ON"
    (health,) = [p for p in answer["context"]["properties"] if p["name"] == "connectivity"]
    assert health["value"] == {"value": "OK"}


# --- tokens ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "forge",
    [
        lambda c: c.token(ALICE, key=new_key()),  # signed by someone else
        lambda c: c.token(ALICE, client_id="another-app-client"),
        lambda c: c.token(ALICE, token_use="id"),  # an ID token, not an access token
        lambda c: c.token(ALICE, iss="https://cognito-idp.eu-west-1.amazonaws.com/other"),
        lambda c: c.token(ALICE, kid="unknown-key"),
        lambda c: c.token(ALICE, alg="HS256"),
        lambda c: c.token(ALICE)[:-6] + "AAAAAA",  # tampered signature
        lambda c: "access-token-from-skill",  # Amazon's placeholder
        lambda c: "",
    ],
    ids=[
        "other-key",
        "client",
        "id-token",
        "issuer",
        "kid",
        "hs256",
        "tampered",
        "opaque",
        "empty",
    ],
)
def test_a_bad_token_is_an_invalid_credential(smart_home, homes, cognito, valid, forge):
    token = forge(cognito)
    for name in (DISCOVER, TURN_ON, REPORT_STATE):
        answer = valid(
            smart_home.handle(request(name, token, None if name == DISCOVER else "lamp"))
        )
        assert error_type(answer) == "INVALID_AUTHORIZATION_CREDENTIAL"
    assert homes[HOME_A].read("lamp").on is False


def test_an_expired_token_is_an_expired_credential(smart_home, homes, cognito, valid):
    token = cognito.token(ALICE, exp=1_700_000_000)
    answer = valid(smart_home.handle(request(TURN_ON, token, endpoint="lamp")))
    assert error_type(answer) == "EXPIRED_AUTHORIZATION_CREDENTIAL"
    assert homes[HOME_A].read("lamp").on is False
    # ...but only when it is genuinely ours: an expired forgery is just invalid.
    forged = cognito.token(ALICE, exp=1_700_000_000, key=new_key())
    answer = valid(smart_home.handle(request(TURN_ON, forged, endpoint="lamp")))
    assert error_type(answer) == "INVALID_AUTHORIZATION_CREDENTIAL"


def test_the_pools_keys_are_fetched_once_and_cached(smart_home, cognito):
    for _ in range(5):
        smart_home.handle(request(DISCOVER, cognito.token(ALICE)))
    assert cognito.jwks_requests == 1


def test_a_login_linked_to_no_home_reaches_nothing(smart_home, cognito, valid):
    token = cognito.token("a-stranger-who-signed-up")
    answer = valid(smart_home.handle(request(DISCOVER, token)))
    assert answer["event"]["payload"]["endpoints"] == []
    assert error_type(valid(smart_home.handle(request(TURN_ON, token, "lamp")))) == (
        "NO_SUCH_ENDPOINT"
    )


# --- isolation ---------------------------------------------------------------------------


def test_a_token_of_home_a_never_reaches_home_b(smart_home, homes, cognito, valid):
    alice, bob = cognito.token(ALICE), cognito.token(BOB)
    assert set(endpoints(valid(smart_home.handle(request(DISCOVER, alice))))) == {
        "lamp",
        "fan",
        "heater",
        "fridge",
    }
    assert set(endpoints(valid(smart_home.handle(request(DISCOVER, bob))))) == {"lamp", "kettle"}

    valid(smart_home.handle(request(TURN_ON, alice, endpoint="lamp")))
    assert homes[HOME_A].read("lamp").is_confirmed(True)
    assert homes[HOME_B].read("lamp").is_confirmed(False)  # B's lamp untouched

    assert power(valid(smart_home.handle(request(REPORT_STATE, alice, "lamp")))) == "ON"
    assert power(valid(smart_home.handle(request(REPORT_STATE, bob, "lamp")))) == "OFF"

    # B's other devices don't exist for A, whatever A asks.
    for name in (TURN_ON, REPORT_STATE):
        assert error_type(valid(smart_home.handle(request(name, alice, "kettle")))) == (
            "NO_SUCH_ENDPOINT"
        )
    assert homes[HOME_B].read("kettle").on is False


# --- malformed ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "event",
    [
        {},
        {"directive": None},
        {"directive": {"header": "x"}},
        {"directive": {"header": {"namespace": "Alexa.PowerController", "name": 3}}},
        {
            "directive": {
                "header": {
                    "namespace": "Alexa.PowerController",
                    "name": "TurnOn",
                    "payloadVersion": "2",
                    "messageId": "x",
                }
            }
        },
        {
            "directive": {
                "header": {
                    "namespace": "Alexa.ColorController",
                    "name": "SetColor",
                    "payloadVersion": "3",
                    "messageId": "x",
                },
                "payload": {},
            }
        },
        [],
        "directive",
    ],
)
def test_malformed_or_unsupported_directives_get_an_error_alexa_reads(smart_home, valid, event):
    assert error_type(valid(smart_home.handle(event))) == "INVALID_DIRECTIVE"
