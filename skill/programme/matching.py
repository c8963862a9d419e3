"""Forgiving title matching: "the coding session" finds "Learn to code".

People name sessions loosely and speech recognition spells them oddly ("three d printing",
"linked in"), so titles and aliases are reduced to crude word stems and looked up through
an inverted index: cost grows with the words asked, not with the size of the programme.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

# Words that say nothing about which session is meant.
# fmt: off
STOPWORDS = frozenset({
    "a", "an", "and", "the", "to", "of", "on", "in", "at", "for", "with", "about", "my", "me",
    "your", "our", "is", "are", "be", "it", "its", "this", "that", "session", "sessions",
    "workshop", "workshops", "talk", "class", "course", "event", "thing", "one", "please",
    "tell", "when", "where", "who", "whos", "what", "whats", "running", "run", "runs", "doing",
    "does", "do",
})
# fmt: on

_NUMBERS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
}  # fmt: skip


def _stem(word: str) -> str:
    """A deliberately crude stemmer: coding/code -> cod, printing -> print, tips -> tip."""
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """Lower-case words with digits split from letters ("3D" -> "3", "d")."""
    text = text.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    text = re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", " ", text)
    return re.findall(r"[a-z0-9]+", text)


def tokens(text: str) -> list[str]:
    """The stems that identify a title: stopwords dropped, number words as digits
    ("three d printing" matches "3D printing"), order kept, duplicates removed."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word not in STOPWORDS:
            seen.setdefault(_stem(_NUMBERS.get(word, word)), None)
    return list(seen)


def phrase_key(text: str) -> str:
    """Normalised whole phrase, for exact title/alias hits."""
    return " ".join(tokens(text))


@dataclass(frozen=True)
class Match:
    """The best title group for some spoken words, and any group that scored the same."""

    key: str
    score: float
    tied: tuple[str, ...] = ()


class TitleIndex:
    """Inverted index from word stems to title groups (all occurrences of one title)."""

    def __init__(self, names: Iterable[tuple[str, Iterable[str]]]) -> None:
        """`names`: (group key, the title and aliases people may say for it)."""
        postings: dict[str, set[str]] = defaultdict(set)
        phrases: dict[str, str] = {}
        group_tokens: dict[str, set[str]] = defaultdict(set)
        for key, spoken in names:
            for text in spoken:
                toks = tokens(text)
                if toks:
                    phrases.setdefault(" ".join(toks), key)
                for tok in toks:
                    postings[tok].add(key)
                    group_tokens[key].add(tok)
        self._postings = {t: frozenset(keys) for t, keys in postings.items()}
        self._phrases = phrases
        self._group_tokens = {k: frozenset(v) for k, v in group_tokens.items()}
        self._vocabulary = sorted(self._postings)
        groups = max(len(self._group_tokens), 1)
        self._idf = {t: math.log(1 + groups / len(keys)) for t, keys in self._postings.items()}

    def _query_tokens(self, text: str) -> list[str]:
        raw = words(text)
        # "linked in" -> "linkedin" when the joined word is one we know.
        joined = [a + b for a, b in zip(raw, raw[1:], strict=False)]
        extra = [_stem(j) for j in joined if _stem(j) in self._postings]
        found = tokens(text) + extra
        result: list[str] = []
        for tok in found:
            if tok not in self._postings:
                close = difflib.get_close_matches(tok, self._vocabulary, n=1, cutoff=0.8)
                if close:
                    tok = close[0]
            if tok not in result:
                result.append(tok)
        return result

    def best(self, text: str, threshold: float = 0.5) -> Match | None:
        """The title group the words most likely mean, or None if nothing is close enough."""
        key = phrase_key(text)
        if key in self._phrases:
            return Match(self._phrases[key], 2.0)
        query = self._query_tokens(text)
        known = [t for t in query if t in self._postings]
        if not known:
            return None
        # Unknown words count against the match, but less than known ones.
        total = sum(self._idf[t] for t in known) + 0.5 * (len(query) - len(known))
        scores: dict[str, float] = defaultdict(float)
        for tok in known:
            for group in self._postings[tok]:
                scores[group] += self._idf[tok]
        ranked: list[tuple[float, str]] = []
        for group, weight in scores.items():
            coverage = weight / total
            if coverage >= threshold:
                own = self._group_tokens[group]
                # Prefer the title the words cover best ("code" -> "Learn to code", not
                # "Learn to code: next steps").
                ranked.append((round(coverage + 0.1 * len(own & set(known)) / len(own), 6), group))
        if not ranked:
            return None
        ranked.sort(key=lambda item: (-item[0], item[1]))
        top_score, top = ranked[0]
        tied = tuple(g for s, g in ranked[1:] if s == top_score)
        return Match(top, top_score, tied)
