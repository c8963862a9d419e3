import xml.etree.ElementTree as ET

import pytest

from skill import speech


def parse(markup: str) -> str:
    return "".join(ET.fromstring(markup).itertext())


def test_admin_text_is_escaped_and_stays_valid_xml():
    title = 'Tea & <cake> "quiz"'
    markup = speech.speak(speech.ssml("Next is {}.", title))
    assert parse(markup) == 'Next is Tea & <cake> "quiz".'


def test_characters_xml_cannot_hold_are_dropped():
    """A slot value or admin text with control codes must not break the whole answer."""
    markup = speech.speak(speech.ssml("No session called {}.", "kn\x1bit\x00ting\ud800"))
    assert parse(markup) == "No session called knitting."


def test_trusted_markup_is_not_escaped_twice():
    part = speech.ssml("The {} is on.", "lamp")
    assert speech.sentences(part, "Anything else?") == "The lamp is on. Anything else?"
    assert "&amp;amp;" not in speech.sentences(speech.escape("a & b"))


def test_concatenation_escapes_plain_strings():
    combined = speech.SSML("<p>") + "x < y"
    assert combined == "<p>x &lt; y"


@pytest.mark.parametrize(
    ("items", "spoken"),
    [
        ([], ""),
        (["the lamp"], "the lamp"),
        (["the lamp", "the fan"], "the lamp and the fan"),
        (["the lamp", "the fan", "the radio"], "the lamp, the fan and the radio"),
    ],
)
def test_lists_are_joined_naturally(items, spoken):
    assert speech.join(items) == spoken


def test_or_lists():
    assert speech.join(["the lamp", "the fan"], "or") == "the lamp or the fan"


def test_slower_rate_wraps_the_whole_answer():
    markup = speech.speak("Hello & welcome", rate=speech.SLOW_RATE)
    root = ET.fromstring(markup)
    assert root[0].tag == "prosody" and root[0].get("rate") == "85%"
    assert parse(markup) == "Hello & welcome"


@pytest.mark.parametrize("rate", ["5%", "300%", "slowish", '85%"><audio src="x"/>'])
def test_rates_alexa_would_reject_are_refused(rate):
    with pytest.raises(ValueError):
        speech.with_rate("hi", rate)


def test_plain_text_reads_like_speech():
    assert speech.plain_text(
        '<speak>The lamp &amp; fan <break time="300ms"/> are on .</speak>'
    ) == ("The lamp & fan are on.")
