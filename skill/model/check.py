"""`voice-demo model check`: the models, the handlers, the data and the manifest agree.

Each check returns plain sentences naming the locale and the thing to fix, because the
person reading them is about to edit a JSON file, not debug Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from skill.model import (
    LOCALES,
    MANIFEST,
    Entity,
    Intent,
    InteractionModel,
    fill,
    load,
    load_manifest,
    model_path,
    slot_only,
    slot_refs,
)
from skill.model.build import data_values
from skill.model.builtins import (
    BUILTIN_SAMPLES,
    LAUNCH_WORDS,
    REQUIRED_BUILTINS,
    WAKE_WORDS,
    split_invocation,
)
from skill.model.values import DEVICE, SESSION, DataError
from skill.settings import SHIPPED_PROGRAMME, Settings
from skill.simulator.matcher import Matcher, normalise

BUILTIN_SLOT_TYPES = frozenset(
    {
        "AMAZON.DATE",
        "AMAZON.TIME",
        "AMAZON.DURATION",
        "AMAZON.NUMBER",
        "AMAZON.ORDINAL",
        "AMAZON.FOUR_DIGIT_NUMBER",
        "AMAZON.SearchQuery",
        "AMAZON.FirstName",
        "AMAZON.Person",
    }
)
MAX_EXAMPLE_PHRASES = 3
# Filler values for turning a sample into something a person might say, and the "today"
# they are understood on (any day will do: the values are relative).
_EXAMPLE = {"AMAZON.DATE": "tomorrow", "AMAZON.TIME": "afternoon", "AMAZON.NUMBER": "four"}
_TODAY = date(2026, 5, 19)


def invocation_problems(name: str) -> list[str]:
    """Amazon's invocation-name rules, as far as they can be checked offline.

    Source: https://developer.amazon.com/en-US/docs/alexa/custom-skills/choose-the-invocation-name-for-a-custom-skill.html
    """
    problems = []
    words = name.split()
    if not name:
        return ["the invocation name is empty"]
    if not re.fullmatch(r"[a-z' .]+", name):
        problems.append(
            f"invocation name {name!r} may use only lower-case letters, spaces, apostrophes"
            " and periods (no capitals or numerals)"
        )
    if len(words) < 2:
        problems.append(f"invocation name {name!r} needs two or more words")
    if len(words) == 2 and {"the", "a", "an", "for", "to", "of"} & set(words):
        problems.append(f"a two-word invocation name can't contain an article: {name!r}")
    for word in (*WAKE_WORDS, *LAUNCH_WORDS):
        if re.search(rf"\b{re.escape(word)}\b", name):
            problems.append(f"invocation name {name!r} contains the launch or wake word {word!r}")
    return problems


def example_sentence(model: InteractionModel, intent: str, sample: str) -> str:
    """The sample with each slot filled by a value its type knows ("turn on the lamp")."""

    def value_for(slot_type: str) -> str:
        values = model.types.get(slot_type) or ()
        return values[0].name if values else _EXAMPLE.get(slot_type, "something")

    return fill(sample, model.intents[intent].slots, value_for)


def handler_problems(model: InteractionModel, handled: set[str]) -> list[str]:
    problems = [
        f"{model.locale}: {name} has no handler (add it to an intent module's INTENTS)"
        for name in model.intents
        if name not in handled
    ]
    problems += [
        f"{model.locale}: the skill handles {name} but the model has no such intent"
        for name in sorted(handled - set(model.intents))
    ]
    problems += [
        f"{model.locale}: required built-in intent {name} is missing"
        for name in REQUIRED_BUILTINS
        if name not in model.intents and name not in handled
    ]
    return problems


def slot_problems(model: InteractionModel) -> list[str]:
    problems = []
    for intent in model.intents.values():
        mentioned: set[str] = set()
        for sample in intent.samples:
            for ref in slot_refs(sample):
                mentioned.add(ref)
                if ref not in intent.slots:
                    problems.append(
                        f"{model.locale}: {intent.name} sample {sample!r} uses undeclared"
                        f" slot {{{ref}}}"
                    )
        for slot, slot_type in intent.slots.items():
            if slot_type not in model.types and slot_type not in BUILTIN_SLOT_TYPES:
                problems.append(
                    f"{model.locale}: {intent.name} slot {slot!r} has unknown type {slot_type!r}"
                )
            if slot not in mentioned:
                problems.append(
                    f"{model.locale}: {intent.name} slot {slot!r} appears in no sample utterance"
                )
    for name, values in model.types.items():
        if not values:
            problems.append(f"{model.locale}: slot type {name} has no values")
    return problems


def slot_only_problems(model: InteractionModel) -> list[str]:
    """Slot-only samples ("{date}", "the {device}") belong in an intent of their own.

    Amazon's design guide (developer.amazon.com/docs/alexa/interaction-model-design/
    design-the-custom-intents-for-your-skill.html) keeps them apart: a bare slot catches
    speech meant for something else, so mixed into a full intent it drags that in.
    """
    problems = []
    for intent in model.intents.values():
        bare = [s for s in intent.samples if slot_only(s)]
        if bare and len(bare) < len(intent.samples):
            listed = ", ".join(repr(s) for s in bare)
            problems.append(
                f"{model.locale}: {intent.name} mixes slot-only samples ({listed}) with full"
                " ones; move them to an intent of their own (AnswerIntent)"
            )
    return problems


def _sample_key(intent: Intent, sample: str) -> str:
    """What makes two samples the same to Alexa: normalised words, slots as their types."""
    parts = [
        "{" + intent.slots.get(piece[1:-1], piece[1:-1]) + "}"
        if piece.startswith("{")
        else normalise(piece)
        for piece in re.split(r"(\{\w+\})", sample)
    ]
    return " ".join(" ".join(parts).split())


def sample_problems(model: InteractionModel) -> list[str]:
    """Samples Alexa would reject, and the same words claimed twice."""
    problems = []
    owners: dict[str, str] = {}
    for intent in model.intents.values():
        pairs = [(s, False) for s in intent.samples]
        pairs += [(s, True) for s in BUILTIN_SAMPLES.get(intent.name, ())]
        seen: set[str] = set()
        for sample, builtin in pairs:
            if not re.fullmatch(r"[a-z' .]*", re.sub(r"\{\w+\}", "", sample)):
                problems.append(
                    f"{model.locale}: {intent.name} sample {sample!r} may use only lower-case"
                    " words, apostrophes, periods and {slots} (spell numbers out)"
                )
            key = _sample_key(intent, sample)
            owner = owners.setdefault(key, intent.name)
            if owner != intent.name:
                problems.append(
                    f"{model.locale}: sample {sample!r} is in both {owner} and {intent.name}"
                )
            elif sample in seen and not builtin:
                problems.append(f"{model.locale}: {intent.name} repeats sample {sample!r}")
            seen.add(sample)
    return list(dict.fromkeys(problems))


def value_problems(
    model: InteractionModel, expected: dict[str, list[Entity]], sources: dict[str, str]
) -> list[str]:
    """The generated types match the data they are generated from."""
    problems = []
    for type_name, entities in expected.items():
        have = {e.id: e for e in model.types.get(type_name, ())}
        want = {e.id: e for e in entities}
        missing = [i for i in want if i not in have]
        extra = [i for i in have if i not in want]
        changed = [i for i in want if i in have and want[i] != have[i]]
        source = sources.get(type_name, "the data")
        for label, ids in (("lacks", missing), ("has stale", extra), ("has changed", changed)):
            if ids:
                problems.append(
                    f"{model.locale}: {type_name} {label} {', '.join(ids)} compared with"
                    f" {source} (run `voice-demo model build`)"
                )
    return problems


def understanding_problems(model: InteractionModel, matcher: Matcher) -> list[str]:
    """Each sample, said with real values, must reach its own intent (nothing shadows it)."""
    problems = []
    for intent, sample in model.samples():
        said = example_sentence(model, intent, sample)
        found = matcher.match(said, _TODAY)
        if found is None or found.intent != intent:
            problems.append(
                f"{model.locale}: {said!r} ({intent} sample {sample!r}) is understood as"
                f" {found.intent if found else 'AMAZON.FallbackIntent'}"
            )
    return problems


def manifest_problems(manifest: dict, matchers: Iterable[Matcher]) -> list[str]:
    """Example phrases: at most three, each naming the skill and saying one of its samples;
    no private (Alexa for Business) distribution."""
    problems = []
    info = (manifest.get("manifest") or {}).get("publishingInformation") or {}
    if info.get("distributionMode") == "PRIVATE":
        problems.append(
            "the manifest's distributionMode PRIVATE needs Alexa for Business, which Amazon"
            " has retired; use PUBLIC and keep the skill in development with beta testers"
        )
    locales = info.get("locales") or {}
    for matcher in matchers:
        model = matcher.model
        phrases = (locales.get(model.locale) or {}).get("examplePhrases")
        if not phrases:
            problems.append(f"{model.locale}: the manifest has no example phrases")
            continue
        if len(phrases) > MAX_EXAMPLE_PHRASES:
            problems.append(
                f"{model.locale}: {len(phrases)} example phrases (at most {MAX_EXAMPLE_PHRASES})"
            )
        for phrase in phrases:
            parsed = split_invocation(normalise(phrase), model.invocation_name)
            if parsed is None:
                problems.append(
                    f"{model.locale}: example phrase {phrase!r} doesn't name the skill as"
                    f" {model.invocation_name!r}"
                )
                continue
            kind, requests = parsed
            if kind == "launch":
                continue
            found = [m for m in (matcher.match(r, _TODAY) for r in requests) if m]
            if not any(m.score[0] == 0 and m.intent != "AMAZON.FallbackIntent" for m in found):
                problems.append(
                    f"{model.locale}: example phrase {phrase!r} is not one of the sample"
                    " utterances (with a known slot value)"
                )
    return problems


def check(
    models: list[InteractionModel],
    handled: set[str],
    manifest: dict | None = None,
    expected: dict[str, list[Entity]] | None = None,
    sources: dict[str, str] | None = None,
) -> list[str]:
    """Every problem found, in a stable order; empty means the models are fine."""
    problems = []
    matchers = [Matcher(model) for model in models]
    for matcher in matchers:
        model = matcher.model
        problems += [f"{model.locale}: {p}" for p in invocation_problems(model.invocation_name)]
        problems += handler_problems(model, handled)
        problems += slot_problems(model)
        problems += sample_problems(model)
        problems += slot_only_problems(model)
        if expected:
            problems += value_problems(model, expected, sources or {})
        problems += understanding_problems(model, matcher)
    if manifest is not None:
        problems += manifest_problems(manifest, matchers)
    return problems


def check_files(directory: Path, handled: set[str], settings: Settings) -> list[str]:
    """Load the models and manifest in `directory` and check them against the shipped data."""
    problems: list[str] = []
    models = []
    for locale in LOCALES:
        try:
            models.append(load(locale, directory))
        except (OSError, ValueError, KeyError) as exc:
            problems.append(f"{locale}: can't read {model_path(locale, directory)} ({exc})")
    try:
        manifest = load_manifest(directory)
    except (OSError, ValueError) as exc:
        manifest = None
        problems.append(f"can't read the manifest {directory / MANIFEST} ({exc})")
    try:
        expected = data_values(settings)
    except DataError as exc:
        expected = None
        problems.append(f"can't read the data the slot types come from: {exc}")
    sources = {DEVICE: str(settings.devices_file), SESSION: str(SHIPPED_PROGRAMME)}
    return problems + check(models, handled, manifest, expected, sources)
