"""`voice-demo model check`: passes on the shipped models, fails loudly on broken ones."""

import json
import shutil
from pathlib import Path

import pytest

from skill.alexa.builder import handled_intents
from skill.cli import main
from skill.model import LOCALES, MODEL_DIR, load
from skill.model.check import check_files, invocation_problems
from skill.settings import Settings


@pytest.fixture
def models(tmp_path) -> Path:
    """A copy of the shipped models to break."""
    target = tmp_path / "interaction_model"
    shutil.copytree(MODEL_DIR, target)
    return target


def edit(folder: Path, locale: str, change) -> None:
    path = folder / f"{locale}.json"
    data = json.loads(path.read_text())
    change(data["interactionModel"]["languageModel"])
    path.write_text(json.dumps(data))


def intent(language: dict, name: str) -> dict:
    return next(i for i in language["intents"] if i["name"] == name)


def problems(folder: Path) -> list[str]:
    return check_files(folder, handled_intents(), Settings())


def test_shipped_models_pass():
    assert problems(MODEL_DIR) == []


def test_cli_check_passes_on_the_shipped_models(capsys):
    assert main(["model", "check"]) == 0
    assert "ok" in capsys.readouterr().out


def test_an_intent_without_a_handler_fails(models):
    edit(
        models,
        "en-GB",
        lambda lm: lm["intents"].append({"name": "OrderPizzaIntent", "samples": ["order a pizza"]}),
    )
    assert "en-GB: OrderPizzaIntent has no handler" in " ".join(problems(models))


def test_a_handler_without_an_intent_fails(models):
    edit(models, "en-US", lambda lm: lm["intents"].remove(intent(lm, "AMAZON.RepeatIntent")))
    found = problems(models)
    assert "en-US: the skill handles AMAZON.RepeatIntent but the model has no such intent" in found


def test_a_sample_claimed_by_two_intents_fails(models):
    edit(
        models,
        "en-GB",
        lambda lm: intent(lm, "WhatsNextIntent")["samples"].append("what is on now"),
    )
    found = problems(models)
    assert any(
        "'what is on now' is in both WhatsOnNowIntent and WhatsNextIntent" in p for p in found
    ), found


def test_a_custom_sample_shadowing_a_built_in_fails(models):
    edit(models, "en-GB", lambda lm: intent(lm, "WhatsNextIntent")["samples"].append("next"))
    assert any("'next' is in both" in p for p in problems(models))


def test_an_unknown_slot_type_fails(models):
    def typo(lm):
        intent(lm, "WhatsOnIntent")["slots"][0]["type"] = "AMAZON.DAET"

    edit(models, "en-GB", typo)
    assert "en-GB: WhatsOnIntent slot 'date' has unknown type 'AMAZON.DAET'" in problems(models)


def test_a_sample_with_an_undeclared_slot_fails(models):
    edit(
        models,
        "en-GB",
        lambda lm: intent(lm, "TurnOnIntent")["samples"].append("turn on the {thing}"),
    )
    assert any("undeclared slot {thing}" in p for p in problems(models))


def test_numerals_in_samples_fail(models):
    edit(
        models,
        "en-GB",
        lambda lm: intent(lm, "WhatsOnIntent")["samples"].append("what's on at 2 pm"),
    )
    assert any("spell numbers out" in p for p in problems(models))


def test_a_slot_only_sample_mixed_into_a_full_intent_fails(models):
    """Amazon's guidance: a bare {date} catches unrelated speech, so it has its own intent."""
    edit(models, "en-GB", lambda lm: intent(lm, "WhatsOnIntent")["samples"].append("{date}"))
    edit(models, "en-US", lambda lm: intent(lm, "TurnOnIntent")["samples"].append(
        "the {device} please"
    ))  # fmt: skip
    found = problems(models)
    assert any(
        p.startswith("en-GB: WhatsOnIntent mixes slot-only samples ('{date}')") for p in found
    ), found
    assert any(p.startswith("en-US: TurnOnIntent mixes slot-only samples") for p in found)
    assert main(["model", "check", "--models", str(models)]) == 1


def test_slot_only_samples_have_their_own_intent_in_the_shipped_models():
    from skill.model import slot_only

    for locale in LOCALES:
        model = load(locale)
        bare = {n for n, i in model.intents.items() if any(slot_only(s) for s in i.samples)}
        assert bare == {"AnswerIntent"}
        assert all(slot_only(s) for s in model.intents["AnswerIntent"].samples)


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("demo", "two or more words"),
        ("Learning Week Demo", "lower-case"),
        ("ask learning week", "'ask'"),
        ("alexa learning demo", "'alexa'"),
        ("learning week skill", "'skill'"),
        ("the demo", "article"),
        ("week 21 demo", "numerals"),
    ],
)
def test_bad_invocation_names_fail(models, name, why):
    edit(models, "en-GB", lambda lm: lm.update(invocationName=name))
    assert any(why in p for p in problems(models) if p.startswith("en-GB")), problems(models)


def test_good_invocation_names_pass():
    assert invocation_problems("learning week demo") == []
    assert invocation_problems("council demo") == []
    assert invocation_problems("o'brien's helper") == []


def test_device_values_must_cover_the_registry(models):
    def forget_the_fan(lm):
        device = next(t for t in lm["types"] if t["name"] == "DEVICE")
        device["values"] = [v for v in device["values"] if v["id"] != "fan"]

    edit(models, "en-GB", forget_the_fan)
    assert any(p.startswith("en-GB: DEVICE lacks fan") for p in problems(models))


def test_example_phrases_must_be_sample_utterances(models):
    path = models / "skill.json"
    manifest = json.loads(path.read_text())
    phrases = manifest["manifest"]["publishingInformation"]["locales"]["en-GB"]["examplePhrases"]
    phrases[1] = "Alexa, ask learning week demo to make me a cup of tea"
    path.write_text(json.dumps(manifest))
    assert any("is not one of the sample utterances" in p for p in problems(models))


def test_more_than_three_example_phrases_fail(models):
    path = models / "skill.json"
    manifest = json.loads(path.read_text())
    en = manifest["manifest"]["publishingInformation"]["locales"]["en-GB"]
    en["examplePhrases"].append("Alexa, ask learning week demo what's next")
    path.write_text(json.dumps(manifest))
    assert "en-GB: 4 example phrases (at most 3)" in problems(models)


def test_private_distribution_fails_as_alexa_for_business_is_retired(models):
    manifest = models / "skill.json"
    data = json.loads(manifest.read_text())
    assert data["manifest"]["publishingInformation"]["distributionMode"] == "PUBLIC"
    data["manifest"]["publishingInformation"]["distributionMode"] = "PRIVATE"
    manifest.write_text(json.dumps(data))
    assert any("Alexa for Business" in p for p in problems(models))


def test_cli_check_exits_non_zero_with_the_list(models, capsys):
    edit(models, "en-GB", lambda lm: lm.update(invocationName="alexa"))
    edit(models, "en-US", lambda lm: intent(lm, "TurnOnIntent")["slots"][0].update(type="THING"))
    assert main(["model", "check", "--models", str(models)]) == 1
    err = capsys.readouterr().err
    assert "problem(s)" in err
    assert "two or more words" in err
    assert "en-US: TurnOnIntent slot 'device' has unknown type 'THING'" in err


@pytest.mark.parametrize("locale", LOCALES)
def test_custom_intents_have_twenty_or_more_samples(locale):
    model = load(locale)
    thin = {
        i.name: len(i.samples)
        for i in model.intents.values()
        if not i.name.startswith("AMAZON.") and i.name != "AnswerIntent" and len(i.samples) < 20
    }
    assert thin == {}


def test_locales_share_intents_and_slots():
    gb, us = ({n: i.slots for n, i in load(loc).intents.items()} for loc in LOCALES)
    assert gb == us
    assert len({load(loc).invocation_name for loc in LOCALES}) == 1
