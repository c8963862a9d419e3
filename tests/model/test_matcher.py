"""The simulator's matcher: samples as regexes, slot values resolved, most specific wins."""

from datetime import date

import pytest

from skill.model import LOCALES, Entity, InteractionModel, load
from skill.model.check import example_sentence
from skill.simulator.matcher import Matcher, normalise

TODAY = date(2026, 5, 19)


def tiny_model(**types) -> InteractionModel:
    """A hand-made model, so each behaviour is tested without the shipped samples moving."""
    intents = [
        {
            "name": "TurnOnIntent",
            "slots": [{"name": "device", "type": "DEVICE"}],
            "samples": ["turn on the {device}", "turn on {device}"],
        },
        {"name": "AllOnIntent", "samples": ["turn on everything"]},
        {
            "name": "WhenIntent",
            "slots": [{"name": "session", "type": "SESSION"}],
            "samples": ["when is {session}", "when is the {session} session"],
        },
        {
            "name": "OnIntent",
            "slots": [
                {"name": "date", "type": "AMAZON.DATE"},
                {"name": "time", "type": "AMAZON.TIME"},
            ],
            "samples": ["what's on {date}", "what's on {date} {time}"],
        },
        {"name": "AMAZON.StopIntent", "samples": []},
    ]
    default = {
        "DEVICE": [Entity("lamp", "lamp", ("light", "bedside lamp")), Entity("fan", "fan")],
        "SESSION": [Entity("3d-printing", "3D printing", ("three d printing",))],
    }
    default.update(types)
    data = {
        "interactionModel": {
            "languageModel": {
                "invocationName": "learning week demo",
                "intents": intents,
                "types": [
                    {"name": k, "values": [e.to_json() for e in v]} for k, v in default.items()
                ],
            }
        }
    }
    return InteractionModel(data, "en-GB")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("What’s on?", "what is on"),
        ("whats on", "what is on"),
        ("Turn ON the Lamp, please!", "turn on the lamp please"),
        ("half-past two", "half past two"),
        ("2PM", "2 pm"),
        ("at 2:30 p.m.", "at 2:30 pm"),
        ("3D printing", "3d printing"),
        ("I'd like   the lamp on", "i would like the lamp on"),
    ],
)
def test_normalise(raw, clean):
    assert normalise(raw) == clean


def test_custom_slot_resolves_synonyms_to_ids():
    match = Matcher(tiny_model()).match("Turn on the bedside lamp", TODAY)
    assert match.intent == "TurnOnIntent"
    slot = match.slots["device"]
    assert slot.said == "bedside lamp"
    assert [e.id for e in slot.static] == ["lamp"]


def test_unlisted_words_still_fill_a_custom_slot_unresolved():
    match = Matcher(tiny_model()).match("when is the knitting session", TODAY)
    assert match.intent == "WhenIntent"
    assert match.slots["session"].said == "knitting"
    assert match.slots["session"].static == ()


def test_most_specific_sample_wins_over_a_wildcard():
    """ "turn on everything" is a literal sample; "turn on {device}" would take "everything"."""
    assert Matcher(tiny_model()).match("turn on everything", TODAY).intent == "AllOnIntent"


def test_a_known_value_beats_a_wildcard_reading():
    match = Matcher(tiny_model()).match("when is the 3D printing session", TODAY)
    assert match.slots["session"].said == "3d printing"
    assert [e.id for e in match.slots["session"].static] == ["3d-printing"]


def test_built_in_types_resolve_dates_and_times():
    match = Matcher(tiny_model()).match("what's on Wednesday afternoon", TODAY)
    assert match.intent == "OnIntent"
    assert match.slots["date"].value == "2026-05-20"
    assert match.slots["time"].value == "AF"


def test_built_in_intents_understand_their_own_phrases():
    assert Matcher(tiny_model()).match("Stop!", TODAY).intent == "AMAZON.StopIntent"


def test_nothing_matches_gibberish():
    assert Matcher(tiny_model()).match("purple monkey dishwasher", TODAY) is None


def test_dynamic_entities_resolve_alongside_static_ones():
    dynamic = {"SESSION": (Entity("knitting", "Knitting for beginners", ("knitting",)),)}
    match = Matcher(tiny_model(), dynamic).match("when is knitting", TODAY)
    assert [e.id for e in match.slots["session"].dynamic] == ["knitting"]
    assert match.slots["session"].static == ()


def test_two_entities_sharing_a_synonym_are_both_returned():
    model = tiny_model(DEVICE=[Entity("a", "lamp"), Entity("b", "light", ("lamp",))])
    match = Matcher(model).match("turn on the lamp", TODAY)
    assert [e.id for e in match.slots["device"].static] == ["a", "b"]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_shipped_sample_reaches_its_own_intent(locale):
    """Said with real slot values, each of the model's own samples is understood as itself."""
    model = load(locale)
    matcher = Matcher(model)
    missed = []
    for intent, sample in model.samples():
        said = example_sentence(model, intent, sample)
        found = matcher.match(said, TODAY)
        if found is None or found.intent != intent:
            missed.append((said, intent, found and found.intent))
    assert missed == []


@pytest.mark.parametrize(
    ("said", "intent", "slots"),
    [
        ("turn on the lamp", "TurnOnIntent", {"device": "lamp"}),
        ("switch the desk fan off", "TurnOffIntent", {"device": "fan"}),
        ("turn it off", "TurnOffIntent", {}),
        ("is the light on", "DeviceStateIntent", {"device": "lamp"}),
        ("turn everything off", "AllOffIntent", {}),
        ("which devices are on", "WhichDevicesOnIntent", {}),
        ("what's on now", "WhatsOnNowIntent", {}),
        ("what's next", "WhatsNextIntent", {}),
        ("what's on on Wednesday afternoon", "WhatsOnIntent", {"date": "2026-05-20", "time": "AF"}),
        ("what is on tomorrow", "WhatsOnIntent", {"date": "2026-05-20"}),
        ("what's on in learning week", "WhatsOnIntent", {}),
        ("when is 3D printing", "SessionTimeIntent", {"session": "3d-printing"}),
        ("when's three d printing", "SessionTimeIntent", {"session": "3d-printing"}),
        ("tell me about the LinkedIn session", "SessionDetailsIntent",
         {"session": "linkedin-profile"}),
        ("where is the coding session", "SessionRoomIntent", {"session": "learn-to-code"}),
        ("who is running service design", "SessionPresenterIntent", {"session": "service-design"}),
        ("speak slower", "SpeakSlowerIntent", {}),
        ("more", "AMAZON.MoreIntent", {}),
        ("say that again", "AMAZON.RepeatIntent", {}),
        # Issue 19: an alias inside a phrase, a month, bare answers, "now".
        ("where are the robots", "SessionRoomIntent", {"session": "robots"}),
        ("what's on in may", "WhatsOnIntent", {"date": "2026-05"}),
        ("what's on right now", "WhatsOnNowIntent", {}),
        ("the fan", "AnswerIntent", {"device": "fan"}),
        ("tomorrow afternoon", "AnswerIntent", {"date": "2026-05-20", "time": "AF"}),
        ("this afternoon", "WhatsOnIntent", {"time": "AF"}),
        ("the coding session", "AnswerIntent", {"session": "learn-to-code"}),
    ],
)  # fmt: skip
def test_shipped_model_understands_the_agreed_phrases(said, intent, slots):
    """The phrases in docs/interaction-model.md, with the ids the handlers look up."""
    found = Matcher(load("en-GB")).match(said, TODAY)
    assert found is not None and found.intent == intent
    got = {name: (v.static[0].id if v.static else v.value) for name, v in found.slots.items()}
    assert got == slots


def test_unknown_words_alone_are_not_a_bare_answer():
    """Slot-only samples would otherwise swallow everything; Alexa sends Fallback."""
    matcher = Matcher(load("en-GB"))
    assert matcher.match("sing me a song", TODAY) is None
    assert matcher.match("the weather in paris", TODAY) is None
    found = matcher.match("when is the pottery class", TODAY)
    assert found is not None and found.intent == "SessionTimeIntent"
