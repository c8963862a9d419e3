"""The trial log's words: one table turns stored codes into what an OT reads."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from skill.triallog import OUTCOMES, report
from skill.triallog.wording import OUTCOME_WORDS, REQUEST_WORDS, what_happened

MODEL = Path(__file__).resolve().parents[2] / "interaction_model" / "en-GB.json"
CODE_LIKE = re.compile(r"[a-z][A-Z]|_|AMAZON|Intent|Request")


@pytest.mark.parametrize(
    ("intent", "device", "outcome", "words"),
    [
        ("WhatsOnNowIntent", None, "info", "Asked what's on now"),
        ("AMAZON.FallbackIntent", None, "not_understood", "Not understood"),
        ("TurnOnIntent", None, "not_understood", "Not understood"),  # no such device
        ("TurnOnIntent", "lamp", "done", "Turned on the lamp"),
        ("TurnOffIntent", "reading-lamp", "done", "Turned off the reading lamp"),
        # "Shall I turn on the heater?" is not the heater turning on
        ("TurnOnIntent", "heater", "info", "Asked to turn on the heater"),
        (
            "TurnOnIntent",
            "kettle",
            "unreachable",
            "Asked to turn on the kettle: device did not answer",
        ),
        (
            "TurnOffIntent",
            "fridge",
            "refused",
            "Asked to turn off the fridge: not allowed by voice",
        ),
        ("AllOffIntent", None, "done", "Turned everything off"),
        ("LaunchRequest", None, "info", "Opened the skill"),
        ("Other", None, "info", "Asked something else"),
        ("SetReminderIntent", None, "info", "Asked: set reminder"),  # newer than the table
    ],
)
def test_what_happened_reads_as_plain_words(intent, device, outcome, words):
    assert what_happened(intent, device, outcome) == words


def test_every_outcome_has_words_and_none_is_a_code():
    assert set(OUTCOME_WORDS) == set(OUTCOMES)
    assert OUTCOME_WORDS["not_understood"] == "Not understood"
    assert not [w for w in OUTCOME_WORDS.values() if CODE_LIKE.search(w)]


def test_no_intent_of_the_model_reads_as_a_code():
    model = json.loads(MODEL.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
    names = [i["name"] for i in model["intents"]] + ["LaunchRequest", "SessionEndedRequest"]
    for outcome in OUTCOMES:
        shown = {n: what_happened(n, "lamp", outcome) for n in names}
        assert not {n: w for n, w in shown.items() if CODE_LIKE.search(w)}
    # the skill's own intents have hand-written words, not the fallback
    assert {"TurnOnIntent", "WhatsOnNowIntent", "AMAZON.HelpIntent"} <= set(REQUEST_WORDS)


def day(d: int, **counts: int) -> report.Day:
    found = report.Day(date(2026, 11, d))
    found.counts.update(counts)
    return found


def test_empty_days_fold_into_one_row_each_run():
    days = [day(2, done=1)] + [day(d) for d in range(3, 18)] + [day(18, info=2), day(19)]
    rows = report.fold(days)
    assert len(rows) == 4
    assert rows[0] == days[0] and rows[2] == days[16]
    assert isinstance(rows[1], report.Gap) and rows[1].days == 15
    assert rows[1].words == "No use from 3 to 17 November 2026"
    assert rows[3].words == "No use on 19 November 2026"


def test_a_gap_over_a_month_or_a_year_names_both_ends():
    assert report.Gap(date(2026, 10, 30), date(2026, 11, 2)).words == (
        "No use from 30 October to 2 November 2026"
    )
    assert report.Gap(date(2026, 12, 30), date(2027, 1, 2)).words == (
        "No use from 30 December 2026 to 2 January 2027"
    )


def test_days_with_use_are_never_folded():
    days = [day(1, done=1), day(2, refused=1), day(3, info=1)]
    assert report.fold(days) == days
    assert report.fold([]) == []


def test_people_are_named_by_label_then_home_then_a_short_code():
    from zoneinfo import ZoneInfo

    names = report.Names(
        ZoneInfo("Europe/London"),
        homes={"home-a": "Trial home A"},
        people={("home-a", "4ba7988d75f9f6c3"): "Mrs B"},
    )
    assert names.person("4ba7988d75f9f6c3", "home-a") == "Mrs B"
    assert names.person("0123456789abcdef", "home-a") == "Trial home A (person 0123)"
    assert names.person("0123456789abcdef", "") == "Person 0123"  # from before homes
    # a label is the OT's for that home only
    assert names.person("4ba7988d75f9f6c3", "home-b") == "Person 4ba7"
