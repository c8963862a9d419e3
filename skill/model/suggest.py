"""Every phrase the stand and the card suggest, from one place.

The stand's "Try saying" line shows the manifest's one-shot example phrases; the card shows
its groups (skill/model/card.py). The admin preview asks the skill each of these, so nothing
on the screen or on paper goes unpreviewed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from skill.model import MODEL_DIR, load, load_manifest
from skill.model.card import Card, build_card

log = logging.getLogger(__name__)

STAND = "On the stand"


@dataclass(frozen=True)
class Suggestion:
    where: str  # "On the stand" or the card's heading
    phrase: str


def stand_phrases(locale: str = "en-GB", directory: Path = MODEL_DIR) -> list[str]:
    """What the stand suggests: the manifest's example phrases that do more than open it."""
    try:
        info = load_manifest(directory)["manifest"]["publishingInformation"]["locales"][locale]
    except (OSError, ValueError, KeyError):
        log.debug("no example phrases for the stand", exc_info=True)
        return []
    return [p for p in info.get("examplePhrases", []) if " open " not in f" {p} "][:2]


def feedback_phrase(invocation: str, title: str) -> str:
    """What the stand says to give feedback on a session that just ended (docs/feedback.md)."""
    return f"Alexa, tell {invocation} how {title} went"


def card_for(
    titles: Iterable[str] | None, locale: str = "en-GB", directory: Path = MODEL_DIR
) -> Card:
    """The card for this programme's titles (the live ones, or a draft's in the preview)."""
    return build_card(load(locale, directory), titles)


def suggestions(card: Card, locale: str = "en-GB", directory: Path = MODEL_DIR) -> list[Suggestion]:
    """The stand's phrases, then the card's, each once."""
    found = [Suggestion(STAND, p) for p in stand_phrases(locale, directory)]
    found.append(Suggestion("First say", f"Alexa, open {card.invocation}"))
    found += [Suggestion(heading, p) for heading, phrases in card.groups for p in phrases]
    if card.one_shot:
        found.append(Suggestion(card.groups[0][0] if card.groups else STAND, card.one_shot))
    seen: set[str] = set()
    unique = []
    for s in found:
        key = " ".join(s.phrase.casefold().split())
        if key not in seen:
            seen.add(key)
            unique.append(s)
    return unique
