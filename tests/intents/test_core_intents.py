"""The answers every certified skill must give, through the real endpoint."""

from __future__ import annotations

import pytest

from skill.intents import core
from skill.web import create_app
from tests import alexa
from tests.alexa import ends_session, reprompt_text, speech_text


def test_launch_says_what_you_can_ask_and_waits(post):
    response = post(alexa.launch())
    assert "what's on" in speech_text(response).lower()
    assert speech_text(response).endswith("?")
    assert reprompt_text(response)
    assert not ends_session(response)


def test_help_explains_and_ends_with_a_question(post):
    response = post(alexa.intent("AMAZON.HelpIntent"))
    text = speech_text(response)
    assert "what's on now" in text and text.endswith("?")
    assert reprompt_text(response) and not ends_session(response)


@pytest.mark.parametrize("name", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stop_and_cancel_really_end(post, name):
    response = post(alexa.intent(name))
    assert speech_text(response) == "Goodbye."
    assert ends_session(response)
    assert "reprompt" not in response["response"]


def test_fallback_steers_back_and_keeps_listening(post):
    response = post(alexa.intent("AMAZON.FallbackIntent"))
    assert speech_text(response).startswith("Sorry, I didn't catch that.")
    assert reprompt_text(response) and not ends_session(response)


def test_navigate_home_returns_to_the_start(post):
    response = post(alexa.intent("AMAZON.NavigateHomeIntent"))
    assert "what's on" in speech_text(response).lower() and not ends_session(response)


def test_repeat_replays_the_last_answer(post):
    conversation = alexa.Conversation(post)
    help_text = conversation.ask("AMAZON.HelpIntent")
    assert conversation.ask("AMAZON.RepeatIntent") == help_text
    assert conversation.ask("AMAZON.RepeatIntent") == help_text  # and again


def test_repeat_before_anything_was_said_is_not_silent(post):
    text = speech_text(post(alexa.intent("AMAZON.RepeatIntent")))
    assert "haven't said anything" in text


def test_yes_with_nothing_pending_steers_back(post):
    response = post(alexa.intent("AMAZON.YesIntent"))
    assert "nothing to go on with" in speech_text(response)
    assert not ends_session(response)


def test_no_with_nothing_pending_ends_politely(post):
    response = post(alexa.intent("AMAZON.NoIntent"))
    assert ends_session(response)


def test_session_ended_gets_an_empty_response(post):
    response = post(alexa.session_ended(reason="EXCEEDED_MAX_REPROMPTS"))
    assert "outputSpeech" not in response["response"]


def test_session_ended_with_error_is_accepted(post):
    body = alexa.session_ended(reason="ERROR")
    body["request"]["error"] = {"type": "INVALID_RESPONSE", "message": "bad"}
    assert "outputSpeech" not in post(body)["response"]


def test_unknown_intent_is_treated_as_not_understood(post):
    response = post(alexa.intent("SomeIntentNobodyHandles"))
    assert speech_text(response).startswith("Sorry, I didn't catch that.")
    assert not ends_session(response)


def test_system_exception_encountered_gets_no_speech(post):
    body = alexa.envelope(
        {
            "type": "System.ExceptionEncountered",
            "error": {"type": "INVALID_RESPONSE", "message": "x"},
        }
    )
    assert "outputSpeech" not in post(body)["response"]


def test_a_failing_handler_is_logged_and_apologised_for(settings, services, monkeypatch, caplog):
    def broken(turn):
        raise RuntimeError("boom")

    monkeypatch.setitem(core.INTENTS, "AMAZON.HelpIntent", broken)
    client = create_app(settings, services).test_client()  # built after the table change
    response = client.post("/alexa", json=alexa.intent("AMAZON.HelpIntent"))
    assert response.status_code == 200
    assert "Sorry, something went wrong" in speech_text(response.get_json())
    assert "boom" in caplog.text


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'{"version": "1.0"}',
        b'{"request": {"type": 5}}',
        b'{"request": {"type": "IntentRequest"}}',
        b'{"request": {"type": "IntentRequest", "intent": {"name": "X", "slots": []}}}',
        b'{"request": {"type": "LaunchRequest"}, "session": {"attributes": [1]}}',
        b"\xff\xfe\x00",
        b'{"request": {"type": "LaunchRequest", "timestamp": "soon"}, "context": {"System": {}}}',
        b'{"request": {"type": "LaunchRequest"}, "context": null}',
    ],
)
def test_malformed_requests_are_refused_with_400(client, body):
    response = client.post("/alexa", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)


def test_get_on_the_skill_endpoint_is_not_allowed(client):
    assert client.get("/alexa").status_code == 405


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"
