""" "Speak more slowly" sticks for that person, in later sessions and after a restart, only."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from skill.services import build_services
from skill.speech import SLOW_RATE
from tests import alexa

OTHER = "amzn1.ask.account.SOMEONEELSE"


def rate(response) -> str | None:
    """The prosody rate wrapping the whole answer, if any."""
    root = ET.fromstring(alexa.ssml(response))
    children = list(root)
    if len(children) == 1 and children[0].tag == "prosody" and not (root.text or "").strip():
        return children[0].get("rate")
    return None


def test_slower_applies_at_once_and_in_the_next_session_for_that_user_only(post):
    reply = post(alexa.intent("SpeakSlowerIntent", new=False))
    assert "more slowly" in alexa.speech_text(reply)
    assert rate(reply) == SLOW_RATE
    assert not alexa.ends_session(reply)  # asked inside a session: it carries on
    assert rate(post(alexa.launch())) == SLOW_RATE  # a new session, same person
    assert rate(post(alexa.intent("AMAZON.HelpIntent"))) == SLOW_RATE
    assert rate(post(alexa.launch(user_id=OTHER))) is None


def test_the_reprompt_is_slower_too(post):
    post(alexa.intent("SpeakSlowerIntent", new=True))
    reprompt = post(alexa.launch())["response"]["reprompt"]["outputSpeech"]["ssml"]
    assert f'<prosody rate="{SLOW_RATE}">' in reprompt


def test_one_shot_request_ends_the_session(post):
    reply = post(alexa.intent("SpeakSlowerIntent", new=True))
    assert alexa.ends_session(reply)


def test_speak_normally_undoes_it(post):
    post(alexa.intent("SpeakSlowerIntent", new=True))
    reply = post(alexa.intent("SpeakNormallyIntent", new=True))
    assert "normal speed" in alexa.speech_text(reply)
    assert rate(reply) is None
    assert rate(post(alexa.launch())) is None


def test_asking_twice_says_so(post):
    post(alexa.intent("SpeakSlowerIntent"))
    assert "already" in alexa.speech_text(post(alexa.intent("SpeakSlowerIntent")))
    assert "already" in alexa.speech_text(post(alexa.intent("SpeakNormallyIntent", user_id=OTHER)))


def test_the_rate_survives_a_restart(settings, clock):
    from skill.web import create_app

    def client():
        app = create_app(settings, build_services(settings, clock=clock))
        return app.test_client()

    client().post("/alexa", json=alexa.intent("SpeakSlowerIntent"))
    assert rate(client().post("/alexa", json=alexa.launch()).get_json()) == SLOW_RATE


def test_a_store_that_cannot_write_says_so(services, post, mocker):
    mocker.patch.object(services.state, "put", side_effect=OSError("read-only"))
    reply = post(alexa.intent("SpeakSlowerIntent"))
    assert "couldn't save" in alexa.speech_text(reply)
    assert rate(reply) is None


@pytest.mark.parametrize("intent", ["SpeakSlowerIntent", "SpeakNormallyIntent"])
def test_answers_are_well_formed_ssml(post, intent):
    alexa.speech_text(post(alexa.intent(intent)))
