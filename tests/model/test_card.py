"""The printable "things you can say" card: real phrases, real names, big type."""

from datetime import date

import pytest

from skill.cli import main
from skill.model import LOCALES, load
from skill.model.card import GROUPS, SAYABLE, build_card, markdown, render_html, sayable
from skill.simulator.matcher import Matcher


@pytest.mark.parametrize("locale", LOCALES)
def test_every_example_on_the_card_is_understood_as_its_group_intends(locale):
    """The card never promises a phrase the skill doesn't know."""
    model = load(locale)
    card = build_card(model)
    matcher = Matcher(model)
    for (heading, wanted), (shown, examples) in zip(GROUPS, card.groups, strict=True):
        assert heading == shown
        intents = {intent for intent, _ in wanted}
        for example in examples:
            found = matcher.match(example, date(2026, 5, 19))
            assert found is not None and found.intent in intents, example
            assert all(s.static or not s.custom for s in found.slots.values()), example


def test_card_names_the_registry_devices_and_the_invocation():
    card = build_card(load("en-GB"))
    assert card.devices == ["lamp", "fan", "heater", "fridge"]
    assert [g for g, _ in card.groups] == ["Lights and plugs", "What's on", "Help"]
    assert card.one_shot == "Alexa, ask learning week demo to turn on the lamp"
    text = markdown(card)
    assert "“Alexa, open learning week demo”" in text
    assert "- “what's on Wednesday afternoon”" in text
    assert "Your devices: lamp, fan, heater, fridge." in text


def test_html_card_is_big_print_and_escapes_names(tmp_path):
    model = load("en-GB")
    fake = build_card(model)
    fake.devices.append("<b>Tom & Jerry's</b> lamp")
    page = render_html(fake)
    assert "font-size: 18pt" in page and "@page { size: A4;" in page and "@media print" in page
    assert "&lt;b&gt;Tom &amp; Jerry&#x27;s&lt;/b&gt; lamp" in page
    assert "<b>Tom" not in page


def test_cli_card_writes_html_or_markdown(tmp_path, capsys):
    out = tmp_path / "card.html"
    assert main(["model", "card", "--out", str(out)]) == 0
    assert out.read_text().startswith("<!doctype html>")
    capsys.readouterr()
    assert main(["model", "card", "--locale", "en-US"]) == 0
    assert capsys.readouterr().out.startswith("# Things you can say")
    md = tmp_path / "card.md"
    assert main(["model", "card", "--out", str(md)]) == 0
    assert md.read_text().startswith("# Things you can say")


def test_the_card_names_the_sessions_it_is_given_shortest_first():
    live = ["Knitting for beginners and improvers", "Pottery", "Mindful lunch"]
    card = build_card(load("en-GB"), live)
    (what,) = [examples for heading, examples in card.groups if heading == "What's on"]
    sessions = [e for e in what if e.startswith(("when is", "where is", "who is running"))]
    assert sessions == [
        "when is Pottery",
        "where is Mindful lunch",
        "who is running Knitting for beginners and improvers",
    ]
    assert "Quiz night" not in markdown(card)  # not the shipped model's values


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("Quiz night", "Quiz night"),
        (
            "From spreadsheet to dashboard: building clear honest Power BI reports",
            "From spreadsheet to dashboard",
        ),
        (
            "Getting more from Microsoft 365 and Teams: shared calendars and channels",
            "Getting more from Microsoft 365",
        ),
    ],
)
def test_long_titles_are_printed_as_people_would_say_them(title, said):
    assert sayable(title) == said and len(said) <= SAYABLE
