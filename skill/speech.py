"""Safe SSML: every inserted string is escaped, so an admin's "Tea & <cake>" can't break a reply.

`SSML` marks text that is already valid markup (like markupsafe's `Markup`); plain `str`
is always escaped on the way in. Intents build replies with `ssml()` and `join()`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from xml.sax.saxutils import escape as _xml_escape

# Rates accepted by Alexa's <prosody rate>: keywords or 20%..200%.
RATES = {"x-slow", "slow", "medium", "fast", "x-fast"}
SLOW_RATE = "85%"


class SSML(str):
    """A string that is already safe SSML markup."""

    __slots__ = ()

    def __add__(self, other: object) -> SSML:
        return SSML(str.__add__(self, escape(other)))

    def __radd__(self, other: object) -> SSML:
        return SSML(str.__add__(escape(other), self))


# Characters XML 1.0 forbids even when escaped (control codes, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(value: object) -> SSML:
    """Escape `value` for SSML unless it is already `SSML`; drop what XML cannot hold."""
    if isinstance(value, SSML):
        return value
    return SSML(_xml_escape(_NOT_XML.sub("", str(value)), {'"': "&quot;"}))


def ssml(template: str, *args: object, **kwargs: object) -> SSML:
    """`str.format` where the template is trusted markup and every argument is escaped."""
    return SSML(
        template.format(*(escape(a) for a in args), **{k: escape(v) for k, v in kwargs.items()})
    )


def join(items: Iterable[object], conjunction: str = "and") -> SSML:
    """Join naturally: "the lamp", "the lamp and the fan", "the lamp, the fan and the radio"."""
    parts = [escape(i) for i in items]
    if not parts:
        return SSML("")
    if len(parts) == 1:
        return parts[0]
    return SSML(", ".join(parts[:-1]) + f" {conjunction} " + parts[-1])


def pause(ms: int = 300) -> SSML:
    return SSML(f'<break time="{int(ms)}ms"/>')


def sentences(*parts: object) -> SSML:
    """Join sentence-like parts with single spaces, skipping empty ones."""
    return SSML(" ".join(p for p in (escape(x) for x in parts) if p.strip()))


def with_rate(body: object, rate: str | None) -> SSML:
    """Wrap speech in <prosody rate> for listeners who asked for slower speech."""
    text = escape(body)
    if not rate or rate == "medium":
        return text
    if rate not in RATES and not re.fullmatch(r"(?:[2-9]\d|1\d\d|200)%", rate):
        raise ValueError(f"unsupported prosody rate {rate!r}")
    return SSML(f'<prosody rate="{rate}">{text}</prosody>')


def speak(body: object, rate: str | None = None) -> str:
    """The complete `<speak>` document Alexa receives."""
    return f"<speak>{with_rate(body, rate)}</speak>"


_TAG = re.compile(r"<[^>]+>")


def plain_text(markup: str) -> str:
    """What a person would hear, as text: tags dropped, entities decoded, spaces tidied."""
    text = _TAG.sub(" ", markup)
    return re.sub(r"\s+", " ", html.unescape(text)).strip().replace(" .", ".").replace(" ,", ",")
