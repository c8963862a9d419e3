"""The Lambda entry answers the same envelopes as the endpoint, and never needs Flask."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import skill.lambda_function as lambda_module
from tests import alexa


@pytest.fixture
def lambda_handler(monkeypatch, tmp_path, clock):
    monkeypatch.setenv("VOICE_DEMO_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("VOICE_DEMO_STORE", "sqlite")
    monkeypatch.delenv("VOICE_DEMO_SKILL_ID", raising=False)
    monkeypatch.setattr(lambda_module, "_runtime", None)
    monkeypatch.setattr("skill.services.utc_now", clock)
    yield lambda_module.lambda_handler
    lambda_module._runtime = None


@pytest.mark.parametrize(
    "envelope",
    [
        alexa.launch(),
        alexa.intent("AMAZON.HelpIntent"),
        alexa.intent("AMAZON.StopIntent"),
        alexa.intent("AMAZON.FallbackIntent"),
        alexa.session_ended(),
    ],
    ids=["launch", "help", "stop", "fallback", "session-ended"],
)
def test_lambda_and_endpoint_give_the_same_answer(lambda_handler, post, envelope):
    from_lambda = lambda_handler(json.loads(json.dumps(envelope)), None)
    from_endpoint = post(envelope)
    assert from_lambda["response"] == from_endpoint["response"]
    assert from_lambda.get("sessionAttributes") == from_endpoint.get("sessionAttributes")


def test_lambda_refuses_another_skills_request(lambda_handler, monkeypatch):
    monkeypatch.setenv("VOICE_DEMO_SKILL_ID", alexa.SKILL_ID)
    ours = lambda_handler(alexa.launch(), None)
    assert "Welcome" in alexa.speech_text(ours)
    theirs = lambda_handler(alexa.launch(skill_id="amzn1.ask.skill.other"), None)
    assert "couldn't read that request" in alexa.speech_text(theirs)
    assert alexa.ends_session(theirs)


@pytest.mark.parametrize("event", [{}, [], "x", {"request": {"type": 3}}, None])
def test_lambda_answers_malformed_events_without_raising(lambda_handler, event):
    response = lambda_handler(event, None)
    assert alexa.ends_session(response)
    alexa.speech_text(response)  # valid SSML


def test_lambda_module_imports_nothing_from_flask():
    code = (
        "import sys, skill.lambda_function;"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "{'flask', 'werkzeug', 'flask_ask_sdk', 'ask_sdk_webservice_support'}];"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
