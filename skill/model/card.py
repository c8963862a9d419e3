"""A printable "things you can say" card, made from the model so it never promises a phrase
the skill doesn't know.

For occupational therapists to leave with the people they support: few words, big type,
grouped by what the person wants to do, the devices named as this install names them.
Examples are the first samples of each intent (authors keep the plainest ones first),
filled with real device names and with session titles from the live programme (the model's
SESSION values lag until `model build`), so a newly published version's sessions show.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from skill.model import InteractionModel, fill
from skill.model.builtins import BUILTIN_SAMPLES
from skill.simulator.timephrases import MONTHS, WEEKDAYS

# (heading, [(intent, how many examples)])
GROUPS: list[tuple[str, list[tuple[str, int]]]] = [
    (
        "Lights and plugs",
        [
            ("TurnOnIntent", 1),
            ("TurnOffIntent", 1),
            ("DeviceStateIntent", 1),
            ("WhichDevicesOnIntent", 1),
            ("AllOffIntent", 1),
        ],
    ),
    (
        "What's on",
        [
            ("WhatsOnNowIntent", 1),
            ("WhatsNextIntent", 1),
            ("WhatsOnIntent", 2),
            ("SessionTimeIntent", 1),
            ("SessionRoomIntent", 1),
            ("SessionPresenterIntent", 1),
        ],
    ),
    (
        "Help",
        [
            ("AMAZON.HelpIntent", 1),
            ("AMAZON.RepeatIntent", 1),
            ("SpeakSlowerIntent", 1),
            ("AMAZON.StopIntent", 1),
        ],
    ),
]
_EXAMPLES = {"AMAZON.DATE": ("tomorrow", "wednesday"), "AMAZON.TIME": ("afternoon", "morning")}
_PROPER = {*WEEKDAYS, *MONTHS}


@dataclass(frozen=True)
class Card:
    invocation: str
    groups: list[tuple[str, list[str]]]
    devices: list[str]
    one_shot: str | None


def _display(text: str) -> str:
    """A sample as it should read on paper: "I", weekdays and months capitalised."""
    words = [w.capitalize() if w in _PROPER else w for w in text.split()]
    return re.sub(r"\bi\b", "I", " ".join(words)).replace(" i'", " I'")


def _fewest_words(names: Iterable[str]) -> list[str]:
    return sorted(dict.fromkeys(names), key=lambda n: len(n.split()))


SAYABLE = 40  # characters of a title the card prints; longer titles keep the words people say


def sayable(title: str) -> str:
    """A long title as people would say it: the part before a colon or dash, else its first
    words (the skill finds a session by some of its title's words), so the card stays one page.
    """
    title = " ".join(title.split())
    if len(title) <= SAYABLE:
        return title
    for mark in (":", " – ", " — ", " - "):
        head = title.split(mark, 1)[0].strip()
        if len(head.split()) >= 2 and len(head) <= SAYABLE:
            return head
    words: list[str] = []
    for word in title.split():
        if len(" ".join([*words, word])) > SAYABLE and words:
            break
        words.append(word)
    while len(words) > 2 and words[-1].casefold() in _DANGLING:
        words.pop()
    return " ".join(words).rstrip(",;:.–—-")


_DANGLING = {"a", "an", "and", "the", "of", "to", "for", "with", "in", "on", "or", "at", "by"}


def build_card(model: InteractionModel, titles: Iterable[str] | None = None) -> Card:
    """`titles`: the live programme's session titles (default: the model's SESSION values)."""
    # Fewest words first ("Quiz night" reads better on a card than a long workshop title);
    # otherwise the data's order, so the registry's first device leads.
    cycles = {
        name: itertools.cycle(_fewest_words(v.name for v in values))
        for name, values in model.types.items()
        if values
    }
    live = _fewest_words(sayable(t) for t in titles or ())
    if live:
        cycles["SESSION"] = itertools.cycle(live)
    cycles |= {name: itertools.cycle(values) for name, values in _EXAMPLES.items()}

    def example(intent: str, sample: str) -> str:
        return _display(fill(sample, model.intents[intent].slots, lambda t: next(cycles[t])))

    groups = []
    for heading, wanted in GROUPS:
        examples = []
        for intent, count in wanted:
            if intent not in model.intents:
                continue
            samples = [*BUILTIN_SAMPLES.get(intent, ()), *model.intents[intent].samples]
            examples += [example(intent, s) for s in samples[:count]]
        if examples:
            groups.append((heading, examples))
    devices = [v.name for v in model.types.get("DEVICE", ())]
    lights = next((g[1][0] for g in groups if g[0] == "Lights and plugs"), None)
    one_shot = f"Alexa, ask {model.invocation_name} to {lights}" if lights else None
    return Card(model.invocation_name, groups, devices, one_shot)


def markdown(card: Card) -> str:
    lines = [
        "# Things you can say",
        "",
        f"**First say: “Alexa, open {card.invocation}”**",
        "",
        "Then say one of these:",
    ]
    for heading, examples in card.groups:
        lines += ["", f"## {heading}", ""] + [f"- “{e}”" for e in examples]
    if card.devices:
        lines += ["", f"Your devices: {', '.join(card.devices)}."]
    if card.one_shot:
        lines += ["", f"Or all in one go: “{card.one_shot}”"]
    lines += ["", "Say “stop” when you have finished.", ""]
    return "\n".join(lines)


# One A4 page (the browser test prints it to PDF and counts the pages). Large print: 18 pt
# text, 22 pt headings (RNIB's clear print guidance: 16-18 pt for large print), two columns
# of phrases so the longest titles still fit. Scoped to .card so the admin page can show it.
CARD_CSS = """
@page { size: A4; margin: 12mm; }
.card { font-family: Arial, Helvetica, sans-serif; font-size: 18pt; line-height: 1.3;
        color: #000; background: #fff; max-width: 186mm; }
.card h1 { font-size: 30pt; margin: 0 0 .3em; line-height: 1.1; }
.card h2 { font-size: 22pt; margin: 0 0 .25em; border-bottom: 3px solid #000; }
.card ul { list-style: none; padding: 0; margin: 0 0 .6em; }
.card li { margin: .15em 0; }
.card p { margin: .4em 0; }
.card .start { font-size: 22pt; font-weight: bold; border: 3px solid #000; padding: .3em .5em; }
.card .groups { columns: 2; column-gap: 8mm; margin: .6em 0; }
.card .group { break-inside: avoid; }
@media print {
  html, body { margin: 0; padding: 0; background: #fff; }
  body > :not(main), main > :not(.card), .no-print { display: none !important; }
  main { margin: 0; padding: 0; max-width: none; }
  .card { max-width: none; }
}
"""


def card_html(card: Card) -> str:
    """The card as one <article>, escaped: the same in the admin page and `model card`."""
    e = html.escape
    parts = [
        '<article class="card" aria-labelledby="card-title">',
        '<h1 id="card-title">Things you can say</h1>',
        f'<p class="start">First say: “Alexa, open {e(card.invocation)}”</p>',
        "<p>Then say one of these:</p>",
        '<div class="groups">',
    ]
    for heading, examples in card.groups:
        parts.append(f'<section class="group"><h2>{e(heading)}</h2>')
        parts.append("<ul>" + "".join(f"<li>“{e(x)}”</li>" for x in examples) + "</ul></section>")
    parts.append("</div>")
    if card.devices:
        parts.append(f"<p>Your devices: {e(', '.join(card.devices))}.</p>")
    if card.one_shot:
        parts.append(f"<p>Or all in one go: “{e(card.one_shot)}”</p>")
    parts += ["<p>Say “stop” when you have finished.</p>", "</article>"]
    return "\n".join(parts)


def render_html(card: Card) -> str:
    return "\n".join(
        [
            "<!doctype html>",
            '<html lang="en">',
            '<head><meta charset="utf-8"><title>Things you can say</title>',
            f"<style>{CARD_CSS}</style></head>",
            "<body><main>",
            card_html(card),
            "</main></body>",
            "</html>",
            "",
        ]
    )
