"""Match what someone says against a model's sample utterances, the way Alexa roughly would.

Each sample becomes one regex: literal words stay literal, each `{slot}` becomes a named
group that tries the slot type's known values first (static and dynamic entities, or
the DATE/TIME grammar) and, for custom types, any few words after that, as Alexa fills
a custom slot with unlisted words too (ER_SUCCESS_NO_MATCH). Of all samples that match
the whole utterance, the most specific wins: fewest words caught by a wildcard, then
most literal text. Stricter than Alexa's statistical NLU on purpose: if the simulator
understands a phrase, the model really contains it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from skill.model import Entity, InteractionModel, slot_only
from skill.model.builtins import BUILTIN_SAMPLES
from skill.numbers import number_words
from skill.simulator.timephrases import DATE_PATTERN, TIME_PATTERN, resolve_date, resolve_time

_WILDCARD = r"[a-z0-9:]+(?: [a-z0-9:]+){0,5}?"
# AMAZON.NUMBER as people say it (0 to 99, in words or digits); Alexa sends the digits.
_NUMBERS = {number_words(n): str(n) for n in range(100)}
NUMBER_PATTERN = "|".join(
    [*(re.escape(w) for w in sorted(_NUMBERS, key=len, reverse=True)), r"\d{1,3}"]
)
_SLOT = re.compile(r"(\{\w+\})")


# Contractions Alexa treats as their long forms (typed ones may lack the apostrophe).
_IS = ("what", "where", "who", "when", "how", "that", "there", "here")
_CONTRACTIONS = {
    **{f"{w}'s": f"{w} is" for w in (*_IS, "it")},
    **{f"{w}s": f"{w} is" for w in _IS if w not in ("who", "how")},
    "whos": "who is", "i'm": "i am", "im": "i am", "you're": "you are", "youre": "you are",
    "we're": "we are", "they're": "they are", "i'd": "i would", "i've": "i have",
    "i'll": "i will", "let's": "let us", "can't": "can not", "cant": "can not",
    "won't": "will not", "don't": "do not", "dont": "do not", "didn't": "did not",
    "didnt": "did not", "isn't": "is not", "isnt": "is not", "aren't": "are not",
    "doesn't": "does not", "doesnt": "does not",
}  # fmt: skip


def normalise(text: str) -> str:
    """Lower case, contractions spelt out ("what's" is "what is"), apostrophes gone,
    punctuation to spaces, "2pm" and "2 p.m." to "2 pm"."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"['’‘`]", "'", text)
    text = re.sub(r"[a-z']+", lambda m: _CONTRACTIONS.get(m[0], m[0]), text)
    text = re.sub(r"(?<![a-z])([ap])\.\s?m\.", r" \1m", text)
    text = re.sub(r"(\d)(am|pm)\b", r"\1 \2", text)
    text = text.replace("'", "")
    text = re.sub(r"[^a-z0-9:]+|(?<!\d):|:(?!\d)", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class SlotValue:
    """One filled slot: what was said, the value Alexa sends, and the entities it resolved to."""

    name: str
    type: str
    said: str
    value: str
    static: tuple[Entity, ...] = ()
    dynamic: tuple[Entity, ...] = ()

    @property
    def custom(self) -> bool:
        return not self.type.startswith("AMAZON.")


@dataclass(frozen=True)
class Match:
    intent: str
    sample: str
    slots: dict[str, SlotValue] = field(default_factory=dict)
    score: tuple[int, int] = (0, 0)  # (-words caught by a wildcard, literal characters)


@dataclass
class _Sample:
    """One sample's regex, compiled on first use: most samples are ruled out for an
    utterance by a literal word it lacks, and compiling them all would dominate `say`."""

    intent: str
    sample: str
    pattern: str
    slot_types: dict[str, str]
    pieces: tuple[str, ...]  # the literal parts, each of which the utterance must contain
    _regex: re.Pattern | None = field(default=None, repr=False)

    @property
    def literal(self) -> int:
        return sum(len(p) for p in self.pieces)

    @property
    def filler_only(self) -> bool:
        """A slot-only sample: no words but articles and the like ("the {device}")."""
        return slot_only(self.sample)

    def fullmatch(self, text: str) -> re.Match | None:
        if not all(piece in text for piece in self.pieces):
            return None
        if self._regex is None:
            self._regex = re.compile(self.pattern)
        return self._regex.fullmatch(text)


def _lookup(entities: Iterable[Entity]) -> dict[str, tuple[Entity, ...]]:
    """Every way to say each entity, normalised, to the entities it names (ambiguity kept)."""
    found: dict[str, list[Entity]] = {}
    for entity in entities:
        for phrase in (entity.name, *entity.synonyms):
            key = normalise(phrase)
            if key and entity not in found.setdefault(key, []):
                found[key].append(entity)
    return {k: tuple(v) for k, v in found.items()}


class Matcher:
    """One locale's model compiled for matching; `dynamic` adds a session's dynamic entities."""

    def __init__(
        self, model: InteractionModel, dynamic: dict[str, tuple[Entity, ...]] | None = None
    ) -> None:
        self.model = model
        self.static = {name: _lookup(values) for name, values in model.types.items()}
        self.dynamic = {name: _lookup(values) for name, values in (dynamic or {}).items()}
        self._compiled = [
            self._compile(intent, sample, model.intents[intent].slots)
            for intent, sample in self._samples()
        ]

    def _samples(self) -> list[tuple[str, str]]:
        pairs = self.model.samples()
        for name in self.model.intents:
            pairs += [(name, s) for s in BUILTIN_SAMPLES.get(name, ())]
        return pairs

    def _slot_pattern(self, slot_type: str) -> str:
        if slot_type == "AMAZON.DATE":
            return DATE_PATTERN
        if slot_type == "AMAZON.TIME":
            return TIME_PATTERN
        if slot_type == "AMAZON.NUMBER":
            return NUMBER_PATTERN
        known = {*self.static.get(slot_type, {}), *self.dynamic.get(slot_type, {})}
        values = sorted((re.escape(k) for k in known), key=len, reverse=True)
        return "|".join([*values, _WILDCARD])

    def _compile(self, intent: str, sample: str, slot_types: dict[str, str]) -> _Sample:
        parts, pieces = [], []
        for piece in _SLOT.split(sample):
            if piece.startswith("{") and piece.endswith("}"):
                name = piece[1:-1]
                pattern = self._slot_pattern(slot_types.get(name, ""))
                parts.append(f"(?P<{name}>{pattern})")
            elif words := normalise(piece):
                parts.append(re.escape(words))
                pieces.append(words)
        return _Sample(intent, sample, " ".join(parts), slot_types, tuple(pieces))

    def _slot(self, name: str, slot_type: str, said: str, today: date) -> SlotValue | None:
        if slot_type == "AMAZON.DATE":
            value = resolve_date(said, today)
            return SlotValue(name, slot_type, said, value) if value else None
        if slot_type == "AMAZON.TIME":
            value = resolve_time(said)
            return SlotValue(name, slot_type, said, value) if value else None
        if slot_type == "AMAZON.NUMBER":
            return SlotValue(name, slot_type, said, _NUMBERS.get(said, said))
        return SlotValue(
            name,
            slot_type,
            said,
            said,
            self.static.get(slot_type, {}).get(said, ()),
            self.dynamic.get(slot_type, {}).get(said, ()),
        )

    def match(self, utterance: str, today: date) -> Match | None:
        """The most specific sample matching all of `utterance`, or None (Fallback)."""
        text = normalise(utterance)
        best: Match | None = None
        for compiled in self._compiled:
            m = compiled.fullmatch(text)
            if not m:
                continue
            slots, wild = {}, 0
            for name, said in m.groupdict().items():
                value = self._slot(name, compiled.slot_types.get(name, ""), said, today)
                if value is None:
                    break
                if value.custom and not (value.static or value.dynamic):
                    wild += len(said.split())
                slots[name] = value
            else:
                if wild and compiled.filler_only:
                    # Nothing but unknown words ("sing me a song" as a bare {session}):
                    # slot-only samples live in their own intent, and this is Fallback.
                    continue
                score = (-wild, compiled.literal)
                if best is None or score > best.score:
                    best = Match(compiled.intent, compiled.sample, slots, score)
        return best
