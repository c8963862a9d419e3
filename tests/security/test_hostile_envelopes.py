"""Hostile envelopes get a 400 (or Lambda's spoken refusal) before anything else, never a 500.

Covers what an attack found: JSON nested 1,000+ deep, UTF-16/UTF-32 bodies, `__dict__`
keys the SDK's deserializer writes onto its objects, deeply nested session attributes,
and timestamps a lenient parser accepts (an offset of 25 hours, a time without a date).
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from cryptography.x509.verification import Store

import skill.lambda_function as lambda_module
from skill.web import create_app
from skill.web.verify import SignatureVerifier
from tests import alexa
from tests.ca import TestCA, body_bytes
from tests.conftest import FIXED_NOW


def nested(depth: int, leaf: object = 1) -> object:
    value = leaf
    for _ in range(depth):
        value = {"a": value}
    return value


def with_attributes(attributes: dict) -> dict:
    body = alexa.intent("AMAZON.HelpIntent")
    body["session"]["attributes"] = attributes
    return body


def hostile_bodies() -> dict[str, bytes]:
    launch = json.dumps(alexa.launch())
    system_dunder = alexa.launch()
    system_dunder["context"]["System"]["__dict__"] = {"x": 1}
    session_dunder = alexa.launch()
    session_dunder["session"]["__dict__"] = 1
    return {
        "utf-16": launch.encode("utf-16"),
        "utf-16-le": launch.encode("utf-16-le"),
        "utf-32": launch.encode("utf-32"),
        "utf-32-be": launch.encode("utf-32-be"),
        "utf-8 with BOM": launch.encode("utf-8-sig"),
        "latin-1": launch.replace("en-GB", "en-GB\u00e9").encode("latin-1"),
        "arrays 1,200 deep": b"[" * 1200 + b"]" * 1200,
        "objects 5,000 deep": b'{"a":' * 5000 + b"1" + b"}" * 5000,
        "session attributes 900 deep": json.dumps(with_attributes({"x": nested(900)})).encode(),
        "session attributes 100 deep": json.dumps(with_attributes({"x": nested(100)})).encode(),
        "__dict__ in context.System": json.dumps(system_dunder).encode(),
        "__dict__ in session": json.dumps(session_dunder).encode(),
        "__class__ in attributes": json.dumps(with_attributes({"__class__": "x"})).encode(),
    }


HOSTILE = hostile_bodies()


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_bodies_are_refused_with_400(client, name):
    response = client.post("/alexa", data=HOSTILE[name], content_type="application/json")
    assert response.status_code == 400, response.get_data(as_text=True)[:200]
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_bodies_are_refused_before_the_signature_check(settings, services, name):
    client = create_app(settings.with_(verify=True), services).test_client()
    headers = {"SignatureCertChainUrl": "https://s3.amazonaws.com/echo.api/x.pem"}
    response = client.post(
        "/alexa", data=HOSTILE[name], headers=headers, content_type="application/json"
    )
    assert response.status_code == 400


@pytest.fixture
def lambda_handler(monkeypatch, tmp_path):
    monkeypatch.setenv("VOICE_DEMO_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("VOICE_DEMO_STORE", "sqlite")
    monkeypatch.setattr(lambda_module, "_runtime", None)
    yield lambda_module.lambda_handler
    lambda_module._runtime = None


@pytest.mark.parametrize("name", [n for n in HOSTILE if n.startswith(("session", "__"))])
def test_lambda_refuses_hostile_events_without_raising(lambda_handler, name):
    answer = lambda_handler(json.loads(HOSTILE[name]), None)
    assert answer["response"]["shouldEndSession"] is True
    assert "couldn't read that request" in answer["response"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize(
    "event", [None, [], "text", 12, {"request": None}, {1: 2}, {"__dict__": {}}]
)
def test_lambda_answers_any_event_shape(lambda_handler, event):
    assert "outputSpeech" in lambda_handler(event, None)["response"]


@pytest.mark.parametrize(
    "timestamp",
    [
        "2026-05-19T09:40:00+25:00",
        "2026-05-19T09:40:00-24:00",
        "09:40:00",
        "09:40",
        "2026-05-19",
        "2026-05-19 09:40:00Z",
        "2026-02-30T09:40:00Z",
        "2026-05-19T25:40:00Z",
        "tomorrow",
    ],
)
def test_malformed_timestamps_are_refused_with_400(client, timestamp):
    response = client.post("/alexa", json=alexa.launch(timestamp=timestamp))
    assert response.status_code == 400, response.get_data(as_text=True)[:200]


@pytest.mark.parametrize(
    "timestamp",
    ["2026-05-19T09:40:00Z", "2026-05-19T09:40:00.123Z", "2026-05-19T10:40:00+01:00"],
)
def test_timestamps_as_alexa_sends_them_are_accepted(client, timestamp):
    assert client.post("/alexa", json=alexa.launch(timestamp=timestamp)).status_code == 200


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA()


@pytest.fixture(scope="module")
def leaf(ca):
    return ca.leaf()


@pytest.fixture
def signed_client(settings, services, ca, leaf):
    verifier = SignatureVerifier(
        fetch=lambda url: leaf.pem_chain, trust=Store([ca.cert]), clock=services.clock
    )
    app = create_app(settings.with_(verify=True), services, signature_verifier=verifier)
    client = app.test_client()

    def post(envelope: dict):
        body = body_bytes(envelope)
        headers = {
            "SignatureCertChainUrl": "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
            "Signature-256": leaf.sign(body),
        }
        return client.post("/alexa", data=body, headers=headers, content_type="application/json")

    return post


def ago(minutes: int) -> str:
    return (FIXED_NOW - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_an_object_type_key_does_not_stretch_the_tolerance(signed_client):
    envelope = alexa.launch(timestamp=ago(10))
    envelope["request"]["object_type"] = "AlexaSkillEvent.SkillEnabled"
    assert signed_client(envelope).status_code == 400
    assert signed_client(alexa.launch(timestamp=ago(1))).status_code == 200


def test_a_type_merely_starting_like_a_skill_event_gets_150_seconds(signed_client):
    envelope = alexa.launch(timestamp=ago(10))
    envelope["request"]["type"] = "AlexaSkillEvent.Anything"
    assert signed_client(envelope).status_code == 400


def test_signed_malformed_offsets_are_400_not_500(signed_client):
    assert signed_client(alexa.launch(timestamp="2026-05-19T09:40:00+25:00")).status_code == 400
    assert signed_client(alexa.launch(timestamp="09:40:00")).status_code == 400
