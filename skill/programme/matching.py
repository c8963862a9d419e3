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

from skill.numbers import number_words

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

_NUMBERS = {number_words(n): str(n) for n in range(13)}


_TENS = {"twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6",
         "seventy": "7", "eighty": "8", "ninety": "9"}  # fmt: skip


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
    digits = ""  # "three sixty five" is said for "365": spoken digits run together
    said = [w for w in words(text) if w not in STOPWORDS]
    for i, word in enumerate(said):
        if word in _TENS:
            following = said[i + 1] if i + 1 < len(said) else ""
            unit = _NUMBERS.get(following, "")
            digits += _TENS[word] + ("" if len(unit) == 1 and unit != "0" else "0")
            continue
        number = _NUMBERS.get(word, word)
        if word in _NUMBERS and len(number) == 1:
            digits += number
            continue
        if digits:
            seen.setdefault(digits, None)
            digits = ""
        seen.setdefault(_stem(number), None)
    if digits:
        seen.setdefault(digits, None)
    return list(seen)


def phrase_key(text: str) -> str:
    """Normalised whole phrase, for exact title/alias hits."""
    return " ".join(tokens(text))


@dataclass(frozen=True)
class Match:
    """The best title group for some spoken words, and any group that scored the same.

    `sure` is False when the title shares only some of the words asked ("office party"
    and "Office 365 hands-on"): worth a "Did you mean …?", never a confident answer.
    """

    key: str
    score: float
    tied: tuple[str, ...] = ()
    sure: bool = True


MAX_TIED = 4  # we only ever name a couple of alternatives
PARTIAL_CAP = 500  # words in more titles than this are too common to find candidates by


class TitleIndex:
    """Inverted index from word stems to title groups (all occurrences of one title).

    Lookups touch only the postings of the words asked, and each posting is sorted by
    how many words its title has, so the best full match is the first one found.
    """

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
        self._size = {k: len(v) for k, v in group_tokens.items()}
        self._sets = {t: frozenset(keys) for t, keys in postings.items()}
        # Fewest words first: "code" means "Learn to code" before "Learn to code: next steps".
        self._sorted = {
            t: tuple(sorted(keys, key=lambda k: (self._size[k], k))) for t, keys in postings.items()
        }
        self._phrases = phrases
        groups = max(len(group_tokens), 1)
        self._idf = {t: math.log(1 + groups / len(keys)) for t, keys in postings.items()}
        # Misheard words are looked for among known words of similar shape only.
        shapes: dict[tuple[str, int], list[str]] = defaultdict(list)
        for tok in postings:
            if not tok.isdigit():
                shapes[tok[0], len(tok)].append(tok)
        self._shapes = dict(shapes)

    def _close(self, tok: str) -> str | None:
        if tok.isdigit():
            return None
        pool = [
            w for n in range(len(tok) - 2, len(tok) + 3) for w in self._shapes.get((tok[0], n), ())
        ]
        close = difflib.get_close_matches(tok, pool, n=1, cutoff=0.8)
        return close[0] if close else None

    def _query_tokens(self, text: str) -> list[str]:
        raw = words(text)
        # "linked in" -> "linkedin" when the joined word is one we know.
        joined = [_stem(a + b) for a, b in zip(raw, raw[1:], strict=False)]
        result: list[str] = []
        for tok in tokens(text) + [j for j in joined if j in self._sets]:
            if tok not in self._sets:
                tok = self._close(tok) or tok
            if tok not in result:
                result.append(tok)
        return result

    def best(self, text: str, threshold: float = 0.5) -> Match | None:
        """The title group the words most likely mean, or None if nothing is close enough.

        Every word asked must be in the title for a sure match; a title holding at least
        half of them is a guess (`sure=False`); fewer is no match at all, so "the
        champions league final" is not the Digital champions masterclass.
        """
        key = phrase_key(text)
        if key in self._phrases:
            return Match(self._phrases[key], 2.0)
        query = self._query_tokens(text)
        known = sorted((t for t in query if t in self._sets), key=lambda t: len(self._sets[t]))
        if not known:
            return None
        # Unknown words count against the match, but less than known ones.
        total = sum(self._idf[t] for t in known) + 0.5 * (len(query) - len(known))
        full = self._covering(known)
        if full:
            coverage = sum(self._idf[t] for t in known) / total
            if coverage < threshold:
                return None
            return self._judged(Match(full[0], coverage, tuple(full[1:])), query)
        found = self._partial(known, total, threshold)
        return self._judged(found, query) if found else None

    def _judged(self, match: Match, query: list[str]) -> Match | None:
        """How sure a match is: the share of the asked words its title holds."""
        shared = sum(1 for t in query if match.key in self._sets.get(t, ()))
        if shared == len(query):
            return match
        if 2 * shared < len(query):
            return None
        return Match(match.key, match.score, match.tied, sure=False)

    def _covering(self, known: list[str]) -> list[str]:
        """Groups holding every known word, smallest titles first (ties kept, a few)."""
        others = [self._sets[t] for t in known[1:]]
        found: list[str] = []
        for group in self._sorted[known[0]]:
            if found and (self._size[group] > self._size[found[0]] or len(found) > MAX_TIED):
                break
            if all(group in s for s in others):
                found.append(group)
        return found

    def _partial(self, known: list[str], total: float, threshold: float) -> Match | None:
        """No title has every word: the best share of them, found through rarer words."""
        scores: dict[str, float] = defaultdict(float)
        for tok in known:
            if len(self._sets[tok]) <= PARTIAL_CAP:
                for group in self._sets[tok]:
                    scores[group] += self._idf[tok]
        ranked = sorted(
            (
                (-round(weight / total, 6), self._size[g], g)
                for g, weight in scores.items()
                if weight / total >= threshold
            )
        )
        if not ranked:
            return None
        top = ranked[0]
        tied = tuple(g for w, n, g in ranked[1 : MAX_TIED + 1] if (w, n) == top[:2])
        return Match(top[2], -top[0], tied)
