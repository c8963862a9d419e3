"""Random and malformed envelopes: always a 400 or a valid response, never a 500 or a raise."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import skill.lambda_function as lambda_module
from tests import alexa

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63),
    st.floats(allow_nan=False),
    st.text(max_size=30),
)
json_value = st.recursive(
    json_leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
INTENT_NAMES = st.sampled_from(
    [
        "AMAZON.HelpIntent",
        "AMAZON.StopIntent",
        "AMAZON.RepeatIntent",
        "AMAZON.YesIntent",
        "AMAZON.MoreIntent",
        "AMAZON.NoIntent",
        "AMAZON.FallbackIntent",
        "TurnOnIntent",
        "TurnOffIntent",
        "DeviceStateIntent",
        "WhatsOnIntent",
        "WhatsOnNowIntent",
        "SessionTimeIntent",
        "SessionDetailsIntent",
        "AllOffIntent",
        "SpeakSlowerIntent",
        "NoSuchIntent",
    ]
)
SLOT_NAMES = st.sampled_from(["device", "session", "date", "time", "x"])


@st.composite
def plausible_envelopes(draw):
    """Real envelope shapes with odd values: what a buggy or hostile client might send."""
    kind = draw(st.sampled_from(["launch", "intent", "ended"]))
    if kind == "launch":
        body = alexa.launch()
    elif kind == "ended":
        body = alexa.session_ended(reason=draw(st.text(max_size=20)))
    else:
        slots = draw(st.dictionaries(SLOT_NAMES, st.text(max_size=40), max_size=3))
        body = alexa.intent(draw(INTENT_NAMES), slots)
    body["session"]["attributes"] = draw(
        st.dictionaries(
            st.sampled_from(["pending", "last", "last_device", "x"]), json_value, max_size=3
        )
    )
    return body


@st.composite
def mutated_envelopes(draw):
    """A valid envelope with one subtree replaced by random JSON."""
    body = copy.deepcopy(draw(plausible_envelopes()))
    paths = []

    def walk(node, path):
        paths.append(path)
        if isinstance(node, dict):
            for key, child in node.items():
                walk(child, [*path, key])

    walk(body, [])
    path = draw(st.sampled_from(paths[1:]))
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = draw(json_value)
    return body


HOSTILE_KEYS = st.sampled_from(
    [
        "__dict__",
        "__class__",
        "__init__",
        "__proto__",
        "__getattr__",
        "object_type",
        "deserialized_types",
        "attribute_map",
        "to_dict",
        "discriminator_value_class_map",
        "",
    ]
)


def _dict_paths(body):
    """Every dict's path, walked without recursion: a body may already hold JSON nested 1,500
    deep, and a recursive walk would fail or not depending on the caller's stack depth (which
    Hypothesis reports as inconsistent data generation)."""
    paths, todo = [], [(body, [])]
    while todo:
        node, path = todo.pop()
        if isinstance(node, dict):
            paths.append(path)
            todo.extend((child, [*path, key]) for key, child in reversed(node.items()))
    return paths


def _at(body, path):
    for key in path:
        body = body[key]
    return body


@st.composite
def hostile_envelopes(draw):
    """Plausible envelopes with what an attacker adds: SDK-internal or dunder keys anywhere,
    JSON nested up to 1,500 deep at any point, and hostile session attributes."""
    body = copy.deepcopy(draw(plausible_envelopes()))
    for _ in range(draw(st.integers(1, 3))):
        target = _at(body, draw(st.sampled_from(_dict_paths(body))))
        kind = draw(st.sampled_from(["key", "deep", "attributes"]))
        if kind == "key":
            target[draw(HOSTILE_KEYS)] = draw(json_value)
        elif kind == "deep":
            value = draw(json_value)
            depth = draw(st.sampled_from([2, 30, 63, 64, 65, 200, 999, 1500]))
            key = draw(HOSTILE_KEYS | st.text(max_size=3))
            as_list = draw(st.booleans())
            for _ in range(depth):  # built, not drawn level by level: drawing is the slow part
                value = [value] if as_list else {key: value}
            target[draw(st.text(max_size=8))] = value
        else:
            body["session"]["attributes"] = draw(
                st.dictionaries(HOSTILE_KEYS | st.sampled_from(["pending", "last"]), json_value)
            )
    return body


ENCODINGS = st.sampled_from(
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "latin-1"]
)


def assert_valid_response(payload):
    assert payload["version"] == "1.0"
    response = payload["response"]
    for key in ("outputSpeech",):
        if key in response:
            ET.fromstring(response[key]["ssml"])  # valid XML
    if "reprompt" in response:
        ET.fromstring(response["reprompt"]["outputSpeech"]["ssml"])


FAST = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HOSTILE = settings(FAST, max_examples=80)


@FAST
@given(body=st.one_of(plausible_envelopes(), mutated_envelopes(), json_value))
def test_endpoint_never_fails_on_odd_envelopes(client, body):
    response = client.post("/alexa", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    if response.status_code == 200:
        assert_valid_response(response.get_json())


@HOSTILE
@given(body=hostile_envelopes())
def test_endpoint_never_fails_on_hostile_envelopes(client, body):
    response = client.post("/alexa", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    if response.status_code == 200:
        assert_valid_response(response.get_json())


@HOSTILE
@given(body=st.one_of(plausible_envelopes(), hostile_envelopes()), encoding=ENCODINGS)
def test_endpoint_never_fails_on_any_text_encoding(client, body, encoding):
    raw = json.dumps(body, ensure_ascii=False).encode(encoding, errors="replace")
    response = client.post("/alexa", data=raw, content_type="application/json")
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    if encoding not in ("utf-8", "latin-1"):
        assert response.status_code == 400  # the SDK reads UTF-8 only: refused, not guessed


@FAST
@given(raw=st.binary(max_size=200))
def test_endpoint_never_fails_on_random_bytes(client, raw):
    response = client.post("/alexa", data=raw, content_type="application/json")
    assert response.status_code in (200, 400)


@pytest.fixture
def lambda_handler(monkeypatch, tmp_path):
    monkeypatch.setenv("VOICE_DEMO_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("VOICE_DEMO_STORE", "sqlite")
    monkeypatch.setattr(lambda_module, "_runtime", None)
    yield lambda_module.lambda_handler
    lambda_module._runtime = None


@FAST
@given(event=st.one_of(plausible_envelopes(), mutated_envelopes(), json_value))
def test_lambda_never_raises_on_odd_events(lambda_handler, event):
    assert_valid_response(lambda_handler(event, None))


@HOSTILE
@given(event=hostile_envelopes())
def test_lambda_never_raises_on_hostile_events(lambda_handler, event):
    assert_valid_response(lambda_handler(event, None))
